"""Tests of FastTextClassifier and FastTextRegressor."""

import pickle

import joblib
import numpy as np
import pytest
import tensorflow as tf
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skfasttext import (
    FastTextClassifier,
    FastTextRegressor,
    TextVectorizer,
    build_model,
    make_age_corpus,
)
from skfasttext._batching import STEPS_PER_CALL, BatchPlan, replica_dataset, stack_dataset
from skfasttext._corpus import InMemoryCorpus
from skfasttext._optimizer import FastTextOptimizer
from skfasttext._targets import class_weights
from skfasttext._training import Trainer
from skfasttext.model import flat_model

# Followed words of older and younger users, as in the source article ("皱纹": wrinkles).
OLD = ["皱纹 眼霜 养生", "养生 太极 皱纹", "太极 报纸 眼霜", "报纸 养生", "皱纹 报纸 太极 养生"]
YOUNG = ["游戏 动漫 考试", "动漫 游戏 游戏", "考试 动漫 球鞋", "球鞋 游戏", "动漫 球鞋 考试 游戏"]
MID = ["房贷 孩子 加班", "加班 房贷", "孩子 学区 房贷", "学区 加班 孩子"]
DOCS = (OLD + YOUNG) * 4
LABELS = np.array((["old"] * 5 + ["young"] * 5) * 4)
AGES = np.array(([65.0] * 5 + [18.0] * 5) * 4)
DOCS3 = (OLD + YOUNG + MID) * 3
LABELS3 = np.array(([70] * 5 + [20] * 5 + [40] * 4) * 3)
UNSEEN = ["", "   ", "火星 文字", "完全 没有 见过 的 词"]

# tiny and fast: every fit here takes well under a second on one CPU. eos=False: pure
# masked pooling, whose invariants (repetition, empty documents) these tests check; the
# default eos=True is tested in test_eos_* here and in the other modules
# unigrams: the tests count ids and read word vectors one word a row
FAST = dict(dim=8, epoch=10, lr=0.5, eos=False, word_ngrams=1, random_state=0)
FAST_REG = dict(dim=8, epoch=10, lr=0.1, eos=False, word_ngrams=1, random_state=0)


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.fixture(scope="module", params=["mean", "max"])
def clf(request):
    return FastTextClassifier(pooling=request.param, **FAST).fit(DOCS, LABELS)


@pytest.fixture(scope="module")
def clf3():
    return FastTextClassifier(**FAST).fit(DOCS3, LABELS3)


@pytest.fixture(scope="module")
def reg():
    return FastTextRegressor(**FAST_REG).fit(DOCS, AGES)


@pytest.fixture(scope="module")
def age_data():
    docs, ages = make_age_corpus(600, random_state=0)
    test_docs, test_ages = make_age_corpus(300, random_state=1)
    return docs, ages, test_docs, test_ages


# -- the source article's checks: padding never changes a prediction ----------------


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_repeated_word_same_prediction(pooling):
    clf = FastTextClassifier(pooling=pooling, **FAST).fit(DOCS, LABELS)
    proba = clf.predict_proba(["皱纹", "皱纹 皱纹 皱纹 皱纹", "皱纹 游戏 动漫 球鞋"])
    assert np.allclose(proba[0], proba[1])
    assert not np.allclose(proba[0], proba[2])  # the check can tell documents apart
    # a whole document said twice pools to the same vector, and keeps its class
    proba = clf.predict_proba(["皱纹 眼霜 养生", "皱纹 眼霜 养生 皱纹 眼霜 养生"])
    assert np.allclose(proba[0], proba[1])
    assert proba[0, 0] > 0.5


def test_repeated_word_same_regression(reg):
    pred = reg.predict(["皱纹", "皱纹 皱纹 皱纹 皱纹", "游戏"])
    assert np.isclose(pred[0], pred[1])
    assert pred[0] > pred[2]


def test_extra_padding_columns_change_nothing(clf):
    docs = DOCS[:10] + UNSEEN
    ids = clf.vectorizer_.transform(docs)
    wide = np.hstack([ids, np.zeros((len(docs), 9), dtype=ids.dtype)])
    expected = clf.predict_proba(docs)
    _close(clf.predict_proba(ids), expected)
    _close(clf.predict_proba(wide), expected)
    _close(clf.predict_proba(wide.astype(np.int64)), expected)
    _close(clf.transform(wide), clf.transform(docs))
    _close(clf.predict_proba([doc.split() for doc in docs]), expected)


def test_prediction_does_not_depend_on_the_batch(clf):
    docs = DOCS[:10] + UNSEEN
    together = clf.predict_proba(docs)
    alone = np.vstack([clf.predict_proba([doc]) for doc in docs])
    _close(alone, together)


@pytest.mark.parametrize("pooling", ["mean", "max"])
def test_max_len_longer_than_documents_changes_nothing(pooling):
    short = FastTextClassifier(pooling=pooling, **FAST).fit(DOCS, LABELS)
    padded = FastTextClassifier(pooling=pooling, max_len=50, **FAST).fit(DOCS, LABELS)
    _close(padded.predict_proba(DOCS + UNSEEN), short.predict_proba(DOCS + UNSEEN))


def test_max_len_truncates_documents():
    clf = FastTextClassifier(max_len=1, **FAST).fit(DOCS, LABELS)
    _close(clf.predict_proba(["皱纹 游戏 游戏 游戏"]), clf.predict_proba(["皱纹"]))
    ids = clf.vectorizer_.transform(["皱纹 游戏"])
    assert ids.shape == (1, 1)


# -- empty and unknown documents ---------------------------------------------------


