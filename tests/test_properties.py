"""Property tests (hypothesis): invariances of the fitted models, finite outputs, id ranges.

The models are fitted once per module by cached builders (function-scoped pytest
fixtures do not mix with @given). Every test is derandomized, so a run is reproducible.
"""

import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skfasttext import FastTextClassifier, FastTextRegressor, TextVectorizer, make_age_corpus
from skfasttext.layers import MaskedLpPooling, MaskedMaxPooling, MaskedMeanPooling

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DOCS, AGES = make_age_corpus(120, vocab_size=60, random_state=0)
VOCAB = sorted({token for doc in DOCS for token in doc.split()})
POOLINGS = ["mean", "sqrtn", "max", "lp"]


@functools.cache
def classifier(pooling="mean", eos=True):
    # word_ngrams=1: the invariances are a bag of words' (word pairs depend on order)
    return FastTextClassifier(
        dim=6, epoch=2, lr=0.5, word_ngrams=1, pooling=pooling, eos=eos, random_state=0
    ).fit(DOCS, AGES % 3)


@functools.cache
def regressor():
    return FastTextRegressor(dim=6, epoch=2, word_ngrams=1, random_state=0).fit(DOCS, AGES)


known_tokens = st.sampled_from(VOCAB)
# documents of known words (and an unknown one), at least one token
token_lists = st.lists(st.one_of(known_tokens, st.just("never-seen")), min_size=1, max_size=12)

# tokens of any kind: no whitespace inside (the vectorizer splits on it)
_ODD = st.sampled_from(
    [
        "😀",
        "👩‍👩‍👧",
        "漢字",
        "日本語のテキスト",
        "\x01\x02\x7f",
        "\u200b",
        "\ufeff",
        "__label__x",
        "__label__",
        "x" * 10_000,
        "é" * 10_000,
        "🙂" * 2_500,
    ]
)
_ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]), min_size=1
).filter(lambda t: not t.isspace())
any_token = st.one_of(_ODD, _ANY_TEXT, known_tokens, st.text(min_size=1, max_size=20))
any_docs = st.lists(st.lists(any_token, max_size=8).map(" ".join), min_size=1, max_size=6)


# -- invariances ----------------------------------------------------------------------


@SETTINGS
@given(
    ids=st.lists(st.lists(st.integers(1, 300), min_size=1, max_size=10), min_size=1, max_size=5),
    extra=st.integers(1, 20),
    side=st.sampled_from(["right", "left", "both"]),
    pooling=st.sampled_from(POOLINGS),
)
def test_padding_invariance(ids, extra, side, pooling):
    """Extra zero columns, on either side, change nothing (ids past input_dim_ read as unknown)."""
    model = classifier(pooling)
    width = max(map(len, ids))
    X = np.zeros((len(ids), width), dtype=np.int64)
    for i, row in enumerate(ids):
        X[i, : len(row)] = row
    zeros = np.zeros((len(ids), extra), dtype=np.int64)
    padded = {"right": [X, zeros], "left": [zeros, X], "both": [zeros, X, zeros]}[side]
    padded = np.concatenate(padded, axis=1)
    expected = model.predict_proba(X)
    np.testing.assert_array_equal(model.predict_proba(padded), expected)
    np.testing.assert_array_equal(model.transform(padded), model.transform(X))


@SETTINGS
@given(tokens=token_lists, k=st.integers(2, 6), pooling=st.sampled_from(["mean", "max"]))
def test_duplication_invariance(tokens, k, pooling):
    """Without eos, a document repeated k times has the same mean and max of word vectors.

    (With eos, the one ``</s>`` weighs 1/(k n + 1) instead of 1/(n + 1) in the mean.)
    """
    model = classifier(pooling, eos=False)
    doc = " ".join(tokens)
    once, repeated = model.predict_proba([doc, " ".join([doc] * k)])
    np.testing.assert_allclose(repeated, once, rtol=1e-5, atol=1e-6)


@SETTINGS
@given(tokens=token_lists, data=st.data(), pooling=st.sampled_from(POOLINGS))
def test_permutation_invariance(tokens, data, pooling):
    """With word_ngrams=1 a document is a bag of words: any order of its tokens pools alike."""
    model = classifier(pooling)
    shuffled = data.draw(st.permutations(tokens))
    proba = model.predict_proba([" ".join(tokens), " ".join(shuffled)])
    np.testing.assert_allclose(proba[1], proba[0], rtol=1e-5, atol=1e-6)
    vectors = model.transform([tokens, list(shuffled)])  # pretokenized input too
    np.testing.assert_allclose(vectors[1], vectors[0], rtol=1e-5, atol=1e-6)


@SETTINGS
@given(tokens=token_lists)
def test_regressor_permutation_invariance(tokens):
    model = regressor()
    pred = model.predict([" ".join(tokens), " ".join(reversed(tokens))])
    np.testing.assert_allclose(pred[1], pred[0], rtol=1e-5)


# -- any text: finite outputs, valid ids ------------------------------------------------


