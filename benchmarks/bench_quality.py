"""Quality and fit time of skfasttext against fastText and TF-IDF + a linear model.

One run trains, on each dataset, each library at its own defaults, skfasttext at
fastText's defaults too (``epoch=5``, unigrams, mean pooling, no early stopping), and both
at ``epoch=25, wordNgrams=2``:

* fastText (``fasttext.train_supervised(path, thread=2, verbose=0, ...)``), a classifier;
* :class:`skfasttext.FastTextClassifier` with the same settings;
* :class:`skfasttext.FastTextRegressor` with the same settings (numeric-label datasets);
* TF-IDF(1,2) + a linear model exactly as ``../shared/bench/anchors.py`` builds it
  (``TfidfVectorizer(token_pattern=r"\\S+", ngram_range=(1, 2), sublinear_tf=True)``,
  ``LogisticRegression(C=10, max_iter=1000)`` or ``Ridge(alpha=1.0)``);
* trivial baselines: the majority class, the median of the training labels;
* on numeric-label datasets (but the article's shape), each regressor with a setting chosen
  by 3-fold cross-validation on the training set: skfasttext's pooling, Ridge's alpha.

Classification datasets report accuracy; numeric-label datasets (tate_year, the
age corpus) report the MAE of the predicted label read as a number, for the
classifiers too (plus their exact-label accuracy). Fit times include
vectorization (fastText reads its training file; skfasttext and scikit-learn
vectorize the documents already in memory). ``time / fastText`` divides a fit
time by fastText's fit time at the same settings, measured in the same run.

A second table holds the defaults against "the better anchor" of each dataset: the
better of fastText's defaults and TF-IDF(1,2) + linear (Ridge for numeric labels), with
skfasttext's classifier (the regressor for numeric labels) at its defaults; "meets" where
its accuracy is within 0.005 of the anchor's, or its MAE within 1%; and fit times over
TF-IDF's and fastText's.

Run from the repository root::

    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_quality.py            # full, several minutes
    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_quality.py --quick    # smoke test
    python benchmarks/bench_quality.py --datasets tate_year ages --quick

The table is printed and written as markdown to ``benchmarks/_out/quality.md``.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402

DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
OUT_DIR = Path(__file__).resolve().parent / "_out"
SEED = 0
THREADS = 2
FASTTEXT_TRIES = 3  # fastText fits that stop on NaN are retried with seed 1, then 2

# name -> (kind, source); "numeric" datasets have numbers as labels
DATASETS = {
    "chinese_reviews": ("classification", "file"),
    "rotten_tomatoes": ("classification", "file"),
    "tate_year": ("numeric", "file"),
    "ages": ("numeric", "make_age_corpus"),
    "ages_article": ("numeric", "make_age_corpus"),
}
AGES_TRAIN, AGES_TEST = 20_000, 5_000
# the source article's shape: 300k users, ~40 words each, a 200k-word vocabulary
ARTICLE_TRAIN, ARTICLE_TEST, ARTICLE_VOCABULARY = 300_000, 50_000, 200_000
QUICK_TRAIN, QUICK_TEST = 2_000, 1_000

# (label, fastText keyword arguments or None to reuse the row above's, skfasttext's)
SETTINGS = [
    ("defaults", {}, {}),
    ("fastText's defaults", None, FASTTEXT),
    (
        "epoch=25, ngrams=2",
        {"epoch": 25, "wordNgrams": 2},
        {**FASTTEXT, "epoch": 25, "word_ngrams": 2},
    ),
]
TFIDF_LOGISTIC, TFIDF_RIDGE = "TF-IDF(1,2) + LogisticRegression(C=10)", "TF-IDF(1,2) + Ridge"

# numeric datasets but the article's shape: each regressor also chooses its setting by 3-fold
# cross-validation on the training set (MAE), skfasttext its pooling, Ridge its penalty
POOLINGS = {"pooling": ["mean", "max"]}
RIDGE_ALPHAS = {"ridge__alpha": [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]}

COLUMNS = ["dataset", "model", "settings", "accuracy", "MAE", "fit s", "time / fastText"]


# -- data ------------------------------------------------------------------------


def _subsample(docs, labels, n, seed):
    """At most ``n`` documents, drawn at random (order kept)."""
    if len(docs) <= n:
        return docs, labels
    keep = np.sort(np.random.default_rng(seed).choice(len(docs), n, replace=False))
    return [docs[i] for i in keep], [labels[i] for i in keep]


def load(name, quick):
    """``(train_docs, train_labels, test_docs, test_labels)``, labels as str."""
    from skfasttext import make_age_corpus
    from skfasttext.io import read_fasttext

    if name.startswith("ages"):
        n_train, n_test, vocabulary = (AGES_TRAIN, AGES_TEST, 5000)
        if name == "ages_article":
            n_train, n_test, vocabulary = ARTICLE_TRAIN, ARTICLE_TEST, ARTICLE_VOCABULARY
        if quick:
            n_train, n_test = QUICK_TRAIN, QUICK_TEST // 2
        docs, ages = make_age_corpus(n_train, vocab_size=vocabulary, random_state=0)
        test_docs, test_ages = make_age_corpus(n_test, vocab_size=vocabulary, random_state=1)
        return docs, [str(a) for a in ages], test_docs, [str(a) for a in test_ages]
    docs, labels = read_fasttext(DATA_DIR / f"{name}.train.txt")
    test_docs, test_labels = read_fasttext(DATA_DIR / f"{name}.test.txt")
    if quick:
        docs, labels = _subsample(docs, labels, QUICK_TRAIN, SEED)
        test_docs, test_labels = _subsample(test_docs, test_labels, QUICK_TEST, SEED)
    return docs, labels, test_docs, test_labels


# -- models ----------------------------------------------------------------------


def _timed(fit):
    start = time.perf_counter()
    model = fit()
    return model, time.perf_counter() - start


def _release_keras():
    """Free the last Keras model (a 2M-bucket table is 800 MB) outside the timed region."""
    import keras

    keras.backend.clear_session()
    gc.collect()


def run_fasttext(train_path, test_docs, ft_kwargs):
    """fastText's predictions and fit time; a fit that stops on NaN is retried with the next seed.

    fastText sometimes diverges at its defaults (``RuntimeError: Encountered NaN.``, seen on
    the age corpus, with one or two threads alike); the note says how many tries it took.
    """
    import fasttext

    failures = []
    for seed in range(SEED, SEED + FASTTEXT_TRIES):
        try:
            model, seconds = _timed(
                lambda seed=seed: fasttext.train_supervised(
                    str(train_path), thread=THREADS, verbose=0, seed=seed, **ft_kwargs
                )
            )
        except RuntimeError as error:
            if "NaN" not in str(error) or seed == SEED + FASTTEXT_TRIES - 1:
                raise
            failures.append(seed)
            continue
        labels, _ = model.predict(test_docs, k=1)
        predicted = np.array([lab[0].removeprefix("__label__") for lab in labels])
        note = ""
        if failures:
            note = f"NaN with seed {', '.join(map(str, failures))}; seed={seed} shown"
        return predicted, seconds, note
    raise AssertionError("unreachable")


def run_classifier(docs, labels, test_docs, sk_kwargs):
    from skfasttext import FastTextClassifier

    model, seconds = _timed(
        lambda: FastTextClassifier(random_state=SEED, **sk_kwargs).fit(docs, labels)
    )
    predicted = model.predict(test_docs)
    del model
    _release_keras()
    return predicted, seconds


def _tuned(estimator, grid):
    """``estimator`` tuned over ``grid`` by 3-fold cross-validation (MAE), or as it is."""
    from sklearn.model_selection import GridSearchCV

    if grid is None:
        return estimator
    return GridSearchCV(estimator, grid, cv=3, scoring="neg_mean_absolute_error")


def _chosen(model):
    """The note of a tuned model: the setting its cross-validation chose."""
    params = getattr(model, "best_params_", {})
    return ", ".join(f"{k.split('__')[-1]}={v} chosen" for k, v in params.items())


def run_regressor(docs, targets, test_docs, sk_kwargs, grid=None):
    from skfasttext import FastTextRegressor

    estimator = _tuned(FastTextRegressor(random_state=SEED, **sk_kwargs), grid)
    model, seconds = _timed(lambda: estimator.fit(docs, targets))
    predicted, note = model.predict(test_docs), _chosen(model)
    del model
    _release_keras()
    return predicted, seconds, note


def anchor_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # whitespace tokens, as fastText and skfasttext see them (scikit-learn's default
    # pattern would drop one-character tokens: Chinese words, punctuation); anchors.py's
    return TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True)


def run_tfidf_logistic(docs, labels, test_docs):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(anchor_tfidf(), LogisticRegression(C=10, max_iter=1000))
    model, seconds = _timed(lambda: pipe.fit(docs, labels))
    return model.predict(test_docs), seconds


def run_tfidf_ridge(docs, targets, test_docs, grid=None):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    pipe = _tuned(make_pipeline(anchor_tfidf(), Ridge(alpha=1.0)), grid)
    model, seconds = _timed(lambda: pipe.fit(docs, targets))
    return model.predict(test_docs), seconds, _chosen(model)


# -- one dataset -----------------------------------------------------------------


def _accuracy(predicted, truth):
    return float(np.mean(np.asarray(predicted) == np.asarray(truth)))


def _mae(predicted, truth):
    return float(np.mean(np.abs(np.asarray(predicted, dtype=float) - np.asarray(truth, float))))


def _row(dataset, model, settings, accuracy=None, mae=None, seconds=None, ratio=None, note=""):
    return {
        "dataset": dataset,
        "model": model,
        "settings": settings,
        "accuracy": accuracy,
        "MAE": mae,
        "fit s": seconds,
        "time / fastText": ratio,
        "note": note,
    }


def _attempt(run, *args):
    """``run(*args)`` -> (predicted, seconds), or the error message of a failure."""
    try:
        return run(*args), None
    except Exception as error:  # noqa: BLE001 - a benchmark reports failures and goes on
        return None, f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"


def bench_dataset(name, quick, tmp, settings_run=SETTINGS):
    from skfasttext.io import write_fasttext

    numeric = DATASETS[name][0] == "numeric"
    docs, labels, test_docs, test_labels = load(name, quick)
    print(
        f"\n== {name}: {len(docs)} train / {len(test_docs)} test documents, "
        f"{len(set(labels))} labels, {np.mean([d.count(' ') + 1 for d in docs]):.1f} "
        "tokens per document",
        flush=True,
    )
    # fastText reads a file: write exactly the documents and labels the others get
    train_path = Path(tmp) / f"{name}.train.txt"
    write_fasttext(train_path, docs, labels)
    targets = np.asarray(labels, dtype=float) if numeric else None
    truth = np.asarray(test_labels, dtype=float) if numeric else np.asarray(test_labels)
    rows = []

    def report(
        model, settings, predicted=None, seconds=None, ft_seconds=None, *, classifier=True, note=""
    ):
        accuracy = mae = None
        if predicted is not None:
            values = np.asarray(predicted, dtype=float) if numeric else predicted
            accuracy = _accuracy(values, truth) if classifier else None
            mae = _mae(values, truth) if numeric else None
        ratio = seconds / ft_seconds if seconds is not None and ft_seconds else None
        row = _row(name, model, settings, accuracy, mae, seconds, ratio, note)
        rows.append(row)
        parts = [
            f"{k}={row[k]:.4g}"
            for k in ("accuracy", "MAE", "fit s", "time / fastText")
            if row[k] is not None
        ]
        print(f"    {model:<30} {settings:<20} {'  '.join(parts)} {note}", flush=True)

    def attempt(model, settings, ft_seconds, run, *args, classifier=True):
        print(f"    ... {model} [{settings}]", file=sys.stderr, flush=True)
        out, error = _attempt(run, *args)
        if error:
            report(model, settings, note=f"failed: {error}")
            return None
        predicted, seconds, *note = out
        report(
            model,
            settings,
            predicted,
            seconds,
            ft_seconds,
            classifier=classifier,
            note="".join(note),
        )
        return seconds

    # trivial baselines: predict the median, the majority class
    if numeric:
        median = float(np.median(targets))
        report(f"median ({median:g})", "-", np.full(len(truth), median), classifier=False)
    values, counts = np.unique(labels, return_counts=True)
    majority = values[np.argmax(counts)]
    report(f"majority class ({majority})", "-", np.full(len(truth), majority))

    # the article's shape at fastText's defaults only: 25 epochs there take many minutes
    ft_seconds = None
    for settings, ft_kwargs, sk_kwargs in (
        settings_run[:2] if name == "ages_article" else settings_run
    ):
        if ft_kwargs is not None:
            ft_seconds = attempt(
                "fastText", settings, None, run_fasttext, train_path, test_docs, ft_kwargs
            )
            if ft_seconds:
                rows[-1]["time / fastText"] = 1.0
        attempt(
            "FastTextClassifier",
            settings,
            ft_seconds,
            run_classifier,
            docs,
            labels,
            test_docs,
            sk_kwargs,
        )
        if numeric:
            attempt(
                "FastTextRegressor",
                settings,
                ft_seconds,
                run_regressor,
                docs,
                targets,
                test_docs,
                sk_kwargs,
                classifier=False,
            )
        # the scikit-learn references, once; LogisticRegression on the article's
        # shape (69 classes, 200k words, 300k documents) takes longer than all the rest
        if settings == SETTINGS[0][0] and name != "ages_article":
            attempt(
                TFIDF_LOGISTIC,
                "anchors.py",
                ft_seconds,
                run_tfidf_logistic,
                docs,
                labels,
                test_docs,
            )
        if settings == SETTINGS[0][0] and numeric:
            attempt(
                TFIDF_RIDGE,
                "anchors.py",
                ft_seconds,
                run_tfidf_ridge,
                docs,
                targets,
                test_docs,
                classifier=False,
            )
        # each regressor tuned, but on the article's shape; the fit times include the CV
        if settings == SETTINGS[0][0] and numeric and name != "ages_article":
            attempt(
                "FastTextRegressor",
                "3-fold CV: pooling",
                ft_seconds,
                run_regressor,
                docs,
                targets,
                test_docs,
                {},
                POOLINGS,
                classifier=False,
            )
            attempt(
                TFIDF_RIDGE,
                "3-fold CV: alpha",
                ft_seconds,
                run_tfidf_ridge,
                docs,
                targets,
                test_docs,
                RIDGE_ALPHAS,
                classifier=False,
            )
    print(f"    (peak memory of this process so far: {_peak_rss_gb():.1f} GB)", flush=True)
    return rows


def _peak_rss_gb():
    try:
        import resource
    except ImportError:  # not on Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # kB on Linux


# -- output ----------------------------------------------------------------------


def _fmt(key, value):
    if value is None:
        return ""
    if key == "accuracy":
        return f"{value:.4f}"
    if key == "MAE":
        return f"{value:.2f}"
    if key == "fit s":
        return f"{value:.1f}"
    if key == "time / fastText":
        return f"{value:.1f}x"
    return str(value)


def markdown_table(rows):
    has_notes = any(row["note"] for row in rows)
    columns = COLUMNS + (["note"] if has_notes else [])
    right = {"accuracy", "MAE", "fit s", "time / fastText"}
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---:" if c in right else "---" for c in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(c, row[c]) for c in columns) + " |")
    return "\n".join(lines)


def _find(rows, dataset, model, settings):
    for row in rows:
        if (row["dataset"], row["model"], row["settings"]) == (dataset, model, settings):
            return row
    return None


def defaults_rows(rows):
    """Each dataset's defaults against its better anchor (see the module's docstring)."""
    out = []
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        numeric = DATASETS[dataset][0] == "numeric"
        key = "MAE" if numeric else "accuracy"
        ours = _find(
            rows, dataset, "FastTextRegressor" if numeric else "FastTextClassifier", "defaults"
        )
        fasttext = _find(rows, dataset, "fastText", "defaults")
        tfidf = _find(rows, dataset, TFIDF_RIDGE if numeric else TFIDF_LOGISTIC, "anchors.py")
        # a failed fit (fastText's "Encountered NaN", three seeds) is no anchor
        fasttext, tfidf = (
            row if row and row[key] is not None else None for row in (fasttext, tfidf)
        )
        anchors = [row for row in (fasttext, tfidf) if row]
        if not ours or ours[key] is None or not anchors:
            continue
        best = (min if numeric else max)(anchors, key=lambda row: row[key])
        meets = ours[key] <= best[key] * 1.01 if numeric else ours[key] >= best[key] - 0.005
        out.append({
            "dataset": dataset,
            "metric": key,
            "skfasttext": ours[key],
            "fastText": fasttext[key] if fasttext else "failed",
            "TF-IDF(1,2) + linear": tfidf[key] if tfidf else None,
            "better anchor": best["model"],
            "meets": "yes" if meets else "no",
            "fit s": ours["fit s"],
            "/ TF-IDF's": ours["fit s"] / tfidf["fit s"] if tfidf else None,
            "/ fastText's": ours["fit s"] / fasttext["fit s"] if fasttext else None,
        })  # fmt: skip
    return out


def defaults_table(rows):
    """Markdown of :func:`defaults_rows`, with the fit times summed over the datasets."""
    found = defaults_rows(rows)
    if not found:
        return ""
    columns = list(found[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in found:
        cells = []
        for column in columns:
            value = row[column]
            if isinstance(value, float):
                value = f"{value:.2f}x" if column.startswith("/") else (
                    f"{value:.1f}" if column == "fit s" else f"{value:.4f}"
                )  # fmt: skip
            cells.append("" if value is None else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    ours = sum(row["fit s"] for row in found)
    tfidf = sum(row["fit s"] / row["/ TF-IDF's"] for row in found if row["/ TF-IDF's"])
    lines.append(f"\nFit time of the defaults, all datasets: {ours:.1f} s; TF-IDF + linear's "
                 f"{tfidf:.1f} s ({ours / tfidf:.2f}x).")  # fmt: skip
    return "\n".join(lines)


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_revision():
    """Where skfasttext is imported from: its git commit, ``+dirty`` if skfasttext/ has changes."""
    import subprocess

    import skfasttext

    root = Path(skfasttext.__file__).resolve().parent.parent

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=root, check=True, capture_output=True, text=True
        ).stdout.strip()

    try:
        sha = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "skfasttext")
    except (OSError, subprocess.CalledProcessError):
        return f"{root} (not a git checkout)"
    return f"{sha}{'+dirty' if dirty else ''} ({root})"


def machine_facts():
    import tensorflow as tf

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gpus = tf.config.list_physical_devices("GPU")
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.platform()}, {_cpu_model()}",
        "cpu cores": f"{usable} usable ({os.cpu_count()} reported)",
        "GPU": ", ".join(g.name for g in gpus) or "none (TensorFlow sees no GPU)",
        "python": platform.python_version(),
        "versions": ", ".join(
            f"{p} {_version(p)}"
            for p in (
                "skfasttext",
                "fasttext-numpy2",
                "tensorflow",
                "keras",
                "scikit-learn",
                "numpy",
            )
        ),
        "skfasttext revision": _git_revision(),
        "threads": f"fastText thread={THREADS}; TensorFlow and BLAS at their defaults",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=list(DATASETS),
        default=list(DATASETS),
        metavar="NAME",
        help=f"subset of {', '.join(DATASETS)} (default: all)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"at most {QUICK_TRAIN} training and {QUICK_TEST} test documents "
        "per dataset, for a smoke test",
    )
    parser.add_argument(
        "--defaults-only",
        action="store_true",
        help="the defaults only (no epoch=25, ngrams=2 runs)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT_DIR / "quality.md",
        help="markdown file to write (default: benchmarks/_out/quality.md)",
    )
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)  # tf.function retracing notes
    facts = machine_facts()
    command = "python " + " ".join([sys.argv[0], *(argv if argv is not None else sys.argv[1:])])
    print("Machine")
    for key, value in facts.items():
        print(f"  {key}: {value}")
    print(f"  command: {command}", flush=True)

    start = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(args.datasets):
            settings_run = SETTINGS[:2] if args.defaults_only else SETTINGS
            rows.extend(bench_dataset(name, args.quick, tmp, settings_run))
            done = i + 1 == len(args.datasets)
            write_markdown(args, command, facts, rows, time.perf_counter() - start, done)
    total = time.perf_counter() - start
    print("\n" + markdown_table(rows))
    print("\nDefaults against the better anchor\n\n" + defaults_table(rows))
    print(f"\nTotal benchmark time: {total / 60:.1f} min")
    print(f"Written to {args.out}")
    return 0


def write_markdown(args, command, facts, rows, total, done):
    """Write the table so far (rewritten after each dataset: a cut run leaves its results)."""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# Quality and fit time against fastText" + (" (--quick)" if args.quick else ""),
        "",
        f"Command: `{command}`",
        "",
        *(f"- {key}: {value}" for key, value in facts.items()),
        f"- total benchmark time: {total / 60:.1f} min" + ("" if done else " (so far, unfinished)"),
        "",
        "accuracy: share of exact labels; MAE: mean absolute error of the predicted label read "
        "as a number; fit s: fit time (vectorization included); time / fastText: fit time over "
        "fastText's at the same settings, same run.",
        "",
    ]
    text = "\n".join(header) + "\n" + markdown_table(rows) + "\n"
    text += "\n## Defaults against the better anchor\n\n" + defaults_table(rows) + "\n"
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
