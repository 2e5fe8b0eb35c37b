"""Product quantization of a matrix's rows, as fastText's ``quantize`` does it.

Each row is cut into sub-vectors of ``dsub`` values (the last may be shorter); each
sub-vector is replaced by the nearest of 256 centroids, learnt by k-means on at most
65,536 rows, so a row is stored as one byte a sub-vector. With ``qnorm`` the rows are
normalised first and their norms quantized apart (a one-dimensional quantizer), which
keeps the directions sharper for the same bytes.
"""

import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

__all__ = ["largest_rows", "product_quantize"]

_CENTROIDS = 256  # one byte a code
_MAX_POINTS = 256 * _CENTROIDS  # rows k-means learns from, as fastText
_N_ITER = 25  # k-means iterations, as fastText


def largest_rows(norms, cutoff, always):
    """Ids of the ``cutoff`` rows of largest norm (fastText's ``-cutoff``), ``always`` among
    them, in increasing order."""
    keep = np.zeros(len(norms), dtype=bool)
    keep[np.asarray(always, dtype=np.int64)] = True
    rest = np.flatnonzero(~keep)
    n_more = max(cutoff - int(keep.sum()), 0)
    # stable on ties: rows of equal norm are kept in id order (lower ids: more frequent words)
    keep[rest[np.argsort(-norms[rest], kind="stable")[:n_more]]] = True
    return np.flatnonzero(keep)


def _kmeans(points, rng):
    """k-means of ``points`` as fastText's: 256 centroids (fewer where fewer points differ)
    from points drawn at random, 25 of Lloyd's iterations; scikit-learn's, which is faster."""
    k = min(_CENTROIDS, len(np.unique(points, axis=0)))
    seed = int(rng.integers(2**31 - 1))
    kmeans = KMeans(k, init="random", n_init=1, max_iter=_N_ITER, tol=0.0, random_state=seed)
    with warnings.catch_warnings():  # as many centroids as points: some may stay empty
        warnings.simplefilter("ignore", ConvergenceWarning)
        return kmeans.fit(points)


def product_quantize(rows, *, dsub, seed):
    """Product-quantization codes of ``rows`` (n, dim), and the centroids they index.

    Returns ``codes``, an ndarray (n, ceil(dim / dsub)) of uint8, and ``centroids``, an
    ndarray (n_subquantizers, 256, dsub) of float32: row ``i``'s slice ``j`` decodes to
    ``centroids[j, codes[i, j]]``, a shorter last slice to the first of its columns.
    """
    rng = np.random.default_rng(seed)
    rows = np.asarray(rows, dtype=np.float32)
    n, dim = rows.shape
    sample = rows[rng.permutation(n)[:_MAX_POINTS]]
    starts = range(0, dim, dsub)
    codes = np.empty((n, len(starts)), dtype=np.uint8)
    centroids = np.zeros((len(starts), _CENTROIDS, dsub), dtype=np.float32)
    for m, start in enumerate(starts):
        columns = slice(start, min(start + dsub, dim))
        kmeans = _kmeans(sample[:, columns], rng)
        codes[:, m] = kmeans.predict(rows[:, columns])
        found = kmeans.cluster_centers_
        width = found.shape[1]
        # codes beyond the centroids found are never given; they repeat the last anyway
        centroids[m, :, :width] = found[np.minimum(np.arange(_CENTROIDS), len(found) - 1)]
    return codes, centroids
