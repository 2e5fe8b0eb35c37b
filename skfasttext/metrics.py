"""Precision and recall at k of top-k predictions, as fastText's ``test`` reports them."""

import numpy as np

__all__ = ["precision_at_k", "recall_at_k"]

_LABEL_SETS = (list, tuple, set, frozenset, np.ndarray)


def _counts(y_true, labels_top_k):
    """``(hits, n_predicted, n_true)`` summed over the documents."""
    if isinstance(y_true, (str, bytes)) or isinstance(labels_top_k, (str, bytes)):
        raise ValueError("Expected one entry per document, got a single string.")
    labels = np.asarray(labels_top_k, dtype=object)
    if labels.ndim == 1:
        labels = labels[:, np.newaxis]  # one prediction per document, e.g. from predict
    if labels.ndim != 2:
        raise ValueError(
            f"labels_top_k must have shape (n_documents, k), got an array of shape {labels.shape}."
        )
    y_true = y_true.tolist() if isinstance(y_true, np.ndarray) else list(y_true)
    if len(y_true) != len(labels):
        raise ValueError(
            f"y_true holds {len(y_true)} documents but labels_top_k holds {len(labels)}."
        )
    present = labels != None  # noqa: E711 (element-wise)
    n_predicted = int(present.sum())
    if not any(isinstance(y, _LABEL_SETS) for y in y_true):  # one label each: vectorised
        truth = np.empty((len(y_true), 1), dtype=object)
        truth[:, 0] = y_true
        hits = int(((labels == truth) & present).sum())
        return hits, n_predicted, len(y_true)
    hits = n_true = 0
    for y, row, row_present in zip(y_true, labels, present, strict=True):
        if isinstance(y, np.ndarray):
            y = y.tolist()
        gold = set(y) if isinstance(y, _LABEL_SETS) else {y}
        hits += sum(label in gold for label in row[row_present])
        n_true += len(gold)
    return hits, n_predicted, n_true


def precision_at_k(y_true, labels_top_k):
    """Share of the predicted labels that are true labels, over all documents.

    fastText's ``P@k``: the number of correct predictions divided by the
    number of predictions made (at most ``k`` per document; fewer where
    :meth:`~skfasttext.FastTextClassifier.predict_top_k` left labels out under
    its threshold).

    Parameters
    ----------
    y_true : sequence of label, or of list of labels
        The true label of each document, or the list of its true labels
        (multi-label).
    labels_top_k : array-like of shape (n_documents, k) or (n_documents,)
        Predicted labels, None where there is no prediction; the first output
        of ``predict_top_k``. A 1-d array (e.g. from ``predict``) is one
        prediction per document.

    Returns
    -------
    precision : float
        In [0, 1]; 0.0 when no label was predicted at all.

    See Also
    --------
    recall_at_k : Share of the true labels that were predicted.

    Notes
    -----
    Labels are compared with ``==``: labels read from a file are strings, so
    compare them with a model trained on strings (``'1' != 1``).

    Examples
    --------
    >>> from skfasttext.metrics import precision_at_k
    >>> y_true = ["a", "b", ["a", "c"]]
    >>> top_2 = [["a", "b"], ["a", None], ["c", "b"]]
    >>> precision_at_k(y_true, top_2)  # 2 correct out of 5 predictions
    0.4
    """
    hits, n_predicted, _ = _counts(y_true, labels_top_k)
    return hits / n_predicted if n_predicted else 0.0


def recall_at_k(y_true, labels_top_k):
    """Share of the true labels that were predicted, over all documents.

    fastText's ``R@k``: the number of correct predictions divided by the
    number of true labels. With one true label per document and no threshold,
    ``R@1`` is the accuracy.

    Parameters
    ----------
    y_true : sequence of label, or of list of labels
        The true label of each document, or the list of its true labels
        (multi-label; repeated labels count once).
    labels_top_k : array-like of shape (n_documents, k) or (n_documents,)
        Predicted labels, None where there is no prediction; the first output
        of ``predict_top_k``.

    Returns
    -------
    recall : float
        In [0, 1]; 0.0 when there is no true label at all.

    See Also
    --------
    precision_at_k : Share of the predicted labels that are true.

    Examples
    --------
    >>> from skfasttext.metrics import recall_at_k
    >>> y_true = ["a", "b", ["a", "c"]]
    >>> top_2 = [["a", "b"], ["a", None], ["c", "b"]]
    >>> recall_at_k(y_true, top_2)  # 2 of the 4 true labels were predicted
    0.5
    """
    hits, _, n_true = _counts(y_true, labels_top_k)
    return hits / n_true if n_true else 0.0
