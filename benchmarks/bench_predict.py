"""Prediction throughput and single-document latency beside fastText, in one process.

    python benchmarks/bench_predict.py [--documents 50000]

Both models are fitted for one epoch on the built-in age corpus (the fit is not timed);
then both predict every document, and 50 documents one at a time.
"""

import argparse
import os
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import fasttext  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402

from skfasttext import FastTextClassifier, make_age_corpus  # noqa: E402
from skfasttext.io import write_fasttext  # noqa: E402


def seconds(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=50_000)
    args = parser.parse_args()

    docs, ages = make_age_corpus(args.documents, vocab_size=200_000, random_state=0)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.txt")
        write_fasttext(path, docs, ages)
        reference = fasttext.train_supervised(path, thread=2, verbose=0, epoch=1)
    ours = FastTextClassifier(**{**FASTTEXT, "epoch": 1}, random_state=0).fit(docs, ages)
    ours.predict(docs[:10])  # build the compiled function once, as a served model would

    rows = [
        (
            "predict, all documents",
            seconds(lambda: reference.predict(docs)),
            seconds(lambda: ours.predict(docs)),
        ),
        (
            "one document (mean of 50)",
            seconds(lambda: [reference.predict(doc) for doc in docs[:50]]) / 50,
            seconds(lambda: [ours.predict([doc]) for doc in docs[:50]]) / 50,
        ),
    ]
    print(f"{len(docs)} documents, {os.cpu_count()} CPUs")
    print(f"{'':<28} {'fastText s':>11} {'skfasttext s':>13} {'ratio':>6}")
    for name, theirs, mine in rows:
        print(f"{name:<28} {theirs:11.5f} {mine:13.5f} {mine / theirs:6.2f}")


if __name__ == "__main__":
    main()
