"""Tests of the command line (skfasttext.__main__): fastText's commands on skfasttext models."""

import contextlib
import io
import os
import pathlib
import re
import subprocess
import sys

import joblib
import numpy as np
import pytest

from skfasttext import FastTextClassifier, FastTextRegressor, load, make_age_corpus, write_fasttext
from skfasttext.__main__ import main
from skfasttext._startup import stderr_held
from skfasttext.io import format_vectors, split_tokens
from skfasttext.metrics import per_label_scores, precision_at_k, recall_at_k

TRAIN = ["-dim", "8", "-epoch", "3", "-lr", "0.5", "-verbose", "0"]


def _groups(ages):
    return np.where(ages < 25, "young", np.where(ages < 45, "adult", "old"))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Train and test files, and a classifier and a regressor trained by the command line."""
    root = tmp_path_factory.mktemp("cli")
    docs, ages = make_age_corpus(300, random_state=0, vocab_size=400)
    test_docs, test_ages = make_age_corpus(60, random_state=1, vocab_size=400)
    files = {
        "train": root / "train.txt",
        "test": root / "test.txt",
        "train_reg": root / "train_reg.txt",
        "test_reg": root / "test_reg.txt",
    }
    write_fasttext(files["train"], docs, _groups(ages))
    write_fasttext(files["test"], test_docs, _groups(test_ages))
    write_fasttext(files["train_reg"], docs, ages)
    write_fasttext(files["test_reg"], test_docs, test_ages)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(["supervised", "-input", str(files["train"]), "-output", str(root / "clf")])
        status += main(
            ["supervised", "-input", str(files["train_reg"]), "-output", str(root / "reg.bin")]
            + TRAIN
            + ["-regression"]
        )
    assert status == 0
    files["clf"], files["reg"] = root / "clf.skft", root / "reg.bin"
    return {key: str(path) for key, path in files.items()} | {
        "root": root,
        "test_docs": test_docs,
        "test_ages": test_ages,
    }


def _run(argv, capsys, stdin=None, monkeypatch=None):
    """``(status, stdout, stderr)`` of ``main(argv)``, with ``stdin`` as standard input."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    status = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_supervised_trains_and_saves_a_classifier(data):
    model = load(data["clf"])
    assert isinstance(model, FastTextClassifier)
    assert model.classes_.tolist() == ["adult", "old", "young"]
    # fastText's defaults where the command line gave none, and seed 0
    assert (model.dim, model.epoch, model.random_state) == (100, 5, 0)
    assert model.early_stopping is False  # fastText's every epoch, whatever -epoch
    # fastText's settings where the estimators' defaults differ
    assert (model.word_ngrams, model.pooling, model.threshold) == (1, "mean", 0.5)
    assert model.verbose == 1  # -verbose 2 (the default) shows Keras' progress bar
    assert not [name for name in os.listdir(data["root"]) if name.endswith(".tmp")]


def test_supervised_options_reach_the_estimator(data, capsys, tmp_path):
    output = tmp_path / "model.v1"  # has an extension: kept as is
    argv = ["supervised", "-input", data["train"], "-output", output, *TRAIN]
    argv += ["-minCount", 2, "-wordNgrams", 2, "-bucket", 1000, "-pooling", "max"]
    argv += ["-hiddenUnits", 4, "-maxLen", 50, "-seed", 3, "-thread", 4, "-noEos"]
    argv += ["-lrUpdateRate", 50, "-saveOutput"]  # fastText's, accepted and ignored
    status, out, err = _run(argv, capsys)
    assert (status, out, err) == (0, "", "")
    model = load(output)
    params = model.get_params()
    expected = dict(dim=8, epoch=3, lr=0.5, min_count=2, word_ngrams=2, bucket=1000)
    expected |= dict(pooling="max", hidden_units=4, max_len=50, random_state=3, verbose=0)
    expected |= dict(eos=False)
    assert {name: params[name] for name in expected} == expected