def test_empty_and_unknown_documents_classifier(clf):
    proba = clf.predict_proba(UNSEEN)
    assert proba.shape == (len(UNSEEN), 2)
    assert np.isfinite(proba).all()
    _close(proba.sum(axis=1), np.ones(len(UNSEEN)))
    assert set(clf.predict(UNSEEN)) <= set(clf.classes_)
    embeddings = clf.transform(UNSEEN)
    assert np.isfinite(embeddings).all()
    np.testing.assert_array_equal(embeddings[:2], 0.0)  # no token at all: zero vector
    # unknown words all share the unknown id: same vector, same prediction
    _close(embeddings[2], embeddings[3])
    _close(embeddings[2], clf.get_word_vectors()[1][0])


def test_empty_and_unknown_documents_regressor(reg):
    pred = reg.predict(UNSEEN)
    assert pred.shape == (len(UNSEEN),)
    assert np.isfinite(pred).all()
    assert np.isfinite(reg.transform(UNSEEN)).all()


def test_all_empty_id_matrix():
    clf = FastTextClassifier(**FAST).fit(DOCS, LABELS)
    ids = clf.vectorizer_.transform(["", ""])
    assert ids.shape == (2, 0)
    proba = clf.predict_proba(ids)
    assert np.isfinite(proba).all()
    _close(proba, clf.predict_proba(["", ""]))


# -- labels, shapes, attributes ----------------------------------------------------


def test_binary_string_labels(clf):
    np.testing.assert_array_equal(clf.classes_, ["old", "young"])
    proba = clf.predict_proba(DOCS)
    assert proba.shape == (len(DOCS), 2)
    assert proba.dtype == np.float64
    _close(proba.sum(axis=1), np.ones(len(DOCS)))
    assert (proba >= 0).all()
    pred = clf.predict(DOCS)
    assert pred.dtype.kind == "U"
    np.testing.assert_array_equal(pred, LABELS)
    np.testing.assert_array_equal(pred, clf.classes_[proba.argmax(axis=1)])
    assert clf.score(DOCS, LABELS) == 1.0


def test_multiclass_int_labels(clf3):
    np.testing.assert_array_equal(clf3.classes_, [20, 40, 70])
    proba = clf3.predict_proba(DOCS3)
    assert proba.shape == (len(DOCS3), 3)
    _close(proba.sum(axis=1), np.ones(len(DOCS3)))
    pred = clf3.predict(DOCS3)
    assert pred.dtype.kind == "i"
    np.testing.assert_array_equal(pred, LABELS3)
    assert clf3.model_.output_shape == (None, 3)


@pytest.mark.parametrize(
    "labels",
    [
        [0, 1],
        [-1, 1],
        [True, False],
        ["spam", "ham"],
        [3.0, 7.0],
    ],
)
def test_binary_label_kinds(labels):
    y = np.array([labels[0] if label == "old" else labels[1] for label in LABELS])
    clf = FastTextClassifier(dim=4, epoch=5, lr=0.5, random_state=0).fit(DOCS, y)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    assert clf.model_.output_shape == (None, 1)  # one sigmoid unit for two classes
    pred = clf.predict(DOCS)
    assert pred.dtype == clf.classes_.dtype
    np.testing.assert_array_equal(pred, y)


def test_transform_is_the_pooled_word_vectors():
    clf = FastTextClassifier(**FAST).fit(DOCS, LABELS)
    emb = clf.transform(DOCS)
    assert emb.shape == (len(DOCS), 8)
    vocab = clf.vectorizer_.vocabulary_
    # sqrtn pooling: a document vector is the sum of its word vectors over the root of their number
    for doc, row in zip(DOCS[:10], emb[:10], strict=True):
        expected = clf.embedding_[[vocab[w] for w in doc.split()]].sum(axis=0)
        expected /= np.sqrt(len(doc.split()))
        np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-6)


def test_word_vectors_and_embedding(clf):
    words, vectors = clf.get_word_vectors()
    vocab = clf.vectorizer_.vocabulary_
    assert words[0] == "<unk>"
    assert list(words[1:]) == sorted(vocab, key=vocab.get)
    assert vectors.shape == (len(vocab) + 1, 8)
    assert clf.embedding_.shape == (clf.input_dim_, 8)
    assert clf.input_dim_ == clf.vectorizer_.input_dim_ == len(vocab) + 2
    np.testing.assert_array_equal(vectors[1 + vocab["皱纹"] - 2], clf.embedding_[vocab["皱纹"]])
    # one word's document vector is its word vector, whatever the pooling
    _close(clf.transform(["皱纹"])[0], vectors[list(words).index("皱纹")])


def test_history_and_n_iter(clf, reg):
    for est in (clf, reg):
        assert est.n_iter_ == est.epoch == len(est.history_["loss"])
        assert est.history_["loss"][-1] < est.history_["loss"][0]


def test_word_ngrams_grow_the_id_space_by_the_buckets_seen():
    clf = FastTextClassifier(**{**FAST, "word_ngrams": 2, "bucket": 2_000_000}).fit(DOCS, LABELS)
    n_buckets = len(clf.vectorizer_.ngram_buckets_)
    assert 0 < n_buckets < 100  # a row a bigram bucket seen, not 2,000,000
    assert clf.input_dim_ == len(clf.vectorizer_.vocabulary_) + 2 + n_buckets
    assert clf.embedding_.shape[0] == clf.input_dim_
    assert clf.score(DOCS, LABELS) == 1.0
    assert np.isfinite(clf.predict_proba(UNSEEN)).all()


