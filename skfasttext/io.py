"""Read and write fastText's files: ``__label__<y> tok tok ...`` documents, ``.vec`` vectors."""

import io
import os
import re
import warnings
from collections.abc import Mapping, Set
from itertools import chain
from numbers import Integral

import numpy as np

from ._files import atomic_open
from ._sklearn_compat import HasMethods, Interval, StrOptions, validate_params
from ._validation import check_documents, is_missing_label, is_number

__all__ = [
    "read_fasttext",
    "iter_fasttext",
    "write_fasttext",
    "read_word_vectors",
    "write_word_vectors",
    "split_tokens",
    "format_vectors",
]

_WHITESPACE = " \t\n\r\v\f\0"  # fastText's token separators
_WS_RUN = re.compile("[ \t\n\r\v\f\0]+")
_ODD_SPACING = ("  ", "\t", "\n", "\r", "\v", "\f", "\0")  # anything but single spaces

_READ_CONSTRAINTS = {
    "path_or_file": [str, os.PathLike, HasMethods(["__iter__"])],
    "label_prefix": [str],
    "multi_label": ["boolean"],
    "on_error": [StrOptions({"raise", "skip"})],
    "encoding": [str],
}


class _LineError(ValueError):
    """A malformed line: raised, or skipped with ``on_error="skip"``."""


def _check_prefix(label_prefix):
    if not label_prefix or _WS_RUN.search(label_prefix):
        raise ValueError(
            f"label_prefix must be a non-empty string without whitespace, got {label_prefix!r}."
        )


def split_tokens(text):
    """Split a line into tokens on fastText's whitespace.

    fastText separates tokens with space, tab, ``\\n``, ``\\r``, ``\\v``, ``\\f``
    and NUL, and with nothing else: unlike ``str.split()``, other Unicode
    spaces (a no-break space, an em space) are part of a token. Runs of
    whitespace, and whitespace at either end, give no empty tokens. This is
    the split of :func:`~skfasttext.read_fasttext` and of the command line.

    Parameters
    ----------
    text : str
        A line, or any text.

    Returns
    -------
    tokens : list of str
        The tokens, in order; an empty list for a blank line.

    Raises
    ------
    TypeError
        If ``text`` is not a str (decode bytes first). The check is by hand,
        not scikit-learn's parameter validation, which would cost more than
        the split of a line.

    See Also
    --------
    skfasttext.read_fasttext : Read a file of labelled lines, split this way.

    Examples
    --------
    >>> from skfasttext.io import split_tokens
    >>> split_tokens(" __label__pos great\\tfilm\\r\\n")
    ['__label__pos', 'great', 'film']
    >>> split_tokens("no\\u00a0break here")  # a no-break space is no separator
    ['no\\xa0break', 'here']
    >>> split_tokens(" \\n")
    []
    """
    if not isinstance(text, str):
        raise TypeError(
            f"The 'text' parameter of split_tokens must be an instance of 'str'. "
            f"Got {text!r:.60} instead."
        )
    text = text.strip(_WHITESPACE)
    return _WS_RUN.split(text) if text else []


def _normalize(text):
    """Split ``text`` on fastText whitespace and re-join the tokens with single spaces."""
    # Fast path: most lines are already single-spaced, and substring scans run at C speed.
    if any(map(text.__contains__, _ODD_SPACING)) or text.startswith(" ") or text.endswith(" "):
        return " ".join(_WS_RUN.split(text.strip(_WHITESPACE)))
    return text


def _parse_line(line, lineno, prefix, encoding):
    """Return ``(text, labels)`` for one line, ``(None, None)`` for a blank one."""
    if isinstance(line, bytes):
        try:
            line = line.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _LineError(f"cannot decode with encoding {encoding!r} ({exc.reason})") from None
    if lineno == 1:
        line = line.removeprefix("\ufeff")
    line = _normalize(line.rstrip("\r\n"))
    if not line:
        return None, None
    labels, pos, start = [], 0, len(prefix)
    while line.startswith(prefix, pos):
        end = line.find(" ", pos)
        end = len(line) if end == -1 else end
        if end == pos + start:
            raise _LineError(f"empty label {prefix!r} (nothing after the prefix)")
        labels.append(line[pos + start : end])
        pos = end + 1
    if not labels:
        raise _LineError(f"no label (expected a token starting with {prefix!r})")
    if pos >= len(line):
        raise _LineError(f"no text after the label {prefix + labels[-1]!r}")
    return line[pos:], labels


