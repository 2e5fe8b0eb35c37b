"""Fixed cost of a fit beside fastText's whole fit, on the small shared sets, in one process.

    python benchmarks/bench_fixed_cost.py [--datasets NAME ...]

(default: tate_year rotten_tomatoes chinese_reviews)

On small sets a fit's time is mostly fixed cost: vectorizing, building the model, tracing
the training loop and compiling it with XLA. This script splits a fit into that cost and
the cost of an epoch, from fits of 1 and of 21 epochs (the median of 3 each):
``per epoch = (t21 - t1) / 20``, ``fixed = t1 - per epoch``. ``ratio`` is a fit of
fastText's 5 epochs over fastText's fit, ``no fixed`` that ratio without the fixed cost.

It also compiles a bare training loop written in TensorFlow alone (gather the word
vectors, average them by document, one dense layer, softmax cross-entropy, a sparse SGD
step, 64 steps in one XLA loop) with the shapes of the set: a floor for the compile of any
XLA-compiled training, whatever the library around it. fastText (``thread=2``, defaults)
fits each set in the same run.
"""

import argparse
import os
import statistics
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import fasttext  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from _fasttext_settings import FASTTEXT  # noqa: E402
from bench_quality import _timed, load  # noqa: E402

from skfasttext import FastTextClassifier  # noqa: E402
from skfasttext.io import write_fasttext  # noqa: E402


def seconds(func, repeat=3):
    """The median time of ``repeat`` calls of ``func``, and what its last call returned."""
    runs = [_timed(func) for _ in range(repeat)]
    return statistics.median(time for _, time in runs), runs[-1][0]


def bare_loop_compile(n_words, n_classes, tokens, documents=32, dim=100, steps=64):
    """Seconds to trace and compile a bare XLA training loop (the first call less the second)."""
    table = tf.Variable(tf.random.uniform((n_words, dim), -0.01, 0.01))
    kernel = tf.Variable(tf.zeros((dim, n_classes)))

    def step(ids, segments, labels):
        with tf.GradientTape() as tape:
            pooled = tf.math.unsorted_segment_mean(tf.gather(table, ids), segments, documents)
            logits = pooled @ kernel
            loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        rows, weights = tape.gradient(loss, [table, kernel])
        table.scatter_sub(tf.IndexedSlices(rows.values * 0.1, rows.indices))
        kernel.assign_sub(weights * 0.1)
        return loss

    def loop(ids, segments, labels):
        def body(i, total):
            return i + 1, total + step(ids[i], segments[i], labels[i])

        return tf.while_loop(lambda i, _: i < steps, body, (0, 0.0))[1]

    rng = np.random.default_rng(0)
    ids = rng.integers(1, n_words, (steps, tokens)).astype(np.int32)
    segments = np.sort(rng.integers(0, documents, (steps, tokens)), axis=1).astype(np.int32)
    labels = rng.integers(0, n_classes, (steps, documents)).astype(np.int32)
    compiled = tf.function(loop, jit_compile=True, autograph=False)
    first, _ = seconds(lambda: compiled(ids, segments, labels).numpy(), repeat=1)
    later, _ = seconds(lambda: compiled(ids, segments, labels).numpy())
    return first - later


def measure(name):
    """One row of the table: fastText's fit, ours at 5 epochs, and the split of ours."""
    docs, labels, _, _ = load(name, quick=False)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.txt")
        write_fasttext(path, docs, labels)
        theirs, _ = seconds(lambda: fasttext.train_supervised(path, thread=2, verbose=0))

    def fit(epoch):
        return FastTextClassifier(**{**FASTTEXT, "epoch": epoch}, random_state=0).fit(docs, labels)

    (one, model), (five, _), (many, _) = (seconds(lambda e=e: fit(e)) for e in (1, 5, 21))
    per_epoch = (many - one) / 20
    fixed = one - per_epoch
    # a batch's room: about twice the ids of its 32 documents
    mean = model.vectorizer_.transform_ragged(docs)[1].mean()
    room = 64 * int(np.ceil(2 * 32 * mean / 64))
    bare = bare_loop_compile(model.input_dim_, len(model.classes_), room)
    return name, theirs, five, five / theirs, fixed, per_epoch, bare, 5 * per_epoch / theirs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--datasets", nargs="+", default=["tate_year", "rotten_tomatoes", "chinese_reviews"]
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; seconds, medians of 3 fits")
    header = ("set", "fastText", "ours", "ratio", "fixed", "per epoch", "bare compile", "no fixed")
    print("{:<16} {:>8} {:>6} {:>6} {:>6} {:>9} {:>12} {:>9}".format(*header))
    for name in args.datasets:
        row = measure(name)
        print("{:<16} {:8.2f} {:6.2f} {:5.1f}x {:6.2f} {:9.3f} {:12.2f} {:8.1f}x".format(*row))


if __name__ == "__main__":
    main()
