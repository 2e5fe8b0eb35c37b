"""supervised: train a model on a fastText-format file, or search one with -autotune-*."""

import contextlib
import os
import sys
import tempfile
import time

from ._common import CHUNK, check_k, is_classifier, log, model_path, read_labelled

# fastText's own defaults where the estimators' differ: a fastText script trains the model it did
# (threshold 0.5: 'auto' would fit a multi-label model twice; the regressor has none)
_FASTTEXT_DEFAULTS = {
    "epoch": 5, "word_ngrams": 1, "pooling": "mean", "early_stopping": False, "threshold": 0.5,
}  # fmt: skip


def supervised(args):
    """Train a classifier (or with -regression a regressor) on a fastText-format file."""
    from ..classifier import FastTextClassifier
    from ..regressor import FastTextRegressor

    Estimator = FastTextRegressor if args.regression else FastTextClassifier
    names = ["dim", "lr", "epoch", "min_count", "word_ngrams", "bucket", "minn", "maxn"]
    names += ["pooling", "hidden_units", "max_len", "pretrained_vectors"]
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    own = Estimator().get_params()
    params = {name: value for name, value in _FASTTEXT_DEFAULTS.items() if name in own} | given
    if args.pretrained_vectors is not None:
        _check_vec_header(args.pretrained_vectors, args.dim or 100)
    params["eos"] = not args.no_eos
    # fastText's -verbose 2 shows progress: Keras' progress bar, on stderr like fastText's
    params.update(random_state=args.seed, verbose=1 if args.verbose >= 2 else 0)
    if args.loss is not None:
        if args.regression:
            raise ValueError("-loss is for classifiers; -regression trains a regressor.")
        params["loss"] = args.loss
    if args.neg is not None:
        if args.regression:
            raise ValueError("-neg is for classifiers; -regression trains a regressor.")
        params["neg"] = args.neg
    if args.min_count_label is not None:
        if args.regression:
            raise ValueError("-minCountLabel is for classifiers; -regression trains a regressor.")
        if args.min_count_label < 0:
            raise ValueError(f"-minCountLabel must be 0 or more, got {args.min_count_label}.")
    model = Estimator(**params)
    autotune = _autotune_options(args)
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        path = args.input
        if args.min_count_label is not None and args.min_count_label > 1:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="skfasttext-"))
            path = _without_rare_labels(args, os.path.join(tmp, "input.txt"))
        stack.enter_context(contextlib.redirect_stdout(sys.stderr))
        if autotune is not None:
            model = _autotune(args, model, path, **autotune)
        else:
            # fit_file checks the options before it reads anything, then reads a chunk at
            # a time, as fastText streams its input; a line with several labels makes a
            # multi-label, one-vs-all classifier; it keeps the label prefix in
            # label_prefix_, with which test and predict read and write its labels
            model.fit_file(path, label_prefix=args.label)
    if is_classifier(model):
        kind = " (multi-label, one-vs-all)" if model.multilabel_ else ""
        log(args.verbose, f"Number of labels: {len(model.classes_)}{kind}")
    log(args.verbose, f"Number of words:  {len(model.vectorizer_.vocabulary_)}")
    log(args.verbose, f"Trained in {time.perf_counter() - start:.1f}s")
    path = model_path(args.output)
    if autotune is not None and autotune["size"] is not None:  # quantized, as fastText's .ftz
        path = os.path.splitext(path)[0] + ".ftz"
    model.save(path)
    log(args.verbose, f"Saved {type(model).__name__} to {path}")
    return 0


_AUTOTUNE_FLAGS = {
    "autotune_metric": "-autotune-metric",
    "autotune_predictions": "-autotune-predictions",
    "autotune_duration": "-autotune-duration",
    "autotune_modelsize": "-autotune-modelsize",
}
_SIZE_UNITS = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}  # fastText's: powers of 10
# the parameters autotune tunes but minn: one given on the command line is not (fastText's)
_TUNED = ["epoch", "lr", "dim", "word_ngrams"]


def _autotune_options(args):
    """The checked -autotune-* arguments, or None without -autotune-validation."""
    if args.autotune_validation is None:
        given = [flag for name, flag in _AUTOTUNE_FLAGS.items() if getattr(args, name) is not None]
        if given:
            raise ValueError(f"{given[0]} tunes a search on -autotune-validation: pass it.")
        return None
    duration = 300 if args.autotune_duration is None else args.autotune_duration
    if duration <= 0:
        raise ValueError(f"-autotune-duration must be positive seconds, got {duration}.")
    k = 1 if args.autotune_predictions is None else args.autotune_predictions
    check_k(k, every=False)
    metric = args.autotune_metric
    if args.regression and metric is not None:
        raise ValueError("-autotune-metric is for classifiers: a regression is tuned on its MAE.")
    metric = metric or "f1"
    if metric != "f1" and not metric.startswith("f1:"):
        raise ValueError(f"-autotune-metric is f1 or f1:LABEL, got {metric}.")
    size = args.autotune_modelsize
    if size is not None:
        unit = _SIZE_UNITS.get(size[-1:].lower(), 1)
        number = size[:-1] if unit > 1 else size
        try:
            size = int(float(number) * unit)
        except ValueError:
            size = 0
        if size <= 0:
            raise ValueError(f"-autotune-modelsize is bytes, as 2M or 500K, got {number!r}.")
    return {"duration": duration, "k": k, "metric": metric, "size": size}


