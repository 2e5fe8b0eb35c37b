"""Character n-grams (``minn``, ``maxn``): fastText's subwords, ids, vectors, files, CLI."""

import pickle
import sys

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skfasttext import FastTextClassifier, FastTextRegressor, TextVectorizer, load
from skfasttext.__main__ import main
from skfasttext._pq import largest_rows
from skfasttext.layers import QuantizedEmbedding
from skfasttext.text import EOS, UNKNOWN_ID, char_ngrams

# fastText 0.9 (the fasttext-numpy2 binding's get_subwords, bucket=2,000,000): each
# n-gram of the word and its bucket (its id minus the number of words)
FASTTEXT_SUBWORDS = {
    ("where", 3, 4): (
        ["<wh", "<whe", "whe", "wher", "her", "here", "ere", "ere>", "re>"],
        [167652, 989715, 420941, 312621, 1473420, 1540811, 1529033, 1568469, 867498],
    ),
    ("皱纹", 1, 2): (
        ["<皱", "皱", "皱纹", "纹", "纹>"],
        [1595745, 1723967, 871965, 1057591, 996267],
    ),
}

POSITIVE = ["wonderful", "brilliant", "delightful", "charming"]
NEGATIVE = ["terrible", "horrible", "dreadful", "awful"]


def _corpus(n=200, seed=0):
    """Short reviews: a sentiment word among neutral ones; label 1 for positive."""
    rng = np.random.default_rng(seed)
    neutral = ["the", "movie", "film", "was", "plot", "acting", "story", "really"]
    docs, labels = [], []
    for i in range(n):
        label = i % 2
        word = rng.choice(POSITIVE if label else NEGATIVE)
        docs.append(" ".join([*rng.choice(neutral, 3), word, *rng.choice(neutral, 2)]))
        labels.append(label)
    return docs, np.array(labels)


@pytest.fixture(scope="module")
def fitted():
    docs, y = _corpus()
    params = dict(dim=16, epoch=15, lr=0.5, minn=3, maxn=6, random_state=0)
    return FastTextClassifier(**params).fit(docs, y), docs, y


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.parametrize(("word", "minn", "maxn"), list(FASTTEXT_SUBWORDS))
def test_char_ngrams_and_buckets_are_fasttexts(word, minn, maxn):
    strings, buckets = FASTTEXT_SUBWORDS[word, minn, maxn]
    word_of, start, stop, hashes, data = char_ngrams([word.encode()], minn, maxn)
    assert [data[a:b].decode() for a, b in zip(start, stop, strict=True)] == strings
    assert (word_of == 0).all()
    assert (hashes % 2_000_000).tolist() == buckets


def test_char_ngrams_of_several_words_and_eos():
    words = [b"ab", EOS.encode(), "纹".encode(), b"a"]
    word_of, start, stop, _, data = char_ngrams(words, 1, 3)
    grams = [[] for _ in words]
    for i, a, b in zip(word_of, start, stop, strict=True):
        grams[i].append(data[a:b].decode())
    # "<" and ">" alone are no n-grams; </s> has none
    assert grams == [
        ["<a", "<ab", "a", "ab", "ab>", "b", "b>"],
        [],
        ["<纹", "<纹>", "纹", "纹>"],
        ["<a", "<a>", "a", "a>"],
    ]


def test_known_word_gives_its_id_then_its_ngram_rows():
    vec = TextVectorizer(minn=2, maxn=3, bucket=1000, eos=False).fit(["ab ab", "cd"])
    rows = [vec._bucket_rows(np.array([b % 1000]))[0] for b in _hashes("ab", 2, 3)]
    values, lengths = vec.transform_ragged(["ab"])
    assert values.tolist() == [vec.vocabulary_["ab"], *rows]
    assert lengths.tolist() == [1 + len(rows)]
    # each bucket of the fit has its row, after the vocabulary
    assert vec.input_dim_ == 2 + 2 + len(vec.ngram_buckets_)
    assert sorted(values[1:].tolist()) == sorted(set(values[1:].tolist()))


def _hashes(word, minn, maxn):
    return char_ngrams([word.encode()], minn, maxn)[3].astype(np.int64)


def test_unknown_word_gets_its_seen_ngrams_else_the_unknown_id():
    vec = TextVectorizer(minn=3, maxn=4, bucket=10_000_000, eos=False).fit(["where there"])
    values, lengths = vec.transform_ragged(["here", "zzzz", "here zzzz"])
    # "here": <he, <her, her, here, ere, ere>, re>: of which "her", "here", "ere",
    # "ere>", "re>" are n-grams of "where" or "there"
    assert lengths.tolist() == [5, 1, 6]
    assert values[5] == UNKNOWN_ID and (values[:5] >= 4).all()
    assert values[6:11].tolist() == values[:5].tolist()
    assert vec.drop_unknown_ is False


