"""Our character n-grams against fastText's binding, word by word.

The test suite checks n-gram strings and buckets against values taken from fastText;
this script checks them against the binding itself (``pip install fasttext-numpy2``),
on words of several scripts and an unseen one, and exits non-zero on a difference::

    python benchmarks/check_subwords.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import fasttext

from skfasttext import FastTextClassifier
from skfasttext.text import char_ngrams

WORDS = ["naïve", "日本語", "x", "héllo", "supercalifragilistic", "ß"]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "train.txt")
        text = "__label__a " + " ".join(WORDS) + "\n__label__b " + " ".join(WORDS[::-1]) + "\n"
        path.write_text(text, encoding="utf-8")
        # trained in a process of its own: beside TensorFlow, fastText's tiny training
        # has reported a NaN loss
        train = "import fasttext, sys; fasttext.train_supervised(sys.argv[1], minn=2, maxn=5, "
        train += "bucket=1000, epoch=1, verbose=0).save_model(sys.argv[2])"
        model = Path(tmp, "m.bin")
        subprocess.run([sys.executable, "-c", train, path, model], check=True)
        theirs = fasttext.load_model(str(model))
    ours = FastTextClassifier(minn=2, maxn=5, bucket=1000, dim=4, epoch=1)
    ours.fit([" ".join(WORDS), " ".join(WORDS[::-1])], ["a", "b"])
    differ = 0
    for word in [*WORDS, "unseen-wörd"]:
        strings, ids = theirs.get_subwords(word)
        known = word in theirs.words
        _, start, stop, hashes, data = char_ngrams([word.encode()], 2, 5)
        same = [data[a:b].decode() for a, b in zip(start, stop, strict=True)] == list(
            strings[known:]
        )
        same &= (hashes % 1000).tolist() == (ids[known:] - len(theirs.words)).tolist()
        same &= ours.get_subwords(word)[0] == list(strings)
        print(f"{word}: {'same' if same else 'DIFFERENT'} ({len(strings)} subwords)")
        differ += not same
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
