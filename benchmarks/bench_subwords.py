"""Character n-grams (``minn=3, maxn=6``) beside fastText's, in one run: speed and accuracy.

    python benchmarks/bench_subwords.py [--sets rotten_tomatoes chinese_reviews] [--quick]

(a) **Speed.** Tokens (``</s>`` included) a second on each set's training file:

- ours: ``TextVectorizer(minn=3, maxn=6).fit_transform_ragged`` of the documents in memory
  (the split, the vocabulary, every word's n-grams and every token's ids), then
  ``transform_ragged`` of the test documents (unknown words' n-grams computed there);
- fastText: ``test`` on the training file itself, of the models of (b) (``dim=100``),
  with and without ``minn=3, maxn=6``, and of one trained with ``dim=1``: it reads every
  line, splits it, gives each token its ids (a vocabulary word's subwords from the table
  its dictionary made once, an unknown word's computed: ``getLine``) and runs a forward
  pass. The ``dim=1`` model shows its reading cost with the least arithmetic its binding
  offers: it has no call that only reads, and its short or ``dim=1`` trainings without
  subwords stop with "Encountered NaN" here (fasttext-numpy2 0.10.4; a training that
  stops so is run again with the next seed, counted below). This compares with our
  ``transform_ragged``; our ``fit`` is shown beside it. Ratios are ours over fastText's
  ``dim=1`` figure, a lower bound (its time holds a forward pass).

(b) **Accuracy** on each set's test file, and on a copy with typos made here: 20% of the
test words (``--typo-rate``) get one random edit (two adjacent characters swapped, a
character deleted, or one doubled), seeded. fastText and FastTextClassifier are trained
with their defaults (``epoch=5``, ``dim=100``, ``lr=0.1``), without and with ``minn=3,
maxn=6``; differences are ours minus fastText's, measured in this run.

fastText runs in a child process of this script (``--fasttext-worker``) that imports
no TensorFlow, so that the two never share a process's threads or floating-point state.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
SUBWORDS = {"minn": 3, "maxn": 6}


def seconds(func, repeats=1):
    """The least wall time of ``repeats`` calls, and the last result."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def typos(docs, rate, seed):
    """The documents with one random edit in ``rate`` of their words (of 2+ characters)."""
    rng = np.random.default_rng(seed)
    out, edited, words = [], 0, 0
    for doc in docs:
        tokens = doc.split()
        for i, token in enumerate(tokens):
            words += 1
            if len(token) < 2 or rng.random() >= rate:
                continue
            j = int(rng.integers(len(token) - 1))
            kind = rng.integers(3)
            if kind == 0:  # swap two adjacent characters
                token = token[:j] + token[j + 1] + token[j] + token[j + 2 :]
            elif kind == 1:  # delete one
                token = token[:j] + token[j + 1 :]
            else:  # double one
                token = token[: j + 1] + token[j:]
            tokens[i], edited = token, edited + 1
        out.append(" ".join(tokens))
    return out, edited / max(words, 1)


def fasttext_worker(train, test, typo_test, repeats):
    """fastText's figures, as JSON on stdout (this process imports no TensorFlow)."""
    import fasttext

    out = {"nan_runs": 0}

    def trained(**params):
        for seed in range(20):  # the binding's runs sometimes stop with "Encountered NaN"
            try:
                start = time.perf_counter()
                model = fasttext.train_supervised(train, seed=seed, verbose=0, **params)
                return time.perf_counter() - start, model
            except RuntimeError as error:
                if "NaN" not in str(error):
                    raise
                out["nan_runs"] += 1
        raise RuntimeError("fastText: Encountered NaN 20 times")

    # reading a file: each line split, each token's ids (its subwords' from the
    # dictionary's table, an unknown word's computed), then a forward pass
    _, model = trained(dim=1, thread=1, **SUBWORDS)
    out["read_dim1_s"] = seconds(lambda: model.test(train), repeats)[0]
    for label, params in [("maxn=0", {}), ("minn=3,maxn=6", SUBWORDS)]:
        fit_s, model = trained(thread=2, **params)
        out["read_s" if params else "read_plain_s"] = seconds(
            lambda model=model: model.test(train), repeats
        )[0]
        # precision at 1 of single-label lines is accuracy
        out[label] = [fit_s, model.test(test)[1], model.test(typo_test)[1]]
    print(json.dumps(out))


