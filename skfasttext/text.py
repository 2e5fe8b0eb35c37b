"""TextVectorizer: tokenized documents -> integer ids, the package's one owner of tokens.

Everything that turns text into ids goes through :class:`TextVectorizer`: the
whitespace split, fastText's ``</s>``, the vocabulary, hashed word n-grams and
``max_len``. The estimators and the file corpus use its public chunk API
(:meth:`~skfasttext.TextVectorizer.fit_chunks`).
"""

import copy
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import chain
from numbers import Integral
from typing import NamedTuple

import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._ragged import PAD_ID, Ragged
from ._sklearn_compat import Interval, fit_context
from ._validation import TextInputMixin, check_documents, check_subword_range
from .persistence import storable

__all__ = [
    "TextVectorizer",
    "KeptWords",
    "Ragged",
    "PAD_ID",
    "UNKNOWN_ID",
    "EOS",
    "char_ngrams",
]

#: Id of every word outside the vocabulary (never seen in ``fit``, or rarer than ``min_count``).
UNKNOWN_ID = 1
#: fastText's end-of-sentence token, which ``eos=True`` adds at the end of every document.
EOS = "</s>"
_N_RESERVED = 2  # PAD and UNKNOWN come before the vocabulary
_NGRAM_PRIME = np.uint64(116049371)  # fastText's multiplier for word n-gram hashes
_HASH_SPACE = 2**63 - 1
_CHUNK_DOCUMENTS = 50_000  # documents split at once: bounds memory, keeps the work in cache
# character n-grams: fastText's begin and end of word, and its 32-bit FNV-1a hash
BOW, EOW = b"<", b">"
_FNV_OFFSET = np.uint32(2166136261)
_FNV_PRIME = np.uint32(16777619)
_DENSE_BUCKETS = 2**25  # up to this many buckets, a bucket's row is looked up in an array


def _string_tensor(texts):
    """``texts`` (a list of str) as a string tensor; a text that is no valid Unicode, named."""
    try:
        return tf.constant(texts, dtype=tf.string)
    except ValueError:
        # only a lone surrogate fails to encode: what errors='surrogateescape' leaves of bytes
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"A document holds {text[:40]!r}, which is not valid Unicode ({exc.reason}): "
                    "decode its bytes with errors='replace' rather than 'surrogateescape'."
                ) from None
        raise


def _split(docs, pretokenized, eos):
    """Split documents on ASCII whitespace: ``(tokens, lengths)``, every token end to end.

    ``tokens`` is a 1-d string tensor, ``lengths`` the number of tokens of each
    document (int64 ndarray). ``</s>`` is appended before the split, which costs
    less than adding it after; the split is TensorFlow's own op, without the
    ragged tensor around it, which costs more than the split on short documents.
    """
    if pretokenized:
        ends = [EOS] if eos else []
        flat = list(chain.from_iterable(chain(doc, ends) for doc in docs))
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs)) + len(ends)
        return _string_tensor(flat), lengths
    docs = _string_tensor(docs)
    if eos:
        docs = docs + f" {EOS}"
    indices, tokens, _ = tf.raw_ops.StringSplitV2(input=docs, sep="")
    return tokens, np.bincount(indices.numpy()[:, 0], minlength=len(docs)).astype(np.int64)


def ahead(iterable):
    """The items of ``iterable``, each made in a second thread while the one before is used.

    TensorFlow's ops release the GIL, so the split of the next chunk of
    documents runs on another core while this one is counted or looked up.
    At most two items exist at once.
    """
    iterator, done = iter(iterable), object()
    with ThreadPoolExecutor(1) as thread:
        coming = thread.submit(next, iterator, done)
        while (item := coming.result()) is not done:
            coming = thread.submit(next, iterator, done)
            yield item


def _ngram_buckets(token_hashes, lengths, word_ngrams, bucket):
    """Hash bucket of the word n-gram of each order 2..``word_ngrams`` starting at each
    token: an array (tokens, word_ngrams - 1), -1 where the document ends first."""
    n = len(token_hashes)
    row_ids = np.repeat(np.arange(len(lengths)), lengths)
    out = np.full((n, word_ngrams - 1), -1, dtype=np.int64)
    h = token_hashes
    for order in range(2, min(word_ngrams, n) + 1):
        start = np.arange(n - order + 1)
        with np.errstate(over="ignore"):  # each order's hash extends the one before
            h = h[: n - order + 1] * _NGRAM_PRIME + token_hashes[start + order - 1]
        valid = row_ids[start] == row_ids[start + order - 1]
        out[start[valid], order - 2] = (h[valid] % np.uint64(bucket)).astype(np.int64)
    return out


