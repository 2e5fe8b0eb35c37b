"""Masked global pooling layers and token dropout, registered with Keras.

Each works on padded documents (rows of a batch, with a mask) and on flat ones
(documents end to end, with the document of each token: ``segment_ids``).
"""

from typing import NamedTuple

import keras
import numpy as np
import tensorflow as tf
from keras import ops

__all__ = [
    "SparseEmbedding",
    "QuantizedEmbedding",
    "QuantizedDense",
    "MaskedMeanPooling",
    "MaskedSqrtNPooling",
    "MaskedMaxPooling",
    "MaskedLpPooling",
    "TokenDropout",
    "HierarchicalSoftmax",
    "NegativeSampling",
    "HuffmanTree",
    "huffman_tree",
    "POOLINGS",
    "pooling_layer",
]

_PACKAGE = "skfasttext"


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SparseEmbedding(keras.layers.Embedding):
    """``keras.layers.Embedding`` whose training steps touch only the rows looked up.

    Keras's own Embedding reads the whole table as a tensor and gathers from
    it; TensorFlow then copies the whole table at each update, because the read
    still holds it: with millions of n-gram rows the copy costs far more than
    the step. This layer looks rows up in place (``tf.nn.embedding_lookup`` on
    the variable), so a step costs what its batch's words cost, as in fastText.
    Masking and saving are Embedding's.

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

    def rows(self, ids):
        """The vectors of ``ids`` (an int array of shape (n,)), as an ndarray (n, output_dim)."""
        # a gather from the variable itself: reading it whole would copy every row
        return tf.nn.embedding_lookup(self.embeddings.value, np.asarray(ids, "int64")).numpy()

    def segment_pool(self, ids, segment_ids, num_segments, combiner="mean"):
        """Mean (or sum over the root of the count) of the rows of ``ids`` in each of
        ``num_segments`` segments, without padding.

        The rows are summed where they lie, never gathered into a (tokens, dim)
        tensor first: on CPU half the time of a lookup and a segment sum. A segment
        with no id gives zeros. TensorFlow's op has no XLA kernel, so compiled
        training steps look rows up and pool them apart.
        """
        ids = ops.cast(ids, "int32")
        if self.mask_zero:
            present = ops.not_equal(ids, 0)
            ids, segment_ids = tf.boolean_mask(ids, present), tf.boolean_mask(segment_ids, present)
        pool = {"mean": tf.sparse.segment_mean, "sqrtn": tf.sparse.segment_sqrt_n}[combiner]
        return pool(self.embeddings.value, ids, segment_ids, num_segments=num_segments)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class QuantizedEmbedding(keras.layers.Layer):
    """An embedding stored as product-quantization codes, decoded row by row as looked up.

    Each row is ``n_subquantizers`` one-byte codes, each the index of one of
    ``n_centroids`` centroids of a slice of the row (fastText's ``quantize``); with
    ``norms``, the row is that direction times a norm, itself stored as a code. A
    lookup decodes only the rows it reads: the table is never expanded whole.
    Not trainable. Masking is Embedding's (``mask_zero``: id 0 is padding).

    Parameters
    ----------
    input_dim, output_dim : int
        The table's rows (ids) and the size of each row, as an ``Embedding``'s.
    n_subquantizers : int
        Codes a row: the row's slices, of ``ceil(output_dim / n_subquantizers)``
        values (the last may be shorter).
    n_centroids : int, default=256
        Centroids a slice (at most 256: a code is one byte).
    norms : bool, default=False
        Whether each row also has a norm code (rows quantized as unit vectors).
    mask_zero : bool, default=True
        Whether id 0 is padding, masked.

    Examples
    --------
    >>> import numpy as np
    >>> layer = QuantizedEmbedding(3, 4, n_subquantizers=2, n_centroids=2)
    >>> codes = np.array([[0, 0], [1, 0], [1, 1]], dtype="uint8")
    >>> centroids = np.array([[[0, 0], [1, 2]], [[0, 0], [3, 4]]], dtype="float32")
    >>> layer.build()
    >>> layer.set_weights([codes, centroids])
    >>> layer(np.array([[2, 1]])).numpy()
    array([[[1., 2., 3., 4.],
            [1., 2., 0., 0.]]], dtype=float32)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        *,
        n_subquantizers,
        n_centroids=256,
        norms=False,
        mask_zero=True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not 1 <= n_centroids <= 256:
            raise ValueError(f"n_centroids must lie in [1, 256], got {n_centroids!r}.")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.n_subquantizers, self.n_centroids = int(n_subquantizers), int(n_centroids)
        self.norms, self.mask_zero = bool(norms), bool(mask_zero)
        self.dsub = -(-self.output_dim // self.n_subquantizers)
        self.trainable = False

    def build(self, input_shape=None):
        m, k = self.n_subquantizers, self.n_centroids
        self.codes = self.add_weight(
            shape=(self.input_dim, m), dtype="uint8", initializer="zeros", name="codes"
        )
        self.centroids = self.add_weight(
            shape=(m, k, self.dsub), initializer="zeros", name="centroids"
        )
        if self.norms:
            self.norm_codes = self.add_weight(
                shape=(self.input_dim,), dtype="uint8", initializer="zeros", name="norm_codes"
            )
            self.norm_centroids = self.add_weight(
                shape=(k,), initializer="zeros", name="norm_centroids"
            )
        self.built = True

    def call(self, inputs):
        return self._decode(inputs)

    def _decode(self, ids):
        """The rows of ``ids``, decoded: shape ``ids.shape + (output_dim,)``."""
        ids = ops.cast(ids, "int32")
        codes = ops.cast(ops.take(self.codes, ids, axis=0), "int32")  # (..., m)
        # one table of every slice's centroids: code c of slice j is row j * k + c
        index = codes + self.n_centroids * ops.arange(self.n_subquantizers, dtype="int32")
        table = ops.reshape(self.centroids, (-1, self.dsub))
        slices = ops.take(table, index, axis=0)  # (..., m, dsub)
        vectors = ops.reshape(slices, (*ops.shape(ids), self.n_subquantizers * self.dsub))
        vectors = vectors[..., : self.output_dim]
        if self.norms:
            norm_codes = ops.cast(ops.take(self.norm_codes, ids, axis=0), "int32")
            vectors = vectors * ops.take(self.norm_centroids, norm_codes, axis=0)[..., None]
        return vectors

    def rows(self, ids):
        """The decoded vectors of ``ids`` (int array of shape (n,)): ndarray (n, output_dim)."""
        # _decode, not call: QuantizedDense inherits this method, and its call multiplies
        return ops.convert_to_numpy(self._decode(np.asarray(ids, "int32")))

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "n_subquantizers": self.n_subquantizers,
            "n_centroids": self.n_centroids,
            "norms": self.norms,
            "mask_zero": self.mask_zero,
        }


@keras.saving.register_keras_serializable(package=_PACKAGE)
class QuantizedDense(QuantizedEmbedding):
    """A dense layer whose kernel is stored as product-quantization codes (fastText's ``-qout``).

    Each output unit's weight vector (a column of the kernel, a label's row of
    fastText's output matrix) is a row of a :class:`QuantizedEmbedding`, decoded at
    each call; the bias stays in floats. Its weights are the embedding's, then the bias.

    Parameters
    ----------
    units : int
        Output units.
    input_dim : int
        Size of the input vectors.
    n_subquantizers : int
        Codes a unit's weight vector (see :class:`QuantizedEmbedding`).
    n_centroids : int, default=256
        Centroids a slice.
    norms : bool, default=False
        Whether each unit's weight vector also has a norm code.
    activation : str, default='linear'
        Activation of the output.

    Examples
    --------
    >>> import numpy as np
    >>> layer = QuantizedDense(2, 2, n_subquantizers=1, n_centroids=2)
    >>> layer.build()
    >>> codes, centroids = np.array([[0], [1]], "uint8"), np.array([[[1, 0], [0, 2]]], "float32")
    >>> layer.set_weights([codes, centroids, np.array([0.5, 0.0], "float32")])
    >>> layer(np.array([[3.0, 4.0]])).numpy()
    array([[3.5, 8. ]], dtype=float32)
    """

    def __init__(
        self,
        units,
        input_dim,
        *,
        n_subquantizers,
        n_centroids=256,
        norms=False,
        activation="linear",
        **kwargs,
    ):
        # the embedding's rows are the units, its row size the input's
        super().__init__(
            units,
            input_dim,
            n_subquantizers=n_subquantizers,
            n_centroids=n_centroids,
            norms=norms,
            mask_zero=False,
            **kwargs,
        )
        self.activation = keras.activations.get(activation)

    def build(self, input_shape=None):
        super().build()
        self.bias = self.add_weight(shape=(self.input_dim,), initializer="zeros", name="bias")

    def call(self, inputs):
        kernel = self._decode(ops.arange(self.input_dim, dtype="int32"))  # (units, input size)
        return self.activation(ops.matmul(inputs, ops.transpose(kernel)) + self.bias)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.input_dim)

    def get_config(self):
        config = super().get_config()
        del config["mask_zero"]
        config["units"], config["input_dim"] = config.pop("input_dim"), config.pop("output_dim")
        return {**config, "activation": keras.activations.serialize(self.activation)}


