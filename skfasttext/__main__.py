"""Command line: ``python -m skfasttext demo``."""

import argparse
import sys
import time

__all__ = ["main"]


def demo(args):
    """Train a classifier and a regressor on the built-in age corpus and print their scores."""
    import numpy as np

    from .datasets import make_age_corpus
    from .estimators import FastTextClassifier, FastTextRegressor

    docs, ages = make_age_corpus(args.documents, random_state=0)
    test_docs, test_ages = make_age_corpus(args.documents // 4, random_state=1)
    print(f"Built-in age corpus: {len(docs)} training and {len(test_docs)} test documents.")
    majority = np.bincount(ages).argmax()
    median = np.median(ages)
    common = dict(epoch=args.epoch, random_state=0, verbose=1)

    print("\nFastTextClassifier (ages as classes)")
    start = time.perf_counter()
    clf = FastTextClassifier(**common).fit(docs, ages)
    seconds = time.perf_counter() - start
    predicted = clf.predict(test_docs)
    print(f"  accuracy {np.mean(predicted == test_ages):.3f}"
          f"  (baseline, always {majority}: {np.mean(test_ages == majority):.3f})"
          f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}  fit {seconds:.1f}s")

    print("\nFastTextRegressor (ages as numbers)")
    start = time.perf_counter()
    reg = FastTextRegressor(**common).fit(docs, ages)
    seconds = time.perf_counter() - start
    predicted = reg.predict(test_docs)
    print(f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}"
          f"  (baseline, always {median:g}: {np.mean(np.abs(test_ages - median)):.2f})"
          f"  fit {seconds:.1f}s")
    return 0


def _parser():
    parser = argparse.ArgumentParser(prog="skfasttext", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help=demo.__doc__)
    run.add_argument("--documents", type=int, default=20000, help="training documents")
    run.add_argument("--epoch", type=int, default=5, help="training epochs")
    run.set_defaults(handler=demo)
    return parser


def main(argv=None):
    """Entry point of the ``skfasttext`` command.

    Parameters
    ----------
    argv : list of str or None, default=None
        Command-line arguments; None reads ``sys.argv``.

    Returns
    -------
    status : int
        Exit status, 0 on success.
    """
    args = _parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
