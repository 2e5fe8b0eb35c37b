"""Command line: fastText's commands, on skfasttext models.

  skfasttext supervised -input train.txt -output model [-dim 100 -epoch 5 -loss ova|hs|ns ...]
  skfasttext quantize -output model [-input train.txt -retrain -cutoff 100000 -dsub 2 ...]
  skfasttext test model.skft test.txt [k] [threshold]
  skfasttext test-label model.skft test.txt [k] [threshold]
  skfasttext predict model.skft test.txt|- [k] [threshold]
  skfasttext predict-prob model.skft test.txt|- [k] [threshold]
  skfasttext print-word-vectors model.skft < words.txt
  skfasttext print-ngrams model.skft word
  skfasttext print-sentence-vectors model.skft < documents.txt
  skfasttext nn model.skft [k] < words.txt
  skfasttext analogies model.skft [k] < triplets.txt
  skfasttext dump model.skft args|dict|input|output
  skfasttext demo

Commands, arguments and output follow fastText's, so scripts can swap the binary.
A model file (``.skft``) is a fitted FastTextClassifier or FastTextRegressor saved
with ``save``: ``skfasttext.load(path)`` gives it back in Python. Reading one runs no
code, so a downloaded model is safe to use.

TensorFlow starts quietly: its start-up lines are left out (and its C++ log level
is TF_CPP_MIN_LOG_LEVEL=3 unless you set one). Set SKFASTTEXT_TF_LOGS=1 to see them.
"""

import argparse
import contextlib
import os
import sys
import tempfile
import time
from itertools import islice

__all__ = ["main"]

_LABEL = "__label__"
_CHUNK = 65536  # documents read, predicted and printed at a time
_DIGITS = 5  # significant digits of printed vectors, as fastText prints them


class _UsageError(Exception):
    """A command line argparse refused."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} -h)")


# -- helpers ------------------------------------------------------------------------


def _log(verbose, message):
    if verbose:
        print(message, file=sys.stderr)


def _model_path(output):
    """``output``, with the extension ``.skft`` when it has none."""
    return output if os.path.splitext(output)[1] else output + ".skft"


def _load(path, *, words=False):
    """The fitted estimator saved at ``path``; with ``words``, one that has a vocabulary."""
    from . import load

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such model file: {path}")
    model = load(path)  # a model file runs no code; anything else is refused
    if words and model.vectorizer_ is None:
        raise ValueError(f"{path} was fitted on ids, so it has no words.")
    return model


def _check_k(k, *, every=True):
    """Fail before reading any input; with ``every``, -1 (every label) is allowed too."""
    if k < 1 and not (every and k == -1):
        also = " (or -1: every label)" if every else ""
        raise ValueError(f"k must be a positive integer, got {k}{also}.")


def _top_k(model, k):
    """``k`` labels per document; fastText's ``-1`` means every label."""
    return len(model.classes_) if k == -1 else k


def _is_classifier(model):
    return hasattr(model, "classes_")


def _label_prefix(model):
    """The label prefix of the file the model was fitted on (``fit_file`` sets it)."""
    return getattr(model, "label_prefix_", _LABEL)