def _rows_as_segments(mask):
    """Segment ids of a padded layout: each step belongs to its row; ``num_segments`` rows."""
    shape = ops.shape(mask)
    rows = ops.broadcast_to(ops.arange(shape[0], dtype="int32")[:, None], shape)
    return ops.reshape(rows, (-1,)), shape[0]


class _MaskedGlobalPooling(keras.layers.Layer):
    """Base of the masked poolings: the vectors of each document -> one vector.

    Two layouts of the same documents:

    * padded (the model's): ``inputs`` of shape (batch, steps, features), a
      document a row, and ``mask`` (from ``Embedding(mask_zero=True)``) of
      shape (batch, steps) marking the steps that hold a token. Returns
      (batch, features).
    * flat (training batches): ``inputs`` of shape (tokens, features), the
      documents end to end, ``segment_ids`` of shape (tokens,) the document of
      each token, among ``num_segments``. Returns (num_segments, features).

    Both pool the same way, by segment: masked steps never enter the result,
    and a document with no unmasked step pools to a vector of zeros. The mask
    stops here. Without a mask every step counts.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None, segment_ids=None, num_segments=None):
        if segment_ids is None:  # padded: one segment a row
            if mask is None:
                mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
            segment_ids, num_segments = _rows_as_segments(mask)
            inputs = ops.reshape(inputs, (-1, ops.shape(inputs)[-1]))
            mask = ops.reshape(mask, (-1,))
        elif mask is None:
            mask = ops.ones(ops.shape(segment_ids), dtype="bool")
        # masked steps go to one more segment, dropped at the end
        segment_ids = ops.where(ops.cast(mask, "bool"), segment_ids, num_segments)
        count = ops.segment_sum(
            ops.cast(mask, inputs.dtype), segment_ids, num_segments + 1, sorted=False
        )
        pooled = self._pool(inputs, segment_ids, num_segments + 1, count[:, None])
        return pooled[:num_segments]

    def _pool(self, x, segment_ids, num_segments, count):
        """Rows ``x`` (tokens, features) pooled into ``num_segments`` rows by ``segment_ids``.

        ``count`` (num_segments, 1) holds each segment's number of tokens; a
        segment with none must pool to zeros.
        """
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


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

    def _pool(self, x, segment_ids, num_segments, count):
        total = ops.segment_sum(x, segment_ids, num_segments, sorted=False)
        return total / ops.maximum(count, 1.0)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedSqrtNPooling(_MaskedGlobalPooling):
    """Sum of the unmasked steps over the square root of their number; zeros for a row
    with none.

    The document vector of TF-IDF's L2 normalisation without the idf: words
    pulling apart add up to a vector of about one word's length whatever the
    document's length, where the mean shrinks long documents toward zero.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1.0], [3.0], [100.0]]])
    >>> MaskedSqrtNPooling()(x, mask=np.array([[True, True, False]])).numpy().round(4)
    array([[2.8284]], dtype=float32)
    """

    def _pool(self, x, segment_ids, num_segments, count):
        total = ops.segment_sum(x, segment_ids, num_segments, sorted=False)
        return total / ops.sqrt(ops.maximum(count, 1.0))


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

    def _pool(self, x, segment_ids, num_segments, count):
        pooled = ops.segment_max(x, segment_ids, num_segments, sorted=False)
        return ops.where(count > 0, pooled, ops.zeros_like(pooled))


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

    def _pool(self, x, segment_ids, num_segments, count):
        magnitude = ops.abs(x)
        # the row maximum is a constant factor of the exact result: no gradient needed
        scale = ops.segment_max(magnitude, segment_ids, num_segments, sorted=False)
        # floor at the smallest normal float, not higher: a row of tiny values (below
        # 1e-30, say) would otherwise be divided by more than its maximum and underflow
        tiny = np.finfo(keras.backend.standardize_dtype(x.dtype)).tiny
        scale = ops.stop_gradient(ops.maximum(scale, tiny))
        powers = (magnitude / ops.take(scale, segment_ids, axis=0)) ** self.p
        power_mean = ops.segment_sum(powers, segment_ids, num_segments, sorted=False)
        power_mean = power_mean / ops.maximum(count, 1.0)
        positive = power_mean > 0
        safe = ops.where(positive, power_mean, ops.ones_like(power_mean))
        pooled = scale * safe ** (1.0 / self.p)
        return ops.where(positive, pooled, ops.zeros_like(pooled))

    def get_config(self):
        return {**super().get_config(), "p": self.p}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class TokenDropout(keras.layers.Layer):
    """Drop token ids (set them to padding, 0) at random during training.

    Each non-padding id is dropped with probability ``rate``, but a document
    never loses all of its tokens: the token with the highest draw is always
    kept, so no document becomes empty. Padding stays padding. Does nothing at
    inference. Place it before ``Embedding(mask_zero=True)``.

    Documents are the rows of ``inputs`` (batch, steps), or, given
    ``segment_ids`` and ``num_segments``, the segments of flat ``inputs``
    (tokens,), as for the pooling layers.

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

    def call(self, inputs, training=False, segment_ids=None, num_segments=None):
        if not training or self.rate == 0.0:
            return inputs
        present = ops.not_equal(inputs, 0)
        if segment_ids is None:  # padded: one segment a row
            segment_ids, num_segments = _rows_as_segments(present)
        draws = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        draws = ops.where(present, draws, -1.0)
        best = ops.segment_max(ops.reshape(draws, (-1,)), segment_ids, num_segments, sorted=False)
        best = ops.reshape(ops.take(best, segment_ids, axis=0), ops.shape(inputs))
        keep = ops.logical_and(present, ops.logical_or(draws >= self.rate, draws >= best))
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


