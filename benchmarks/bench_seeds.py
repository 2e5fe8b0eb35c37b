"""The classifier's defaults over seeds: test accuracy on shared sets, one fit a seed.

A single seed's test accuracy moves by a few tenths of a point; this gives the spread the
defaults table (``bench_quality.py``, seed 0) sits in. Run::

    python benchmarks/bench_seeds.py
    python benchmarks/bench_seeds.py --datasets rotten_tomatoes --seeds 8
"""

import argparse

import numpy as np
from bench_quality import load  # the shared sets' train and test files, as that table reads them

import skfasttext


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        default=["rotten_tomatoes", "chinese_reviews"],
        choices=["rotten_tomatoes", "chinese_reviews"],
    )
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args()
    print("| data set | accuracy, seeds 0 to N-1 | mean | min | max |\n|---|---|---:|---:|---:|")
    for name in args.datasets:
        docs, y, test_docs, test_y = load(name, quick=False)
        scores = [
            np.mean(
                skfasttext.FastTextClassifier(random_state=seed).fit(docs, y).predict(test_docs)
                == test_y
            )
            for seed in range(args.seeds)
        ]
        listed = ", ".join(f"{score:.4f}" for score in scores)
        print(
            f"| {name} | {listed} | {np.mean(scores):.4f} | {min(scores):.4f} | {max(scores):.4f} |"
        )


if __name__ == "__main__":
    main()