def test_supervised_progress_goes_to_stderr(data, capsys, tmp_path):
    argv = ["supervised", "-input", data["train"], "-output", tmp_path / "m", "-dim", "4"]
    status, out, err = _run(argv + ["-epoch", "2", "-verbose", "2"], capsys)
    assert status == 0 and out == ""
    assert "Epoch 2/2" in err and "Number of words:" in err
    assert "Number of labels: 3" in err
    assert f"Saved FastTextClassifier to {tmp_path / 'm.skft'}" in err
    assert os.path.isfile(tmp_path / "m.skft")


def test_test_prints_n_precision_recall(data, capsys):
    model = load(data["clf"])
    truth = _groups(data["test_ages"])
    for k in [1, 2]:
        status, out, _ = _run(["test", data["clf"], data["test"], k], capsys)
        top, _ = model.predict_top_k(data["test_docs"], k=k)
        p, r = precision_at_k(truth, top), recall_at_k(truth, top)
        assert status == 0
        assert out == f"N\t60\nP@{k}\t{p:.3g}\nR@{k}\t{r:.3g}\n"
    # a threshold of 1 leaves no prediction
    status, out, _ = _run(["test", data["clf"], data["test"], 1, 1.0], capsys)
    assert out.splitlines()[1:] == ["P@1\t0", "R@1\t0"]


@pytest.mark.parametrize("command", ["test", "test-label"])
def test_test_reads_stdin_as_fasttext_does(data, capsys, monkeypatch, command):
    _, from_file, _ = _run([command, data["clf"], data["test"], 2], capsys)
    text = pathlib.Path(data["test"]).read_text(encoding="utf-8")
    status, out, _ = _run([command, data["clf"], "-", 2], capsys, text, monkeypatch)
    assert status == 0 and out == from_file and "P@2" in out
    status, _, err = _run([command, data["clf"], "-"], capsys, "", monkeypatch)
    assert status == 1 and "<stdin> holds no documents" in err


def test_test_regressor_prints_mae_and_r2(data, capsys):
    model = load(data["reg"])
    assert isinstance(model, FastTextRegressor)
    error = model.predict(data["test_docs"]) - data["test_ages"]
    status, out, _ = _run(["test", data["reg"], data["test_reg"]], capsys)
    lines = out.splitlines()
    assert status == 0 and lines[0] == "N\t60"
    assert float(lines[1].split("\t")[1]) == pytest.approx(np.mean(np.abs(error)), rel=1e-5)
    y = data["test_ages"]
    r2 = 1 - np.sum(error**2) / np.sum((y - y.mean()) ** 2)
    assert float(lines[2].split("\t")[1]) == pytest.approx(r2, rel=1e-5, abs=1e-6)


def test_predict_and_predict_prob(data, capsys, monkeypatch):
    model = load(data["clf"])
    labels, proba = model.predict_top_k(data["test_docs"], k=2)

    status, out, _ = _run(["predict", data["clf"], data["test"]], capsys)
    assert status == 0
    assert out.splitlines() == [f"__label__{label}" for label in labels[:, 0]]

    status, out, _ = _run(["predict-prob", data["clf"], data["test"], 2], capsys)
    rows = [line.split() for line in out.splitlines()]
    assert [row[::2] for row in rows] == [[f"__label__{x}" for x in row] for row in labels]
    np.testing.assert_allclose([[float(p) for p in row[1::2]] for row in rows], proba, rtol=1e-5)

    # stdin, with the labels of a labelled line left out as fastText does
    text = "".join(f"__label__x {doc}\n" for doc in data["test_docs"][:3]) + "\n"
    status, out, _ = _run(["predict", data["clf"], "-", 3, 0.3], capsys, text, monkeypatch)
    top, _ = model.predict_top_k(data["test_docs"][:3] + [""], k=3, threshold=0.3)
    expected = [" ".join(f"__label__{x}" for x in row if x is not None) for row in top]
    assert status == 0 and out.splitlines() == expected
    assert len(expected[0].split()) < 3  # the threshold left some labels out


def test_predict_regressor_prints_numbers(data, capsys, monkeypatch):
    model = load(data["reg"])
    status, out, _ = _run(["predict", data["reg"], "-"], capsys, "w1 w2\nw3\n", monkeypatch)
    assert status == 0
    np.testing.assert_allclose(
        [float(line) for line in out.splitlines()], model.predict(["w1 w2", "w3"]), rtol=1e-5
    )


