"""The fastText network: Embedding(mask_zero) -> masked pooling -> [Dense tanh] -> head."""

import keras
import numpy as np

from .layers import SparseEmbedding, TokenDropout, pooling_layer

__all__ = ["build_model"]


def _set_rows(embedding, ids, vectors):
    """Overwrite rows ``ids`` of a built embedding layer with ``vectors``."""
    table = embedding.embeddings
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    vectors = np.asarray(vectors, dtype=table.dtype)
    if vectors.shape != (len(ids), table.shape[1]):
        raise ValueError(
            f"pretrained vectors must have shape ({len(ids)}, {table.shape[1]}) (one row of "
            f"dim={table.shape[1]} per id), got {vectors.shape}."
        )
    if len(ids) and not (ids.min() >= 1 and ids.max() < table.shape[0]):
        raise ValueError(
            f"pretrained ids must lie in [1, {table.shape[0]}) (0 is padding), got ids from "
            f"{ids.min()} to {ids.max()}."
        )
    if len(ids):
        table.assign(keras.ops.scatter_update(table.value, ids[:, None], vectors))


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
    pretrained=None,
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
    pretrained : tuple (ids, vectors) or None, default=None
        Initial vectors for some rows of the embedding: ``ids`` an int array of
        shape (n,), ``vectors`` an array of shape (n, dim). Those rows start
        from the given vectors, every other row from fastText's uniform
        initialisation (the same draws as without ``pretrained``). Row 0
        (padding) cannot be set.

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
    >>> model = build_model(input_dim=10, dim=2, pretrained=([3], [[0.5, -0.5]]))
    >>> model.get_layer("embedding").get_weights()[0][3]
    array([ 0.5, -0.5], dtype=float32)
    """
    rng = np.random.default_rng(seed)  # one seed stream for every random part

    def draw():
        return None if seed is None else int(rng.integers(2**31 - 1))

    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = ids
    if token_dropout > 0:
        x = TokenDropout(token_dropout, seed=draw(), name="token_dropout")(x)
    # fastText's initialisation: uniform(-1/dim, 1/dim) word vectors, zero output layer
    embedding = SparseEmbedding(
        input_dim,
        dim,
        mask_zero=True,
        embeddings_initializer=keras.initializers.RandomUniform(-1.0 / dim, 1.0 / dim, seed=draw()),
        name="embedding",
    )
    x = embedding(x)
    if pretrained is not None:
        _set_rows(embedding, *pretrained)
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
