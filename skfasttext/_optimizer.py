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
    name : str, default="fasttext"
        Name of the optimizer.
    **kwargs
        Other arguments of :class:`keras.optimizers.Optimizer`.
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
