"""Tests of word vectors (get_word_vector, most_similar, .vec files), predict_top_k, metrics."""

import doctest
import io
import os

import numpy as np
import pytest

import skfasttext.io
import skfasttext.metrics
from skfasttext import (
    FastTextClassifier,
    FastTextRegressor,
    TextVectorizer,
    make_age_corpus,
    read_word_vectors,
    write_word_vectors,
)
from skfasttext.metrics import precision_at_k, recall_at_k

# eos=False: a document of one word pools to exactly that word's vector
TINY = dict(dim=8, epoch=5, lr=0.5, eos=False, random_state=0)


def _age_groups(ages):
    return np.where(ages < 25, "young", np.where(ages < 45, "adult", "old"))


@pytest.fixture(scope="module")
def corpus():
    docs, ages = make_age_corpus(300, random_state=0, vocab_size=400)
    return docs, ages


@pytest.fixture(scope="module")
def clf(corpus):
    docs, ages = corpus
    return FastTextClassifier(**TINY).fit(docs, _age_groups(ages))


@pytest.fixture(scope="module")
def clf_many(corpus):
    """A classifier with many classes (every age), so top-k has something to choose."""
    docs, ages = corpus
    return FastTextClassifier(**TINY).fit(docs, ages)


def _cosine_ranking(vectors, query):
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(query)
    return (vectors @ query) / np.where(norms > 0, norms, 1.0)


# -- word vectors ---------------------------------------------------------------------


def test_get_word_vector_is_the_row_of_get_word_vectors(clf):
    words, vectors = clf.get_word_vectors()
    assert words[0] == "<unk>" and len(words) == len(clf.vectorizer_.vocabulary_) + 1
    for i in [1, 2, len(words) - 1]:
        np.testing.assert_array_equal(clf.get_word_vector(words[i]), vectors[i])
    # unseen words, and a "word" holding whitespace, get the unknown-word vector
    for unseen in ["never-seen", "w1 w2", ""]:
        np.testing.assert_array_equal(clf.get_word_vector(unseen), vectors[0])
    assert not np.array_equal(vectors[0], vectors[1])  # the check can fail
    # the rows are the embedding's, by id
    np.testing.assert_array_equal(vectors, clf.embedding_[1 : 1 + len(words)])


def test_get_word_vector_is_what_the_model_uses(clf):
    """An unseen word's document vector is the unknown-word vector (mean of one word)."""
    np.testing.assert_allclose(
        clf.transform(["never-seen"])[0], clf.get_word_vector("never-seen"), rtol=1e-6
    )
    word = clf.get_word_vectors()[0][1]
    np.testing.assert_allclose(clf.transform([word])[0], clf.get_word_vector(word), rtol=1e-6)


def test_get_word_vector_rejects_non_strings(clf):
    with pytest.raises(TypeError, match="word must be a str, got int"):
        clf.get_word_vector(3)


@pytest.mark.parametrize("k", [1, 5, 20])
def test_most_similar_excludes_the_query_and_is_sorted(clf, k):
    words, vectors = clf.get_word_vectors()
    query = words[3]
    neighbours = clf.most_similar(query, k=k)
    found = [word for word, _ in neighbours]
    similarities = np.array([similarity for _, similarity in neighbours])
    assert len(neighbours) == k
    assert query not in found and "<unk>" not in found
    assert np.all(np.diff(similarities) <= 0)
    # the same as a brute-force ranking of every other vocabulary word
    cosine = _cosine_ranking(vectors[1:], vectors[3])
    cosine[3 - 1] = -np.inf
    expected = np.argsort(-cosine, kind="stable")[:k]
    np.testing.assert_allclose(similarities, cosine[expected], rtol=1e-5)
    assert set(found) == set(words[1:][expected].tolist())


def test_most_similar_vector_query_keeps_the_word(clf):
    word = clf.get_word_vectors()[0][5]
    neighbours = clf.most_similar(clf.get_word_vector(word), k=3)
    assert neighbours[0][0] == word
    assert neighbours[0][1] == pytest.approx(1.0, abs=1e-5)
    # a list works as well as an array, and gives the same answer
    assert clf.most_similar(clf.get_word_vector(word).tolist(), k=3) == neighbours


