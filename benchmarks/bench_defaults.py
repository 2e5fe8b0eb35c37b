"""Candidate defaults, scored by cross-validation on training data only.

Issue #17 chooses defaults by principle and by cross-validation across all the data we
have, never by the shared sets' test files. For each data set (the training files of
``--data-dir``, the age corpus at two sizes, a small synthetic set) and each candidate
setting, this prints the mean 3-fold cross-validated score (accuracy, or minus the MAE for
numeric labels) and fit time, beside TF-IDF(1,2) + a linear model
(``LogisticRegression(C=10)`` / ``Ridge``, as ``../shared/bench/anchors.py`` builds them) on the
same folds. Run::

    python benchmarks/bench_defaults.py
    python benchmarks/bench_defaults.py --datasets ages_small --candidates fasttext
"""

import argparse
import os
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

import skfasttext  # noqa: E402

DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
CANDIDATES = {
    "fasttext": {},
    "epoch 25, early stopping": {"epoch": 25, "early_stopping": True},
    "bigrams": {"word_ngrams": 2},
    "bigrams, epoch 25, early stopping": {"word_ngrams": 2, "epoch": 25, "early_stopping": True},
}


def _datasets(names):
    """name -> (documents, labels, numeric)."""
    out = {}
    for name in names:
        if name in ("chinese_reviews", "rotten_tomatoes", "tate_year"):
            docs, labels = skfasttext.read_fasttext(DATA_DIR / f"{name}.train.txt")
            numeric = name == "tate_year"
            out[name] = (np.asarray(docs, dtype=object), _labels(labels, numeric), numeric)
        elif name.startswith("ages"):
            n = {"ages_small": 2_000, "ages": 20_000}[name]
            docs, ages = skfasttext.make_age_corpus(n, random_state=1)
            out[name] = (np.asarray(docs, dtype=object), ages // 10, False)
        elif name == "tiny":  # 133 documents: 5 epochs are about 20 steps
            docs, ages = skfasttext.make_age_corpus(133, vocab_size=500, random_state=2)
            out[name] = (np.asarray(docs, dtype=object), (ages >= 40).astype(int), False)
    return out


def _labels(labels, numeric):
    return np.asarray(labels, dtype=float) if numeric else np.asarray(labels)


def _score(model, docs, y, numeric):
    predicted = model.predict(docs)
    return -np.abs(predicted - y).mean() if numeric else np.mean(predicted == y)


def _cross_validate(make, docs, y, numeric):
    split = (
        KFold(3, shuffle=True, random_state=0)
        if numeric
        else StratifiedKFold(3, shuffle=True, random_state=0)
    )
    scores, seconds = [], []
    for train, test in split.split(docs, y if not numeric else None):
        model = make()
        start = time.perf_counter()
        model.fit(docs[train], y[train])
        seconds.append(time.perf_counter() - start)
        scores.append(_score(model, docs[test], y[test], numeric))
    return float(np.mean(scores)), float(np.mean(seconds))


def _tfidf(numeric):
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True)
    linear = Ridge(alpha=1.0) if numeric else LogisticRegression(C=10, max_iter=1000)
    return make_pipeline(vectorizer, linear)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = ["tiny", "ages_small", "ages", "rotten_tomatoes", "tate_year", "chinese_reviews"]
    parser.add_argument("--datasets", nargs="+", default=names, choices=names)
    parser.add_argument(
        "--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES)
    )
    args = parser.parse_args()
    print("| data set | model | CV score | fit s | fit s / TF-IDF's |")
    print("|---|---|---:|---:|---:|")
    for name, (docs, y, numeric) in _datasets(args.datasets).items():
        base_score, base_s = _cross_validate(partial(_tfidf, numeric), docs, y, numeric)
        print(
            f"| {name} | TF-IDF(1,2) + linear | {base_score:.4f} | {base_s:.1f} | 1.00 |",
            flush=True,
        )
        estimator = skfasttext.FastTextRegressor if numeric else skfasttext.FastTextClassifier
        for label in args.candidates:
            params = {"random_state": 0, **CANDIDATES[label]}
            score, seconds = _cross_validate(partial(estimator, **params), docs, y, numeric)
            print(
                f"| {name} | {label} | {score:.4f} | {seconds:.1f} | {seconds / base_s:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