#: The masked pooling layer class of each ``pooling`` name.
POOLINGS = {
    "mean": MaskedMeanPooling,
    "sqrtn": MaskedSqrtNPooling,
    "max": MaskedMaxPooling,
    "lp": MaskedLpPooling,
}


def pooling_layer(pooling, p=2.0, name="pooling"):
    """Return the masked pooling layer named ``pooling`` ('mean', 'sqrtn', 'max' or 'lp').

    Parameters
    ----------
    pooling : {'mean', 'sqrtn', 'max', 'lp'}
        Which pooling.
    p : float, default=2.0
        Exponent of 'lp' pooling; ignored by the others.
    name : str, default='pooling'
        Name of the layer.

    Returns
    -------
    layer : keras.layers.Layer
        A new :class:`MaskedMeanPooling`, :class:`MaskedSqrtNPooling`,
        :class:`MaskedMaxPooling` or :class:`MaskedLpPooling`.

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


# -- outputs for many labels: hierarchical softmax, negative sampling --------------------


class HuffmanTree(NamedTuple):
    """Paths of :func:`huffman_tree`, a row per label, and the tree in fastText's numbering."""

    nodes: np.ndarray  # (k, depth) int32: internal nodes from the parent up, as table rows
    codes: np.ndarray  # (k, depth) bool: the path goes right there (target 1)
    lengths: np.ndarray  # (k,) int32: nodes on each path
    parents: np.ndarray  # (2k - 1,) int64: parent of each tree node, -1 for the root
    right: np.ndarray  # (2k - 1,) bool: the node is its parent's right child
    leaves: np.ndarray  # (k,) int64: the tree node of each label


