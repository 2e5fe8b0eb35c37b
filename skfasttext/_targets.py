"""Targets: what ``y`` becomes for the network, the head that predicts it and its loss.

Labels (one a document, or several: multi-label), class weights, and numeric targets
(standardised), each checked with an error that names what is wrong. Every loss is
summed over a batch's documents: each takes its own SGD step, as in fastText.
"""

import warnings
from numbers import Real
from typing import NamedTuple

import keras
import numpy as np
from sklearn.preprocessing import LabelEncoder, MultiLabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import assert_all_finite, column_or_1d

from ._validation import is_missing_label

__all__ = [
    "Head",
    "Labels",
    "OneVsAllLoss",
    "SampledOutputLoss",
    "class_weights",
    "encode_labels",
    "indicator_of",
    "is_label_lists",
    "numeric_targets",
    "regression_head",
    "standardize",
]

_LABEL_LISTS = (list, tuple, set, frozenset, np.ndarray)


class Head(NamedTuple):
    """The network's output layer, and the loss it trains with."""

    n_outputs: int
    activation: str
    loss: keras.losses.Loss
    # build_model's arguments of a sampled output layer (loss 'hs', 'ns'), or None
    output: dict | None = None


class Labels(NamedTuple):
    """Encoded labels: the classes, the network's target per document, and its head."""

    classes: np.ndarray
    multilabel: bool
    target: np.ndarray  # what the head is trained to output, a row per document
    head: Head
    codes: np.ndarray | None = None  # each document's class; None for multi-label


