"""Fuzzing (hypothesis) of the fastText-format reader and of the command line with malformed files.

The reader either reads a file or raises a plain ValueError naming the line; the
command line either succeeds or exits with status 1 and one line on stderr, and a
failed ``supervised`` leaves the model file it would have replaced untouched.
"""

import contextlib
import io
import os
import re
import tempfile
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from skfasttext import FastTextClassifier, FastTextRegressor, load, read_fasttext
from skfasttext.__main__ import main
from skfasttext._training import Trainer

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TRAIN = ["-dim", "4", "-epoch", "1", "-bucket", "100", "-verbose", "0"]
GOOD = "".join(f"__label__{'ab'[i % 2]} w{i % 7} w{i % 3} common\n" for i in range(20))
GOOD_REG = "".join(f"__label__{i % 5} w{i % 7} w{i % 3} common\n" for i in range(20))

# -- malformed files ------------------------------------------------------------------------

_tokens = st.one_of(
    st.sampled_from(["w1", "w2", "common", "漢字", "😀", "\x00", "a\x00b", "\x01", "\ufeff"]),
    st.sampled_from(["__label__", "__label__a", "__label__b", "__label__1.5", "__label__nan"]),
    st.sampled_from(["__label__inf", "__label__1e999", "__label__-3"]),
    st.text(max_size=8),
    st.just("x" * 70_000),  # a huge line
)
_spaces = st.sampled_from([" ", "  ", "\t", "\r", "\v", "\f", "\x00", "\u00a0", "\u3000"])
_endings = st.sampled_from(["\n", "\r\n", "\r", "\n\n", ""])


@st.composite
def _line(draw):
    labels = draw(st.lists(st.sampled_from(["a", "b", "1", "2.5", "", "x y"]), max_size=3))
    parts = [f"__label__{label}" for label in labels]
    parts += draw(st.lists(_tokens, max_size=6))
    text = draw(_spaces).join(parts) if parts else ""
    if draw(st.booleans()):
        text = draw(_spaces) + text
    data = (text + draw(_endings)).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 24)) == 0:  # invalid UTF-8 somewhere in the line
        cut = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe6\xbc", b"\xed\xa0\x80", b"\x80"]))
        data = data[:cut] + bad + data[cut:]
    return data


_good_line = st.builds(
    lambda label, words, end: f"__label__{label} {' '.join(words)}{end}".encode(),
    st.sampled_from(["a", "b", "1", "2.5"]),
    st.lists(st.sampled_from(["w1", "w2", "common", "漢字", "😀"]), min_size=1, max_size=4),
    st.sampled_from(["\n", "\r\n", "\n\n", "\r\n\r\n"]),
)
malformed_files = st.one_of(
    st.binary(max_size=400),  # random bytes
    st.lists(_line(), max_size=12).map(b"".join),  # random lines, mostly almost right
    st.lists(_good_line, min_size=1, max_size=12).map(b"".join),  # good, CRLF mixes
    st.tuples(st.lists(_good_line, max_size=6), _line(), st.lists(_good_line, max_size=6)).map(
        lambda parts: b"".join([*parts[0], parts[1], *parts[2]])  # one odd line among good
    ),
    st.lists(_line(), max_size=6).map(lambda lines: GOOD.encode() + b"".join(lines)),
)

_LINE_ERROR = re.compile(r", line \d+: ")


def _check_read(result):
    docs, labels = result
    assert len(docs) == len(labels)
    for doc, label in zip(docs, labels, strict=True):
        assert doc and doc == " ".join(re.split("[ \t\n\r\v\f\0]+", doc))
        assert label and not re.search("[ \t\n\r\v\f\0]", label)


