"""demo: a classifier and a regressor trained on the built-in age corpus, and their scores."""

import time


def demo(args):
    """Train a classifier and a regressor on the built-in age corpus and print their scores."""
    import numpy as np

    from ..classifier import FastTextClassifier
    from ..datasets import make_age_corpus
    from ..regressor import FastTextRegressor

    docs, ages = make_age_corpus(args.documents, random_state=0)
    test_docs, test_ages = make_age_corpus(max(args.documents // 4, 1), random_state=1)
    print(f"Built-in age corpus: {len(docs)} training and {len(test_docs)} test documents.")
    majority = np.bincount(ages).argmax()
    median = np.median(ages)
    common = dict(random_state=0, verbose=1)
    if args.epoch is not None:
        common["epoch"] = args.epoch

    def fit_predict(estimator):
        start = time.perf_counter()
        estimator.fit(docs, ages)
        return estimator.predict(test_docs), time.perf_counter() - start

    print("\nFastTextClassifier (ages as classes)")
    predicted, seconds = fit_predict(FastTextClassifier(**common))
    print(
        f"  accuracy {np.mean(predicted == test_ages):.3f}"
        f"  (baseline, always {majority}: {np.mean(test_ages == majority):.3f})"
        f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}  fit + predict {seconds:.1f}s"
    )

    print("\nFastTextRegressor (ages as numbers)")
    predicted, seconds = fit_predict(FastTextRegressor(**common))
    print(
        f"  MAE {np.mean(np.abs(predicted - test_ages)):.2f}"
        f"  (baseline, always {median:g}: {np.mean(np.abs(test_ages - median)):.2f})"
        f"  fit + predict {seconds:.1f}s"
    )
    return 0