def huffman_tree(counts):
    """fastText's Huffman tree of label counts: each label's path from its leaf to the root.

    fastText's ``HierarchicalSoftmaxLoss::buildTree``: the labels sorted by
    decreasing count (ties in label order: fastText's sort leaves their order
    unspecified) are the leaves ``0 .. k-1``; the two smallest nodes are joined,
    ``k - 1`` times, into internal nodes ``k .. 2k-2`` (the root last), the
    second of the two being the right child. Frequent labels get short paths.

    Parameters
    ----------
    counts : array-like of int of shape (k,)
        Training documents of each label, ``k >= 2``.

    Returns
    -------
    tree : HuffmanTree
        ``nodes`` (k, depth): each label's internal nodes from its parent up to
        the root, as rows ``0 .. k-2`` of the output table (fastText's
        ``node - k``), 0 past a path's end; ``codes`` (k, depth): whether the
        path goes right at each (fastText's ``binary``, the target 1 of that
        node's logistic), False past the end; ``lengths`` (k,); and the tree in
        fastText's numbering: ``parents``, ``right``, and ``leaves`` (the node of
        each label).

    Examples
    --------
    >>> tree = huffman_tree([1, 5, 2])
    >>> tree.lengths.tolist()  # the frequent label next to the root
    [2, 1, 2]
    """
    counts = np.asarray(counts, dtype=np.int64)
    k = len(counts)
    if k < 2:
        raise ValueError(f"A Huffman tree needs at least 2 labels, got {k}.")
    order = np.argsort(-counts, kind="stable")  # leaf i of the tree is label order[i]
    tree_counts = np.full(2 * k - 1, 10**15, dtype=np.int64)
    tree_counts[:k] = counts[order]
    parents = np.full(2 * k - 1, -1, dtype=np.int64)
    right = np.zeros(2 * k - 1, dtype=bool)
    leaf, node = k - 1, k
    for i in range(k, 2 * k - 1):  # fastText's loop, as it is
        pair = []
        for _ in range(2):
            if leaf >= 0 and tree_counts[leaf] < tree_counts[node]:
                pair.append(leaf)
                leaf -= 1
            else:
                pair.append(node)
                node += 1
        tree_counts[i] = tree_counts[pair[0]] + tree_counts[pair[1]]
        parents[pair] = i
        right[pair[1]] = True
    leaves = np.empty(k, dtype=np.int64)
    leaves[order] = np.arange(k)
    # walk every label's leaf up at once, a level a step
    nodes, codes, lengths, current = [], [], np.zeros(k, np.int32), leaves
    while (parents[current] != -1).any():
        up = parents[current]
        alive = up != -1
        nodes.append(np.where(alive, up - k, 0).astype(np.int32))
        codes.append(alive & right[current])
        lengths += alive
        current = np.where(alive, up, current)
    return HuffmanTree(np.stack(nodes, 1), np.stack(codes, 1), lengths, parents, right, leaves)


