"""Tests of skfasttext.text: TextVectorizer, document checks, padding and truncation."""

import json
import os
import pickle
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from skfasttext import FastTextClassifier, TextVectorizer
from skfasttext._ragged import Ragged
from skfasttext._validation import check_documents
from skfasttext.text import PAD_ID, UNKNOWN_ID, ahead

DOCS = [
    "the cat sat on the mat",
    "the dog sat",
    "a cat and a dog",
    "the end",
    "cat",
]
NEW_DOCS = ["the zebra sat", "", "unseen words only", "cat cat cat cat cat cat cat"]
CHINESE_DOCS = ["皱纹 眼霜 养生", "游戏 动漫 皱纹", "皱纹"]


def _vectorizer(**params):
    """A TextVectorizer of the words alone (eos=False, word_ngrams=1) unless told: ``</s>``
    and n-grams (the defaults, eos=True, word_ngrams=2) have tests of their own below."""
    return TextVectorizer(**{"eos": False, "word_ngrams": 1, **params})


def _reference_vocabulary(docs, min_count=1):
    """Words kept by min_count, most frequent first, ties in order of first appearance."""
    tokens = [t for doc in docs for t in doc.split()]
    counts = Counter(tokens)
    first = {}
    for i, t in enumerate(tokens):
        first.setdefault(t, i)
    kept = [w for w in counts if counts[w] >= min_count]
    kept.sort(key=lambda w: (-counts[w], first[w]))
    return {w: i + 2 for i, w in enumerate(kept)}, counts


def _reference_ids(docs, vocabulary):
    return [[vocabulary.get(t, UNKNOWN_ID) for t in doc.split()] for doc in docs]


def _rows(ids):
    """Padded id matrix -> list of rows without the padding."""
    return [[int(i) for i in row if i != PAD_ID] for row in ids]


# -- vocabulary and ids -------------------------------------------------------------


@pytest.mark.parametrize("min_count", [1, 2, 3])
def test_vocabulary_ids_by_decreasing_frequency(min_count):
    vec = _vectorizer(min_count=min_count).fit(DOCS)
    expected, counts = _reference_vocabulary(DOCS, min_count)
    assert vec.vocabulary_ == expected
    assert min(vec.vocabulary_.values()) == 2
    assert np.all(np.diff(vec.word_counts_) <= 0)
    for word, i in vec.vocabulary_.items():
        assert vec.word_counts_[i - 2] == counts[word]
    assert vec.input_dim_ == len(expected) + 2


@pytest.mark.parametrize("min_count", [1, 2])
def test_ids_pad_zero_unknown_one(min_count):
    vec = _vectorizer(min_count=min_count).fit(DOCS)
    ids = vec.transform(DOCS + NEW_DOCS)
    assert ids.dtype == np.int32
    assert 0 <= ids.min() and ids.max() < vec.input_dim_
    assert _rows(ids) == _reference_ids(DOCS + NEW_DOCS, vec.vocabulary_)
    # rare (min_count) and unseen words are all UNKNOWN_ID, never padding
    rare = [w for w, c in Counter(" ".join(DOCS).split()).items() if c < min_count]
    for word in rare + ["zebra", "unseen"]:
        assert vec.transform([word]).tolist() == [[UNKNOWN_ID]]
    lengths = [len(doc.split()) for doc in DOCS + NEW_DOCS]
    assert ((ids != PAD_ID).sum(axis=1) == lengths).all()


def test_padding_is_on_the_right():
    vec = _vectorizer().fit(DOCS)
    ids = vec.transform(DOCS)
    for row, doc in zip(ids, DOCS, strict=True):
        n = len(doc.split())
        assert (row[:n] != PAD_ID).all()
        assert (row[n:] == PAD_ID).all()


@pytest.mark.parametrize("max_len", [1, 2, 4, 100])
def test_max_len_truncates_and_pads(max_len):
    vec = _vectorizer(max_len=max_len).fit(DOCS)
    ids = vec.transform(DOCS + NEW_DOCS)
    assert ids.shape == (len(DOCS) + len(NEW_DOCS), max_len)
    full = _reference_ids(DOCS + NEW_DOCS, vec.vocabulary_)
    assert _rows(ids) == [row[:max_len] for row in full]
    values, lengths = vec.transform_ragged(DOCS + NEW_DOCS)
    assert lengths.tolist() == [min(len(row), max_len) for row in full]
    assert values.tolist() == [i for row in full for i in row[:max_len]]