@keras.saving.register_keras_serializable(package="skfasttext")
class OneVsAllLoss(keras.losses.Loss):
    """Binary cross-entropy of each sigmoid output, summed over the outputs.

    fastText's ``-loss ova``: each label is its own binary problem, and a
    document's loss is the sum (not Keras' mean) of the label losses, so the
    gradient of each label does not shrink as labels are added.

    Parameters
    ----------
    reduction : str, default='sum'
        How the losses of a batch's documents combine (Keras' reductions).
    name : str, default='one_vs_all'
        Name of the loss.
    **kwargs
        Other arguments of :class:`keras.losses.Loss` (``dtype``).
    """

    def __init__(self, reduction="sum", name="one_vs_all", **kwargs):
        super().__init__(reduction=reduction, name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true = keras.ops.cast(y_true, y_pred.dtype)
        return keras.ops.sum(keras.ops.binary_crossentropy(y_true, y_pred), axis=-1)


@keras.saving.register_keras_serializable(package="skfasttext")
class SampledOutputLoss(keras.losses.Loss):
    """The loss a sampled output layer computed itself, summed over the documents.

    Training calls a :class:`~skfasttext.layers.HierarchicalSoftmax` or
    :class:`~skfasttext.layers.NegativeSampling` output with each document's
    label, and it returns each document's loss (it alone knows which rows of its
    table that loss needs): this loss passes it on, weighted by ``sample_weight``.

    Parameters
    ----------
    reduction : str, default='sum'
        How the losses of a batch's documents combine (Keras' reductions).
    name : str, default='sampled_output'
        Name of the loss.
    **kwargs
        Other arguments of :class:`keras.losses.Loss` (``dtype``).
    """

    def __init__(self, reduction="sum", name="sampled_output", **kwargs):
        super().__init__(reduction=reduction, name=name, **kwargs)

    def call(self, y_true, y_pred):
        return y_pred


_REGRESSION_LOSSES = {
    "absolute_error": keras.losses.MeanAbsoluteError,
    "huber": keras.losses.Huber,
    "squared_error": keras.losses.MeanSquaredError,
}


# -- labels ---------------------------------------------------------------------------


def _check_no_missing_labels(y, lengths=None):
    """Refuse None or NaN labels, before numpy turns ["a", nan] into the label "nan".

    Multi-label y comes flattened, with ``lengths`` its number of labels per
    document: the error then names the document, not the label's position.
    """
    if isinstance(y, np.ndarray) and y.dtype != object:
        return  # numeric NaN is caught after column_or_1d
    labels = np.asarray(y, dtype=object)
    if labels.ndim == 0:
        return
    missing = np.flatnonzero(np.frompyfunc(is_missing_label, 1, 1)(labels.ravel()).astype(bool))
    if missing.size:
        first = missing[0]
        if lengths is not None:
            first = np.searchsorted(np.cumsum(lengths), first, side="right")
        raise ValueError(
            f"y holds {missing.size} missing label(s), None or NaN (first at index "
            f"{first}): drop those documents or give them a label before fitting."
        )


def is_label_lists(y):
    """True for a sequence of label collections (multi-label y), e.g. ``[["a", "b"], []]``."""
    if isinstance(y, (str, bytes)) or (isinstance(y, np.ndarray) and y.dtype != object):
        return False
    try:
        entries = list(y)
    except TypeError:
        return False
    is_list = [isinstance(entry, _LABEL_LISTS) for entry in entries]
    if any(is_list) and not all(is_list):
        raise ValueError(
            "y mixes single labels and lists of labels: give every document a list of "
            "labels (multi-label) or every document one label."
        )
    return bool(is_list) and all(is_list)


def _label_lists(y):
    return [entry.tolist() if isinstance(entry, np.ndarray) else entry for entry in y]


def indicator_of(y, classes):
    """The 0/1 indicator matrix of label lists over ``classes``; unknown labels left out."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "unknown class", UserWarning)
        return MultiLabelBinarizer(classes=classes).fit_transform(_label_lists(y))


def _multilabel(y):
    """``(classes, indicator)`` of multi-label y, or None for single-label y."""
    if is_label_lists(y):
        lists = _label_lists(y)
        flat = [label for labels in lists for label in labels]
        _check_no_missing_labels(flat, lengths=[len(labels) for labels in lists])
        try:
            binarizer = MultiLabelBinarizer().fit(lists)
        except TypeError as error:
            raise ValueError(f"y holds labels that cannot be sorted together: {error}") from None
        return binarizer.classes_, binarizer.transform(lists)
    if getattr(y, "ndim", 1) == 2 and getattr(y, "shape", (0, 0))[1] > 1:
        if type_of_target(y) != "multilabel-indicator":
            raise ValueError(
                f"A 2-d y must be a 0/1 indicator matrix (multi-label), got type "
                f"{type_of_target(y)!r} with shape {y.shape}."
            )
        indicator = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
        if not np.isin(indicator, (0, 1)).all():
            raise ValueError(
                f"A 2-d y must be a 0/1 indicator matrix (multi-label), got values "
                f"{np.unique(indicator)[:5].tolist()} with shape {indicator.shape}."
            )
        return np.arange(indicator.shape[1]), indicator
    return None


def _check_known(found, classes):
    """Refuse labels of y outside ``classes``, the classes a model was fitted on."""
    unseen = np.setdiff1d(found, classes)
    if len(unseen):
        raise ValueError(
            f"y holds {len(unseen)} label(s) the model was not fitted on: "
            f"{unseen[:5].tolist()}; its classes_ are {classes[:10].tolist()}."
        )


def encode_labels(y, *, loss="softmax", classes=None, neg=5):
    """Check and encode class labels: :class:`Labels`.

    Multi-label y (lists of labels, or an indicator matrix) trains one sigmoid a
    label, as does ``loss='ova'``; otherwise two classes train one sigmoid, more a
    softmax. ``loss='hs'`` and ``'ns'`` train a sampled output over the label
    counts of y (``neg`` negatives for 'ns'), single-label y only. With
    ``classes`` (a fitted model's ``classes_``), y is encoded over them and a
    label outside them is refused.
    """
    multilabel = _multilabel(y)
    if multilabel is not None and loss in ("hs", "ns"):
        raise ValueError(
            f"loss={loss!r} trains one label a document; y is multi-label: fit it with "
            "loss='ova' (one sigmoid a label, what multi-label y trains by default)."
        )
    if multilabel is not None:
        found, indicator = multilabel
        if classes is not None:
            _check_known(found, classes)
            indicator = indicator_of(y, classes) if is_label_lists(y) else indicator
        classes = found if classes is None else classes
        if len(classes) == 0:
            raise ValueError("Multi-label y holds no label at all: need at least 1 label.")
        head = Head(len(classes), "sigmoid", OneVsAllLoss(reduction="sum"))
        return Labels(classes, True, np.asarray(indicator, dtype=np.float32), head)
    _check_no_missing_labels(y)
    y = column_or_1d(y, warn=True)
    if y.dtype.kind == "f":  # before type_of_target casts NaN and inf (a RuntimeWarning)
        assert_all_finite(y, input_name="y")
    check_classification_targets(y)
    encoder = LabelEncoder().fit(y)
    if classes is not None:
        _check_known(encoder.classes_, classes)
        encoder.classes_ = classes
    classes = encoder.classes_
    if len(classes) < 2:
        raise ValueError(
            f"Need at least 2 classes to train a classifier, got {len(classes)}: "
            f"{classes.tolist()}."
        )
    codes = encoder.transform(y)
    if loss in ("hs", "ns"):
        # a class y lacks (partial_fit's classes) counts once: never drawn as a negative,
        # its sigmoid would stay at 0.5 and outscore every class trained down from it
        counts = np.maximum(np.bincount(codes, minlength=len(classes)), 1)
        output = {"sampled": loss, "label_counts": counts.tolist()}
        if loss == "ns":
            output["neg"] = neg
        head = Head(len(classes), "linear", SampledOutputLoss(reduction="sum"), output)
        return Labels(classes, False, codes.astype(np.int32), head, codes)
    if loss == "ova":
        head = Head(len(classes), "sigmoid", OneVsAllLoss(reduction="sum"))
        return Labels(classes, False, np.eye(len(classes), dtype=np.float32)[codes], head, codes)
    if len(classes) == 2:
        head = Head(1, "sigmoid", keras.losses.BinaryCrossentropy(reduction="sum"))
        return Labels(classes, False, codes.astype(np.float32), head, codes)
    loss = keras.losses.SparseCategoricalCrossentropy(reduction="sum")
    head = Head(len(classes), "softmax", loss)
    return Labels(classes, False, codes.astype(np.int32), head, codes)


def class_weights(class_weight, classes, codes):
    """Weight of each class (indexed like ``classes``) for a ``class_weight`` setting."""
    # a class no document of y has (partial_fit's classes, a warm fit's) counts once
    counts = np.maximum(np.bincount(codes, minlength=len(classes)), 1)
    if class_weight == "balanced_sqrt":
        weight = 1.0 / np.sqrt(counts)
        return weight * len(codes) / (weight[codes].sum())  # mean weight of a document is 1
    if class_weight == "balanced":  # scikit-learn's, which refuses a class y lacks
        return len(codes) / (len(classes) * counts)
    if isinstance(class_weight, dict):
        unknown = set(class_weight) - set(classes.tolist())
        if unknown:
            raise ValueError(f"class_weight names classes not in y: {sorted(map(str, unknown))}.")
        for label, weight in class_weight.items():
            # as sample_weight: a negative weight would train away from its class
            if not (isinstance(weight, Real) and np.isfinite(weight) and weight >= 0):
                raise ValueError(
                    f"class_weight gives {label!r} the weight {weight!r}: class weights must be "
                    "finite, non-negative numbers."
                )
    return compute_class_weight(class_weight, classes=classes, y=classes[codes])


# -- numbers --------------------------------------------------------------------------


def numeric_targets(y):
    """Check regression targets: finite numbers, one a document; float64."""
    y = column_or_1d(y, warn=True)
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"FastTextRegressor needs numeric targets: {error}") from None
    if not np.isfinite(y).all():
        bad = np.flatnonzero(~np.isfinite(y))
        raise ValueError(
            f"y holds {len(bad)} NaN or infinite value(s) (first at index {bad[0]}): "
            "drop or impute them before fitting."
        )
    return y


def standardize(y, weight):
    """``(mean, scale, target)``: y's weighted mean and standard deviation (1 if y is
    constant), and y standardised with them (float32)."""
    # y in units of a power of two near its largest value: exact (the same moments as
    # in y's own units), and no square overflows near 1e308 or underflows near 1e-308
    unit = np.ldexp(1.0, np.frexp(np.abs(y).max())[1] - 1)
    scaled = y / unit
    mean = np.average(scaled, weights=weight)
    scale = np.sqrt(np.average((scaled - mean) ** 2, weights=weight)) or 1.0 / unit
    target = ((scaled - mean) / scale).astype(np.float32)
    return float(mean * unit), float(scale * unit), target


def regression_head(loss):
    """One linear output, trained with the loss named ``loss``."""
    return Head(1, "linear", _REGRESSION_LOSSES[loss](reduction="sum"))
