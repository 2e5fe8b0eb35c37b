"""TextVectorizer throughput (tokens/s, fit + transform) beside scikit-learn's CountVectorizer.

    python benchmarks/bench_vectorizer.py [--documents 100000] [--word-ngrams 1 2]

Both run in the same process on the same documents (the built-in age corpus); the ratio is what
to compare across machines.
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402

from skfasttext import TextVectorizer, make_age_corpus  # noqa: E402


def best_of(repeats, func):
    """Smallest wall time of ``repeats`` calls of ``func``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--word-ngrams", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    docs, _ = make_age_corpus(args.documents, vocab_size=200_000, random_state=0)
    tokens = sum(len(doc.split()) for doc in docs)
    print(f"{len(docs)} documents, {tokens} tokens, {os.cpu_count()} CPUs")
    print(f"{'method':<58} {'seconds':>8} {'Mtokens/s':>10} {'ratio':>6}")
    for n in args.word_ngrams:

        def ragged(n=n):  # what the estimators use: no padding
            vectorizer = TextVectorizer(word_ngrams=n).fit(docs)
            vectorizer.transform_ragged(docs)

        ours = best_of(args.repeats, ragged)
        padded = best_of(
            args.repeats, lambda n=n: TextVectorizer(word_ngrams=n, max_len=100).fit_transform(docs)
        )
        reference = best_of(
            args.repeats,
            lambda n=n: CountVectorizer(token_pattern=r"\S+", ngram_range=(1, n)).fit_transform(
                docs
            ),
        )
        for name, seconds in [
            (f"TextVectorizer(word_ngrams={n}) fit+transform_ragged", ours),
            (f"TextVectorizer(word_ngrams={n}, max_len=100) fit_transform", padded),
            (f"CountVectorizer(ngram_range=(1, {n}))", reference),
        ]:
            print(f"{name:<58} {seconds:8.2f} {tokens / seconds / 1e6:10.2f} {seconds / ours:6.2f}")


if __name__ == "__main__":
    main()