def test_most_similar_unknown_word_uses_the_unknown_vector(clf):
    words, vectors = clf.get_word_vectors()
    by_word = clf.most_similar("never-seen", k=4)
    assert by_word == clf.most_similar(vectors[0], k=4)
    assert "<unk>" not in [word for word, _ in by_word]


def test_most_similar_k_larger_than_the_vocabulary():
    docs = ["a b", "b c", "c d"] * 5
    clf = FastTextClassifier(**TINY).fit(docs, [0, 1, 0] * 5)
    neighbours = clf.most_similar("b", k=50)
    assert sorted(word for word, _ in neighbours) == ["a", "c", "d"]
    assert len(clf.most_similar("zzz", k=50)) == 4  # nothing to exclude


def test_most_similar_on_a_regressor(corpus):
    docs, ages = corpus
    reg = FastTextRegressor(**TINY).fit(docs, ages)
    neighbours = reg.most_similar(reg.get_word_vectors()[0][1], k=2)
    assert [len(pair) for pair in neighbours] == [2, 2]


@pytest.mark.parametrize(
    "query, k, match",
    [
        ("w1", 0, "k must be a positive integer"),
        ("w1", 2.5, "k must be a positive integer"),
        ("w1", True, "k must be a positive integer"),
        (np.zeros(8), 3, "all zeros"),
        (np.ones(3), 3, r"shape \(8,\)"),
        (np.full(8, np.nan), 3, "finite vector"),
    ],
)
def test_most_similar_bad_arguments(clf, query, k, match):
    with pytest.raises(ValueError, match=match):
        clf.most_similar(query, k=k)


def test_word_vectors_need_words():
    ids = TextVectorizer().fit_transform(["a b", "b c", "c a"] * 4)
    clf = FastTextClassifier(**TINY).fit(ids, [0, 1, 0] * 4)
    for call in [
        clf.get_word_vectors,
        lambda: clf.get_word_vector("a"),
        lambda: clf.most_similar("a"),
    ]:
        with pytest.raises(AttributeError, match="fitted on ids"):
            call()


def test_word_vectors_with_ngram_buckets(corpus):
    """Buckets sit after the vocabulary in the embedding: they are not words."""
    docs, ages = corpus
    clf = FastTextClassifier(word_ngrams=2, bucket=1000, **TINY).fit(docs, _age_groups(ages))
    words, vectors = clf.get_word_vectors()
    assert len(words) == len(clf.vectorizer_.vocabulary_) + 1
    assert clf.input_dim_ == len(words) + 1 + len(clf.vectorizer_.ngram_buckets_)
    assert 0 < len(clf.vectorizer_.ngram_buckets_) <= 1000
    np.testing.assert_array_equal(vectors[-1], clf.get_word_vector(words[-1]))


# -- .vec files -----------------------------------------------------------------------


def test_save_word_vectors_round_trip(clf, tmp_path):
    path = tmp_path / "model.vec"
    clf.save_word_vectors(path, precision=9)
    words, vectors = clf.get_word_vectors()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{len(words)} 8"
    assert lines[1].split()[0] == "<unk>" and len(lines[1].split()) == 9
    read_words, read_vectors = read_word_vectors(path)
    assert read_words == words.tolist()
    np.testing.assert_array_equal(read_vectors, vectors)  # 9 digits: float32 exactly
    # the default 6 digits are close, and the file is smaller
    clf.save_word_vectors(str(tmp_path / "short.vec"))
    np.testing.assert_allclose(read_word_vectors(tmp_path / "short.vec")[1], vectors, rtol=1e-5)
    assert os.path.getsize(tmp_path / "short.vec") < os.path.getsize(path)


WORDS = ["tea", "opera", "学习", "naïve"]
VECTORS = np.array([[0.5, -1.0, 0.0], [1e-8, 2.5, -3.25], [1, 2, 3], [-0.125, 0.0, 7.0]])


