"""The fastText network: Embedding(mask_zero) -> masked pooling -> [Dense tanh] -> head."""

import keras
import numpy as np

from ._pq import product_quantize
from .layers import (
    HierarchicalSoftmax,
    MaskedMeanPooling,
    MaskedSqrtNPooling,
    NegativeSampling,
    QuantizedDense,
    QuantizedEmbedding,
    SparseEmbedding,
    TokenDropout,
    _SampledOutput,
    pooling_layer,
)

__all__ = ["build_model", "flat_model", "quantized_model", "select_rows"]


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
    sampled=None,
    label_counts=None,
    neg=5,
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
    pooling : {'mean', 'sqrtn', 'max', 'lp'}, default='mean'
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
    sampled : {'hs', 'ns'} or None, default=None
        None: the output is a Dense layer of ``n_outputs`` units and
        ``activation``. 'hs': a :class:`~skfasttext.layers.HierarchicalSoftmax`
        over ``label_counts``; 'ns': a :class:`~skfasttext.layers.NegativeSampling`
        weighting its negatives as ``neg`` draws (``n_outputs`` and ``activation`` unused).
    label_counts : array-like of int or None, default=None
        With ``sampled``: the training documents of each label.
    neg : int, default=5
        With ``sampled='ns'``: weight of the negatives a document, in draws.

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
    if sampled == "hs":
        output = HierarchicalSoftmax(label_counts, name="output")
    elif sampled == "ns":
        output = NegativeSampling(label_counts, neg=neg, seed=draw(), name="output")
    else:
        output = keras.layers.Dense(
            n_outputs, activation=activation, kernel_initializer="zeros", name="output"
        )
    return keras.Model(ids, output(x), name="fasttext")


#: The poolings an embedding can do where its rows lie, and their combiner's name.
_FUSED = {MaskedMeanPooling: "mean", MaskedSqrtNPooling: "sqrtn"}


class _EmbeddingPool(keras.layers.Layer):
    """An embedding and mean (or sqrtn) pooling of flat batches in one step
    (:meth:`~skfasttext.layers.SparseEmbedding.segment_pool`)."""

    def __init__(self, embedding, combiner, **kwargs):
        super().__init__(**kwargs)
        self.embedding, self.combiner = embedding, combiner

    def call(self, ids, segment_ids, num_segments):
        return self.embedding.segment_pool(ids, segment_ids, num_segments, self.combiner)


def flat_model(model, documents, *, last="output", jit_compile=True, labels=False):
    """The layers of a :func:`~skfasttext.model.build_model` model on flat batches of documents.

    A flat batch holds its documents end to end, with no padding between them:
    ``ids`` of shape (tokens,) and ``segment_ids`` of shape (tokens,), the
    document (0 to ``documents - 1``) of each id; padding ids (0) may fill the
    end. Its shapes depend only on the numbers of tokens and documents, so XLA
    compiles a training step once for all batches of those sizes, and no time
    is spent on padding between documents. The layers, and so the weights, are
    ``model``'s: training this model trains ``model``.

    Parameters
    ----------
    model : keras.Model
        A model made by :func:`~skfasttext.model.build_model`.
    documents : int
        Number of documents in each batch.
    last : {'output', 'hidden', 'pooling'}, default='output'
        The layer whose output the model returns (``'pooling'``: document vectors).
    jit_compile : bool, default=True
        Whether the model will run compiled by XLA, as training steps do. If False,
        mean and sqrtn pooling sum the embedding's rows where they lie, with an op
        XLA cannot compile: the same result in about half the time on CPU.
    labels : bool, default=False
        For training: where the output layer is a sampled one
        (:class:`~skfasttext.layers.HierarchicalSoftmax`,
        :class:`~skfasttext.layers.NegativeSampling`), the model takes each
        document's class as a third input, ``labels`` of shape (documents,), and
        returns each document's loss, computed on the few rows of the output
        table it needs. Ignored for other outputs.

    Returns
    -------
    model : keras.Model
        Takes ``[ids, segment_ids]`` (and ``labels``) and returns
        (documents, n_outputs), or that layer's output (each document's loss).

    Examples
    --------
    >>> import numpy as np
    >>> model = build_model(input_dim=10, dim=4, n_outputs=3, seed=0)
    >>> flat = flat_model(model, documents=2)
    >>> ids, segment_ids = np.array([2, 3, 5, 0]), np.array([0, 0, 1, 1])
    >>> out = flat.predict([ids, segment_ids], verbose=0)
    >>> np.allclose(out, model.predict(np.array([[2, 3], [5, 0]]), verbose=0))
    True
    """
    ids = keras.Input(shape=(), dtype="int32", name="ids")
    segment_ids = keras.Input(shape=(), dtype="int32", name="segment_ids")
    documents = {"segment_ids": segment_ids, "num_segments": documents}
    x = ids
    names = [layer.name for layer in model.layers]
    if "token_dropout" in names:
        x = model.get_layer("token_dropout")(x, **documents)
    embedding, pooling = model.get_layer("embedding"), model.get_layer("pooling")
    combiner = _FUSED.get(type(pooling))
    if combiner and hasattr(embedding, "segment_pool") and not jit_compile:
        x = _EmbeddingPool(embedding, combiner)(x, **documents)
    else:
        # with two tensor arguments, Keras would not hand the pooling the embedding's mask
        mask = keras.ops.not_equal(x, 0)
        x = pooling(embedding(x), mask=mask, **documents)
    inputs = [ids, segment_ids]
    for name in ("hidden", "output")[: ("pooling", "hidden", "output").index(last)]:
        if name not in names:
            continue
        layer = model.get_layer(name)
        if labels and name == "output" and isinstance(layer, _SampledOutput):
            inputs.append(keras.Input(shape=(), dtype="int32", name="labels"))
            x = layer(x, labels=inputs[-1])
        else:
            x = layer(x)
    return keras.Model(inputs, x, name="fasttext_flat")