def run_fasttext(train, test, typo_test, repeats):
    argv = [sys.executable, __file__, "--fasttext-worker", train, test, typo_test]
    done = subprocess.run(argv + ["--repeats", str(repeats)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the fastText worker failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def speed(name, docs, test_docs, repeats, theirs):
    from _fasttext_settings import FASTTEXT_VECTORIZER

    from skfasttext import TextVectorizer

    n_tokens = int(TextVectorizer(**FASTTEXT_VECTORIZER).fit_transform_ragged(docs).lengths.sum())
    n_test = int(
        TextVectorizer(**FASTTEXT_VECTORIZER).fit(docs).transform_ragged(test_docs).lengths.sum()
    )
    vec = TextVectorizer(**FASTTEXT_VECTORIZER, **SUBWORDS)
    fit_s, ids = seconds(lambda: vec.fit_transform_ragged(docs), repeats)
    transform_s, _ = seconds(lambda: vec.transform_ragged(test_docs), repeats)
    plain_s, _ = seconds(
        lambda: TextVectorizer(**FASTTEXT_VECTORIZER).fit_transform_ragged(docs), repeats
    )
    again_s, _ = seconds(lambda: vec.transform_ragged(docs), repeats)
    ft_s, ft_plain_s, ft_dim1_s = theirs["read_s"], theirs["read_plain_s"], theirs["read_dim1_s"]
    nan_runs, theirs = theirs["nan_runs"], n_tokens / ft_dim1_s
    print(f"\n## {name}: speed ({n_tokens:,} training tokens, {n_test:,} test tokens)")
    print(f"ids per token with minn=3, maxn=6: {len(ids.values) / n_tokens:.1f}")
    print(f"fastText trainings stopped by 'Encountered NaN' (run again, next seed): {nan_runs}")
    print("| what | seconds | tokens/s | ratio to fastText minn=3,maxn=6 dim=1 |")
    print("|---|---|---|---|")
    rows = [
        ("TextVectorizer(minn=3, maxn=6) transform_ragged (train)", again_s, n_tokens),
        ("TextVectorizer(minn=3, maxn=6) transform_ragged (test)", transform_s, n_test),
        ("TextVectorizer(minn=3, maxn=6) fit_transform_ragged (train)", fit_s, n_tokens),
        ("TextVectorizer() fit_transform_ragged (train, no n-grams)", plain_s, n_tokens),
        ("fastText minn=3,maxn=6: test (train), dim=1", ft_dim1_s, n_tokens),
        ("fastText minn=3,maxn=6: test (train), dim=100", ft_s, n_tokens),
        ("fastText maxn=0: test (train), dim=100", ft_plain_s, n_tokens),
    ]
    for what, s, tokens in rows:
        print(f"| {what} | {s:.3f} | {tokens / s:,.0f} | {tokens / s / theirs:.2f} |")
    return n_tokens / again_s / theirs


def accuracy(name, docs, labels, test_docs, test_labels, typo_docs, share, theirs):
    from _fasttext_settings import FASTTEXT

    from skfasttext import FastTextClassifier

    print(f"\n## {name}: accuracy ({share:.1%} of the test words edited in the typo copy)")
    print("| model | params | fit s | test | test with typos |")
    print("|---|---|---|---|---|")
    results = {}
    typo_labels = test_labels
    for label, params in [("maxn=0", {}), ("minn=3,maxn=6", SUBWORDS)]:
        fit_s, *row = theirs[label]
        results["fastText", label] = row
        print(f"| fastText | {label} | {fit_s:.1f} | {row[0]:.4f} | {row[1]:.4f} |")
        ours = FastTextClassifier(**{**FASTTEXT, **params}, random_state=0)
        fit_s, _ = seconds(lambda ours=ours: ours.fit(docs, labels))
        row = [ours.score(test_docs, test_labels), ours.score(typo_docs, typo_labels)]
        results["skfasttext", label] = row
        print(f"| skfasttext | {label} | {fit_s:.1f} | {row[0]:.4f} | {row[1]:.4f} |")
    print("\n| gain of minn=3,maxn=6 over maxn=0 | test | test with typos |")
    print("|---|---|---|")
    for model in ["fastText", "skfasttext"]:
        gain = np.subtract(results[model, "minn=3,maxn=6"], results[model, "maxn=0"])
        print(f"| {model} | {gain[0]:+.4f} | {gain[1]:+.4f} |")
    ours_minus = np.subtract(
        results["skfasttext", "minn=3,maxn=6"], results["fastText", "minn=3,maxn=6"]
    )
    print(
        "| skfasttext minus fastText at minn=3,maxn=6 | "
        f"{ours_minus[0]:+.4f} | {ours_minus[1]:+.4f} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["rotten_tomatoes", "chinese_reviews"])
    parser.add_argument("--typo-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="speed: the best of this many")
    parser.add_argument("--quick", action="store_true", help="3,000 training documents a set")
    parser.add_argument("--fasttext-worker", nargs=3, metavar=("TRAIN", "TEST", "TYPO_TEST"))
    args = parser.parse_args()
    if args.fasttext_worker:
        fasttext_worker(*args.fasttext_worker, args.repeats)
        return
    from skfasttext import read_fasttext
    from skfasttext.io import write_fasttext

    print(f"# bench_subwords, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs")
    for name in args.sets:
        train, test = (os.path.join(DATA, f"{name}.{part}.txt") for part in ("train", "test"))
        docs, labels = read_fasttext(train)
        test_docs, test_labels = read_fasttext(test)
        with tempfile.TemporaryDirectory() as tmp:
            if args.quick:
                docs, labels = docs[:3000], labels[:3000]
                train = os.path.join(tmp, "train.txt")
                write_fasttext(train, docs, labels)
            typo_docs, share = typos(test_docs, args.typo_rate, args.seed)
            typo_test = os.path.join(tmp, "typos.txt")
            write_fasttext(typo_test, typo_docs, test_labels)  # the text fastText reads
            typo_docs, _ = read_fasttext(typo_test)
            theirs = run_fasttext(train, test, typo_test, args.repeats)
        speed(name, docs, test_docs, args.repeats, theirs)
        accuracy(name, docs, labels, test_docs, test_labels, typo_docs, share, theirs)


if __name__ == "__main__":
    main()