def test_fit_on_an_id_matrix():
    vec = TextVectorizer(eos=False, word_ngrams=1).fit(DOCS)
    ids = vec.transform(DOCS)
    clf = FastTextClassifier(**FAST).fit(ids, LABELS)
    assert clf.vectorizer_ is None
    assert clf.input_dim_ == ids.max() + 1
    direct = FastTextClassifier(**FAST).fit(DOCS, LABELS)
    _close(clf.predict_proba(ids), direct.predict_proba(DOCS))
    # ids never seen in fit read as the unknown word
    big = ids.copy()
    big[:, 0] = np.where(big[:, 0] > 0, 10**6, 0)
    unk = ids.copy()
    unk[:, 0] = np.where(unk[:, 0] > 0, 1, 0)
    _close(clf.predict_proba(big), clf.predict_proba(unk))
    with pytest.raises(TypeError, match="fitted on an id matrix"):
        clf.predict(DOCS)
    with pytest.raises(AttributeError, match="fitted on ids"):
        clf.get_word_vectors()


# -- learning on the age corpus ----------------------------------------------------


def _age_group(ages):
    return np.where(ages < 28, "young", np.where(ages < 36, "middle", "older"))


def test_classifier_beats_majority_class(age_data):
    docs, ages, test_docs, test_ages = age_data
    clf = FastTextClassifier(dim=8, epoch=10, lr=0.3, random_state=0)
    clf.fit(docs, _age_group(ages))
    y_test = _age_group(test_ages)
    majority = max(np.mean(y_test == c) for c in clf.classes_)
    assert clf.score(test_docs, y_test) > majority + 0.1


def test_regressor_large_scale_targets_beat_median(age_data):
    docs, ages, test_docs, test_ages = age_data
    years = 1880.0 + 2 * (ages - 12)  # 1880 to 2016: a large offset and scale
    test_years = 1880.0 + 2 * (test_ages - 12)
    reg = FastTextRegressor(dim=8, epoch=10, lr=0.1, random_state=0).fit(docs, years)
    assert reg.target_mean_ == pytest.approx(years.mean())
    assert reg.target_scale_ == pytest.approx(years.std())
    pred = reg.predict(test_docs)
    mae = np.mean(np.abs(pred - test_years))
    baseline = np.mean(np.abs(np.median(years) - test_years))
    assert mae < 0.9 * baseline
    assert abs(pred.mean() - test_years.mean()) < test_years.std()


def test_regressor_constant_target():
    reg = FastTextRegressor(**FAST_REG).fit(DOCS, np.full(len(DOCS), 1950.0))
    assert reg.target_scale_ == 1.0
    _close(reg.predict(DOCS + UNSEEN), np.full(len(DOCS + UNSEEN), 1950.0))


# -- weights -------------------------------------------------------------------------

# imbalanced: three "old" documents for each "young" one
IMB_DOCS = OLD * 6 + YOUNG * 2
IMB_LABELS = np.array(["old"] * 30 + ["young"] * 10)
WEIGHT_PARAMS = dict(dim=8, epoch=5, lr=0.1, random_state=0)


@pytest.fixture(scope="module")
def unweighted():
    return FastTextClassifier(**WEIGHT_PARAMS).fit(IMB_DOCS, IMB_LABELS)


def test_unit_weights_change_nothing(unweighted):
    expected = unweighted.predict_proba(IMB_DOCS)
    ones = FastTextClassifier(**WEIGHT_PARAMS).fit(
        IMB_DOCS, IMB_LABELS, sample_weight=np.ones(len(IMB_DOCS))
    )
    _close(ones.predict_proba(IMB_DOCS), expected)
    even = FastTextClassifier(class_weight={"old": 1.0, "young": 1.0}, **WEIGHT_PARAMS)
    _close(even.fit(IMB_DOCS, IMB_LABELS).predict_proba(IMB_DOCS), expected)


@pytest.mark.parametrize("class_weight", ["balanced", "balanced_sqrt", {"old": 1, "young": 3}])
def test_class_weight_favours_the_minority(unweighted, class_weight):
    clf = FastTextClassifier(class_weight=class_weight, **WEIGHT_PARAMS)
    proba = clf.fit(IMB_DOCS, IMB_LABELS).predict_proba(IMB_DOCS)
    before = unweighted.predict_proba(IMB_DOCS)
    assert np.abs(proba - before).max() > 1e-3
    assert proba[:, 1].mean() > before[:, 1].mean()


def test_sample_weight_changes_the_model(unweighted):
    weight = np.where(IMB_LABELS == "young", 3.0, 1.0)
    clf = FastTextClassifier(**WEIGHT_PARAMS).fit(IMB_DOCS, IMB_LABELS, sample_weight=weight)
    proba = clf.predict_proba(IMB_DOCS)
    assert proba[:, 1].mean() > unweighted.predict_proba(IMB_DOCS)[:, 1].mean()
    # sample_weight and class_weight of the same size make the same model
    same = FastTextClassifier(class_weight={"old": 1.0, "young": 3.0}, **WEIGHT_PARAMS)
    _close(same.fit(IMB_DOCS, IMB_LABELS).predict_proba(IMB_DOCS), proba)


@pytest.mark.parametrize("how", ["sample_weight", "class_weight"])
def test_zero_weight_on_a_class_reduces_its_predictions(unweighted, how):
    if how == "sample_weight":
        clf = FastTextClassifier(**WEIGHT_PARAMS)
        clf.fit(IMB_DOCS, IMB_LABELS, sample_weight=(IMB_LABELS == "old").astype(float))
    else:
        clf = FastTextClassifier(class_weight={"old": 1.0, "young": 0.0}, **WEIGHT_PARAMS)
        clf.fit(IMB_DOCS, IMB_LABELS)
    young = IMB_LABELS == "young"
    proba = clf.predict_proba(IMB_DOCS)[:, 1]
    before = unweighted.predict_proba(IMB_DOCS)[:, 1]
    assert (proba[young] < before[young]).all()
    assert proba.max() < 0.5  # never trained towards "young"