def _lines(path):
    """Lines of a file, or of stdin for ``-``, decoded from UTF-8, newline removed."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        yield from _decoded(stream, "<stdin>")
        return
    with open(path, "rb") as f:
        yield from _decoded(f, path)


def _decoded(stream, name):
    for lineno, line in enumerate(stream, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{name}, line {lineno}: not UTF-8 ({exc.reason}).") from None
        yield line.rstrip("\r\n")


def _interactive(path="-"):
    return path == "-" and hasattr(sys.stdin, "isatty") and sys.stdin.isatty()


def _chunks(lines, size):
    lines = iter(lines)
    while chunk := list(islice(lines, size)):
        yield chunk


def _documents(lines, prefix):
    """Each line as a document, its label tokens removed (fastText predicts on words only)."""
    from .io import split_tokens

    for line in lines:
        if prefix in line:
            tokens = split_tokens(line)
            line = " ".join(token for token in tokens if not token.startswith(prefix))
        yield line


def _words(lines):
    from .io import split_tokens

    for line in lines:
        yield from split_tokens(line)


def _write(lines):
    sys.stdout.write("".join(lines))
    sys.stdout.flush()


# -- commands -----------------------------------------------------------------------

# fastText's own defaults where the estimators' differ: a fastText script trains the model it did
# (threshold 0.5: 'auto' would fit a multi-label model twice; the regressor has none)
_FASTTEXT_DEFAULTS = {
    "epoch": 5, "word_ngrams": 1, "pooling": "mean", "early_stopping": False, "threshold": 0.5,
}  # fmt: skip


def supervised(args):
    """Train a classifier (or with -regression a regressor) on a fastText-format file."""
    from .classifier import FastTextClassifier
    from .regressor import FastTextRegressor

    Estimator = FastTextRegressor if args.regression else FastTextClassifier
    names = ["dim", "lr", "epoch", "min_count", "word_ngrams", "bucket", "minn", "maxn"]
    names += ["pooling"]
    names += ["hidden_units", "max_len", "pretrained_vectors"]
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
    if _is_classifier(model):
        kind = " (multi-label, one-vs-all)" if model.multilabel_ else ""
        _log(args.verbose, f"Number of labels: {len(model.classes_)}{kind}")
    _log(args.verbose, f"Number of words:  {len(model.vectorizer_.vocabulary_)}")
    _log(args.verbose, f"Trained in {time.perf_counter() - start:.1f}s")
    path = _model_path(args.output)
    if autotune is not None and autotune["size"] is not None:  # quantized, as fastText's .ftz
        path = os.path.splitext(path)[0] + ".ftz"
    model.save(path)
    _log(args.verbose, f"Saved {type(model).__name__} to {path}")
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
    _check_k(k, every=False)
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
    from .autotune import AutotuneSearchCV, quantize_to_size, top_k_f1_scorer
    from .io import read_fasttext

    def labelled(file):
        docs, labels = read_fasttext(file, label_prefix=args.label, multi_label=True)
        if all(len(labs) == 1 for labs in labels):
            labels = [labs[0] for labs in labels]
        if args.regression:
            from ._validation import numeric_labels

            labels = numeric_labels(labels, file, args.label)
        return docs, labels

    docs, labels = labelled(path)
    val_docs, val_labels = labelled(args.autotune_validation)
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
    _log(args.verbose, f"Trials: {len(search.cv_results_['params'])}")
    _log(args.verbose, "Best selected args")
    for name, value in search.best_params_.items():
        _log(args.verbose, f"  {names.get(name, name)} = {value}")
    shown = "-MAE" if args.regression else metric
    _log(args.verbose, f"Validation score ({shown}): {search.best_score_:.6g}")
    if size is not None:
        best = quantize_to_size(best, size, docs, labels)
        _log(args.verbose, f"Quantized to {best.input_dim_} rows for -autotune-modelsize {size}")
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

    from .io import iter_fasttext, write_fasttext

    def chunks():
        return iter_fasttext(
            args.input, chunk_size=_CHUNK, label_prefix=args.label, multi_label=True
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
    _log(
        args.verbose,
        f"-minCountLabel {args.min_count_label}: {len(counts) - len(keep)} labels dropped, "
        f"{lines - kept} lines left with no label skipped",
    )
    return out


def _labelled(path, model):
    """Documents and targets of a labelled file, read as ``model`` reads them: labels (a
    list a line where a line holds several) for a classifier, numbers for a regressor."""
    from ._validation import numeric_labels
    from .io import read_fasttext

    prefix = _label_prefix(model)
    docs, labels = read_fasttext(path, label_prefix=prefix, multi_label=True)
    if not docs:
        raise ValueError(f"{path} holds no documents.")
    if all(len(labs) == 1 for labs in labels):
        labels = [labs[0] for labs in labels]
    if not _is_classifier(model):
        return docs, numeric_labels(labels, path, prefix)
    return docs, labels


def _top_labels(model, docs, k, threshold):
    """The ``k`` most probable labels of each document, as strings (None: left out)."""
    top, _ = model.predict_top_k(docs, k=_top_k(model, k), threshold=threshold)
    return _as_str(top)  # labels read from a file are strings


def _general_metrics(y, top, k, *, fixed=False):
    """fastText's N, P@k, R@k lines; ``fixed``: three decimals, as after test-label's."""
    from .metrics import precision_at_k, recall_at_k

    digits = ".3f" if fixed else ".3g"  # test-label leaves C++'s std::fixed set
    precision, recall = precision_at_k(y, top), recall_at_k(y, top)
    return f"N\t{len(y)}\nP@{k}\t{precision:{digits}}\nR@{k}\t{recall:{digits}}\n"


def test(args):
    """Evaluate a model on a labelled file: N, P@k and R@k (N, MAE and R2 for a regressor)."""
    import numpy as np

    _check_k(args.k)
    model = _load(args.model)
    docs, y = _labelled(args.file, model)
    if not _is_classifier(model):
        error = model.predict(docs) - y
        r2 = 1.0 - np.sum(error**2) / np.sum((y - y.mean()) ** 2) if len(y) > 1 else np.nan
        print(f"N\t{len(y)}\nMAE\t{np.mean(np.abs(error)):.6g}\nR2\t{r2:.6g}")
        return 0
    _write(_general_metrics(y, _top_labels(model, docs, args.k, args.threshold), args.k))
    return 0


def _metric(name, value, defined):
    """One of test-label's fields: six decimals, or fastText's dashes where it has no value."""
    return f"{name} : {value:.6f}  " if defined else f"{name} : --------  "


def test_label(args):
    """Evaluate a classifier on a labelled file: F1, precision and recall of each label,
    then N, P@k and R@k."""
    import numpy as np

    from .metrics import per_label_scores

    _check_k(args.k)
    model = _load(args.model)
    if not _is_classifier(model):
        raise ValueError(f"test-label needs a classifier; {args.model} holds a regressor.")
    docs, y = _labelled(args.file, model)
    top = _top_labels(model, docs, args.k, args.threshold)
    present = top != None  # noqa: E711 (element-wise)
    labels = [str(label) for label in model.classes_]
    predicted = [row[kept].tolist() for row, kept in zip(top, present, strict=True)]
    scores = per_label_scores(y, predicted, labels=labels)
    # fastText has no precision for a label never predicted: count the predictions
    names, counts = np.unique(top[present].astype(str), return_counts=True)
    n_predicted = dict(zip(names.tolist(), counts.tolist(), strict=True))
    prefix = _label_prefix(model)
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
    _write(lines)
    return 0


def quantize(args):
    """Quantize OUTPUT.skft as fastText does: fewer rows (-cutoff), each coded in bytes
    (-dsub), retrained first on -input (-retrain); write OUTPUT.ftz."""
    path = _model_path(args.output)
    model = _load(path)
    data = {}
    if args.retrain:
        if args.input is None:
            raise ValueError("-retrain trains the kept rows again on -input: pass the file.")
        data = dict(zip(("X", "y"), _labelled(args.input, model), strict=True))
    start = time.perf_counter()
    verbose = model.verbose  # the command's progress bar, not the saved model's setting
    with contextlib.redirect_stdout(sys.stderr):
        model.set_params(verbose=1 if args.verbose >= 2 else 0)
        names = ["cutoff", "dsub", "qnorm", "qout", "retrain", "epoch", "lr"]
        model.quantize(**data, **{name: getattr(args, name) for name in names})
    model.set_params(verbose=verbose)
    out = os.path.splitext(path)[0] + ".ftz"
    model.save(out)
    _log(args.verbose, f"Quantized in {time.perf_counter() - start:.1f}s: {model.input_dim_} rows")
    _log(args.verbose, f"Saved {type(model).__name__} to {out}")
    return 0


def _as_str(labels):
    out = labels.copy()
    present = labels != None  # noqa: E711 (element-wise)
    out[present] = [str(label) for label in labels[present]]
    return out


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


def print_word_vectors(args):
    """Print the vector of each word read from stdin: with character n-grams the mean of
    its row and its n-grams' rows, as fastText (an unknown word's from its n-grams);
    a word with no row at all gets the '<unk>' vector."""
    from .io import format_vectors

    model = _load(args.model, words=True)
    size = 1 if _interactive() else _CHUNK
    for words in _chunks(_words(_lines("-")), size):
        words, vectors = model.get_word_vectors(words)
        _write(format_vectors(vectors, words=words, precision=_DIGITS))
    return 0


def print_ngrams(args):
    """Print the word (if in the vocabulary) and each of its character n-grams with its
    vector, as fastText's print-ngrams; an n-gram fit never saw has no row: zeros."""
    import numpy as np

    from .io import format_vectors

    model = _load(args.model, words=True)
    subwords, ids = model.get_subwords(args.word)
    vectors = np.zeros((len(ids), model.dim), dtype=np.float32)
    if (ids >= 0).any():
        vectors[ids >= 0] = model.model_.get_layer("embedding").rows(ids[ids >= 0])
    _write(format_vectors(vectors, words=subwords, precision=_DIGITS))
    return 0


