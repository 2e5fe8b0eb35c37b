"""Tests of multi-label classification: one-vs-all fits, indicator predictions, per-label scores."""

import contextlib
import io
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from skfasttext import FastTextClassifier, load, write_fasttext
from skfasttext.__main__ import main
from skfasttext.metrics import per_label_scores, precision_at_k, recall_at_k

# words "opera"/"tea" mean label "old", "game"/"anime" mean "young", "guitar" means "music"
DOCS = [
    "old opera tea",
    "opera guitar",
    "game anime",
    "anime guitar game",
    "tea opera",
    "guitar",
    "anime",
    "game tea",
] * 8
TAGS = [
    ["old"],
    ["old", "music"],
    ["young"],
    ["young", "music"],
    ["old"],
    ["music"],
    ["young"],
    [],  # a document may have no label
] * 8
CLASSES = ["music", "old", "young"]
INDICATOR = MultiLabelBinarizer(classes=CLASSES).fit_transform(TAGS)
PARAMS = dict(dim=8, epoch=30, lr=0.1, random_state=0)


@pytest.fixture(scope="module")
def clf():
    return FastTextClassifier(**PARAMS).fit(DOCS, TAGS)


def test_label_lists_fit_one_vs_all(clf):
    assert clf.multilabel_ is True
    assert clf.classes_.tolist() == CLASSES
    assert clf.model_.get_layer("output").units == 3
    proba = clf.predict_proba(DOCS)
    assert proba.shape == (len(DOCS), 3)
    assert ((proba >= 0) & (proba <= 1)).all()
    # independent sigmoids: a two-label document has two probabilities near 1
    assert not np.allclose(proba.sum(axis=1), 1.0)
    assert proba[1, 0] > 0.5 and proba[1, 1] > 0.5  # "opera guitar": music and old
    assert clf.history_["loss"][-1] < clf.history_["loss"][0]


def test_predict_is_the_thresholded_indicator(clf):
    proba = clf.predict_proba(DOCS)
    predicted = clf.predict(DOCS)
    assert predicted.shape == (len(DOCS), 3)
    np.testing.assert_array_equal(predicted, (proba >= clf.threshold_).astype(int))
    np.testing.assert_array_equal(predicted, INDICATOR)  # it learned the toy rules
    # a plain threshold: at a high one, documents may get no label at all
    strict = pickle.loads(pickle.dumps(clf)).set_params(threshold=0.999)
    np.testing.assert_array_equal(strict.predict(DOCS), (proba >= 0.999).astype(int))
    assert strict.predict(DOCS).sum() < predicted.sum()


def test_auto_threshold_is_validated_on_held_out_documents():
    """'auto' (the default) takes the threshold of best micro-F1 on documents a first fit held
    out; the model is then fitted on every document."""
    docs = [doc + " w" + str(i % 7) for i, doc in enumerate(DOCS * 3)]  # noise words
    auto = FastTextClassifier(**PARAMS).fit(docs, TAGS * 3)
    assert 0.05 <= auto.threshold_ <= 0.95 and round(auto.threshold_ * 20) == auto.threshold_ * 20
    assert auto.n_iter_ == PARAMS["epoch"] == len(auto.history_["loss"])  # the final fit's only
    proba = auto.predict_proba(docs)
    np.testing.assert_array_equal(auto.predict(docs), (proba >= auto.threshold_).astype(int))
    # the same network as with a fixed threshold: the first fit leaves nothing behind
    fixed = FastTextClassifier(**PARAMS, threshold=0.5).fit(docs, TAGS * 3)
    np.testing.assert_allclose(fixed.predict_proba(docs), proba, rtol=1e-5, atol=1e-6)
    assert fixed.threshold_ == 0.5
    # single-label y does not use it; too few documents to hold out take 0.5
    assert (
        FastTextClassifier(**PARAMS).fit(DOCS, [t[0] if t else "none" for t in TAGS]).threshold_
        == 0.5
    )
    assert FastTextClassifier(**PARAMS).fit(DOCS[:1], TAGS[:1]).threshold_ == 0.5


