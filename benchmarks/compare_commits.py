"""Check that two commits fit the same models from the same seed, and compare their fit times.

Made to check a pure refactor: each case of ``CASES`` (a data set, an estimator and its
parameters, ``fit`` or ``fit_file``) is fitted with ``random_state=0`` by the code of the
commit OLD and by the code of the commit NEW, and their outputs on the test documents
(``predict_proba``, ``predict``, ``transform``) are compared bit for bit. Run from anywhere in
the repository::

    # the working tree (uncommitted changes included) against HEAD
    python benchmarks/compare_commits.py HEAD WORKTREE

    # a smoke test: at most 2000 training / 1000 test documents a set, 3000 age documents
    python benchmarks/compare_commits.py HEAD~1 HEAD --quick

    # some cases only, outputs kept in a folder
    python benchmarks/compare_commits.py HEAD WORKTREE --cases ages-classifier --out-dir /tmp/cmp

    # also bench_quality.py and bench_scale.py, old against new; the arguments after
    # --bench-args go to bench_quality.py
    python benchmarks/compare_commits.py HEAD WORKTREE --quick --bench \
        --bench-args --quick --datasets tate_year

It prints a markdown table, one row a case: the largest absolute difference of the float
outputs (probabilities, regression predictions, document vectors), the share of identical
predicted labels (classifiers) or the largest absolute difference of the predictions
(regressors), whether every output is bit-identical, and each side's fit time with the
ratio new/old. The exit status is 0 when every case is bit-identical (or, with ``--atol``,
within that tolerance with the same labels) and every benchmark ran, 1 otherwise.

How the two sides run
---------------------
Each commit is checked out with ``git worktree add --detach`` into a temporary folder, removed
at the end (also on error); ``WORKTREE`` names the repository's own working tree as it is, no
worktree made. Each side has one worker process (this script, ``sys.executable``) with its
tree first on ``PYTHONPATH`` and as its current folder, so that ``import skfasttext`` imports
that commit's code: the worker checks that ``skfasttext.__file__`` lies in its tree. Workers
set ``TF_DETERMINISTIC_OPS=1``, ``TF_CPP_MIN_LOG_LEVEL=3``, ``PYTHONHASHSEED=0`` and call
``tf.config.experimental.enable_op_determinism()`` before anything else; they use only the
public API, the same in both commits. Both workers start (import TensorFlow) at once, then
the fits run one at a time, alternating sides case by case in the order old, new, new, old,
old, ... (ABBA), so that drift of the machine's load weighs on both sides alike. A fit time
includes vectorizing, not TensorFlow's import. Each worker writes its outputs to an ``.npz``
(``old.npz``, ``new.npz``: keys ``CASE.OUTPUT``), which the parent compares once both are done.
A side's cases run in one process in the table's order, the same on both sides.

On determinism: with 2 CPU cores, two runs of one commit were bit-identical with these settings
(``HEAD HEAD``, quick and default sizes), and also without op determinism; but op determinism
changes the numbers of some fits (the default classifier on the age corpus), so the outputs
compared here need not be those of a user's fit: both sides use the same settings.

With ``--bench``, ``benchmarks/bench_quality.py`` and ``benchmarks/bench_scale.py`` of each
tree run too, one at a time in the order quality old, quality new, scale new, scale old, with
that tree first on ``PYTHONPATH``. bench_quality gets ``--out`` (one file a side) and the
arguments after ``--bench-args``; both of its tables are printed, then the fit times of its
rows side by side and the ratio new/old of their totals. bench_scale fits the file written by
``make_age_corpus.py --docs N --vocab V`` (``--scale-docs``, ``--scale-vocab``); its ``fit: X s``
lines are compared. The logs of every process are in the output folder (``--out-dir``, a
temporary folder by default): a failing process is shown with the end of its log.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack
from functools import cache
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve()
WORKTREE = "WORKTREE"  # the repository's working tree as it is, uncommitted changes included
DATA_DIR = Path(os.environ.get("SKFASTTEXT_BENCH_DATA", "/work/shared/data"))
AGE_CORPUS_SCRIPT = Path("/work/shared/bench/make_age_corpus.py")

SEED = 0
AGES_TRAIN, AGES_TEST = 20_000, 5_000  # make_age_corpus(n, random_state=0 / 1)
QUICK_TRAIN, QUICK_TEST, QUICK_AGES = 2_000, 1_000, 3_000

WORKER_ENV = {
    "TF_DETERMINISTIC_OPS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONHASHSEED": "0",  # read when Python starts: set by the parent too
}

# What each case fits and compares. data: a file set in DATA_DIR or "ages" (make_age_corpus);
# estimator: "classifier" or "regressor"; params: beyond random_state=0; fit: "fit" (documents
# in memory) or "fit_file" (the training set written with write_fasttext); outputs: methods
# called on the test documents. Regressors fit the labels read as numbers.
CASES = [
    {"name": "chinese_reviews-classifier", "data": "chinese_reviews", "estimator": "classifier"},
    {"name": "rotten_tomatoes-classifier", "data": "rotten_tomatoes", "estimator": "classifier"},
    {"name": "tate_year-regressor", "data": "tate_year", "estimator": "regressor"},
    {"name": "tate_year-classifier", "data": "tate_year", "estimator": "classifier"},
    {
        "name": "ages-classifier",
        "data": "ages",
        "estimator": "classifier",
        "outputs": ["predict_proba", "predict", "transform"],
    },
    {"name": "ages-regressor", "data": "ages", "estimator": "regressor"},
    {
        "name": "ages-classifier-ngrams2",
        "data": "ages",
        "estimator": "classifier",
        "params": {"word_ngrams": 2, "bucket": 100_000},
    },
    {
        "name": "ages-regressor-max-hidden16",
        "data": "ages",
        "estimator": "regressor",
        "params": {"pooling": "max", "hidden_units": 16},
        "outputs": ["predict", "transform"],
    },
    {
        "name": "ages-classifier-fit_file",
        "data": "ages",
        "estimator": "classifier",
        "fit": "fit_file",
    },
]
DEFAULT_OUTPUTS = {"classifier": ["predict_proba", "predict"], "regressor": ["predict"]}


def _outputs(case):
    return case.get("outputs", DEFAULT_OUTPUTS[case["estimator"]])


# -- the worker: one commit's code, in its own process --------------------------------


def _subsample(docs, labels, n):
    """At most ``n`` documents, drawn at random with seed 0 (order kept), as bench_quality."""
    if len(docs) <= n:
        return docs, labels
    keep = np.sort(np.random.default_rng(SEED).choice(len(docs), n, replace=False))
    return [docs[i] for i in keep], [labels[i] for i in keep]


@cache
def load(name, quick, n_ages):
    """``(train_docs, train_labels, test_docs)`` of a data set, read by this commit's code."""
    from skfasttext import make_age_corpus
    from skfasttext.io import read_fasttext

    if name == "ages":
        n_test = QUICK_TEST if quick else AGES_TEST
        docs, ages = make_age_corpus(n_ages, random_state=0)
        test_docs, _ = make_age_corpus(n_test, random_state=1)
        return docs, ages, test_docs
    docs, labels = read_fasttext(DATA_DIR / f"{name}.train.txt")
    test_docs, test_labels = read_fasttext(DATA_DIR / f"{name}.test.txt")
    if quick:
        docs, labels = _subsample(docs, labels, QUICK_TRAIN)
        test_docs, _ = _subsample(test_docs, test_labels, QUICK_TEST)
    return docs, labels, test_docs