@pytest.mark.parametrize("docs", [DOCS, NEW_DOCS, ["a", "a a a a a a a a a"], ["", ""], ["cat"]])
def test_padding_width_without_max_len(docs):
    vec = _vectorizer().fit(DOCS)
    ids = vec.transform(docs)
    assert ids.shape == (len(docs), max(len(doc.split()) for doc in docs))


def test_token_lists_equal_strings():
    vec = _vectorizer(word_ngrams=2, bucket=50).fit(DOCS)
    as_lists = [doc.split() for doc in DOCS + NEW_DOCS]
    as_tuples = [tuple(doc) for doc in as_lists]
    expected = vec.transform(DOCS + NEW_DOCS)
    np.testing.assert_array_equal(vec.transform(as_lists), expected)
    np.testing.assert_array_equal(vec.transform(as_tuples), expected)
    np.testing.assert_array_equal(vec.transform(np.array(DOCS + NEW_DOCS)), expected)
    fitted_on_lists = _vectorizer(word_ngrams=2, bucket=50).fit([d.split() for d in DOCS])
    assert fitted_on_lists.vocabulary_ == vec.vocabulary_
    np.testing.assert_array_equal(fitted_on_lists.transform(DOCS + NEW_DOCS), expected)


def test_split_on_ascii_whitespace_only():
    vec = _vectorizer().fit(["a\tb\nc  d \r e", "x\u3000y"])
    assert set(vec.vocabulary_) == {"a", "b", "c", "d", "e", "x\u3000y"}


def test_chinese_tokens():
    vec = _vectorizer().fit(CHINESE_DOCS)
    assert vec.vocabulary_["皱纹"] == 2  # the most frequent word
    assert set(vec.vocabulary_) == {"皱纹", "眼霜", "养生", "游戏", "动漫"}
    names = vec.get_feature_names_out()
    ids = vec.transform(["养生 皱纹 新词"])
    assert [names[i] for i in ids[0]] == ["养生", "皱纹", "<unk>"]
    restored = pickle.loads(pickle.dumps(vec))
    np.testing.assert_array_equal(restored.transform(CHINESE_DOCS), vec.transform(CHINESE_DOCS))


# -- word n-grams -------------------------------------------------------------------


def _distinct_ngrams(docs, word_ngrams):
    grams = set()
    for doc in docs:
        tokens = doc.split()
        for order in range(2, word_ngrams + 1):
            grams.update(zip(*(tokens[j:] for j in range(order)), strict=False))
    return len(grams)


@pytest.mark.parametrize("word_ngrams", [2, 3])
@pytest.mark.parametrize("bucket", [1, 7, 1000])
def test_ngram_ids_are_the_buckets_seen_in_fit(word_ngrams, bucket):
    vec = _vectorizer(word_ngrams=word_ngrams, bucket=bucket).fit(DOCS)
    n_ids = len(vec.vocabulary_) + 2
    n_buckets = len(vec.ngram_buckets_)
    # a row a bucket seen: at most every bucket, at most every distinct n-gram
    assert 1 <= n_buckets <= min(bucket, _distinct_ngrams(DOCS, word_ngrams))
    if bucket == 1:  # one bucket: every n-gram shares it
        assert n_buckets == 1
    assert vec.input_dim_ == n_ids + n_buckets
    assert np.all(np.diff(vec.ngram_buckets_) > 0) and vec.ngram_buckets_.max() < bucket
    unigrams = _vectorizer().fit(DOCS).transform_ragged(DOCS + NEW_DOCS)
    values, lengths = vec.transform_ragged(DOCS + NEW_DOCS)
    assert values.min() >= UNKNOWN_ID
    assert values.max() < vec.input_dim_
    is_ngram = values >= n_ids
    # the unigram ids come first in each run and keep the text order
    np.testing.assert_array_equal(values[~is_ngram], unigrams[0])
    for length, doc in zip(lengths, DOCS + NEW_DOCS, strict=True):
        n = len(doc.split())
        every = sum(max(n - order + 1, 0) for order in range(1, word_ngrams + 1))
        if doc in DOCS:  # every n-gram of a training document was seen
            assert length == every
        else:  # an n-gram whose bucket fit never saw is dropped
            assert n <= length <= every


def test_an_ngram_unseen_in_fit_is_dropped():
    vec = _vectorizer(word_ngrams=2, bucket=1_000_000).fit(["a b", "c d"])
    a, b, c = (vec.vocabulary_[w] for w in "abc")
    (seen,) = _rows(vec.transform(["a b"]))
    assert seen[0] == a and seen[2] == b and seen[1] in (vec.input_dim_ - 2, vec.input_dim_ - 1)
    assert _rows(vec.transform(["b c"])) == [[b, c]]  # "b c" never seen: no id, not unknown
    assert vec.input_dim_ == 2 + 4 + 2