def char_ngrams(words, minn, maxn):
    """fastText's character n-grams of each word, in its order (``computeSubwords``).

    Each word is taken as ``<word>``; its n-grams are its runs of ``minn`` to
    ``maxn`` UTF-8 characters (not bytes), ordered by their first character, then
    by length, without ``<`` and ``>`` alone; ``</s>`` has none. The hash is
    fastText's 32-bit FNV-1a over the n-gram's bytes, each byte sign-extended as
    fastText's ``int8_t`` cast does, so ``hash % bucket`` is fastText's bucket.
    No loop over words or n-grams: one pass of numpy operations a character of
    n-gram length (at most ``maxn``), each over every start character at once.

    Parameters
    ----------
    words : sequence of bytes
        UTF-8 encoded words.
    minn : int
        Shortest n-gram, in characters (0 counts as 1).
    maxn : int
        Longest n-gram, in characters.

    Returns
    -------
    word_of, start, stop : ndarray of int64
        Each n-gram's word and its bytes ``data[start:stop]``.
    hashes : ndarray of uint32
        Each n-gram's FNV-1a hash.
    data : bytes
        The words as ``<word>``, end to end.

    Examples
    --------
    >>> from skfasttext.text import char_ngrams
    >>> word_of, start, stop, hashes, data = char_ngrams([b"where"], 3, 3)
    >>> [data[a:b].decode() for a, b in zip(start, stop)]
    ['<wh', 'whe', 'her', 'ere', 're>']
    >>> int(hashes[0] % 2_000_000)  # fastText's bucket of "<wh" at -bucket 2000000
    167652
    """
    data = BOW + (EOW + BOW).join(words) + EOW if len(words) else b""
    raw = np.frombuffer(data, dtype=np.uint8)
    sizes = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + len(BOW + EOW)
    word_start = np.cumsum(sizes) - sizes
    first = np.flatnonzero((raw & 0xC0) != 0x80)  # first byte of each character
    char_stop = np.append(first[1:], len(raw))
    word_of_char = np.searchsorted(word_start, first, side="right") - 1
    last_char = np.searchsorted(first, word_start + sizes) - 1  # of each word
    is_eos = np.asarray(words, dtype=object) == EOS.encode() if len(words) else np.zeros(0, bool)
    # signed bytes, as fastText's hash reads them: 0x80..0xFF become 0xFFFFFF80..
    signed = raw.astype(np.int8).astype(np.int32).view(np.uint32)
    starts = np.flatnonzero(~is_eos[word_of_char]) if len(words) else np.zeros(0, np.int64)
    h = np.full(len(starts), _FNV_OFFSET, dtype=np.uint32)
    parts = []
    for n in range(1, maxn + 1):
        char = starts + n - 1
        inside = char <= last_char[word_of_char[starts]]
        starts, char, h = starts[inside], char[inside], h[inside]
        if not len(starts):
            break
        for k in range(4):  # the character's bytes (UTF-8 has at most 4)
            byte = first[char] + k
            more = byte < char_stop[char]
            if not more.any():
                break
            h[more] = (h[more] ^ signed[byte[more]]) * _FNV_PRIME
        if n >= minn:
            keep = np.ones(len(starts), dtype=bool)
            if n == 1:  # "<" and ">" alone are no n-grams
                word = word_of_char[starts]
                keep = (first[starts] != word_start[word]) & (starts != last_char[word])
            parts.append((starts[keep], np.full(keep.sum(), n), h[keep]))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0, dtype=np.uint32), data
    start_char, length, hashes = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((length, start_char))  # by start, then by length: fastText's order
    start_char, length, hashes = start_char[order], length[order], hashes[order]
    stop = char_stop[start_char + length - 1]
    return word_of_char[start_char], first[start_char], stop, hashes, data


def _subword_buckets(words, minn, maxn, bucket):
    """Ragged buckets (int64) of each word's character n-grams, in fastText's order."""
    word_of, _, _, hashes, _ = char_ngrams(words, minn, maxn)
    lengths = np.bincount(word_of, minlength=len(words)).astype(np.int64)
    return Ragged(_bucket_of(hashes, bucket), lengths)


def _bucket_of(hashes, bucket):
    """fastText's bucket (int64) of character n-gram hashes: ``hash % bucket`` (a larger
    bucket leaves every 32-bit hash its own)."""
    return (hashes % np.uint32(bucket) if bucket < 2**32 else hashes).astype(np.int64)


def _ragged_positions(starts, sizes):
    """Positions ``starts[i], ..., starts[i] + sizes[i] - 1`` of each group, end to end."""
    return np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())


def _prepend(ids, rows):
    """Ragged ``[ids[i], *rows[i]]`` of each item, leaving out every value below 0."""
    present = rows.values >= 0
    if present.all():
        values, lengths = rows
    else:
        item = np.repeat(np.arange(len(rows.lengths)), rows.lengths)[present]
        values, lengths = rows.values[present], np.bincount(item, minlength=len(rows.lengths))
    has_id = ids >= 0
    firsts = (np.cumsum(lengths) - lengths)[has_id]
    values = np.insert(values, firsts, ids[has_id])
    return Ragged(values, lengths + has_id)


