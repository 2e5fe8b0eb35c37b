"""Autotune against fastText's autotune, with the same time on each shared set.

For each data set, the training file is split 90/10 (seed 0) into a training and a
validation part, written to temporary files for fastText. fastText's autotune
(``fasttext.train_supervised(input=train, autotuneValidationFile=valid,
autotuneDuration=D, thread=2)``) and ``AutotuneSearchCV(max_time=D)`` on the same parts
run one after the other, then both are scored on the test file: accuracy, or the MAE
of the label read as a number where every label is one (fastText classifies those;
``FastTextRegressor`` regresses them, tuned on the MAE). fastText's duration leaves its
final training out; ours includes its refit: both times are printed. fastText's final
training can diverge ("Encountered NaN"): it is run again, up to three times, and the
attempt that scored is printed. Run::

    python benchmarks/bench_autotune.py                  # 60 s each
    python benchmarks/bench_autotune.py --duration 120 --datasets tate_year
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import skfasttext  # noqa: E402
from skfasttext.io import read_fasttext, write_fasttext  # noqa: E402

DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
DATASETS = ["chinese_reviews", "rotten_tomatoes", "tate_year"]
FASTTEXT_ARGS = ["epoch", "lr", "dim", "wordNgrams", "minn", "maxn", "bucket", "dsub", "loss"]


def _numeric(labels):
    try:
        np.asarray(labels, dtype=float)
        return True
    except ValueError:
        return False


def _score(numeric, truth, predicted):
    if numeric:
        errors = np.asarray(truth, float) - np.asarray(predicted, float)
        return "MAE", float(np.mean(np.abs(errors)))
    return "accuracy", float(np.mean(np.asarray(truth) == np.asarray(predicted)))


def _fasttext(train, valid, test_docs, duration):
    import fasttext

    start = time.perf_counter()
    model = fasttext.train_supervised(
        input=train, autotuneValidationFile=valid, autotuneDuration=duration, thread=2, verbose=0
    )
    seconds = time.perf_counter() - start
    labels, _ = model.predict(test_docs, k=1)
    args = model.f.getArgs()
    chosen = {name: getattr(args, name) for name in FASTTEXT_ARGS}
    chosen["loss"] = str(chosen["loss"]).rsplit(".", 1)[-1]
    return [label[0][len("__label__") :] for label in labels], seconds, chosen


def _ours(docs, labels, val_docs, val_labels, test_docs, numeric, duration):
    if numeric:
        estimator = skfasttext.FastTextRegressor(random_state=0)
        labels, val_labels = np.asarray(labels, float), np.asarray(val_labels, float)
        scoring = "neg_mean_absolute_error"
    else:
        estimator, scoring = skfasttext.FastTextClassifier(random_state=0), None
    search = skfasttext.AutotuneSearchCV(
        estimator, max_time=duration, scoring=scoring, random_state=0
    )
    start = time.perf_counter()
    search.fit(docs, labels, X_val=val_docs, y_val=val_labels)
    seconds = time.perf_counter() - start
    results = search.cv_results_
    for params, fit, score, value in zip(
        results["params"],
        results["mean_fit_time"],
        results["mean_score_time"],
        results["mean_test_score"],
        strict=True,
    ):
        print(f"  trial: fit {fit:.1f} s, score {score:.1f} s, validation {value:.4f}, {params}")
    chosen = dict(search.best_params_, trials=len(results["params"]))
    chosen["refit s"] = round(search.refit_time_, 1)
    return search.predict(test_docs), seconds, chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds for each search")
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    args = parser.parse_args()
    print(f"UTC {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}, duration {args.duration:g} s")
    rows = []
    for name in args.datasets:
        docs, labels = read_fasttext(DATA_DIR / f"{name}.train.txt")
        test_docs, test_labels = read_fasttext(DATA_DIR / f"{name}.test.txt")
        numeric = _numeric(labels)
        train_docs, val_docs, train_labels, val_labels = train_test_split(
            docs, labels, test_size=0.1, random_state=0
        )
        with tempfile.TemporaryDirectory() as tmp:
            train, valid = os.path.join(tmp, "train.txt"), os.path.join(tmp, "valid.txt")
            write_fasttext(train, train_docs, train_labels)
            write_fasttext(valid, val_docs, val_labels)
            for attempt in range(1, 4):  # its final training can diverge: a NaN it raises
                try:
                    predicted, seconds, chosen = _fasttext(train, valid, test_docs, args.duration)
                    break
                except RuntimeError as error:
                    print(f"fastText autotune failed (attempt {attempt}): {error}", flush=True)
            else:
                raise SystemExit(f"fastText autotune failed three times on {name}.")
        metric, value = _score(numeric, test_labels, predicted)
        chosen["attempt"] = attempt
        rows.append((name, "fastText autotune", metric, value, seconds, chosen))
        print(*rows[-1], flush=True)
        model = "FastTextRegressor" if numeric else "FastTextClassifier"
        predicted, seconds, chosen = _ours(
            train_docs, train_labels, val_docs, val_labels, test_docs, numeric, args.duration
        )
        metric, value = _score(numeric, test_labels, predicted)
        rows.append((name, f"AutotuneSearchCV({model})", metric, value, seconds, chosen))
        print(*rows[-1], flush=True)
    print("\n| data set | search | test score | seconds | chose |\n|---|---|---:|---:|---|")
    for name, search, metric, value, seconds, chosen in rows:
        settings = ", ".join(f"{key}={value_}" for key, value_ in chosen.items())
        print(f"| {name} | {search} | {metric} {value:.4f} | {seconds:.1f} | {settings} |")


if __name__ == "__main__":
    main()