def test_regressor_sample_weight():
    weight = np.where(AGES > 50, 0.0, 1.0)
    reg = FastTextRegressor(**FAST_REG).fit(DOCS, AGES, sample_weight=weight)
    assert reg.target_mean_ == pytest.approx(18.0)
    unweighted = FastTextRegressor(**FAST_REG).fit(DOCS, AGES)
    old = AGES > 50
    assert (reg.predict(DOCS)[old] < unweighted.predict(DOCS)[old]).all()


def test_balanced_sqrt_weights():
    classes = np.array(["a", "b", "c"])
    y = np.array([0] * 16 + [1] * 4 + [2] * 1)
    weight = class_weights("balanced_sqrt", classes, y)
    np.testing.assert_allclose(weight[0] / weight[1], np.sqrt(4 / 16))
    np.testing.assert_allclose(weight[1] / weight[2], np.sqrt(1 / 4))
    assert weight[y].mean() == pytest.approx(1.0)  # the mean document weight stays 1
    balanced = class_weights("balanced", classes, y)
    np.testing.assert_allclose(balanced, len(y) / (3 * np.array([16, 4, 1])))
    np.testing.assert_allclose(class_weights({"a": 2.0}, classes, y), [2.0, 1.0, 1.0])


# -- scikit-learn integration --------------------------------------------------------


def test_pipeline_matches_the_estimator_alone():
    """At their defaults (eos=True, word_ngrams=2 for both), a vectorizer and an estimator
    in a Pipeline train the estimator's own model."""
    params = {name: value for name, value in FAST.items() if name not in ("eos", "word_ngrams")}
    pipe = make_pipeline(TextVectorizer(), FastTextClassifier(**params)).fit(DOCS, LABELS)
    alone = FastTextClassifier(**params).fit(DOCS, LABELS)
    _close(pipe.predict_proba(DOCS + UNSEEN), alone.predict_proba(DOCS + UNSEEN))
    np.testing.assert_array_equal(pipe.predict(DOCS), LABELS)
    np.testing.assert_array_equal(pipe.classes_, ["old", "young"])


def test_grid_search_over_pipeline():
    pipe = make_pipeline(TextVectorizer(), FastTextClassifier(epoch=2, lr=0.5, random_state=0))
    grid = {
        "textvectorizer__min_count": [1, 2],
        "fasttextclassifier__pooling": ["mean", "max"],
        "fasttextclassifier__dim": [4, 8],
    }
    search = GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(DOCS, LABELS)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    for name, values in grid.items():
        assert search.best_params_[name] in values
    best = search.best_estimator_
    assert (
        best.named_steps["fasttextclassifier"].dim == search.best_params_["fasttextclassifier__dim"]
    )
    assert best.predict(UNSEEN).shape == (len(UNSEEN),)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_clone(Estimator):
    est = Estimator(**FAST).fit(DOCS, LABELS if Estimator is FastTextClassifier else AGES)
    before = est.predict(DOCS)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "model_")
    with pytest.raises(NotFittedError):
        copy.predict(DOCS)
    np.testing.assert_array_equal(est.predict(DOCS), before)


def _dump_pickle(est, tmp_path):
    return pickle.loads(pickle.dumps(est))


def _dump_joblib(est, tmp_path):
    path = tmp_path / "est.joblib"
    joblib.dump(est, path)
    return joblib.load(path)


@pytest.mark.parametrize("dump", [_dump_pickle, _dump_joblib], ids=["pickle", "joblib"])
def test_persistence_classifier(clf, dump, tmp_path):
    restored = dump(clf, tmp_path)
    assert restored.get_params() == clf.get_params()
    np.testing.assert_array_equal(restored.classes_, clf.classes_)
    _close(restored.predict_proba(DOCS + UNSEEN), clf.predict_proba(DOCS + UNSEEN))
    _close(restored.transform(DOCS), clf.transform(DOCS))
    np.testing.assert_array_equal(restored.embedding_, clf.embedding_)
    # a restored estimator pickles again and can be refitted
    again = dump(restored, tmp_path)
    _close(again.predict_proba(DOCS), clf.predict_proba(DOCS))
    assert again.fit(DOCS3, LABELS3).predict_proba(DOCS3).shape == (len(DOCS3), 3)


@pytest.mark.parametrize("dump", [_dump_pickle, _dump_joblib], ids=["pickle", "joblib"])
def test_persistence_regressor(reg, dump, tmp_path):
    restored = dump(reg, tmp_path)
    _close(restored.predict(DOCS + UNSEEN), reg.predict(DOCS + UNSEEN))
    assert (restored.target_mean_, restored.target_scale_) == (reg.target_mean_, reg.target_scale_)


def test_persistence_with_every_layer(tmp_path):
    clf = FastTextClassifier(
        pooling="lp", p=3.0, hidden_units=4, token_dropout=0.3, **{**FAST, "lr": 0.1}
    ).fit(DOCS3, LABELS3)
    for dump in (_dump_pickle, _dump_joblib):
        _close(dump(clf, tmp_path).predict_proba(DOCS3), clf.predict_proba(DOCS3))


def test_persistence_unfitted():
    est = FastTextClassifier(dim=3, pooling="max", class_weight={"a": 2})
    restored = pickle.loads(pickle.dumps(est))
    assert restored.get_params() == est.get_params()
    with pytest.raises(NotFittedError):
        restored.predict(DOCS)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_same_random_state_same_model(Estimator):
    y = LABELS3 if Estimator is FastTextClassifier else LABELS3.astype(float)
    params = dict(dim=8, epoch=3, lr=0.1, hidden_units=4, token_dropout=0.3, batch_size=8)

    def predictions(random_state):
        est = Estimator(random_state=random_state, **params).fit(DOCS3, y)
        if Estimator is FastTextClassifier:
            return est.predict_proba(DOCS3 + UNSEEN)
        return est.predict(DOCS3 + UNSEEN)

    first = predictions(0)
    np.testing.assert_allclose(predictions(0), first, rtol=1e-6, atol=1e-8)
    assert np.abs(predictions(1) - first).max() > 1e-4