@pytest.mark.parametrize("kind", ["path", "text", "binary"])
def test_write_read_word_vectors(tmp_path, kind):
    path = tmp_path / "v.vec"
    if kind == "path":
        write_word_vectors(path, np.array(WORDS, dtype=object), VECTORS)
        words, vectors = read_word_vectors(str(path))
    elif kind == "text":
        f = io.StringIO()
        write_word_vectors(f, WORDS, VECTORS)
        words, vectors = read_word_vectors(io.StringIO(f.getvalue()))
    else:
        f = io.BytesIO()
        write_word_vectors(f, WORDS, VECTORS, encoding="utf-8")
        words, vectors = read_word_vectors(io.BytesIO(f.getvalue()))
    assert words == WORDS
    assert vectors.dtype == np.float32 and vectors.shape == (4, 3)
    np.testing.assert_allclose(vectors, VECTORS, rtol=1e-6)


def test_read_word_vectors_fasttext_layout(tmp_path):
    """fastText writes a trailing space; CRLF, a BOM and blank lines are fine too."""
    path = tmp_path / "ft.vec"
    path.write_bytes(b"\xef\xbb\xbf2 3\r\nthe 0.1 -0.2 0.3 \r\n\r\n</s> 1e-3 2 -3 \r\n")
    words, vectors = read_word_vectors(path)
    assert words == ["the", "</s>"]
    np.testing.assert_allclose(vectors, [[0.1, -0.2, 0.3], [1e-3, 2, -3]], rtol=1e-6)


def test_read_empty_vocabulary():
    words, vectors = read_word_vectors(io.StringIO("0 5\n"))
    assert words == [] and vectors.shape == (0, 5)


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "line 1: expected the header"),
        ("3\n", "line 1: expected the header"),
        ("two 3\n", "line 1: expected the header"),
        ("2 0\n", "line 1: expected the header"),
        ("1 3\na 1 2\n", "line 2: word 'a' has 2 value"),
        ("2 3\na 1 2 3\nb c 1 2 3\n", r"line 3: word 'b' has 4 value\(s\), expected dim=3 \(does"),
        ("1 3\n\na 1 x 3\n", "line 3: value 'x' of word 'a' is not a number"),
        ("1 2\na 1 2\nb 1 2\n", "line 3: more vectors than the 1 in the header"),
        ("3 2\na 1 2\nb 1 2\n", "the header announces 3 vectors but the file holds 2"),
    ],
)
def test_read_word_vectors_errors_name_the_line(tmp_path, text, match):
    path = tmp_path / "bad.vec"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=match) as info:
        read_word_vectors(path)
    assert "bad.vec" in str(info.value)


def test_read_word_vectors_undecodable_line(tmp_path):
    path = tmp_path / "latin.vec"
    path.write_bytes(b"1 1\ncaf\xe9 1\n")
    with pytest.raises(ValueError, match="line 2: cannot decode"):
        read_word_vectors(path)
    assert read_word_vectors(path, encoding="latin-1")[0] == ["café"]


def test_read_word_vectors_grows_past_its_first_guess():
    """The matrix is allocated in steps, so a large header costs nothing up front."""
    n = 5000
    f = io.StringIO()
    write_word_vectors(f, [f"w{i}" for i in range(n)], np.arange(2 * n).reshape(n, 2))
    words, vectors = read_word_vectors(io.StringIO(f.getvalue()))
    assert len(words) == n and words[-1] == f"w{n - 1}"
    np.testing.assert_array_equal(vectors[:, 0], np.arange(0, 2 * n, 2))
    with pytest.raises(ValueError, match="announces 1000000000000 vectors but the file holds 1"):
        read_word_vectors(io.StringIO("1000000000000 2\na 1 2\n"))