def test_auto_gives_a_label_to_every_document_where_training_always_had_one(clf, tmp_path):
    """Under 'auto', a document with no label above the threshold gets its most probable one,
    where no training document was without a label; a number gives exactly what reaches it."""
    labelled = [i for i, tags in enumerate(TAGS) if tags]
    auto = FastTextClassifier(**PARAMS).fit(
        [DOCS[i] for i in labelled], [TAGS[i] for i in labelled]
    )
    assert auto.min_labels_ == 1 and clf.min_labels_ == 0  # the fixture saw a document with none
    docs = ["", "zzz", "tea", "guitar", "opera anime"]
    proba, predicted = auto.predict_proba(docs), auto.predict(docs)
    above = proba >= auto.threshold_
    assert (~above.any(axis=1)).sum() >= 2  # "" and "zzz" reach no label
    assert (predicted.sum(axis=1) >= 1).all()
    for row, p, a in zip(predicted, proba, above, strict=True):
        np.testing.assert_array_equal(row, a if a.any() else np.eye(3)[np.argmax(p)])
    assert auto.score(DOCS[:7], TAGS[:7]) == 1.0
    auto.set_params(threshold=0.999)  # a number: fastText's rule, empty answers included
    np.testing.assert_array_equal(auto.predict(docs), (proba >= 0.999).astype(int))
    assert (auto.predict(docs).sum(axis=1) == 0).any()
    single = FastTextClassifier(**PARAMS).fit(DOCS, [t[0] if t else "none" for t in TAGS])
    assert single.min_labels_ == 1
    auto.set_params(threshold="auto").save(tmp_path / "m.skft")  # the rule survives a model file
    np.testing.assert_array_equal(load(tmp_path / "m.skft").predict(docs), predicted)


def test_auto_threshold_beats_a_fixed_one_where_labels_are_uncertain():
    """On the age corpus with neighbouring decades as second labels, probabilities of the
    second label stay low: the validated threshold finds more of them than 0.5 does."""
    from skfasttext import make_age_corpus

    def tags(ages):
        return [[f"d{a // 10}"] + ([f"d{a // 10 + 1}"] if a % 10 >= 8 else []) for a in ages]

    docs, ages = make_age_corpus(1500, random_state=0)
    test_docs, test_ages = make_age_corpus(800, random_state=1)
    auto = FastTextClassifier(dim=16, random_state=0).fit(docs, tags(ages))
    fixed = FastTextClassifier(dim=16, random_state=0, threshold=0.5).fit(docs, tags(ages))
    truth = MultiLabelBinarizer(classes=auto.classes_).fit_transform(tags(test_ages))
    assert auto.threshold_ < 0.5
    assert f1_score(truth, auto.predict(test_docs), average="micro") > f1_score(
        truth, fixed.predict(test_docs), average="micro"
    )


def test_sklearn_metrics_and_score(clf):
    predicted = clf.predict(DOCS)
    assert f1_score(INDICATOR, predicted, average="micro") == 1.0
    assert clf.score(DOCS, INDICATOR) == 1.0  # subset accuracy
    assert clf.score(DOCS, TAGS) == 1.0  # label lists are read with classes_
    wrong = [["old"]] * len(DOCS)
    assert clf.score(DOCS, wrong) < 0.5


def test_indicator_y_gives_integer_classes():
    clf = FastTextClassifier(**PARAMS).fit(DOCS, INDICATOR)
    assert clf.multilabel_
    assert clf.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(clf.predict(DOCS), INDICATOR)
    # the same model as from label lists: same columns, same seed
    from_lists = FastTextClassifier(**PARAMS).fit(DOCS, TAGS)
    np.testing.assert_allclose(clf.predict_proba(DOCS), from_lists.predict_proba(DOCS), atol=1e-6)
    sparse = FastTextClassifier(**PARAMS).fit(DOCS, sp.csr_matrix(INDICATOR))
    np.testing.assert_allclose(sparse.predict_proba(DOCS), clf.predict_proba(DOCS), atol=1e-6)


def test_multilabel_forces_ova_whatever_loss_says():
    clf = FastTextClassifier(**PARAMS, loss="softmax").fit(DOCS, TAGS)
    assert clf.model_.get_layer("output").activation.__name__ == "sigmoid"
    assert clf.predict(DOCS).shape == (len(DOCS), 3)


