"""What the commands share: reading lines and documents from a file or stdin, writing
to stdout, loading a model file, and the checks and labels of its predictions.
"""

import os
import sys
from itertools import islice

LABEL = "__label__"
CHUNK = 65536  # documents read, predicted and printed at a time
DIGITS = 5  # significant digits of printed vectors, as fastText prints them


def log(verbose, message):
    if verbose:
        print(message, file=sys.stderr)


def model_path(output):
    """``output``, with the extension ``.skft`` when it has none."""
    return output if os.path.splitext(output)[1] else output + ".skft"


def load_model(path, *, words=False):
    """The fitted estimator saved at ``path``; with ``words``, one that has a vocabulary."""
    from .. import load

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such model file: {path}")
    model = load(path)  # a model file runs no code; anything else is refused
    if words and model.vectorizer_ is None:
        raise ValueError(f"{path} was fitted on ids, so it has no words.")
    return model


def check_k(k, *, every=True):
    """Fail before reading any input; with ``every``, -1 (every label) is allowed too."""
    if k < 1 and not (every and k == -1):
        also = " (or -1: every label)" if every else ""
        raise ValueError(f"k must be a positive integer, got {k}{also}.")


def top_k(model, k):
    """``k`` labels per document; fastText's ``-1`` means every label."""
    return len(model.classes_) if k == -1 else k


def is_classifier(model):
    return hasattr(model, "classes_")


def model_label_prefix(model):
    """The label prefix of the file the model was fitted on (``fit_file`` sets it)."""
    return getattr(model, "label_prefix_", LABEL)


def read_lines(path):
    """Lines of a file, or of stdin for ``-``, decoded from UTF-8, newline removed."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        yield from _decoded(stream, "<stdin>")
        return
    with open(path, "rb") as f:
        yield from _decoded(f, path)


def _decoded(stream, name):
    for lineno, line in enumerate(stream, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{name}, line {lineno}: not UTF-8 ({exc.reason}).") from None
        yield line.rstrip("\r\n")


def is_interactive(path="-"):
    return path == "-" and hasattr(sys.stdin, "isatty") and sys.stdin.isatty()


def chunked(lines, size):
    lines = iter(lines)
    while chunk := list(islice(lines, size)):
        yield chunk


def parse_documents(lines, prefix):
    """Each line as a document, its label tokens removed (fastText predicts on words only)."""
    from ..io import split_tokens

    for line in lines:
        if prefix in line:
            tokens = split_tokens(line)
            line = " ".join(token for token in tokens if not token.startswith(prefix))
        yield line


def read_words(lines):
    from ..io import split_tokens

    for line in lines:
        yield from split_tokens(line)


def write_lines(lines):
    sys.stdout.write("".join(lines))
    sys.stdout.flush()


def read_labelled(path, label_prefix, *, numeric):
    """Documents and targets of a labelled file (``-``: stdin, as fastText's test): labels (a
    list a line where a line holds several), or with ``numeric`` a number a line."""
    from .._validation import numeric_labels
    from ..io import read_fasttext

    source, name = path, path
    if path == "-":
        source, name = getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"
    # a numeric line holds one label: the reader names a line with more
    docs, labels = read_fasttext(source, label_prefix=label_prefix, multi_label=not numeric)
    if not docs:
        raise ValueError(f"{name} holds no documents.")
    if numeric:
        return docs, numeric_labels(labels, name, label_prefix)
    if all(len(labs) == 1 for labs in labels):
        labels = [labs[0] for labs in labels]
    return docs, labels


def read_model_labelled(path, model):
    """:func:`read_labelled` as ``model`` reads its files: its label prefix, its kind."""
    return read_labelled(path, model_label_prefix(model), numeric=not is_classifier(model))