@pytest.mark.parametrize(
    "words, vectors, match",
    [
        (["a b"], [[1.0]], r"words\[0\] is 'a b'"),
        (["a", ""], [[1.0], [2.0]], r"words\[1\] is ''"),
        (["a", 3], [[1.0], [2.0]], r"words\[1\] is 3"),
        (["a"], [[1.0], [2.0]], "Got 1 words but 2 vectors"),
        (["a"], [1.0], "2-d array of numbers"),
        (["a"], [["x"]], "2-d array of numbers"),
    ],
)
def test_write_word_vectors_errors(tmp_path, words, vectors, match):
    path = tmp_path / "v.vec"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        write_word_vectors(path, words, vectors)
    assert path.read_text(encoding="utf-8") == "old\n"  # validated before writing


def test_write_word_vectors_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "v.vec"
    path.write_text("old\n", encoding="utf-8")

    def failing_lines(words, vectors, precision):
        yield "1 1\n"
        raise OSError("disk full")

    monkeypatch.setattr(skfasttext.io, "_vector_lines", failing_lines)
    with pytest.raises(OSError, match="disk full"):
        write_word_vectors(path, ["a"], [[1.0]])
    assert path.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["v.vec"]  # no temporary file left


# -- predict_top_k ----------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 7])
def test_predict_top_k_agrees_with_predict_proba(clf_many, corpus, k):
    docs = corpus[0][:50] + ["", "never-seen words"]
    proba = clf_many.predict_proba(docs)
    labels, probabilities = clf_many.predict_top_k(docs, k=k)
    assert labels.shape == probabilities.shape == (len(docs), k)
    assert labels.dtype == object
    # the k largest probabilities, in decreasing order, with their classes
    np.testing.assert_allclose(probabilities, -np.sort(-proba, axis=1)[:, :k])
    assert np.all(np.diff(probabilities, axis=1) <= 0)
    column = {label: j for j, label in enumerate(clf_many.classes_.tolist())}
    rows = np.arange(len(docs))[:, None]
    picked = np.vectorize(column.__getitem__)(labels)
    np.testing.assert_array_equal(proba[rows, picked], probabilities)
    np.testing.assert_array_equal(labels[:, 0], clf_many.predict(docs))


def test_predict_top_k_threshold_masks_the_tail(clf_many, corpus):
    docs = corpus[0][:40]
    labels, probabilities = clf_many.predict_top_k(docs, k=5)
    threshold = float(np.median(probabilities[:, 1]))
    masked_labels, masked = clf_many.predict_top_k(docs, k=5, threshold=threshold)
    below = probabilities < threshold
    assert below.any() and (~below).any()  # the threshold cuts somewhere
    np.testing.assert_array_equal(masked_labels == None, below)  # noqa: E711
    np.testing.assert_array_equal(masked, np.where(below, 0.0, probabilities))
    np.testing.assert_array_equal(masked_labels[~below], labels[~below])
    # a threshold above every probability leaves nothing
    nothing, zeros = clf_many.predict_top_k(docs[:3], k=2, threshold=1.01)
    assert (nothing == None).all() and (zeros == 0).all()  # noqa: E711


def test_predict_top_k_more_than_the_classes(clf, corpus):
    labels, probabilities = clf.predict_top_k(corpus[0][:5], k=5)
    assert labels.shape == (5, 5)
    assert (labels[:, 3:] == None).all() and (probabilities[:, 3:] == 0).all()  # noqa: E711
    assert all(sorted(row) == ["adult", "old", "young"] for row in labels[:, :3].tolist())
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_predict_top_k_binary():
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
    labels, probabilities = clf.predict_top_k(["opera", "game"], k=2)
    assert labels.tolist() == [[0, 1], [1, 0]]
    proba = clf.predict_proba(["opera", "game"])
    np.testing.assert_allclose(probabilities, np.sort(proba, axis=1)[:, ::-1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"k": 0}, "k must be a positive"),
        ({"k": "2"}, "k must be a positive"),
        ({"threshold": "x"}, "threshold must be a number"),
        ({"threshold": float("nan")}, "threshold must be a number"),
    ],
)
def test_predict_top_k_bad_arguments(clf, kwargs, match):
    with pytest.raises(ValueError, match=match):
        clf.predict_top_k(["w1"], **kwargs)


