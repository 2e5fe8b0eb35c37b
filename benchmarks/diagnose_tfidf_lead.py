"""Where TF-IDF(1,2) + logistic regression's lead comes from, in linear models alone.

Issue #17 leaves rotten_tomatoes about half a point below TF-IDF in cross-validation. This
script takes TF-IDF apart on the folds of ``bench_defaults.py`` (3-fold, training data only):
the anchor as ``../shared/bench/anchors.py`` builds it, then without the idf, on binary or
raw counts L2-normalised (the features of ``pooling='sqrtn'``), and linear models trained by
SGD on *our* vectorizer's ids (words, hashed pairs, ``</s>``) with and without the idf, an
intercept and a falling rate. docs/benchmarks.md ("Where TF-IDF's lead comes from") has the
figures and what they say about the network. Run::

    python benchmarks/diagnose_tfidf_lead.py
    python benchmarks/diagnose_tfidf_lead.py --datasets rotten_tomatoes chinese600
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from bench_defaults import NAMES, _datasets  # noqa: E402
from bench_quality import anchor_tfidf  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin  # noqa: E402
from sklearn.feature_extraction.text import (  # noqa: E402
    CountVectorizer,
    TfidfTransformer,
)
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import Normalizer  # noqa: E402

import skfasttext  # noqa: E402
from skfasttext.text import UNKNOWN_ID  # noqa: E402

PATTERN = r"\S+"


class OurIds(TransformerMixin, BaseEstimator):
    """Documents -> counts of skfasttext's ids (words, hashed pairs, ``</s>``), padding and
    unknown words left out, as a sparse matrix."""

    def fit(self, X, y=None):
        self.vectorizer_ = skfasttext.TextVectorizer().fit(X)
        return self

    def transform(self, X):
        values, lengths = self.vectorizer_.transform_ragged(X)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        kept = values > UNKNOWN_ID
        shape = (len(lengths), self.vectorizer_.input_dim_)
        counts = sp.csr_matrix((np.ones(kept.sum()), (rows[kept], values[kept])), shape=shape)
        counts.sum_duplicates()
        return counts


class EpochSGD(ClassifierMixin, BaseEstimator):
    """Logistic regression by SGD over ``epochs`` shuffled passes, at a rate falling
    linearly over them as fastText's (``decay``), or constant."""

    def __init__(self, rate=2.0, epochs=5, decay=True, intercept=True):
        self.rate, self.epochs, self.decay, self.intercept = rate, epochs, decay, intercept

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.model_ = SGDClassifier(
            loss="log_loss",
            alpha=1e-9,
            learning_rate="constant",
            eta0=self.rate,
            fit_intercept=self.intercept,
            random_state=0,
        )
        rng = np.random.default_rng(0)
        for epoch in range(self.epochs):
            falling = 1 - (epoch + 0.5) / self.epochs if self.decay else 1.0
            order = rng.permutation(X.shape[0])
            self.model_.set_params(eta0=self.rate * falling)
            self.model_.partial_fit(X[order], y[order], classes=self.classes_)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def candidates():
    def logistic():
        return LogisticRegression(C=10, max_iter=1000)

    def tfidf(**kw):
        return anchor_tfidf().set_params(**kw)

    def counts(**kw):
        return CountVectorizer(token_pattern=PATTERN, ngram_range=(1, 2), **kw)

    return {
        "TF-IDF + LogisticRegression(C=10) (the anchor)": make_pipeline(tfidf(), logistic()),
        "  without the idf": make_pipeline(tfidf(use_idf=False), logistic()),
        "  binary counts, L2 (sqrtn's features)": make_pipeline(
            counts(binary=True), Normalizer(), logistic()
        ),
        "  counts, L2": make_pipeline(counts(), Normalizer(), logistic()),
        "our ids, idf, L2, SGD (rate 2, falling)": make_pipeline(
            OurIds(), TfidfTransformer(), EpochSGD()
        ),
        "our ids, L2, SGD (rate 2, falling)": make_pipeline(
            OurIds(), TfidfTransformer(use_idf=False), EpochSGD()
        ),
        "our ids, idf, L2, SGD (rate 2, constant)": make_pipeline(
            OurIds(), TfidfTransformer(), EpochSGD(decay=False)
        ),
        "our ids, L2, SGD (rate 2, constant)": make_pipeline(
            OurIds(), TfidfTransformer(use_idf=False), EpochSGD(decay=False)
        ),
        "our ids, idf, L2, SGD, no intercept": make_pipeline(
            OurIds(), TfidfTransformer(), EpochSGD(intercept=False)
        ),
        "our ids, L2, SGD, no intercept": make_pipeline(
            OurIds(), TfidfTransformer(use_idf=False), EpochSGD(intercept=False)
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    classified = [name for name in NAMES if not name.endswith("_reg") and name != "tate_year"]
    parser.add_argument("--datasets", nargs="+", default=["rotten_tomatoes"], choices=classified)
    args = parser.parse_args()
    data = _datasets(args.datasets)
    folds = StratifiedKFold(3, shuffle=True, random_state=0)  # bench_defaults.py's
    print("| data set | model | CV accuracy | s |\n|---|---|---:|---:|")
    for name in args.datasets:
        docs, y, _ = data[name]
        docs = [str(doc) for doc in docs]
        for label, model in candidates().items():
            start = time.perf_counter()
            score = cross_val_score(model, docs, y, cv=folds).mean()
            print(f"| {name} | {label} | {score:.4f} | {time.perf_counter() - start:.1f} |")


if __name__ == "__main__":
    main()
