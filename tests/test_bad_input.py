"""Bad-input matrix: every public entry point against wrong types, shapes, values and params.

Each case asserts the exact behaviour: an error type with a message naming the
problem, or a documented result (finite, in the right shape). See docs/bad_input.md.
"""

import io
import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.utils._param_validation import InvalidParameterError

from skfasttext import FastTextClassifier, FastTextRegressor, TextVectorizer, make_age_corpus
from skfasttext.__main__ import main
from skfasttext.io import read_fasttext, write_fasttext

N = 50
DOCS = [f"w{i % 7} w{(i * 3) % 5} tok{i % 4}" for i in range(N)]
LABELS = np.array(["a", "b"] * (N // 2))
TARGETS = np.arange(N, dtype=np.float64)
SMALL = {"dim": 4, "epoch": 1, "random_state": 0}


@pytest.fixture(scope="module")
def fitted():
    """Tiny fitted models shared by the whole module."""
    vec = TextVectorizer().fit(DOCS)
    ids = vec.transform(DOCS)
    return {
        "vec": vec,
        "ids": ids,
        "clf": FastTextClassifier(**SMALL).fit(DOCS, LABELS),
        "reg": FastTextRegressor(**SMALL).fit(DOCS, TARGETS),
        "clf_ids": FastTextClassifier(**SMALL).fit(ids, LABELS),
    }


# -- entry points taking documents (X) ----------------------------------------------

ENTRY = {
    "TextVectorizer.fit": lambda m, X: TextVectorizer().fit(X),
    "TextVectorizer.transform": lambda m, X: m["vec"].transform(X),
    "FastTextClassifier.fit": lambda m, X: FastTextClassifier(**SMALL).fit(X, LABELS),
    "FastTextClassifier.predict": lambda m, X: m["clf"].predict(X),
    "FastTextClassifier.predict_proba": lambda m, X: m["clf"].predict_proba(X),
    "FastTextClassifier.transform": lambda m, X: m["clf"].transform(X),
    "FastTextRegressor.fit": lambda m, X: FastTextRegressor(**SMALL).fit(X, TARGETS),
    "FastTextRegressor.predict": lambda m, X: m["reg"].predict(X),
    "FastTextRegressor.transform": lambda m, X: m["reg"].transform(X),
}
ESTIMATOR_ENTRY = [name for name in ENTRY if not name.startswith("TextVectorizer")]
ONE_D = "Expected a 1-d collection of documents"

# (case id, X factory, error, match): the same answer from every entry point
BAD_X = [
    ("int", lambda: 5, TypeError, "iterable of documents .* got int"),
    ("float", lambda: 1.5, TypeError, "iterable of documents .* got float"),
    ("dict", lambda: {"a b": 1, "c": 2}, TypeError, "ordered collection of documents, got a dict"),
    ("set", lambda: {"a b", "c"}, TypeError, "ordered collection of documents, got a set"),
    ("object", lambda: object(), TypeError, "iterable of documents .* got object"),
    ("None", lambda: None, TypeError, "iterable of documents .* got NoneType"),
    ("bytes documents", lambda: [b"a b", b"c"], TypeError, "Document 0 is of type bytes"),
    ("int documents", lambda: [1, 2, 3], TypeError, "Document 0 is of type int"),
    ("float documents", lambda: [0.5, 1.5], TypeError, "Document 0 is of type float"),
    ("NaN document", lambda: ["a b", np.nan], TypeError, "Document 1 is of type float"),
    ("None document", lambda: ["a b", None], TypeError, "Document 1 is of type NoneType"),
    (
        "int token",
        lambda: [["a", "b"], ["c", 3]],
        TypeError,
        "Document 1 holds a token of type int",
    ),
    ("mixed kinds", lambda: ["a b", ["c"]], TypeError, "Documents mix strings and lists"),
    ("single str", lambda: "a b c", ValueError, "got a single string. Wrap it in a list"),
    ("single bytes", lambda: b"a b c", ValueError, "got a single string"),
    ("sparse matrix", lambda: sp.csr_matrix(np.ones((3, 2))), TypeError, "scipy sparse matrix"),
    ("0-d array", lambda: np.array("a b"), ValueError, rf"{ONE_D}, got an array of shape \(\)"),
    ("3-d array", lambda: np.zeros((2, 2, 2), dtype=int), ValueError, r"shape \(2, 2, 2\)"),
    ("2-d str array", lambda: np.array([["a", "b"]]), ValueError, rf"{ONE_D}.*\(1, 2\)"),
    ("empty list", lambda: [], ValueError, "Found 0 documents"),
    ("empty array", lambda: np.array([], dtype=object), ValueError, "Found 0 documents"),
    ("empty generator", lambda: (d for d in []), ValueError, "Found 0 documents"),
    (
        "lone surrogate",  # what errors='surrogateescape' leaves of undecodable bytes
        lambda: ["w1 \udcff"] + DOCS[1:],
        ValueError,
        r"A document holds 'w1 \\udcff', which is not valid Unicode",
    ),
    (
        "lone surrogate token",
        lambda: [["w1", "\udcff"]] + [doc.split() for doc in DOCS[1:]],
        ValueError,
        r"A document holds '\\udcff', which is not valid Unicode",
    ),
]


@pytest.mark.parametrize("entry", ENTRY)
@pytest.mark.parametrize(
    "make_X, error, match", [case[1:] for case in BAD_X], ids=[case[0] for case in BAD_X]
)
def test_bad_documents(fitted, entry, make_X, error, match):
    with pytest.raises(error, match=match):
        ENTRY[entry](fitted, make_X())


# id matrices: the estimators read them, TextVectorizer refuses anything 2-d
BAD_IDS = [
    (
        "float ids",
        np.array([[2.0, 3.0]]),
        "or an id matrix of integers, got a 2-d array of dtype float64",
    ),
    (
        "NaN ids",
        np.array([[2.0, np.nan]]),
        "or an id matrix of integers, got a 2-d array of dtype float64",
    ),
    (
        "bool ids",
        np.array([[True, False]]),
        "or an id matrix of integers, got a 2-d array of dtype bool",
    ),
    ("negative ids", np.array([[2, -1]]), r"Ids must be non-negative \(0 is padding\); found -1"),
    ("0 documents", np.zeros((0, 3), dtype=np.int64), "Found 0 documents"),
]


@pytest.mark.parametrize("entry", ESTIMATOR_ENTRY + ["FastTextClassifier(ids).predict"])
@pytest.mark.parametrize("X, match", [c[1:] for c in BAD_IDS], ids=[c[0] for c in BAD_IDS])
def test_bad_id_matrix(fitted, entry, X, match):
    if entry == "FastTextClassifier(ids).predict":
        call = lambda m, X: m["clf_ids"].predict(X)  # noqa: E731
    else:
        call = ENTRY[entry]
    if "fit" in entry and len(X) == 0:
        match = "Found 0 documents"
    with pytest.raises(ValueError, match=match):
        call(fitted, X)


@pytest.mark.parametrize("entry", ["TextVectorizer.fit", "TextVectorizer.transform"])
@pytest.mark.parametrize("X", [c[1] for c in BAD_IDS], ids=[c[0] for c in BAD_IDS])
def test_vectorizer_refuses_id_matrices(fitted, entry, X):
    with pytest.raises(ValueError, match=rf"{ONE_D}, got an array of shape \({X.shape[0]}, "):
        ENTRY[entry](fitted, X)


@pytest.mark.parametrize("model", ["clf", "clf_ids"])
def test_out_of_range_ids_read_as_unknown(fitted, model):
    """Documented: an id >= input_dim_ is read as the unknown word (id 1)."""
    est = fitted[model]
    X = np.array([[2, 10**6, 0], [est.input_dim_, 3, 4]])
    expected = np.where(X >= est.input_dim_, 1, X)
    proba = est.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba, est.predict_proba(expected))


@pytest.mark.parametrize("cls, y", [(FastTextClassifier, LABELS), (FastTextRegressor, TARGETS)])
def test_id_matrix_of_no_columns_fits_as_padding(cls, y):
    """Documented: every document empty (TextVectorizer(eos=False) of blank texts), as all 0."""
    empty = cls(**SMALL).fit(np.zeros((N, 0), dtype=np.int64), y)
    padding = cls(**SMALL).fit(np.zeros((N, 2), dtype=np.int64), y)
    X = np.zeros((3, 0), dtype=np.int64)
    assert empty.input_dim_ == padding.input_dim_ == 2
    predicted = getattr(empty, "predict_proba", empty.predict)(X)
    assert np.isfinite(predicted).all()
    np.testing.assert_allclose(predicted, getattr(padding, "predict_proba", padding.predict)(X))


def test_documents_to_a_model_fitted_on_ids(fitted):
    with pytest.raises(TypeError, match="was fitted on an id matrix: pass a 2-d integer array"):
        fitted["clf_ids"].predict(DOCS[:3])


# -- documented results for unusual but valid input -----------------------------------


ALTERNATIVE = {
    "generator": lambda: (doc for doc in DOCS[:5]),
    "tuple": lambda: tuple(DOCS[:5]),
    "pandas Series": lambda: pd.Series(DOCS[:5], index=range(10, 15)),
    "numpy object array": lambda: np.array(DOCS[:5], dtype=object),
    "token lists": lambda: [doc.split() for doc in DOCS[:5]],
}


@pytest.mark.parametrize("entry", [e for e in ENTRY if "fit" not in e])
@pytest.mark.parametrize("make_X", ALTERNATIVE.values(), ids=ALTERNATIVE.keys())
def test_other_iterables_match_a_list(fitted, entry, make_X):
    got = ENTRY[entry](fitted, make_X())
    expected = ENTRY[entry](fitted, DOCS[:5])
    if got.dtype.kind == "f":
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, expected)
    else:
        np.testing.assert_array_equal(got, expected)