def _chunks(lines, name, chunk_size, prefix, multi_label, on_error, encoding):
    docs, labels = [], []
    n_skipped = first_skipped = 0
    for lineno, line in enumerate(lines, 1):
        try:
            text, labs = _parse_line(line, lineno, prefix, encoding)
        except _LineError as exc:
            if on_error == "raise":
                raise ValueError(f"{name}, line {lineno}: {exc}") from None
            n_skipped += 1
            first_skipped = first_skipped or lineno
            continue
        if text is None:
            continue
        if not multi_label:
            if len(labs) > 1:
                raise ValueError(
                    f"{name}, line {lineno}: {len(labs)} labels "
                    f"({', '.join(prefix + lab for lab in labs)}) but multi_label=False; "
                    "pass multi_label=True to read a multi-label file."
                )
            labs = labs[0]
        docs.append(text)
        labels.append(labs)
        if len(docs) == chunk_size:
            yield docs, labels
            docs, labels = [], []
    if docs:
        yield docs, labels
    if n_skipped:
        warnings.warn(
            f"{name}: skipped {n_skipped} malformed line(s) (the first is line {first_skipped}).",
            UserWarning,
            stacklevel=3,
        )


def _iter_source(path_or_file, *args):
    if isinstance(path_or_file, (Mapping, Set)):
        raise TypeError(f"Expected a path or a file object, got a {type(path_or_file).__name__}.")
    if isinstance(path_or_file, (str, os.PathLike)):
        # Binary mode: lines end at "\n" only ("\r" is whitespace, as in fastText), and a line
        # that fails to decode is reported with its number (and can be skipped).
        with open(path_or_file, "rb") as f:
            yield from _chunks(f, os.fsdecode(path_or_file), *args)
    else:
        yield from _chunks(path_or_file, str(getattr(path_or_file, "name", "<file>")), *args)