def _rebuilt(model, embedding, output=None):
    """A network as :func:`build_model` makes: copies of ``model``'s layers, ``embedding``
    (and ``output``) new. Copies, not the layers themselves: a layer serving two models
    gives the first one's tensors as its ``output``."""
    copies = {}

    def copy(name):
        layer = model.get_layer(name)
        copies[name] = type(layer).from_config(layer.get_config())
        return copies[name]

    names = [layer.name for layer in model.layers]
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = copy("token_dropout")(ids) if "token_dropout" in names else ids
    x = copy("pooling")(embedding(x))
    if "hidden" in names:
        x = copy("hidden")(x)
    outputs = (output or copy("output"))(x)
    for name, layer in copies.items():
        layer.set_weights(model.get_layer(name).get_weights())
    return keras.Model(ids, outputs, name="fasttext")


def select_rows(model, ids):
    """A network like ``model`` whose embedding holds only its rows ``ids``.

    Row ``ids[i]`` becomes row ``i``; the other layers are ``model``'s own (shared).

    Parameters
    ----------
    model : keras.Model
        A network made by :func:`~skfasttext.model.build_model`.
    ids : array-like of int of shape (n_rows,)
        The rows kept, in their new order; keep 0 first, the padding row.

    Returns
    -------
    model : keras.Model
        The network with ``n_rows`` embedding rows.

    Examples
    --------
    >>> import numpy as np
    >>> model = build_model(input_dim=10, dim=4, seed=0)
    >>> small = select_rows(model, [0, 1, 7])
    >>> table = small.get_layer("embedding").get_weights()[0]
    >>> table.shape, bool((table[2] == model.get_layer("embedding").get_weights()[0][7]).all())
    ((3, 4), True)
    """
    ids = np.asarray(ids, dtype=np.int64)
    old = model.get_layer("embedding")
    embedding = SparseEmbedding(len(ids), old.output_dim, mask_zero=True, name="embedding")
    embedding.build()
    embedding.embeddings.assign(old.rows(ids))
    return _rebuilt(model, embedding)


def _quantized_weights(rows, dsub, qnorm, seed):
    """Weights of a quantized table of ``rows``: codes, centroids (and norm codes and
    centroids: the rows quantized as unit vectors, their norms by a quantizer of their own)."""
    if not qnorm:
        return list(product_quantize(rows, dsub=dsub, seed=seed))
    norms = np.linalg.norm(rows, axis=1)
    units = rows / np.maximum(norms, np.finfo(np.float32).tiny)[:, None]
    codes, centroids = product_quantize(units, dsub=dsub, seed=seed)
    norm_codes, norm_centroids = product_quantize(norms[:, None], dsub=1, seed=seed)
    return [codes, centroids, norm_codes[:, 0], norm_centroids[0, :, 0]]


def quantized_model(model, *, dsub=2, qnorm=False, qout=False, seed=0):
    """``model`` with its embedding (and output layer) product-quantized, as fastText's.

    The embedding becomes a :class:`~skfasttext.layers.QuantizedEmbedding`: a row is
    ``ceil(dim / dsub)`` bytes (and one for its norm with ``qnorm``) instead of ``dim``
    floats. With ``qout`` the output layer's kernel becomes a
    :class:`~skfasttext.layers.QuantizedDense`, a unit's weights coded two values a
    byte (fastText's ``-qout``). The other layers are ``model``'s own (shared).

    Parameters
    ----------
    model : keras.Model
        A network made by :func:`~skfasttext.model.build_model` (or :func:`select_rows`).
    dsub : int, default=2
        Values a code, in the embedding's rows.
    qnorm : bool, default=False
        Quantize the norms of the rows apart from their directions.
    qout : bool, default=False
        Quantize the output layer's kernel too.
    seed : int, default=0
        Seed of the k-means.

    Returns
    -------
    model : keras.Model
        The quantized network, for prediction (its quantized layers are not trainable).

    Examples
    --------
    >>> import numpy as np
    >>> model = build_model(input_dim=300, dim=8, n_outputs=2, seed=0)
    >>> small = quantized_model(model, dsub=4, qnorm=True)
    >>> [w.shape for w in small.get_layer("embedding").get_weights()]
    [(300, 2), (2, 256, 4), (300,), (256,)]
    """
    old = model.get_layer("embedding")
    rows = old.rows(np.arange(old.input_dim))
    quantized = {"n_subquantizers": -(-rows.shape[1] // dsub), "norms": qnorm}
    embedding = QuantizedEmbedding(old.input_dim, rows.shape[1], **quantized, name="embedding")
    embedding.build()
    # the layer's slices: as many, of even width (a dsub above dim is one slice of dim)
    embedding.set_weights(_quantized_weights(rows, embedding.dsub, qnorm, seed))
    output = None
    if qout:
        dense = model.get_layer("output")
        kernel, bias = dense.get_weights()
        # fastText codes its output matrix two values a byte, whatever the embedding's dsub
        quantized = {"n_subquantizers": -(-kernel.shape[0] // 2), "norms": qnorm}
        activation = keras.activations.serialize(dense.activation)
        output = QuantizedDense(
            dense.units, kernel.shape[0], **quantized, activation=activation, name="output"
        )
        output.build()
        output.set_weights([*_quantized_weights(kernel.T, output.dsub, qnorm, seed), bias])
    return _rebuilt(model, embedding, output)