def test_fit_on_a_generator(fitted):
    vec = TextVectorizer().fit(doc for doc in DOCS)
    assert vec.vocabulary_ == fitted["vec"].vocabulary_
    clf = FastTextClassifier(**SMALL).fit((doc for doc in DOCS), LABELS)
    np.testing.assert_allclose(clf.predict_proba(DOCS), fitted["clf"].predict_proba(DOCS))


def test_empty_documents(fitted):
    """Documents with no word: the </s> vector (eos, the default), finite predictions.

    Without eos they pool to zeros (``test_empty_documents_without_eos_pool_to_zeros``).
    A vectorizer without eos cannot be fitted on them alone.
    """
    docs = ["", "   ", "never-seen"]
    eos_id = fitted["vec"].vocabulary_["</s>"]
    assert fitted["vec"].transform(docs[:2]).tolist() == [[eos_id], [eos_id]]
    for model in ("clf", "reg"):
        emb = fitted[model].transform(docs)
        eos = fitted[model].embedding_[fitted[model].vectorizer_.vocabulary_["</s>"]]
        np.testing.assert_allclose(emb[:2], [eos, eos], rtol=1e-6)
        assert np.isfinite(emb).all()
    assert np.isfinite(fitted["clf"].predict_proba(docs)).all()
    assert np.isfinite(fitted["reg"].predict(docs)).all()
    with pytest.raises(ValueError, match="Empty vocabulary"):
        TextVectorizer(eos=False).fit(docs[:2])
    assert TextVectorizer().fit(docs[:2]).vocabulary_ == {"</s>": 2}


