"""Reliability: threads, persistence across processes, saved-model versions, divergence."""

import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from skfasttext import FastTextClassifier, FastTextRegressor, __version__, make_age_corpus

DOCS, AGES = make_age_corpus(300, vocab_size=500, random_state=0)
TEST_DOCS, _ = make_age_corpus(60, vocab_size=500, random_state=1)
FAST = dict(dim=8, epoch=2, random_state=0)


@pytest.fixture(scope="module")
def classifier():
    return FastTextClassifier(**FAST).fit(DOCS, AGES)


def test_predict_from_threads_matches_serial(classifier):
    # a fresh copy, so that the threads also race to build the lazy lookup caches
    fresh = pickle.loads(pickle.dumps(classifier))
    parts = [TEST_DOCS[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        proba = list(pool.map(fresh.predict_proba, parts))
        embeddings = list(pool.map(fresh.transform, parts))
    for part, p, e in zip(parts, proba, embeddings, strict=True):
        np.testing.assert_array_equal(p, classifier.predict_proba(part))
        np.testing.assert_array_equal(e, classifier.transform(part))


def test_pickle_round_trip_across_processes(classifier, tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(classifier))
    np.save(tmp_path / "docs.npy", np.array(TEST_DOCS, dtype=object), allow_pickle=True)
    script = (
        "import pickle, sys, numpy as np\n"
        "model = pickle.load(open(sys.argv[1], 'rb'))\n"
        "docs = np.load(sys.argv[2], allow_pickle=True).tolist()\n"
        "np.save(sys.argv[3], model.predict_proba(docs))\n"
    )
    out = tmp_path / "proba.npy"
    subprocess.run(
        [sys.executable, "-c", script, str(path), str(tmp_path / "docs.npy"), str(out)],
        check=True,
        capture_output=True,
    )
    np.testing.assert_array_equal(np.load(out), classifier.predict_proba(TEST_DOCS))


def test_saved_model_records_its_version_and_refuses_another(classifier):
    state = classifier.__getstate__()
    assert state["_skfasttext_version"] == __version__
    state["_skfasttext_version"] = "0.0.1"
    blank = FastTextClassifier.__new__(FastTextClassifier)
    with pytest.raises(ValueError, match=r"saved by skfasttext 0\.0\.1.*fit the model again"):
        blank.__setstate__(state)


def test_truncated_pickle_fails_loudly(classifier):
    data = pickle.dumps(classifier)
    with pytest.raises((pickle.UnpicklingError, EOFError, ValueError)):
        pickle.loads(data[: len(data) // 2])


@pytest.mark.parametrize("loss", ["squared_error", "huber", "absolute_error"])
def test_divergence_keeps_the_last_good_model(loss):
    reg = FastTextRegressor(dim=8, epoch=3, lr=1e8, loss=loss, random_state=0)
    try:
        reg.fit(DOCS, AGES * 1e6)
    except FloatingPointError as error:
        assert "Lower lr" in str(error)
    # diverged or not, whatever the model keeps predicts finite values
    assert np.isfinite(reg.predict(TEST_DOCS)).all()