def test_ngrams_follow_each_token_and_do_not_cross_documents():
    vec = _vectorizer(word_ngrams=3, bucket=10_000).fit(["a b c"])
    offset = len(vec.vocabulary_) + 2
    (row,) = _rows(vec.transform(["a b c"]))
    a, b, c = (vec.vocabulary_[w] for w in "abc")
    # a, [a b], [a b c], b, [b c], c
    assert [row[0], row[3], row[5]] == [a, b, c]
    assert all(i >= offset for i in (row[1], row[2], row[4]))
    # the same n-gram gets the same id wherever it occurs
    assert _rows(vec.transform(["a b"]))[0] == [a, row[1], b]
    # "x" is unknown, and the n-grams starting at it were never seen: dropped
    assert _rows(vec.transform(["x b c"]))[0] == [UNKNOWN_ID, *row[3:]]
    # n-grams never join the last word of one document to the next document
    assert _rows(vec.transform(["a", "b"])) == [[a], [b]]


@pytest.mark.parametrize("max_len", [1, 3, 5])
def test_ngram_truncation_keeps_a_prefix(max_len):
    vec = _vectorizer(word_ngrams=2, bucket=100).fit(DOCS)
    full = _rows(_vectorizer(word_ngrams=2, bucket=100).fit(DOCS).transform(DOCS))
    cut = vec.set_params(max_len=max_len).transform(DOCS)
    assert _rows(cut) == [row[:max_len] for row in full]


_HASH_SCRIPT = """
import json, sys
from skfasttext import TextVectorizer
docs = json.loads(sys.argv[1])
vec = TextVectorizer(word_ngrams=3, bucket=997, eos=False).fit(docs)
print(json.dumps(vec.transform(docs).tolist()))
"""


def test_hashing_stable_across_processes():
    docs = DOCS + CHINESE_DOCS
    ids = _vectorizer(word_ngrams=3, bucket=997).fit(docs).transform(docs)
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", _HASH_SCRIPT, json.dumps(docs)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    other = np.array(json.loads(result.stdout.strip().splitlines()[-1]))
    np.testing.assert_array_equal(other, ids)
    assert ids.max() >= len(set(" ".join(docs).split())) + 2  # n-gram ids were compared


# -- sklearn protocol ---------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"min_count": 2}, {"max_len": 3}, {"word_ngrams": 3, "bucket": 11, "max_len": 6}],
)
def test_pickle_round_trip(params):
    vec = _vectorizer(**params).fit(DOCS)
    expected = vec.transform(DOCS + NEW_DOCS)
    restored = pickle.loads(pickle.dumps(vec))
    assert restored.get_params() == vec.get_params()
    assert restored.vocabulary_ == vec.vocabulary_
    assert restored.input_dim_ == vec.input_dim_
    np.testing.assert_array_equal(restored.transform(DOCS + NEW_DOCS), expected)
    # an unused vectorizer pickles too
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(_vectorizer(**params).fit(DOCS))).transform(DOCS),
        vec.transform(DOCS),
    )


@pytest.mark.parametrize(
    "params",
    [{}, {"min_count": 2}, {"max_len": 2}, {"word_ngrams": 2, "bucket": 13}],
)
def test_fit_transform_equals_fit_then_transform(params):
    fitted = _vectorizer(**params)
    ids = fitted.fit_transform(DOCS)
    expected = _vectorizer(**params).fit(DOCS).transform(DOCS)
    np.testing.assert_array_equal(ids, expected)
    assert ids.dtype == expected.dtype
    assert fitted.vocabulary_ == _vectorizer(**params).fit(DOCS).vocabulary_


@pytest.mark.parametrize(
    "params", [{}, {"min_count": 2}, {"eos": True}, {"word_ngrams": 3, "bucket": 13, "eos": True}]
)
@pytest.mark.parametrize("pretokenized", [False, True])
def test_fit_chunks_gives_the_ids_of_one_pass(params, pretokenized):
    """The chunk API maps each chunk's kept words to ids once all chunks are counted: the
    ids and vocabulary of a fit on all documents at once."""
    docs = DOCS + NEW_DOCS
    expected = _vectorizer(**params).fit(docs)
    expected_ids = expected.transform_ragged(docs)
    docs = [doc.split() for doc in docs] if pretokenized else docs
    fitted, kept = _vectorizer(**params), []
    ids_of = fitted.fit_chunks((docs[i : i + 2] for i in range(0, len(docs), 2)), keep=kept.append)
    assert [len(words.lengths) for words in kept] == [2] * 4 + [1]  # new words in every chunk
    values, lengths = Ragged.concatenate(map(ids_of, kept))
    np.testing.assert_array_equal(values, expected_ids.values)
    np.testing.assert_array_equal(lengths, expected_ids.lengths)
    assert fitted.vocabulary_ == expected.vocabulary_
    np.testing.assert_array_equal(fitted.word_counts_, expected.word_counts_)
    np.testing.assert_array_equal(_vectorizer(**params).fit_transform(docs), expected_ids.pad())


