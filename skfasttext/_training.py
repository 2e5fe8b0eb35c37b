"""The training engine: a Trainer whose every step is a method, and its best-epoch keeper.

``Trainer.fit -> fit_loop -> run_epoch -> graph call -> train_stack -> train_step``, as
skorch draws its loop: a subclass can replace any step. The loop is our own, not
Keras's ``Model.fit``: one graph call trains a whole stack of batches in an XLA loop
(Keras's ``steps_per_execution`` idea), and under a ``tf.distribute`` strategy each
call is one step on every replica (``docs/design.md`` tells why).
"""

from functools import partial

import keras
import numpy as np
import tensorflow as tf

from ._batching import BatchPlan, replica_dataset, stack_dataset
from ._optimizer import FastTextOptimizer
from .layers import NegativeSampling, _SampledOutput
from .model import flat_model

__all__ = ["BestEpoch", "LinearDecay", "Trainer", "current_strategy", "shared_seed"]

_DOCUMENTS_PER_UNIT = 4096  # head's Adam rate: 0.1/sqrt(output units), one per this many docs
# Adam's rate of negative sampling's rows: the best measured on 3,000 labels
# (docs/benchmarks.md, "Many labels"); hs keeps the head's, its best there
_NS_RATE = 0.1


def current_strategy():
    """The ``tf.distribute`` strategy whose scope we are in, or None outside any."""
    return tf.distribute.get_strategy() if tf.distribute.has_strategy() else None


def _summed_over_replicas(strategy, fn, args):
    """``fn(*args)`` run on every replica of ``strategy``, the results summed over them."""
    return strategy.reduce("SUM", strategy.run(fn, args=args), axis=None)


def _first_replica_seed(seed):
    """``seed`` on the first replica, 0 on the others."""
    first = tf.equal(tf.distribute.get_replica_context().replica_id_in_sync_group, 0)
    return tf.where(first, tf.constant(seed, tf.int64), tf.constant(0, tf.int64))


def shared_seed(strategy, seed):
    """The first replica's ``seed`` on every worker of ``strategy`` (they must shuffle
    alike); ``seed`` itself without a strategy.

    With ``random_state=None`` each worker draws its own seed; a fixed
    ``random_state`` gives every worker the same one, which comes back as is.
    """
    if strategy is None:
        return seed
    # in a graph (run eagerly, a multi-worker strategy warns of its overhead), of a partial
    share = tf.function(partial(_summed_over_replicas, strategy, _first_replica_seed, (seed,)))
    return int(share())


@keras.saving.register_keras_serializable(package="skfasttext")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """fastText's rate: linear from ``initial_learning_rate`` to 0 over ``decay_steps``,
    whose end :meth:`anneal` can bring forward.

    The segment (its start, its rate there, its length) lives in variables: the traced
    train step reads them, so the callbacks can change it between graph calls.
    """

    def __init__(self, initial_learning_rate, decay_steps):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        variable = partial(tf.Variable, trainable=False, dtype=tf.float32)
        # the segment: its first step, the rate there and its steps to 0
        self.start, self.top = variable(0.0), variable(initial_learning_rate)
        self.span = variable(decay_steps)

    def __call__(self, step):
        done = tf.minimum(tf.cast(step, tf.float32) - self.start, self.span)
        return self.top * (1.0 - done / self.span)

    def anneal(self, step, steps):
        """From ``step`` on, fall linearly from the rate there to 0 over ``steps`` steps."""
        self.top.assign(self(step))
        self.start.assign(float(step))
        self.span.assign(float(steps))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
        }


