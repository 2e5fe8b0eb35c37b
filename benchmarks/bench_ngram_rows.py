"""Word n-gram rows of the embedding: all ``bucket`` of them (OLD) or those training saw (NEW).

Issue #16: with ``word_ngrams=2`` the embedding used to hold a row for each of the
2,000,000 hash buckets; it now holds one for each bucket the training n-grams fall into.
This script fits, with the code of two commits, on each dataset of ``--data-dir``:

* ``chinese_reviews``, ``rotten_tomatoes``: :class:`~skfasttext.FastTextClassifier`, accuracy;
* ``tate_year``: :class:`~skfasttext.FastTextRegressor` on the years read as floats, MAE;

at ``word_ngrams=2``, ``random_state`` 0 to ``--seeds`` - 1, the other settings at their
defaults, from ``<set>.train.txt`` read with :func:`skfasttext.read_fasttext`, scored on
``<set>.test.txt``. It prints a markdown table: the score, the fit time (vectorizing
included, TensorFlow's import not), the rows of the embedding (``input_dim_``), of which
n-gram rows, and its size ``input_dim_ × dim × 4`` bytes. Run from anywhere in the repository::

    python benchmarks/bench_ngram_rows.py                       # 39e9a83 against the work tree
    python benchmarks/bench_ngram_rows.py --old HEAD~1 --new HEAD
    python benchmarks/bench_ngram_rows.py --datasets tate_year
    python benchmarks/bench_ngram_rows.py --old 39e9a83 --new HEAD --seeds 8

With several seeds the table gives each side's mean score and its standard deviation over
the seeds, and the mean of the paired differences (new - old, the same seed) with its
standard error: a difference within two standard errors is noise.

A commit is checked out with ``git worktree add --detach`` into a temporary folder, removed at
the end; ``WORKTREE`` (``--new``'s default) is the repository's working tree as it is. Each fit
runs in a process of its own with its tree first on ``PYTHONPATH`` (the process checks that it
imports that tree's skfasttext), the two sides alternating (old, new, then new, old, ...) so
that drift of the machine's load weighs on both alike.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve()
WORKTREE = "WORKTREE"  # the repository's working tree as it is, uncommitted changes included
DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
# name -> (estimator, score): classifiers report accuracy, the regressor MAE
DATASETS = {
    "chinese_reviews": ("FastTextClassifier", "accuracy"),
    "rotten_tomatoes": ("FastTextClassifier", "accuracy"),
    "tate_year": ("FastTextRegressor", "MAE"),
}
PARAMS = dict(word_ngrams=2)


def _worker(dataset, data_dir, tree, seeds):
    """Fit and score one dataset with the skfasttext of ``tree``, once a seed; print one
    JSON line (the scores and fit times are lists, a seed an item)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import skfasttext

    if not Path(skfasttext.__file__).resolve().is_relative_to(Path(tree).resolve()):
        raise RuntimeError(f"imported {skfasttext.__file__}, not the skfasttext of {tree}")
    estimator, score = DATASETS[dataset]
    docs, labels = skfasttext.read_fasttext(Path(data_dir, f"{dataset}.train.txt"))
    test_docs, test_labels = skfasttext.read_fasttext(Path(data_dir, f"{dataset}.test.txt"))
    if score == "MAE":
        labels, test_labels = np.asarray(labels, float), np.asarray(test_labels, float)
    values, fit_seconds = [], []
    for seed in range(seeds):
        model = getattr(skfasttext, estimator)(**PARAMS, random_state=seed)
        start = time.perf_counter()
        model.fit(docs, labels)
        fit_seconds.append(time.perf_counter() - start)
        predicted = model.predict(test_docs)
        if score == "MAE":
            values.append(float(np.abs(predicted - test_labels).mean()))
        else:
            values.append(float((predicted == np.asarray(test_labels)).mean()))
    rows = int(model.input_dim_)
    words = len(model.vectorizer_.vocabulary_) + 2  # padding, unknown, the vocabulary
    print(
        json.dumps(
            {
                "score": values,
                "fit_s": fit_seconds,
                "rows": rows,
                "ngram_rows": rows - words,
                "mb": rows * model.dim * 4 / 1e6,
            }
        )
    )


def _git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def _tree(stack, repo, rev):
    """The folder of ``rev``'s code: the working tree, or a detached worktree removed at exit."""
    if rev == WORKTREE:
        return repo
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}", cwd=repo)
    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-rows-"))
    path = os.path.join(folder, commit[:12])
    _git("worktree", "add", "--detach", path, commit, cwd=repo)
    stack.callback(_git, "worktree", "remove", "--force", path, cwd=repo)
    return path


def _run(tree, dataset, data_dir, seeds):
    env = {**os.environ, "PYTHONPATH": tree, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--worker", dataset, "--data-dir", str(data_dir)]
        + ["--seeds", str(seeds)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{dataset} in {tree} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="39e9a83", help="commit before (default 39e9a83)")
    parser.add_argument("--new", default=WORKTREE, help="commit after (default: the work tree)")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--seeds", type=int, default=1, help="fits a side, seeds 0, 1, ...")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.data_dir, os.getcwd(), args.seeds)
        return
    repo = _git("rev-parse", "--show-toplevel", cwd=SCRIPT.parent)
    results = {}
    with ExitStack() as stack:
        trees = {"old": _tree(stack, repo, args.old), "new": _tree(stack, repo, args.new)}
        for i, dataset in enumerate(args.datasets):
            for side in ("old", "new") if i % 2 == 0 else ("new", "old"):
                results[dataset, side] = _run(trees[side], dataset, args.data_dir, args.seeds)
                print(f"{dataset} {side}: {results[dataset, side]}", file=sys.stderr)
    print(
        f"old = {args.old}, new = {args.new}; {PARAMS}, random_state 0 to {args.seeds - 1}, "
        "other settings at their defaults\n"
    )
    print(
        "| data set | score | old | new | new - old (s.e.) | fit s old | fit s new "
        "| rows old | rows new | n-gram rows new | MB old | MB new |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset in args.datasets:
        old, new = results[dataset, "old"], results[dataset, "new"]
        differences = np.subtract(new["score"], old["score"])
        error = differences.std(ddof=1) / np.sqrt(len(differences)) if args.seeds > 1 else np.nan
        print(
            f"| {dataset} | {DATASETS[dataset][1]} | {_spread(old['score'])} "
            f"| {_spread(new['score'])} | {differences.mean():+.4f} ({error:.4f}) "
            f"| {np.mean(old['fit_s']):.1f} | {np.mean(new['fit_s']):.1f} | {old['rows']:,} "
            f"| {new['rows']:,} | {new['ngram_rows']:,} | {old['mb']:.1f} | {new['mb']:.1f} |"
        )


def _spread(scores):
    """Mean of the scores, with their standard deviation where there are several."""
    if len(scores) == 1:
        return f"{scores[0]:.4f}"
    return f"{np.mean(scores):.4f} ± {np.std(scores, ddof=1):.4f}"


if __name__ == "__main__":
    main()