def test_refit_forgets_the_old_vocabulary():
    vec = _vectorizer().fit(DOCS)
    vec.fit(CHINESE_DOCS)
    assert "cat" not in vec.vocabulary_
    assert vec.transform(["cat 皱纹"]).tolist() == [[UNKNOWN_ID, 2]]


def test_get_feature_names_out():
    vec = _vectorizer(min_count=2).fit(DOCS)
    names = vec.get_feature_names_out()
    assert names.dtype == object
    assert names[PAD_ID] == "<pad>"
    assert names[UNKNOWN_ID] == "<unk>"
    assert len(names) == len(vec.vocabulary_) + 2
    for word, i in vec.vocabulary_.items():
        assert names[i] == word


def test_ids_stay_an_array_where_scikit_learn_outputs_pandas():
    # the names are the vocabulary's, not the columns' (positions): no DataFrame to make
    with sklearn.config_context(transform_output="pandas"):
        ids = _vectorizer().fit_transform(DOCS)
        pipe = make_pipeline(_vectorizer(), FastTextClassifier(dim=4, epoch=1, random_state=0))
        predicted = pipe.fit(DOCS, [i % 2 for i in range(len(DOCS))]).predict(DOCS)
    assert isinstance(ids, np.ndarray)
    np.testing.assert_array_equal(ids, _vectorizer().fit_transform(DOCS))
    assert predicted.shape == (len(DOCS),)


def test_transform_before_fit():
    with pytest.raises(NotFittedError):
        _vectorizer().transform(DOCS)
    with pytest.raises(NotFittedError):
        _vectorizer().get_feature_names_out()


# -- bad input ----------------------------------------------------------------------


def test_empty_vocabulary_after_min_count():
    with pytest.raises(ValueError, match="Empty vocabulary.*min_count=10"):
        _vectorizer(min_count=10).fit(DOCS)
    with pytest.raises(ValueError, match="Empty vocabulary"):
        _vectorizer().fit(["", "  "])
    with pytest.raises(ValueError, match="Empty vocabulary"):
        _vectorizer(min_count=10).fit_transform(DOCS)


@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
def test_single_string_rejected(method):
    vec = _vectorizer().fit(DOCS)
    with pytest.raises(ValueError, match="single string"):
        getattr(vec, method)("the cat sat")
    with pytest.raises(ValueError, match="single string"):
        getattr(vec, method)(b"the cat sat")


@pytest.mark.parametrize(
    "docs, match",
    [
        ([1, 2, 3], "Document 0 is of type int"),
        (["a b", None], "Document 1 is of type NoneType"),
        (["a b", ["c"]], "mix strings and lists of tokens"),
        ([["a", 1]], "Document 0 holds a token of type int"),
        ([["a"], ["b", None]], "Document 1 holds a token of type NoneType"),
        (None, "got NoneType"),
        (5, "got int"),
    ],
)
@pytest.mark.parametrize("method", ["fit", "transform"])
def test_non_text_documents_rejected(docs, match, method):
    vec = _vectorizer().fit(DOCS)
    with pytest.raises(TypeError, match=match):
        getattr(vec, method)(docs)


@pytest.mark.parametrize("method", ["fit", "transform"])
def test_empty_and_2d_input_rejected(method):
    vec = _vectorizer().fit(DOCS)
    with pytest.raises(ValueError, match="Found 0 documents"):
        getattr(vec, method)([])
    with pytest.raises(ValueError, match="1-d collection"):
        getattr(vec, method)(np.array([["a", "b"], ["c", "d"]]))


def test_check_documents_kinds():
    assert check_documents(("a b", "c")) == (["a b", "c"], False)
    assert check_documents(check_documents(["a"])) == (["a"], False)  # checked once
    assert check_documents(iter([["a"], []])) == ([["a"], []], True)


# -- pad and truncate ---------------------------------------------------------------

ragged_rows = st.lists(st.lists(st.integers(1, 50), max_size=8), min_size=1, max_size=10)