class BestEpoch(keras.callbacks.Callback):
    """Keep the weights of the best epoch so far; stop when training goes wrong or stalls.

    Training stops at the first non-finite loss (``diverged_in``: its epoch). With
    ``score`` (a function of no argument, higher is better, called at each epoch's
    end and logged as ``val_score``) it also stops once ``n_iter_no_change``
    epochs in a row have not beaten the best score by ``tol``: scikit-learn's
    early stopping. With ``anneal`` (a function of no argument) it calls it there
    and trains one epoch more before stopping (``annealed_in``: that epoch): a
    rate that falls to 0 over it settles the weights, as the end of a full fit's
    decay does. At the end the model gets back the best epoch's weights (the
    annealed one a candidate): that of the best score, or without a score the
    last one whose loss stayed finite.

    The snapshot is a TensorFlow copy of each weight: taking it shares the buffer,
    and the one real copy happens at the next update, so even a table of millions
    of rows costs one memory copy an epoch.
    """

    def __init__(self, score=None, *, n_iter_no_change=5, tol=1e-4, anneal=None):
        super().__init__()
        self.score, self.n_iter_no_change, self.tol = score, n_iter_no_change, tol
        self.anneal = anneal

    def on_train_begin(self, logs=None):
        self.diverged_in, self.epoch, self.best_epoch = None, 0, None
        self.best_score, self.no_change, self.annealed_in = -np.inf, 0, None
        self.snapshot = [tf.Variable(w.value, trainable=False) for w in self.model.weights]

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if not np.isfinite(logs.get("loss", 0.0)):
            self.diverged_in = self.epoch + 1
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.diverged_in is not None:
            return
        if self.score is not None:
            score = logs["val_score"] = float(self.score())
            self.no_change = 0 if score > self.best_score + self.tol else self.no_change + 1
            if self.annealed_in is not None:
                self.model.stop_training = True
            elif self.no_change >= self.n_iter_no_change:
                if self.anneal is None:
                    self.model.stop_training = True
                else:  # the next epoch, the last, anneals
                    self.anneal()
                    self.annealed_in = epoch + 2
            if not score > self.best_score:
                return
            self.best_score = score
        self.best_epoch = epoch
        for saved, weight in zip(self.snapshot, self.model.weights, strict=True):
            saved.assign(weight.value)

    def on_train_end(self, logs=None):
        if self.best_epoch != self.epoch or self.diverged_in is not None:
            for saved, weight in zip(self.snapshot, self.model.weights, strict=True):
                weight.assign(saved)
        self.snapshot = None


