"""Tests for fastText-format reading and writing (skfasttext.io)."""

import doctest
import io
import os
import re
import stat

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError

import skfasttext.io
from skfasttext.io import iter_fasttext, read_fasttext, write_fasttext

DOCS = ["great film ,  loved it", "dull\tand long", "学习 是 必要 的", "naïve café"]
LABELS = ["pos", "neg", "pos", "négatif"]
NORMALIZED = ["great film , loved it", "dull and long", "学习 是 必要 的", "naïve café"]


def _write_bytes(tmp_path, data, name="data.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_round_trip_single_label(tmp_path):
    path = tmp_path / "train.txt"
    write_fasttext(path, DOCS, LABELS)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "__label__pos great film , loved it"
    assert read_fasttext(path) == (NORMALIZED, LABELS)
    assert read_fasttext(str(path)) == (NORMALIZED, LABELS)


def test_round_trip_multi_label_and_numeric_labels(tmp_path):
    path = tmp_path / "multi.txt"
    labels = [["pos", "film"], ("neg",), np.array(["pos", "книга"]), ["x"]]
    write_fasttext(path, DOCS, labels)
    docs, read_labels = read_fasttext(path, multi_label=True)
    assert docs == NORMALIZED
    assert read_labels == [["pos", "film"], ["neg"], ["pos", "книга"], ["x"]]

    write_fasttext(path, DOCS, np.array([1, 0, 1, 2]))
    assert read_fasttext(path)[1] == ["1", "0", "1", "2"]


def test_round_trip_token_lists_and_custom_prefix(tmp_path):
    path = tmp_path / "ll.txt"
    token_docs = [doc.split() for doc in DOCS]
    write_fasttext(path, token_docs, LABELS, label_prefix="ll")
    assert path.read_text(encoding="utf-8").startswith("llpos great film")
    assert read_fasttext(path, label_prefix="ll") == (NORMALIZED, LABELS)
    # Read with the default prefix, the same file has no labels at all.
    with pytest.raises(ValueError, match="ll.txt, line 1: no label"):
        read_fasttext(path)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.text(alphabet="ab é学 \t\u3000\xa0", max_size=12),
            st.lists(st.text(alphabet="xyzü学", min_size=1, max_size=3), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_round_trip_property(rows):
    docs = [doc for doc, _ in rows]
    labels = [labs for _, labs in rows]
    # Tokens split on ASCII whitespace only: \u3000 and \xa0 are part of tokens, as in fastText.
    expected = [re.findall("[^ \t]+", doc) for doc in docs]
    f = io.StringIO()
    if not all(expected):
        with pytest.raises(ValueError, match="is empty"):
            write_fasttext(f, docs, labels)
        return
    write_fasttext(f, docs, labels)
    f.seek(0)
    read_docs, read_labels = read_fasttext(f, multi_label=True)
    assert [doc.split(" ") for doc in read_docs] == expected
    assert read_labels == labels


def test_blank_lines_crlf_bom_tabs(tmp_path):
    data = (
        "\ufeff__label__a  first\tline \r\n"
        "\r\n"
        "   \t \n"
        "\t__label__b\tsecond\x0bline\x00end\r\n"
        "__label__c third"  # no final newline
    ).encode("utf-8")
    path = _write_bytes(tmp_path, data)
    expected = (["first line", "second line end", "third"], ["a", "b", "c"])
    assert read_fasttext(path) == expected
    assert read_fasttext(io.BytesIO(data)) == expected
    assert read_fasttext(io.StringIO(data.decode("utf-8"))) == expected


def test_unicode_spaces_stay_in_tokens():
    docs, _ = read_fasttext(io.StringIO("__label__a x\u3000y\xa0z w\n"))
    assert docs == ["x\u3000y\xa0z w"]


def test_labels_are_leading_tokens_only():
    docs, labels = read_fasttext(io.StringIO("__label__a text __label__b more\n"))
    assert docs == ["text __label__b more"]
    assert labels == ["a"]


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "just text\n",
            r"data.txt, line 3: no label \(expected a token starting with '__label__'\)",
        ),
        ("__label__pos\n", r"data.txt, line 3: no text after the label '__label__pos'"),
        ("__label__pos  \t\r\n", r"data.txt, line 3: no text after the label"),
        ("__label__ text\n", r"data.txt, line 3: empty label '__label__'"),
        ("__label__a __label__ text\n", r"data.txt, line 3: empty label"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, line, message):
    path = _write_bytes(tmp_path, ("__label__a ok\n\n" + line + "__label__b ok\n").encode())
    with pytest.raises(ValueError, match=message):
        read_fasttext(path)


def test_undecodable_line(tmp_path):
    path = _write_bytes(tmp_path, b"__label__a ok\n__label__b caf\xe9\n")
    with pytest.raises(ValueError, match=r"data.txt, line 2: cannot decode with encoding 'utf-8'"):
        read_fasttext(path)
    assert read_fasttext(path, encoding="latin-1") == (["ok", "café"], ["a", "b"])


def test_several_labels_need_multi_label():
    f = io.StringIO("__label__a one\n__label__a __label__b two\n")
    with pytest.raises(ValueError, match=r"line 2: 2 labels .*pass multi_label=True"):
        read_fasttext(f)
    f.seek(0)
    # Not a malformed line but the wrong mode: skipping would silently drop data.
    with pytest.raises(ValueError, match="multi_label=True"):
        read_fasttext(f, on_error="skip")
    f.seek(0)
    assert read_fasttext(f, multi_label=True) == (["one", "two"], [["a"], ["a", "b"]])


def test_on_error_skip_keeps_texts_and_labels_aligned(tmp_path):
    data = (
        b"__label__a one\n"
        b"no label here\n"
        b"__label__b two\n"
        b"__label__c\n"
        b"__label__d caf\xe9\n"
        b"__label__e three\n"
    )
    path = _write_bytes(tmp_path, data)
    with pytest.warns(UserWarning, match=r"data.txt: skipped 3 malformed line\(s\) .*line 2"):
        docs, labels = read_fasttext(path, on_error="skip")
    assert docs == ["one", "two", "three"]
    assert labels == ["a", "b", "e"]


def test_streaming_chunks_equal_whole_read(tmp_path):
    path = tmp_path / "big.txt"
    docs = [f"doc number {i}" for i in range(25)]
    labels = [str(i % 3) for i in range(25)]
    write_fasttext(path, docs, labels)
    chunks = list(iter_fasttext(path, chunk_size=10))
    assert [len(chunk_docs) for chunk_docs, _ in chunks] == [10, 10, 5]
    assert [d for c, _ in chunks for d in c] == read_fasttext(path)[0] == docs
    assert [y for _, c in chunks for y in c] == read_fasttext(path)[1] == labels


def test_streaming_reads_lazily():
    consumed = []

    def lines():
        for i in range(1000):
            consumed.append(i)
            yield f"__label__a doc {i}\n"

    chunks = iter_fasttext(lines(), chunk_size=7)
    assert consumed == []  # nothing read before the first chunk is asked for
    docs, _ = next(chunks)
    assert docs == [f"doc {i}" for i in range(7)]
    assert len(consumed) == 7


def test_iter_fasttext_validates_eagerly():
    with pytest.raises(InvalidParameterError, match="chunk_size"):
        iter_fasttext(io.StringIO(""), chunk_size=0)
    with pytest.raises(ValueError, match="label_prefix must be a non-empty string"):
        iter_fasttext(io.StringIO(""), label_prefix="__ label")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"on_error": "ignore"}, InvalidParameterError, "on_error"),
        ({"label_prefix": ""}, ValueError, "label_prefix"),
        ({"multi_label": "yes"}, InvalidParameterError, "multi_label"),
    ],
)
def test_read_parameter_validation(kwargs, error, match):
    with pytest.raises(error, match=match):
        read_fasttext(io.StringIO("__label__a b\n"), **kwargs)