def test_print_word_vectors(data, capsys, monkeypatch):
    model = load(data["clf"])
    stdin = "w1 w2\n\nnever-seen\n"
    status, out, _ = _run(["print-word-vectors", data["clf"]], capsys, stdin, monkeypatch)
    lines = [line.split() for line in out.splitlines()]
    assert status == 0 and [line[0] for line in lines] == ["w1", "w2", "never-seen"]
    for line in lines:
        assert len(line) == 1 + model.dim
        vector = model.get_word_vector(line[0])
        np.testing.assert_allclose([float(v) for v in line[1:]], vector, rtol=1e-4, atol=1e-9)


def test_print_sentence_vectors(data, capsys, monkeypatch):
    model = load(data["clf"])
    docs = data["test_docs"][:4]
    stdin = "".join(f"__label__old {doc}\n" for doc in docs)
    status, out, _ = _run(["print-sentence-vectors", data["clf"]], capsys, stdin, monkeypatch)
    vectors = np.array([[float(v) for v in line.split()] for line in out.splitlines()])
    assert status == 0 and vectors.shape == (4, model.dim)
    np.testing.assert_allclose(vectors, model.transform(docs), rtol=1e-4, atol=1e-9)


def test_nn(data, capsys, monkeypatch):
    model = load(data["clf"])
    status, out, _ = _run(["nn", data["clf"], 3], capsys, "w1\nw5 \n", monkeypatch)
    lines = [line.split() for line in out.splitlines()]
    assert status == 0 and len(lines) == 6
    for query, block in [("w1", lines[:3]), ("w5", lines[3:])]:
        expected = model.most_similar(query, k=3)
        assert [word for word, _ in block] == [word for word, _ in expected]
        np.testing.assert_allclose([float(s) for _, s in block], [s for _, s in expected], 1e-4)
        assert query not in [word for word, _ in block]


def test_custom_label_prefix(tmp_path, capsys, monkeypatch):
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    write_fasttext(
        tmp_path / "t.txt", docs, ["old", "old", "young", "young"] * 10, label_prefix="#"
    )
    argv = ["supervised", "-input", tmp_path / "t.txt", "-output", tmp_path / "m", "-label", "#"]
    assert _run(argv + ["-dim", "8", "-epoch", "20", "-verbose", "0"], capsys)[0] == 0
    status, out, _ = _run(
        ["predict", tmp_path / "m.skft", "-"], capsys, "opera\n#old anime\n", monkeypatch
    )
    assert status == 0 and out == "#old\n#young\n"
    status, out, _ = _run(["test", tmp_path / "m.skft", tmp_path / "t.txt"], capsys)
    assert out == "N\t40\nP@1\t1\nR@1\t1\n"


def test_test_and_predict_use_the_models_label_prefix_(tmp_path, capsys, monkeypatch):
    """supervised -label: fit_file keeps the prefix in label_prefix_, test and predict use it."""
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    labels = ["old", "old", "young", "young"] * 10
    write_fasttext(tmp_path / "foo.txt", docs, labels, label_prefix="__foo__")
    argv = ["supervised", "-input", tmp_path / "foo.txt", "-output", tmp_path / "cli"]
    assert _run(argv + ["-label", "__foo__", *TRAIN], capsys)[0] == 0
    # a model fitted with fit has no label_prefix_: fastText's __label__
    FastTextClassifier(dim=8, epoch=3).fit(docs, labels).save(tmp_path / "fit")
    assert load(tmp_path / "cli.skft").label_prefix_ == "__foo__"
    assert not hasattr(load(tmp_path / "fit"), "label_prefix_")

    for model, prefix in [("cli.skft", "__foo__"), ("fit", "__label__")]:
        stdin = f"opera\n{prefix}old anime\n"
        status, out, _ = _run(["predict", tmp_path / model, "-", 2], capsys, stdin, monkeypatch)
        rows = [line.split() for line in out.splitlines()]
        assert status == 0 and len(rows) == 2, out
        assert {token for row in rows for token in row} == {f"{prefix}old", f"{prefix}young"}
        if prefix == "__foo__":
            status, out, _ = _run(["test", tmp_path / model, tmp_path / "foo.txt"], capsys)
            assert status == 0 and out.startswith("N\t40\nP@1\t")
    # a model of __label__ finds no label in a file of __foo__
    _one_line_error(
        *_run(["test", tmp_path / "fit", tmp_path / "foo.txt"], capsys),
        "line 1: no label (expected a token starting with '__label__')",
    )


