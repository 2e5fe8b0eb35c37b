"""Scale: fit on millions of documents, in memory or streamed from a file.

Reports the fit time, the time per epoch (Keras's log, one line an epoch) and the
peak memory of the process. Run it under ``/usr/bin/time -v`` for the peak RSS as the
operating system saw it::

    python ../shared/bench/make_age_corpus.py --docs 4000000 --vocab 230000 --out age4m.txt
    /usr/bin/time -v python benchmarks/bench_scale.py age4m.txt --mode fit --epoch 5
    /usr/bin/time -v python benchmarks/bench_scale.py age4m.txt --mode fit_file --epoch 5
    /usr/bin/time -v python benchmarks/bench_scale.py age4m.txt --mode fit_file --epoch 1 \
        --word-ngrams 2 --save /tmp/age4m.skft

``--mode fit`` reads the whole file into memory first (``read_fasttext``), then calls
``fit``; ``--mode fit_file`` streams it (``fit_file``), 100,000 documents at a time.
"""

import argparse
import os
import resource
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="training file in fastText format")
    parser.add_argument("--mode", choices=["fit", "fit_file"], default="fit")
    parser.add_argument("--regression", action="store_true", help="labels as numbers")
    parser.add_argument("--epoch", type=int, default=5)
    parser.add_argument("--max-len", type=int, default=100)
    parser.add_argument("--test", help="test file in fastText format (optional)")
    parser.add_argument("--word-ngrams", type=int, default=1)
    parser.add_argument("--save", help="save the model there and report its size (optional)")
    args = parser.parse_args(argv)

    import numpy as np

    from skfasttext import FastTextClassifier, FastTextRegressor
    from skfasttext.io import read_fasttext

    Estimator = FastTextRegressor if args.regression else FastTextClassifier
    model = Estimator(
        epoch=args.epoch,
        max_len=args.max_len,
        word_ngrams=args.word_ngrams,
        random_state=0,
        verbose=2,
    )
    start = time.perf_counter()
    if args.mode == "fit":
        docs, labels = read_fasttext(args.path)
        read = time.perf_counter() - start
        print(f"read {len(docs)} documents in {read:.1f} s", flush=True)
        model.fit(docs, np.asarray(labels, dtype=float) if args.regression else labels)
        del docs, labels
    else:
        model.fit_file(args.path)
    seconds = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"{args.mode}: {seconds:.1f} s for {args.epoch} epochs, "
        f"{len(model.vectorizer_.vocabulary_)} words, batch_size_={model.batch_size_}, "
        f"peak RSS {peak_gb:.2f} GB",
        flush=True,
    )
    if args.save:
        model.save(args.save)
        rows = model.input_dim_
        print(f"saved {os.path.getsize(args.save) / 1e6:.1f} MB ({rows} embedding rows)")
    if args.test:
        test_docs, test_labels = read_fasttext(args.test)
        predicted = model.predict(test_docs)
        if args.regression:
            error = np.abs(predicted - np.asarray(test_labels, dtype=float)).mean()
            print(f"test MAE {error:.3f}")
        else:
            print(f"test accuracy {np.mean(predicted == np.asarray(test_labels)):.4f}")


if __name__ == "__main__":
    main()
