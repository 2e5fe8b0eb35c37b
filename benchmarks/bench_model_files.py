"""Model files beside fastText's, in one run: size, save and load time, quantization.

    python benchmarks/bench_model_files.py [--sets rotten_tomatoes chinese_reviews] [--quick]

For each shared set, fastText and FastTextClassifier are fitted at ``word_ngrams=2``
(``epoch=25`` on chinese_reviews, as the issue's check asks; defaults otherwise), then:

- fastText's ``.bin`` (``save_model``) against our ``save``: size, save + load seconds, and
  whether our predictions after ``skfasttext.load`` are identical to those before;
- fastText's ``quantize(cutoff=50000, dsub=4, qnorm=True)`` against ours: ``.ftz`` and
  quantized file sizes, test accuracy before and after;
- our command line's ``quantize -cutoff 50000 -dsub 4 -qnorm`` on the saved model: size and
  accuracy of the file it writes.

Then the first ``predict`` of 30,000 age-corpus documents after ``skfasttext.load`` against
fastText's ``predict`` of the same documents (after its ``load_model``). Ratios are ours
over fastText's, measured in this run.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import fasttext  # noqa: E402
import numpy as np  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402

import skfasttext  # noqa: E402
from skfasttext import FastTextClassifier, make_age_corpus, read_fasttext  # noqa: E402
from skfasttext.io import write_fasttext  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
QUANTIZE = {"cutoff": 50_000, "dsub": 4, "qnorm": True}


def seconds(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def megabytes(path):
    return os.path.getsize(path) / 1e6


def fasttext_accuracy(model, docs, labels):
    predicted = [p[0][len("__label__") :] for p in model.predict(docs)[0]]
    return float(np.mean(np.array(predicted) == np.array(labels)))


def one_set(name, folder, quick):
    train, test = (os.path.join(DATA, f"{name}.{part}.txt") for part in ("train", "test"))
    docs, labels = read_fasttext(train)
    test_docs, test_labels = read_fasttext(test)
    if quick:
        docs, labels, test_docs, test_labels = docs[:3000], labels[:3000], test_docs, test_labels
        write_fasttext(train := os.path.join(folder, f"{name}.quick.txt"), docs, labels)
    epoch = 25 if name == "chinese_reviews" else 5
    rows = []

    theirs = fasttext.train_supervised(train, wordNgrams=2, epoch=epoch, thread=2, verbose=0)
    bin_path = os.path.join(folder, f"{name}.bin")
    save_s, _ = seconds(lambda: theirs.save_model(bin_path))
    load_s, theirs = seconds(lambda: fasttext.load_model(bin_path))
    their_accuracy = fasttext_accuracy(theirs, test_docs, test_labels)
    rows.append(("fastText .bin", megabytes(bin_path), save_s + load_s, their_accuracy, ""))
    quantize_s, _ = seconds(lambda: theirs.quantize(input=train, retrain=False, **QUANTIZE))
    ftz_path = os.path.join(folder, f"{name}.ftz")
    theirs.save_model(ftz_path)
    rows.append(
        (
            "fastText quantize",
            megabytes(ftz_path),
            quantize_s,
            fasttext_accuracy(theirs, test_docs, test_labels),
            "quantize s",
        )
    )

    settings = {**FASTTEXT, "word_ngrams": 2, "epoch": epoch}
    ours = FastTextClassifier(**settings, random_state=0).fit(docs, labels)
    before = ours.predict(test_docs)
    model_path = os.path.join(folder, f"{name}.skft")
    save_s, _ = seconds(lambda: ours.save(model_path))
    load_s, loaded = seconds(lambda: skfasttext.load(model_path))
    after = loaded.predict(test_docs)
    accuracy = float(np.mean(before == np.array(test_labels)))
    note = "identical after load" if np.array_equal(before, after) else "DIFFERENT after load"
    rows.append(("skfasttext save", megabytes(model_path), save_s + load_s, accuracy, note))
    quantize_s, _ = seconds(lambda: loaded.quantize(**QUANTIZE))
    small_path = os.path.join(folder, f"{name}.q.skft")
    loaded.save(small_path)
    accuracy = float(np.mean(skfasttext.load(small_path).predict(test_docs) == test_labels))
    rows.append(("skfasttext quantize", megabytes(small_path), quantize_s, accuracy, "quantize s"))

    cli = [sys.executable, "-m", "skfasttext", "quantize", "-output", model_path[: -len(".skft")]]
    cli += ["-cutoff", "50000", "-dsub", "4", "-qnorm"]
    cli_s, _ = seconds(lambda: subprocess.run(cli, check=True, capture_output=True))
    cli_path = model_path[: -len(".skft")] + ".ftz"
    accuracy = float(np.mean(skfasttext.load(cli_path).predict(test_docs) == test_labels))
    rows.append(("skfasttext CLI quantize", megabytes(cli_path), cli_s, accuracy, "command s"))
    return rows


def first_predict_after_load(folder, quick):
    n = 3000 if quick else 30_000
    docs, ages = make_age_corpus(n, random_state=0)
    path = os.path.join(folder, "ages.txt")
    write_fasttext(path, docs, ages)
    theirs = fasttext.train_supervised(path, thread=2, verbose=0)
    theirs.save_model(os.path.join(folder, "ages.bin"))
    ours = FastTextClassifier(**FASTTEXT, random_state=0).fit(docs, ages)
    ours.save(os.path.join(folder, "ages.skft"))
    theirs = fasttext.load_model(os.path.join(folder, "ages.bin"))
    loaded = skfasttext.load(os.path.join(folder, "ages.skft"))
    their_s, _ = seconds(lambda: theirs.predict(docs))
    our_s, _ = seconds(lambda: loaded.predict(docs))
    return n, their_s, our_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["rotten_tomatoes", "chinese_reviews"])
    parser.add_argument("--quick", action="store_true", help="3,000 training documents a set")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; quantize settings {QUANTIZE}")
    print("| set | model file | MB | s | accuracy | note |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.sets:
            for model, size, spent, accuracy, note in one_set(name, folder, args.quick):
                print(f"| {name} | {model} | {size:.2f} | {spent:.2f} | {accuracy:.4f} | {note} |")
        n, their_s, our_s = first_predict_after_load(folder, args.quick)
    print(
        f"\nfirst predict of {n} age documents after load: fastText {their_s:.3f} s, "
        f"skfasttext {our_s:.3f} s, ratio {our_s / their_s:.2f}"
    )


if __name__ == "__main__":
    main()