@cache
def training_file(name, quick, n_ages, folder):
    """The training set of ``name`` written with this commit's ``write_fasttext``."""
    from skfasttext.io import write_fasttext

    docs, labels, _ = load(name, quick, n_ages)
    path = Path(folder) / f"{name}.train.txt"
    write_fasttext(path, docs, [str(label) for label in labels])
    return path


def _as_array(values):
    """An array ``np.savez`` stores without pickling (labels of object dtype become str)."""
    values = np.asarray(values)
    return values.astype(str) if values.dtype == object else values


def run_case(case, quick, n_ages, folder):
    """Fit one case with ``random_state=0``: its fit time and its outputs on the test set."""
    import keras

    from skfasttext import FastTextClassifier, FastTextRegressor

    estimator = {"classifier": FastTextClassifier, "regressor": FastTextRegressor}
    model = estimator[case["estimator"]](random_state=SEED, **case.get("params", {}))
    docs, labels, test_docs = load(case["data"], quick, n_ages)
    if case["estimator"] == "regressor":
        labels = np.asarray(labels, dtype=float)
    if case.get("fit", "fit") == "fit_file":
        path = training_file(case["data"], quick, n_ages, folder)
        start = time.perf_counter()
        model.fit_file(path)
    else:
        start = time.perf_counter()
        model.fit(docs, labels)
    seconds = time.perf_counter() - start
    outputs = {name: _as_array(getattr(model, name)(test_docs)) for name in _outputs(case)}
    del model
    keras.backend.clear_session()  # both sides alike, outside the timed region
    return seconds, outputs


