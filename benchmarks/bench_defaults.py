"""Candidate defaults, scored by cross-validation on training data only.

Issue #17 chooses defaults by principle and by cross-validation across all the data we
have, never by the shared sets' test files. For each data set (the training files of
``--data-dir`` and 600-document samples of two of them, the age corpus at several sizes as
classes of ten years and as ages to regress, small synthetic sets) and each candidate
setting, this prints the mean 3-fold cross-validated score (accuracy, or minus the MAE for
numeric labels) and fit time, beside TF-IDF(1,2) + a linear model
(``LogisticRegression(C=10)`` / ``Ridge``, as ``../shared/bench/anchors.py`` builds them) on the
same folds. Run::

    python benchmarks/bench_defaults.py
    python benchmarks/bench_defaults.py --datasets ages_small --candidates fasttext
    python benchmarks/bench_defaults.py --no-reference   # skip TF-IDF (slow on the age corpus)
"""

import argparse
import os
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

import skfasttext  # noqa: E402

DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
CANDIDATES = {
    "defaults": {},
    "fasttext": FASTTEXT,
    "bigrams": {**FASTTEXT, "word_ngrams": 2},
    "bigrams, epoch 10": {**FASTTEXT, "word_ngrams": 2, "epoch": 10},
    "bigrams, epoch 'auto'": {**FASTTEXT, "word_ngrams": 2, "epoch": "auto"},
    "bigrams, sqrtn": {**FASTTEXT, "word_ngrams": 2, "pooling": "sqrtn"},
    "bigrams, sqrtn, epoch 25": {**FASTTEXT, "word_ngrams": 2, "pooling": "sqrtn", "epoch": 25},
}
NAMES = [
    "tiny", "ages400", "rotten600", "chinese600", "ages_small", "ages", "rotten_tomatoes",
    "chinese_reviews", "tiny_reg", "ages_small_reg", "ages_reg", "tate_year",
]  # fmt: skip


def _datasets(names):
    """name -> (documents, labels, numeric)."""
    out = {}
    for name in names:
        base = name.removesuffix("600")
        base = {"rotten": "rotten_tomatoes", "chinese": "chinese_reviews"}.get(base, base)
        if base in ("chinese_reviews", "rotten_tomatoes", "tate_year"):
            docs, labels = skfasttext.read_fasttext(DATA_DIR / f"{base}.train.txt")
            numeric = base == "tate_year"
            docs, labels = np.asarray(docs, dtype=object), _labels(labels, numeric)
            if name.endswith("600"):  # a small corpus of real text
                keep = np.random.default_rng(0).choice(len(docs), 600, replace=False)
                docs, labels = docs[keep], labels[keep]
            out[name] = (docs, labels, numeric)
        elif name.startswith("ages"):
            n = {"ages400": 400, "ages_small": 2_000, "ages": 20_000}[name.removesuffix("_reg")]
            vocabulary = 2_000 if n == 400 else 5_000
            docs, ages = skfasttext.make_age_corpus(n, vocab_size=vocabulary, random_state=1)
            if name.endswith("_reg"):
                target = ages.astype(float)
            else:  # three age bands for the smallest set, decades otherwise
                target = np.digitize(ages, [30, 45]) if n == 400 else ages // 10
            out[name] = (np.asarray(docs, dtype=object), target, name.endswith("_reg"))
        elif name.startswith("tiny"):  # 133 documents: 5 epochs are about 20 steps
            docs, ages = skfasttext.make_age_corpus(133, vocab_size=500, random_state=2)
            target = ages.astype(float) if name == "tiny_reg" else (ages >= 40).astype(int)
            out[name] = (np.asarray(docs, dtype=object), target, name == "tiny_reg")
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
    parser.add_argument("--datasets", nargs="+", default=NAMES, choices=NAMES)
    parser.add_argument(
        "--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES)
    )
    parser.add_argument("--no-reference", action="store_true", help="skip TF-IDF + linear")
    args = parser.parse_args()
    print("| data set | model | CV score | fit s | fit s / TF-IDF's |")
    print("|---|---|---:|---:|---:|")
    for name, (docs, y, numeric) in _datasets(args.datasets).items():
        base_s = np.nan
        if not args.no_reference:
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
