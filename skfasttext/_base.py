"""Shared estimator machinery: parameters, ids, batches, the fit loop, pickling."""

import os
import tempfile
import warnings
from contextlib import suppress
from functools import partial
from itertools import chain, count
from numbers import Integral, Real

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from sklearn.base import BaseEstimator, _fit_context, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from . import __version__
from .io import _is_number, iter_fasttext, read_word_vectors, write_word_vectors
from .model import build_model, flat_model
from .text import (
    PAD_ID,
    UNKNOWN_ID,
    TextVectorizer,
    check_documents,
    pad,
    positions_within,
    split_documents,
    token_chunks,
    truncate,
)

_STEPS_PER_CALL = 64  # training steps per graph call, in one XLA loop
_COMPILE_IDS = 20_000_000  # ids trained in the time XLA compiles a shape (0.4 s at 20 ns an id)
_MAX_WIDER = 256  # documents whose batches may take a wider room than the others
_DOCUMENTS_PER_UNIT = 4096  # head's Adam rate: 0.1/sqrt(output units), one per this many docs


def _is_id_matrix(X):
    return isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "iu"


def _check_id_matrix(X):
    if X.shape[0] == 0:
        raise ValueError("Found 0 documents: at least one document is required.")
    if X.size and X.min() < 0:
        raise ValueError(f"Ids must be non-negative (0 is padding); found {X.min()}.")


def _check_not_float_ids(X):
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "fcb":
        raise ValueError(
            "Expected a 1-d collection of documents or an id matrix of integers, got a 2-d "
            f"array of dtype {X.dtype}: cast whole ids with X.astype(np.int64)."
        )


def _check_input(X):
    """Validate X once: an id matrix or a file as is, documents as (docs, pretokenized)."""
    if isinstance(X, _FileCorpus):
        return X
    if _is_id_matrix(X):
        _check_id_matrix(X)
        return X
    _check_not_float_ids(X)
    return check_documents(X)


def _check_X_y(X, y):
    """Validated X (see :func:`_check_input`), after checking it has one document per target."""
    X = _check_input(X)
    n = len(X[0]) if isinstance(X, tuple) else len(X)
    if n != len(y):
        raise ValueError(f"X holds {n} documents but y holds {len(y)} targets.")
    return X


def _run_model(model, ids):
    return model(ids, training=False)


def _strip_padding(ids):
    """Padded id matrix -> ragged (values, lengths) without the padding ids."""
    present = ids != PAD_ID
    return ids[present].astype(np.int32), present.sum(axis=1).astype(np.int64)


def _gather_rows(values, lengths, rows):
    """Ids of documents ``rows`` of a ragged (values, lengths) pair, end to end."""
    starts = np.cumsum(lengths) - lengths
    kept = lengths[rows]
    return values[np.repeat(starts[rows], kept) + positions_within(kept)], kept


def _relative(weight):
    """Weights rescaled to average 1, in units of the largest first: no sum overflows."""
    largest = weight.max()
    if not largest > 0:
        raise ValueError(
            "Every document has weight 0 (its sample_weight times its class's class_weight): "
            "at least one document needs weight."
        )
    weight = weight / largest
    return weight * (len(weight) / weight.sum())


def _padded_batches(values, lengths, batch_size):
    """``(rows, ids)`` batches of ragged ids in order of length: little padding, for prediction."""
    order = np.argsort(lengths, kind="stable")
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        flat, kept = _gather_rows(values, lengths, rows)
        yield rows, pad(flat, kept, max(int(kept.max(initial=0)), 1))


