"""Precision and recall at k of top-k predictions, as fastText's ``test`` reports them."""

import warnings

import numpy as np
from sklearn.metrics import precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

__all__ = ["precision_at_k", "recall_at_k", "per_label_scores"]

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


def _is_indicator(y):
    return getattr(y, "ndim", 1) == 2 and getattr(y, "dtype", np.dtype(object)).kind != "O"


def _label_lists(y):
    """Each document's labels as a list: a single label becomes a one-label list."""
    if isinstance(y, (str, bytes)):
        raise ValueError("Expected one entry per document, got a single string.")
    y = y.tolist() if isinstance(y, np.ndarray) else list(y)
    return [(list(labels) if isinstance(labels, _LABEL_SETS) else [labels]) for labels in y]


def per_label_scores(y_true, y_pred, labels=None):
    """Precision, recall, F1 and support of each label, like fastText's ``test-label``.

    Parameters
    ----------
    y_true : sequence of label, of list of labels, or indicator matrix
        True labels: one per document, a list per document (multi-label), or
        a 0/1 matrix of shape (n_documents, n_labels).
    y_pred : sequence of label, of list of labels, or indicator matrix
        Predicted labels, in any of the same forms (e.g. the indicator
        matrix of a multi-label :meth:`~skfasttext.FastTextClassifier.predict`).
    labels : array-like or None, default=None
        The labels, in order. For labels and label lists: the labels to report
        (others are ignored); default every label of ``y_true`` and ``y_pred``,
        sorted. For an indicator matrix: the label of each column (e.g. a
        classifier's ``classes_``); default the column indices. Required when
        one of ``y_true``, ``y_pred`` is an indicator matrix and the other is not.

    Returns
    -------
    scores : dict
        ``label -> (precision, recall, f1, support)``, in the order of the
        labels; ``support`` is the number of documents truly holding the label.
        A score with nothing to divide by (a label never predicted, or never
        true) is 0.0.

    See Also
    --------
    sklearn.metrics.precision_recall_fscore_support : The computation, per label.
    precision_at_k : Precision of top-k predictions over all labels.

    Examples
    --------
    >>> from skfasttext.metrics import per_label_scores
    >>> y_true = [["a", "b"], ["b"], ["c"]]
    >>> y_pred = [["a"], ["b", "c"], ["c"]]
    >>> for label, (p, r, f1, n) in per_label_scores(y_true, y_pred).items():
    ...     print(label, round(p, 2), round(r, 2), round(f1, 2), n)
    a 1.0 1.0 1.0 1
    b 1.0 0.5 0.67 2
    c 0.5 1.0 0.67 1
    """
    true_indicator, pred_indicator = _is_indicator(y_true), _is_indicator(y_pred)
    if true_indicator != pred_indicator and labels is None:
        raise ValueError(
            "One of y_true, y_pred is an indicator matrix and the other is not: pass "
            "labels, the label of each column (e.g. the classifier's classes_)."
        )
    if true_indicator and pred_indicator:
        y_true = y_true.toarray() if hasattr(y_true, "toarray") else np.asarray(y_true)
        y_pred = y_pred.toarray() if hasattr(y_pred, "toarray") else np.asarray(y_pred)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}."
            )
        names = list(range(y_true.shape[1])) if labels is None else list(labels)
        if len(names) != y_true.shape[1]:
            raise ValueError(
                f"labels names {len(names)} labels but the matrices have {y_true.shape[1]} columns."
            )
    else:
        lists = {}
        given = [("true", y_true, true_indicator), ("pred", y_pred, pred_indicator)]
        for key, y, indicator in given:
            if indicator:  # columns are the labels given
                y = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
                columns = np.asarray(labels, dtype=object)
                if len(columns) != y.shape[1]:
                    raise ValueError(
                        f"labels names {len(columns)} labels but y_{key} has {y.shape[1]} columns."
                    )
                lists[key] = [columns[row.astype(bool)].tolist() for row in y]
            else:
                lists[key] = _label_lists(y)
        if len(lists["true"]) != len(lists["pred"]):
            raise ValueError(
                f"y_true holds {len(lists['true'])} documents but y_pred holds "
                f"{len(lists['pred'])}."
            )
        if labels is None:
            names = sorted({label for y in lists.values() for row in y for label in row})
        else:
            names = list(labels)
        binarizer = MultiLabelBinarizer(classes=names)
        with warnings.catch_warnings():  # labels outside ``labels`` are ignored, as documented
            warnings.filterwarnings("ignore", "unknown class", UserWarning)
            y_true = binarizer.fit_transform(lists["true"])
            y_pred = binarizer.transform(lists["pred"])
    if not len(names):
        return {}
    if y_true.shape[1] == 1:  # one column reads as binary: add an empty label, scored apart
        y_true, y_pred = (np.hstack([y, np.zeros_like(y)]) for y in (y_true, y_pred))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=0.0
    )
    return {
        label: (float(p), float(r), float(f), int(n))
        for label, p, r, f, n in zip(names, precision, recall, f1, support, strict=False)
    }
