"""Training under tf.distribute on CPU: no strategy, MirroredStrategy, MultiWorkerMirroredStrategy.

    python benchmarks/bench_distributed.py [--documents 10000] [--epoch 5] [--timeout 600]

Fits ``FastTextClassifier(epoch=..., random_state=0)`` on ``make_age_corpus(documents,
random_state=0)`` (ages as classes) and scores it on ``make_age_corpus(test_documents,
random_state=1)``, three ways, each in new processes (TensorFlow's devices and a multi-worker
strategy must be set before TensorFlow starts):

- ``none``: one process, no strategy;
- ``mirrored``: one process, ``MirroredStrategy`` over 2 logical CPU devices;
- ``multiworker``: 2 worker processes on 127.0.0.1 (ports free at run time, a ``TF_CONFIG``
  each), ``MultiWorkerMirroredStrategy`` with one CPU replica per worker.

It prints the fit time, the test MAE (the predicted age read as a number) and accuracy of each
run, with the time and MAE as ratios to the run without a strategy. Every worker predicts the
test documents, outside the strategy's scope, and round-trips its model through pickle; the
workers of a run must end with the same predictions (probabilities within 1e-4: each replica
updates its own copy of the weights, so copies agree to rounding). A worker that fails, or a run
that outlives ``--timeout`` seconds, stops the benchmark with the worker's log; the other
processes are killed.
"""

import argparse
import contextlib
import json
import os
import pickle
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = {"none": 1, "mirrored": 1, "multiworker": 2}  # run -> worker processes


def _strategy(run):
    """The run's strategy, created before any other TensorFlow work; None for ``none``."""
    import tensorflow as tf

    if run == "mirrored":
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2
        )
        return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    if run == "multiworker":  # the cluster and this worker's place in it: TF_CONFIG
        return tf.distribute.MultiWorkerMirroredStrategy()
    return None


def _work(args):
    """One worker: fit, predict, pickle; write the results to ``args.result``."""
    strategy = _strategy(args.worker)
    import numpy as np

    from skfasttext import FastTextClassifier, make_age_corpus

    docs, ages = make_age_corpus(args.documents, random_state=0)
    test_docs, test_ages = make_age_corpus(args.test_documents, random_state=1)
    clf = FastTextClassifier(epoch=args.epoch, random_state=0)
    start = time.perf_counter()
    with strategy.scope() if strategy else contextlib.nullcontext():
        clf.fit(docs, ages)
    seconds = time.perf_counter() - start
    proba = clf.predict_proba(test_docs)
    predicted = clf.classes_[proba.argmax(axis=1)]
    reloaded = pickle.loads(pickle.dumps(clf))
    np.save(Path(args.result).with_suffix(".npy"), proba)
    result = {
        "fit_s": seconds,
        "replicas": strategy.num_replicas_in_sync if strategy else 1,
        "batch_size": clf.batch_size_,
        "MAE": float(np.abs(predicted - np.asarray(test_ages)).mean()),
        "accuracy": float(np.mean(predicted == np.asarray(test_ages))),
        "pickle_same": bool(np.array_equal(reloaded.predict_proba(test_docs), proba)),
    }
    Path(args.result).write_text(json.dumps(result))


def _free_ports(n):
    """``n`` ports free on 127.0.0.1 now (they could be taken before the workers bind them)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(n)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def _tail(path, lines=30):
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def run(name, args, folder):
    """Start the processes of one run and wait for them; return each worker's results.

    Raises RuntimeError naming the first worker that failed, or TimeoutError, with the
    worker's log; the processes still running are killed.
    """
    workers = RUNS[name]
    ports = _free_ports(workers)
    processes, logs = [], []
    try:
        for task in range(workers):
            env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
            if workers > 1:
                cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
                env["TF_CONFIG"] = json.dumps(
                    {"cluster": cluster, "task": {"type": "worker", "index": task}}
                )
            command = [
                sys.executable, __file__, "--worker", name,
                "--result", str(folder / f"{name}-{task}.json"),
                "--documents", str(args.documents), "--test-documents", str(args.test_documents),
                "--epoch", str(args.epoch),
            ]  # fmt: skip
            logs.append(folder / f"{name}-{task}.log")
            with open(logs[-1], "wb") as log:
                processes.append(
                    subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
                )
        deadline = time.monotonic() + args.timeout
        while True:
            codes = [process.poll() for process in processes]
            failed = [task for task, code in enumerate(codes) if code not in (None, 0)]
            if failed:
                task = failed[0]
                raise RuntimeError(
                    f"{name}: worker {task} of {workers} exited with code {codes[task]}; "
                    f"its log ends:\n{_tail(logs[task])}"
                )
            if all(code == 0 for code in codes):
                break
            if time.monotonic() > deadline:
                task = codes.index(None)
                raise TimeoutError(
                    f"{name}: worker {task} of {workers} still running after {args.timeout} s; "
                    f"its log ends:\n{_tail(logs[task])}"
                )
            time.sleep(0.1)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
    return [json.loads((folder / f"{name}-{task}.json").read_text()) for task in range(workers)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--test-documents", type=int, default=5_000)
    parser.add_argument("--epoch", type=int, default=5)
    parser.add_argument("--runs", nargs="+", choices=list(RUNS), default=list(RUNS))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", choices=list(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _work(args)
        return

    import numpy as np

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in args.runs:
            workers = run(name, args, folder)
            proba = [np.load(folder / f"{name}-{task}.npy") for task in range(len(workers))]
            difference = max(float(np.abs(p - proba[0]).max()) for p in proba)
            if difference > 1e-4:  # each replica updates its own copy: they agree to rounding
                raise RuntimeError(f"{name}: the workers' predictions differ by {difference}")
            if not all(worker["pickle_same"] for worker in workers):
                raise RuntimeError(f"{name}: a pickled model predicts differently")
            results[name] = {
                **workers[0],
                "processes": len(workers),
                "worker_difference": difference,
            }

    base = results.get("none")
    print(
        f"{args.documents} training documents, {args.test_documents} test documents, "
        f"epoch={args.epoch}, {os.cpu_count()} CPUs"
    )
    print(f"{'run':<12} {'processes':>9} {'replicas':>8} {'batch':>5} {'fit s':>7} "
          f"{'time/none':>9} {'MAE':>6} {'MAE/none':>8} {'accuracy':>8}")  # fmt: skip
    for name, r in results.items():
        time_ratio = f"{r['fit_s'] / base['fit_s']:9.2f}" if base else f"{'-':>9}"
        mae_ratio = f"{r['MAE'] / base['MAE']:8.3f}" if base else f"{'-':>8}"
        print(
            f"{name:<12} {r['processes']:>9} {r['replicas']:>8} {r['batch_size']:>5} "
            f"{r['fit_s']:7.1f} {time_ratio} {r['MAE']:6.3f} {mae_ratio} {r['accuracy']:8.4f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
