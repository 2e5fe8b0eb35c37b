"""Training further: partial_fit (a pass a call) and warm_start (fit goes on)."""

import numpy as np
import pytest

import skfasttext
from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus
from skfasttext.io import write_fasttext

DOCS, AGES = make_age_corpus(2400, vocab_size=2000, random_state=0)
DOCS = np.asarray(DOCS, dtype=object)
Y = AGES // 20
TRAIN, TEST = slice(0, 1800), slice(1800, None)
CLASSES = np.unique(Y)


def _passes(est, n_passes, chunk=300, **kwargs):
    for _ in range(n_passes):
        for start in range(0, 1800, chunk):
            rows = slice(start, start + chunk)
            est.partial_fit(DOCS[rows], Y[rows] if kwargs else AGES[rows], **kwargs)
    return est


def test_partial_fit_over_chunks_learns_what_fit_learns():
    # unigrams: word pairs first seen after the first call have no row (its vocabulary)
    params = dict(dim=16, word_ngrams=1, random_state=0)
    fitted = FastTextClassifier(epoch=3, **params).fit(DOCS[TRAIN], Y[TRAIN])
    chunked = _passes(FastTextClassifier(**params), 3, classes=CLASSES)
    assert chunked.n_iter_ == 3 * 6 and len(chunked.history_["loss"]) == 18
    expected = fitted.score(DOCS[TEST], Y[TEST])
    assert chunked.score(DOCS[TEST], Y[TEST]) > expected - 0.05
    # the vocabulary is the first call's
    first = FastTextClassifier(**params).fit(DOCS[:300], Y[:300])
    assert chunked.vectorizer_.vocabulary_ == first.vectorizer_.vocabulary_


def test_each_call_trains_one_pass_further():
    clf = FastTextClassifier(dim=16, random_state=0)
    clf.partial_fit(DOCS[:300], Y[:300], classes=CLASSES)
    before = clf.embedding_.copy()
    clf.partial_fit(DOCS[300:600], Y[300:600])
    assert clf.n_iter_ == 2 and not np.array_equal(before, clf.embedding_)


def test_the_first_call_needs_classes():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        FastTextClassifier().partial_fit(DOCS[:50], Y[:50])


def test_a_label_outside_classes_is_refused():
    clf = FastTextClassifier(dim=8, random_state=0)
    with pytest.raises(ValueError, match="not fitted on"):
        clf.partial_fit(DOCS[:50], Y[:50], classes=[0, 1])
    clf.partial_fit(DOCS[:50], np.minimum(Y[:50], 1), classes=[0, 1, 2])
    assert clf.classes_.tolist() == [0, 1, 2]  # a class no document has yet keeps its output
    assert clf.predict_proba(DOCS[:3]).shape == (3, 3)
    with pytest.raises(ValueError, match="not fitted on"):
        clf.partial_fit(DOCS[:3], ["other"] * 3)
    with pytest.raises(ValueError, match="differs from classes_"):
        clf.partial_fit(DOCS[:3], [0, 1, 2], classes=[0, 1, 2, 3])


def test_sample_weight_of_zero_takes_documents_out():
    weight = (Y[:600] != Y[0]).astype(float)
    one = FastTextClassifier(dim=8, random_state=0)
    one.partial_fit(DOCS[:600], Y[:600], classes=CLASSES, sample_weight=weight)
    kept = weight > 0
    other = FastTextClassifier(dim=8, random_state=0)
    other.partial_fit(DOCS[:600], Y[:600], classes=CLASSES)
    # the weighted pass learns the first class less than the unweighted one
    first = one.classes_.tolist().index(Y[0])
    assert (
        one.predict_proba(DOCS[:600][~kept])[:, first].mean()
        < other.predict_proba(DOCS[:600][~kept])[:, first].mean()
    )


def test_partial_fit_regressor_and_multilabel():
    reg = FastTextRegressor(dim=8, word_ngrams=1, random_state=0)
    for start in range(0, 1800, 300):
        reg.partial_fit(DOCS[start : start + 300], AGES[start : start + 300])
    assert reg.n_iter_ == 6 and reg.score(DOCS[TEST], AGES[TEST]) > 0.3
    tags = [[f"decade{a // 10}", f"half{a // 40}"] for a in AGES[:600]]
    labels = sorted({t for pair in tags for t in pair})
    clf = FastTextClassifier(dim=8, random_state=0)
    clf.partial_fit(DOCS[:300], tags[:300], classes=labels)
    assert clf.min_labels_ == 1  # every document so far had a label
    clf.partial_fit(DOCS[300:600], [[]] + tags[301:600])
    assert clf.multilabel_ and clf.predict(DOCS[:5]).shape == (5, len(labels))
    assert clf.min_labels_ == 0  # a later call brought a document without one