def _ragged(rows):
    values = np.array([i for row in rows for i in row], dtype=np.int32)
    lengths = np.array([len(row) for row in rows], dtype=np.int64)
    return values, lengths


@settings(max_examples=60, deadline=None)
@given(rows=ragged_rows, max_len=st.one_of(st.none(), st.integers(1, 10)))
def test_pad_and_truncate_match_python(rows, max_len):
    values, lengths = _ragged(rows)
    kept = [row if max_len is None else row[:max_len] for row in rows]
    cut_values, cut_lengths = Ragged(values, lengths).truncate(max_len)
    assert cut_values.tolist() == [i for row in kept for i in row]
    assert cut_lengths.tolist() == [len(row) for row in kept]
    out = Ragged(values, lengths).pad(max_len)
    width = max(map(len, rows)) if max_len is None else max_len
    assert out.shape == (len(rows), width)
    assert out.dtype == np.int32
    assert out.tolist() == [row + [PAD_ID] * (width - len(row)) for row in kept]


def test_eos_ends_every_document_like_fasttext():
    vec = _vectorizer(eos=True, max_len=4).fit(["a b", "b", ""])
    eos = vec.vocabulary_["</s>"]
    ids = vec.transform(["a b", "", "z z"])
    lengths = (ids != 0).sum(axis=1)
    assert lengths.tolist() == [3, 1, 3]
    assert ids[np.arange(3), lengths - 1].tolist() == [eos] * 3
    assert vec.word_counts_[eos - 2] == 3  # counted once per training document
    # without eos the token is nowhere
    assert "</s>" not in _vectorizer().fit(["a b"]).vocabulary_


def test_eos_takes_part_in_word_ngrams():
    plain = _vectorizer(word_ngrams=2, bucket=1000).fit(["a b"])
    with_eos = _vectorizer(word_ngrams=2, bucket=1000, eos=True).fit(["a b"])
    # "a b" has one bigram; "a b </s>" two
    assert (plain.transform(["a b"]) >= len(plain.vocabulary_) + 2).sum() == 1
    assert (with_eos.transform(["a b"]) >= len(with_eos.vocabulary_) + 2).sum() == 2


def test_ahead_keeps_order_and_makes_at_most_one_item_early():
    """Chunks are made one ahead, in a second thread: same items, same order, errors kept."""
    made, used = [], []

    def items():
        for i in range(5):
            made.append(i)
            yield i

    for item in ahead(items()):
        assert made[-1] <= item + 1  # never more than one item ahead of the one in use
        used.append(item)
    assert used == made == list(range(5))

    def failing():
        yield 1
        raise ValueError("bad chunk")

    seen = []
    with pytest.raises(ValueError, match="bad chunk"):
        for item in ahead(failing()):
            seen.append(item)
    assert seen == [1]


def test_select_ids_can_drop_unknown_words():
    vec = _vectorizer(min_count=2).fit(["a b b", "b c a"])
    a, b = vec.vocabulary_["a"], vec.vocabulary_["b"]
    assert not vec.drop_unknown_
    assert vec.transform_ragged(["a c z"]).values.tolist() == [a, UNKNOWN_ID, UNKNOWN_ID]
    dropping = vec.select_ids(np.arange(vec.input_dim_), drop_unknown=True)
    assert dropping.drop_unknown_ and not vec.drop_unknown_
    values, lengths = dropping.transform_ragged(["a c z", "z", "b a"])
    assert values.tolist() == [a, b, a] and lengths.tolist() == [1, 0, 2]
    # a word left out is dropped too, and stays dropped in a further selection
    fewer = dropping.select_ids([0, 1, b])
    assert fewer.transform_ragged(["a b"]).values.tolist() == [2]


def test_select_ids_keeps_and_renumbers_rows():
    vec = _vectorizer(word_ngrams=2, bucket=1000).fit(["a b b", "b c"])
    n_vocab = len(vec.vocabulary_) + 2
    keep = [0, 1, vec.vocabulary_["b"], n_vocab]  # b and the first n-gram bucket
    small = vec.select_ids(keep)
    assert small.input_dim_ == 4 and small.vocabulary_ == {"b": 2}
    assert small.ngram_buckets_.tolist() == vec.ngram_buckets_[:1].tolist()
    assert vec.input_dim_ == n_vocab + len(vec.ngram_buckets_)  # the original is untouched
    values, _ = small.transform_ragged(["a b b", "b c"])
    assert set(values.tolist()) <= {1, 2, 3}
    for bad in ([1, 2], [0, 1, 3, 3], [0, 1, vec.input_dim_]):
        with pytest.raises(ValueError, match="ids must"):
            vec.select_ids(bad)
