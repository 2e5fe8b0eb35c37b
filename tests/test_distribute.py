"""Fitting inside a tf.distribute strategy's scope: one process, several replicas, several workers.

TensorFlow fixes its devices when it starts, and it has started in this process (every test
module imports skfasttext). So the fits over 2 replicas run in a new process: this file, run as
a script, splits the CPU into 2 logical devices before any TensorFlow work, fits under
``MirroredStrategy`` and without, and saves what the tests below check. The fits over 2 worker
processes run ``benchmarks/bench_distributed.py`` on a small corpus.
"""

import json
import os
import pickle
import subprocess
import sys
import warnings
from functools import partial
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from sklearn.base import clone

from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus
from skfasttext._corpus import FileCorpus
from skfasttext.io import write_fasttext

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "bench_distributed.py"
# a new process imports this checkout, wherever it is run from
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}

DOCS, AGES = make_age_corpus(600, vocab_size=2000, random_state=0)
TEST_DOCS, TEST_AGES = make_age_corpus(300, vocab_size=2000, random_state=1)
CASES = {  # name -> (estimator, training targets, test targets)
    "classifier": (
        FastTextClassifier(dim=16, epoch=5, random_state=0), AGES // 10, TEST_AGES // 10
    ),
    "one_vs_all": (
        FastTextClassifier(dim=16, epoch=5, loss="ova", random_state=0), AGES // 10,
        TEST_AGES // 10,
    ),
    "regressor": (FastTextRegressor(dim=16, epoch=5, random_state=0), AGES, TEST_AGES),
}  # fmt: skip


def _outputs(est):
    """Probabilities of a classifier, predictions of a regressor, on the test documents."""
    if hasattr(est, "predict_proba"):
        return est.predict_proba(TEST_DOCS)
    return est.predict(TEST_DOCS)


def _quality(est, y_test):
    """Accuracy of a classifier, minus the MAE of a regressor: higher is better."""
    predicted = est.predict(TEST_DOCS)
    if hasattr(est, "classes_"):
        return float(np.mean(predicted == y_test))
    return -float(np.abs(predicted - y_test).mean())


