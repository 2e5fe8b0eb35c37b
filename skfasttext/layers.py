"""Masked global pooling layers and token dropout, registered with Keras."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

__all__ = [
    "SparseEmbedding",
    "MaskedMeanPooling",
    "MaskedMaxPooling",
    "MaskedLpPooling",
    "TokenDropout",
    "POOLINGS",
    "pooling_layer",
]

_PACKAGE = "skfasttext"


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SparseEmbedding(keras.layers.Embedding):
    """``keras.layers.Embedding`` whose training steps touch only the rows looked up.

    Keras's own Embedding reads the whole table as a tensor and gathers from
    it; TensorFlow then copies the whole table at each update, because the read
    still holds it (measured: 64 ms a step for 2,000,000 rows of 100 floats,
    against 1.6 ms here). This layer looks rows up in place
    (``tf.nn.embedding_lookup`` on the variable), so a step costs what its
    batch's words cost, as in fastText. Masking and saving are Embedding's.

    Parameters
    ----------
    input_dim : int
        Number of rows (ids).
    output_dim : int
        Size of each row.
    **kwargs
        Any other argument of ``keras.layers.Embedding`` (``mask_zero``,
        ``embeddings_initializer``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> layer = SparseEmbedding(10, 2, mask_zero=True)
    >>> layer(np.array([[3, 0]])).shape
    TensorShape([1, 2, 2])
    """

    def __init__(self, input_dim, output_dim, **kwargs):
        super().__init__(input_dim, output_dim, **kwargs)

    def call(self, inputs):
        if inputs.dtype not in (tf.int32, tf.int64):
            inputs = ops.cast(inputs, "int32")
        return tf.nn.embedding_lookup(self.embeddings.value, inputs)


class _MaskedGlobalPooling(keras.layers.Layer):
    """Base of the masked poolings: (batch, steps, features) -> (batch, features).

    The mask (from ``Embedding(mask_zero=True)``) marks the steps that hold a
    token. Masked steps never enter the result, and a row with no unmasked step
    pools to a vector of zeros. The mask stops here. Without a mask every step
    counts.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
        return self._pool(inputs, ops.cast(mask, "bool"))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedMeanPooling(_MaskedGlobalPooling):
    """Mean of the unmasked steps; zeros for a row with none.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1.0], [3.0], [100.0]]])
    >>> MaskedMeanPooling()(x, mask=np.array([[True, True, False]])).numpy()
    array([[2.]], dtype=float32)
    """

    def _pool(self, x, mask):
        weights = ops.cast(mask, x.dtype)[:, :, None]
        count = ops.maximum(ops.sum(weights, axis=1), 1.0)
        return ops.sum(x * weights, axis=1) / count


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedMaxPooling(_MaskedGlobalPooling):
    """Feature-wise maximum over the unmasked steps; zeros for a row with none.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[-1.0], [-3.0], [100.0]]])
    >>> MaskedMaxPooling()(x, mask=np.array([[True, True, False]])).numpy()
    array([[-1.]], dtype=float32)
    """

    def _pool(self, x, mask):
        lowest = np.finfo(keras.backend.standardize_dtype(x.dtype)).min
        pooled = ops.max(ops.where(mask[:, :, None], x, lowest), axis=1)
        return ops.where(ops.any(mask, axis=1)[:, None], pooled, ops.zeros_like(pooled))


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedLpPooling(_MaskedGlobalPooling):
    """Power mean of absolute values over the unmasked steps: ``(mean |x|^p)^(1/p)``.

    ``p = 1`` is the mean of absolute values, large ``p`` tends to the maximum of
    absolute values. It is computed as ``a * (mean (|x|/a)^p)^(1/p)`` with ``a``
    the largest ``|x|`` of the row, so no power ever exceeds 1 and large ``p``
    (10, 50, ...) cannot overflow. Rows with no unmasked step, or only zeros,
    pool to zeros with zero gradient.

    Parameters
    ----------
    p : float, default=2.0
        Exponent, at least 1.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[3.0], [-4.0], [100.0]]])
    >>> MaskedLpPooling(p=2.0)(x, mask=np.array([[True, True, False]])).numpy().round(4)
    array([[3.5355]], dtype=float32)
    """

    def __init__(self, p=2.0, **kwargs):
        super().__init__(**kwargs)
        if not p >= 1.0:
            raise ValueError(f"MaskedLpPooling needs p >= 1, got p={p!r}.")
        self.p = float(p)

    def _pool(self, x, mask):
        weights = ops.cast(mask, x.dtype)[:, :, None]
        magnitude = ops.abs(x) * weights
        # the row maximum is a constant factor of the exact result: no gradient needed
        scale = ops.stop_gradient(ops.max(magnitude, axis=1, keepdims=True))
        # floor at the smallest normal float, not higher: a row of tiny values (below
        # 1e-30, say) would otherwise be divided by more than its maximum and underflow
        scale = ops.maximum(scale, np.finfo(keras.backend.standardize_dtype(x.dtype)).tiny)
        count = ops.maximum(ops.sum(weights, axis=1), 1.0)
        power_mean = ops.sum((magnitude / scale) ** self.p, axis=1) / count
        positive = power_mean > 0
        safe = ops.where(positive, power_mean, ops.ones_like(power_mean))
        pooled = scale[:, 0, :] * safe ** (1.0 / self.p)
        return ops.where(positive, pooled, ops.zeros_like(pooled))

    def get_config(self):
        return {**super().get_config(), "p": self.p}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class TokenDropout(keras.layers.Layer):
    """Drop token ids (set them to padding, 0) at random during training.

    Each non-padding id is dropped with probability ``rate``, but a document
    never loses all of its tokens: the token with the highest draw is always
    kept, so no row becomes empty. Padding stays padding. Does nothing at
    inference. Place it before ``Embedding(mask_zero=True)``.

    Parameters
    ----------
    rate : float
        Probability of dropping each token, in [0, 1).
    seed : int or None, default=None
        Seed of the random draws.

    Examples
    --------
    >>> import numpy as np
    >>> ids = np.array([[5, 6, 7, 0]], dtype="int32")
    >>> TokenDropout(0.5)(ids, training=False).numpy()
    array([[5, 6, 7, 0]], dtype=int32)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"TokenDropout needs 0 <= rate < 1, got rate={rate!r}.")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        draws = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        present = ops.not_equal(inputs, 0)
        draws = ops.where(present, draws, -1.0)
        best = ops.max(draws, axis=1, keepdims=True)
        keep = ops.logical_and(present, ops.logical_or(draws >= self.rate, draws >= best))
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


#: The masked pooling layer class of each ``pooling`` name.
POOLINGS = {"mean": MaskedMeanPooling, "max": MaskedMaxPooling, "lp": MaskedLpPooling}


def pooling_layer(pooling, p=2.0, name="pooling"):
    """Return the masked pooling layer named ``pooling`` ('mean', 'max' or 'lp').

    Parameters
    ----------
    pooling : {'mean', 'max', 'lp'}
        Which pooling.
    p : float, default=2.0
        Exponent of 'lp' pooling; ignored by the others.
    name : str, default='pooling'
        Name of the layer.

    Returns
    -------
    layer : keras.layers.Layer
        A new :class:`MaskedMeanPooling`, :class:`MaskedMaxPooling` or
        :class:`MaskedLpPooling`.

    Examples
    --------
    >>> from skfasttext.layers import pooling_layer
    >>> layer = pooling_layer("lp", p=3.0)
    >>> type(layer).__name__, layer.p, layer.name
    ('MaskedLpPooling', 3.0, 'pooling')
    """
    if pooling == "lp":
        return MaskedLpPooling(p=p, name=name)
    return POOLINGS[pooling](name=name)
