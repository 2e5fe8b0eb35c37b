"""pretrained_vectors: initial word vectors from a .vec file, a (words, vectors) pair or a model."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import InvalidParameterError

from skfasttext import FastTextClassifier, FastTextRegressor, TextVectorizer
from skfasttext.io import write_word_vectors
from skfasttext.model import build_model

DOCS = ["old opera", "opera tea", "game anime", "anime game game", "tea old"] * 4
LABELS = ["old", "old", "young", "young", "old"] * 4
TARGETS = [70.0, 65.0, 15.0, 20.0, 60.0] * 4
DIM = 8

# 'opera' and 'game' are in the vocabulary, 'piano' is not
WORDS = ["opera", "piano", "game"]
VECTORS = np.arange(3 * DIM, dtype=np.float32).reshape(3, DIM) / 10.0


def _make(kind, **params):
    params = {"dim": DIM, "epoch": 1, "random_state": 0, **params}
    if kind == "classifier":
        return FastTextClassifier(**params), LABELS
    return FastTextRegressor(**params), TARGETS


# fit keeps word vectors to float16's precision: a row equals its vector to 11 bits
HALF = {"rtol": 2**-11, "atol": 1e-7}


def _row(est, word):
    return est.embedding_[est.vectorizer_.vocabulary_[word]]


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_covered_rows_start_from_the_vectors(kind):
    # lr so small that training leaves the initial vectors as they were
    est, y = _make(kind, lr=1e-9, pretrained_vectors=(WORDS, VECTORS))
    est.fit(DOCS, y)
    base, _ = _make(kind, lr=1e-9)
    base.fit(DOCS, y)
    np.testing.assert_allclose(_row(est, "opera"), VECTORS[0], **HALF)
    np.testing.assert_allclose(_row(est, "game"), VECTORS[2], **HALF)
    assert not np.allclose(_row(base, "opera"), VECTORS[0], atol=1e-3)
    # every other row keeps fastText's uniform initialisation, the same draws as without
    covered = [est.vectorizer_.vocabulary_[w] for w in ("opera", "game")]
    others = np.setdiff1d(np.arange(est.input_dim_), covered)
    np.testing.assert_allclose(est.embedding_[others], base.embedding_[others], **HALF)
    assert np.abs(est.embedding_[others]).max() <= 1.0 / DIM
    assert est.n_pretrained_ == 2
    assert base.n_pretrained_ == 0


def test_vec_file_and_pair_give_the_same_model(tmp_path):
    path = tmp_path / "pre.vec"
    write_word_vectors(path, WORDS, VECTORS, precision=9)
    params = {"dim": DIM, "epoch": 3, "random_state": 0}
    from_pair = FastTextClassifier(**params, pretrained_vectors=(WORDS, VECTORS))
    from_file = FastTextClassifier(**params, pretrained_vectors=str(path))
    from_path = FastTextClassifier(**params, pretrained_vectors=path)
    from_pair.fit(DOCS, LABELS)
    for est in (from_file, from_path):
        est.fit(DOCS, LABELS)
        assert est.n_pretrained_ == from_pair.n_pretrained_ == 2
        np.testing.assert_array_equal(est.embedding_, from_pair.embedding_)
        np.testing.assert_array_equal(est.predict_proba(DOCS), from_pair.predict_proba(DOCS))


def test_dim_mismatch_names_both_dims():
    est = FastTextClassifier(dim=DIM, epoch=1, pretrained_vectors=(WORDS, VECTORS[:, :5]))
    with pytest.raises(ValueError, match=r"dim=5 but the estimator has dim=8"):
        est.fit(DOCS, LABELS)
    assert not hasattr(est, "model_")


def test_id_matrix_refuses_pretrained_vectors():
    ids = TextVectorizer().fit_transform(DOCS)
    est = FastTextRegressor(dim=DIM, epoch=1, pretrained_vectors=(WORDS, VECTORS))
    with pytest.raises(ValueError, match="pretrained_vectors needs words.*id matrix"):
        est.fit(ids, TARGETS)


def test_n_pretrained_counts_vocabulary_words_once():
    words = ["<unk>", "opera", "opera", "piano", "tea", "drums"]
    vectors = np.random.default_rng(0).normal(size=(len(words), DIM)).astype(np.float32)
    est = FastTextClassifier(dim=DIM, epoch=1, lr=1e-9, random_state=0)
    est.set_params(pretrained_vectors=(np.array(words), vectors)).fit(DOCS, LABELS)
    assert est.n_pretrained_ == 2  # opera, tea: '<unk>' and the unknown words do not count
    assert isinstance(est.n_pretrained_, int)
    np.testing.assert_allclose(_row(est, "opera"), vectors[1], **HALF)  # the first 'opera'
    np.testing.assert_allclose(_row(est, "tea"), vectors[4], **HALF)
    np.testing.assert_allclose(est.get_word_vector("never-seen"), vectors[0], **HALF)
    # no word covered: a plain fit
    est.set_params(pretrained_vectors=(["piano"], vectors[:1])).fit(DOCS, LABELS)
    assert est.n_pretrained_ == 0


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_warm_start_mean_then_max(kind):
    mean, y = _make(kind, pooling="mean", epoch=10)
    mean.fit(DOCS, y)
    words, vectors = mean.get_word_vectors()
    warm, _ = _make(kind, pooling="max", lr=1e-9, pretrained_vectors=mean)
    warm.fit(DOCS, y)
    assert warm.n_pretrained_ == len(mean.vectorizer_.vocabulary_)
    np.testing.assert_array_equal(warm.get_word_vectors()[0], words)
    np.testing.assert_allclose(warm.get_word_vectors()[1], vectors, **HALF)  # '<unk>' too
    cold, _ = _make(kind, pooling="max", lr=1e-9)
    assert not np.allclose(cold.fit(DOCS, y).get_word_vectors()[1], vectors, atol=1e-3)
    # the source model is read, not changed
    np.testing.assert_array_equal(mean.get_word_vectors()[1], vectors)
    assert mean.pooling == "mean"


def test_warm_start_trains_on():
    mean = FastTextClassifier(dim=DIM, epoch=10, random_state=0).fit(DOCS, LABELS)
    warm = FastTextClassifier(dim=DIM, epoch=10, pooling="max", random_state=0)
    warm.set_params(pretrained_vectors=mean).fit(DOCS, LABELS)
    assert not np.allclose(warm.get_word_vectors()[1], mean.get_word_vectors()[1], atol=1e-4)
    assert warm.score(DOCS, LABELS) == 1.0


def test_unfitted_model_is_refused_with_a_hint():
    est = FastTextClassifier(dim=DIM, epoch=1, pretrained_vectors=FastTextClassifier(dim=DIM))
    with pytest.raises(ValueError, match="unfitted FastTextClassifier.*FrozenEstimator"):
        est.fit(DOCS, LABELS)


def test_clone_and_get_params():
    mean = FastTextClassifier(dim=DIM, epoch=3, random_state=0).fit(DOCS, LABELS)
    pair = (WORDS, VECTORS)
    est = FastTextClassifier(dim=DIM, epoch=2, random_state=0, pretrained_vectors=pair)
    assert est.get_params()["pretrained_vectors"] is pair
    copy = clone(est)
    assert copy.get_params()["pretrained_vectors"][0] == WORDS
    np.testing.assert_array_equal(copy.get_params()["pretrained_vectors"][1], VECTORS)
    copy.fit(DOCS, LABELS)
    np.testing.assert_array_equal(copy.embedding_, est.fit(DOCS, LABELS).embedding_)
    # a fitted model survives clone when frozen; a bare one is unfitted by clone
    frozen = clone(est.set_params(pretrained_vectors=FrozenEstimator(mean)))
    assert frozen.fit(DOCS, LABELS).n_pretrained_ == len(mean.vectorizer_.vocabulary_)
    with pytest.raises(ValueError, match="unfitted"):
        clone(est.set_params(pretrained_vectors=mean)).fit(DOCS, LABELS)


def test_pickle_round_trip():
    est = FastTextRegressor(dim=DIM, epoch=2, random_state=0, pretrained_vectors=(WORDS, VECTORS))
    est.fit(DOCS, TARGETS)
    restored = pickle.loads(pickle.dumps(est))
    assert restored.n_pretrained_ == est.n_pretrained_ == 2
    np.testing.assert_array_equal(restored.pretrained_vectors[1], VECTORS)
    np.testing.assert_array_equal(restored.predict(DOCS), est.predict(DOCS))
    np.testing.assert_array_equal(restored.embedding_, est.embedding_)


@pytest.mark.parametrize(
    "value, error, match",
    [
        ([WORDS, VECTORS], InvalidParameterError, "pretrained_vectors"),
        ((WORDS,), ValueError, "must be \\(words, vectors\\), got 1"),
        ((WORDS, VECTORS[:2]), ValueError, "one row per word \\(3 words\\)"),
        ((WORDS, VECTORS * np.nan), ValueError, "NaN or infinite"),
    ],
)
def test_bad_values(value, error, match):
    est = FastTextClassifier(dim=DIM, epoch=1, pretrained_vectors=value)
    with pytest.raises(error, match=match):
        est.fit(DOCS, LABELS)


def test_build_model_pretrained_rows():
    model = build_model(input_dim=6, dim=2, seed=0, pretrained=([2, 5], [[1.0, 2.0], [3.0, 4.0]]))
    table = model.get_layer("embedding").get_weights()[0]
    np.testing.assert_array_equal(table[[2, 5]], [[1.0, 2.0], [3.0, 4.0]])
    plain = build_model(input_dim=6, dim=2, seed=0).get_layer("embedding").get_weights()[0]
    np.testing.assert_array_equal(table[[0, 1, 3, 4]], plain[[0, 1, 3, 4]])
    with pytest.raises(ValueError, match=r"shape \(1, 2\)"):
        build_model(input_dim=6, dim=2, pretrained=([2], [[1.0, 2.0, 3.0]]))
    with pytest.raises(ValueError, match="0 is padding"):
        build_model(input_dim=6, dim=2, pretrained=([0], [[1.0, 2.0]]))