def _fit_on_two_replicas(out):
    """Run as a script: fit each case with and without 2 replicas; save the results in ``out``."""
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    facts, arrays = {"replicas": strategy.num_replicas_in_sync}, {}
    for name, (est, y, y_test) in CASES.items():
        alone = clone(est).fit(DOCS, y)
        with strategy.scope():
            est.fit(DOCS, y)
        table = est.model_.get_layer("embedding").embeddings.value
        arrays[f"{name}_copies"] = np.stack(
            [copy.numpy() for copy in strategy.experimental_local_results(table)]
        )
        arrays[f"{name}_alone_table"] = alone.embedding_
        arrays[f"{name}_alone"], arrays[f"{name}_replicas"] = _outputs(alone), _outputs(est)
        arrays[f"{name}_ids"] = est.vectorizer_.transform(TEST_DOCS[:20])
        arrays[f"{name}_model"] = est.model_.predict(arrays[f"{name}_ids"], verbose=0)
        facts[name] = {"alone": _quality(alone, y_test), "replicas": _quality(est, y_test)}
        (out / f"{name}.pkl").write_bytes(pickle.dumps(est))
        est.model_.save(out / f"{name}.keras")
    stopping = FastTextClassifier(
        dim=16, epoch=30, early_stopping=True, n_iter_no_change=2, random_state=0
    )
    with strategy.scope():
        stopping.fit(DOCS, AGES // 10)
    facts["early_stopping"] = {
        "n_iter": stopping.n_iter_,
        "scores": stopping.history_["val_score"],
        "quality": _quality(stopping, TEST_AGES // 10),
    }
    # linear model, lr=1e6: the loss overflows (as in test_estimators)
    diverging = FastTextRegressor(
        dim=8, epoch=5, lr=1e6, loss="squared_error", hidden_units=0, random_state=0
    )
    try:
        with strategy.scope():
            diverging.fit(DOCS, AGES)
    except FloatingPointError as error:
        facts["diverged"] = str(error)
    facts["kept_finite"] = all(np.isfinite(w).all() for w in diverging.model_.get_weights())
    # a file read again (no room on disk for its words) that lost documents since its scan
    path = out / "train.txt"
    write_fasttext(path, DOCS, AGES)
    scan, save = FileCorpus.scan, np.save

    def scan_then_shrink(self, vectorizer):
        labels = scan(self, vectorizer)
        write_fasttext(path, DOCS[:300], AGES[:300])
        return labels

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    FileCorpus.scan, np.save = scan_then_shrink, full_disk
    try:
        with strategy.scope(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # "Could not keep what was read"
            FastTextRegressor(dim=8, epoch=2, random_state=0).fit_file(path)
    except ValueError as error:
        facts["changed_file"] = str(error)
    finally:
        FileCorpus.scan, np.save = scan, save
    (out / "facts.json").write_text(json.dumps(facts))
    np.savez(out / "arrays.npz", **arrays)


@pytest.fixture(scope="module")
def two_replicas(tmp_path_factory):
    out = tmp_path_factory.mktemp("two_replicas")
    process = subprocess.run(
        [sys.executable, __file__, str(out)], env=ENV, capture_output=True, text=True, timeout=600
    )
    assert process.returncode == 0, process.stderr[-5000:]
    return out, json.loads((out / "facts.json").read_text()), dict(np.load(out / "arrays.npz"))


def test_two_replicas_keep_one_model(two_replicas):
    """Each replica applies the summed updates to its copy: they agree to rounding."""
    _, facts, arrays = two_replicas
    assert facts["replicas"] == 2
    for name in CASES:
        first, second = arrays[f"{name}_copies"]
        np.testing.assert_allclose(first, second, atol=1e-5)


@pytest.mark.parametrize("name", list(CASES))
def test_two_replicas_train_the_model_one_device_trains(two_replicas, name):
    """Each batch is shared by the replicas, their gradients summed: the same steps as alone."""
    _, facts, arrays = two_replicas
    # to a step of float16 (fit rounds the word vectors to it): a sum in another order can
    # fall on the other side of a rounding
    np.testing.assert_allclose(
        arrays[f"{name}_copies"][0], arrays[f"{name}_alone_table"], rtol=2**-10, atol=1e-4
    )
    outputs = arrays[f"{name}_replicas"], arrays[f"{name}_alone"]
    np.testing.assert_allclose(*outputs, rtol=1e-3, atol=1e-3)
    assert np.isfinite(arrays[f"{name}_replicas"]).all()
    assert facts[name]["replicas"] == pytest.approx(facts[name]["alone"], abs=0.02)


@pytest.mark.parametrize("name", list(CASES))
def test_model_fitted_on_two_replicas_loads_on_one_device(two_replicas, name):
    out, _, arrays = two_replicas
    est = pickle.loads((out / f"{name}.pkl").read_bytes())
    np.testing.assert_allclose(_outputs(est), arrays[f"{name}_replicas"], rtol=1e-5, atol=1e-6)
    model = keras.saving.load_model(out / f"{name}.keras")
    np.testing.assert_allclose(
        model.predict(arrays[f"{name}_ids"], verbose=0),
        arrays[f"{name}_model"],
        rtol=1e-5,
        atol=1e-6,
    )


def test_diverging_on_two_replicas_stops_and_keeps_finite_weights(two_replicas):
    _, facts, _ = two_replicas
    assert "Lower lr" in facts.get("diverged", "")
    assert facts["kept_finite"]


def test_an_error_reading_batches_on_two_replicas_is_raised_as_itself(two_replicas):
    """Not as the UnknownError tf.data wraps it in."""
    _, facts, _ = two_replicas
    assert "changed during the fit" in facts.get("changed_file", "")


@pytest.mark.parametrize(
    "make_strategy",  # made in the test: a strategy made on import would start TensorFlow
    [tf.distribute.get_strategy, partial(tf.distribute.MirroredStrategy, ["/cpu:0"])],
    ids=["default", "mirrored_one_device"],
)
def test_one_replica_strategy_trains_as_no_strategy(make_strategy):
    est, y, _ = CASES["classifier"]
    alone = clone(est).fit(DOCS, y)
    with make_strategy().scope():
        within = clone(est).fit(DOCS, y)
    # the replica's sums run in another order: float32 rounding, amplified over the epochs
    np.testing.assert_allclose(_outputs(within), _outputs(alone), atol=1e-3)
    assert within.history_["loss"] == pytest.approx(alone.history_["loss"], rel=1e-3)


def _bench(tmp_path, *args, timeout=600):
    return subprocess.run(
        [sys.executable, str(BENCH), "--json", str(tmp_path / "results.json"), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_two_workers_train_the_model_one_process_trains(tmp_path):
    """MultiWorkerMirroredStrategy, 2 processes on 127.0.0.1: same model on both, as alone."""
    process = _bench(
        tmp_path, "--runs", "multiworker", "--documents", "600", "--test-documents", "300",
        "--epoch", "3", "--timeout", "300",
    )  # fmt: skip
    assert process.returncode == 0, process.stderr[-5000:]
    result = json.loads((tmp_path / "results.json").read_text())["multiworker"]
    assert result["processes"] == 2 and result["replicas"] == 2
    assert result["worker_difference"] <= 1e-4 and result["pickle_same"]
    docs, ages = make_age_corpus(600, random_state=0)
    test_docs, test_ages = make_age_corpus(300, random_state=1)
    alone = FastTextClassifier(epoch=3, random_state=0).fit(docs, ages)
    error = np.abs(alone.predict(test_docs) - test_ages).mean()
    assert result["MAE"] == pytest.approx(error, abs=0.05)


def test_a_failing_worker_fails_the_run_with_its_error(tmp_path):
    process = _bench(tmp_path, "--runs", "none", "--epoch", "0", "--timeout", "120")
    assert process.returncode != 0
    assert "none: worker 0 of 1 exited with code 1" in process.stderr
    assert "'epoch' parameter" in process.stderr  # the worker's own error, from its log


def test_a_run_past_its_timeout_is_stopped(tmp_path):
    process = _bench(tmp_path, "--runs", "multiworker", "--timeout", "1", timeout=60)
    assert process.returncode != 0 and "still running after 1.0 s" in process.stderr


if __name__ == "__main__":
    _fit_on_two_replicas(Path(sys.argv[1]))


def test_two_replicas_stop_early(two_replicas):
    _, facts, _ = two_replicas
    stopping = facts["early_stopping"]
    assert 1 <= stopping["n_iter"] < 30 and len(stopping["scores"]) == stopping["n_iter"]
    # the kept model is the best epoch's, and it learned: above the majority class's share
    assert stopping["quality"] > np.mean(TEST_AGES // 10 == np.bincount(AGES // 10).argmax())
