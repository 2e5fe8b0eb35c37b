"""Training at the edges of the documented settings never yields NaN or infinite predictions.

High learning rates, tiny datasets, many classes, a huge document, empty documents,
extreme sample weights and extreme target scales: each fit either gives finite
predictions on a sensible scale, or fails with the documented FloatingPointError
and keeps a finite model.
"""

import numpy as np
import pytest

from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus

DOCS, AGES = make_age_corpus(200, vocab_size=300, random_state=0)
TEST_DOCS, _ = make_age_corpus(40, vocab_size=300, random_state=1)
FAST = dict(dim=8, epoch=2, random_state=0)


def _finite_proba(clf, docs=TEST_DOCS):
    proba = clf.predict_proba(docs)
    assert proba.shape == (len(docs), len(clf.classes_))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-4)
    assert np.isfinite(clf.transform(docs)).all()
    return proba


def _check_scale(reg, y, docs=TEST_DOCS):
    """Finite predictions inside the targets' range, widened by that range on each side."""
    pred = reg.predict(docs)
    assert np.isfinite(pred).all()
    low, high = y.min(), y.max()
    spread = high - low
    assert (pred >= low - spread).all() and (pred <= high + spread).all(), (pred, low, high)
    return pred


@pytest.mark.parametrize("lr", [1.0, 5.0])
def test_classifier_high_learning_rate(lr):
    clf = FastTextClassifier(lr=lr, **FAST)
    try:
        clf.fit(DOCS, AGES // 10)
    except FloatingPointError as error:
        assert "diverged" in str(error) and "Lower lr" in str(error)
    _finite_proba(clf)  # trained, or kept the last good epoch


def test_five_documents():
    docs = ["good film", "bad film", "great acting", "awful plot", "good plot"]
    clf = FastTextClassifier(dim=4, epoch=5, random_state=0).fit(docs, [1, 0, 1, 0, 1])
    _finite_proba(clf, docs + ["never seen", ""])
    y = np.array([5.0, 1.0, 4.5, 0.5, 4.0])
    reg = FastTextRegressor(dim=4, epoch=5, random_state=0).fit(docs, y)
    _check_scale(reg, y, docs + ["never seen", ""])


def test_many_classes():
    n_classes = 1200
    rng = np.random.default_rng(0)
    y = np.arange(n_classes * 2) % n_classes
    docs = [f"c{label} w{rng.integers(50)} w{rng.integers(50)}" for label in y]
    clf = FastTextClassifier(dim=4, epoch=1, random_state=0).fit(docs, y)
    assert len(clf.classes_) == n_classes
    proba = _finite_proba(clf, docs[:50])
    assert (proba >= 0).all()


def test_huge_document_among_short_ones():
    rng = np.random.default_rng(0)
    words = np.array(DOCS[0].split() + DOCS[1].split())
    huge = " ".join(rng.choice(words, 100_000))
    docs = [huge, *DOCS[:50]]
    y = np.concatenate([[AGES[0]], AGES[:50]])
    clf = FastTextClassifier(max_len=None, **FAST).fit(docs, y // 10)
    _finite_proba(clf, [huge, *TEST_DOCS[:5]])
    reg = FastTextRegressor(max_len=None, **FAST).fit(docs, y)
    _check_scale(reg, y, [huge, *TEST_DOCS[:5]])


def test_empty_documents_in_training():
    # batch_size=4: the eight empty documents (length 0) make two batches of their own
    docs = [""] * 8 + DOCS[:40]
    y = np.concatenate([np.full(8, 30), AGES[:40]])
    clf = FastTextClassifier(batch_size=4, **FAST).fit(docs, y // 10)
    _finite_proba(clf, ["", *TEST_DOCS[:5]])
    reg = FastTextRegressor(batch_size=4, **FAST).fit(docs, y)
    _check_scale(reg, y, ["", *TEST_DOCS[:5]])
    # only empty documents but one word: every batch but one holds nothing to look up
    clf = FastTextClassifier(batch_size=2, **FAST).fit(["", "", "", "", "a"], [0, 1, 0, 1, 1])
    _finite_proba(clf, ["", "a"])


WEIGHT = np.where(np.arange(len(DOCS)) % 2, 1e6, 1e-6)


def test_extreme_sample_weights_train_on_a_sensible_scale():
    """Weights of 1e-6 and 1e6 mixed: rescaled to average 1 inside, so the default lr
    still trains a model on the scale of the targets, and only relative weights count."""
    clf = FastTextClassifier(**FAST).fit(DOCS, AGES // 10, sample_weight=WEIGHT)
    _finite_proba(clf)
    reg = FastTextRegressor(**FAST).fit(DOCS, AGES, sample_weight=WEIGHT)
    _check_scale(reg, AGES)
    assert reg.target_mean_ == pytest.approx(np.average(AGES, weights=WEIGHT))
    scaled = FastTextRegressor(**FAST).fit(DOCS, AGES, sample_weight=WEIGHT * 1e-3)
    np.testing.assert_allclose(scaled.predict(TEST_DOCS), reg.predict(TEST_DOCS), rtol=1e-5)


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_weights_near_the_float_limits(Estimator):
    """Only relative weights count, even near 1e308 (their sum overflows) or 1e-320."""
    y = AGES // 10 if Estimator is FastTextClassifier else AGES
    plain = Estimator(**FAST).fit(DOCS, y).transform(TEST_DOCS)
    for weight in (1e308, 1e-320):
        same = Estimator(**FAST).fit(DOCS, y, sample_weight=np.full(len(DOCS), weight))
        np.testing.assert_allclose(same.transform(TEST_DOCS), plain, rtol=1e-6)
    mixed = Estimator(**FAST).fit(DOCS, y, sample_weight=np.where(WEIGHT > 1, 1e308, 1e-308))
    if Estimator is FastTextClassifier:
        _finite_proba(mixed)
    else:
        _check_scale(mixed, y)


@pytest.mark.parametrize(
    "scale, offset",
    [(1e12, 0.0), (1e9, 1e12), (1e-9, 0.0), (1e-9, 1.0), (-1e12, 0.0), (1e300, 0.0), (1e-300, 0.0)],
)
def test_extreme_target_scales(scale, offset):
    y = AGES * scale + offset
    reg = FastTextRegressor(**FAST).fit(DOCS, y)
    pred = _check_scale(reg, y)
    # on the scale of the targets, not of the ages: standardised inside
    assert abs(np.mean(pred) - np.mean(y)) <= np.ptp(y)
    ratio = np.std((pred - offset) / scale) / np.std(AGES)  # no square of 1e300 overflows
    assert 1e-3 < ratio < 10
