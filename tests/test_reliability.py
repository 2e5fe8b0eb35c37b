"""Reliability: threads, persistence across processes, saved-model versions, divergence."""

import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import joblib
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


@pytest.mark.parametrize("how", ["pickle", "joblib", "keras"])
def test_round_trip_across_processes(classifier, tmp_path, how):
    """Saved here, loaded in a fresh interpreter: identical outputs."""
    ids = classifier.vectorizer_.transform(TEST_DOCS)
    np.save(tmp_path / "ids.npy", ids)
    if how == "pickle":
        (tmp_path / "model").write_bytes(pickle.dumps(classifier))
        load = "model = pickle.load(open(sys.argv[1], 'rb')).predict_proba"
        expected = classifier.predict_proba(ids)
    elif how == "joblib":
        joblib.dump(classifier, tmp_path / "model")
        load = "model = joblib.load(sys.argv[1]).predict_proba"
        expected = classifier.predict_proba(ids)
    else:
        classifier.model_.save(tmp_path / "model.keras")
        (tmp_path / "model").write_text(str(tmp_path / "model.keras"))
        load = (
            "import keras, skfasttext\n"
            "model = keras.saving.load_model(open(sys.argv[1]).read()).predict_on_batch"
        )
        expected = classifier.model_.predict_on_batch(ids)
    script = (
        "import pickle, sys, joblib, numpy as np\n"
        f"{load}\n"
        "np.save(sys.argv[3], model(np.load(sys.argv[2])))\n"
    )
    out = tmp_path / "out.npy"
    paths = [str(tmp_path / "model"), str(tmp_path / "ids.npy"), str(out)]
    subprocess.run(
        [sys.executable, "-c", script, *paths],
        check=True,
        capture_output=True,
    )
    np.testing.assert_array_equal(np.load(out), expected)


def test_saved_model_records_its_version_and_refuses_another(classifier):
    state = classifier.__getstate__()
    assert state["_skfasttext_version"] == __version__
    state["_skfasttext_version"] = "0.0.1"
    blank = FastTextClassifier.__new__(FastTextClassifier)
    with pytest.raises(ValueError, match=r"saved by skfasttext 0\.0\.1.*fit the model again"):
        blank.__setstate__(state)


@pytest.mark.parametrize("loss", ["squared_error", "huber", "absolute_error"])
def test_divergence_keeps_the_last_good_model(loss):
    reg = FastTextRegressor(dim=8, epoch=3, lr=1e8, loss=loss, random_state=0)
    try:
        reg.fit(DOCS, AGES * 1e6)
    except FloatingPointError as error:
        assert "Lower lr" in str(error)
    # diverged or not, whatever the model keeps predicts finite values
    assert np.isfinite(reg.predict(TEST_DOCS)).all()