def _vocabulary_of(words):
    """Each word's id: the words follow padding and the unknown word, in their order."""
    return {word: i for i, word in enumerate(words.tolist(), start=_N_RESERVED)}


def _fingerprints(flat):
    """FarmHash fingerprint of each token (int64): its key in the vocabulary, and the
    seed of its n-gram hashes."""
    return tf.strings.to_hash_bucket_fast(flat, _HASH_SPACE)


class KeptWords(NamedTuple):
    """The words of one chunk of documents, as the vectorizer's chunk API counted them.

    :meth:`~skfasttext.TextVectorizer.fit_chunks` hands them out: plain arrays, so they
    can be kept anywhere (a file corpus keeps them on disk)
    and turned into ids once the vocabulary is known, with no second split.

    Attributes
    ----------
    index : ndarray of int32
        Each token's index among the words seen by the fit, in order of first sight.
    lengths : ndarray of int64
        Tokens of each document.
    fingerprints : ndarray of uint64 or None
        Each token's fingerprint, the seed of its n-gram hashes; None without n-grams.
    """

    index: np.ndarray
    lengths: np.ndarray
    fingerprints: np.ndarray | None = None


# its columns are positions, not features: no set_output (pandas columns), as CountVectorizer
@storable
class TextVectorizer(TextInputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Turn tokenized documents into padded integer ids for an embedding layer.

    Documents are split on whitespace (or given as lists of tokens). Id 0 is
    padding, id 1 stands for every unknown word (rarer than ``min_count`` in
    ``fit`` or never seen), the vocabulary follows from id 2 on, most frequent
    first. With ``word_ngrams > 1`` every run of 2 to ``word_ngrams`` consecutive
    tokens is hashed, like fastText's ``-wordNgrams``, into one of ``bucket`` hash
    buckets; each bucket that ``fit`` saw gets an id after the vocabulary, and an
    n-gram whose bucket ``fit`` never saw is dropped (it has no id: a row that
    training never touched would only add noise).

    Parameters
    ----------
    min_count : int, default=1
        Words seen fewer times than this in ``fit`` are unknown words.
    word_ngrams : int, default=2
        Longest word n-gram to add (1 adds none; fastText's default). 2, the
        estimators' default, adds each pair of neighbouring words.
    bucket : int, default=2_000_000
        Number of hash buckets for word n-grams and character n-grams, one
        space shared by both (as fastText's ``-bucket``); only used when
        ``word_ngrams > 1`` or ``maxn > 0``. Only the buckets seen in ``fit``
        take ids.
    minn : int, default=0
        Shortest character n-gram, in characters (fastText's ``-minn``; 0 acts
        as 1). Must not exceed ``maxn`` where ``maxn > 0``.
    maxn : int, default=0
        Longest character n-gram (fastText's ``-maxn``); 0, as in fastText's
        supervised mode, adds none. With ``maxn > 0`` every word, taken as
        ``<word>``, adds the ids of its runs of ``minn`` to ``maxn`` characters
        after its own id, as fastText's subwords: a word outside the vocabulary
        gets the ids of its n-grams ``fit`` saw (the unknown id only where it has
        none), so a misspelled or unseen word still has a vector. ``</s>`` has
        no n-grams.
    max_len : int or None, default=None
        Keep at most this many ids per document. ``None`` keeps every id and pads
        to the longest document in each call to ``transform``.
    eos : bool, default=True
        End every document with fastText's ``</s>`` token, as fastText always
        does (and the estimators by default: with ``word_ngrams``, the defaults
        make ``make_pipeline(TextVectorizer(), FastTextClassifier())`` train
        ``FastTextClassifier()``'s model). Its
        vector becomes a learned bias weighing most in short documents, but a
        document and the same document repeated no longer pool alike, and an
        empty document pools to the ``</s>`` vector. ``eos=False`` gives the
        words alone.

    Attributes
    ----------
    vocabulary_ : dict
        Maps each kept word to its id.
    input_dim_ : int
        Size of the id space (padding, unknown, vocabulary, n-gram buckets seen):
        the ``input_dim`` of an embedding layer fed by this vectorizer.
    drop_unknown_ : bool
        Whether unknown words are dropped rather than given the unknown id (only a
        vectorizer made by :meth:`select_ids` with ``drop_unknown=True`` drops them).
    ngram_buckets_ : ndarray of int64
        The hash buckets of the n-grams (word and character) seen in ``fit``, in
        increasing order: bucket ``ngram_buckets_[i]`` has id ``n_vocab + i``.
        Only with ``word_ngrams > 1`` or ``maxn > 0``.
    word_counts_ : ndarray of shape (n_words,)
        Count in the training documents of each vocabulary word, in id order.

    See Also
    --------
    sklearn.feature_extraction.text.HashingVectorizer : Hashing trick for bags of words.

    Notes
    -----
    Word n-grams are hashed, so two n-grams can share an id (a collision) and no
    id can be mapped back to its n-gram; fastText allocates all ``bucket`` rows,
    here only those of the buckets seen take ids (and embedding rows). Token hashes are
    FarmHash fingerprints: the same n-gram gets the same id in any process on
    any machine. Words are counted and looked up by their 64-bit fingerprint
    too (twice as fast as by their strings): two distinct words would share an
    id only if their fingerprints collided, odds of about ``n_words**2 / 2**64``
    (3e-9 for 230,000 words). Tokens are split on ASCII whitespace, as fastText
    does.

    Character n-grams are hashed as fastText hashes them (32-bit FNV-1a over
    their UTF-8 bytes, :func:`~skfasttext.text.char_ngrams`), not with the FarmHash of word
    n-grams: an n-gram falls into fastText's bucket for it, so ids can be
    checked against fastText's ``get_subwords``, and the hash runs as numpy
    arithmetic over all n-grams at once, with no n-gram string ever made. The
    n-grams of the vocabulary are computed once, in ``fit``; those of unknown
    words once for each distinct unknown word of a ``transform`` chunk.

    Examples
    --------
    >>> from skfasttext import TextVectorizer
    >>> vec = TextVectorizer(max_len=4).fit(["a b b", "b c"])
    >>> vec.get_feature_names_out().tolist()
    ['<pad>', '<unk>', 'b', '</s>', 'a', 'c']
    >>> vec.transform(["b a", "z z z z z"])
    array([[2, 4, 3, 0],
           [1, 1, 1, 1]], dtype=int32)
    >>> vec.input_dim_  # 6 words and specials, 5 pairs of words seen in fit
    11
    """

    _parameter_constraints: dict = {
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "word_ngrams": [Interval(Integral, 1, None, closed="left")],
        "bucket": [Interval(Integral, 1, None, closed="left")],
        "minn": [Interval(Integral, 0, None, closed="left")],
        "maxn": [Interval(Integral, 0, None, closed="left")],
        "max_len": [Interval(Integral, 1, None, closed="left"), None],
        "eos": ["boolean"],
    }

    def __init__(
        self,
        *,
        min_count=1,
        word_ngrams=2,
        bucket=2_000_000,
        minn=0,
        maxn=0,
        max_len=None,
        eos=True,
    ):
        self.min_count = min_count
        self.word_ngrams = word_ngrams
        self.bucket = bucket
        self.minn = minn
        self.maxn = maxn
        self.max_len = max_len
        self.eos = eos

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary of the documents.

        Parameters
        ----------
        X : iterable of str or of list of str
            Whitespace-tokenized documents, or documents as lists of tokens.
        y : None
            Ignored.

        Returns
        -------
        self : TextVectorizer
            The fitted vectorizer.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> TextVectorizer(min_count=2, eos=False).fit(["a b b", "b c a"]).vocabulary_
        {'b': 2, 'a': 3}
        """
        check_subword_range(self.minn, self.maxn)
        self._fit_chunks(self._document_chunks(check_documents(X)))
        return self

    def fit_transform(self, X, y=None):
        """Learn the vocabulary and return the padded ids of the documents.

        Parameters
        ----------
        X : iterable of str or of list of str
            The documents to learn from and map.
        y : None
            Ignored.

        Returns
        -------
        ids : ndarray of shape (n_documents, max_len), dtype int32
            Padded ids.

        Examples
        --------
        With ``word_ngrams=2`` the bigram ``"a b"`` gets the id after the
        vocabulary (ids 2 and 3), right after its first token:

        >>> from skfasttext import TextVectorizer
        >>> TextVectorizer(word_ngrams=2, bucket=10, eos=False).fit_transform(["a b", "b"])
        array([[3, 4, 2],
               [2, 0, 0]], dtype=int32)
        """
        return self.fit_transform_ragged(X).pad(self.max_len)

    def fit_transform_ragged(self, X):
        """Learn the vocabulary and return the unpadded ids of the documents.

        The same ids as :meth:`fit_transform`, in one pass over the text: each
        chunk's words are kept as they are counted and given ids at the end.

        Parameters
        ----------
        X : iterable of str or of list of str
            The documents to learn from and map.

        Returns
        -------
        ids : Ragged
            ``(values, lengths)``: the ids of all documents end to end (int32)
            and the number of ids of each (int64).

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vectorizer = TextVectorizer(word_ngrams=1)
        >>> values, lengths = vectorizer.fit_transform_ragged(["a b b", "b"])
        >>> values.tolist(), lengths.tolist()
        ([4, 2, 2, 3, 2, 3], [4, 2])
        """
        self._validate_params()
        check_subword_range(self.minn, self.maxn)
        kept = []
        ids_of = self._fit_chunks(self._document_chunks(check_documents(X)), keep=kept.append)
        return Ragged.concatenate(map(ids_of, kept))

    def fit_chunks(self, chunks, *, keep=None):
        """Learn the vocabulary from documents that come a chunk at a time.

        The chunk API, for corpora read a piece at a time (a file larger than
        memory): each chunk is split once, its words counted, and, with
        ``keep``, handed out as :class:`~skfasttext.text.KeptWords` to be turned into ids later
        by the function returned, with no second split.

        Parameters
        ----------
        chunks : iterable of iterables of str or of list of str
            The documents, a collection of documents at a time.
        keep : callable or None, default=None
            Called with the :class:`~skfasttext.text.KeptWords` of each chunk, in order.

        Returns
        -------
        ids_of : callable
            ``ids_of(words)`` gives the :class:`~skfasttext.text.Ragged` ids
            of a chunk's kept words, as :meth:`transform_ragged` gives them for
            its documents.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec, kept = TextVectorizer(eos=False, word_ngrams=1), []
        >>> ids_of = vec.fit_chunks([["a b b"], ["c b"]], keep=kept.append)
        >>> [ids_of(words).values.tolist() for words in kept]
        [[3, 2, 2], [4, 2]]
        """
        self._validate_params()
        check_subword_range(self.minn, self.maxn)
        split = (self._split(check_documents(docs)) for docs in chunks)
        return self._fit_chunks(split, keep=keep)

    def transform(self, X):
        """Map documents to padded ids.

        Parameters
        ----------
        X : iterable of str or of list of str
            Documents to map with the vocabulary learnt in ``fit``.

        Returns
        -------
        ids : ndarray of shape (n_documents, max_len), dtype int32
            Ids right-padded with 0. Without ``max_len``, as wide as the longest
            document (at least 0 columns).

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec = TextVectorizer(eos=False).fit(["a b b", "b c"])
        >>> vec.transform(["c b", "z z z"])  # z is unknown: id 1
        array([[4, 2, 0],
               [1, 1, 1]], dtype=int32)
        """
        return self.transform_ragged(X).pad(self.max_len)

    def transform_ragged(self, X):
        """Map documents to unpadded ids: :meth:`transform` without the padding.

        Parameters
        ----------
        X : iterable of str or of list of str
            Documents to map.

        Returns
        -------
        ids : Ragged
            ``(values, lengths)``: the ids of all documents end to end (int32)
            and the number of ids of each (int64), after ``max_len``.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec = TextVectorizer(eos=False).fit(["a b b", "b c"])
        >>> values, lengths = vec.transform_ragged(["c b", "", "z z z"])
        >>> values.tolist(), lengths.tolist()
        ([4, 2, 1, 1, 1], [2, 0, 3])
        """
        check_is_fitted(self)
        chunks = self._document_chunks(check_documents(X))
        return Ragged.concatenate(self._ids(*tokens) for tokens in ahead(chunks))

    def select_ids(self, ids, *, drop_unknown=False):
        """A copy of this fitted vectorizer that gives only ``ids``, renumbered in order.

        Id ``ids[i]`` becomes id ``i``: a word left out becomes an unknown word, an
        n-gram left out is dropped. With :func:`~skfasttext.model.select_rows` on the
        network, this is how ``quantize(cutoff=...)`` drops rows.

        Parameters
        ----------
        ids : array-like of int
            Ids to keep, increasing, 0 (padding) and 1 (unknown) first.
        drop_unknown : bool, default=False
            Drop unknown words (those left out too), as fastText drops the words it
            does not know, rather than giving them the unknown id.

        Returns
        -------
        vectorizer : TextVectorizer
            A new fitted vectorizer with ``input_dim_ == len(ids)``.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec = TextVectorizer(eos=False).fit(["a b b", "b c"])
        >>> vec.select_ids([0, 1, 2, 4]).transform(["c b a"])
        array([[3, 2, 1]], dtype=int32)
        """
        check_is_fitted(self)
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or ids[:_N_RESERVED].tolist() != [PAD_ID, UNKNOWN_ID]:
            raise ValueError(f"ids must start with {PAD_ID} and {UNKNOWN_ID}, got {ids[:2]}.")
        if np.any(np.diff(ids) <= 0) or ids[-1] >= self.input_dim_:
            raise ValueError(f"ids must increase and lie below input_dim_={self.input_dim_}.")
        n_vocab = _N_RESERVED + len(self._words)
        words = ids[(ids >= _N_RESERVED) & (ids < n_vocab)] - _N_RESERVED
        selected = copy.copy(self)
        selected._words, selected.word_counts_ = self._words[words], self.word_counts_[words]
        selected.vocabulary_ = _vocabulary_of(selected._words)
        if self._hashes():
            selected.ngram_buckets_ = self.ngram_buckets_[ids[ids >= n_vocab] - n_vocab]
        if self._subwords_on():  # the kept words' n-grams; their rows are looked up again
            kept = self._subword_table().take(words)
            selected._subword_buckets, selected._subword_lengths = kept
        selected.input_dim_, selected._table = len(ids), None
        selected._subword_rows = selected._row_of_bucket = None
        selected.drop_unknown_ = self.drop_unknown_ or drop_unknown
        return selected

    def get_feature_names_out(self, input_features=None):
        """Name of each id that has one: padding, unknown, then the vocabulary.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        names : ndarray of str
            ``names[i]`` is the token with id ``i``; n-gram bucket ids have no name.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> TextVectorizer(eos=False).fit(["a b b", "b c"]).get_feature_names_out()
        array(['<pad>', '<unk>', 'b', 'a', 'c'], dtype=object)
        """
        check_is_fitted(self)
        return np.concatenate([["<pad>", "<unk>"], self._words]).astype(object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        return tags

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_table", None)  # TensorFlow tables do not pickle; rebuilt on demand
        state.pop("_subword_rows", None)  # caches of the n-grams' rows, rebuilt on demand
        state.pop("_row_of_bucket", None)
        state.pop("vocabulary_", None)  # the words in id order say it all: stored once
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("minn", "maxn"):  # pickled before character n-grams: none
            self.__dict__.setdefault(name, 0)
        if "_words" in state:
            self.vocabulary_ = _vocabulary_of(self._words)

    def _split(self, documents):
        """``(tokens, lengths)`` of checked documents, ``</s>`` ending each with ``eos``."""
        return _split(*documents, self.eos)

    def _document_chunks(self, documents):
        """The split chunks of checked documents, a bounded number at a time: TensorFlow
        holds each token as a string of its own, tens of bytes a token."""
        docs, pretokenized = documents
        for start in range(0, len(docs), _CHUNK_DOCUMENTS):
            yield _split(docs[start : start + _CHUNK_DOCUMENTS], pretokenized, self.eos)

    def _fit_chunks(self, chunks, *, keep=None):
        """Learn the vocabulary from chunks of split documents, ``(tokens, lengths)``.

        Words are counted by their fingerprints (integers count twice as fast as
        strings). Each chunk's words go to ``keep`` as :class:`~skfasttext.text.KeptWords` as they
        are counted; the function returned gives their ids (:meth:`fit_chunks`).
        """
        keys, counts = tf.constant([], dtype=tf.int64), np.zeros(0, dtype=np.int64)
        words = tf.constant([], dtype=tf.string)  # one token per key, in the same order
        n_documents = 0
        # the buckets the n-grams fall into: a byte a bucket (fastText's table takes 400)
        seen = np.zeros(self.bucket if self._hashes() else 0, dtype=bool)
        for flat, lengths in ahead(chunks):
            fingerprints = _fingerprints(flat)
            seeds = self._seeds(fingerprints)
            if seeds is not None:
                grams = _ngram_buckets(seeds, lengths, self.word_ngrams, self.bucket)
                seen[grams[grams >= 0]] = True
            new_keys, index, new_counts = tf.unique_with_counts(fingerprints, tf.int32)
            first = tf.math.unsorted_segment_min(tf.range(tf.size(index)), index, len(new_keys))
            # the chunk's words among all words so far: old words keep their place,
            # words never seen before come after them in order of first sight
            n_old = len(keys)
            keys, where = tf.unique(tf.concat([keys, new_keys], axis=0), tf.int32)
            where = where.numpy()
            novel = where[n_old:] >= n_old
            words = tf.concat([words, tf.boolean_mask(tf.gather(flat, first), novel)], axis=0)
            counts = np.bincount(
                where, weights=np.concatenate([counts, new_counts.numpy()]), minlength=len(keys)
            ).astype(np.int64)
            n_documents += len(lengths)
            if keep is not None:
                keep(KeptWords(where[n_old:][index.numpy()], lengths, seeds))
        order = np.argsort(-counts, kind="stable")  # most frequent first, ties by first sight
        order = order[counts[order] >= self.min_count]
        if len(order) == 0:
            raise ValueError(
                f"Empty vocabulary: no word occurs at least min_count={self.min_count} times "
                f"in {n_documents} documents. Lower min_count or pass non-empty documents."
            )
        # TensorFlow gives UTF-8 bytes; numpy's astype(str) would decode them as ASCII
        self._words = np.array(
            [word.decode("utf-8") for word in words.numpy()[order]], dtype=object
        )
        self.word_counts_ = counts[order]
        self.vocabulary_ = _vocabulary_of(self._words)
        n_vocab = _N_RESERVED + len(order)
        subwords = None
        if self._subwords_on():
            # every word seen, rare ones too: fastText trains a rare word's n-grams
            subwords = _subword_buckets(words.numpy(), self.minn, self.maxn, self.bucket)
            seen[subwords.values] = True
            self._subword_buckets, self._subword_lengths = subwords.take(order)
        buckets = np.flatnonzero(seen)
        if self._hashes():
            self.ngram_buckets_ = buckets
        self.input_dim_ = n_vocab + len(buckets)
        self.drop_unknown_ = False
        self._table = self._subword_rows = self._row_of_bucket = None
        id_of = np.full(len(counts), -1, dtype=np.int32)  # word index -> id, -1: unknown
        id_of[order] = np.arange(_N_RESERVED, n_vocab, dtype=np.int32)
        if subwords is not None:  # every bucket is seen: each n-gram has its row
            subwords = self._expansions(id_of, subwords)
        return partial(self._ids_of_kept, id_of, subwords)

    def _ids_of_kept(self, id_of, expansions, words):
        """Ragged ids of a chunk's ``KeptWords``, ``id_of`` the id of each word seen
        (-1: unknown) and ``expansions`` the ragged ids of each (or None)."""
        ids = id_of[words.index]
        grams = None if expansions is None else expansions.take(words.index)
        return self._with_ngrams(ids, words.lengths, words.fingerprints, grams)

    def _lookup(self):
        """Table from a token's fingerprint to its id (-1 if not in the vocabulary)."""
        if getattr(self, "_table", None) is None:
            words, ids = self._words.tolist(), np.arange(len(self._words)) + _N_RESERVED
            if not words:  # a table needs a key (a quantize cutoff kept n-grams alone)
                words, ids = [""], [-1]
            keys = _fingerprints(tf.constant(words, dtype=tf.string))
            ids = tf.constant(ids, dtype=tf.int32)
            self._table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(keys, ids), default_value=-1
            )
        return self._table

    def _ids(self, flat, lengths, *, max_len=True):
        """Ragged ids of one chunk of split documents, for a fitted vectorizer."""
        fingerprints = _fingerprints(flat)
        ids = self._lookup().lookup(fingerprints).numpy()
        grams = self._token_subwords(flat, fingerprints, ids) if self._subwords_on() else None
        return self._with_ngrams(ids, lengths, self._seeds(fingerprints), grams, max_len=max_len)

    def word_ids(self, words):
        """The ids of each word alone, as a document of that one token gets them.

        Parameters
        ----------
        words : sequence of str
            Words, each a single token.

        Returns
        -------
        ids : Ragged
            ``(values, lengths)``: each word's id (``1`` if unknown) and its
            character n-grams' rows, no ``</s>``, no ``max_len``.

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec = TextVectorizer(eos=False, word_ngrams=1).fit(["a b b", "b c"])
        >>> values, lengths = vec.word_ids(["c", "z"])
        >>> values.tolist(), lengths.tolist()
        ([4, 1], [1, 1])
        """
        check_is_fitted(self)
        flat, lengths = _split([[word] for word in words], True, False)
        return self._ids(flat, lengths, max_len=False)

    def get_subwords(self, word):
        """The word and its character n-grams, with their ids, as fastText's ``get_subwords``.

        Parameters
        ----------
        word : str
            A word.

        Returns
        -------
        subwords : list of str
            The word itself where it is in the vocabulary, then its character
            n-grams of ``<word>`` (none without ``maxn``), in fastText's order:
            by first character, then by length.
        ids : ndarray of int64
            The id of each, -1 for an n-gram whose bucket ``fit`` never saw (it
            has no row).

        Examples
        --------
        >>> from skfasttext import TextVectorizer
        >>> vec = TextVectorizer(minn=2, maxn=2, eos=False).fit(["ab"])
        >>> vec.get_subwords("ab")[0]
        ['ab', '<a', 'ab', 'b>']
        """
        check_is_fitted(self)
        if not isinstance(word, str):
            raise TypeError(f"word must be a str, got {type(word).__name__}.")
        strings, ids = [], []
        if word in self.vocabulary_:
            strings.append(word)
            ids.append(self.vocabulary_[word])
        if self._subwords_on() and word != EOS:
            _, start, stop, hashes, data = char_ngrams([word.encode()], self.minn, self.maxn)
            strings += [data[a:b].decode() for a, b in zip(start, stop, strict=True)]
            ids += self._bucket_rows(_bucket_of(hashes, self.bucket)).tolist()
        return strings, np.array(ids, dtype=np.int64)

    def _subwords_on(self):
        return self.maxn > 0

    def _hashes(self):
        """Whether ids are hashed into buckets: word n-grams or character n-grams."""
        return self.word_ngrams > 1 or self._subwords_on()

    def _subword_table(self):
        """The ragged buckets of the vocabulary words' character n-grams, in id order."""
        return Ragged(self._subword_buckets, self._subword_lengths)

    def _bucket_rows(self, buckets):
        """The row (id) of each bucket, -1 for a bucket ``fit`` never saw (or -1)."""
        if self.bucket <= _DENSE_BUCKETS:  # a lookup, 4 bytes a bucket, made once
            if getattr(self, "_row_of_bucket", None) is None:
                row_of = np.full(self.bucket + 1, -1, dtype=np.int32)  # [-1]: no bucket
                first = _N_RESERVED + len(self._words)
                row_of[self.ngram_buckets_] = np.arange(first, first + len(self.ngram_buckets_))
                self._row_of_bucket = row_of
            return self._row_of_bucket[buckets]
        rows = np.searchsorted(self.ngram_buckets_, buckets)
        seen = (buckets >= 0) & (np.append(self.ngram_buckets_, -1)[rows] == buckets)
        return np.where(seen, rows + _N_RESERVED + len(self._words), -1)

    def _expansions(self, ids, subwords):
        """Ragged ids of words of ``ids`` (-1: unknown) and n-gram ``subwords``
        (buckets): the id, then the rows of the n-grams fit saw; for an unknown
        word without any, the unknown id (nothing, with ``drop_unknown_``)."""
        rows = Ragged(self._bucket_rows(subwords.values), subwords.lengths)
        expansions = _prepend(ids, rows)
        none = expansions.lengths == 0
        if none.any() and not self.drop_unknown_:
            expansions = _prepend(np.where(none, UNKNOWN_ID, -1), expansions)
        return expansions

    def _token_subwords(self, flat, fingerprints, ids):
        """Ragged ids of each token with its character n-grams: the vocabulary's from
        the table made in fit, each distinct unknown word's computed once a chunk."""
        if getattr(self, "_subword_rows", None) is None:  # the vocabulary's ids
            ids_of_words = np.arange(_N_RESERVED, _N_RESERVED + len(self._words))
            self._subword_rows = self._expansions(ids_of_words, self._subword_table())
        unknown = np.flatnonzero(ids < 0)
        where = ids - _N_RESERVED  # each token's row of the table: known words first
        if len(unknown):
            keys, index = tf.unique(tf.gather(fingerprints, unknown), tf.int32)
            first = tf.math.unsorted_segment_min(unknown, index, len(keys))
            fresh = _subword_buckets(
                tf.gather(flat, first).numpy(), self.minn, self.maxn, self.bucket
            )
            fresh = self._expansions(np.full(len(keys), -1), fresh)
            table = Ragged.concatenate([self._subword_rows, fresh])
            where[unknown] = len(self._words) + index.numpy()
        else:
            table = self._subword_rows
        return table.take(where)

    def _unknown_id(self):
        """The id of unknown words: UNKNOWN_ID, or -1 where they are dropped."""
        return -1 if self.drop_unknown_ else UNKNOWN_ID

    def _seeds(self, fingerprints):
        """The tokens' fingerprints where n-grams hash them (uint64), else None."""
        return fingerprints.numpy().view(np.uint64) if self.word_ngrams > 1 else None

    def _with_ngrams(self, ids, lengths, fingerprints, words=None, *, max_len=True):
        """Word ids of a chunk with their n-gram ids (if any), truncated to ``max_len``.

        ``ids`` holds each token's id, -1 for an unknown word. ``fingerprints``
        are the tokens' (:meth:`_seeds`), the seeds of the word n-gram hashes;
        None without word n-grams. With character n-grams, ``words`` holds each
        token's ragged ids (:meth:`_expansions`) and ``ids`` is not read. Each
        token gives its ids, then the word n-grams starting at it, so ``max_len``
        truncation keeps a prefix of the text.
        """
        if words is None:
            grid = np.where(ids < 0, self._unknown_id(), ids)[:, None]
        else:
            grid = np.zeros((len(words.lengths), 0), dtype=np.int64)
        if self.word_ngrams > 1:
            buckets = _ngram_buckets(fingerprints, lengths, self.word_ngrams, self.bucket)
            # a bucket seen in fit has its row, after the words; another is dropped
            grams = self._bucket_rows(buckets)
            # one column per n-gram order, read row-major: each token, then the
            # n-grams starting at it
            grid = np.concatenate([grid, grams], axis=1)
        present = grid >= 0  # no id: an n-gram fit never saw, an unknown word dropped
        if words is None and present.all():
            values, token_lengths = grid.reshape(-1), None
        elif words is None:
            token_lengths, values = present.sum(axis=1), grid[present]
        elif grid.shape[1] == 0:
            values, token_lengths = words
        else:  # each token's ids, then its word n-grams
            counts = present.sum(axis=1)
            token_lengths = words.lengths + counts
            starts = np.cumsum(token_lengths) - token_lengths
            values = np.empty(token_lengths.sum(), dtype=np.int64)
            values[_ragged_positions(starts, words.lengths)] = words.values
            values[_ragged_positions(starts + words.lengths, counts)] = grid[present]
        if token_lengths is not None:
            row_ids = np.repeat(np.arange(len(lengths)), lengths)
            lengths = np.bincount(row_ids, weights=token_lengths, minlength=len(lengths))
            lengths = lengths.astype(np.int64)
        ragged = Ragged(values.astype(np.int32, copy=False), lengths)
        return ragged.truncate(self.max_len) if max_len else ragged
