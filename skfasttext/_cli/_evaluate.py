"""test and test-label: a model scored on a labelled file, in fastText's lines."""

from ._common import (
    check_k,
    is_classifier,
    load_model,
    model_label_prefix,
    read_model_labelled,
    top_k,
    write_lines,
)


def _as_str(labels):
    out = labels.copy()
    present = labels != None  # noqa: E711 (element-wise)
    out[present] = [str(label) for label in labels[present]]
    return out


def _top_labels(model, docs, k, threshold):
    """The ``k`` most probable labels of each document, as strings (None: left out)."""
    top, _ = model.predict_top_k(docs, k=top_k(model, k), threshold=threshold)
    return _as_str(top)  # labels read from a file are strings


def _general_metrics(y, top, k, *, fixed=False):
    """fastText's N, P@k, R@k lines; ``fixed``: three decimals, as after test-label's."""
    from ..metrics import precision_at_k, recall_at_k

    digits = ".3f" if fixed else ".3g"  # test-label leaves C++'s std::fixed set
    precision, recall = precision_at_k(y, top), recall_at_k(y, top)
    return f"N\t{len(y)}\nP@{k}\t{precision:{digits}}\nR@{k}\t{recall:{digits}}\n"


def test(args):
    """Evaluate a model on a labelled file: N, P@k and R@k (N, MAE and R2 for a regressor)."""
    import numpy as np
    from sklearn.metrics import r2_score

    check_k(args.k)
    model = load_model(args.model)
    docs, y = read_model_labelled(args.file, model)
    if not is_classifier(model):
        predicted = model.predict(docs)
        error = predicted - y
        # score()'s R2: for labels of one value, 1 if all are predicted, else 0 (not -inf)
        r2 = r2_score(y, predicted) if len(y) > 1 else np.nan
        print(f"N\t{len(y)}\nMAE\t{np.mean(np.abs(error)):.6g}\nR2\t{r2:.6g}")
        return 0
    write_lines(_general_metrics(y, _top_labels(model, docs, args.k, args.threshold), args.k))
    return 0


def _metric(name, value, defined):
    """One of test-label's fields: six decimals, or fastText's dashes where it has no value."""
    return f"{name} : {value:.6f}  " if defined else f"{name} : --------  "


def test_label(args):
    """Evaluate a classifier on a labelled file: F1, precision and recall of each label,
    then N, P@k and R@k."""
    import numpy as np

    from ..metrics import per_label_scores

    check_k(args.k)
    model = load_model(args.model)
    if not is_classifier(model):
        raise ValueError(f"test-label needs a classifier; {args.model} holds a regressor.")
    docs, y = read_model_labelled(args.file, model)
    top = _top_labels(model, docs, args.k, args.threshold)
    present = top != None  # noqa: E711 (element-wise)
    labels = [str(label) for label in model.classes_]
    predicted = [row[kept].tolist() for row, kept in zip(top, present, strict=True)]
    scores = per_label_scores(y, predicted, labels=labels)
    # fastText has no precision for a label never predicted: count the predictions
    names, counts = np.unique(top[present].astype(str), return_counts=True)
    n_predicted = dict(zip(names.tolist(), counts.tolist(), strict=True))
    prefix = model_label_prefix(model)
    lines = []
    for label, (precision, recall, f1, support) in scores.items():
        n = n_predicted.get(label, 0)
        lines.append(
            _metric("F1-Score", f1, n + support > 0)
            + _metric("Precision", precision, n > 0)
            + _metric("Recall", recall, support > 0)
            + f" {prefix}{label}\n"
        )
    lines.append(_general_metrics(y, top, args.k, fixed=True))
    write_lines(lines)
    return 0
