"""Early stopping's annealed stop against plain fits, by 3-fold CV on training data only.

``bench_defaults.py``'s data sets and folds, bigrams (``word_ngrams=2``), explicit
epochs; the rule of ``early_stopping='auto'`` is chosen from these figures
(``docs/benchmarks.md``, "Choosing defaults"). Prints a Markdown row per data set and
candidate: the mean CV score (accuracy, or minus the MAE), epochs run and fit seconds.
Run::

    python benchmarks/bench_early_stopping.py
    python benchmarks/bench_early_stopping.py --datasets tiny --candidates "epoch 5"
"""

import argparse
import os
import sys
from functools import partial
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
from bench_defaults import _cross_validate, _datasets  # noqa: E402

import skfasttext  # noqa: E402

CANDIDATES = {
    "epoch 5": {"epoch": 5, "early_stopping": False},
    "epoch 25": {"epoch": 25, "early_stopping": False},
    "epoch 25, ES 5": {"epoch": 25, "early_stopping": True},
    "epoch 25, ES 2": {"epoch": 25, "early_stopping": True, "n_iter_no_change": 2},
    "epoch 100, ES 5": {"epoch": 100, "early_stopping": True},
    "epoch 100, ES 2": {"epoch": 100, "early_stopping": True, "n_iter_no_change": 2},
    "epoch 100": {"epoch": 100, "early_stopping": False},
}
NAMES = ["tiny", "ages_small", "ages", "rotten_tomatoes", "tate_year", "chinese_reviews"]


def _made(fitted, make):
    """``make()``, kept in ``fitted`` (their epochs run are read after the folds)."""
    fitted.append(make())
    return fitted[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=NAMES, choices=NAMES)
    parser.add_argument(
        "--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES)
    )
    args = parser.parse_args()
    print("| data set | model | CV score | epochs run | fit s |")
    print("|---|---|---:|---:|---:|")
    for name, (docs, y, numeric) in _datasets(args.datasets).items():
        estimator = skfasttext.FastTextRegressor if numeric else skfasttext.FastTextClassifier
        for label in args.candidates:
            params = {"word_ngrams": 2, "random_state": 0, **CANDIDATES[label]}
            fitted = []
            make = partial(_made, fitted, partial(estimator, **params))
            score, seconds = _cross_validate(make, docs, y, numeric)
            epochs = np.mean([model.n_iter_ for model in fitted])
            print(f"| {name} | {label} | {score:.4f} | {epochs:.1f} | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
