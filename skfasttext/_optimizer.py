"""The optimizer of fastText's networks: fastText's sparse SGD below, Adam above."""

import keras
import tensorflow as tf
from keras import ops

__all__ = ["FastTextOptimizer"]


@keras.saving.register_keras_serializable(package="skfasttext")
class FastTextOptimizer(keras.optimizers.Optimizer):
    """fastText's SGD for the word vectors, Adam for the layers above them.

    The embedding table takes plain SGD steps of ``learning_rate`` per document
    on the rows a batch looked up (the loss is summed over the batch), exactly
    as fastText updates its input matrix. The small dense layers above it take
    Adam steps of ``head_learning_rate``, decaying with ``learning_rate``: Adam's
    steps are bounded whatever the batch size, number of classes or target
    scale, where summed SGD steps on these shared weights can overshoot
    (``docs/benchmarks.md`` has the figures, and those of the head's rate).

    Parameters
    ----------
    learning_rate : float or schedule
        The word vectors' rate per document (fastText's ``lr``), decaying.
    tables : list of str
        Paths of the embedding variables: they take the SGD steps.
    head_learning_rate : float, default=0.1
        Adam's rate for every other variable at the start; it decays with
        ``learning_rate``.
    sparse_tables : list of str, default=()
        Paths of head variables whose gradient is sparse (the output table of
        ``loss='hs'`` or ``'ns'``): Adam updates only the rows of a step's
        gradient and their moments ("lazy" Adam), so a step costs those rows,
        not the whole table.
    sparse_learning_rate : float or None, default=None
        Adam's rate for ``sparse_tables`` at the start, decaying with
        ``learning_rate``; None: ``head_learning_rate``.
    name : str, default="fasttext"
        Name of the optimizer.
    **kwargs
        Other arguments of :class:`keras.optimizers.Optimizer`.
    """

    def __init__(
        self,
        learning_rate,
        tables,
        head_learning_rate=0.1,
        sparse_tables=(),
        sparse_learning_rate=None,
        name="fasttext",
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.tables = list(tables)  # paths of the embedding variables
        self.head_learning_rate = head_learning_rate
        self.sparse_tables = list(sparse_tables)
        self.sparse_learning_rate = sparse_learning_rate
        schedule = learning_rate
        self.initial_learning_rate = getattr(schedule, "initial_learning_rate", schedule)

    def get_config(self):
        return {
            **super().get_config(),
            "tables": self.tables,
            "head_learning_rate": self.head_learning_rate,
            "sparse_tables": self.sparse_tables,
            "sparse_learning_rate": self.sparse_learning_rate,
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
        self.lazy = [var.path in self.sparse_tables for var in variables]

    def update_step(self, gradient, variable, learning_rate):
        learning_rate = ops.cast(learning_rate, variable.dtype)
        index = self._get_variable_index(variable)
        moments = self.moments[index]
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
        lazy = isinstance(gradient, tf.IndexedSlices) and self.lazy[index]
        start = self.head_learning_rate
        if lazy and self.sparse_learning_rate is not None:
            start = self.sparse_learning_rate
        rate = start * learning_rate / self.initial_learning_rate
        rate = rate * ops.sqrt(1.0 - ops.power(0.999, t)) / (1.0 - ops.power(0.9, t))
        if lazy:
            self._lazy_adam_step(gradient, variable, m, v, rate)
            return
        self.assign(m, 0.9 * m + 0.1 * gradient)
        self.assign(v, 0.999 * v + 0.001 * ops.square(gradient))
        self.assign_sub(variable, rate * m / (ops.sqrt(v) + 1e-7))

    def _lazy_adam_step(self, gradient, variable, m, v, rate):
        """Adam on the rows of a sparse gradient only, their moments too (lazy Adam).

        A row may come several times: the rows are sorted and each distinct
        row's gradients summed into a segment of its own (static shapes, for
        XLA), the unused segments masked out.
        """
        order = tf.argsort(gradient.indices)
        rows = tf.gather(gradient.indices, order)
        size = tf.shape(rows)[0]
        first = tf.concat([[True], tf.not_equal(rows[1:], rows[:-1])], axis=0)
        segments = tf.cumsum(tf.cast(first, tf.int32)) - 1
        summed = tf.math.unsorted_segment_sum(tf.gather(gradient.values, order), segments, size)
        distinct = tf.range(size) <= segments[-1]
        rows = tf.where(distinct, tf.math.unsorted_segment_max(rows, segments, size), 0)
        used = ops.cast(distinct, variable.dtype)[:, None]
        old_m, old_v = tf.gather(m.value, rows), tf.gather(v.value, rows)
        new_m = 0.9 * old_m + 0.1 * summed
        new_v = 0.999 * old_v + 0.001 * ops.square(summed)
        self.assign_add(m, tf.IndexedSlices((new_m - old_m) * used, rows))
        self.assign_add(v, tf.IndexedSlices((new_v - old_v) * used, rows))
        step = rate * new_m / (ops.sqrt(new_v) + 1e-7) * used
        self.assign_sub(variable, tf.IndexedSlices(step, rows))