class Trainer:
    """Trains a :func:`~skfasttext.model.build_model` network on a corpus of ids.

    Parameters
    ----------
    epochs : int
        Passes over the corpus.
    lr : float
        The word vectors' learning rate per document, decaying linearly to zero
        over the fit (fastText's schedule).
    batch_size : int
        Documents per step.
    loss : keras.losses.Loss
        Summed over a batch's documents: each takes its own SGD step, as in fastText.
    verbose : int, default=0
        0 silent, 1 a progress bar per epoch, 2 one line per epoch.
    train_head : bool, default=True
        Train the layers after the embedding too; False trains the word vectors
        alone (``quantize``'s retraining, as fastText's ``-retrain``).
    n_iter_no_change : int, default=5
        With a validation score (:meth:`fit`'s ``score``): epochs without
        improvement by ``tol`` after which the rate falls to 0 over one more
        epoch (with ``decay``; at once without), and training stops.
    tol : float, default=1e-4
        Least gain of the validation score that counts as an improvement.
    decay : bool, default=True
        Decay the rates linearly to zero over the fit (fastText's schedule);
        False keeps them constant (``partial_fit``: the fit's length is unknown).

    Attributes
    ----------
    strategy : tf.distribute.Strategy or None
        The strategy whose scope :meth:`fit` was called in, if any: training runs
        across its replicas, each batch shared among them.
    history : keras.callbacks.History
        The mean batch loss of each epoch, after :meth:`fit`.
    compiled_optimizer : FastTextOptimizer
        The optimizer the fit trained with; a next :meth:`fit` of this trainer goes
        on with it (its Adam moments, a constant rate: ``partial_fit``).
    best : BestEpoch
        Whether, and in which epoch, the loss stopped being finite, and the best epoch.
    schedule : LinearDecay or None
        The word vectors' rate with ``decay``, which early stopping anneals; None
        (a constant rate): early stopping stops at the stall.
    """

    def __init__(
        self,
        *,
        epochs,
        lr,
        batch_size,
        loss,
        verbose=0,
        train_head=True,
        n_iter_no_change=5,
        tol=1e-4,
        decay=True,
    ):
        self.epochs, self.lr, self.batch_size, self.loss = epochs, lr, batch_size, loss
        self.verbose, self.train_head = verbose, train_head
        self.n_iter_no_change, self.tol = n_iter_no_change, tol
        self.decay, self.compiled_optimizer, self.schedule = decay, None, None
        # the compiled flat model, its traced step and its batches' room, kept for a next
        # fit of this trainer (partial_fit's next call): trace and compilations serve again
        self.flat = self.documents = self.step = self.room = None

    def fit(self, model, corpus, targets, *, seed, score=None):
        """Train ``model`` on ``corpus`` and ``targets`` (arrays of a row per document,
        the documents' weights last), shuffled by ``seed``; return the History.

        With ``score`` (a function of no argument: the model's validation score,
        higher is better), training stops early when the score stalls, and
        ``model`` keeps the weights of the epoch of the best score.

        Raises FloatingPointError where the loss stopped being finite: ``model``
        then holds the weights of the last good epoch.
        """
        self.strategy = current_strategy()
        replicas = 1 if self.strategy is None else self.strategy.num_replicas_in_sync
        plan = BatchPlan(
            corpus, self.batch_size, targets, seed=seed, replicas=replicas, tokens=self.room
        )
        if self.flat is None or self.documents != plan.documents:
            # the model's layers on flat batches: XLA compiles its training step once; a
            # sampled output (hs, ns) reads each document's label and gives its loss
            self.flat = flat_model(model, plan.documents, labels=True)
            self.documents, self.step = plan.documents, None
            if self.compiled_optimizer is None:
                self.compiled_optimizer = self.optimizer(model, len(plan), len(corpus))
            self.flat.compile(optimizer=self.compiled_optimizer, loss=self.loss)
        # a stall anneals: the rate falls to 0 over one more epoch (a decaying rate's only)
        anneal = None if self.schedule is None else partial(self.anneal, len(plan))
        self.best = BestEpoch(
            score, n_iter_no_change=self.n_iter_no_change, tol=self.tol, anneal=anneal
        )
        self.history = self.fit_loop(self.flat, plan, callbacks=[self.best])
        self.room = plan.tokens
        if self.best.diverged_in is not None:
            raise FloatingPointError(
                f"Training diverged in epoch {self.best.diverged_in} (the loss became NaN or "
                f"infinite). Lower lr (it was {self.lr}) or batch_size (it was "
                f"{self.batch_size}). model_ keeps the weights of the last good epoch."
            )
        return self.history

    def optimizer(self, model, steps_per_epoch, n_documents):
        """fastText's SGD for the embedding, decaying linearly to zero; Adam for the head
        at ``0.1 / sqrt(k)``, ``k`` its output units but at most one per 4,096 documents.

        A sampled output's table (``loss='hs'``, ``'ns'``) takes Adam's steps on the rows
        of its sparse gradient only (lazy Adam): a step costs those rows, not the table.
        Negative sampling's rows take 0.1, a binary classifier's rate: each row is a
        sigmoid of its own, stepped only when its documents or draws touch it."""
        self.schedule = LinearDecay(self.lr, self.epochs * steps_per_epoch) if self.decay else None
        units = np.clip(n_documents / _DOCUMENTS_PER_UNIT, 1, model.outputs[0].shape[-1])
        output = model.get_layer("output")
        sparse = [output.kernel.path] if isinstance(output, _SampledOutput) else []
        head_rate = 0.1 / np.sqrt(units) if self.train_head else 0.0
        sparse_rate = _NS_RATE if isinstance(output, NegativeSampling) else None
        return FastTextOptimizer(
            self.schedule or self.lr,
            tables=[model.get_layer("embedding").embeddings.path],
            sparse_tables=sparse,
            sparse_learning_rate=sparse_rate if self.train_head else None,
            head_learning_rate=head_rate,
        )

    def anneal(self, steps):
        """Make the rate fall from where it is to 0 over the next ``steps`` steps."""
        self.schedule.anneal(int(self.compiled_optimizer.iterations.numpy()), steps)

    def fit_loop(self, model, plan, callbacks=()):
        """Train the compiled flat ``model`` on the batches of ``plan``; return the History.

        Keras's callbacks are called as ``fit`` calls them, once a graph call,
        and log the mean batch loss of the epoch so far.
        """
        model.optimizer.build(model.trainable_variables)  # no variable is made within a replica
        call = self.graph_call(model, plan)
        history = keras.callbacks.History()
        callbacks = keras.callbacks.CallbackList(
            [*callbacks, history],
            add_progbar=self.verbose != 0,
            model=model,
            verbose=self.verbose,
            epochs=self.epochs,
            steps=len(plan),
        )
        model.stop_training = False
        callbacks.on_train_begin()
        for epoch in range(self.epochs):
            callbacks.on_epoch_begin(epoch)
            logs = self.run_epoch(model, plan, call, callbacks)
            callbacks.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
        callbacks.on_train_end()
        return history

    def run_epoch(self, model, plan, call, callbacks):
        """One epoch of graph calls; the logs of its end."""
        steps, loss, logs = 0, 0.0, {}
        while steps < len(plan) and not model.stop_training:
            callbacks.on_train_batch_begin(steps)
            try:
                done, summed = call()
            except tf.errors.OpError:
                if plan.error is None:
                    raise
                raise plan.error from None  # what stopped the batches, not tf.data's wrapper
            steps, loss = steps + done, loss + float(summed)
            logs = {"loss": loss / steps}
            callbacks.on_train_batch_end(steps - 1, logs)
        return logs

    def graph_call(self, model, plan):
        """A function that trains the next graph call's steps: ``(steps, summed loss)``.

        Without a strategy, a call trains a stack of up to ``STEPS_PER_CALL``
        batches in one loop compiled by XLA. Under one (any, even of one replica),
        a call is one step on every replica's piece of a batch: Keras 3's ``fit``
        fails under a multi-worker strategy (keras-team/keras#20585,
        tensorflow/tensorflow#72388), and with several steps in one loop the
        all-gathers of the sparse embedding gradients of successive steps mix (a
        collective "shape mismatch").
        """
        # graph functions of partials, not of methods or closures: TensorFlow counts traces
        # per code object and would warn of "retracing" when fitting often; no autograph:
        # nothing here branches on a tensor, and it took half the tracing
        if self.strategy is None:
            stacks = stack_dataset(plan, self.epochs)
            if self.step is None:  # kept for a next fit of this trainer (partial_fit)
                self.step = tf.function(
                    partial(self.train_stack, model),
                    input_signature=stacks.element_spec,
                    jit_compile=True,
                    autograph=False,
                )
            train, stacks = self.step, iter(stacks)

            def call():
                rows, *stack = next(stacks)
                return int(rows), train(rows, *stack)

            return call
        # each worker reads all batches, and keeps its replicas' pieces of each
        pieces = self.strategy.distribute_datasets_from_function(
            partial(replica_dataset, plan, self.epochs)
        )
        train = tf.function(partial(self.replicated_step, model), autograph=False)
        pieces = iter(pieces)
        return lambda: (1, train(pieces))

    def train_stack(self, model, rows, ids, segment_ids, *targets):
        """The first ``rows`` batches of a stack, one step each, in one loop; their summed loss."""

        def step(i, total):
            x = (ids[i], segment_ids[i])
            return i + 1, total + self.train_step(model, x, *(t[i] for t in targets))

        return tf.while_loop(lambda i, _: i < rows, step, (tf.constant(0), tf.constant(0.0)))[1]

    def replicated_step(self, model, iterator):
        """One step on every replica's piece of the next batch; the batch's loss."""
        step = partial(self.train_step, model)
        return _summed_over_replicas(self.strategy, step, next(iterator))

    def train_step(self, model, x, target, weight):
        """One optimizer step of ``model`` on a flat batch; its loss."""
        if len(model.inputs) > len(x):  # a sampled output layer reads the labels
            x = (*x, target)
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
            loss = model.compute_loss(x=x, y=target, y_pred=y_pred, sample_weight=weight)
        variables = model.trainable_variables
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss
