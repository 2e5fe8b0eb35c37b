"""Multi-label (one-vs-all) quality and fit time: skfasttext against fastText ``-loss ova``.

The data is the built-in age corpus made multi-label: each document's labels
are the decade of its age (``20s`` for 20-29) plus the neighbouring decade when
the age is within 2 years of a decade boundary (28 and 29 also get ``30s``,
30 and 31 also get ``20s``), so about 40% of documents have two labels.

One run trains, at each setting, with the same ``epoch``, ``dim`` and ``lr``:

* fastText: ``fasttext.train_supervised(path, loss="ova", thread=2, seed=0, ...)``;
* skfasttext: ``FastTextClassifier(loss="ova", random_state=0, ...)`` on label lists, at
  fastText's settings (``_fasttext_settings.py``; threshold 0.5).

and once, at their defaults: skfasttext (``FastTextClassifier(random_state=0)``), and
TF-IDF(1,2) + one-vs-rest logistic regression, as ``../shared/bench/anchors.py`` builds it
(``TfidfVectorizer(token_pattern=r"\\S+", ngram_range=(1, 2), sublinear_tf=True)``,
``OneVsRestClassifier(LogisticRegression(C=10, max_iter=1000))``).

Reported on the test set: micro-averaged F1 of the labels predicted at
probability >= 0.5 (fastText: ``predict(k=-1, threshold=0.5)``; skfasttext:
``predict``, threshold 0.5), precision at 1 (the most probable label), and fit
times (fastText reads its training file; skfasttext vectorizes documents
already in memory). ``time / fastText`` divides skfasttext's fit time by
fastText's at the same setting, in the same run.

Run from the repository root::

    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_multilabel.py
    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_multilabel.py --seeds 4  # defaults, 4 seeds
    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_multilabel.py --quick   # smoke test
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np
from _fasttext_settings import FASTTEXT  # noqa: E402

N_TRAIN, N_TEST = 20_000, 5_000
QUICK_TRAIN, QUICK_TEST = 2_000, 1_000
THREADS = 2
FASTTEXT_TRIES = 5
SETTINGS = [  # (label, epoch, dim, lr)
    ("defaults (epoch=5, dim=100, lr=0.1)", 5, 100, 0.1),
    ("epoch=25, dim=100, lr=0.1", 25, 100, 0.1),
]


def decade_labels(age, margin=2):
    """The age's decade, plus the neighbouring one within ``margin`` years of a boundary."""
    decade = age // 10 * 10
    labels = [f"{decade}s"]
    if age - decade < margin:
        labels.append(f"{decade - 10}s")
    if decade + 10 - age <= margin:
        labels.append(f"{decade + 10}s")
    return labels


def load(quick):
    from skfasttext import make_age_corpus

    n_train, n_test = (QUICK_TRAIN, QUICK_TEST) if quick else (N_TRAIN, N_TEST)
    docs, ages = make_age_corpus(n_train, random_state=0)
    test_docs, test_ages = make_age_corpus(n_test, random_state=1)
    return (
        docs,
        [decade_labels(int(a)) for a in ages],
        test_docs,
        [decade_labels(int(a)) for a in test_ages],
    )


def scores(y_true, predicted, top1, classes):
    """``(micro-F1, P@1)`` of label lists against the true label lists."""
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    from skfasttext.metrics import precision_at_k

    binarizer = MultiLabelBinarizer(classes=classes)
    f1 = f1_score(binarizer.fit_transform(y_true), binarizer.transform(predicted), average="micro")
    return f1, precision_at_k(y_true, top1)


def run_fasttext(train_path, test_docs, epoch, dim, lr):
    import fasttext

    for seed in range(FASTTEXT_TRIES):  # fastText may stop on "Encountered NaN": next seed
        start = time.perf_counter()
        try:
            model = fasttext.train_supervised(
                str(train_path),
                loss="ova",
                epoch=epoch,
                dim=dim,
                lr=lr,
                thread=THREADS,
                seed=seed,
                verbose=0,
            )
        except RuntimeError as error:
            if "NaN" not in str(error):
                raise
            print(f"fastText: NaN with seed={seed}")
            continue
        break
    else:
        return None
    seconds = time.perf_counter() - start
    prefix = len("__label__")
    above, _ = model.predict(test_docs, k=-1, threshold=0.5)
    top, _ = model.predict(test_docs, k=1)
    predicted = [[label[prefix:] for label in labels] for labels in above]
    top1 = [[label[prefix:] for label in labels][:1] or [None] for labels in top]
    return predicted, top1, seconds


def run_skfasttext(docs, labels, test_docs, random_state=0, **params):
    from skfasttext import FastTextClassifier

    clf = FastTextClassifier(random_state=random_state, **params)
    start = time.perf_counter()
    clf.fit(docs, labels)
    seconds = time.perf_counter() - start
    indicator = clf.predict(test_docs)
    predicted = [clf.classes_[row.astype(bool)].tolist() for row in indicator]
    top1, _ = clf.predict_top_k(test_docs, k=1)
    return predicted, top1.tolist(), seconds


def run_tfidf(docs, labels, test_docs):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    vectorizer = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True)
    model = make_pipeline(vectorizer, OneVsRestClassifier(LogisticRegression(C=10, max_iter=1000)))
    start = time.perf_counter()
    binarizer = MultiLabelBinarizer().fit(labels)
    model.fit(docs, binarizer.transform(labels))
    seconds = time.perf_counter() - start
    predicted = [list(row) for row in binarizer.inverse_transform(model.predict(test_docs))]
    best = model.predict_proba(test_docs).argmax(axis=1)
    return predicted, [[binarizer.classes_[i]] for i in best], seconds


def _ratio(seconds, reference):
    return seconds / reference if reference else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke test")
    parser.add_argument(
        "--seeds", type=int, default=1, help="seeds 0 to N-1 of the defaults row, averaged"
    )
    args = parser.parse_args()

    import fasttext  # noqa: F401 (fail early without it)

    from skfasttext import __version__, write_fasttext

    docs, labels, test_docs, test_labels = load(args.quick)
    classes = sorted({label for row in labels + test_labels for label in row})
    two = np.mean([len(row) > 1 for row in labels])
    print(
        f"age corpus, decade labels: {len(docs)} train / {len(test_docs)} test documents, "
        f"{len(classes)} labels, {two:.0%} of training documents with two labels"
    )
    print(
        f"skfasttext {__version__}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, fastText thread={THREADS}\n"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        train_path = Path(tmp) / "train.txt"
        write_fasttext(train_path, docs, labels)
        ft_default_s = None
        for setting, epoch, dim, lr in SETTINGS:
            # None where fastText failed on every seed: its rows and the ratios are left out
            ft_pred, ft_top, ft_s = run_fasttext(train_path, test_docs, epoch, dim, lr) or (
                None,
                None,
                None,
            )
            ft_default_s = ft_default_s if setting != SETTINGS[0][0] else ft_s
            settings = {**FASTTEXT, "epoch": epoch, "threshold": 0.5}  # fastText's, as its
            sk_pred, sk_top, sk_s = run_skfasttext(
                docs, labels, test_docs, **settings, loss="ova", dim=dim, lr=lr
            )
            for name, pred, top, seconds in [
                ("fastText -loss ova", ft_pred, ft_top, ft_s),
                ("skfasttext loss='ova'", sk_pred, sk_top, sk_s),
            ]:
                if pred is None:
                    rows.append((setting, f"{name}: failed (NaN)", None, None, None, None))
                    continue
                f1, p1 = scores(test_labels, pred, top, classes)
                rows.append((setting, name, f1, p1, seconds, _ratio(seconds, ft_s)))

        def defaults_row(name, run):
            pred, top, seconds = run(docs, labels, test_docs)
            f1, p1 = scores(test_labels, pred, top, classes)
            return ("defaults", name, f1, p1, seconds, _ratio(seconds, ft_default_s))

        seeded = [
            defaults_row(
                f"skfasttext, random_state={seed}", partial(run_skfasttext, random_state=seed)
            )
            for seed in range(args.seeds)
        ]
        rows += seeded
        if args.seeds > 1:
            f1, p1, seconds = np.mean([row[2:5] for row in seeded], axis=0).tolist()
            name = f"skfasttext, mean of seeds 0-{args.seeds - 1}"
            rows.append(("defaults", name, f1, p1, seconds, _ratio(seconds, ft_default_s)))
        rows.append(defaults_row("TF-IDF(1,2) + one-vs-rest LogisticRegression(C=10)", run_tfidf))
    header = "| settings | model | micro-F1 | P@1 | fit s | time / fastText |"
    lines = [header, "|---|---|---|---|---|---|"]
    for setting, name, *numbers in rows:
        cells = [
            "" if v is None else f"{v:{f}}"
            for v, f in zip(numbers, (".4f", ".3f", ".1f", ".1f"), strict=True)
        ]
        lines.append(f"| {setting} | {name} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
