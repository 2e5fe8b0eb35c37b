"""predict and predict-prob: the labels (or values) of documents read from a file or stdin."""

from ._common import (
    _CHUNK,
    _check_k,
    _chunks,
    _documents,
    _interactive,
    _is_classifier,
    _label_prefix,
    _lines,
    _load,
    _top_k,
    _write,
)


def predict(args, *, probabilities=False):
    """Print the k most probable labels of each line (the prediction of a regressor)."""
    _check_k(args.k)
    model = _load(args.model)
    prefix = _label_prefix(model)
    if probabilities and not _is_classifier(model):
        raise ValueError(f"predict-prob needs a classifier; {args.model} holds a regressor.")
    size = 1 if _interactive(args.file) else _CHUNK  # answer each line typed at a terminal
    for docs in _chunks(_documents(_lines(args.file), prefix), size):
        if not _is_classifier(model):
            _write(f"{value:.6g}\n" for value in model.predict(docs))
            continue
        labels, proba = model.predict_top_k(docs, k=_top_k(model, args.k), threshold=args.threshold)
        _write(
            " ".join(
                f"{prefix}{label} {p:.6g}" if probabilities else f"{prefix}{label}"
                for label, p in zip(row_labels, row_proba, strict=True)
                if label is not None
            )
            + "\n"
            for row_labels, row_proba in zip(labels, proba, strict=True)
        )
    return 0


def predict_prob(args):
    """Print the k most probable labels of each line, each with its probability."""
    return predict(args, probabilities=True)