def test_lr_set_between_calls_is_followed():
    clf = FastTextClassifier(dim=8, random_state=0)
    clf.partial_fit(DOCS[:300], Y[:300], classes=CLASSES)
    before = clf.embedding_.copy()
    clf.set_params(lr=1e-9).partial_fit(DOCS[:300], Y[:300])
    np.testing.assert_allclose(clf.embedding_, before, atol=1e-3)


def test_partial_fit_goes_on_after_save_and_load(tmp_path):
    clf = FastTextClassifier(dim=8, random_state=0).partial_fit(
        DOCS[:300], Y[:300], classes=CLASSES
    )
    clf.save(tmp_path / "m.skft")
    loaded = skfasttext.load(tmp_path / "m.skft")
    loaded.partial_fit(DOCS[300:600], Y[300:600])
    assert loaded.n_iter_ == 2


def test_warm_start_trains_the_fitted_model_further():
    clf = FastTextClassifier(dim=16, epoch=2, warm_start=True, random_state=0)
    clf.fit(DOCS[:900], Y[:900])
    vocabulary = clf.vectorizer_.vocabulary_
    first = clf.score(DOCS[TEST], Y[TEST])
    clf.fit(DOCS[900:1800], Y[900:1800])
    assert clf.n_iter_ == 4 and clf.vectorizer_.vocabulary_ == vocabulary
    assert clf.score(DOCS[TEST], Y[TEST]) > first - 0.02
    cold = FastTextClassifier(dim=16, epoch=2, random_state=0).fit(DOCS[:900], Y[:900])
    cold.fit(DOCS[900:1800], Y[900:1800])
    assert cold.n_iter_ == 2 and cold.vectorizer_.vocabulary_ != vocabulary


def test_warm_start_trains_the_epochs_set_now():
    """The docs: fit trains the fitted network ``epoch`` epochs further."""
    clf = FastTextClassifier(dim=8, epoch=2, warm_start=True, random_state=0)
    clf.fit(DOCS[:300], Y[:300]).set_params(epoch=3).fit(DOCS[300:600], Y[300:600])
    assert clf.n_iter_ == 5 and clf.epoch_ == 3
    clf.set_params(epoch="auto").fit(DOCS[:300], Y[:300])
    assert clf.epoch_ == 25 and clf.n_iter_ == 30  # 'auto' on 300 documents


def test_warm_start_with_a_file(tmp_path):
    path = tmp_path / "more.txt"
    write_fasttext(path, DOCS[900:1800], AGES[900:1800])
    reg = FastTextRegressor(dim=8, epoch=2, warm_start=True, random_state=0)
    reg.fit(DOCS[:900], AGES[:900])
    mean = reg.target_mean_
    reg.fit_file(path)
    assert reg.n_iter_ == 4 and reg.target_mean_ == mean  # the first fit's scaling stays


def test_a_quantized_model_does_not_train_further():
    clf = FastTextClassifier(dim=8, random_state=0).fit(DOCS[:600], Y[:600])
    clf.quantize(dsub=2)
    with pytest.raises(ValueError, match="is quantized"):
        clf.partial_fit(DOCS[:10], Y[:10])


@pytest.mark.parametrize("loss", ["hs", "ns"])
def test_sampled_losses_learn_in_partial_fit_with_classes_y_lacks(loss):
    classes = np.append(CLASSES, 99)  # a class no document has
    clf = FastTextClassifier(dim=8, loss=loss, random_state=0)
    for start in range(0, 1800, 600):
        clf.partial_fit(DOCS[start : start + 600], Y[start : start + 600], classes=classes)
    predicted = clf.predict(DOCS[TEST])
    assert 99 not in predicted
    assert np.mean(predicted == Y[TEST]) > np.mean(Y[TEST] == np.bincount(Y).argmax()) - 0.05
