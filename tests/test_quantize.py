"""quantize: product quantization of the embedding (and output layer), cutoff, retrain."""

import keras
import numpy as np
import pytest

from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus
from skfasttext._pq import largest_rows, product_quantize
from skfasttext.layers import QuantizedDense, QuantizedEmbedding
from skfasttext.text import EOS, UNKNOWN_ID

# fastText's settings: the cutoffs below are sized for a vocabulary of words alone
FAST = {"dim": 16, "epoch": 5, "word_ngrams": 1, "pooling": "mean", "random_state": 0, "verbose": 0}


@pytest.fixture(scope="module")
def ages():
    docs, y = make_age_corpus(2000, random_state=0)
    return docs, y


def _decoded(codes, centroids, dim):
    slices = [centroids[m, codes[:, m]] for m in range(codes.shape[1])]
    return np.concatenate(slices, axis=1)[:, :dim]


def test_product_quantize_is_exact_on_few_distinct_rows_and_seeded():
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(40, 7)).astype(np.float32)  # fewer rows than 256 centroids
    codes, centroids = product_quantize(rows, dsub=2, seed=0)
    assert codes.dtype == np.uint8 and codes.shape == (40, 4)  # ceil(7 / 2) slices
    assert centroids.shape == (4, 256, 2)
    np.testing.assert_allclose(_decoded(codes, centroids, 7), rows, atol=1e-6)
    again = product_quantize(rows, dsub=2, seed=0)
    np.testing.assert_array_equal(again[0], codes)


def test_product_quantize_approximates_many_rows():
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(50, 8))
    rows = (centers[rng.integers(50, size=3000)] + 0.01 * rng.normal(size=(3000, 8))).astype(
        np.float32
    )
    codes, centroids = product_quantize(rows, dsub=4, seed=0)
    error = np.linalg.norm(_decoded(codes, centroids, 8) - rows) / np.linalg.norm(rows)
    assert error < 0.05


def test_largest_rows_keeps_the_largest_and_the_ones_always_kept():
    norms = np.array([0.0, 0.1, 5.0, 1.0, 9.0, 3.0])
    assert largest_rows(norms, 3, always=[0, 1]).tolist() == [0, 1, 4]
    assert largest_rows(norms, 4, always=[0]).tolist() == [0, 2, 4, 5]
    assert largest_rows(norms, 2, always=[0, 1, 3]).tolist() == [0, 1, 3]  # always wins


def test_quantized_layers_serialize_and_mask():
    layer = QuantizedEmbedding(5, 6, n_subquantizers=3, norms=True, name="embedding")
    layer.build()
    copy = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer), safe_mode=True
    )
    assert copy.get_config() == layer.get_config()
    assert layer.compute_mask(np.array([[3, 0]])).numpy().tolist() == [[True, False]]
    dense = QuantizedDense(4, 6, n_subquantizers=3, activation="softmax")
    dense.build()
    copy = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(dense), safe_mode=True
    )
    assert copy.get_config() == dense.get_config()
    assert copy(np.ones((2, 6), "float32")).shape == (2, 4)


@pytest.mark.parametrize("qnorm, qout", [(False, False), (True, True)])
def test_a_quantized_classifier_predicts_as_before_mostly(ages, qnorm, qout):
    docs, y = ages
    clf = FastTextClassifier(**FAST).fit(docs, y)
    before, vectors = clf.predict(docs), clf.transform(docs[:5])
    assert clf.quantize(dsub=2, qnorm=qnorm, qout=qout) is clf
    embedding = clf.model_.get_layer("embedding")
    assert isinstance(embedding, QuantizedEmbedding)
    assert embedding.get_weights()[0].dtype == np.uint8
    assert isinstance(clf.model_.get_layer("output"), QuantizedDense) == qout
    assert np.mean(clf.predict(docs) == before) > 0.75  # 60 age classes: many near ties
    assert abs(np.mean(clf.predict(docs) == y) - np.mean(before == y)) < 0.03
    assert clf.transform(docs[:5]).shape == vectors.shape
    words, word_vectors = clf.get_word_vectors()
    assert word_vectors.shape == (len(words), 16)
    with pytest.raises(ValueError, match="quantized already"):
        clf.quantize()