def _import_from(tree):
    """Import TensorFlow with op determinism on, then skfasttext, which must come from ``tree``."""
    os.environ.update(WORKER_ENV)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    import skfasttext

    where = Path(skfasttext.__file__).resolve()
    if not where.is_relative_to(Path(tree).resolve()):
        raise RuntimeError(f"skfasttext was imported from {where}, not from {tree}")
    return where


def worker(argv):
    """Serve the parent: one case name a line on stdin, one JSON reply a line.

    The replies go to the original stdout; anything else written to stdout (Keras, TensorFlow)
    goes to stderr, the worker's log.
    """
    parser = argparse.ArgumentParser(prog=f"{SCRIPT.name} _worker")
    parser.add_argument("--tree", required=True)
    parser.add_argument("--npz", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--ages", type=int, required=True)
    args = parser.parse_args(argv)

    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def reply(**message):
        replies.write(json.dumps(message) + "\n")

    try:
        reply(ready=True, skfasttext=str(_import_from(args.tree)))
    except Exception:
        reply(ready=False, error=traceback.format_exc())
        return 1
    cases = {case["name"]: case for case in CASES}
    arrays = {}
    with tempfile.TemporaryDirectory(prefix="compare-commits-") as folder:
        for line in sys.stdin:
            name = line.strip()
            try:
                seconds, outputs = run_case(cases[name], args.quick, args.ages, folder)
            except Exception:
                reply(case=name, error=traceback.format_exc())
                continue
            arrays.update({f"{name}.{output}": value for output, value in outputs.items()})
            np.savez(args.npz, **arrays)  # rewritten after each case: a crash keeps the rest
            reply(case=name, fit_s=seconds)
    return 0


# -- the parent: trees, workers, comparison -------------------------------------------


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def describe(commit, root):
    """The commit's full hash and subject, or the working tree's own description."""
    if commit == WORKTREE:
        # --no-optional-locks: read only, never refresh the index under someone else's feet
        changes = git("--no-optional-locks", "status", "--porcelain", cwd=root)
        dirty = " +uncommitted changes" if changes else ""
        return f"working tree at {git('rev-parse', '--short', 'HEAD', cwd=root)}{dirty}"
    sha = git("rev-parse", "--verify", f"{commit}^{{commit}}", cwd=root)
    return f"{sha[:12]} {git('log', '-1', '--format=%s', sha, cwd=root)[:80]}"


def checkout(commit, root, folder, stack):
    """The tree of ``commit``: a detached worktree in ``folder``, removed when ``stack`` closes."""
    if commit == WORKTREE:
        return root
    sha = git("rev-parse", "--verify", f"{commit}^{{commit}}", cwd=root)
    git("worktree", "add", "--detach", str(folder), sha, cwd=root)
    stack.callback(git, "worktree", "remove", "--force", str(folder), cwd=root)
    return folder


def _env(tree, extra=()):
    env = dict(os.environ, **dict(extra))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    return env


def _tail(path, lines=30):
    text = Path(path).read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


class Worker:
    """One side's worker process: starts at once, then fits one case at a time on demand."""

    def __init__(self, side, tree, out_dir, args):
        self.side, self.tree = side, tree
        self.npz, self.log_path = out_dir / f"{side}.npz", out_dir / f"{side}.log"
        self.log = open(self.log_path, "w")  # closed in close()
        command = [sys.executable, str(SCRIPT), "_worker", "--tree", str(tree)]
        command += ["--npz", str(self.npz), "--ages", str(args.ages)]
        command += ["--quick"] if args.quick else []
        self.process = subprocess.Popen(
            command,
            cwd=tree,
            env=_env(tree, WORKER_ENV),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )

    def _reply(self):
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise RuntimeError(
                f"the {self.side} worker stopped (exit status {self.process.returncode}); "
                f"the end of {self.log_path}:\n{_tail(self.log_path)}"
            )
        return json.loads(line)

    def ready(self):
        """Wait until the worker has imported skfasttext; where it imported it from."""
        message = self._reply()
        if not message["ready"]:
            raise RuntimeError(f"the {self.side} worker could not start:\n{message['error']}")
        return message["skfasttext"]

    def fit(self, name):
        """``{"case": name, "fit_s": seconds}``, or ``{"case": name, "error": traceback}``."""
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self):
        """End the worker (it writes nothing more once its stdin closes) and its log."""
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run_cases(workers, names):
    """Fit each case on both sides, alternating old-new, new-old: ``{side: {case: reply}}``."""
    results = {side: {} for side in workers}
    for i, name in enumerate(names):
        order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
        for side in order:
            results[side][name] = workers[side].fit(name)
        times = ", ".join(_timing(side, results[side][name]) for side in ("old", "new"))
        print(f"  [{i + 1}/{len(names)}] {name}: {times}", file=sys.stderr, flush=True)
    return results


