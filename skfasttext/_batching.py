"""Training batches packed for XLA: a numpy planner, and its ``tf.data`` adapters.

:class:`BatchPlan` deals a corpus's documents into batches of about equal tokens and
packs them, end to end, into stacks of a few fixed shapes, so that XLA compiles the
training step about once a fit (``docs/design.md`` tells how). :func:`stack_dataset`
and :func:`replica_dataset` hand its stacks to TensorFlow: whole, for the one-device
loop, or cut into one piece per replica, for a ``tf.distribute`` strategy.
"""

from functools import partial

import numpy as np
import tensorflow as tf

from ._ragged import Ragged, positions_within

__all__ = ["STEPS_PER_CALL", "BatchPlan", "replica_dataset", "stack_dataset"]

STEPS_PER_CALL = 64  # training steps per graph call, in one XLA loop
_COMPILE_IDS = 20_000_000  # ids trained in the time XLA compiles one more shape
_MAX_WIDER = 256  # documents whose batches may take a wider room than the others


class BatchPlan:
    """Training batches, epoch after epoch, as stacks of flat batches.

    A batch is ``batch_size`` documents drawn at random, end to end, with the
    document of each id (the inputs of :func:`~skfasttext.model.flat_model`).
    Each epoch, each chunk's documents are dealt into its batches stratified by
    length (:meth:`pieces`), so every batch holds about as many tokens. Its ids
    are padded with zeros to ``tokens``: the mean tokens of the first chunk's
    batches plus its longest document, a bound no batch of that chunk exceeds,
    or plus a shorter length where that costs less (:meth:`_room`); a batch with
    more (one holding one of the longest documents, or of a later chunk) takes
    ``tokens * 2**k``. Its targets are
    padded to ``documents`` rows of zeros (empty documents of weight 0: the
    weights must be the last target). So XLA compiles the training step once per
    fit, as a rule, and no time goes to padding between documents.

    Batches travel in stacks of ``STEPS_PER_CALL`` batches of one shape, one
    graph call's worth: ``(rows, ids, segment_ids, *targets)``, the first
    ``rows`` rows of each array real, the others zeros (so the stacks too have
    one shape).

    Under a ``tf.distribute`` strategy, each batch is ``replicas`` pieces, one
    per replica, of at most ``ceil(batch_size / replicas)`` documents each, all
    of one shape: the rows of a stack are pieces, and the batch is the global
    batch of one step.

    The documents come in the corpus's chunks: all of them at once when they are
    in memory, a file's worth a chunk at a time otherwise.

    Parameters
    ----------
    corpus : InMemoryCorpus or FileCorpus
        The documents' ids, chunk by chunk (``sizes``, ``chunks()``).
    batch_size : int
        Documents per batch.
    targets : tuple of ndarray
        Arrays with one row per document (targets, weights), in memory.
    seed : int or None
        Seed of the shuffling.
    replicas : int, default=1
        Replicas that share each batch.
    tokens : int or None, default=None
        Ids of a piece (wider pieces take this doubled): an earlier plan's, so that
        its compiled steps serve; None chooses it from the first chunk.
    """

    def __init__(self, corpus, batch_size, targets=(), seed=None, replicas=1, tokens=None):
        self.corpus = corpus
        self.counts = [-(-size // batch_size) for size in corpus.sizes]  # batches per chunk
        self.targets, self.replicas = targets, replicas
        self.documents = -(-batch_size // replicas)  # per piece
        self.height = STEPS_PER_CALL * replicas  # pieces per stack
        self.tokens = tokens  # per piece, else from the first chunk's lengths
        self.rng = np.random.default_rng(seed)
        self.error = None  # what stopped the stacks, if anything

    def __len__(self):
        return sum(self.counts)

    def pieces(self, lengths, n_batches):
        """This epoch's pieces of one chunk: arrays of row numbers, in training order.

        The documents, longest first (ties in random order), are dealt in rounds,
        one to each batch, in a new random order each round; each batch's
        documents, longest first, are then dealt in turn to its pieces. So a batch
        holds random documents, one of each length stratum, and a piece at most
        the mean tokens of a piece plus the longest document: the documents two
        batches (or pieces) got in a round differ by at most that round's spread,
        and the rounds' spreads add up to at most the longest document.
        """
        n = len(lengths)
        longest_first = np.argsort(-(lengths + self.rng.random(n)))
        rounds = -(-n // n_batches)
        # the batch of each document, longest first: each round, the batches in a new order
        dealt = self.rng.permuted(np.tile(np.arange(n_batches), (rounds, 1)), axis=1).ravel()[:n]
        sizes = np.bincount(dealt, minlength=n_batches)
        batches = np.split(longest_first[np.argsort(dealt, kind="stable")], np.cumsum(sizes)[:-1])
        return [
            batch[first :: self.replicas] for batch in batches for first in range(self.replicas)
        ]

    def _stacks(self, values, lengths, pieces, targets):
        """A group's pieces as stacks of one shape (:meth:`_stack`), the longer steps last."""
        tokens = np.array([lengths[piece].sum() for piece in pieces])
        # a piece of t tokens needs tokens * 2**k of room; all pieces of a step get the same
        doubling = np.ceil(np.log2(np.maximum(tokens, 1) / self.tokens)).clip(0).astype(int)
        doubling = doubling.reshape(-1, self.replicas).max(axis=1)
        for k in np.unique(doubling):
            steps = np.flatnonzero(doubling == k)[:, None]
            of_shape = [
                pieces[i] for i in (steps * self.replicas + np.arange(self.replicas)).ravel()
            ]
            yield self._stack(values, lengths, of_shape, self.tokens << k, targets)

    def _stack(self, values, lengths, pieces, width, targets):
        """``(rows, ids, segment_ids, *targets)``: pieces end to end, one a row, padded."""
        rows = np.concatenate(pieces)
        flat, kept = Ragged(values, lengths).take(rows)
        sizes = np.array([len(piece) for piece in pieces])
        piece_of_doc, doc = np.repeat(np.arange(len(pieces)), sizes), positions_within(sizes)
        tokens = np.bincount(piece_of_doc, weights=kept, minlength=len(pieces)).astype(np.int64)
        at = (np.repeat(piece_of_doc, kept), positions_within(tokens))
        ids = np.zeros((self.height, width), np.int32)
        segment_ids = np.zeros((self.height, width), np.int32)
        ids[at], segment_ids[at] = flat, np.repeat(doc, kept)
        stacked = []
        for target in targets:
            padded = np.zeros((self.height, self.documents, *target.shape[1:]), target.dtype)
            padded[piece_of_doc, doc] = target[rows]
            stacked.append(padded)
        return (np.int32(len(pieces)), ids, segment_ids, *stacked)

    def _room(self, lengths, n_batches, epochs):
        """Ids of a piece: the room that costs least to train in, compiles included.

        A piece holds at most the mean tokens of a piece plus the longest document
        of its batch (:meth:`pieces`). So ``mean + L[j]``, ``L`` the lengths
        longest first, holds every piece but those of the ``j`` longest documents,
        which take a room ``2**k`` times wider, one more compile for each width.
        The room chosen costs fewest ids over the fit, ``_COMPILE_IDS`` a compile.
        """
        mean = lengths.sum() / (n_batches * self.replicas)
        longest = np.sort(lengths)[::-1][: min(n_batches, _MAX_WIDER + 1)]
        bounds = np.maximum(mean + longest, 1)  # of the pieces of each one's batch
        costs = []
        for j, room in enumerate(bounds):
            widths = room * 2 ** np.ceil(np.log2(bounds[:j] / room))
            ids = epochs * (len(self) * room + (widths - room).sum())
            costs.append(ids + _COMPILE_IDS * len(np.unique(widths[widths > room])))
        return max(64, int(-(-bounds[np.argmin(costs)] // 64) * 64))

    def stacks(self, epochs):
        """The stacks of ``epochs`` epochs, group after group of ``STEPS_PER_CALL`` batches.

        An error (a file that changed, a disk that is full) is kept in ``error``
        as it is raised: ``tf.data`` hands it on as an ``UnknownError`` of its
        own, which the trainer replaces with it.
        """
        try:
            for _ in range(epochs):
                offset = 0
                chunks = self.corpus.chunks()
                for (values, lengths), n_batches in zip(chunks, self.counts, strict=True):
                    pieces = self.pieces(lengths, n_batches)
                    if self.tokens is None:
                        self.tokens = self._room(lengths, n_batches, epochs)
                    targets = tuple(t[offset : offset + len(lengths)] for t in self.targets)
                    for start in range(0, len(pieces), self.height):
                        group = pieces[start : start + self.height]
                        yield from self._stacks(values, lengths, group, targets)
                    offset += len(lengths)
        except Exception as error:
            self.error = error
            raise


def stack_dataset(plan, epochs):
    """The stacks of ``epochs`` epochs as a ``tf.data.Dataset``, made ahead of training.

    The signature is given, not inferred, so stacks can have any width.
    """
    signature = (
        tf.TensorSpec([], tf.int32),
        tf.TensorSpec([plan.height, None], tf.int32),
        tf.TensorSpec([plan.height, None], tf.int32),
        *(
            tf.TensorSpec((plan.height, plan.documents, *t.shape[1:]), t.dtype)
            for t in plan.targets
        ),
    )
    dataset = tf.data.Dataset.from_generator(
        partial(plan.stacks, epochs), output_signature=signature
    )
    # no autotuning: its thread can hold up the end of fit for seconds
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(2).with_options(options)


def replica_dataset(plan, epochs, context):
    """This worker's pieces, ``((ids, segment_ids), *targets)``, of ``epochs`` epochs.

    ``context`` is the worker's ``tf.distribute.InputContext``; the pieces of
    each step are consecutive and of one shape, and the worker keeps those of
    its replicas.
    """
    dataset = stack_dataset(plan, epochs).flat_map(
        lambda rows, *stack: tf.data.Dataset.from_tensor_slices(tuple(x[:rows] for x in stack))
    )
    local = plan.replicas // context.num_input_pipelines
    first = context.input_pipeline_id * local
    dataset = dataset.batch(plan.replicas).flat_map(
        lambda *step: tf.data.Dataset.from_tensor_slices(
            tuple(x[first : first + local] for x in step)
        )
    )
    return dataset.map(lambda ids, segment_ids, *targets: ((ids, segment_ids), *targets))