class _Batches:
    """Training batches, epoch after epoch, as stacks of flat batches.

    A batch is ``batch_size`` documents drawn at random, end to end, with the
    document of each id (the inputs of :func:`~skfasttext.model.flat_model`).
    Each epoch, each chunk's documents are dealt into its batches stratified by
    length (:meth:`_pieces`), so every batch holds about as many tokens. Its ids
    are padded with zeros to ``tokens``: the mean tokens of the first chunk's
    batches plus its longest document, a bound no batch of that chunk exceeds,
    or plus a shorter length where that costs less (:meth:`_room`); a batch with
    more (one holding one of the longest documents, or of a later chunk) takes
    ``tokens * 2**k``. Its targets are
    padded to ``documents`` rows of zeros (empty documents of weight 0: the
    weights must be the last target). So XLA compiles the training step once per
    fit, as a rule, and no time goes to padding between documents.

    Batches travel in stacks of ``_STEPS_PER_CALL`` batches of one shape, one
    graph call's worth: ``(rows, ids, segment_ids, *targets)``, the first
    ``rows`` rows of each array real, the others zeros (so the stacks too have
    one shape).

    Under a ``tf.distribute`` strategy, each batch is ``pieces`` pieces, one per
    replica, of at most ``ceil(batch_size / pieces)`` documents each, all of one
    shape: the rows of a stack are pieces, and the batch is the global batch of
    one step.

    The documents come in chunks: all of them at once when they are in memory,
    a file's worth a chunk at a time otherwise (:class:`_FileCorpus`).

    Parameters
    ----------
    source : tuple (values, lengths) or _FileCorpus
        Ragged ids in memory, or a corpus that yields them chunk by chunk.
    batch_size : int
        Documents per batch.
    targets : tuple of ndarray
        Arrays with one row per document (targets, weights), in memory.
    seed : int or None
        Seed of the shuffling.
    pieces : int, default=1
        Replicas that share each batch.
    """

    def __init__(self, source, batch_size, targets=(), seed=None, pieces=1):
        if isinstance(source, tuple):
            self.chunks, sizes = (lambda: [source]), [len(source[1])]
        else:
            self.chunks, sizes = source.id_chunks, source.sizes
        self.counts = [-(-size // batch_size) for size in sizes]  # batches per chunk
        self.targets, self.pieces = targets, pieces
        self.documents = -(-batch_size // pieces)  # per piece
        self.height = _STEPS_PER_CALL * pieces  # pieces per stack
        self.tokens = None  # per piece, from the first chunk's lengths
        self.rng = np.random.default_rng(seed)
        self.error = None  # what stopped the stacks, if anything

    def __len__(self):
        return sum(self.counts)

    def _pieces(self, lengths, n_batches):
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
        return [batch[first :: self.pieces] for batch in batches for first in range(self.pieces)]

    def _stacks(self, values, lengths, pieces, targets):
        """A group's pieces as stacks of one shape (:meth:`_stack`), the longer steps last."""
        tokens = np.array([lengths[piece].sum() for piece in pieces])
        # a piece of t tokens needs tokens * 2**k of room; all pieces of a step get the same
        doubling = np.ceil(np.log2(np.maximum(tokens, 1) / self.tokens)).clip(0).astype(int)
        doubling = doubling.reshape(-1, self.pieces).max(axis=1)
        for k in np.unique(doubling):
            steps = np.flatnonzero(doubling == k)[:, None]
            of_shape = [pieces[i] for i in (steps * self.pieces + np.arange(self.pieces)).ravel()]
            yield self._stack(values, lengths, of_shape, self.tokens << k, targets)

    def _stack(self, values, lengths, pieces, width, targets):
        """``(rows, ids, segment_ids, *targets)``: pieces end to end, one a row, padded."""
        rows = np.concatenate(pieces)
        flat, kept = _gather_rows(values, lengths, rows)
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
        of its batch (:meth:`_pieces`). So ``mean + L[j]``, ``L`` the lengths
        longest first, holds every piece but those of the ``j`` longest documents,
        which take a room ``2**k`` times wider, one more compile for each width.
        The room chosen costs fewest ids over the fit, ``_COMPILE_IDS`` a compile.
        """
        mean = lengths.sum() / (n_batches * self.pieces)
        longest = np.sort(lengths)[::-1][: min(n_batches, _MAX_WIDER + 1)]
        bounds = np.maximum(mean + longest, 1)  # of the pieces of each one's batch
        costs = []
        for j, room in enumerate(bounds):
            widths = room * 2 ** np.ceil(np.log2(bounds[:j] / room))
            ids = epochs * (len(self) * room + (widths - room).sum())
            costs.append(ids + _COMPILE_IDS * len(np.unique(widths[widths > room])))
        return max(64, int(-(-bounds[np.argmin(costs)] // 64) * 64))

    def _epochs(self, epochs):
        """The stacks of ``epochs`` epochs, group after group of ``_STEPS_PER_CALL`` batches.

        An error (a file that changed, a disk that is full) is kept in ``error``
        as it is raised: ``tf.data`` hands it on as an ``UnknownError`` of its
        own, which :func:`_fit` replaces with it.
        """
        try:
            for _ in range(epochs):
                offset = 0
                for (values, lengths), n_batches in zip(self.chunks(), self.counts, strict=True):
                    pieces = self._pieces(lengths, n_batches)
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

    def stacks(self, epochs):
        """The stacks of ``epochs`` epochs as a ``tf.data.Dataset``, built ahead of training.

        The signature is given, not inferred, so stacks can have any width.
        """
        signature = (
            tf.TensorSpec([], tf.int32),
            tf.TensorSpec([self.height, None], tf.int32),
            tf.TensorSpec([self.height, None], tf.int32),
            *(
                tf.TensorSpec((self.height, self.documents, *t.shape[1:]), t.dtype)
                for t in self.targets
            ),
        )
        dataset = tf.data.Dataset.from_generator(
            partial(self._epochs, epochs), output_signature=signature
        )
        # no autotuning: its thread can hold up the end of fit for seconds
        options = tf.data.Options()
        options.autotune.enabled = False
        return dataset.prefetch(2).with_options(options)

    def pieces_of(self, epochs, context):
        """This worker's pieces, ``((ids, segment_ids), *targets)``, of ``epochs`` epochs.

        ``context`` is the worker's ``tf.distribute.InputContext``; the pieces
        of each step are consecutive and of one shape, and the worker keeps those
        of its replicas.
        """
        dataset = self.stacks(epochs).flat_map(
            lambda rows, *stack: tf.data.Dataset.from_tensor_slices(tuple(x[:rows] for x in stack))
        )
        local = self.pieces // context.num_input_pipelines
        first = context.input_pipeline_id * local
        dataset = dataset.batch(self.pieces).flat_map(
            lambda *step: tf.data.Dataset.from_tensor_slices(
                tuple(x[first : first + local] for x in step)
            )
        )
        return dataset.map(lambda ids, segment_ids, *targets: ((ids, segment_ids), *targets))


def _train_step(model, x, target, weight):
    """One optimizer step of ``model`` on a flat batch; its loss."""
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x=x, y=target, y_pred=y_pred, sample_weight=weight)
    variables = model.trainable_variables
    model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
    return loss


def _train_stack(model, rows, ids, segment_ids, *targets):
    """The first ``rows`` batches of a stack, one step each, in one loop; their summed loss."""

    def step(i, total):
        return i + 1, total + _train_step(model, (ids[i], segment_ids[i]), *(t[i] for t in targets))

    return tf.while_loop(lambda i, _: i < rows, step, (tf.constant(0), tf.constant(0.0)))[1]


def _summed_over_replicas(strategy, fn, args):
    """``fn(*args)`` run on every replica of ``strategy``, the results summed over them."""
    return strategy.reduce("SUM", strategy.run(fn, args=args), axis=None)


def _replicated_step(strategy, model, iterator):
    """One step on every replica's piece of the next batch; the batch's loss."""
    return _summed_over_replicas(strategy, partial(_train_step, model), next(iterator))


def _first_replica_seed(seed):
    """``seed`` on the first replica, 0 on the others."""
    first = tf.equal(tf.distribute.get_replica_context().replica_id_in_sync_group, 0)
    return tf.where(first, tf.constant(seed, tf.int64), tf.constant(0, tf.int64))


def _shared_seed(strategy, seed):
    """The first replica's ``seed``, on every worker of ``strategy``: they must shuffle alike.

    With ``random_state=None`` each worker draws its own seed; a fixed
    ``random_state`` gives every worker the same one, which comes back as is.
    """
    # in a graph (run eagerly, a multi-worker strategy warns of its overhead), of a partial
    share = tf.function(partial(_summed_over_replicas, strategy, _first_replica_seed, (seed,)))
    return int(share())


def _fit(model, batches, epochs, *, strategy, callbacks, verbose):
    """Train ``model`` (compiled) on ``batches`` for ``epochs``; return the History.

    Without a strategy, each graph call trains a stack of up to
    ``_STEPS_PER_CALL`` batches in one loop compiled by XLA: Keras's ``fit``
    calls a compiled step once a batch and reads each batch from ``tf.data``,
    which cost 4 times the step itself on CPU.

    Under a strategy (any, even one replica), each graph call is one step on
    every replica's piece of a batch (TensorFlow's custom loop): Keras 3's
    ``fit`` fails under a multi-worker strategy (it reduces the first batch as
    one nested value, then the scalar loss along axis 0: keras-team/keras#20585,
    tensorflow/tensorflow#72388), and with several steps in one loop the
    all-gathers of the sparse embedding gradients of successive steps mix (a
    collective "shape mismatch").

    Both call Keras's callbacks as ``fit`` does, once a graph call, and log the
    mean batch loss of the epoch so far.
    """
    model.optimizer.build(model.trainable_variables)  # no variable is made within a replica
    # graph functions of partials, not closures: TensorFlow counts traces per code object,
    # and fitting often would warn of "retracing" (as in _graph); no autograph, as in
    # Keras's own steps: nothing here branches on a tensor, and it took half the tracing
    if strategy is None:
        stacks = batches.stacks(epochs)
        train = tf.function(
            partial(_train_stack, model),
            input_signature=stacks.element_spec,
            jit_compile=True,
            autograph=False,
        )
        stacks = iter(stacks)

        def call():
            rows, *stack = next(stacks)
            return int(rows), train(rows, *stack)

    else:
        train = tf.function(partial(_replicated_step, strategy, model), autograph=False)
        # each worker reads all batches, and keeps its replicas' pieces of each
        pieces = strategy.distribute_datasets_from_function(partial(batches.pieces_of, epochs))
        pieces = iter(pieces)

        def call():
            return 1, train(pieces)

    history = keras.callbacks.History()
    callbacks = keras.callbacks.CallbackList(
        [*callbacks, history],
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=len(batches),
    )
    model.stop_training = False
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        steps, loss = 0, 0.0
        while steps < len(batches) and not model.stop_training:
            callbacks.on_train_batch_begin(steps)
            try:
                done, summed = call()
            except tf.errors.OpError:
                if batches.error is None:
                    raise
                raise batches.error from None
            steps, loss = steps + done, loss + float(summed)
            logs = {"loss": loss / steps}
            callbacks.on_train_batch_end(steps - 1, logs)
        callbacks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callbacks.on_train_end()
    return history


class _FileCorpus:
    """A fastText-format file read a chunk of documents at a time, never whole.

    :meth:`scan` reads it once, as fastText does, for the labels and the
    vocabulary, and keeps each chunk's words in a temporary directory (their
    indices among the words seen, 4 bytes a token, and with n-grams the tokens'
    fingerprints, 8 more). The first epoch turns each chunk's words into ids and
    keeps those in their place (4 bytes an id); later epochs read the ids back
    (:meth:`id_chunks`). Only the labels of all documents, and one chunk of
    texts, words or ids, are in memory at a time. Use as a context manager:
    leaving it deletes the directory. Where the disk refuses the words, each
    epoch reads the file again, with a warning.
    """

    def __init__(self, path, *, label_prefix, encoding, multi_label, chunk_size=100_000):
        self.path, self.label_prefix, self.encoding = path, label_prefix, encoding
        self.multi_label, self.chunk_size = multi_label, chunk_size
        self.sizes, self.vectorizer, self.id_of = [], None, None
        self.kept = False  # whether the words of every chunk are in the directory

    def __len__(self):
        return sum(self.sizes)

    def __enter__(self):
        self.directory = tempfile.TemporaryDirectory(prefix="skfasttext-")
        return self

    def __exit__(self, *exc_info):
        self.directory.cleanup()

    def _read(self):
        return iter_fasttext(
            self.path,
            chunk_size=self.chunk_size,
            label_prefix=self.label_prefix,
            multi_label=self.multi_label,
            encoding=self.encoding,
        )

    def scan(self, vectorizer):
        """Fit ``vectorizer`` on the file's texts and keep their words; return all labels."""
        labels, self.sizes, self.kept = [], [], True
        chunks = self._read()
        first = next(chunks, None)
        if first is None:
            raise ValueError(f"{self.path} holds no documents: at least one is required.")

        def tokens():
            for docs, chunk_labels in chain([first], chunks):
                labels.extend(chunk_labels)
                self.sizes.append(len(docs))
                yield split_documents(docs, False, eos=vectorizer.eos)  # one split a chunk

        chunk = count()

        def keep(*words):
            self.kept = self.kept and self._save(self._path(next(chunk), "words"), words)

        self.id_of = vectorizer._fit(tokens(), keep=keep)
        self.vectorizer = vectorizer
        return labels

    def id_chunks(self):
        """Ragged ``(values, lengths)`` ids of each chunk of the file, in order.

        Made from the words kept by :meth:`scan` and kept in their place the
        first time through, read back after that: reading and vectorizing the
        text cost more than training (4,000,000 documents: a first epoch of 52
        s against 14 s for the second when each epoch read the file).
        """
        if not self.kept:
            yield from self._ids_from_text()
            return
        for i in range(len(self.sizes)):
            ids, words = self._path(i, "ids"), self._path(i, "words")
            if os.path.exists(ids):
                yield self._load(ids)
                continue
            values, lengths = self.vectorizer._ids_of_words(self.id_of, *self._load(words))
            if self._save(ids, (values, lengths)):
                os.remove(words)
            yield values, lengths

    def _ids_from_text(self):
        """Each chunk's ids, read and vectorized again: the file must not have changed."""
        sizes = iter(self.sizes)
        for docs, _ in self._read():
            if len(docs) != next(sizes, None):
                raise self._changed()
            yield self.vectorizer._ids_of(docs, False)
        if next(sizes, None) is not None:
            raise self._changed()

    def _path(self, i, kind):
        """The file of chunk ``i``'s ``kind`` ('words' or 'ids') in the temporary directory."""
        return os.path.join(self.directory.name, f"{kind}-{i}.npy")

    @staticmethod
    def _load(path):
        """The arrays saved at ``path`` by :meth:`_save`, in order."""
        with open(path, "rb") as file:
            end = os.fstat(file.fileno()).st_size
            arrays = []
            while file.tell() < end:
                arrays.append(np.load(file))
            return arrays

    def _save(self, path, arrays):
        """Save ``arrays`` (None ones skipped) at ``path``; False, with a warning, where the
        disk refuses them (nothing is left at ``path`` then)."""
        try:
            with open(path, "wb") as file:
                for array in arrays:
                    if array is not None:
                        np.save(file, array)
        except OSError as error:
            with suppress(OSError):
                os.remove(path)
            warnings.warn(
                f"Could not keep what was read of {self.path} in {self.directory.name} "
                f"({error}): the fit goes on, reading or vectorizing it again each epoch, "
                "which is slower. Set TMPDIR to a disk with room for 12 bytes a token.",
                RuntimeWarning,
                stacklevel=2,
            )
            return False
        return True

    def _changed(self):
        return ValueError(
            f"{self.path} changed during the fit: it no longer holds the {len(self)} documents "
            "read for its vocabulary. Fit on a file that stays as it is."
        )


@keras.saving.register_keras_serializable(package="skfasttext")
class _FastTextOptimizer(keras.optimizers.Optimizer):
    """fastText's SGD for the word vectors, Adam for the layers above them.

    The embedding table takes plain SGD steps of ``learning_rate`` per document
    on the rows a batch looked up (the loss is summed over the batch), exactly
    as fastText updates its input matrix. The small dense layers above it take
    Adam steps of ``head_learning_rate``, decaying with ``learning_rate``: Adam's
    steps are bounded whatever the batch size, number of classes or target scale,
    where summed SGD steps on these shared weights can overshoot (measured at
    fastText's 5 epochs: accuracy 0.717 -> 0.765 on rotten_tomatoes, 0.859 ->
    0.872 on chinese_reviews, tate_year MAE 4.20 -> 3.73). The estimators give
    ``0.1 / sqrt(k)``, ``k`` the number of output units but at most one per
    4,096 training documents: with 69 age classes, 0.1 cost a point of accuracy
    on 300,000 documents (0.134 against 0.144, ``k=69``), where on 3,000 a
    smaller rate cost three (0.096 at ``0.1/sqrt(69)`` against 0.126, ``k=1``).
    """

    def __init__(self, learning_rate, tables, head_learning_rate=0.1, name="fasttext", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.tables = list(tables)  # paths of the embedding variables
        self.head_learning_rate = head_learning_rate
        schedule = learning_rate
        self.initial_learning_rate = getattr(schedule, "initial_learning_rate", schedule)

    def get_config(self):
        return {
            **super().get_config(),
            "tables": self.tables,
            "head_learning_rate": self.head_learning_rate,
        }

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.moments = [
            None
            if var.path in self.tables
            else (
                self.add_variable_from_reference(var, "m"),
                self.add_variable_from_reference(var, "v"),
            )
            for var in variables
        ]

    def update_step(self, gradient, variable, learning_rate):
        learning_rate = ops.cast(learning_rate, variable.dtype)
        moments = self.moments[self._get_variable_index(variable)]
        if moments is None:  # an embedding table: sparse SGD on the rows looked up
            if isinstance(gradient, tf.IndexedSlices):
                step = tf.IndexedSlices(
                    gradient.values * learning_rate, gradient.indices, gradient.dense_shape
                )
            else:
                step = gradient * learning_rate
            self.assign_sub(variable, step)
            return
        m, v = moments
        t = ops.cast(self.iterations + 1, variable.dtype)
        self.assign(m, 0.9 * m + 0.1 * gradient)
        self.assign(v, 0.999 * v + 0.001 * ops.square(gradient))
        rate = self.head_learning_rate * learning_rate / self.initial_learning_rate
        rate = rate * ops.sqrt(1.0 - ops.power(0.999, t)) / (1.0 - ops.power(0.9, t))
        self.assign_sub(variable, rate * m / (ops.sqrt(v) + 1e-7))


class _DivergenceGuard(keras.callbacks.Callback):
    """Stop at the first non-finite loss and put back the weights of the last good epoch.

    The snapshot is a TensorFlow copy of each weight: taking it shares the buffer,
    and the one real copy happens at the next update, so even a table of millions
    of rows costs one memory copy an epoch.
    """

    def on_train_begin(self, logs=None):
        self.diverged_in, self.epoch = None, 0
        self.snapshot = [tf.Variable(w.value, trainable=False) for w in self.model.weights]

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if not np.isfinite(logs.get("loss", 0.0)):
            self.diverged_in = self.epoch + 1
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.diverged_in is None:
            for saved, weight in zip(self.snapshot, self.model.weights, strict=True):
                saved.assign(weight.value)

    def on_train_end(self, logs=None):
        if self.diverged_in is not None:
            for saved, weight in zip(self.snapshot, self.model.weights, strict=True):
                weight.assign(saved)
        self.snapshot = None


def _read_pretrained(source):
    """``(words, vectors)`` from a ``pretrained_vectors`` value: .vec path, pair or fitted model."""
    if isinstance(source, (str, os.PathLike)):
        words, vectors = read_word_vectors(source)
    elif isinstance(source, tuple):
        if len(source) != 2:
            raise ValueError(
                f"pretrained_vectors as a tuple must be (words, vectors), got {len(source)} items."
            )
        words, vectors = source
    else:
        try:
            check_is_fitted(source)
        except NotFittedError:
            raise ValueError(
                f"pretrained_vectors is an unfitted {type(source).__name__}: fit it first. "
                "(clone() and grid search unfit an estimator parameter: pass "
                "model.get_word_vectors() or sklearn.frozen.FrozenEstimator(model) instead.)"
            ) from None
        words, vectors = source.get_word_vectors()
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise ValueError(
            f"pretrained_vectors: expected vectors of shape (n_words, dim) with one row per "
            f"word ({len(words)} words), got shape {vectors.shape}."
        )
    if not np.isfinite(vectors).all():
        raise ValueError("pretrained_vectors holds NaN or infinite values.")
    return words, vectors


class _BaseFastText(BaseEstimator):
    """Parameters, input handling, training and persistence shared by the estimators."""

    _parameter_constraints: dict = {
        "dim": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "epoch": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "word_ngrams": [Interval(Integral, 1, None, closed="left")],
        "bucket": [Interval(Integral, 1, None, closed="left")],
        "max_len": [Interval(Integral, 1, None, closed="left"), None],
        "eos": ["boolean"],
        "pooling": [StrOptions({"mean", "max", "lp"})],
        "p": [Interval(Real, 1, None, closed="left")],
        "hidden_units": [Interval(Integral, 0, None, closed="left")],
        "token_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "pretrained_vectors": [str, os.PathLike, tuple, HasMethods(["get_word_vectors"]), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        dim,
        lr,
        epoch,
        min_count,
        word_ngrams,
        bucket,
        max_len,
        eos,
        pooling,
        p,
        hidden_units,
        token_dropout,
        batch_size,
        pretrained_vectors,
        random_state,
        verbose,
    ):
        self.dim = dim
        self.lr = lr
        self.epoch = epoch
        self.min_count = min_count
        self.word_ngrams = word_ngrams
        self.bucket = bucket
        self.max_len = max_len
        self.eos = eos
        self.pooling = pooling
        self.p = p
        self.hidden_units = hidden_units
        self.token_dropout = token_dropout
        self.batch_size = batch_size
        self.pretrained_vectors = pretrained_vectors
        self.random_state = random_state
        self.verbose = verbose

    # -- input: documents or an id matrix, one path to ragged ids ------------------

    def _new_vectorizer(self):
        return TextVectorizer(
            min_count=self.min_count,
            word_ngrams=self.word_ngrams,
            bucket=self.bucket,
            max_len=self.max_len,
            eos=self.eos,
        )

    def _fit_ids(self, X):
        """Fit the vectorizer on checked documents (or read an id matrix); return ragged ids.

        A :class:`_FileCorpus` already scanned comes back as is: its chunks are
        read and turned into ids epoch after epoch.
        """
        if isinstance(X, _FileCorpus):
            self.vectorizer_ = X.vectorizer
        elif isinstance(X, np.ndarray):
            self.vectorizer_ = None
            self.input_dim_ = max(int(X.max()) + 1, UNKNOWN_ID + 1)
            return truncate(*_strip_padding(X), self.max_len)
        else:
            self.vectorizer_ = self._new_vectorizer()
            X = self.vectorizer_._fit_ragged(token_chunks(*X, eos=self.eos))
        self.input_dim_ = self.vectorizer_.input_dim_
        return X

    def _ids(self, X):
        """Ragged ids of documents or an id matrix, for a fitted estimator."""
        if not _is_id_matrix(X):
            _check_not_float_ids(X)
            if self.vectorizer_ is None:
                raise TypeError(
                    f"{type(self).__name__} was fitted on an id matrix: pass a 2-d integer "
                    "array of ids, not documents."
                )
            return self.vectorizer_.transform_ragged(X)
        _check_id_matrix(X)
        values, lengths = _strip_padding(X)
        # ids never seen in fit (e.g. new n-gram buckets) are read as the unknown word
        values[values >= self.input_dim_] = UNKNOWN_ID
        return truncate(values, lengths, self.max_len)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_file(self, path, *, label_prefix="__label__", encoding="utf-8"):
        """Fit on a fastText-format file, read a chunk of documents at a time.

        For corpora larger than memory, as ``fasttext.train_supervised(input=path)``:
        the file is read once, 100,000 documents at a time, for its labels and
        vocabulary, its words kept in a temporary directory (4 bytes a token, 12
        with n-grams; deleted at the end of the fit; set ``TMPDIR`` to choose
        where), turned into ids in the first epoch and read back as ids in the
        later ones. Only the labels and one chunk of texts, words or ids are in
        memory at once. Training is :meth:`fit`'s, except
        that documents are shuffled within each chunk rather than across the
        whole file (fastText does not shuffle at all); a file shorter than one
        chunk trains exactly as :meth:`fit` on its documents.

        Parameters
        ----------
        path : str or path-like
            A file of lines ``__label__<y> tok tok ...`` (see
            :func:`~skfasttext.io.iter_fasttext`). For a classifier, a line may
            hold several labels (multi-label); for a regressor, each line holds
            one numeric label.
        label_prefix : str, default="__label__"
            Tokens starting with this prefix are labels.
        encoding : str, default="utf-8"
            Encoding of the file.

        Returns
        -------
        self : object
            The fitted estimator.

        Examples
        --------
        >>> import os, tempfile
        >>> from skfasttext import FastTextClassifier
        >>> from skfasttext.io import write_fasttext
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "train.txt")
        ...     write_fasttext(path, docs, ["old", "old", "young", "young"] * 10)
        ...     clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit_file(path)
        >>> clf.predict(["tea opera", "anime"]).tolist()
        ['old', 'young']
        """
        classifier = is_classifier(self)
        with _FileCorpus(
            path, label_prefix=label_prefix, encoding=encoding, multi_label=classifier
        ) as corpus:
            labels = corpus.scan(self._new_vectorizer())
            if classifier and all(len(labels_) == 1 for labels_ in labels):
                labels = [labels_[0] for labels_ in labels]  # single-label
            elif not classifier and not all(map(_is_number, labels)):
                bad = next(label for label in labels if not _is_number(label))
                raise ValueError(
                    f"{path}: a regression needs numeric labels, got {label_prefix}{bad}."
                )
            return self._fit(corpus, labels, None)

    # -- training -----------------------------------------------------------------

    def _seed(self):
        """Seed for this fit, drawn from ``random_state``."""
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        rng = np.random.default_rng(None if self.random_state is None else self.random_state)
        return int(rng.integers(2**31 - 1))

    def _sample_weight(self, sample_weight, n):
        if sample_weight is None:
            return np.ones(n)
        weight = _check_sample_weight(
            sample_weight, np.empty((n, 0)), dtype=np.float64, ensure_non_negative=True
        )
        return _relative(weight)

    def _pretrained_rows(self):
        """``(ids, vectors)`` of the embedding rows ``pretrained_vectors`` covers, or None.

        Sets ``n_pretrained_``, the number of vocabulary words covered. A pretrained
        ``'<unk>'`` sets the unknown-word row and is not counted; a word given twice
        takes its first vector.
        """
        self.n_pretrained_ = 0
        if self.pretrained_vectors is None:
            return None
        if self.vectorizer_ is None:
            raise ValueError(
                "pretrained_vectors needs words, but this fit got an id matrix (no "
                "vectorizer): fit on documents, or leave pretrained_vectors=None."
            )
        words, vectors = _read_pretrained(self.pretrained_vectors)
        if vectors.shape[1] != self.dim:
            raise ValueError(
                f"pretrained_vectors have dim={vectors.shape[1]} but the estimator has "
                f"dim={self.dim}: set dim={vectors.shape[1]} to use them."
            )
        find = self.vectorizer_.vocabulary_.get
        ids = np.fromiter(
            (find(word, UNKNOWN_ID if word == "<unk>" else -1) for word in words),
            dtype=np.int64,
            count=len(words),
        )
        ids, first = np.unique(ids, return_index=True)  # first vector of each id
        covered = ids >= UNKNOWN_ID
        ids, vectors = ids[covered], vectors[first[covered]]
        self.n_pretrained_ = int(np.count_nonzero(ids > UNKNOWN_ID))
        return ids, vectors

    def _train(self, ids, targets, weight, *, n_outputs, activation, loss):
        """Build, compile and fit ``model_`` on ragged ids.

        Document weights are relative: rescaled to average 1, so that ``lr``
        keeps its meaning (weights of 1e6 would otherwise multiply every step).

        Inside a ``tf.distribute`` strategy's scope, the model is built (its
        variables mirrored) and trained across the strategy's replicas, each
        batch of ``batch_size_`` documents shared among them; the default
        strategy, outside any scope, is no strategy.
        """
        weight = _relative(weight).astype(np.float32)
        pretrained = self._pretrained_rows()
        strategy = tf.distribute.get_strategy() if tf.distribute.has_strategy() else None
        seed = self._seed() if strategy is None else _shared_seed(strategy, self._seed())
        self.model_ = build_model(
            input_dim=self.input_dim_,
            dim=self.dim,
            n_outputs=n_outputs,
            activation=activation,
            pooling=self.pooling,
            p=self.p,
            hidden_units=self.hidden_units,
            token_dropout=self.token_dropout,
            seed=seed,
            pretrained=pretrained,
        )
        self.batch_size_ = self.batch_size
        if self.batch_size == "auto":  # more documents, larger batches: as many steps, faster
            self.batch_size_ = int(np.clip(len(weight) // 1024, 32, 256))
        replicas = 1 if strategy is None else strategy.num_replicas_in_sync
        batches = _Batches(
            ids, self.batch_size_, targets=(targets, weight), seed=seed, pieces=replicas
        )
        # the model's layers on flat batches: XLA compiles its training step once
        trainer = flat_model(self.model_, batches.documents)
        # fastText's schedule: the learning rate decays linearly to zero
        schedule = keras.optimizers.schedules.PolynomialDecay(
            self.lr, decay_steps=self.epoch * len(batches), end_learning_rate=0.0
        )
        # output units counted for the head's rate: at most one per _DOCUMENTS_PER_UNIT
        units = np.clip(len(weight) / _DOCUMENTS_PER_UNIT, 1, n_outputs)
        trainer.compile(
            optimizer=_FastTextOptimizer(
                schedule,
                tables=[self.model_.get_layer("embedding").embeddings.path],
                head_learning_rate=0.1 / np.sqrt(units),
            ),
            loss=loss,
        )
        guard = _DivergenceGuard()
        history = _fit(
            trainer,
            batches,
            self.epoch,
            strategy=strategy,
            callbacks=[guard],
            verbose=self.verbose,
        )
        self.history_ = history.history
        self.n_iter_ = len(self.history_.get("loss", ()))
        self._graphs = {}
        if guard.diverged_in is not None:
            raise FloatingPointError(
                f"Training diverged in epoch {guard.diverged_in} (the loss became NaN or "
                f"infinite). Lower lr (it was {self.lr}) or batch_size (it was "
                f"{self.batch_size_}). model_ keeps the weights of the last good epoch."
            )

    # -- prediction ---------------------------------------------------------------

    def _forward(self, X, layer):
        """Outputs of the layer named ``layer`` for X, in the order of X."""
        check_is_fitted(self)
        forward = self._graph(layer)
        batches = list(_padded_batches(*self._ids(X), 1024))
        out = np.concatenate([forward(ids).numpy() for _, ids in batches])
        result = np.empty_like(out)
        result[np.concatenate([rows for rows, _ in batches])] = out
        return result

    def _graph(self, layer):
        """Compiled function from a batch of ids of any shape to the output of ``layer``.

        Traced once: Keras's predict functions retrace for each new batch width,
        and ``predict()`` alone takes tens of milliseconds to set up (the whole
        latency of one document). Eager calls cost 1.6x more on 50,000 documents.
        """
        graphs = self.__dict__.setdefault("_graphs", {})
        if layer not in graphs:
            model = keras.Model(self.model_.inputs, self.model_.get_layer(layer).output)
            # a partial, not a closure: TensorFlow counts traces per code object and
            # would warn of "retracing" once a few estimators have each traced theirs
            graphs[layer] = tf.function(
                partial(_run_model, model),
                input_signature=[tf.TensorSpec([None, None], tf.int32)],
                autograph=False,
            )
        return graphs[layer]

    def _decision(self, X):
        return self._forward(X, "output")

    def transform(self, X):
        """Document embeddings: the pooled word vectors of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.

        Returns
        -------
        embeddings : ndarray of shape (n_documents, dim)
            One vector per document: the output of the pooling layer. With
            ``eos=False``, a document with no token pools to zeros.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.transform(["opera tea", "game"]).shape
        (2, 8)
        """
        return self._forward(X, "pooling")

    # -- word vectors -------------------------------------------------------------

    @property
    def embedding_(self):
        """ndarray of shape (``input_dim_``, dim): the vector of every id (row 0: padding).

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.embedding_.shape == (clf.input_dim_, 8)
        True
        """
        check_is_fitted(self)
        return keras.ops.convert_to_numpy(self.model_.get_layer("embedding").embeddings)

    def _vocabulary(self):
        """``vocabulary_`` of the fitted vectorizer (word -> id); AttributeError without one."""
        check_is_fitted(self)
        if self.vectorizer_ is None:
            raise AttributeError(
                "This model was fitted on ids, so it has no words: read embedding_ and "
                "the vocabulary of the TextVectorizer that made the ids."
            )
        return self.vectorizer_.vocabulary_

    def _embedding_rows(self, start, stop):
        """Rows ``start:stop`` of the embedding, without copying the n-gram buckets."""
        table = self.model_.get_layer("embedding").embeddings
        rows = keras.ops.slice(table, (start, 0), (stop - start, table.shape[1]))
        return keras.ops.convert_to_numpy(rows)

    def get_word_vectors(self):
        """The vocabulary with its word vectors.

        Returns
        -------
        words : ndarray of str of shape (n_words,)
            ``'<unk>'`` first (the vector of every unknown word), then the
            vocabulary, most frequent first.
        vectors : ndarray of shape (n_words, dim)
            The word vectors, one row per word.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> words, vectors = clf.get_word_vectors()
        >>> words.tolist(), vectors.shape
        (['<unk>', '</s>', 'game', 'opera', 'anime', 'old', 'tea'], (7, 8))
        """
        self._vocabulary()
        words = self.vectorizer_.get_feature_names_out()[UNKNOWN_ID:]
        return words, self._embedding_rows(UNKNOWN_ID, UNKNOWN_ID + len(words))

    def get_word_vector(self, word):
        """The vector of one word.

        Parameters
        ----------
        word : str
            A word (a token, as the vectorizer splits documents).

        Returns
        -------
        vector : ndarray of shape (dim,)
            The word's vector. A word not in the vocabulary (never seen in
            ``fit``, rarer than ``min_count``, or holding whitespace) gets the
            unknown-word vector, ``'<unk>'`` of :meth:`get_word_vectors`: the
            vector the model itself uses for such a word. (fastText gives a
            supervised model's unseen word a zero vector instead.)

        See Also
        --------
        get_word_vectors : The whole vocabulary at once.
        most_similar : The nearest words to a word or a vector.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.get_word_vector("opera").shape
        (8,)
        >>> unknown = clf.get_word_vectors()[1][0]
        >>> bool((clf.get_word_vector("never-seen") == unknown).all())
        True
        """
        vocabulary = self._vocabulary()
        if not isinstance(word, str):
            raise TypeError(f"word must be a str, got {type(word).__name__}.")
        i = vocabulary.get(word, UNKNOWN_ID)
        return self._embedding_rows(i, i + 1)[0]

    def most_similar(self, word_or_vector, k=10):
        """The ``k`` words of the vocabulary nearest to a word or a vector, by cosine.

        Parameters
        ----------
        word_or_vector : str or array-like of shape (dim,)
            A word (its vector from :meth:`get_word_vector`; an unknown word
            uses the unknown-word vector) or a vector.
        k : int, default=10
            Number of neighbours; fewer when the vocabulary is smaller.

        Returns
        -------
        neighbours : list of (str, float)
            Words with their cosine similarity to the query, most similar
            first. The query word itself and ``'<unk>'`` are left out. A word
            whose vector is all zeros has similarity 0.

        See Also
        --------
        get_word_vector : The vector of one word.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> sorted(word for word, _ in clf.most_similar("opera", k=2))
        ['old', 'tea']
        >>> word, similarity = clf.most_similar(clf.get_word_vector("game"), k=1)[0]
        >>> word, round(similarity, 3)
        ('game', 1.0)
        """
        vocabulary = self._vocabulary()
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        words, vectors = self.get_word_vectors()  # row i is id UNKNOWN_ID + i
        exclude = None
        if isinstance(word_or_vector, str):
            i = vocabulary.get(word_or_vector, UNKNOWN_ID) - UNKNOWN_ID
            query, exclude = vectors[i], (i - 1 if i else None)
        else:
            query = np.asarray(word_or_vector, dtype=np.float32)
            if query.shape != (self.dim,) or not np.isfinite(query).all():
                raise ValueError(
                    f"Expected a word or a finite vector of shape ({self.dim},), got "
                    f"{type(word_or_vector).__name__} of shape {query.shape}."
                )
        words, vectors = words[1:], vectors[1:]  # the vocabulary, without '<unk>'
        query_norm = np.linalg.norm(query)
        if query_norm == 0:
            raise ValueError("The query vector is all zeros: it has no cosine similarity.")
        norms = np.linalg.norm(vectors, axis=1)
        similarity = (vectors @ query) / (np.where(norms > 0, norms, 1.0) * query_norm)
        if exclude is not None:
            similarity[exclude] = -np.inf
        k = min(k, len(words) - (exclude is not None))
        if k <= 0:
            return []
        top = np.argpartition(-similarity, k - 1)[:k]
        top = top[np.argsort(-similarity[top], kind="stable")]
        return [(words[i], float(similarity[i])) for i in top]

    def save_word_vectors(self, path, *, precision=6):
        """Write the word vectors in fastText's ``.vec`` text format.

        The first line is ``"<n_words> <dim>"``, then ``"<word> <v1> ... <v_dim>"``
        for ``'<unk>'`` (the unknown-word vector) and each vocabulary word,
        most frequent first: the words and vectors of :meth:`get_word_vectors`.
        The file is written atomically.

        Parameters
        ----------
        path : str or path-like
            The ``.vec`` file to write.
        precision : int, default=6
            Significant digits per value (9 reproduce float32 exactly).

        See Also
        --------
        skfasttext.io.read_word_vectors : Read the file back.

        Examples
        --------
        >>> import os, tempfile
        >>> from skfasttext import FastTextClassifier
        >>> from skfasttext.io import read_word_vectors
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     clf.save_word_vectors(os.path.join(tmp, "model.vec"))
        ...     words, vectors = read_word_vectors(os.path.join(tmp, "model.vec"))
        >>> words[:3], vectors.shape
        (['<unk>', '</s>', 'game'], (7, 8))
        """
        words, vectors = self.get_word_vectors()
        write_word_vectors(path, words, vectors, precision=precision)

    # -- scikit-learn protocol and persistence -------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_graphs", None)  # compiled functions: rebuilt on demand
        if "model_" in state:
            model = state.pop("model_")
            state["_model_state"] = {
                "config": keras.saving.serialize_keras_object(model),
                "weights": model.get_weights(),
            }
        state["_skfasttext_version"] = __version__
        return state

    def __setstate__(self, state):
        version = state.pop("_skfasttext_version", "unknown")
        if version.split(".")[:2] != __version__.split(".")[:2]:
            raise ValueError(
                f"This {type(self).__name__} was saved by skfasttext {version}, which this "
                f"skfasttext {__version__} cannot read: install skfasttext {version} to "
                "load it, or fit the model again."
            )
        saved = state.pop("_model_state", None)
        self.__dict__.update(state)
        if saved is not None:
            self.model_ = keras.saving.deserialize_keras_object(saved["config"])
            self.model_.set_weights(saved["weights"])