def test_predict_top_k_works_on_multilabel(clf):
    labels, proba = clf.predict_top_k(DOCS, k=3, threshold=0.5)
    assert precision_at_k(TAGS, labels) == 1.0
    assert recall_at_k(TAGS, labels) == 1.0
    assert labels[1, :2].tolist() in (["old", "music"], ["music", "old"])
    assert labels[1, 2] is None


def test_single_label_ova_is_independent_sigmoids():
    y = ["old", "old", "young", "young", "old", "music", "young", "young"] * 8
    clf = FastTextClassifier(**PARAMS, loss="ova").fit(DOCS, y)
    assert clf.multilabel_ is False
    assert clf.model_.get_layer("output").activation.__name__ == "sigmoid"
    proba = clf.predict_proba(DOCS)
    assert proba.shape == (len(DOCS), 3)
    assert not np.allclose(proba.sum(axis=1), 1.0)
    predicted = clf.predict(DOCS)
    assert predicted.dtype.kind == "U"  # labels, not an indicator
    np.testing.assert_array_equal(predicted, clf.classes_[proba.argmax(axis=1)])
    assert np.mean(predicted == np.array(y)) > 0.8
    # two classes: still one sigmoid each, not softmax's single unit
    y2 = ["old" if "old" in tags else "other" for tags in TAGS]
    binary = FastTextClassifier(**PARAMS, loss="ova").fit(DOCS, y2)
    assert binary.model_.get_layer("output").units == len(binary.classes_) == 2
    assert binary.predict_proba(DOCS).shape == (len(DOCS), 2)


def test_class_weight_with_multilabel_raises():
    with pytest.raises(ValueError, match="class_weight is not supported with multi-label"):
        FastTextClassifier(**PARAMS, class_weight="balanced").fit(DOCS, TAGS)


@pytest.mark.parametrize(
    "y, match",
    [
        ([["a"], "b"] * 32, "mixes single labels and lists"),
        ([["a", None]] * 64, "missing label"),
        ([[], ["a", "b", None]] * 32, r"missing label\(s\).*first at index 1\)"),  # a document
        ([[]] * 64, "no label at all"),
        (np.full((64, 2), 2), r"0/1 indicator matrix \(multi-label\), got values \[2\]"),
        (np.arange(128).reshape(64, 2), "got type 'multiclass-multioutput'"),
    ],
)
def test_bad_multilabel_y(y, match):
    with pytest.raises(ValueError, match=match):
        FastTextClassifier(**PARAMS).fit(DOCS, y)


def test_bad_parameters():
    with pytest.raises(ValueError, match="'loss' parameter"):
        FastTextClassifier(loss="hsm").fit(DOCS, TAGS)
    with pytest.raises(ValueError, match="loss='hs' trains one label a document"):
        FastTextClassifier(loss="hs").fit(DOCS, TAGS)
    with pytest.raises(ValueError, match="'threshold' parameter"):
        FastTextClassifier(threshold=1.5).fit(DOCS, TAGS)


def test_pickle_round_trip(clf):
    loaded = pickle.loads(pickle.dumps(clf))
    assert loaded.get_params() == clf.get_params()
    assert loaded.multilabel_ and loaded.classes_.tolist() == CLASSES
    np.testing.assert_allclose(loaded.predict_proba(DOCS), clf.predict_proba(DOCS))
    np.testing.assert_array_equal(loaded.predict(DOCS), clf.predict(DOCS))


def test_multilabel_tag():
    assert FastTextClassifier().__sklearn_tags__().classifier_tags.multi_label


# -- per_label_scores ---------------------------------------------------------------------


def test_per_label_scores_by_hand():
    y_true = [["a", "b"], ["b"], ["c"], []]
    y_pred = [["a"], ["b", "c"], ["c"], ["a"]]
    scores = per_label_scores(y_true, y_pred)
    assert list(scores) == ["a", "b", "c"]
    assert scores["a"] == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert scores["b"] == pytest.approx((1.0, 0.5, 2 / 3, 2))
    assert scores["c"] == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert scores["b"][3] == 2 and isinstance(scores["b"][3], int)