# -- errors: one line on stderr, status 1 -----------------------------------------------


def _one_line_error(status, out, err, match):
    assert status == 1 and out == ""
    assert len(err.splitlines()) == 1, err
    assert match in err


def test_errors_are_one_line(data, capsys, tmp_path, monkeypatch):
    missing = tmp_path / "missing.txt"
    cases = [
        (["supervised", "-input", missing, "-output", tmp_path / "m"], "No such file"),
        (["supervised", "-input", data["train"]], "required: -output"),
        (["supervised", "-input", data["train"], "-output", tmp_path / "m", "-dim", "x"], "-dim"),
        (
            ["supervised", "-input", data["train"], "-output", tmp_path / "m", "-loss", "hsm"],
            "argument -loss: invalid choice: 'hsm'",
        ),
        (
            ["supervised", "-input", data["train"], "-output", tmp_path / "m", "-regression"],
            "a regression needs numeric labels, got __label__",
        ),
        (
            ["supervised", "-input", data["train"], "-output", tmp_path / "m", "-dim", "0"],
            "'dim' parameter",
        ),
        (["test", tmp_path / "none.skft", data["test"]], "No such model file"),
        (["test", data["train"], data["test"]], "is not a skfasttext model"),
        (["test", data["clf"], missing], "No such file or directory"),
        (["test", data["reg"], data["test"]], "a regression needs numeric labels"),
        (["predict", data["clf"], data["test"], 0], "k must be a positive integer"),
        (["predict-prob", data["reg"], data["test"]], "predict-prob needs a classifier"),
        (["nn", data["clf"], 0], "k must be a positive integer"),
        (["no-such-command"], "invalid choice"),
        ([], "required: command"),
    ]
    for argv, match in cases:
        _one_line_error(*_run(argv, capsys), match)
    assert not os.path.exists(tmp_path / "m.skft")

    joblib.dump({"not": "a model"}, tmp_path / "dict.skft")
    _one_line_error(*_run(["nn", tmp_path / "dict.skft"], capsys), "not a skfasttext model file")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ok\n\xff\xfe\n")))
    _one_line_error(*_run(["predict", data["clf"], "-"], capsys), "<stdin>, line 2: not UTF-8")


def test_python_m_skfasttext_missing_file(tmp_path):
    """The installed entry point: a missing file is one error line and status 1."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    missing = tmp_path / "missing.txt"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skfasttext",
            "supervised",
            "-input",
            missing,
            "-output",
            tmp_path / "m",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    # TensorFlow may log its own start-up lines; ours is the one last line
    ours = [line for line in result.stderr.splitlines() if line.startswith("skfasttext")]
    assert ours == [f"skfasttext: error: No such file or directory: {missing}"]
    assert result.stderr.splitlines()[-1] == ours[0]


# -- a quiet start: TensorFlow's start-up lines only when asked for --------------------

# a line of TensorFlow's C++ logging: I0000 00:00:1796358211.911124   20124 port.cc:153] ...
_TF_LOG_LINE = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] ", re.M)
_START_UP = ["absl::InitializeLog", "cudart_stub", "oneDNN custom operations", "cuInit"]
_TF_LOGS = "SKFASTTEXT_TF_LOGS"


def _tf_lines(stderr):
    """The lines of TensorFlow's start-up and C++ logging in ``stderr``."""
    return [
        line
        for line in stderr.splitlines()
        if _TF_LOG_LINE.match(line) or any(marker in line for marker in _START_UP)
    ]