def test_predict_top_k_is_a_classifier_method():
    assert not hasattr(FastTextRegressor, "predict_top_k")


# -- metrics ----------------------------------------------------------------------------

# Checked by hand: row 0 predicts a (right) and b; row 1 predicts a (wrong); row 2 predicts
# c (right) and b (wrong) against the true set {a, c}. 2 hits, 5 predictions, 4 true labels.
Y_TRUE = ["a", "b", ["a", "c"]]
TOP_2 = [["a", "b"], ["a", None], ["c", "b"]]


def test_precision_recall_hand_checked():
    assert precision_at_k(Y_TRUE, TOP_2) == pytest.approx(2 / 5)
    assert recall_at_k(Y_TRUE, TOP_2) == pytest.approx(2 / 4)
    # single labels (the vectorised path): only row 0 hits, out of 5 predictions, 3 labels
    single = ["a", "b", "c"]
    assert precision_at_k(single, [["a", "b"], ["c", "a"], ["b", None]]) == pytest.approx(1 / 5)
    assert recall_at_k(single, [["a", "b"], ["c", "a"], ["b", None]]) == pytest.approx(1 / 3)
    assert recall_at_k(single, [["b", "a"], ["b", "a"], ["c", "a"]]) == pytest.approx(1.0)


def test_precision_recall_at_1_is_accuracy():
    y = np.array([1, 2, 3, 4])
    predicted = np.array([1, 2, 0, 0])
    assert precision_at_k(y, predicted) == recall_at_k(y, predicted) == 0.5
    assert precision_at_k(y, predicted[:, None]) == 0.5


def test_metrics_label_sets_and_empty_predictions():
    # tuples, sets and arrays are label sets; a repeated true label counts once
    y = [("a", "b"), {"c"}, np.array(["a", "a"])]
    top = np.array([["b", "a"], ["a", None], [None, None]], dtype=object)
    assert precision_at_k(y, top) == pytest.approx(2 / 3)
    assert recall_at_k(y, top) == pytest.approx(2 / 4)
    assert precision_at_k(["a"], [[None]]) == 0.0  # no prediction at all


@pytest.mark.parametrize(
    "y_true, top, match",
    [
        (["a", "b"], [["a"]], "y_true holds 2 documents but labels_top_k holds 1"),
        ("ab", [["a"], ["b"]], "single string"),
        (["a"], np.zeros((1, 1, 1)), r"shape \(n_documents, k\)"),
    ],
)
def test_metrics_errors(y_true, top, match):
    with pytest.raises(ValueError, match=match):
        precision_at_k(y_true, top)


def test_top_k_metrics_on_a_model(clf_many, corpus):
    docs, ages = corpus
    labels, _ = clf_many.predict_top_k(docs[:100], k=3)
    y = ages[:100]
    p1, p3 = precision_at_k(y, labels[:, :1]), precision_at_k(y, labels)
    r1, r3 = recall_at_k(y, labels[:, :1]), recall_at_k(y, labels)
    assert r1 == pytest.approx(np.mean(clf_many.predict(docs[:100]) == y))
    assert r3 >= r1 and r3 == pytest.approx(3 * p3)
    assert p1 == r1


# -- docstring examples ---------------------------------------------------------------


def test_doctests_of_the_new_modules():
    for module in [skfasttext.metrics, skfasttext.io]:
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0
        assert result.attempted >= 2


@pytest.mark.parametrize(
    "method",
    [
        FastTextClassifier.get_word_vectors,
        FastTextClassifier.get_word_vector,
        FastTextClassifier.most_similar,
        FastTextClassifier.save_word_vectors,
        FastTextClassifier.predict_top_k,
    ],
    ids=lambda method: method.__name__,
)
def test_doctests_of_the_new_methods(method):
    finder, runner = (
        doctest.DocTestFinder(),
        doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE),
    )
    tests = finder.find(method, method.__name__, globs={})
    assert tests and tests[0].examples
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