def _autotune(args, model, path, *, duration, k, metric, size):
    """The best model that an AutotuneSearchCV of ``duration`` seconds finds, scored on
    -autotune-validation, and quantized to ``size`` bytes when given."""
    from ..autotune import AutotuneSearchCV, quantize_to_size, top_k_f1_scorer

    docs, labels = read_labelled(path, args.label, numeric=args.regression)
    val_docs, val_labels = read_labelled(
        args.autotune_validation, args.label, numeric=args.regression
    )
    scoring = "neg_mean_absolute_error"
    if not args.regression:
        label = metric[3:] or None
        if label is not None:
            label = label.removeprefix(args.label)
            known = {lab for labs in labels for lab in ([labs] if isinstance(labs, str) else labs)}
            if label not in known:
                raise ValueError(
                    f"-autotune-metric {metric}: {args.label}{label} is not a label of "
                    f"{args.input}."
                )
        scoring = top_k_f1_scorer(k, label)
    tuned = [name for name in _TUNED if getattr(args, name) is None]
    if args.minn is None and args.maxn is None:
        tuned.append("minn")
    search = AutotuneSearchCV(
        model,
        max_time=duration,
        param_names=tuned,
        scoring=scoring,
        random_state=args.seed,
        verbose=int(args.verbose >= 2),
    )
    search.fit(docs, labels, X_val=val_docs, y_val=val_labels)
    best = search.best_estimator_
    best.label_prefix_ = args.label  # test and predict read and write labels with it
    names = {"word_ngrams": "wordNgrams"}
    log(args.verbose, f"Trials: {len(search.cv_results_['params'])}")
    log(args.verbose, "Best selected args")
    for name, value in search.best_params_.items():
        log(args.verbose, f"  {names.get(name, name)} = {value}")
    shown = "-MAE" if args.regression else metric
    log(args.verbose, f"Validation score ({shown}): {search.best_score_:.6g}")
    if size is not None:
        best = quantize_to_size(best, size, docs, labels)
        log(args.verbose, f"Quantized to {best.input_dim_} rows for -autotune-modelsize {size}")
    return best


def _check_vec_header(path, dim):
    """Fail before training when a .vec file's header gives another dim (fastText does too)."""
    with open(path, "rb") as f:
        header = f.readline().split()
    if len(header) == 2 and all(field.isdigit() for field in header) and int(header[1]) != dim:
        raise ValueError(
            f"-pretrainedVectors {path} holds vectors of dim {int(header[1])}, but -dim is "
            f"{dim}: pass -dim {int(header[1])}."
        )


def _without_rare_labels(args, out):
    """Write ``args.input`` to ``out`` without the labels seen fewer than -minCountLabel
    times, and without the lines left with no label, as fastText drops them; return ``out``.
    """
    from collections import Counter
    from itertools import chain

    from ..io import iter_fasttext, write_fasttext

    def chunks():
        return iter_fasttext(
            args.input, chunk_size=CHUNK, label_prefix=args.label, multi_label=True
        )

    counts = Counter()
    for _, labels in chunks():  # fastText counts every occurrence, as here
        counts.update(chain.from_iterable(labels))
    keep = {label for label, count in counts.items() if count >= args.min_count_label}
    lines = kept = 0
    with open(out, "w", encoding="utf-8") as f:
        for docs, labels in chunks():
            labels = [[label for label in line if label in keep] for line in labels]
            lines += len(labels)
            docs = [doc for doc, line in zip(docs, labels, strict=True) if line]
            labels = [line for line in labels if line]
            if docs:  # write_fasttext refuses an empty chunk
                write_fasttext(f, docs, labels, label_prefix=args.label)
            kept += len(docs)
    if not kept:
        raise ValueError(
            f"-minCountLabel {args.min_count_label} drops every label of {args.input}: "
            f"its most frequent label is seen {max(counts.values(), default=0)} times."
        )
    log(
        args.verbose,
        f"-minCountLabel {args.min_count_label}: {len(counts) - len(keep)} labels dropped, "
        f"{lines - kept} lines left with no label skipped",
    )
    return out