@validate_params(
    {**_READ_CONSTRAINTS, "chunk_size": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def iter_fasttext(
    path_or_file,
    *,
    chunk_size=100_000,
    label_prefix="__label__",
    multi_label=False,
    on_error="raise",
    encoding="utf-8",
):
    """Stream a fastText-format file as ``(docs, labels)`` chunks.

    The file is read line by line, so files larger than memory can be processed
    chunk by chunk. :func:`read_fasttext` is this generator, concatenated.

    Parameters
    ----------
    path_or_file : str, path-like or file object
        A path, or a file object open in text or binary mode (any iterable of
        lines). Paths are opened in binary mode and decoded line by line, so the
        encoding must be ASCII-compatible (UTF-8, Latin-1, GBK, ...); to read
        UTF-16, pass a file opened in text mode.
    chunk_size : int, default=100_000
        Number of documents per chunk; the last chunk may be shorter.
    label_prefix : str, default="__label__"
        Tokens starting with this prefix are labels.
    multi_label : bool, default=False
        If False, each line must hold exactly one label and ``labels`` is a
        list of str. If True, ``labels`` is a list of lists of str.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a malformed line (no label, an empty label, no text
        after the labels, bytes that do not decode): raise a ValueError naming
        the file and the 1-based line number, or skip the line (only good lines
        are returned, texts and labels stay aligned) and warn once, at the end,
        with the number of lines skipped. A line with several labels when
        ``multi_label=False`` always raises: it means the wrong mode, not a bad line.
    encoding : str, default="utf-8"
        Encoding of files opened from a path, or of lines read as bytes.

    Yields
    ------
    docs : list of str
        Up to ``chunk_size`` texts, tokens re-joined with single spaces.
    labels : list of str or list of list of str
        Their labels, prefix removed.

    See Also
    --------
    read_fasttext : Read the whole file at once.

    Notes
    -----
    Tokens are separated by fastText's whitespace (space, tab, ``\\n``, ``\\r``,
    ``\\v``, ``\\f``, NUL), so CRLF line endings need no special care; other
    Unicode spaces are part of tokens, as in fastText and :class:`TextVectorizer`.
    Blank lines are skipped, and a UTF-8 byte order mark at the start is ignored.

    Labels are the *leading* tokens that start with ``label_prefix``. fastText
    accepts labels anywhere on a line; here a prefixed token after the first
    text token stays in the text. Files written by fastText's tools and by
    :func:`write_fasttext` put labels first.

    Examples
    --------
    >>> import io
    >>> from skfasttext.io import iter_fasttext
    >>> f = io.StringIO("__label__a one\\n__label__b two\\n__label__a three\\n")
    >>> for docs, labels in iter_fasttext(f, chunk_size=2):
    ...     print(docs, labels)
    ['one', 'two'] ['a', 'b']
    ['three'] ['a']
    """
    _check_prefix(label_prefix)  # checked now, not at the first next()
    return _iter_source(path_or_file, chunk_size, label_prefix, multi_label, on_error, encoding)


@validate_params(_READ_CONSTRAINTS, prefer_skip_nested_validation=True)
def read_fasttext(
    path_or_file, *, label_prefix="__label__", multi_label=False, on_error="raise", encoding="utf-8"
):
    """Read a fastText-format file into documents and labels.

    Each line is ``<prefix><label> [<prefix><label> ...] token token ...``.

    Parameters
    ----------
    path_or_file : str, path-like or file object
        A path, or a file object open in text or binary mode. See
        :func:`iter_fasttext`.
    label_prefix : str, default="__label__"
        Tokens starting with this prefix are labels.
    multi_label : bool, default=False
        Whether a line may hold several labels: ``labels`` is then a list of
        lists of str, else a list of str (a line with two labels raises).
    on_error : {"raise", "skip"}, default="raise"
        Raise a ValueError naming the file and line number on a malformed line
        (no label, an empty label, no text, undecodable bytes), or skip such
        lines with one warning. See :func:`iter_fasttext`.
    encoding : str, default="utf-8"
        Encoding of files opened from a path, or of lines read as bytes.

    Returns
    -------
    docs : list of str
        The texts, tokens re-joined with single spaces.
    labels : list of str or list of list of str
        The labels, prefix removed.

    See Also
    --------
    iter_fasttext : Stream a large file in chunks (same parser, same rules).
    write_fasttext : Write documents and labels in this format.

    Notes
    -----
    Labels are the leading prefixed tokens of a line; a prefixed token after
    the text starts is kept as text (fastText would take it as a label).
    Blank lines are skipped; CRLF endings, tabs and a UTF-8 byte order mark
    are handled.

    Examples
    --------
    >>> import io
    >>> from skfasttext.io import read_fasttext
    >>> f = io.StringIO("__label__pos great\\tfilm\\r\\n\\n__label__neg dull\\n")
    >>> read_fasttext(f)
    (['great film', 'dull'], ['pos', 'neg'])
    >>> read_fasttext(io.StringIO("llsci llmath proofs and stars\\n"),
    ...               label_prefix="ll", multi_label=True)
    (['proofs and stars'], [['sci', 'math']])
    """
    docs, labels = [], []
    chunks = iter_fasttext(
        path_or_file,
        label_prefix=label_prefix,
        multi_label=multi_label,
        on_error=on_error,
        encoding=encoding,
    )
    for chunk_docs, chunk_labels in chunks:
        docs.extend(chunk_docs)
        labels.extend(chunk_labels)
    return docs, labels


def _format_labels(label, i, prefix):
    labs = label.tolist() if isinstance(label, np.ndarray) else label
    labs = labs if isinstance(labs, (list, tuple)) else [labs]
    if not labs:
        raise ValueError(f"labels[{i}] is empty: every document needs at least one label.")
    if any(is_missing_label(lab) for lab in labs):
        raise ValueError(f"labels[{i}] is missing (None or NaN): every document needs a label.")
    labs = [str(lab) for lab in labs]
    for lab in labs:
        if not lab or _WS_RUN.search(lab):
            raise ValueError(
                f"labels[{i}] holds the label {lab!r}: labels must be non-empty and "
                "hold no whitespace."
            )
    return " ".join(prefix + lab for lab in labs)


def _format_lines(docs, labels, prefix):
    docs, pretokenized = check_documents(docs)
    if getattr(labels, "ndim", 1) > 1:
        raise ValueError(
            "labels must be a 1-d sequence of labels or of lists of labels, got an array of "
            f"shape {labels.shape}. For an indicator matrix, use "
            "MultiLabelBinarizer.inverse_transform first."
        )
    labels = list(labels)
    if len(labels) != len(docs):
        raise ValueError(f"Got {len(docs)} documents but {len(labels)} labels.")
    lines = []
    for i, (doc, label) in enumerate(zip(docs, labels, strict=True)):
        text = " ".join(doc) if pretokenized else _normalize(doc)
        if not text:
            raise ValueError(
                f"docs[{i}] is empty: a line needs text after its labels to be read back."
            )
        if pretokenized and (_normalize(text) != text or text.count(" ") != len(doc) - 1):
            raise ValueError(f"docs[{i}] holds an empty token or a token with whitespace.")
        if text.startswith(prefix):
            raise ValueError(
                f"docs[{i}] starts with the label prefix {prefix!r}: it would be read back "
                "as a label."
            )
        lines.append(f"{_format_labels(label, i, prefix)} {text}\n")
    return lines


def _write_lines(path_or_file, lines, encoding):
    """Write text lines to a path (atomically) or to a file object open in text or binary mode."""
    if isinstance(path_or_file, (str, os.PathLike)):
        with atomic_open(path_or_file, "w", encoding=encoding) as f:
            f.writelines(lines)
    elif isinstance(path_or_file, (io.RawIOBase, io.BufferedIOBase)):
        path_or_file.writelines(line.encode(encoding) for line in lines)
    else:
        path_or_file.writelines(lines)


@validate_params(
    {
        "path_or_file": [str, os.PathLike, HasMethods(["write"])],
        "docs": "no_validation",  # check_documents gives the package's own messages
        "labels": ["array-like"],
        "label_prefix": [str],
        "encoding": [str],
    },
    prefer_skip_nested_validation=True,
)
def write_fasttext(path_or_file, docs, labels, *, label_prefix="__label__", encoding="utf-8"):
    """Write documents and labels as a fastText-format file.

    Everything is validated before anything is written. Given a path, the file
    is written atomically: to a temporary file in the same directory, then
    moved over the target with :func:`os.replace`, so a reader never sees a
    half-written file and a failed write leaves any old file untouched.

    Parameters
    ----------
    path_or_file : str, path-like or file object
        Where to write: a path, or a file object open in text or binary mode.
    docs : array-like of str or of list of str
        Whitespace-tokenized strings (written with single spaces between
        tokens) or lists of tokens. A document with no tokens, a token holding
        whitespace, or a first token starting with ``label_prefix`` raises a
        ValueError naming the document's index: it could not be read back.
    labels : array-like
        One label per document, or one list of labels per document
        (multi-label). Labels are written with ``str``, so they are read back
        as strings; they must be non-empty and hold no whitespace.
    label_prefix : str, default="__label__"
        Written before each label.
    encoding : str, default="utf-8"
        Encoding of the file (unused for text file objects).

    See Also
    --------
    read_fasttext : Read such a file back.

    Examples
    --------
    >>> import io, os, tempfile
    >>> from skfasttext.io import read_fasttext, write_fasttext
    >>> f = io.StringIO()
    >>> write_fasttext(f, ["good  film", "bad"], [["pos", "film"], "neg"])
    >>> print(f.getvalue(), end="")
    __label__pos __label__film good film
    __label__neg bad
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "train.txt")
    ...     write_fasttext(path, [["so", "good"], ["meh"]], [1, 0])
    ...     read_fasttext(path)
    (['so good', 'meh'], ['1', '0'])
    """
    _check_prefix(label_prefix)
    lines = _format_lines(docs, labels, label_prefix)
    _write_lines(path_or_file, lines, encoding)


# -- word vectors: fastText's .vec text format ------------------------------------


def _check_vectors(vectors):
    """``vectors`` as a 2-d array of numbers, or a ValueError."""
    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or vectors.dtype.kind not in "biuf":
        raise ValueError(
            f"vectors must be a 2-d array of numbers, got an array of shape {vectors.shape} "
            f"and dtype {vectors.dtype}."
        )
    return vectors


def _check_word_vectors(words, vectors):
    """Validated ``(words as a list of str, vectors as a 2-d float array)``."""
    if isinstance(words, (str, bytes)):
        raise ValueError("words must be a sequence of words, got a single string.")
    words = words.tolist() if isinstance(words, np.ndarray) else list(words)
    vectors = _check_vectors(vectors)
    if len(words) != len(vectors):
        raise ValueError(f"Got {len(words)} words but {len(vectors)} vectors.")
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word or _WS_RUN.search(word):
            raise ValueError(
                f"words[{i}] is {word!r}: words must be non-empty strings without "
                "whitespace to be read back."
            )
    return words, vectors


def _vector_lines(words, vectors, precision):
    """Lines ``"word v1 v2 ...\\n"``, built lazily; a word of None gives the values alone."""
    fmt = f"%.{precision}g"
    for word, row in zip(words, vectors, strict=True):
        values = " ".join([fmt % value for value in row.tolist()])
        yield values + "\n" if word is None else f"{word} {values}\n"


@validate_params(
    {
        "vectors": ["array-like"],
        "words": ["array-like", None],
        "precision": [Interval(Integral, 1, 17, closed="both")],
    },
    prefer_skip_nested_validation=True,
)
def format_vectors(vectors, *, words=None, precision=6):
    """Format vectors as lines of text, as fastText prints them.

    One line per vector: ``"<word> <v1> <v2> ... <v_dim>\\n"``, or without
    words ``"<v1> <v2> ... <v_dim>\\n"``. With words, these are the lines of a
    ``.vec`` file after its header (:func:`~skfasttext.write_word_vectors` writes them) and
    what fastText's ``print-word-vectors`` prints; without, what its
    ``print-sentence-vectors`` prints. Each value is written with ``%g``.

    Parameters
    ----------
    vectors : array-like of shape (n_vectors, dim)
        The vectors: numbers.
    words : array-like of str of shape (n_vectors,) or None, default=None
        The word that starts each line: non-empty, without whitespace. None
        writes the values alone.
    precision : int, default=6
        Significant digits written per value (9 reproduce float32 exactly;
        fastText prints 5).

    Returns
    -------
    lines : iterator of str
        One line per vector, each ending with ``"\\n"``, made as it is read, so
        that a large matrix is never held as text all at once. The arguments
        are checked before this returns.

    Raises
    ------
    ValueError
        If ``vectors`` is not a 2-d array of numbers, or ``words`` is a
        single string, has another length, or holds an empty word or one
        with whitespace.

    See Also
    --------
    skfasttext.write_word_vectors : Write a ``.vec`` file: a header, then these lines.

    Examples
    --------
    >>> from skfasttext.io import format_vectors
    >>> vectors = [[0.5, -1.0], [1 / 3, 2.0]]
    >>> print("".join(format_vectors(vectors, words=["tea", "opera"], precision=3)), end="")
    tea 0.5 -1
    opera 0.333 2
    >>> list(format_vectors(vectors))
    ['0.5 -1\\n', '0.333333 2\\n']
    """
    if words is None:
        vectors = _check_vectors(vectors)
        words = [None] * len(vectors)
    else:
        words, vectors = _check_word_vectors(words, vectors)
    return _vector_lines(words, vectors, precision)


@validate_params(
    {
        "path_or_file": [str, os.PathLike, HasMethods(["write"])],
        "words": ["array-like"],
        "vectors": ["array-like"],
        "precision": [Interval(Integral, 1, 17, closed="both")],
        "encoding": [str],
    },
    prefer_skip_nested_validation=True,
)
def write_word_vectors(path_or_file, words, vectors, *, precision=6, encoding="utf-8"):
    """Write word vectors in fastText's ``.vec`` text format.

    The first line is ``"<n_words> <dim>"``, then one line per word:
    ``"<word> <v1> <v2> ... <v_dim>"``. The format read by fastText
    (``-pretrainedVectors``), gensim's ``KeyedVectors.load_word2vec_format``
    and :func:`read_word_vectors`. Given a path, the file is written
    atomically, as by :func:`write_fasttext`.

    Parameters
    ----------
    path_or_file : str, path-like or file object
        Where to write: a path, or a file object open in text or binary mode.
    words : array-like of str of shape (n_words,)
        The words: non-empty, without whitespace.
    vectors : array-like of shape (n_words, dim)
        One vector per word.
    precision : int, default=6
        Significant digits written per value (9 reproduce float32 exactly).
    encoding : str, default="utf-8"
        Encoding of the file (unused for text file objects).

    See Also
    --------
    skfasttext.FastTextClassifier.save_word_vectors : A fitted model's vectors.
    read_word_vectors : Read such a file back.

    Examples
    --------
    >>> import sys
    >>> from skfasttext.io import write_word_vectors
    >>> write_word_vectors(sys.stdout, ["tea", "opera"], [[0.5, -1.0], [0.25, 2.0]])
    2 2
    tea 0.5 -1
    opera 0.25 2
    """
    words, vectors = _check_word_vectors(words, vectors)
    lines = chain([f"{len(words)} {vectors.shape[1]}\n"], _vector_lines(words, vectors, precision))
    _write_lines(path_or_file, lines, encoding)


def _parse_vec(lines, name, encoding):
    """Words and vectors of a ``.vec`` file given as an iterable of lines (str or bytes)."""

    def fields(line, lineno):
        if isinstance(line, bytes):
            try:
                line = line.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{name}, line {lineno}: cannot decode with encoding {encoding!r} "
                    f"({exc.reason})."
                ) from None
        if lineno == 1:
            line = line.removeprefix("\ufeff")
        return split_tokens(line)

    lines = iter(lines)
    header = fields(next(lines, ""), 1)
    try:
        n_words, dim = (int(field) for field in header)
        if n_words < 0 or dim < 1:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"{name}, line 1: expected the header '<n_words> <dim>' (two integers, dim at "
            f"least 1) of a .vec file, got {' '.join(header)[:60]!r}."
        ) from None
    # grown as lines come, so a wrong header cannot ask for all the memory at once
    words, vectors, count = [], np.empty((min(n_words, 4096), dim), dtype=np.float32), 0
    for lineno, line in enumerate(lines, 2):
        parts = fields(line, lineno)
        if not parts:
            continue  # blank lines are skipped
        if count == n_words:
            raise ValueError(
                f"{name}, line {lineno}: more vectors than the {n_words} in the header."
            )
        if len(parts) != dim + 1:
            hint = " (does a word hold whitespace?)" if len(parts) > dim + 1 else ""
            raise ValueError(
                f"{name}, line {lineno}: word {parts[0]!r} has {len(parts) - 1} value(s), "
                f"expected dim={dim}{hint}."
            )
        if count == len(vectors):
            vectors = np.resize(vectors, (min(2 * count, n_words), dim))
        try:
            vectors[count] = [float(value) for value in parts[1:]]
        except ValueError:
            bad = next(v for v in parts[1:] if not is_number(v))
            raise ValueError(
                f"{name}, line {lineno}: value {bad[:30]!r} of word {parts[0]!r} is not a number."
            ) from None
        words.append(parts[0])
        count += 1
    if count != n_words:
        raise ValueError(
            f"{name}: the header announces {n_words} vectors but the file holds {count}."
        )
    return words, vectors