def print_sentence_vectors(args):
    """Print the document vector (the pooled word vectors) of each line read from stdin."""
    from .io import format_vectors

    model = _load(args.model, words=True)
    size = 1 if _interactive() else _CHUNK
    for docs in _chunks(_documents(_lines("-"), _label_prefix(model)), size):
        _write(format_vectors(model.transform(docs), precision=_DIGITS))
    return 0


def nn(args):
    """Print the k nearest neighbours (cosine) of each query word read from stdin."""
    _check_k(args.k, every=False)
    model = _load(args.model, words=True)
    prompt = "Query word? " if _interactive() else ""
    _write(prompt)
    for word in _words(_lines("-")):
        neighbours = model.most_similar(word, k=args.k)
        _write([f"{other} {similarity:.{_DIGITS}g}\n" for other, similarity in neighbours])
        _write(prompt)
    return 0


def analogies(args):
    """Print the k words nearest (cosine) to A - B + C for each triplet A B C read from stdin,
    A, B and C left out, as fastText does."""
    import numpy as np

    _check_k(args.k, every=False)
    model = _load(args.model, words=True)
    prompt = "Query triplet (A - B + C)? " if _interactive() else ""
    _write(prompt)
    for triplet in _chunks(_words(_lines("-")), 3):
        if len(triplet) < 3:
            raise ValueError(
                f"analogies reads words three at a time (A B C); the input ended after "
                f"{len(triplet)} more: {' '.join(triplet)}"
            )
        vectors = np.stack([model.get_word_vector(word) for word in triplet])
        # fastText adds the unit vectors: a frequent word's longer vector does not dominate
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8
        query = vectors[0] - vectors[1] + vectors[2]
        # the k + 3 nearest hold the k nearest that are not A, B or C
        neighbours = model.most_similar(query, k=args.k + 3)
        neighbours = [(word, s) for word, s in neighbours if word not in triplet][: args.k]
        _write([f"{word} {similarity:.6g}\n" for word, similarity in neighbours])
        _write(prompt)
    return 0