def test_per_label_scores_match_sklearn():
    rng = np.random.default_rng(0)
    true, pred = rng.integers(0, 2, (50, 4)), rng.integers(0, 2, (50, 4))
    expected = precision_recall_fscore_support(true, pred, average=None, zero_division=0.0)
    names = ["w", "x", "y", "z"]
    scores = per_label_scores(true, pred, labels=names)
    assert list(scores) == names
    np.testing.assert_allclose(np.array(list(scores.values())).T, np.array(expected))
    # indicator against label lists, and lists against lists, give the same
    lists = [[names[j] for j in np.flatnonzero(row)] for row in true]
    assert per_label_scores(lists, pred, labels=names) == scores
    pred_lists = [[names[j] for j in np.flatnonzero(row)] for row in pred]
    assert per_label_scores(lists, pred_lists) == scores
    assert list(per_label_scores(true, pred)) == [0, 1, 2, 3]


def test_per_label_scores_single_label_matches_sklearn():
    y_true = ["a", "b", "c", "a", "b", "a"]
    y_pred = ["a", "c", "c", "b", "b", "a"]
    scores = per_label_scores(y_true, y_pred)
    expected = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0.0)
    np.testing.assert_allclose(np.array(list(scores.values())).T, np.array(expected))
    only_c = per_label_scores(y_true, y_pred, labels=["c"])
    assert list(only_c) == ["c"] and only_c["c"] == pytest.approx(scores["c"])


def test_per_label_scores_needs_labels_for_mixed_input():
    with pytest.raises(ValueError, match="pass labels"):
        per_label_scores([["a"]], np.array([[1]]))
    with pytest.raises(ValueError, match="2 labels but"):
        per_label_scores(np.eye(3), np.eye(3), labels=["a", "b"])


# -- command line -------------------------------------------------------------------------


def test_cli_ova_train_test_predict(tmp_path, capsys):
    train, model_path = tmp_path / "train.txt", tmp_path / "model"
    labelled = [(doc, tags) for doc, tags in zip(DOCS, TAGS, strict=True) if tags]
    docs, tags = [doc for doc, _ in labelled], [tags for _, tags in labelled]
    write_fasttext(train, docs, tags)
    argv = ["supervised", "-input", train, "-output", model_path, "-dim", "8"]
    argv += ["-epoch", "30", "-lr", "0.1", "-verbose", "1", "-loss", "ova"]
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main([str(arg) for arg in argv]) == 0
    assert "Number of labels: 3 (multi-label, one-vs-all)" in err.getvalue()
    model = load(f"{model_path}.skft")
    assert model.multilabel_ and model.classes_.tolist() == CLASSES
    capsys.readouterr()

    assert main(["test", f"{model_path}.skft", str(train), "2"]) == 0
    out = capsys.readouterr().out
    top, _ = model.predict_top_k(docs, k=2)
    p, r = precision_at_k(tags, top), recall_at_k(tags, top)
    assert out == f"N\t{len(docs)}\nP@2\t{p:.3g}\nR@2\t{r:.3g}\n"
    assert r == 1.0  # no document has more than two labels, all are learned

    # fastText's `predict MODEL FILE -1 0.5`: every label at or above the threshold
    assert main(["predict", f"{model_path}.skft", str(train), "-1", "0.5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(docs)
    predicted = [sorted(tok.removeprefix("__label__") for tok in line.split()) for line in lines]
    expected = [sorted(np.array(CLASSES)[row.astype(bool)]) for row in model.predict(docs)]
    assert predicted == expected
    assert predicted == [sorted(t) for t in tags]


def test_cli_multilabel_file_trains_one_vs_all_whatever_the_loss(tmp_path, capsys):
    train = tmp_path / "train.txt"
    write_fasttext(train, ["a b", "c d"] * 5, [["x", "y"], ["z"]] * 5)
    assert main(["supervised", "-input", str(train), "-output", str(tmp_path / "m")]) == 0
    assert "(multi-label, one-vs-all)" in capsys.readouterr().err
    model = load(tmp_path / "m.skft")
    assert model.multilabel_ and model.classes_.tolist() == ["x", "y", "z"]


def test_cli_loss_with_regression_is_refused(tmp_path, capsys):
    train = tmp_path / "train.txt"
    write_fasttext(train, ["a b", "c d"], [1, 2])
    argv = ["supervised", "-input", str(train), "-output", str(tmp_path / "m")]
    assert main(argv + ["-regression", "-loss", "ova"]) == 1
    assert "-loss is for classifiers" in capsys.readouterr().err