@SETTINGS
@given(docs=any_docs)
def test_any_tokens_give_finite_outputs(docs):
    clf, reg = classifier("mean"), regressor()
    ids = clf.vectorizer_.transform(docs)
    assert ids.shape[0] == len(docs)
    assert ((ids >= 0) & (ids < clf.input_dim_)).all()
    proba = clf.predict_proba(docs)
    assert proba.shape == (len(docs), len(clf.classes_))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    vectors = clf.transform(docs)
    assert vectors.shape == (len(docs), clf.dim) and np.isfinite(vectors).all()
    assert np.isfinite(reg.predict(docs)).all()
    # a document with no known word pools to zeros: its prediction is the unknown/bias one
    assert set(clf.predict(docs)) <= set(clf.classes_)


@SETTINGS
@given(
    train=any_docs,
    docs=any_docs,
    word_ngrams=st.integers(1, 4),
    bucket=st.integers(1, 50),
    max_len=st.one_of(st.none(), st.integers(1, 10)),
)
def test_vectorizer_ids_in_range(train, docs, word_ngrams, bucket, max_len):
    if not any(doc.split() for doc in train):
        train = [*train, "word"]  # an empty vocabulary is a documented error
    vec = TextVectorizer(word_ngrams=word_ngrams, bucket=bucket, max_len=max_len).fit(train)
    n_vocab = 2 + len(vec.vocabulary_)
    n_buckets = len(vec.ngram_buckets_) if word_ngrams > 1 else 0  # the buckets seen in fit
    assert vec.input_dim_ == n_vocab + n_buckets and n_buckets <= bucket
    for X in (train, docs):
        ids = vec.transform(X)
        assert ids.dtype == np.int32 and ids.shape[0] == len(X)
        assert ((ids >= 0) & (ids < vec.input_dim_)).all()
        if max_len is not None:
            assert ids.shape[1] == max_len
        # a token's own id is never in the n-gram buckets, never 0 for a present token
        values, lengths = vec.transform_ragged(X)
        assert (values >= 1).all() and lengths.sum() == len(values)
        assert len(lengths) == len(X)
    # with min_count=1 every training token is in the vocabulary: never the unknown id
    values, _ = TextVectorizer(max_len=max_len).fit(train).transform_ragged(train)
    assert (values >= 2).all()


@SETTINGS
@given(st.text(min_size=1, max_size=5).map(lambda t: "a \ud800" + t))
def test_lone_surrogates_fail_clearly(doc):
    """Text that is not valid Unicode (a lone surrogate) is a ValueError, not a crash."""
    clf = classifier("mean")
    for call in (clf.predict_proba, clf.transform, clf.vectorizer_.transform):
        try:
            call([doc])
        except ValueError:
            continue
        raise AssertionError(f"{call} accepted a lone surrogate")


# -- pooling layers -----------------------------------------------------------------------

_BIG = float(np.float32(1e30))  # 6 steps of it sum well below float32's 3.4e38
_values = hnp.arrays(
    np.float32,
    hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=6),
    elements=st.one_of(
        # TensorFlow flushes subnormals to zero on CPU: only normal floats
        st.floats(-_BIG, _BIG, width=32, allow_subnormal=False),
        st.sampled_from([0.0, -0.0, _BIG, -_BIG, 1e-30, 1e-37]),
    ),
)


@SETTINGS
@given(x=_values, data=st.data(), p=st.sampled_from([1.0, 2.0, 3.5, 50.0]))
def test_pooling_finite_for_any_mask(x, data, p):
    batch, steps, _ = x.shape
    mask = data.draw(hnp.arrays(np.bool_, (batch, steps)))
    mask[0] = False  # always one all-masked row
    mean = MaskedMeanPooling()(x, mask=mask).numpy()
    top = MaskedMaxPooling()(x, mask=mask).numpy()
    lp = MaskedLpPooling(p=p)(x, mask=mask).numpy()
    for out in (mean, top, lp):
        assert out.shape == (batch, x.shape[2])
        assert np.isfinite(out).all()
    np.testing.assert_array_equal(mean[0], 0.0)
    np.testing.assert_array_equal(top[0], 0.0)
    np.testing.assert_array_equal(lp[0], 0.0)
    for i in range(1, batch):
        rows = x[i][mask[i]].astype(np.float64)
        if not len(rows):
            assert not mean[i].any() and not top[i].any() and not lp[i].any()
            continue
        np.testing.assert_array_equal(top[i], rows.max(axis=0).astype(np.float32))
        np.testing.assert_allclose(mean[i], rows.mean(axis=0), rtol=1e-4, atol=1e-37)
        # the power mean lies between the mean and the maximum of the absolute values
        magnitude = np.abs(rows)
        assert (lp[i] <= magnitude.max(axis=0) * (1 + 1e-4) + 1e-37).all()
        assert (lp[i] >= magnitude.mean(axis=0) * (1 - 1e-4) - 1e-37).all()


def test_lp_pooling_of_tiny_values():
    """Found by test_pooling_finite_for_any_mask: values below 1e-30 pooled to 0 (underflow)."""
    x = np.full((1, 3, 2), 1.6354681e-35, dtype=np.float32)
    for p in (1.0, 2.0, 50.0):
        np.testing.assert_allclose(MaskedLpPooling(p=p)(x).numpy(), x[:, 0], rtol=1e-5)