_FASTTEXT_NAMES = {  # parameter -> fastText's argument, where the command line has it
    "min_count": "minCount",
    "word_ngrams": "wordNgrams",
    "hidden_units": "hiddenUnits",
    "max_len": "maxLen",
    "pretrained_vectors": "pretrainedVectors",
    "random_state": "seed",
}
# fastText's dump args order; the estimators' other parameters follow
_FASTTEXT_ARGS = ["dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model"]
_FASTTEXT_ARGS += ["bucket", "minn", "maxn", "lrUpdateRate", "t"]


def _dump_args(model):
    params = {_FASTTEXT_NAMES.get(name, name): value for name, value in model.get_params().items()}
    if hasattr(model, "label_prefix_"):
        params["label"] = model.label_prefix_
    first = [name for name in _FASTTEXT_ARGS if name in params]
    rest = [name for name in params if name not in first]
    return [f"{name} {params[name]}\n" for name in first + rest]


def _dump_dict(model):
    vectorizer = model.vectorizer_
    words = vectorizer.get_feature_names_out()[2:]  # the vocabulary, without <pad> and <unk>
    counts = vectorizer.word_counts_.tolist()
    labels = model.classes_ if _is_classifier(model) else []
    prefix = _label_prefix(model)
    yield f"{len(words) + len(labels)}\n"
    yield from (f"{word} {count} word\n" for word, count in zip(words, counts, strict=True))
    yield from (f"{prefix}{label} 0 label\n" for label in labels)  # no label counts are kept