def test_cutoff_keeps_the_largest_rows_and_drops_the_rest(ages):
    docs, y = ages
    clf = FastTextClassifier(**{**FAST, "word_ngrams": 2}).fit(docs, y)
    before = clf.predict(docs)
    rows = clf.embedding_
    clf.quantize(cutoff=800, dsub=4, qnorm=True)
    assert clf.input_dim_ == 800
    assert clf.model_.get_layer("embedding").input_dim == 800
    vocabulary = clf.vectorizer_.vocabulary_
    assert EOS in vocabulary and len(vocabulary) < 800 - 1
    ids = clf.vectorizer_.transform_ragged(docs).values
    assert ids.max() < 800
    assert np.mean(clf.predict(docs) == before) > 0.5
    # the words kept are those of largest norm
    kept_norms = np.linalg.norm(clf.get_word_vectors()[1][1:], axis=1)
    assert np.median(kept_norms) > np.median(np.linalg.norm(rows[UNKNOWN_ID + 1 :], axis=1))


def test_retrain_trains_the_kept_rows_on_the_fitted_classes(ages):
    docs, y = ages
    clf = FastTextClassifier(**FAST).fit(docs, y)
    plain = FastTextClassifier(**FAST).fit(docs, y).quantize(cutoff=300)
    clf.quantize(docs, y, cutoff=300, retrain=True, epoch=3)
    assert np.mean(clf.predict(docs) == y) >= np.mean(plain.predict(docs) == y)
    with pytest.raises(ValueError, match="not fitted on"):
        FastTextClassifier(**FAST).fit(docs, y).quantize(
            docs[:3], ["a", "b", "c"], cutoff=300, retrain=True
        )


def test_quantize_the_regressor_and_a_model_of_ids(ages):
    docs, y = ages
    reg = FastTextRegressor(**FAST).fit(docs, y)
    mae = np.mean(np.abs(reg.predict(docs) - y))
    reg.quantize(docs, y, cutoff=1000, dsub=4, retrain=True, epoch=2)
    assert np.mean(np.abs(reg.predict(docs) - y)) < mae * 1.1
    X = FastTextClassifier(**FAST).fit(docs, y).vectorizer_.transform(docs)
    on_ids = FastTextRegressor(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="fitted on ids"):
        on_ids.quantize(cutoff=10)
    assert np.isfinite(on_ids.quantize(dsub=4).predict(X)).all()


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"dsub": 0}, ValueError),
        ({"cutoff": -1}, ValueError),
        ({"retrain": True}, ValueError),
        ({"qnorm": "yes"}, ValueError),
        ({"lr": 0.0}, ValueError),
    ],
)
def test_bad_quantize_settings_are_refused(ages, kwargs, error):
    docs, y = ages
    clf = FastTextClassifier(**FAST).fit(docs[:200], y[:200])
    with pytest.raises(error):
        clf.quantize(**kwargs)
    assert not isinstance(clf.model_.get_layer("embedding"), QuantizedEmbedding)


@pytest.mark.parametrize("dim, dsub", [(1, 2), (8, 5), (8, 100), (100, 11)])
def test_a_dsub_that_does_not_divide_dim_quantizes(dim, dsub):
    # dim 8, dsub 5: two slices of 4, as the layer decodes them; dsub over dim: one slice
    docs, y = ["opera tea", "anime game", "job rent"] * 10, ["old", "young", "adult"] * 10
    clf = FastTextClassifier(dim=dim, epoch=5, random_state=0).fit(docs, y)
    before = clf.predict_proba(docs[:3])
    clf.quantize(dsub=dsub, qout=True)
    assert clf.model_.get_layer("embedding").get_weights()[0].shape[1] == -(-dim // dsub)
    np.testing.assert_allclose(clf.predict_proba(docs[:3]), before, atol=0.05)


def test_a_cutoff_that_keeps_no_word_keeps_the_n_grams(ages, tmp_path):
    # without </s> (eos=False) no word is always kept: 3 rows are padding, unknown, a bucket
    docs, y = ages
    params = {**FAST, "word_ngrams": 3, "minn": 2, "maxn": 4, "eos": False}
    clf = FastTextClassifier(**params).fit(docs[:300], y[:300]).quantize(cutoff=3)
    assert clf.vectorizer_.vocabulary_ == {}
    proba = clf.predict_proba(docs[:5] + ["", "w1"])
    assert np.isfinite(proba).all()
    clf.save(tmp_path / "m.skft")
    assert clf.get_word_vectors(["w1"])[1].shape == (1, 16) and clf.most_similar("w1") == []