def test_empty_file():
    assert read_fasttext(io.StringIO("\n\n")) == ([], [])
    assert list(iter_fasttext(io.StringIO(""))) == []


@pytest.mark.parametrize(
    "docs, labels, match",
    [
        (["ok", " \t "], ["a", "b"], r"docs\[1\] is empty"),
        ([["ok"], []], ["a", "b"], r"docs\[1\] is empty"),
        ([["ok"], ["a b"]], ["a", "b"], r"docs\[1\] holds an empty token or a token with"),
        ([["ok"], ["", "x"]], ["a", "b"], r"docs\[1\] holds an empty token"),
        (["ok", "__label__x text"], ["a", "b"], r"docs\[1\] starts with the label prefix"),
        (["ok", "fine"], ["a", "b c"], r"labels\[1\] holds the label 'b c'"),
        (["ok", "fine"], ["a", ""], r"labels\[1\] holds the label ''"),
        (["ok", "fine"], ["a", []], r"labels\[1\] is empty"),
        (["ok", "fine"], ["a"], "Got 2 documents but 1 labels"),
        (["ok", "fine"], np.eye(2), r"array of shape \(2, 2\).*MultiLabelBinarizer"),
        ("one string", ["a"], "single string"),
    ],
)
def test_write_rejects_what_cannot_be_read_back(tmp_path, docs, labels, match):
    path = tmp_path / "out.txt"
    path.write_text("old content\n")
    with pytest.raises(ValueError, match=match):
        write_fasttext(path, docs, labels)
    assert path.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_write_is_atomic_when_replace_fails(tmp_path, monkeypatch):
    path = tmp_path / "out.txt"
    path.write_text("old content\n")

    def failing_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(skfasttext.io.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_fasttext(path, ["new"], ["a"])
    assert path.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["out.txt"]  # the temporary file is gone


def test_write_replaces_file_with_usual_permissions(tmp_path):
    path = tmp_path / "out.txt"
    write_fasttext(path, ["first"], ["a"])
    write_fasttext(path, ["second"], ["b"])
    assert path.read_bytes() == b"__label__b second\n"
    assert os.listdir(tmp_path) == ["out.txt"]
    reference = tmp_path / "plain.txt"
    reference.write_text("x")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_write_to_file_objects():
    text, binary = io.StringIO(), io.BytesIO()
    write_fasttext(text, ["déjà vu"], ["fr"])
    write_fasttext(binary, ["déjà vu"], ["fr"])
    assert text.getvalue() == "__label__fr déjà vu\n"
    assert binary.getvalue() == "__label__fr déjà vu\n".encode()


def test_docstring_examples_run():
    result = doctest.testmod(skfasttext.io, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3
    assert result.failed == 0
