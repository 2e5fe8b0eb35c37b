"""Checks of what users hand in: documents, id matrices, labels and document weights.

Every check raises a ValueError or TypeError that says what is wrong and what to pass
instead, before anything reaches TensorFlow.
"""

from collections.abc import Mapping, Set
from itertools import chain
from typing import NamedTuple

import numpy as np
from scipy.sparse import issparse

from ._sklearn_compat import check_sample_weight

__all__ = [
    "Documents",
    "TextInputMixin",
    "check_documents",
    "check_input",
    "check_id_matrix",
    "check_n_documents",
    "check_subword_range",
    "document_weights",
    "is_id_matrix",
    "is_missing_label",
    "is_number",
    "numeric_labels",
    "relative_weights",
]


class Documents(NamedTuple):
    """Checked documents: a list of strings (``pretokenized`` False) or of token lists."""

    docs: list
    pretokenized: bool


def check_subword_range(minn, maxn):
    """Refuse ``minn > maxn`` where character n-grams are on (``maxn > 0``)."""
    if maxn > 0 and minn > maxn:
        raise ValueError(
            f"minn={minn} is larger than maxn={maxn}: character n-grams have minn to maxn "
            "characters. Set minn <= maxn, or maxn=0 for no character n-grams."
        )


def check_documents(X):
    """Validate a collection of documents; return it as :class:`Documents`.

    Each document is a whitespace-tokenized string or a sequence of string tokens.
    Documents already checked come back as they are.
    """
    if isinstance(X, Documents):
        return X
    if isinstance(X, (str, bytes)):
        raise ValueError(
            "Expected an iterable of documents, got a single string. Wrap it in a list: [text]."
        )
    if issparse(X):
        raise TypeError(
            "Expected documents (strings or lists of tokens), got a scipy sparse matrix: "
            "pass the texts themselves."
        )
    if isinstance(X, (Mapping, Set)):
        raise TypeError(
            f"Expected an ordered collection of documents, got a {type(X).__name__}: "
            "pass a list of documents."
        )
    if X is None or not hasattr(X, "__iter__"):
        raise TypeError(
            "Expected an iterable of documents (strings or lists of tokens), "
            f"got {type(X).__name__}."
        )
    if isinstance(X, np.ndarray) and X.ndim != 1:
        raise ValueError(
            f"Expected a 1-d collection of documents, got an array of shape {X.shape}."
        )
    docs = X.tolist() if isinstance(X, np.ndarray) else list(X)
    if not docs:
        raise ValueError("Found 0 documents: at least one document is required.")
    kinds = set(map(type, docs))
    if all(issubclass(k, str) for k in kinds):
        return Documents(docs, False)
    if all(issubclass(k, (list, tuple)) for k in kinds):
        if all(issubclass(k, str) for k in set(map(type, chain.from_iterable(docs)))):
            return Documents(docs, True)
        bad = next(i for i, doc in enumerate(docs) if any(not isinstance(t, str) for t in doc))
        raise TypeError(
            f"Document {bad} holds a token of type "
            f"{type(next(t for t in docs[bad] if not isinstance(t, str))).__name__}: "
            "tokens must be strings."
        )
    bad = next((i for i, doc in enumerate(docs) if not isinstance(doc, (str, list, tuple))), None)
    if bad is None:  # only strings and token lists, mixed
        raise TypeError(
            "Documents mix strings and lists of tokens: pass all documents as "
            "whitespace-tokenized strings or all as lists of string tokens (all of one kind)."
        )
    raise TypeError(
        f"Document {bad} is of type {type(docs[bad]).__name__}: every document must be a "
        "whitespace-tokenized string or a list of string tokens (all of one kind)."
    )


def is_id_matrix(X):
    """Whether X is an id matrix: a 2-d ndarray of integers."""
    return isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "iu"


def check_id_matrix(X):
    """Validate an id matrix (see :func:`is_id_matrix`) and return it."""
    if X.shape[0] == 0:
        raise ValueError("Found 0 documents: at least one document is required.")
    if X.size and X.min() < 0:
        raise ValueError(f"Ids must be non-negative (0 is padding); found {X.min()}.")
    return X


def check_input(X):
    """An id matrix as it is, anything else as checked :class:`Documents`."""
    if is_id_matrix(X):
        return check_id_matrix(X)
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "fcb":
        raise ValueError(
            "Expected a 1-d collection of documents or an id matrix of integers, got a 2-d "
            f"array of dtype {X.dtype}: cast whole ids with X.astype(np.int64)."
        )
    return check_documents(X)


def check_n_documents(X, n_targets):
    """Refuse checked input whose number of documents is not ``n_targets``."""
    n = len(X.docs) if isinstance(X, Documents) else len(X)
    if n != n_targets:
        raise ValueError(f"X holds {n} documents but y holds {n_targets} targets.")


def is_missing_label(label):
    """Whether a label is missing: None, or NaN of any kind (unequal to itself)."""
    try:
        return label is None or bool(label != label)
    except TypeError:  # pandas.NA: its comparisons are NA, whose truth is ambiguous
        return True


def is_number(text):
    """Whether ``float`` reads ``text`` as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def numeric_labels(labels, source, label_prefix):
    """Labels read from ``source`` as floats, for a regression; the first bad one named."""
    try:
        return np.array(labels, dtype=np.float64)
    except ValueError:
        bad = next(label for label in labels if not is_number(label))
        raise ValueError(
            f"{source}: a regression needs numeric labels, got {label_prefix}{bad}."
        ) from None


def relative_weights(weight):
    """Weights rescaled to average 1 over the documents that have weight (a document of
    weight 0 is as good as absent), in units of the largest first: no sum overflows."""
    largest = weight.max()
    if not largest > 0:
        raise ValueError(
            "Every document has weight 0 (its sample_weight times its class's class_weight): "
            "at least one document needs weight."
        )
    weight = weight / largest
    return weight * (np.count_nonzero(weight) / weight.sum())


def document_weights(sample_weight, n):
    """``sample_weight`` checked (non-negative, one per document) and made relative."""
    if sample_weight is None:
        return np.ones(n)
    weight = check_sample_weight(
        sample_weight, np.empty((n, 0)), dtype=np.float64, ensure_non_negative=True
    )
    return relative_weights(weight)


class TextInputMixin:
    """scikit-learn tags of an estimator that takes documents: text, not a 2-d array."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