def _cli(argv, cwd, **env):
    """``python -m skfasttext argv``, started: TensorFlow's log level left to the command."""
    base = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", _TF_LOGS)}
    return subprocess.Popen(
        [sys.executable, "-m", "skfasttext", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base | env,
        cwd=cwd,
    )


def test_start_is_quiet_errors_are_one_line_and_tf_logs_come_back(data, tmp_path):
    """No start-up line of TensorFlow's, unless SKFASTTEXT_TF_LOGS=1; what comes after shows.

    Three small runs at once: a training (Keras' progress bar and our messages come
    after TensorFlow started), an error once a model is loaded (our one line), and
    the latter again with SKFASTTEXT_TF_LOGS=1 (TensorFlow's lines come back).
    """
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 5
    write_fasttext(tmp_path / "t.txt", docs, ["old", "old", "young", "young"] * 5)
    train = ["supervised", "-input", "t.txt", "-output", "m", "-epoch", "1", "-dim", "8"]
    error = ["test", data["clf"], tmp_path / "missing.txt"]  # the model loads, then the error
    runs = [_cli(train, tmp_path), _cli(error, tmp_path), _cli(error, tmp_path, **{_TF_LOGS: "1"})]
    try:
        (out, err), (error_out, error_err), (_, loud_err) = [
            run.communicate(timeout=300) for run in runs
        ]
    finally:
        for run in runs:
            run.kill()  # a run that timed out; nothing, for one that ended

    assert runs[0].returncode == 0 and out == ""
    # python -m imports skfasttext/__init__.py, and so TensorFlow, before __main__ runs:
    # the package must let the command line start TensorFlow first
    assert not _tf_lines(err), f"TensorFlow's start-up lines reached stderr:\n{err}"
    assert "loss:" in err  # Keras' progress bar, written once TensorFlow runs
    assert err.splitlines()[-1] == "Saved FastTextClassifier to m.skft"

    ours = f"skfasttext: error: No such file or directory: {tmp_path / 'missing.txt'}"
    assert (runs[1].returncode, error_out, error_err) == (1, "", ours + "\n")

    assert runs[2].returncode == 1 and loud_err.splitlines()[-1] == ours
    assert _tf_lines(loud_err), loud_err  # this TensorFlow logs its start


def test_stderr_held_drops_the_block_s_output_or_shows_it_on_error(capfd):
    with stderr_held():
        os.write(2, b"start-up line\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
    with pytest.raises(ImportError, match="broken"), stderr_held():
        os.write(2, b"why it broke\n")
        raise ImportError("broken")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "why it broke\nafter\n"


def test_io_helpers_of_the_command_line():
    assert split_tokens("\t__label__a  b\x00c\u00a0d \r\n") == ["__label__a", "b", "c\u00a0d"]
    assert split_tokens("") == [] and split_tokens(" \x00\v") == []
    with pytest.raises(TypeError, match="'text' parameter of split_tokens"):
        split_tokens(b"bytes")
    vectors = np.array([[0.123456, -2.0], [1e-7, 3.0]], dtype=np.float32)
    assert list(format_vectors(vectors, words=["a", "b"], precision=2)) == [
        "a 0.12 -2\n",
        "b 1e-07 3\n",
    ]
    assert list(format_vectors(vectors[:0])) == []
    for words, match in [
        (["a"], "2 vectors"),
        (["a", "b c"], "words\\[1\\]"),
        ("ab", "array-like"),
    ]:
        with pytest.raises(ValueError, match=match):
            format_vectors(vectors, words=words)  # checked at the call, not at the first line
    with pytest.raises(ValueError, match="2-d array of numbers"):
        format_vectors([1.0, 2.0])
    with pytest.raises(ValueError, match="precision"):
        format_vectors(vectors, precision=0)


def test_demo_still_runs(capsys):
    assert main(["demo", "--documents", "200", "--epoch", "1"]) == 0
    out = capsys.readouterr().out
    assert "FastTextClassifier (ages as classes)" in out and "accuracy" in out
    assert "FastTextRegressor (ages as numbers)" in out and "MAE" in out


def test_main_doctest():
    import doctest

    import skfasttext._cli  # main's module: its doctest is there

    with contextlib.redirect_stderr(io.StringIO()) as err:
        result = doctest.testmod(skfasttext._cli)
    assert result.attempted >= 1 and result.failed == 0
    assert "No such model file" in err.getvalue()


def test_quantize_writes_a_small_model_that_serves_every_command(data, tmp_path, capsys):
    """quantize -output M reads M.skft and writes M.ftz, as fastText reads M.bin."""
    argv = ["supervised", "-input", data["train"], "-output", tmp_path / "m", *TRAIN]
    assert _run([*argv, "-wordNgrams", "2"], capsys)[0] == 0
    model = load(tmp_path / "m.skft")
    argv = ["quantize", "-output", tmp_path / "m", "-cutoff", "150", "-dsub", "4", "-qnorm"]
    status, out, err = _run([*argv, "-input", data["train"], "-retrain", "-verbose", "0"], capsys)
    assert (status, out, err) == (0, "", "")
    small = load(tmp_path / "m.ftz")
    assert small.input_dim_ == 150 < model.input_dim_
    assert small.get_params()["verbose"] == model.get_params()["verbose"]
    assert os.path.getsize(tmp_path / "m.ftz") < os.path.getsize(tmp_path / "m.skft") / 5
    status, out, _ = _run(["test", tmp_path / "m.ftz", data["test"]], capsys)
    assert status == 0 and out.startswith("N\t60\nP@1\t")
    status, out, _ = _run(["predict", tmp_path / "m.ftz", data["test"]], capsys)
    assert status == 0 and len(out.splitlines()) == 60
    _one_line_error(*_run(["quantize", "-output", tmp_path / "m", "-retrain"], capsys), "-input")
    _one_line_error(*_run(["quantize", "-output", tmp_path / "none"], capsys), "No such model")
    _one_line_error(*_run(["quantize", "-output", tmp_path / "m", "-dsub", "0"], capsys), "dsub")


# -- test-label, dump, analogies, -minCountLabel, -pretrainedVectors -------------------

_LABEL_LINE = re.compile(
    r"^F1-Score : (\d\.\d{6}|-{8})  Precision : (\d\.\d{6}|-{8})  Recall : (\d\.\d{6}|-{8})"
    r"   __label__(\w+)$"
)


def test_test_label_prints_each_label_then_the_summary(data, capsys):
    model = load(data["clf"])
    truth = _groups(data["test_ages"])
    for k in [1, 2]:
        status, out, _ = _run(["test-label", data["clf"], data["test"], k], capsys)
        lines = out.splitlines()
        assert status == 0 and len(lines) == len(model.classes_) + 3
        top, _ = model.predict_top_k(data["test_docs"], k=k)
        expected = per_label_scores(truth, top.tolist(), labels=model.classes_)
        fields = [_LABEL_LINE.match(line).groups() for line in lines[:3]]
        assert [label for *_, label in fields] == model.classes_.tolist()
        for f1, precision, recall, label in fields:
            p, r, f, _ = expected[label]
            assert (f1, precision, recall) == (f"{f:.6f}", f"{p:.6f}", f"{r:.6f}")
        # fastText's summary, left with three fixed decimals by test-label
        p, r = precision_at_k(truth, top), recall_at_k(truth, top)
        assert lines[3:] == ["N\t60", f"P@{k}\t{p:.3f}", f"R@{k}\t{r:.3f}"]
    # no prediction reaches a threshold of 1: no precision, as fastText prints it
    status, out, _ = _run(["test-label", data["clf"], data["test"], 1, 1.0], capsys)
    fields = [_LABEL_LINE.match(line).groups() for line in out.splitlines()[:3]]
    assert status == 0 and all(f[:3] == ("0.000000", "--------", "0.000000") for f in fields)
    assert out.splitlines()[3:] == ["N\t60", "P@1\t0.000", "R@1\t0.000"]
    _one_line_error(
        *_run(["test-label", data["reg"], data["test_reg"]], capsys),
        "test-label needs a classifier",
    )
    _one_line_error(*_run(["test-label", data["clf"], data["test"], 0], capsys), "k must be")


def test_dump_args_dict_input_output(data, capsys):
    model = load(data["clf"])
    status, out, _ = _run(["dump", data["clf"], "args"], capsys)
    lines = out.splitlines()
    assert status == 0 and lines[:6] == [
        "dim 100",
        "epoch 5",
        "minCount 1",
        "neg 5",
        "wordNgrams 1",
        "loss softmax",
    ]
    assert "seed 0" in lines and "label __label__" in lines and "pooling mean" in lines
    assert len(lines) == len(model.get_params()) + 1

    status, out, _ = _run(["dump", data["clf"], "dict"], capsys)
    rows = [line.split(" ") for line in out.splitlines()]
    words = model.vectorizer_.get_feature_names_out()[2:].tolist()
    assert status == 0 and rows[0] == [str(len(words) + 3)]
    assert [row[0] for row in rows[1:]] == words + [
        "__label__adult",
        "__label__old",
        "__label__young",
    ]
    assert [
        int(row[1]) for row in rows[1 : len(words) + 1]
    ] == model.vectorizer_.word_counts_.tolist()
    assert [row[2] for row in rows[1:]] == ["word"] * len(words) + ["label"] * 3

    status, out, _ = _run(["dump", data["clf"], "input"], capsys)
    lines = out.splitlines()
    assert status == 0 and lines[0] == f"{model.input_dim_} {model.dim}"
    matrix = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    np.testing.assert_allclose(matrix, model.embedding_, rtol=1e-5, atol=1e-9)

    status, out, _ = _run(["dump", data["reg"], "output"], capsys)
    kernel = load(data["reg"]).model_.get_layer("output").get_weights()[0]
    lines = out.splitlines()
    assert status == 0 and lines[0] == f"1 {kernel.shape[0]}"  # one unit, from 64 hidden
    np.testing.assert_allclose([float(v) for v in lines[1].split()], kernel[:, 0], rtol=1e-5)

    _one_line_error(*_run(["dump", data["clf"], "vectors"], capsys), "invalid choice: 'vectors'")
    _one_line_error(*_run(["dump", data["train"], "args"], capsys), "is not a skfasttext model")


def test_dump_a_quantized_model_prints_decoded_rows(tmp_path, capsys):
    docs = ["old opera", "opera tea", "game anime", "anime game game", "job rent"] * 10
    labels = ["old", "old", "young", "young", "adult"] * 10
    model = FastTextClassifier(dim=8, epoch=3, random_state=0).fit(docs, labels)
    kernel = model.model_.get_layer("output").get_weights()[0]
    model.quantize(dsub=2, qout=True).save(tmp_path / "m.ftz")
    status, out, _ = _run(["dump", tmp_path / "m.ftz", "input"], capsys)
    matrix = np.array([[float(v) for v in line.split()] for line in out.splitlines()[1:]])
    assert status == 0 and matrix.shape == (model.input_dim_, 8)
    np.testing.assert_allclose(matrix, model.embedding_, rtol=1e-5, atol=1e-9)
    # 3 labels: fewer than the centroids of a slice, so the decoded rows are the kernel's
    status, out, _ = _run(["dump", tmp_path / "m.ftz", "output"], capsys)
    lines = out.splitlines()
    assert status == 0 and lines[0] == "3 8"
    matrix = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    np.testing.assert_allclose(matrix, kernel.T, rtol=1e-4, atol=1e-6)


def test_analogies(data, capsys, monkeypatch):
    model = load(data["clf"])
    words, vectors = model.get_word_vectors()
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    stdin = "w1 w2 w3\nw4\nw5 never-seen\n"
    status, out, _ = _run(["analogies", data["clf"], 4], capsys, stdin, monkeypatch)
    lines = [line.split() for line in out.splitlines()]
    assert status == 0 and len(lines) == 8
    for triplet, block in [
        (["w1", "w2", "w3"], lines[:4]),
        (["w4", "w5", "never-seen"], lines[4:]),
    ]:
        a, b, c = (unit[list(words).index(w) if w in words else 0] for w in triplet)
        query = a - b + c
        similarity = unit @ query / np.linalg.norm(query)
        ranked = [i for i in np.argsort(-similarity) if i > 0 and words[i] not in triplet][:4]
        assert [word for word, _ in block] == [words[i] for i in ranked]
        np.testing.assert_allclose([float(s) for _, s in block], similarity[ranked], rtol=1e-4)
    # fastText's default k is 10
    status, out, _ = _run(["analogies", data["clf"]], capsys, "w1 w2 w3\n", monkeypatch)
    assert status == 0 and len(out.splitlines()) == 10
    status, out, err = _run(["analogies", data["clf"]], capsys, "w1 w2 w3 w4\n", monkeypatch)
    assert status == 1 and len(out.splitlines()) == 10
    assert (
        err == "skfasttext: error: analogies reads words three at a time (A B C); "
        "the input ended after 1 more: w4\n"
    )
    _one_line_error(*_run(["analogies", data["clf"], 0], capsys), "k must be a positive integer")


def test_min_count_label_drops_rare_labels_and_lines_left_without_one(tmp_path, capsys):
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 5 + ["tax rent", "tax"]
    labels = [["old"], ["old", "rare"], ["young"], ["young"]] * 5 + [["once"], ["rare"]]
    write_fasttext(tmp_path / "t.txt", docs, labels)
    argv = ["supervised", "-input", tmp_path / "t.txt", "-output", tmp_path / "m", *TRAIN]
    status, out, err = _run([*argv[:-1], "1", "-minCountLabel", "6"], capsys)
    assert status == 0 and out == ""
    # 'rare' is seen 6 times and kept; 'once' is dropped, and its line with it
    assert "-minCountLabel 6: 1 labels dropped, 1 lines left with no label skipped" in err
    model = load(tmp_path / "m.skft")
    assert model.classes_.tolist() == ["old", "rare", "young"] and model.multilabel_
    assert "tax" in model.vectorizer_.vocabulary_ and "rent" not in model.vectorizer_.vocabulary_
    assert _run([*argv, "-minCountLabel", "7"], capsys)[0] == 0
    assert load(tmp_path / "m.skft").classes_.tolist() == ["old", "young"]
    assert not load(tmp_path / "m.skft").multilabel_
    assert _run([*argv, "-minCountLabel", "1"], capsys)[0] == 0  # keeps every label
    assert len(load(tmp_path / "m.skft").classes_) == 4
    for extra, match in [
        (["-minCountLabel", "11"], "drops every label of"),
        (["-minCountLabel", "-1"], "-minCountLabel must be 0 or more"),
        (["-minCountLabel", "2", "-regression"], "-minCountLabel is for classifiers"),
    ]:
        _one_line_error(*_run([*argv, *extra], capsys), match)


def test_pretrained_vectors(tmp_path, capsys):
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 5
    write_fasttext(tmp_path / "t.txt", docs, ["old", "old", "young", "young"] * 5)
    vectors = np.arange(16, dtype=np.float32).reshape(2, 8) / 10
    (tmp_path / "p.vec").write_text(
        "2 8\n" + "".join(format_vectors(vectors, words=["opera", "missing"]))
    )
    argv = ["supervised", "-input", tmp_path / "t.txt", "-output", tmp_path / "m", "-dim", "8"]
    argv += ["-epoch", "1", "-lr", "0.0001", "-verbose", "0"]
    status, out, err = _run([*argv, "-pretrainedVectors", tmp_path / "p.vec"], capsys)
    assert (status, out, err) == (0, "", "")
    model = load(tmp_path / "m.skft")
    assert model.pretrained_vectors == str(tmp_path / "p.vec") and model.n_pretrained_ == 1
    # a tiny lr leaves the vector where it started
    np.testing.assert_allclose(model.get_word_vector("opera"), vectors[0], atol=1e-3)
    _one_line_error(
        *_run([*argv[:5], "-pretrainedVectors", tmp_path / "p.vec"], capsys),
        "holds vectors of dim 8, but -dim is 100: pass -dim 8",
    )
    _one_line_error(
        *_run([*argv, "-pretrainedVectors", tmp_path / "none.vec"], capsys),
        f"No such file or directory: {tmp_path / 'none.vec'}",
    )


@pytest.mark.filterwarnings("error")  # numpy's warning of a division by zero, once
def test_test_regressor_on_labels_of_one_value_prints_score_s_r2(data, capsys, tmp_path):
    path = tmp_path / "one_value.txt"
    write_fasttext(path, data["test_docs"], [30] * len(data["test_docs"]))
    status, out, err = _run(["test", data["reg"], path], capsys)
    assert status == 0 and err == ""
    r2 = load(data["reg"]).score(data["test_docs"], [30] * len(data["test_docs"]))
    assert out.splitlines()[2] == f"R2\t{r2:.6g}"