def _alias_table(weights):
    """Walker's alias table of ``weights``: draw ``i`` uniformly, keep it with probability
    ``keep[i]``, else take ``alias[i]``; each index comes out in proportion to its weight."""
    k = len(weights)
    scaled = np.asarray(weights, dtype=np.float64) * k / np.sum(weights)
    keep, alias = np.ones(k), np.arange(k)
    small, large = list(np.flatnonzero(scaled < 1)), list(np.flatnonzero(scaled >= 1))
    while small and large:
        low, high = small.pop(), large.pop()
        keep[low], alias[low] = scaled[low], high
        scaled[high] += scaled[low] - 1.0
        (small if scaled[high] < 1 else large).append(high)
    return keep.astype(np.float32), alias.astype(np.int32)


class _SampledOutput(keras.layers.Layer):
    """An output layer over ``k`` labels that trains on a few rows of its table a document.

    Called on document vectors alone it gives the scores of every label, (n, k)
    (prediction); called with ``labels`` (each document's class, int, (n,)) it
    gives each document's loss (n,), gathering only the rows that loss needs:
    what training calls (:func:`~skfasttext.model.flat_model` with
    ``labels=True``). The table ``kernel`` is fastText's output matrix: zero at
    the start, no bias; its rows are looked up in place, so its gradient is
    sparse and the optimizer touches the rows gathered only.
    """

    def __init__(self, counts, **kwargs):
        super().__init__(**kwargs)
        self.counts = [int(count) for count in np.asarray(counts).reshape(-1)]
        if len(self.counts) < 2 or min(self.counts) < 0:
            raise ValueError(
                f"{type(self).__name__} needs the non-negative counts of at least 2 labels, "
                f"got counts={self.counts[:10]}."
            )

    def _table_rows(self):
        return len(self.counts)

    def build(self, input_shape=None):
        self.kernel = self.add_weight(
            shape=(self._table_rows(), input_shape[-1]), initializer="zeros", name="kernel"
        )

    def call(self, inputs, labels=None, training=False):
        if labels is None:
            return self.scores(inputs)
        return self.document_loss(inputs, ops.cast(ops.reshape(labels, (-1,)), "int32"))

    def _logits(self, inputs, rows):
        """Dot products of each document vector with its rows ``rows`` (n, m) of the table."""
        vectors = tf.nn.embedding_lookup(self.kernel.value, rows)  # (n, m, dim), sparse grad
        return ops.sum(vectors * ops.expand_dims(inputs, 1), axis=-1)

    def get_config(self):
        return {**super().get_config(), "counts": self.counts}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class HierarchicalSoftmax(_SampledOutput):
    """Hierarchical softmax over a Huffman tree of label counts (fastText's ``-loss hs``).

    Each label is a leaf of the tree of :func:`huffman_tree`; its probability is
    the product of the binary logistic decisions on its path (``sigmoid(row . x)``
    to go right at an internal node, one minus that to go left), so the
    probabilities of all labels sum to 1. A document's loss is the summed
    logistic loss along its label's path: a few rows (``log2(k)`` for equal
    counts), not ``k``. The table has ``k - 1`` rows, one an internal node.

    Parameters
    ----------
    counts : list of int
        Training documents of each label (at least 2 labels): the tree's shape.
    **kwargs
        Other arguments of :class:`keras.layers.Layer` (``name``, ``dtype``).

    Examples
    --------
    >>> import numpy as np
    >>> layer = HierarchicalSoftmax([5, 1, 2])
    >>> proba = layer(np.ones((2, 4), "float32")).numpy()
    >>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1.0))
    ((2, 3), True)
    """

    def __init__(self, counts, **kwargs):
        super().__init__(counts, **kwargs)
        tree = huffman_tree(self.counts)
        self._nodes = tree.nodes
        self._signs = np.where(tree.codes, 1.0, -1.0).astype(np.float32)
        self._mask = (np.arange(tree.nodes.shape[1]) < tree.lengths[:, None]).astype(np.float32)
        # the probabilities of all labels: the tree a level at a time from the root
        k = len(self.counts)
        depth = np.zeros(2 * k - 1, dtype=np.int64)
        for node in range(2 * k - 3, -1, -1):  # a parent's number is above its children's
            depth[node] = depth[tree.parents[node]] + 1
        by_depth = np.argsort(depth, kind="stable")
        position = np.empty_like(by_depth)
        position[by_depth] = np.arange(2 * k - 1)
        self._levels = []
        for level in range(1, int(depth.max()) + 1):
            members = by_depth[depth[by_depth] == level]
            parents = tree.parents[members]
            signs = np.where(tree.right[members], 1.0, -1.0).astype(np.float32)
            self._levels.append((position[parents], (parents - k).astype(np.int32), signs))
        self._leaf_positions = position[tree.leaves]

    def _table_rows(self):
        return len(self.counts) - 1

    def scores(self, inputs):
        """The probability of every label, (n, k): products along each label's path."""
        node_logits = ops.matmul(inputs, ops.transpose(self.kernel))  # (n, k - 1)
        log_proba = ops.zeros_like(node_logits[:, :1])  # the root's
        for parent_positions, parent_rows, signs in self._levels:
            decision = ops.log_sigmoid(ops.take(node_logits, parent_rows, axis=1) * signs)
            log_proba = ops.concatenate(
                [log_proba, ops.take(log_proba, parent_positions, axis=1) + decision], axis=1
            )
        return ops.exp(ops.take(log_proba, self._leaf_positions, axis=1))

    def document_loss(self, inputs, labels):
        """The logistic losses along each document's label's path, summed: (n,)."""
        signs, mask = ops.take(self._signs, labels, axis=0), ops.take(self._mask, labels, axis=0)
        logits = self._logits(inputs, ops.take(self._nodes, labels, axis=0))
        return ops.sum(mask * ops.softplus(-signs * logits), axis=-1)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class NegativeSampling(_SampledOutput):
    """Negative sampling (fastText's ``-loss ns``): the true label against labels drawn at random.

    A label's score is ``sigmoid(row . x)``, one row of the table a label. A
    document's loss is the logistic loss of its label as a positive plus that
    of negatives drawn in proportion to ``count ** 0.5`` (fastText's table of
    negatives). The negatives are shared by the documents of a training batch,
    as in TensorFlow's sampled losses: ``candidates`` labels are drawn once a
    batch and every document is scored against them in one matrix product, so
    a step touches the batch's labels and ``candidates`` rows, not ``k``. Each
    document's negative losses are weighted by ``neg / candidates``: in
    expectation the loss of ``neg`` negatives a document, fastText's. A
    candidate equal to a document's label is left out of that document's loss
    (fastText draws again). Prediction gives every label's sigmoid: scores of
    independent binary problems, rows need not sum to 1.

    Parameters
    ----------
    counts : list of int
        Training documents of each label (at least 2 labels).
    neg : int, default=5
        Weight of the negatives a document, in draws (fastText's ``-neg``).
    candidates : int, default=64
        Negatives drawn a batch, shared by its documents.
    seed : int or None, default=None
        Seed of the draws.
    **kwargs
        Other arguments of :class:`keras.layers.Layer` (``name``, ``dtype``).

    Examples
    --------
    >>> import numpy as np
    >>> layer = NegativeSampling([5, 1, 2], neg=2, seed=0)
    >>> layer(np.ones((2, 4), "float32")).numpy()  # a zero table: every score 0.5
    array([[0.5, 0.5, 0.5],
           [0.5, 0.5, 0.5]], dtype=float32)
    """

    def __init__(self, counts, neg=5, candidates=64, seed=None, **kwargs):
        super().__init__(counts, **kwargs)
        for name, value in (("neg", neg), ("candidates", candidates)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(
                    f"NegativeSampling needs an integer {name} >= 1, got {name}={value!r}."
                )
        self.neg, self.candidates, self.seed = int(neg), int(candidates), seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._keep, self._alias = _alias_table(np.sqrt(np.asarray(self.counts, np.float64)))

    def scores(self, inputs):
        """Each label's sigmoid, (n, k)."""
        return ops.sigmoid(ops.matmul(inputs, ops.transpose(self.kernel)))

    def document_loss(self, inputs, labels):
        """The logistic loss of each document's label, plus its negatives' weighted: (n,)."""
        k = len(self.counts)
        draws = keras.random.uniform((self.candidates, 2), seed=self.seed_generator)
        drawn = ops.minimum(ops.cast(draws[:, 0] * k, "int32"), k - 1)
        kept = draws[:, 1] < ops.take(self._keep, drawn, axis=0)
        negatives = ops.where(kept, drawn, ops.take(self._alias, drawn, axis=0))
        positive = ops.squeeze(self._logits(inputs, ops.expand_dims(labels, 1)), 1)
        # one (n, dim) x (dim, candidates) product; the lookup keeps the gradient sparse
        rows = tf.nn.embedding_lookup(self.kernel.value, negatives)
        logits = ops.matmul(inputs, ops.transpose(rows))
        other = ops.cast(ops.not_equal(negatives[None, :], labels[:, None]), logits.dtype)
        weight = self.neg / self.candidates
        return ops.softplus(-positive) + weight * ops.sum(other * ops.softplus(logits), axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "neg": self.neg,
            "candidates": self.candidates,
            "seed": self.seed,
        }