def _timing(side, reply):
    return f"{side} failed" if "error" in reply else f"{side} {reply['fit_s']:.1f} s"


# -- comparison ------------------------------------------------------------------------


def _bit_identical(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _max_abs_diff(a, b):
    """Largest absolute difference; NaN in both places counts as equal, in one as infinite."""
    if a.shape != b.shape:
        return np.inf
    a, b = a.astype(np.float64), b.astype(np.float64)
    diff = np.abs(a - b)
    diff[np.isnan(a) & np.isnan(b)] = 0.0
    diff[np.isnan(diff)] = np.inf
    return float(diff.max(initial=0.0))


def compare_case(case, old, new, atol):
    """The comparison of one case's outputs: a dict of the table's columns."""
    keys = {output: f"{case['name']}.{output}" for output in _outputs(case)}
    pairs = {output: (old[key], new[key]) for output, key in keys.items()}
    floats = [
        _max_abs_diff(a, b)
        for a, b in pairs.values()
        if np.issubdtype(a.dtype, np.floating) and np.issubdtype(b.dtype, np.floating)
    ]
    max_diff = max(floats, default=0.0)
    same_labels = True
    if case["estimator"] == "classifier":
        a, b = pairs["predict"]
        share = float(np.mean(a == b)) if a.shape == b.shape else 0.0
        same_labels = share == 1.0
        labels = f"{share:.2%} same labels"
    else:
        labels = f"predict max abs diff {_number(_max_abs_diff(*pairs['predict']))}"
    identical = all(_bit_identical(a, b) for a, b in pairs.values())
    within = identical or (atol > 0 and max_diff <= atol and same_labels)
    return {"max_diff": _number(max_diff), "labels": labels, "identical": identical, "ok": within}


def _number(value):
    return "0" if value == 0 else f"{value:.3g}"


def _markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(new, old):
    return f"{new / old:.2f}" if old and new is not None else ""


def _load_npz(path):
    """The arrays a worker saved (none if every case failed)."""
    if not path.exists():
        return {}
    with np.load(path) as saved:
        return dict(saved)


def report_cases(cases, results, workers, atol):
    """Print the table of the cases; whether every case passed."""
    old, new = (_load_npz(workers[side].npz) for side in ("old", "new"))
    rows, passed, totals = [], True, {"old": 0.0, "new": 0.0}
    for case in cases:
        replies = {side: results[side][case["name"]] for side in ("old", "new")}
        failed = [side for side, reply in replies.items() if "error" in reply]
        if failed:
            passed = False
            rows.append([case["name"], f"failed: {', '.join(failed)}", "", "no", "", "", ""])
            continue
        row = compare_case(case, old, new, atol)
        passed = passed and row["ok"]
        seconds = {side: reply["fit_s"] for side, reply in replies.items()}
        for side in totals:
            totals[side] += seconds[side]
        rows.append(
            [
                case["name"],
                row["max_diff"],
                row["labels"],
                "yes" if row["identical"] else ("no (within atol)" if row["ok"] else "no"),
                f"{seconds['old']:.2f}",
                f"{seconds['new']:.2f}",
                _ratio(seconds["new"], seconds["old"]),
            ]
        )
    old_s, new_s = totals["old"], totals["new"]
    rows.append(["total", "", "", "", f"{old_s:.2f}", f"{new_s:.2f}", _ratio(new_s, old_s)])
    header = ["case", "max abs diff", "labels / predictions", "identical"]
    header += ["fit s old", "fit s new", "new / old"]
    print(_markdown(header, rows))
    for side, reply in ((s, r) for s in results for r in results[s].values() if "error" in r):
        print(f"\n{side}, {reply['case']} failed:\n{reply['error']}", file=sys.stderr)
    return passed


# -- benchmarks ------------------------------------------------------------------------


def run_logged(command, tree, log_path):
    """Run ``command`` in ``tree`` with that tree's package first on the path; True if it ran."""
    print(f"  running {shlex.join(map(str, command))} in {tree}", file=sys.stderr, flush=True)
    env = _env(tree, {"TF_CPP_MIN_LOG_LEVEL": "3"})
    with open(log_path, "w") as log:
        done = subprocess.run(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode:
        print(f"failed ({done.returncode}); the end of {log_path}:\n{_tail(log_path)}")
    return done.returncode == 0


def _bench_script(tree, name):
    path = Path(tree) / "benchmarks" / name
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist in this commit")
    return path


def parse_quality_table(path):
    """The rows of bench_quality's markdown table, as dicts of strings."""
    lines = [line for line in Path(path).read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    return [dict(zip(header, row, strict=False)) for row in rows]


def _fit_seconds(rows, models=None):
    return sum(
        float(row["fit s"])
        for row in rows
        if row.get("fit s") and (models is None or row["model"] in models)
    )


def report_quality(tables):
    """Print both bench_quality tables, their fit times side by side and the ratios."""
    for side in ("old", "new"):
        print(f"\n### bench_quality.py, {side}\n\n{_markdown_of(tables[side])}")
    key = ("dataset", "model", "settings")
    new_rows = {tuple(row[k] for k in key): row for row in tables["new"]}
    rows = []
    for row in tables["old"]:
        other = new_rows.get(tuple(row[k] for k in key), {})
        if row.get("fit s") and other.get("fit s"):
            old_s, new_s = float(row["fit s"]), float(other["fit s"])
            rows.append(
                [*(row[k] for k in key), row["fit s"], other["fit s"], _ratio(new_s, old_s)]
            )
    print("\n### bench_quality.py fit times, old against new\n")
    print(_markdown([*key, "fit s old", "fit s new", "new / old"], rows))
    skfasttext = {"FastTextClassifier", "FastTextRegressor"}
    for label, models in (("all rows", None), ("skfasttext rows", skfasttext)):
        old_s, new_s = (_fit_seconds(tables[side], models) for side in ("old", "new"))
        print(f"\ntotal fit s, {label}: old {old_s:.1f}, new {new_s:.1f}, ", end="")
        print(f"new / old {_ratio(new_s, old_s) or 'n/a'}")


def _markdown_of(rows):
    if not rows:
        return "(no rows)"
    header = list(rows[0])
    return _markdown(header, [[row.get(column, "") for column in header] for row in rows])


SCALE_LINE = re.compile(r"^(fit|fit_file): ([0-9.]+) s for .*$", re.MULTILINE)


def report_scale(logs):
    """Print bench_scale's ``fit: X s for ...`` line of each side and the ratio new/old."""
    seconds = {}
    print("\n### bench_scale.py\n")
    for side in ("old", "new"):
        match = SCALE_LINE.search(Path(logs[side]).read_text())
        print(f"{side}: {match.group(0) if match else '(no fit line found)'}")
        seconds[side] = float(match.group(2)) if match else None
    if all(seconds.values()):
        print(f"fit time new / old: {_ratio(seconds['new'], seconds['old'])}")


def run_benches(trees, args, out_dir):
    """bench_quality then bench_scale, old, new, new, old; True if every run finished."""
    corpus = out_dir / f"scale-{args.scale_docs}.txt"
    make = [sys.executable, str(AGE_CORPUS_SCRIPT), "--docs", str(args.scale_docs)]
    make += ["--vocab", str(args.scale_vocab), "--out", str(corpus)]
    print(f"  writing {corpus}", file=sys.stderr, flush=True)
    subprocess.run(make, check=True, stdout=subprocess.DEVNULL)

    def quality(side):
        out = out_dir / f"quality-{side}.md"
        command = [sys.executable, _bench_script(trees[side], "bench_quality.py"), "--out", out]
        return run_logged(command + args.bench_args, trees[side], out_dir / f"quality-{side}.log")

    def scale(side):
        command = [sys.executable, _bench_script(trees[side], "bench_scale.py"), corpus]
        command += ["--mode", args.scale_mode, "--epoch", str(args.scale_epoch)]
        return run_logged(command, trees[side], out_dir / f"scale-{side}.log")

    ok = {("quality", side): quality(side) for side in ("old", "new")}
    ok.update({("scale", side): scale(side) for side in ("new", "old")})
    print("\n## Benchmarks")
    if ok["quality", "old"] and ok["quality", "new"]:
        tables = {s: parse_quality_table(out_dir / f"quality-{s}.md") for s in ("old", "new")}
        report_quality(tables)
    if ok["scale", "old"] and ok["scale", "new"]:
        report_scale({side: out_dir / f"scale-{side}.log" for side in ("old", "new")})
    return all(ok.values())


# -- command line ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=f"A commit is anything git rev-parse understands, or {WORKTREE}: the working "
        "tree as it is.",
    )
    parser.add_argument("old", metavar="OLD", help=f"commit to compare from, or {WORKTREE}")
    parser.add_argument("new", metavar="NEW", help=f"commit to compare to, or {WORKTREE}")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"at most {QUICK_TRAIN} training / {QUICK_TEST} test documents a set, "
        f"--ages {QUICK_AGES} unless given",
    )
    parser.add_argument(
        "--ages",
        type=int,
        metavar="N",
        help=f"training documents of the age corpus (default {AGES_TRAIN}; "
        f"{AGES_TEST} test documents, {QUICK_TEST} with --quick)",
    )
    names = [case["name"] for case in CASES]
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=names,
        default=names,
        metavar="CASE",
        help=f"some of {', '.join(names)} (default: all)",
    )
    parser.add_argument(
        "--atol",
        type=float,
        default=0.0,
        help="largest absolute difference accepted when not bit-identical, with the same "
        "predicted labels (default 0: bit-identical required)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        help="folder kept for the .npz files, logs and benchmark outputs "
        "(default: a temporary folder, removed)",
    )
    bench = parser.add_argument_group("benchmarks")
    bench.add_argument(
        "--bench", action="store_true", help="also run bench_quality.py and bench_scale.py"
    )
    bench.add_argument("--scale-docs", type=int, default=200_000, help="default 200000")
    bench.add_argument("--scale-vocab", type=int, default=200_000, help="default 200000")
    bench.add_argument("--scale-mode", choices=["fit", "fit_file"], default="fit")
    bench.add_argument("--scale-epoch", type=int, default=5, help="default 5")
    bench.add_argument(
        "--bench-args",
        nargs=argparse.REMAINDER,
        default=[],
        help="the rest of the command line goes to bench_quality.py (implies --bench)",
    )
    args = parser.parse_args(argv)
    if args.ages is None:
        args.ages = QUICK_AGES if args.quick else AGES_TRAIN
    args.bench = args.bench or bool(args.bench_args)
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        return worker(argv[1:])
    args = parse_args(argv)
    root = Path(git("rev-parse", "--show-toplevel", cwd=SCRIPT.parent))
    sides = {"old": args.old, "new": args.new}
    for side, commit in sides.items():
        try:
            print(f"{side}: {commit} = {describe(commit, root)}")
        except subprocess.CalledProcessError as error:
            sys.exit(f"error: {commit!r} is not a commit of {root}: {error.stderr.strip()}")
    cases = [case for case in CASES if case["name"] in args.cases]
    start = time.perf_counter()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="compare-commits-")))
        out_dir = args.out_dir or tmp / "out"
        out_dir.mkdir(parents=True, exist_ok=True)
        trees = {side: checkout(commit, root, tmp / side, stack) for side, commit in sides.items()}
        workers = {side: Worker(side, trees[side], out_dir, args) for side in sides}
        for worker_ in workers.values():
            stack.callback(worker_.close)
        for side, worker_ in workers.items():
            print(f"{side}: skfasttext imported from {worker_.ready()}")
        print(f"\nFitting {len(cases)} cases, random_state={SEED}, alternating sides\n")
        results = run_cases(workers, [case["name"] for case in cases])
        for worker_ in workers.values():
            worker_.close()
        passed = report_cases(cases, results, workers, args.atol)
        if args.bench:
            passed = run_benches(trees, args, out_dir) and passed
        if args.out_dir:
            print(f"\nOutputs and logs kept in {out_dir}")
    print(f"\n{'PASS' if passed else 'FAIL'} in {(time.perf_counter() - start) / 60:.1f} min")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