# -- bad input -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[FastTextClassifier, FastTextRegressor])
def fitted(request):
    y = LABELS if request.param is FastTextClassifier else AGES
    return request.param(dim=4, epoch=1, random_state=0).fit(DOCS, y)


def _y(Estimator, n=None):
    return (LABELS if Estimator is FastTextClassifier else AGES)[:n]


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
@pytest.mark.parametrize("X", ["皱纹 游戏", b"abc"])
def test_fit_single_string(Estimator, X):
    with pytest.raises(ValueError, match="single string"):
        Estimator(dim=4, epoch=1).fit(X, _y(Estimator, 2))


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
@pytest.mark.parametrize(
    "X, error, match",
    [
        (None, TypeError, "got NoneType"),
        (list(range(40)), TypeError, "Document 0 is of type int"),
        (DOCS[:39] + [None], TypeError, "Document 39 is of type NoneType"),
        (DOCS[:20] + [d.split() for d in DOCS[20:]], TypeError, "mix strings and lists"),
        (np.zeros((40, 3)), ValueError, "1-d collection of documents"),
        ([], ValueError, "Found 0 documents"),
        (np.zeros((0, 3), dtype=int), ValueError, "Found 0 documents"),
        (np.full((40, 3), -1), ValueError, "non-negative"),
    ],
)
def test_fit_bad_documents(Estimator, X, error, match):
    n = 0 if hasattr(X, "__len__") and len(X) == 0 else len(DOCS)
    with pytest.raises(error, match=match):
        Estimator(dim=4, epoch=1).fit(X, _y(Estimator, n))


