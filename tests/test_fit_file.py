"""fit_file: training from a fastText-format file read a chunk at a time."""

import tempfile

import numpy as np
import pytest

import skfasttext._base as base
from skfasttext import FastTextClassifier, FastTextRegressor
from skfasttext.datasets import make_age_corpus
from skfasttext.io import write_fasttext


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    docs, y = make_age_corpus(3000, random_state=0)
    test_docs, test_y = make_age_corpus(1000, random_state=1)
    path = tmp_path_factory.mktemp("data") / "train.txt"
    write_fasttext(path, docs, y)
    return path, docs, y, test_docs, test_y


def _small_chunks(monkeypatch, size):
    """Read files ``size`` documents at a time, and record each chunk's size."""
    seen = []
    original = base._FileCorpus.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "chunk_size": size})

    original_ids = base._FileCorpus.id_chunks

    def id_chunks(self):
        for values, lengths in original_ids(self):
            seen.append(len(lengths))
            yield values, lengths

    monkeypatch.setattr(base._FileCorpus, "__init__", init)
    monkeypatch.setattr(base._FileCorpus, "id_chunks", id_chunks)
    return seen


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_a_file_of_one_chunk_trains_as_fit(ages, Estimator):
    path, docs, y, test_docs, _ = ages
    params = dict(dim=16, epoch=2, random_state=0)
    labels = [str(age) for age in y] if Estimator is FastTextClassifier else y
    in_memory = Estimator(**params).fit(docs, labels)
    from_file = Estimator(**params).fit_file(path)
    assert from_file.vectorizer_.vocabulary_ == in_memory.vectorizer_.vocabulary_
    np.testing.assert_allclose(
        from_file.transform(test_docs), in_memory.transform(test_docs), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("Estimator", [FastTextClassifier, FastTextRegressor])
def test_chunked_file_reads_a_chunk_at_a_time_with_the_quality_of_fit(ages, Estimator, monkeypatch):
    path, docs, y, test_docs, test_y = ages
    params = dict(dim=16, epoch=3, random_state=0)
    in_memory = Estimator(**params).fit(docs, y)
    seen = _small_chunks(monkeypatch, 500)
    from_file = Estimator(**params).fit_file(path)
    assert seen == [500] * 6 * 3  # six chunks read in each of three epochs, never more at once
    error_memory = np.abs(in_memory.predict(test_docs).astype(float) - test_y).mean()
    error_file = np.abs(from_file.predict(test_docs).astype(float) - test_y).mean()
    baseline = np.abs(np.median(y) - test_y).mean()
    assert error_file < baseline - 1.0
    assert abs(error_file - error_memory) < 0.25 * (baseline - error_memory)


def test_the_text_is_read_twice_and_later_epochs_read_back_its_ids(ages, monkeypatch, tmp_path):
    """Once for the vocabulary, once in the first epoch; the ids saved are deleted at the end."""
    path, *_ = ages
    seen = _small_chunks(monkeypatch, 500)
    reads, chunks = [], []
    original_read, original_ids = base._FileCorpus._read, base._FileCorpus.id_chunks

    def read(self):
        reads.append(self.path)
        return original_read(self)

    def id_chunks(self):
        for values, lengths in original_ids(self):
            chunks.append((values.tobytes(), lengths.tobytes()))
            assert len(list(tmp_path.iterdir())) == 1  # the fit's directory of ids
            yield values, lengths

    monkeypatch.setattr(base._FileCorpus, "_read", read)
    monkeypatch.setattr(base._FileCorpus, "id_chunks", id_chunks)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    FastTextRegressor(dim=8, epoch=3, random_state=0).fit_file(path)
    assert reads == [path, path] and seen == [500] * 6 * 3
    assert chunks[:6] == chunks[6:12] == chunks[12:]  # the same ids each epoch
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FloatingPointError):  # a fit that fails deletes them too
        FastTextRegressor(
            dim=8, epoch=3, lr=1e6, loss="squared_error", hidden_units=0, random_state=0
        ).fit_file(path)
    assert list(tmp_path.iterdir()) == []


def test_a_disk_that_refuses_the_ids_only_slows_the_fit(ages, monkeypatch):
    """The ids cannot be saved: a warning, and each epoch reads the text again."""
    path, *_ = ages
    reads = []
    original_read = base._FileCorpus._read

    def read(self):
        reads.append(self.path)
        return original_read(self)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(base._FileCorpus, "_read", read)
    monkeypatch.setattr(base.np, "save", full)
    with pytest.warns(RuntimeWarning, match="No space left on device.*TMPDIR"):
        reg = FastTextRegressor(dim=8, epoch=3, random_state=0).fit_file(path)
    assert len(reads) == 1 + 3 and reg.n_iter_ == 3


@pytest.mark.parametrize("keep", [2000, 4000])
def test_a_file_that_changes_during_the_fit_fails_clearly(ages, tmp_path, monkeypatch, keep):
    """Fewer or more documents than the scan read: a ValueError, not TensorFlow's own error."""
    _, docs, y, *_ = ages
    path = tmp_path / "train.txt"
    write_fasttext(path, docs, y)
    original_scan = base._FileCorpus.scan

    def scan(self, vectorizer):
        labels = original_scan(self, vectorizer)
        write_fasttext(path, (docs * 2)[:keep], np.tile(y, 2)[:keep])
        return labels

    monkeypatch.setattr(base._FileCorpus, "scan", scan)
    with pytest.raises(ValueError, match="changed during the fit"):
        FastTextRegressor(dim=8, epoch=2, random_state=0).fit_file(path)


def test_multi_label_lines_train_one_vs_all(tmp_path):
    path = tmp_path / "tags.txt"
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    write_fasttext(path, docs, [["old", "music"], ["old"], ["young", "music"], ["young"]] * 10)
    clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit_file(path)
    assert clf.multilabel_ and clf.classes_.tolist() == ["music", "old", "young"]
    assert clf.predict(["old opera"]).tolist() == [[1, 1, 0]]


def test_label_prefix(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text("#pos good fine\n#neg bad awful\n" * 10)
    clf = FastTextClassifier(dim=4, epoch=10, random_state=0).fit_file(path, label_prefix="#")
    assert sorted(clf.classes_.tolist()) == ["neg", "pos"]


@pytest.mark.parametrize(
    "text, Estimator, message",
    [
        ("", FastTextClassifier, "holds no documents"),
        ("\n\n", FastTextRegressor, "holds no documents"),
        ("__label__x a b\n__label__3 c\n", FastTextRegressor, "numeric labels, got __label__x"),
        ("__label__a x\n", FastTextClassifier, "at least 2 classes"),
        ("no label here\n", FastTextClassifier, "line 1"),
    ],
)
def test_bad_files_fail_clearly(tmp_path, text, Estimator, message):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        Estimator(epoch=1).fit_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        FastTextClassifier().fit_file(tmp_path / "nowhere.txt")