@SETTINGS
@given(data=malformed_files)
def test_reader_reads_or_names_the_line(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.txt")
        with open(path, "wb") as f:
            f.write(data)
        sources = [path, io.BytesIO(data)]
        try:  # a text-mode file that splits lines at "\n" only, as a path is read
            sources.append(io.StringIO(data.decode("utf-8"), newline="\n"))
        except UnicodeDecodeError:
            pass
        outcomes = []
        for source in sources:
            try:
                outcomes.append(read_fasttext(source))
            except ValueError as exc:
                assert type(exc) is ValueError, repr(exc)  # not a UnicodeDecodeError
                message = str(exc)
                assert _LINE_ERROR.search(message) and "\n" not in message, message
                outcomes.append(_LINE_ERROR.split(message)[-1])
        # a path, the same bytes in memory and the decoded text read alike
        assert all(outcome == outcomes[0] for outcome in outcomes), outcomes
        event("read" if isinstance(outcomes[0], tuple) else "line error")
        if isinstance(outcomes[0], tuple):
            _check_read(outcomes[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            try:  # skipping bad lines raises only for several labels: the wrong mode
                skipped = read_fasttext(path, on_error="skip")
            except ValueError as exc:
                assert type(exc) is ValueError and "multi_label=True" in str(exc), str(exc)
                assert _LINE_ERROR.search(str(exc))
            else:
                _check_read(skipped)
                if isinstance(outcomes[0], tuple):
                    assert skipped == outcomes[0]


# -- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A directory for the module, with a good model of each kind and its bytes."""
    root = str(tmp_path_factory.mktemp("fuzz"))
    paths = {}
    for name, text, extra in [("clf", GOOD, []), ("reg", GOOD_REG, ["-regression"])]:
        train = os.path.join(root, f"{name}.txt")
        with open(train, "w") as f:
            f.write(text)
        argv = ["supervised", "-input", train, "-output", train[:-4], *TRAIN, *extra]
        status, _, err = _main(argv)
        assert status == 0, err
        paths[name] = train[:-4] + ".skft"
    return root, paths


def _main(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def _check_failure(status, out, err):
    assert status == 1, (status, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err  # one line: never a traceback
    assert lines[0].startswith("skfasttext: error: "), lines[0]


def _fuzz_file(root, data):
    path = os.path.join(root, "fuzz.txt")
    with open(path, "wb") as f:
        f.write(data)
    return path


# no shrinking: each example may train a model, and a failing one is readable as drawn
@settings(SETTINGS, max_examples=30, phases=[Phase.explicit, Phase.generate])
@given(data=malformed_files, regression=st.booleans())
def test_cli_supervised_fails_cleanly_and_keeps_the_old_model(workdir, data, regression):
    root, models = workdir
    path = _fuzz_file(root, data)
    good = models["reg" if regression else "clf"]
    target = os.path.join(root, "target.skft")
    with open(good, "rb") as f:
        before = f.read()
    with open(target, "wb") as f:
        f.write(before)
    extra = ["-regression"] if regression else []
    status, out, err = _main(["supervised", "-input", path, "-output", target, *TRAIN, *extra])
    event(f"status {status}")
    if status == 0:
        assert out == "" and err == ""
        model = load(target)
        assert isinstance(model, FastTextRegressor if regression else FastTextClassifier)
        assert np.isfinite(model.transform(["common w1"])).all()
    else:
        _check_failure(status, out, err)
        with open(target, "rb") as f:
            assert f.read() == before  # a failed run never replaces the model
    assert sorted(os.listdir(root)) == sorted(  # no temporary file left behind
        ["clf.skft", "clf.txt", "reg.skft", "reg.txt", "fuzz.txt", "target.skft"]
    )


@SETTINGS
@given(data=malformed_files, kind=st.sampled_from(["clf", "reg"]), k=st.integers(1, 3))
def test_cli_test_fails_cleanly(workdir, data, kind, k):
    root, models = workdir
    status, out, err = _main(["test", models[kind], _fuzz_file(root, data), k])
    event(f"status {status}")
    if status == 0:
        assert err == ""
        assert out.startswith("N\t") and len(out.splitlines()) == 3
        assert int(out.split()[1]) >= 1
    else:
        _check_failure(status, out, err)


@SETTINGS
@given(data=malformed_files, kind=st.sampled_from(["clf", "reg"]), prob=st.booleans())
def test_cli_predict_fails_cleanly(workdir, data, kind, prob):
    root, models = workdir
    command = "predict-prob" if prob and kind == "clf" else "predict"
    status, out, err = _main([command, models[kind], _fuzz_file(root, data), "2"])
    event(f"status {status}")
    if status == 0:
        assert err == ""
        n_lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        lines = out.splitlines()
        assert len(lines) == n_lines  # one answer per input line
        if kind == "reg":
            assert all(np.isfinite(float(line)) for line in lines)
        else:
            assert all(line.startswith("__label__") for line in lines)
    else:
        _check_failure(status, out, err)
        assert "not UTF-8" in err


def _copy_good_model(workdir, name="clf"):
    root, models = workdir
    target = os.path.join(root, "target.skft")
    with open(models[name], "rb") as f:
        before = f.read()
    with open(target, "wb") as f:
        f.write(before)
    return root, target, before


def test_cli_supervised_failing_in_fit_keeps_the_old_model(workdir, monkeypatch):
    """A run that fails in training (not in reading) leaves the old model's bytes too."""
    root, target, before = _copy_good_model(workdir)

    def diverge(self, *args, **kwargs):
        raise FloatingPointError("Training diverged in epoch 1. Lower lr.")

    monkeypatch.setattr(Trainer, "fit", diverge)
    argv = ["supervised", "-input", os.path.join(root, "clf.txt"), "-output", target, *TRAIN]
    status, out, err = _main(argv)
    _check_failure(status, out, err)
    assert "diverged" in err
    with open(target, "rb") as f:
        assert f.read() == before
    assert not [name for name in os.listdir(root) if name.endswith(".tmp")]


def test_cli_supervised_huge_lr_fails_cleanly_or_saves_a_finite_model(workdir):
    root, target, before = _copy_good_model(workdir)
    argv = ["supervised", "-input", os.path.join(root, "clf.txt"), "-output", target, *TRAIN]
    status, out, err = _main([*argv, "-lr", "1e38", "-epoch", "3"])
    if status == 0:
        model = load(target)
        assert np.isfinite(model.predict_proba(["common w1", "w2"])).all()
    else:
        _check_failure(status, out, err)
        assert "diverged" in err and "Lower lr" in err
        with open(target, "rb") as f:
            assert f.read() == before