def test_eos_has_no_ngrams():
    vec = TextVectorizer(minn=1, maxn=3, eos=True).fit(["a"])
    values, _ = vec.transform_ragged([""])
    assert values.tolist() == [vec.vocabulary_[EOS]]


@pytest.mark.parametrize("min_count", [1, 2])
@pytest.mark.parametrize("word_ngrams", [1, 3])
def test_fit_transform_and_transform_and_chunks_agree(min_count, word_ngrams):
    docs, _ = _corpus(40)
    docs = [*docs, "wonderfull terible movie", "the", ""]
    params = dict(minn=2, maxn=4, min_count=min_count, word_ngrams=word_ngrams, bucket=5000)
    vec = TextVectorizer(**params)
    fitted = vec.fit_transform_ragged(docs)
    again = vec.transform_ragged(docs)
    np.testing.assert_array_equal(fitted.values, again.values)
    np.testing.assert_array_equal(fitted.lengths, again.lengths)
    kept = []
    ids_of = TextVectorizer(**params).fit_chunks([docs[:20], docs[20:]], keep=kept.append)
    chunked = np.concatenate([ids_of(words).values for words in kept])
    np.testing.assert_array_equal(chunked, fitted.values)
    assert fitted.values.max() < vec.input_dim_
    if min_count == 2:  # a rare word of the fit has its n-grams, not the unknown id
        rare = vec.transform_ragged(["wonderfull"]).values
        assert UNKNOWN_ID not in rare.tolist() and len(rare) > 1


def test_max_len_keeps_a_prefix_with_subwords():
    vec = TextVectorizer(minn=3, maxn=3, max_len=4, eos=False).fit(["abc abc"])
    full = TextVectorizer(minn=3, maxn=3, eos=False).fit(["abc abc"])
    assert vec.transform(["abc abc"]).tolist() == [full.transform(["abc abc"])[0, :4].tolist()]


@pytest.mark.parametrize("Estimator", [TextVectorizer, FastTextClassifier, FastTextRegressor])
def test_bad_values_are_refused(Estimator):
    docs, y = _corpus(20)
    args = (docs,) if Estimator is TextVectorizer else (docs, y)
    with pytest.raises(ValueError, match="minn=5 is larger than maxn=3"):
        Estimator(minn=5, maxn=3).fit(*args)
    for name in ["minn", "maxn"]:
        with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
            Estimator(**{name: -1}).fit(*args)
    # maxn=0 turns character n-grams off, whatever minn
    assert Estimator(minn=5, maxn=0).fit(*args) is not None


def test_fit_file_refuses_bad_range_before_reading(tmp_path):
    with pytest.raises(ValueError, match="minn=4 is larger than maxn=2"):
        FastTextClassifier(minn=4, maxn=2).fit_file(tmp_path / "no-such-file.txt")


def test_misspelled_and_unseen_words_get_vectors_near_the_right_ones(fitted):
    clf, _, _ = fitted
    for typo, right, other in [
        ("wonderfull", "wonderful", "terrible"),
        ("terible", "terrible", "charming"),
    ]:
        typo_vector = clf.get_word_vector(typo)
        assert np.linalg.norm(typo_vector) > 0
        assert _cosine(typo_vector, clf.get_word_vector(right)) > _cosine(
            typo_vector, clf.get_word_vector(other)
        )
        assert right in [word for word, _ in clf.most_similar(typo, k=3)]
    assert clf.predict(["the movie was wonderfull", "the plot was terible"]).tolist() == [1, 0]
    # without character n-grams both typos are the one unknown word
    plain = FastTextClassifier(dim=16, epoch=15, lr=0.5, random_state=0).fit(*fitted[1:])
    np.testing.assert_array_equal(
        plain.get_word_vector("wonderfull"), plain.get_word_vector("terible")
    )