@validate_params(
    {"path_or_file": [str, os.PathLike, HasMethods(["__iter__"])], "encoding": [str]},
    prefer_skip_nested_validation=True,
)
def read_word_vectors(path_or_file, *, encoding="utf-8"):
    """Read word vectors from a fastText ``.vec`` text file.

    Parameters
    ----------
    path_or_file : str, path-like or file object
        A path, or a file object open in text or binary mode (any iterable of
        lines).
    encoding : str, default="utf-8"
        Encoding of files opened from a path, or of lines read as bytes.

    Returns
    -------
    words : list of str
        The words, in file order.
    vectors : ndarray of shape (n_words, dim), dtype float32
        One vector per word.

    Raises
    ------
    ValueError
        On a malformed file, naming the file and the 1-based line number: a
        header that is not ``"<n_words> <dim>"``, a line without exactly
        ``dim`` values, a value that is not a number, bytes that do not
        decode, or more or fewer lines than the header announces.

    See Also
    --------
    write_word_vectors : Write such a file.

    Notes
    -----
    Fields are separated by fastText's whitespace (a trailing space, as
    fastText writes, CRLF endings and a UTF-8 byte order mark are fine); blank
    lines are skipped. Files without a header line (GloVe's) are refused:
    add ``"<n_words> <dim>"`` as the first line.

    Examples
    --------
    >>> import io
    >>> from skfasttext.io import read_word_vectors
    >>> words, vectors = read_word_vectors(io.StringIO("2 3\\ntea 1 0 0 \\nopera 0 1 0.5 \\n"))
    >>> words
    ['tea', 'opera']
    >>> vectors
    array([[1. , 0. , 0. ],
           [0. , 1. , 0.5]], dtype=float32)
    """
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "rb") as f:
            return _parse_vec(f, os.fsdecode(path_or_file), encoding)
    return _parse_vec(path_or_file, str(getattr(path_or_file, "name", "<file>")), encoding)
