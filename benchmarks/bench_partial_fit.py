"""partial_fit over chunks against fit on the same documents: accuracy and time.

The age corpus (``make_age_corpus``), classes of ten years, ``--docs`` training documents
split into ``--chunks`` chunks; ``partial_fit`` makes ``--passes`` passes over them, a chunk a
call, against ``fit(epoch=passes)`` on all of them, at ``random_state`` 0 to ``--seeds`` - 1,
scored on as many held-out documents. ``partial_fit`` runs twice: at its constant rate ``lr``,
and with ``lr`` lowered between calls (``set_params``) as ``fit`` decays it, linearly to
nearly zero. Run::

    python benchmarks/bench_partial_fit.py
    python benchmarks/bench_partial_fit.py --docs 20000 --chunks 4 --passes 3 --seeds 1
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402

from skfasttext import FastTextClassifier, make_age_corpus  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--chunks", type=int, default=10)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    docs, ages = make_age_corpus(2 * args.docs, random_state=0)
    docs, y = np.asarray(docs, dtype=object), ages // 10
    train, test = slice(0, args.docs), slice(args.docs, None)
    classes = np.unique(y)
    bounds = np.linspace(0, args.docs, args.chunks + 1).astype(int)
    print(f"{args.docs:,} documents, {args.chunks} chunks, {args.passes} passes, 2 CPUs")
    print(
        "| seed | fit accuracy | fit s | partial_fit accuracy | partial_fit s | s ratio "
        "| accuracy, lr decayed between calls |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for seed in range(args.seeds):
        start = time.perf_counter()
        settings = {**FASTTEXT, "epoch": args.passes, "random_state": seed}
        fitted = FastTextClassifier(**settings).fit(docs[train], y[train])
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        chunked = _passes(FastTextClassifier(**settings), docs, y, classes, bounds, args.passes)
        partial_s = time.perf_counter() - start
        decayed = _passes(
            FastTextClassifier(**settings), docs, y, classes, bounds, args.passes, True
        )
        a, b = fitted.score(docs[test], y[test]), chunked.score(docs[test], y[test])
        c = decayed.score(docs[test], y[test])
        print(
            f"| {seed} | {a:.4f} | {fit_s:.1f} | {b:.4f} | {partial_s:.1f} "
            f"| {partial_s / fit_s:.2f} | {c:.4f} |"
        )


def _passes(clf, docs, y, classes, bounds, passes, decay=False):
    """``passes`` passes of ``partial_fit`` over the chunks between ``bounds``."""
    calls, lr = passes * (len(bounds) - 1), clf.lr
    for call in range(calls):
        first, last = bounds[call % (len(bounds) - 1)], bounds[call % (len(bounds) - 1) + 1]
        if decay:
            clf.set_params(lr=lr * (1 - call / calls))
        clf.partial_fit(docs[first:last], y[first:last], classes=classes)
    return clf


if __name__ == "__main__":
    main()
