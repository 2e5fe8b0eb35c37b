"""The fastText network: Embedding(mask_zero) -> masked pooling -> [Dense tanh] -> head."""

import keras
import numpy as np

from .layers import SparseEmbedding, TokenDropout, pooling_layer

__all__ = ["build_model"]


def build_model(
    *,
    input_dim,
    dim=100,
    n_outputs=1,
    activation="softmax",
    pooling="mean",
    p=2.0,
    hidden_units=0,
    token_dropout=0.0,
    seed=None,
):
    """Build the (uncompiled) fastText-style Keras model.

    Parameters
    ----------
    input_dim : int
        Size of the id space; id 0 is padding.
    dim : int, default=100
        Size of word and document vectors.
    n_outputs : int, default=1
        Units of the output layer.
    activation : {'softmax', 'sigmoid', 'linear'}, default='softmax'
        Activation of the output layer.
    pooling : {'mean', 'max', 'lp'}, default='mean'
        Masked pooling over the words of a document.
    p : float, default=2.0
        Exponent of 'lp' pooling.
    hidden_units : int, default=0
        Units of a tanh hidden layer between pooling and output; 0 for none
        (fastText's single linear layer).
    token_dropout : float, default=0.0
        Rate of :class:`~skfasttext.layers.TokenDropout` on the input ids.
    seed : int or None, default=None
        Seed of the initial weights and of token dropout.

    Returns
    -------
    model : keras.Model
        Takes int ids of shape (batch, steps) and returns (batch, n_outputs).
        Its layers are named ``embedding``, ``pooling``, ``hidden`` (if any) and
        ``output``.

    Examples
    --------
    >>> import numpy as np
    >>> model = build_model(input_dim=10, dim=4, n_outputs=3)
    >>> model.predict(np.array([[2, 3, 0]]), verbose=0).shape
    (1, 3)
    """
    rng = np.random.default_rng(seed)  # one seed stream for every random part

    def draw():
        return None if seed is None else int(rng.integers(2**31 - 1))

    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = ids
    if token_dropout > 0:
        x = TokenDropout(token_dropout, seed=draw(), name="token_dropout")(x)
    # fastText's initialisation: uniform(-1/dim, 1/dim) word vectors, zero output layer
    x = SparseEmbedding(
        input_dim,
        dim,
        mask_zero=True,
        embeddings_initializer=keras.initializers.RandomUniform(-1.0 / dim, 1.0 / dim, seed=draw()),
        name="embedding",
    )(x)
    x = pooling_layer(pooling, p=p)(x)
    if hidden_units:
        x = keras.layers.Dense(
            hidden_units,
            activation="tanh",
            kernel_initializer=keras.initializers.GlorotUniform(seed=draw()),
            name="hidden",
        )(x)
    outputs = keras.layers.Dense(
        n_outputs, activation=activation, kernel_initializer="zeros", name="output"
    )(x)
    return keras.Model(ids, outputs, name="fasttext")