def _dump_matrix(rows, n_rows, dim):
    """fastText's matrix dump, ``rows(ids)`` giving the rows, a chunk at a time."""
    import numpy as np

    from .io import format_vectors

    yield f"{n_rows} {dim}\n"
    for start in range(0, n_rows, _CHUNK):
        yield from format_vectors(rows(np.arange(start, min(start + _CHUNK, n_rows))), precision=6)


def _output_rows(layer):
    """The output layer's weights, a row an output unit (decoded, if quantized with -qout)."""
    import numpy as np

    from .layers import QuantizedDense

    if isinstance(layer, QuantizedDense):  # its units are the rows of a quantized table
        return layer.rows(np.arange(layer.input_dim))
    return layer.get_weights()[0].T  # the kernel, (input size, units): the bias is left out


def dump(args):
    """Print the model's arguments, vocabulary, input matrix or output matrix, as fastText."""
    model = _load(args.model, words=args.option == "dict")
    if args.option == "args":
        _write(_dump_args(model))
    elif args.option == "dict":
        for lines in _chunks(_dump_dict(model), _CHUNK):
            _write(lines)
    elif args.option == "input":  # every id's row: padding, unknown word, words, n-grams
        embedding = model.model_.get_layer("embedding")
        for lines in _chunks(_dump_matrix(embedding.rows, model.input_dim_, model.dim), _CHUNK):
            _write(lines)
    else:
        rows = _output_rows(model.model_.get_layer("output"))
        _write(_dump_matrix(rows.__getitem__, *rows.shape))
    return 0


def demo(args):
    """Train a classifier and a regressor on the built-in age corpus and print their scores."""
    import numpy as np

    from .classifier import FastTextClassifier
    from .datasets import make_age_corpus
    from .regressor import FastTextRegressor

    docs, ages = make_age_corpus(args.documents, random_state=0)
    test_docs, test_ages = make_age_corpus(args.documents // 4, random_state=1)
    print(f"Built-in age corpus: {len(docs)} training and {len(test_docs)} test documents.")
    majority = np.bincount(ages).argmax()
    median = np.median(ages)
    common = dict(random_state=0, verbose=1)
    if args.epoch is not None:
        common["epoch"] = args.epoch

    def fit_predict(estimator):
        start = time.perf_counter()
        estimator.fit(docs, ages)
        return estimator.predict(test_docs), time.perf_counter() - start

    print("\nFastTextClassifier (ages as classes)")
    predicted, seconds = fit_predict(FastTextClassifier(**common))
    print(
        f"  accuracy {np.mean(predicted == test_ages):.3f}"
        f"  (baseline, always {majority}: {np.mean(test_ages == majority):.3f})"
        f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}  fit + predict {seconds:.1f}s"
    )

    print("\nFastTextRegressor (ages as numbers)")
    predicted, seconds = fit_predict(FastTextRegressor(**common))
    print(
        f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}"
        f"  (baseline, always {median:g}: {np.mean(np.abs(test_ages - median)):.2f})"
        f"  fit + predict {seconds:.1f}s"
    )
    return 0