@pytest.mark.parametrize(
    "X, error, match",
    [
        ("皱纹 游戏", ValueError, "single string"),
        (None, TypeError, "got NoneType"),
        ([1, 2], TypeError, "Document 0 is of type int"),
        (["a", ["b"]], TypeError, "mix strings and lists"),
        ([], ValueError, "Found 0 documents"),
        (np.zeros((0, 3), dtype=int), ValueError, "Found 0 documents"),
        (np.array([[2, -1]]), ValueError, "non-negative"),
        (np.zeros((2, 3)), ValueError, "1-d collection of documents"),
    ],
)
@pytest.mark.parametrize("method", ["predict", "transform"])
def test_predict_bad_documents(fitted, X, error, match, method):
    with pytest.raises(error, match=match):
        getattr(fitted, method)(X)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_length_mismatch(Estimator):
    with pytest.raises(ValueError, match="X holds 40 documents but y holds 39 targets"):
        Estimator(dim=4, epoch=1).fit(DOCS, _y(Estimator, len(DOCS) - 1))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(40,\)"):
        Estimator(dim=4, epoch=1).fit(DOCS, _y(Estimator), sample_weight=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
@pytest.mark.parametrize(
    "bad, match",
    [
        (-1.0, "Negative values in data passed to `sample_weight`"),
        (np.nan, "sample_weight contains NaN"),
        (np.inf, "sample_weight contains infinity"),
    ],
)
def test_bad_sample_weight(Estimator, bad, match):
    weight = np.ones(len(DOCS))
    weight[3] = bad
    with pytest.raises(ValueError, match=match):
        Estimator(dim=4, epoch=1).fit(DOCS, _y(Estimator), sample_weight=weight)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_zero_sample_weight(Estimator):
    with pytest.raises(ValueError, match="non-zero"):
        Estimator(dim=4, epoch=1).fit(DOCS, _y(Estimator), sample_weight=np.zeros(len(DOCS)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_regressor_non_finite_targets(bad):
    y = AGES.copy()
    y[7] = bad
    with pytest.raises(ValueError, match="1 NaN or infinite value.*index 7"):
        FastTextRegressor(dim=4, epoch=1).fit(DOCS, y)


def test_regressor_non_numeric_targets():
    with pytest.raises(ValueError, match="numeric targets"):
        FastTextRegressor(dim=4, epoch=1).fit(DOCS, LABELS)


@pytest.mark.parametrize(
    "y, match",
    [
        (AGES + 0.5, "Unknown label type"),
        (np.stack([AGES, AGES], axis=1), "2-d y must be a 0/1 indicator matrix"),
        (np.array(["old"] * len(DOCS)), "at least 2 classes"),
    ],
)
def test_classifier_bad_labels(y, match):
    with pytest.raises(ValueError, match=match):
        FastTextClassifier(dim=4, epoch=1).fit(DOCS, y)


def test_class_weight_unknown_class():
    with pytest.raises(ValueError, match=r"class_weight names classes not in y: \['adult'\]"):
        FastTextClassifier(dim=4, epoch=1, class_weight={"adult": 2.0}).fit(DOCS, LABELS)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_empty_vocabulary(Estimator):
    with pytest.raises(ValueError, match="Empty vocabulary.*min_count=1000"):
        Estimator(dim=4, epoch=1, min_count=1000).fit(DOCS, _y(Estimator))


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_not_fitted(Estimator):
    est = Estimator()
    methods = ["predict", "transform"] + (
        ["predict_proba"] if Estimator is FastTextClassifier else []
    )
    for method in methods:
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(est, method)(DOCS)
    with pytest.raises(NotFittedError):
        est.get_word_vectors()
    with pytest.raises(NotFittedError):
        est.embedding_  # noqa: B018
    with pytest.raises(NotFittedError):
        est.score(DOCS, _y(Estimator))


INVALID_PARAMS = [
    ("dim", 0),
    ("dim", 2.5),
    ("lr", 0.0),
    ("lr", -0.1),
    ("epoch", 0),
    ("min_count", 0),
    ("word_ngrams", 0),
    ("bucket", 0),
    ("max_len", 0),
    ("pooling", "sum"),
    ("p", 0.5),
    ("hidden_units", -1),
    ("token_dropout", 1.0),
    ("token_dropout", -0.1),
    ("batch_size", 0),
    ("random_state", "seed"),
    ("verbose", "loud"),
]


@pytest.mark.parametrize(
    "Estimator, name, value",
    [
        (Estimator, name, value)
        for Estimator in (FastTextClassifier, FastTextRegressor)
        for name, value in INVALID_PARAMS
    ]
    + [
        (FastTextClassifier, "class_weight", "auto"),
        (FastTextClassifier, "class_weight", [1, 2]),
        (FastTextRegressor, "loss", "mae"),
    ],
)
def test_invalid_parameters(Estimator, name, value):
    est = Estimator(**{name: value})  # init never validates
    assert est.get_params()[name] is value
    with pytest.raises(
        InvalidParameterError, match=rf"The '{name}' parameter of {Estimator.__name__} must be"
    ):
        est.fit(DOCS, _y(Estimator))


def test_diverging_training_stops_with_a_clear_error():
    # linear model: no tanh layer to bound the outputs, so lr=1e6 overflows
    reg = FastTextRegressor(
        dim=8, epoch=5, lr=1e6, loss="squared_error", hidden_units=0, random_state=0
    )
    with pytest.raises(FloatingPointError, match=r"diverged in epoch \d.*Lower lr"):
        reg.fit(DOCS, AGES)
    # the weights of the last good epoch are kept: finite
    assert all(np.isfinite(w).all() for w in reg.model_.get_weights())


def test_documents_from_a_generator():
    reg = FastTextRegressor(**FAST_REG).fit((doc for doc in DOCS), AGES)
    _close(reg.predict(doc for doc in DOCS[:10]), reg.predict(DOCS[:10]))
    _close(reg.predict(DOCS), FastTextRegressor(**FAST_REG).fit(DOCS, AGES).predict(DOCS))


def test_eos_is_passed_to_the_vectorizer_and_keeps_predictions_finite():
    clf = FastTextClassifier(eos=True, dim=8, epoch=3, random_state=0).fit(DOCS, AGES)
    assert clf.vectorizer_.eos and "</s>" in clf.vectorizer_.vocabulary_
    proba = clf.predict_proba(["", DOCS[0]])
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    # an empty document pools to the </s> vector, not to zeros
    assert np.abs(clf.transform([""])).sum() > 0


def test_batches_of_any_width_after_full_width_ones():
    """Keras's PyDataset fixed the width of its first batches; a narrower one then failed."""
    long_docs = [" ".join(f"w{i}" for i in range(30))] * 64  # two batches cut at max_len
    short_docs = ["w1 w2", "w3"] * 16
    clf = FastTextClassifier(dim=4, epoch=2, max_len=20, batch_size=32, random_state=0)
    clf.fit(long_docs + short_docs, [0, 1] * 32 + [1, 0] * 16)
    assert np.isfinite(clf.predict_proba(short_docs + long_docs)).all()


class _FrozenTrainer(Trainer):
    """A training engine with steps of its own: a head that never moves, and a record."""

    epochs_seen = []

    def optimizer(self, model, steps_per_epoch, n_documents):
        tables = [model.get_layer("embedding").embeddings.path]
        return FastTextOptimizer(1.0, tables=tables, head_learning_rate=0.0)

    def run_epoch(self, model, plan, call, callbacks):
        logs = super().run_epoch(model, plan, call, callbacks)
        self.epochs_seen.append(logs["loss"])
        return logs


class _FrozenClassifier(FastTextClassifier):
    _trainer_class = _FrozenTrainer


def test_a_trainer_step_can_be_replaced():
    """An estimator whose Trainer overrides two steps trains with them: its output layer
    (zeros at the start) never moves, so every probability stays 0.5."""
    clf = _FrozenClassifier(**FAST).fit(DOCS, LABELS)
    np.testing.assert_array_equal(clf.predict_proba(DOCS), 0.5)
    assert _FrozenTrainer.epochs_seen == clf.history_["loss"]
    assert len(clf.history_["loss"]) == FAST["epoch"]
    trained = FastTextClassifier(**FAST).fit(DOCS, LABELS)
    assert trained.history_["loss"][-1] < clf.history_["loss"][-1]


@pytest.mark.parametrize(
    "n, classes, batch_size, units",
    [(3_000, 69, 32, 1), (40_960, 3, 40, 3), (300_000, 69, 256, 69)],
)
def test_auto_batch_size_and_head_rate_grow_with_the_corpus(
    monkeypatch, n, classes, batch_size, units
):
    """'auto': n // 1024 documents within [32, 256]; the head's rate 0.1/sqrt(k), k <= n/4096."""
    rates = []
    original = FastTextOptimizer.__init__

    def record(self, *args, head_learning_rate, **kwargs):
        rates.append(head_learning_rate)
        original(self, *args, head_learning_rate=head_learning_rate, **kwargs)

    monkeypatch.setattr(FastTextOptimizer, "__init__", record)
    rng = np.random.default_rng(0)
    ids = rng.integers(2, 50, size=(n, 2))
    clf = FastTextClassifier(dim=2, epoch=1, random_state=0).fit(ids, rng.integers(classes, size=n))
    assert clf.batch_size_ == batch_size
    assert rates == [pytest.approx(0.1 / np.sqrt(units))]


def _documents_of(ids, segment_ids, weight):
    """The id lists of the real documents of one flat batch."""
    return [tuple(ids[(segment_ids == k) & (ids > 0)]) for k in np.flatnonzero(weight)]


def _batches_of(stacks):
    """The flat batches ``(ids, segment_ids, y, weight)`` of a dataset of stacks, as numpy."""
    for rows, *stack in stacks:
        for row in range(int(rows)):
            yield tuple(x[row].numpy() for x in stack)


def test_flat_batches_hold_every_document_once_and_padding_weighs_nothing():
    """Batches of batch_size documents end to end, padded to a fixed number of tokens."""
    lengths = np.array([3, 9, 1, 0, 2, 4] * 40 + [200])
    values = np.arange(1, 1 + lengths.sum(), dtype=np.int32)
    y = np.arange(1, len(lengths) + 1, dtype=np.int32)
    weight = y.astype(np.float32)
    batches = BatchPlan(InMemoryCorpus((values, lengths)), 3, targets=(y, weight), seed=0)
    starts = np.cumsum(lengths) - lengths
    expected = {
        int(k): tuple(values[s : s + n]) for k, s, n in zip(y, starts, lengths, strict=True)
    }
    seen, stacks = {}, list(stack_dataset(batches, 2))
    assert sum(int(rows) for rows, *_ in stacks) == 2 * len(batches)
    for rows, ids, segment_ids, y_stack, w_stack in stacks:
        assert ids.shape == segment_ids.shape and y_stack.shape == w_stack.shape
        assert ids.shape[0] == y_stack.shape[0] == STEPS_PER_CALL
        assert not ids.numpy()[int(rows) :].any() and not w_stack.numpy()[int(rows) :].any()
    widths = set()
    for ids, segment_ids, y_batch, w_batch in _batches_of(stacks):
        widths.add(ids.shape[0])
        assert ids.shape == segment_ids.shape and y_batch.shape == (3,)
        real = w_batch > 0
        assert (y_batch[~real] == 0).all()
        for label, doc in zip(y_batch[real], _documents_of(ids, segment_ids, w_batch), strict=True):
            seen[int(label)] = seen.get(int(label), ()) + (doc,)
    # every document twice (two epochs), with its own ids
    assert seen == {k: (doc, doc) for k, doc in expected.items()}
    # a batch's mean (12 tokens) plus the longest document, at least 64
    assert batches.tokens == -(-(lengths.sum() / len(batches) + 200) // 64) * 64
    assert widths == {batches.tokens}


def test_flat_batches_of_a_later_longer_chunk_take_a_wider_shape():
    """A chunk with longer documents than the first: its batches get twice the room or more."""

    class Chunks:
        sizes = [6, 6]

        def chunks(self):
            for length in (2, 50):
                lengths = np.full(6, length)
                yield np.arange(1, 1 + lengths.sum(), dtype=np.int32), lengths

    weight = np.ones(12, dtype=np.float32)
    batches = BatchPlan(Chunks(), 3, targets=(weight,), seed=0)
    widths = [ids.shape[1] for _, ids, *_ in stack_dataset(batches, 1)]
    assert batches.tokens == 64 and widths == [64, 256]


def test_one_very_long_document_does_not_pad_every_batch():
    """Padding every batch to hold one long document would cost more than a compile: not done."""
    lengths = np.array([40] * 5000 + [100_000])
    values = np.ones(lengths.sum(), dtype=np.int32)
    batches = BatchPlan(
        InMemoryCorpus((values, lengths)), 32, targets=(np.ones(5001, np.float32),), seed=0
    )
    widths = [ids.shape[1] for _, ids, *_ in stack_dataset(batches, 5)]
    # a batch's mean tokens plus the next longest document (40 tokens); the long document's
    # batch, one stack of one an epoch, takes 2**6 times that
    mean = lengths.sum() / len(batches)
    assert batches.tokens == -(-(mean + 40) // 64) * 64
    assert widths.count(batches.tokens) == len(widths) - 5
    assert max(widths) == 64 * batches.tokens >= 100_000 + 31 * 40
    # a 3,000-token document: in one epoch, holding it costs less than a compile; in 100, more
    lengths[-1] = 3000
    mean = lengths.sum() / len(batches)
    for epochs, room, wider in ((1, mean + 3000, set()), (100, mean + 40, {4})):
        batches = BatchPlan(InMemoryCorpus((values[: lengths.sum()], lengths)), 32, seed=0)
        widths = {ids.shape[1] for _, ids, *_ in stack_dataset(batches, epochs)}
        assert batches.tokens == -(-room // 64) * 64
        assert widths == {batches.tokens} | {k * batches.tokens for k in wider}


def test_the_room_leaves_out_the_longest_documents_where_that_costs_less():
    """Ten documents of 2,000 tokens among 40-token ones: their batches take a wider room."""
    lengths = np.array([40] * 20_000 + [2000] * 10)
    values = np.ones(lengths.sum(), dtype=np.int32)
    for epochs, wide in ((1, True), (25, False)):
        batches = BatchPlan(InMemoryCorpus((values, lengths)), 32, seed=0)
        stacks = list(stack_dataset(batches, epochs))
        mean = lengths.sum() / len(batches)
        assert batches.tokens == -(-(mean + (2000 if wide else 40)) // 64) * 64
        rows = {}
        for n, ids, *_ in stacks:
            rows[ids.shape[1]] = rows.get(ids.shape[1], 0) + int(n)
        # every step once; with the narrow room, the batches of the ten (2,000 + 31 * 40 tokens)
        # take four times the room
        assert sum(rows.values()) == epochs * len(batches)
        assert rows == ({batches.tokens: epochs * len(batches)} if wide else {
            batches.tokens: epochs * (len(batches) - 10), 4 * batches.tokens: epochs * 10
        })  # fmt: skip


def test_flat_batches_deal_documents_by_length():
    """Each batch holds one document of each length stratum: about as many tokens each."""
    rng = np.random.default_rng(0)
    lengths = np.minimum(rng.lognormal(3, 1, size=1000).astype(np.int64) + 1, 100)
    values = np.ones(lengths.sum(), dtype=np.int32)
    batches = BatchPlan(
        InMemoryCorpus((values, lengths)), 10, targets=(np.ones(1000, np.float32),), seed=0
    )
    # the room: a batch's mean tokens plus the longest document, so one shape for all
    assert {ids.shape[1] for _, ids, *_ in stack_dataset(batches, 3)} == {batches.tokens}
    assert batches.tokens == -(-(lengths.sum() / len(batches) + 100) // 64) * 64
    for _ in range(3):
        pieces = batches.pieces(lengths, len(batches))
        assert sorted(np.concatenate(pieces)) == list(range(1000))
        tokens = np.array([lengths[piece].sum() for piece in pieces])
        assert tokens.max() <= lengths.sum() / len(pieces) + lengths.max()
        # far tighter than random batches, which spread by about 4 std of a sum of 10
        assert tokens.max() - tokens.min() < lengths.max()
    first, second = (batches.pieces(lengths, len(batches))[0] for _ in range(2))
    assert set(first) != set(second)  # new batches each epoch


def test_flat_batches_cut_into_one_piece_per_replica():
    """4 replicas on 2 workers: each step is 4 pieces of one shape; each worker keeps 2."""
    lengths = np.array([2, 1, 3, 7, 1, 1, 2, 5, 1])
    values = np.arange(1, 1 + lengths.sum(), dtype=np.int32)
    y, weight = np.arange(1, 10, dtype=np.int32), np.ones(9, dtype=np.float32)
    seen = []
    for worker in range(2):
        batches = BatchPlan(
            InMemoryCorpus((values, lengths)), 6, targets=(y, weight), seed=0, replicas=4
        )
        assert batches.documents == 2
        pieces = list(replica_dataset(batches, 1, tf.distribute.InputContext(2, worker, 4)))
        assert len(pieces) == 2 * len(batches)
        for first, second in zip(pieces[::2], pieces[1::2], strict=True):
            assert first[0][0].shape == second[0][0].shape
        seen += [int(k) for (_, _), labels, w in pieces for k in labels.numpy()[w.numpy() > 0]]
    assert sorted(seen) == list(range(1, 10))  # the two workers together: every document once


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_flat_model_trains_as_the_padded_model(pooling):
    """The flat training model gives the padded model's loss and gradients."""
    model = build_model(input_dim=20, dim=6, n_outputs=3, pooling=pooling, hidden_units=4, seed=0)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])
    flat = flat_model(model, documents=3)
    docs = [[3, 4, 5], [7], [2, 9, 9, 11]]
    padded = np.zeros((3, 6), dtype=np.int32)
    for row, doc in enumerate(docs):
        padded[row, : len(doc)] = doc
    ids = np.array([token for doc in docs for token in doc] + [0, 0], dtype=np.int32)
    segment_ids = np.array([0, 0, 0, 1, 2, 2, 2, 2, 0, 0], dtype=np.int32)
    results = []
    for net, x in ((model, padded), (flat, [ids, segment_ids])):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(net(x, training=True) * np.arange(1, 10).reshape(3, 3))
        gradients = tape.gradient(loss, model.trainable_variables)
        results.append([loss] + [tf.convert_to_tensor(g) for g in gradients])
    for by_padded, by_flat in zip(*results, strict=True):
        np.testing.assert_allclose(by_flat, by_padded, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("pooling", ["mean", "sqrtn", "max"])
def test_flat_model_outside_xla_predicts_as_the_padded_model(pooling):
    """jit_compile=False (prediction's) gives the padded model's outputs, padding and
    an empty document included."""
    model = build_model(input_dim=20, dim=6, n_outputs=3, pooling=pooling, hidden_units=4, seed=0)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])
    padded = np.array([[3, 4, 5, 0], [0, 0, 0, 0], [2, 9, 9, 11]], dtype=np.int32)
    ids = np.array([3, 4, 5, 2, 9, 9, 11, 0, 0], dtype=np.int32)
    segment_ids = np.array([0, 0, 0, 2, 2, 2, 2, 0, 0], dtype=np.int32)
    for last in ("output", "pooling"):
        flat = flat_model(model, documents=3, last=last, jit_compile=False)
        expected = flat_model(model, documents=3, last=last)([ids, segment_ids])
        np.testing.assert_allclose(flat([ids, segment_ids]), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        flat_model(model, documents=3, jit_compile=False)([ids, segment_ids]),
        model(padded),
        rtol=1e-5,
        atol=1e-6,
    )


def test_epoch_auto_takes_more_passes_for_smaller_corpora():
    """epoch='auto' (the default): the passes that see about 50,000 documents, within [5, 25]."""
    from skfasttext._base import auto_epochs

    assert [auto_epochs(n) for n in (1, 100, 2_000, 2_001, 4_000, 9_999, 10_000, 10**6)] == [
        25, 25, 25, 25, 13, 6, 5, 5,
    ]  # fmt: skip
    clf = FastTextClassifier(dim=8, random_state=0).fit(DOCS, LABELS)
    assert clf.epoch == "auto" and clf.epoch_ == 25 == clf.n_iter_ == len(clf.history_["loss"])
    fixed = FastTextClassifier(dim=8, epoch=3, random_state=0).fit(DOCS, LABELS)
    assert fixed.epoch_ == 3 == fixed.n_iter_
    with pytest.raises(ValueError, match="'epoch' parameter"):
        FastTextClassifier(epoch="many").fit(DOCS, LABELS)
