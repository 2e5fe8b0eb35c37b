"""Many labels: fit time and accuracy of softmax, hs and ns, skfasttext beside fastText.

The data is synthetic, 3,000 labels (``make_many_labels``):

* label ``i`` has its own vocabulary of 8 words (``l{i}w{j}``), and a "family"
  (``i // 30``, 100 families) with a vocabulary of 20 words shared by its 30 labels;
* the labels follow a Zipf-like law, ``P(i) ~ 1 / (i + 50) ** 0.7``: the most
  frequent label has about 18 times the documents of the rarest;
* a document has 12 words: each drawn from its label's words with probability
  0.35, from its family's words with probability 0.25, else from 5,000 noise
  words shared by all labels (uniform);
* 90,000 training documents (a label gets 12 to 220 on average; the run prints
  the counts drawn) and 10,000 test documents, drawn the same way (seeds 0 and 1).

One run trains, at the same ``epoch``, ``dim`` and ``lr``, with each loss:

* fastText: ``fasttext.train_supervised(path, loss=..., thread=2, seed=0, ...)``;
* skfasttext: ``FastTextClassifier(loss=..., random_state=0, ...)``.

Reported: accuracy on the test set (the most probable label) and fit time
(fastText reads its training file; skfasttext vectorizes documents already in
memory). ``time / softmax`` divides a fit time by the same library's softmax
fit; ``time / fastText`` by fastText's fit with the same loss, in the same run.

Run from the repository root::

    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_many_labels.py
    TF_CPP_MIN_LOG_LEVEL=3 python benchmarks/bench_many_labels.py --quick   # smoke test
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402

N_LABELS, N_TRAIN, N_TEST = 3_000, 90_000, 10_000
QUICK = (300, 9_000, 1_000)
FAMILY, LABEL_WORDS, FAMILY_WORDS, NOISE_WORDS, LENGTH = 30, 8, 20, 5_000, 12
P_LABEL, P_FAMILY = 0.35, 0.25
EPOCH, DIM, LR = 5, 100, 0.5
THREADS = 2
LOSSES = ["softmax", "hs", "ns"]


def make_many_labels(n_documents, n_labels=N_LABELS, random_state=0):
    """Documents and labels of the synthetic many-label set (see the module's docstring)."""
    rng = np.random.default_rng(random_state)
    weights = 1.0 / (np.arange(n_labels) + 50.0) ** 0.7
    labels = rng.choice(n_labels, size=n_documents, p=weights / weights.sum())
    source = rng.random((n_documents, LENGTH))
    label_word = rng.integers(LABEL_WORDS, size=(n_documents, LENGTH))
    family_word = rng.integers(FAMILY_WORDS, size=(n_documents, LENGTH))
    noise_word = rng.integers(NOISE_WORDS, size=(n_documents, LENGTH))
    docs = []
    for label, kinds, lw, fw, nw in zip(
        labels, source, label_word, family_word, noise_word, strict=True
    ):
        words = [
            f"l{label}w{a}"
            if s < P_LABEL
            else f"f{label // FAMILY}w{b}"
            if s < P_LABEL + P_FAMILY
            else f"n{c}"
            for s, a, b, c in zip(kinds, lw, fw, nw, strict=True)
        ]
        docs.append(" ".join(words))
    return docs, [f"L{label}" for label in labels]


def run_fasttext(train_path, test_docs, test_labels, loss):
    import fasttext

    start = time.perf_counter()
    model = fasttext.train_supervised(
        str(train_path), loss=loss, epoch=EPOCH, dim=DIM, lr=LR, thread=THREADS, seed=0, verbose=0
    )
    seconds = time.perf_counter() - start
    predicted, _ = model.predict(test_docs, k=1)
    accuracy = np.mean(
        [row[0][len("__label__") :] == y for row, y in zip(predicted, test_labels, strict=True)]
    )
    return accuracy, seconds


def run_skfasttext(docs, labels, test_docs, test_labels, loss):
    from skfasttext import FastTextClassifier

    clf = FastTextClassifier(
        **{**FASTTEXT, "epoch": EPOCH}, loss=loss, dim=DIM, lr=LR, random_state=0
    )
    start = time.perf_counter()
    clf.fit(docs, labels)
    seconds = time.perf_counter() - start
    return clf.score(test_docs, test_labels), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke test")
    args = parser.parse_args()

    import fasttext  # noqa: F401 (fail early without it)

    from skfasttext import __version__, write_fasttext

    n_labels, n_train, n_test = QUICK if args.quick else (N_LABELS, N_TRAIN, N_TEST)
    docs, labels = make_many_labels(n_train, n_labels, random_state=0)
    test_docs, test_labels = make_many_labels(n_test, n_labels, random_state=1)
    counts = np.unique(labels, return_counts=True)[1]
    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; synthetic many-label set: "
        f"{n_train} train / {n_test} test documents, {len(counts)} labels in training "
        f"(documents a label: min {counts.min()}, median {int(np.median(counts))}, "
        f"max {counts.max()}); epoch={EPOCH}, dim={DIM}, lr={LR}"
    )
    print(
        f"skfasttext {__version__}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, fastText thread={THREADS}\n"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        train_path = Path(tmp) / "train.txt"
        write_fasttext(train_path, docs, labels)
        for loss in LOSSES:
            results["fastText", loss] = run_fasttext(train_path, test_docs, test_labels, loss)
            print(f"fastText {loss}: {results['fastText', loss]}", file=sys.stderr, flush=True)
            results["skfasttext", loss] = run_skfasttext(docs, labels, test_docs, test_labels, loss)
            print(f"skfasttext {loss}: {results['skfasttext', loss]}", file=sys.stderr, flush=True)
    lines = [
        "| library | loss | accuracy | fit s | time / softmax | time / fastText |",
        "|---|---|---|---|---|---|",
    ]
    for library in ["fastText", "skfasttext"]:
        for loss in LOSSES:
            accuracy, seconds = results[library, loss]
            over_softmax = seconds / results[library, "softmax"][1]
            over_fasttext = seconds / results["fastText", loss][1]
            lines.append(
                f"| {library} | {loss} | {accuracy:.3f} | {seconds:.1f} | {over_softmax:.2f} | "
                f"{over_fasttext:.2f} |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