def test_empty_documents_without_eos_pool_to_zeros():
    docs = ["a b", "b c", "c a", "a"] * 5
    clf = FastTextClassifier(dim=4, epoch=2, eos=False, random_state=0).fit(docs, [0, 1] * 10)
    np.testing.assert_array_equal(clf.transform(["", "   "]), 0.0)
    assert np.isfinite(clf.predict_proba(["", "   "])).all()


# -- targets (y) ------------------------------------------------------------------------

NAN_Y = [np.nan, 1.0] * (N // 2)
BAD_Y_CLF = [
    ("NaN", NAN_Y, r"y holds 25 missing label\(s\), None or NaN \(first at index 0\)"),
    ("NaN array", np.array(NAN_Y), "Input y contains NaN"),
    ("inf", np.array([np.inf, 1.0] * (N // 2)), "Input y contains infinity"),
    (
        "None",
        [None, "a"] * (N // 2),
        r"y holds 25 missing label\(s\), None or NaN \(first at index 0\)",
    ),
    ("NaN in str", ["a", np.nan] * (N // 2), r"missing label\(s\).*first at index 1"),
    ("float32 NaN in str", ["a", np.float32("nan")] * (N // 2), r"missing label\(s\).*index 1"),
    ("pandas NA", pd.array(["a", pd.NA] * (N // 2)), r"missing label\(s\).*first at index 1"),
    ("short", ["a", "b"], "X holds 50 documents but y holds 2 targets"),
    ("long", ["a", "b"] * N, "X holds 50 documents but y holds 100 targets"),
    ("2-d", np.full((N, 2), 2), r"2-d y must be a 0/1 indicator matrix .*shape \(50, 2\)"),
    ("scalar", 3, r"y should be a 1d array, got an array of shape \(\)"),
    ("None y", None, r"y should be a 1d array, got an array of shape \(\)"),
    ("one class", ["a"] * N, r"Need at least 2 classes to train a classifier, got 1: \['a'\]"),
    ("continuous", np.linspace(0, 1, N), "Unknown label type: continuous"),
]
BAD_Y_REG = [
    ("NaN", NAN_Y, r"y holds 25 NaN or infinite value\(s\) \(first at index 0\)"),
    ("inf", [1.0, -np.inf] * (N // 2), r"NaN or infinite value\(s\) \(first at index 1\)"),
    ("None", [None, 1.0] * (N // 2), r"NaN or infinite value\(s\) \(first at index 0\)"),
    ("strings", ["a", "b"] * (N // 2), "FastTextRegressor needs numeric targets"),
    ("short", [1.0, 2.0], "X holds 50 documents but y holds 2 targets"),
    ("2-d", np.ones((N, 2)), r"y should be a 1d array, got an array of shape \(50, 2\)"),
    ("None y", None, r"y should be a 1d array, got an array of shape \(\)"),
]


@pytest.mark.parametrize("y, match", [c[1:] for c in BAD_Y_CLF], ids=[c[0] for c in BAD_Y_CLF])
@pytest.mark.filterwarnings("error::RuntimeWarning")  # refused before any cast of NaN warns
def test_classifier_bad_y(y, match):
    with pytest.raises(ValueError, match=match):
        FastTextClassifier(**SMALL).fit(DOCS, y)


@pytest.mark.parametrize("y, match", [c[1:] for c in BAD_Y_REG], ids=[c[0] for c in BAD_Y_REG])
def test_regressor_bad_y(y, match):
    with pytest.raises(ValueError, match=match):
        FastTextRegressor(**SMALL).fit(DOCS, y)


def test_regressor_trained_further_on_targets_beyond_its_scale():
    """Beyond float32 on the first fit's scale: refused, not a divergence blamed on lr."""
    reg = FastTextRegressor(warm_start=True, **SMALL).fit(DOCS, TARGETS)
    before = reg.predict(DOCS[:3])
    for train in (reg.fit, reg.partial_fit):
        with pytest.raises(ValueError, match=r"y reaches 4\.9e\+41, beyond float32 on the scale"):
            train(DOCS, TARGETS * 1e40)
    np.testing.assert_array_equal(reg.predict(DOCS[:3]), before)


def test_score_bad_y(fitted):
    clf, reg = fitted["clf"], fitted["reg"]
    # documented: a label never seen in fit can never be predicted, so it counts as a miss
    y = np.array(["a", "b", "never-seen", "a"])
    score = clf.score(DOCS[:4], y)
    assert score == np.mean(clf.predict(DOCS[:4]) == y) and score <= 0.75
    with pytest.raises(ValueError, match="inconsistent numbers of samples: \\[2, 4\\]"):
        clf.score(DOCS[:4], ["a", "b"])
    with pytest.raises(ValueError, match="Input contains NaN"):
        reg.score(DOCS[:2], [np.nan, 1.0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        reg.score(DOCS[:3], [1.0, 2.0])


# -- sample weights -------------------------------------------------------------------

BAD_WEIGHT = [
    ("negative", [-1.0] + [1.0] * (N - 1), "Negative values in data passed to `sample_weight`"),
    ("NaN", [np.nan] + [1.0] * (N - 1), "Input sample_weight contains NaN"),
    ("inf", [np.inf] + [1.0] * (N - 1), "Input sample_weight contains infinity"),
    ("all zero", [0.0] * N, "Sample weights must contain at least one non-zero number"),
    ("wrong length", [1.0] * 3, r"sample_weight.shape == \(3,\), expected \(50,\)"),
    ("2-d", np.ones((N, 2)), "Sample weights must be 1D array or scalar"),
    ("strings", ["x"] * N, "could not convert string to float"),
]


@pytest.mark.parametrize("estimator", ["classifier", "regressor"])
@pytest.mark.parametrize("w, match", [c[1:] for c in BAD_WEIGHT], ids=[c[0] for c in BAD_WEIGHT])
def test_bad_sample_weight(estimator, w, match):
    est, y = (
        (FastTextClassifier(**SMALL), LABELS)
        if estimator == "classifier"
        else (FastTextRegressor(**SMALL), TARGETS)
    )
    with pytest.raises(ValueError, match=match):
        est.fit(DOCS, y, sample_weight=w)


# -- parameters -----------------------------------------------------------------------

BAD_PARAMS = [
    ("dim", 0), ("dim", "4"), ("lr", -1.0), ("lr", 0.0), ("lr", np.nan), ("epoch", 0),
    ("min_count", 0), ("word_ngrams", 0), ("bucket", 0), ("max_len", 0), ("max_len", 1.5),
    ("pooling", "sum"), ("p", 0.5), ("hidden_units", -1), ("token_dropout", 1.0),
    ("batch_size", 0), ("random_state", "x"), ("verbose", -1),
]  # fmt: skip


@pytest.mark.parametrize("cls", [FastTextClassifier, FastTextRegressor])
@pytest.mark.parametrize("name, value", BAD_PARAMS)
def test_bad_estimator_params(cls, name, value):
    est = cls(**SMALL).set_params(**{name: value})
    with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of {cls.__name__}"):
        est.fit(DOCS, LABELS if cls is FastTextClassifier else TARGETS)


@pytest.mark.parametrize(
    "cls, name, value",
    [
        (FastTextClassifier, "class_weight", "x"),
        (FastTextRegressor, "loss", "x"),
        (TextVectorizer, "min_count", 0),
        (TextVectorizer, "word_ngrams", 0),
        (TextVectorizer, "bucket", -1),
        (TextVectorizer, "max_len", 1.5),
    ],
)
def test_bad_specific_params(cls, name, value):
    est = cls(**{name: value})
    y = TARGETS if cls is FastTextRegressor else LABELS
    with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of {cls.__name__}"):
        est.fit(DOCS, y)


def test_class_weight_naming_unknown_class():
    with pytest.raises(ValueError, match=r"class_weight names classes not in y: \['zz'\]"):
        FastTextClassifier(class_weight={"zz": 2.0}, **SMALL).fit(DOCS, LABELS)


@pytest.mark.parametrize("weight", [-1.0, np.nan, np.inf, "x"])
def test_class_weight_of_a_bad_value(weight):
    with pytest.raises(ValueError, match="class_weight gives 'a' the weight .*non-negative"):
        FastTextClassifier(class_weight={"a": weight}, **SMALL).fit(DOCS, LABELS)


@pytest.mark.parametrize("class_weight", ["balanced", "balanced_sqrt"])
def test_balanced_class_weight_of_a_batch_without_every_class(class_weight):
    """Documented: partial_fit's classes (or a warm fit's) that y lacks weigh nothing."""
    clf = FastTextClassifier(class_weight=class_weight, **SMALL)
    clf.partial_fit(DOCS[:10], ["a"] * 10, classes=["a", "b"])
    assert np.isfinite(clf.predict_proba(DOCS[:3])).all()
    clf.set_params(warm_start=True).fit(DOCS, LABELS).fit(DOCS[:10], ["b"] * 10)
    assert np.isfinite(clf.predict_proba(DOCS[:3])).all()


def test_class_weight_zero_for_every_class():
    zero = dict.fromkeys(LABELS, 0.0)
    with pytest.raises(ValueError, match="Every document has weight 0"):
        FastTextClassifier(class_weight=zero, **SMALL).fit(DOCS, LABELS)


MULTI = [["a"], ["a", "b"]] * (N // 2)


@pytest.mark.parametrize(
    "first, then",
    [
        ({}, {"loss": "hs"}),  # one sigmoid, then a Huffman tree's loss
        ({"loss": "ns"}, {"loss": "ova"}),
        ({}, {"y": MULTI}),  # one sigmoid, then one a label
        ({"y": MULTI}, {}),
    ],
)
def test_training_further_towards_another_output(first, then):
    clf = FastTextClassifier(warm_start=True, **SMALL)
    clf.set_params(**{k: v for k, v in first.items() if k != "y"}).fit(DOCS, first.get("y", LABELS))
    before, multilabel = clf.predict_proba(DOCS[:5]), clf.multilabel_
    clf.set_params(**{k: v for k, v in then.items() if k != "y"})
    for train in (clf.fit, clf.partial_fit):
        with pytest.raises(ValueError, match="output of [12] unit.*cannot train further on it"):
            train(DOCS, then.get("y", LABELS))
    assert clf.multilabel_ == multilabel  # the fitted model as it was
    np.testing.assert_array_equal(clf.predict_proba(DOCS[:5]), before)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "transform"])
def test_unfitted(method):
    with pytest.raises(Exception, match="is not fitted yet"):
        getattr(FastTextClassifier(), method)(DOCS)


# -- skfasttext.make_age_corpus ---------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs", [{"n_documents": -1}, {"n_documents": 2.5}, {"informative": 1.5}, {"mean_len": 0}]
)
def test_make_age_corpus_bad_params(kwargs):
    with pytest.raises(InvalidParameterError, match=f"'{next(iter(kwargs))}' parameter"):
        make_age_corpus(**{"n_documents": 5, **kwargs})


@pytest.mark.parametrize(
    "kwargs", [{"n_documents": 0}, {"n_documents": 5, "informative": 0}, {"vocab_size": 1}]
)
def test_make_age_corpus_edges(kwargs):
    """Documented: no documents; no informative word (every token noise)."""
    docs, ages = make_age_corpus(**{"n_documents": 5, **kwargs})
    assert len(docs) == len(ages) == kwargs.get("n_documents", 5)
    assert all(doc.startswith("w") for doc in docs)


# -- skfasttext.io ----------------------------------------------------------------------

BAD_READ = [
    ("None", lambda p: None, {}, InvalidParameterError, "'path_or_file' parameter of read_fasttext"),
    ("int", lambda p: 5, {}, InvalidParameterError, "'path_or_file' parameter of read_fasttext"),
    ("dict", lambda p: {"__label__a b": 1}, {}, TypeError, "path or a file object, got a dict"),
    ("missing file", lambda p: p / "nope.txt", {}, FileNotFoundError, "nope.txt"),
    ("directory", lambda p: p, {}, IsADirectoryError, "Is a directory"),
    ("no label", lambda p: io.StringIO("a b\n"), {}, ValueError, "line 1: no label"),
    ("empty label", lambda p: io.StringIO("__label__ a\n"), {}, ValueError, "line 1: empty label"),
    ("no text", lambda p: io.StringIO("__label__a\n"), {}, ValueError, "line 1: no text after"),
    ("bad bytes", lambda p: io.BytesIO(b"__label__a \xff\n"), {}, ValueError, "line 1: cannot decode"),
    ("prefix ''", lambda p: io.StringIO("x\n"), {"label_prefix": ""}, ValueError, "label_prefix must be a non-empty"),
    ("prefix None", lambda p: io.StringIO("x\n"), {"label_prefix": None}, InvalidParameterError, "'label_prefix'"),
    ("on_error", lambda p: io.StringIO("x\n"), {"on_error": "ignore"}, InvalidParameterError, "'on_error'"),
    ("multi_label", lambda p: io.StringIO("x\n"), {"multi_label": "yes"}, InvalidParameterError, "'multi_label'"),
]  # fmt: skip


@pytest.mark.parametrize(
    "make_source, kwargs, error, match", [c[1:] for c in BAD_READ], ids=[c[0] for c in BAD_READ]
)
def test_read_fasttext_bad_input(tmp_path, make_source, kwargs, error, match):
    with pytest.raises(error, match=match):
        read_fasttext(make_source(tmp_path), **kwargs)


def test_read_fasttext_empty_file():
    assert read_fasttext(io.BytesIO(b"")) == ([], [])
    assert read_fasttext(io.StringIO("\n\n")) == ([], [])


BAD_WRITE = [
    ("None docs", None, ["a"], TypeError, "got NoneType"),
    ("int docs", 5, ["a"], TypeError, "got int"),
    ("str docs", "a b", ["a"], ValueError, "single string"),
    ("bytes docs", [b"a b"], ["a"], TypeError, "Document 0 is of type bytes"),
    ("number docs", [1.5], ["a"], TypeError, "Document 0 is of type float"),
    ("dict docs", {"a b": 1}, ["a"], TypeError, "got a dict"),
    ("sparse docs", sp.csr_matrix(np.ones((1, 1))), ["a"], TypeError, "scipy sparse matrix"),
    ("empty docs", [], [], ValueError, "Found 0 documents"),
    ("empty document", ["  "], ["a"], ValueError, r"docs\[0\] is empty"),
    ("None labels", ["a"], None, InvalidParameterError, "'labels' parameter of write_fasttext"),
    ("int labels", ["a"], 5, InvalidParameterError, "'labels' parameter of write_fasttext"),
    ("str labels", ["a"], "x", InvalidParameterError, "'labels' parameter of write_fasttext"),
    ("short labels", ["a", "b"], ["x"], ValueError, "Got 2 documents but 1 labels"),
    ("NaN label", ["a"], [np.nan], ValueError, r"labels\[0\] is missing \(None or NaN\)"),
    ("float32 NaN label", ["a"], [np.float32("nan")], ValueError, r"labels\[0\] is missing"),
    ("pandas NA label", ["a"], [pd.NA], ValueError, r"labels\[0\] is missing"),
    ("None label", ["a", "b"], ["x", None], ValueError, r"labels\[1\] is missing"),
    ("empty label list", ["a"], [[]], ValueError, r"labels\[0\] is empty"),
    ("label with space", ["a"], ["x y"], ValueError, r"labels\[0\] holds the label 'x y'"),
    ("2-d labels", ["a"], np.ones((1, 2)), ValueError, r"1-d sequence of labels .* shape \(1, 2\)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "docs, labels, error, match", [c[1:] for c in BAD_WRITE], ids=[c[0] for c in BAD_WRITE]
)
def test_write_fasttext_bad_input(docs, labels, error, match):
    f = io.StringIO()
    with pytest.raises(error, match=match):
        write_fasttext(f, docs, labels)
    assert f.getvalue() == ""  # everything is validated before anything is written


@pytest.mark.parametrize("path", [None, 5])
def test_write_fasttext_bad_path(path):
    with pytest.raises(InvalidParameterError, match="'path_or_file' parameter of write_fasttext"):
        write_fasttext(path, ["a"], ["b"])


def test_write_fasttext_generator_docs():
    f = io.StringIO()
    write_fasttext(f, (d for d in ["a  b", "c"]), np.array([1, 2]))
    assert f.getvalue() == "__label__1 a b\n__label__2 c\n"


# -- command line ---------------------------------------------------------------------

TRAIN = ["-dim", "4", "-epoch", "1", "-verbose", "0"]


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_cli")
    files = {
        "train": "".join(f"__label__{LABELS[i]} {DOCS[i]}\n" for i in range(N)),
        "reg": "".join(f"__label__{'x' if i == 3 else i} {DOCS[i]}\n" for i in range(N)),
        "empty": "",
        "nolabel": "just text\n",
        "numbers": "".join(f"__label__{i} {DOCS[i]}\n" for i in range(N)),
        "two numbers": "__label__1 __label__2 w1 w2\n__label__3 w3\n",
    }
    paths = {name: root / f"{name}.txt" for name in files}
    for name, text in files.items():
        paths[name].write_text(text)
    paths["binary"] = root / "binary.bin"
    paths["binary"].write_bytes(b"\x00\xff junk\n")
    paths["out"] = root / "out"
    paths["missing"] = root / "missing.txt"
    assert (
        main(["supervised", "-input", str(paths["train"]), "-output", str(root / "m")] + TRAIN) == 0
    )
    paths["model"] = root / "m.skft"
    argv = ["supervised", "-input", str(paths["numbers"]), "-output", str(root / "r")]
    assert main([*argv, "-regression", *TRAIN]) == 0
    paths["regressor"] = root / "r.skft"
    return paths


def _supervised(source, *extra):
    return lambda f: ["supervised", "-input", f[source], "-output", f["out"], *extra]


BAD_CLI = [
    ("no command", lambda f: [], "the following arguments are required: command"),
    ("unknown command", lambda f: ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("missing input", _supervised("missing", *TRAIN), "No such file or directory: .*missing.txt"),
    ("empty input", _supervised("empty", *TRAIN), "empty.txt holds no documents"),
    ("no label", _supervised("nolabel", *TRAIN), "nolabel.txt, line 1: no label"),
    ("binary input", _supervised("binary", *TRAIN), "binary.bin, line 1: cannot decode"),
    ("dim 0", _supervised("train", "-dim", "0"), "The 'dim' parameter of FastTextClassifier"),
    ("dim abc", _supervised("train", "-dim", "abc"), "argument -dim: invalid int value: 'abc'"),
    ("lr -1", _supervised("train", "-lr", "-1", *TRAIN), "The 'lr' parameter"),
    ("lr nan", _supervised("train", "-lr", "nan", *TRAIN), "The 'lr' parameter .* Got nan"),
    ("pooling", _supervised("train", "-pooling", "sum"), "argument -pooling: invalid choice: 'sum'"),
    ("regression text label", _supervised("reg", "-regression", *TRAIN), "needs numeric labels, got __label__x"),
    ("missing model", lambda f: ["predict", f["missing"], f["train"]], "No such model file"),
    ("not a model", lambda f: ["predict", f["binary"], f["train"]], "is not a skfasttext model"),
    ("k 0", lambda f: ["predict", f["model"], f["train"], "0"], "k must be a positive integer, got 0"),
    ("k abc", lambda f: ["predict", f["model"], f["train"], "abc"], "argument k: invalid int value"),
    ("threshold nan", lambda f: ["predict", f["model"], f["train"], "1", "nan"], "threshold must be a number"),
    ("missing text", lambda f: ["predict", f["model"], f["missing"]], "No such file or directory"),
    ("binary text", lambda f: ["predict", f["model"], f["binary"]], "line 1: not UTF-8"),
    ("test empty", lambda f: ["test", f["model"], f["empty"]], "empty.txt holds no documents"),
    ("test no label", lambda f: ["test", f["model"], f["nolabel"]], "line 1: no label"),
    ("test k -2", lambda f: ["test", f["model"], f["train"], "-2"], "k must be a positive integer"),
    ("nn k -1", lambda f: ["nn", f["model"], "-1"], "k must be a positive integer, got -1.$"),
    ("nn k 0", lambda f: ["nn", f["model"], "0"], "k must be a positive integer, got 0"),
    ("test regressor two labels", lambda f: ["test", f["regressor"], f["two numbers"]], "two numbers.txt, line 1: 2 labels"),
    ("retrain regressor two labels", lambda f: ["quantize", "-output", f["regressor"], "-retrain", "-input", f["two numbers"]], "line 1: 2 labels"),
    ("autotune regressor two labels", lambda f: _supervised("numbers", "-regression", *TRAIN)(f) + ["-autotune-validation", f["two numbers"]], "line 1: 2 labels"),
]  # fmt: skip


@pytest.mark.parametrize("make_argv, match", [c[1:] for c in BAD_CLI], ids=[c[0] for c in BAD_CLI])
def test_cli_bad_input(cli_files, capsys, make_argv, match):
    argv = [str(arg) for arg in make_argv({k: str(v) for k, v in cli_files.items()})]
    capsys.readouterr()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one line, never a traceback
    assert "error: " in lines[0]
    assert re.search(match, lines[0]), lines[0]


def test_cli_predict_empty_file(cli_files, capsys):
    """Documented: an empty file to predict gives no output and status 0."""
    capsys.readouterr()
    assert main(["predict", str(cli_files["model"]), str(cli_files["empty"])]) == 0
    assert capsys.readouterr() == ("", "")