# -- the parser ---------------------------------------------------------------------


def _command(commands, name, handler, usage_help):
    parser = commands.add_parser(
        name, help=usage_help, description=handler.__doc__, allow_abbrev=False
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_k_threshold(parser):
    parser.add_argument(
        "k", nargs="?", type=int, default=1, help="labels per line, -1 for all (default 1)"
    )
    parser.add_argument(
        "threshold",
        nargs="?",
        type=float,
        default=0.0,
        help="leave out labels with a lower probability (default 0.0)",
    )


def _parser():
    parser = _Parser(
        prog="skfasttext",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    train = _command(commands, "supervised", supervised, "train a supervised model")
    option = train.add_argument
    option("-input", required=True, metavar="FILE", help="training file, fastText format")
    option("-output", required=True, metavar="MODEL", help="model file (.skft if no extension)")
    option("-dim", type=int, help="size of word vectors (default 100)")
    option("-lr", type=float, help="learning rate (default 0.1)")
    option("-epoch", type=int, help="number of epochs (default 5)")
    option("-minCount", dest="min_count", type=int, help="minimal count of a word (default 1)")
    option(
        "-minCountLabel",
        dest="min_count_label",
        type=int,
        help="minimal count of a label: rarer labels are dropped, lines left without one "
        "skipped (default 0)",
    )
    option("-wordNgrams", dest="word_ngrams", type=int, help="longest word n-gram (default 1)")
    option("-bucket", type=int, help="hash buckets of word and char n-grams (default 2000000)")
    option("-minn", type=int, help="min length of char n-grams (default 0)")
    option("-maxn", type=int, help="max length of char n-grams (default 0: none)")
    option("-label", default=_LABEL, help=f"label prefix (default {_LABEL})")
    option(
        "-pooling",
        choices=["mean", "sqrtn", "max", "lp"],
        help="word vector pooling (default mean)",
    )
    option(
        "-loss",
        choices=["softmax", "ova", "hs", "ns"],
        help="softmax; ova: one-vs-all, multi-label; hs: hierarchical softmax; ns: negative "
        "sampling (default softmax)",
    )
    option(
        "-neg", type=int, help="weight of the negatives a line, in draws, with -loss ns (default 5)"
    )
    option("-regression", action="store_true", help="labels are numbers: train a regressor")
    option(
        "-hiddenUnits",
        dest="hidden_units",
        type=int,
        help="tanh hidden units (default 0; 64 with -regression)",
    )
    option(
        "-noEos",
        dest="no_eos",
        action="store_true",
        help="do not end each line with </s> (fastText always does; so do we by default)",
    )
    option("-maxLen", dest="max_len", type=int, help="ids kept per document (default all)")
    option(
        "-pretrainedVectors",
        dest="pretrained_vectors",
        metavar="FILE",
        help="word vectors (.vec) to start from, for the words they hold",
    )
    option("-verbose", type=int, default=2, help="0 quiet, 1 summary, 2 progress bar (default 2)")
    option("-seed", type=int, default=0, help="random seed (default 0)")
    option("-thread", type=int, help="accepted for fastText scripts and ignored")
    # fastText scripts pass these; their job is done otherwise here (docs/cli.md)
    option("-lrUpdateRate", type=int, help="accepted and ignored: the rate decays every step")
    option(
        "-autotune-validation",
        metavar="FILE",
        help="search the settings that score best on this file (fastText format)",
    )
    option(
        "-autotune-metric",
        metavar="f1|f1:LABEL",
        help="the score searched: F1 of every label, or of one (default f1; MAE for -regression)",
    )
    option("-autotune-predictions", type=int, help="labels predicted a line, scored (default 1)")
    option(
        "-autotune-duration",
        type=float,
        help="seconds for the search and the final training (default 300)",
    )
    option(
        "-autotune-modelsize",
        metavar="SIZE",
        help="quantize the model to a file of at most SIZE bytes (2M, 500K): writes .ftz",
    )
    option("-saveOutput", action="store_true", help="accepted and ignored: models hold it")

    run = _command(commands, "quantize", quantize, "quantize a model: a much smaller file")
    option = run.add_argument
    option("-output", required=True, metavar="MODEL", help="the model: MODEL.skft, read")
    option("-input", metavar="FILE", help="training file, fastText format (for -retrain)")
    option("-cutoff", type=int, default=0, help="rows kept, those of largest norm (default all)")
    option("-dsub", type=int, default=2, help="values coded by one byte (default 2)")
    option("-qnorm", action="store_true", help="quantize the norms of the rows apart")
    option("-qout", action="store_true", help="quantize the output layer too")
    option("-retrain", action="store_true", help="train the kept rows again on -input")
    option("-epoch", type=int, help="epochs of -retrain (default the model's)")
    option("-lr", type=float, help="learning rate of -retrain (default the model's)")
    option("-verbose", type=int, default=2, help="0 quiet, 1 summary, 2 progress bar (default 2)")
    option("-thread", type=int, help="accepted for fastText scripts and ignored")

    documents = "documents, one a line; - reads stdin"
    for name, handler, usage_help, file_help in [
        ("test", test, "evaluate a model: N, P@k, R@k", "test file, fastText format"),
        (
            "test-label",
            test_label,
            "evaluate a classifier: F1, precision, recall of each label",
            "test file, fastText format",
        ),
        ("predict", predict, "predict the most likely labels", documents),
        ("predict-prob", predict_prob, "predict labels with their probabilities", documents),
        ("print-word-vectors", print_word_vectors, "print word vectors of words on stdin", None),
        ("print-sentence-vectors", print_sentence_vectors, "print vectors of lines on stdin", None),
        ("nn", nn, "query nearest neighbours of words on stdin", None),
        ("analogies", analogies, "query analogies: triplets A B C on stdin", None),
        ("dump", dump, "print the arguments, vocabulary, input or output matrix", None),
    ]:
        run = _command(commands, name, handler, usage_help)
        run.add_argument("model", help="model file")
        if file_help is not None:  # the commands that label documents read from a file
            run.add_argument("file", help=file_help)
            _add_k_threshold(run)
    nn_k = "neighbours (default 10)"
    commands.choices["nn"].add_argument("k", nargs="?", type=int, default=10, help=nn_k)
    analogies_k = "nearest words (default 10)"
    commands.choices["analogies"].add_argument(
        "k", nargs="?", type=int, default=10, help=analogies_k
    )
    run = _command(commands, "print-ngrams", print_ngrams, "print a word's n-grams and vectors")
    run.add_argument("model", help="model file")
    run.add_argument("word", help="the word")
    commands.choices["dump"].add_argument(
        "option", choices=["args", "dict", "input", "output"], help="what to print"
    )

    run = _command(commands, "demo", demo, demo.__doc__)
    run.add_argument("--documents", type=int, default=20000, help="training documents")
    run.add_argument("--epoch", type=int, help="training epochs (default: the estimators')")
    return parser


def main(argv=None):
    """Run the ``skfasttext`` command line.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments, without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success; 1 after an error, reported in one line on stderr.

    Examples
    --------
    >>> from skfasttext.__main__ import main
    >>> main(["predict", "no-such-model.skft", "-"])
    1
    """
    try:
        args = _parser().parse_args(argv)
        return args.handler(args)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
    except BrokenPipeError:  # e.g. `skfasttext predict ... | head`: stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        return 130
    except (ValueError, TypeError, OSError, FloatingPointError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
            message = f"{exc.strerror}: {os.fsdecode(exc.filename)}"
        print(f"skfasttext: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