def test_word_vector_is_the_mean_of_its_rows(fitted):
    clf, _, _ = fitted
    for word in ["wonderful", "wonderfull", "</s>"]:
        subwords, ids = clf.get_subwords(word)
        assert (subwords[0] == word) is (word in clf.vectorizer_.vocabulary_)
        rows = clf.embedding_[ids[ids >= 0]]
        np.testing.assert_allclose(
            clf.get_word_vector(word), rows.mean(axis=0), rtol=1e-5, atol=1e-7
        )
    words, vectors = clf.get_word_vectors()
    i = words.tolist().index("charming")
    np.testing.assert_allclose(vectors[i], clf.get_word_vector("charming"), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(vectors[0], clf.embedding_[UNKNOWN_ID])
    # a word with no row at all takes the unknown-word vector
    np.testing.assert_array_equal(clf.get_word_vector("q"), clf.embedding_[UNKNOWN_ID])
    given, some = clf.get_word_vectors(["charming", "terible"])
    assert given.tolist() == ["charming", "terible"]
    np.testing.assert_allclose(some[1], clf.get_word_vector("terible"), rtol=1e-5, atol=1e-7)


def test_save_load_and_pickle_round_trip(fitted, tmp_path):
    clf, docs, _ = fitted
    clf.save(tmp_path / "model.skft")
    for again in [load(tmp_path / "model.skft"), pickle.loads(pickle.dumps(clf))]:
        assert again.get_params()["minn"] == 3 and again.vectorizer_.maxn == 6
        test = ["the movie was wonderfull", "terible", *docs[:5]]
        np.testing.assert_array_equal(again.predict_proba(test), clf.predict_proba(test))
        np.testing.assert_array_equal(
            again.get_word_vector("delightfull"), clf.get_word_vector("delightfull")
        )
        np.testing.assert_array_equal(
            again.vectorizer_._subword_buckets, clf.vectorizer_._subword_buckets
        )


def test_quantize_with_cutoff_keeps_ngrams_of_kept_rows(fitted):
    clf, docs, y = fitted
    vectorizer = clf.vectorizer_
    quantized = pickle.loads(pickle.dumps(clf)).quantize(cutoff=150, dsub=2)
    assert isinstance(quantized.model_.get_layer("embedding"), QuantizedEmbedding)
    selected = quantized.vectorizer_
    assert selected.input_dim_ == quantized.input_dim_ == 150
    # the ids of the quantized vectorizer are the original's kept ids, renumbered: a
    # word whose row was cut keeps the rows of its n-grams that were kept
    norms = np.linalg.norm(clf.embedding_, axis=1)
    keep = largest_rows(norms, 150, [0, UNKNOWN_ID, vectorizer.vocabulary_[EOS]])
    test = ["the movie was wonderfull", *docs[:10]]
    original = vectorizer.transform_ragged(test).values
    new_id = np.full(vectorizer.input_dim_, -1)
    new_id[keep] = np.arange(150)
    expected = new_id[original]
    np.testing.assert_array_equal(selected.transform_ragged(test).values, expected[expected >= 0])
    assert (quantized.predict(docs) == y).mean() > 0.9
    assert np.linalg.norm(quantized.get_word_vector("wonderfull")) > 0


def test_cli_supervised_minn_maxn_and_print_ngrams(tmp_path, capsys, monkeypatch):
    import io

    docs, y = _corpus(60)
    train = tmp_path / "train.txt"
    train.write_text(
        "".join(f"__label__{label} {doc}\n" for doc, label in zip(docs, y, strict=True))
    )
    argv = ["supervised", "-input", train, "-output", tmp_path / "m", "-dim", "8"]
    argv += ["-epoch", "3", "-minn", "2", "-maxn", "4", "-verbose", "0"]
    assert main([str(arg) for arg in argv]) == 0
    model = load(tmp_path / "m.skft")
    assert (model.minn, model.maxn) == (2, 4)
    capsys.readouterr()
    assert main(["print-ngrams", str(tmp_path / "m.skft"), "movie"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    subwords, ids = model.get_subwords("movie")
    assert [line[0] for line in lines] == subwords == ["movie", "<m", "<mo", "<mov", *subwords[4:]]
    vectors = np.array([[float(v) for v in line[1:]] for line in lines])
    np.testing.assert_allclose(vectors, model.embedding_[ids], rtol=1e-4, atol=1e-6)
    # an unknown word: its n-gram vectors, from print-word-vectors too
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"moviez\n")))
    assert main(["print-word-vectors", str(tmp_path / "m.skft")]) == 0
    line = capsys.readouterr().out.split()
    assert line[0] == "moviez"
    np.testing.assert_allclose(
        [float(v) for v in line[1:]], model.get_word_vector("moviez"), rtol=1e-4, atol=1e-6
    )
    assert not np.allclose(model.get_word_vector("moviez"), model.embedding_[UNKNOWN_ID])
    assert (
        main(
            [
                "supervised",
                "-input",
                str(train),
                "-output",
                str(tmp_path / "x"),
                "-minn",
                "5",
                "-maxn",
                "2",
            ]
        )
        == 1
    )
    assert "minn=5 is larger than maxn=2" in capsys.readouterr().err
