"""fit_file: training from a fastText-format file read a chunk at a time."""

import os
import tempfile

import numpy as np
import pytest

from skfasttext import FastTextClassifier, FastTextRegressor
from skfasttext._corpus import FileCorpus
from skfasttext.datasets import make_age_corpus
from skfasttext.io import write_fasttext


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    docs, y = make_age_corpus(3000, random_state=0)
    test_docs, test_y = make_age_corpus(1000, random_state=1)
    path = tmp_path_factory.mktemp("data") / "train.txt"
    write_fasttext(path, docs, y)
    return path, docs, y, test_docs, test_y


def _record_chunks(monkeypatch):
    """Record each chunk of ids as training reads it: its size, its ids as bytes, and the
    kinds of file kept at that moment."""
    sizes, chunks, kinds = [], [], []
    original_chunks = FileCorpus.chunks

    def recorded(self):
        for values, lengths in original_chunks(self):
            sizes.append(len(lengths))
            chunks.append((values.tobytes(), lengths.tobytes()))
            kinds.append({name.split("-")[0] for name in os.listdir(self.directory.name)})
            yield values, lengths

    monkeypatch.setattr(FileCorpus, "chunks", recorded)
    return sizes, chunks, kinds


@pytest.mark.parametrize(
    "Estimator, ngrams",
    [(FastTextClassifier, {}), (FastTextRegressor, {}), (FastTextClassifier, {"word_ngrams": 2})],
)
def test_a_file_of_one_chunk_trains_as_fit(ages, Estimator, ngrams):
    """Its words kept on disk (with their fingerprints, for n-grams) give fit's ids."""
    path, docs, y, test_docs, _ = ages
    params = dict(dim=16, epoch=2, bucket=1000, random_state=0, **ngrams)
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
    seen, _, _ = _record_chunks(monkeypatch)
    from_file = Estimator(**params).fit_file(path, chunk_size=500)
    assert seen == [500] * 6 * 3  # six chunks read in each of three epochs, never more at once
    error_memory = np.abs(in_memory.predict(test_docs).astype(float) - test_y).mean()
    error_file = np.abs(from_file.predict(test_docs).astype(float) - test_y).mean()
    baseline = np.abs(np.median(y) - test_y).mean()
    assert error_file < baseline - 1.0
    assert abs(error_file - error_memory) < 0.25 * (baseline - error_memory)


def _count_reads(monkeypatch):
    """Record each reading of a file's text."""
    reads = []
    original_read = FileCorpus.read

    def read(self):
        reads.append(self.path)
        return original_read(self)

    monkeypatch.setattr(FileCorpus, "read", read)
    return reads


def _full_disk(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_the_text_is_read_once_and_its_ids_kept(ages, monkeypatch, tmp_path):
    """The scan keeps the words, the first epoch turns them into ids, later epochs read
    those back; the directory is deleted at the end."""
    path, *_ = ages
    reads = _count_reads(monkeypatch)
    seen, chunks, kinds = _record_chunks(monkeypatch)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    FastTextRegressor(dim=8, epoch=3, word_ngrams=2, random_state=0).fit_file(path, chunk_size=500)
    assert reads == [path] and seen == [500] * 6 * 3
    assert chunks[:6] == chunks[6:12] == chunks[12:]  # the same ids each epoch
    assert kinds[0] == {"words", "ids"} and kinds[5] == kinds[6] == kinds[-1] == {"ids"}
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FloatingPointError):  # a fit that fails deletes them too
        FastTextRegressor(
            dim=8, epoch=3, lr=1e6, loss="squared_error", hidden_units=0, random_state=0
        ).fit_file(path)
    assert list(tmp_path.iterdir()) == []


def test_a_disk_that_refuses_the_words_only_slows_the_fit(ages, monkeypatch):
    """Nothing can be kept: a warning, and each epoch reads the text again."""
    path, *_ = ages
    reads = _count_reads(monkeypatch)
    monkeypatch.setattr(np, "save", _full_disk)
    with pytest.warns(RuntimeWarning, match="No space left on device.*TMPDIR"):
        reg = FastTextRegressor(dim=8, epoch=3, random_state=0).fit_file(path)
    assert len(reads) == 1 + 3 and reg.n_iter_ == 3


def test_a_disk_that_fills_after_the_scan_only_slows_the_fit(ages, monkeypatch):
    """The words are kept but not their ids: each epoch makes the same ids from the words."""
    path, *_ = ages
    reads = _count_reads(monkeypatch)
    _, chunks, _ = _record_chunks(monkeypatch)
    original_scan = FileCorpus.scan

    def scan(self, vectorizer):
        labels = original_scan(self, vectorizer)
        monkeypatch.setattr(np, "save", _full_disk)
        return labels

    monkeypatch.setattr(FileCorpus, "scan", scan)
    with pytest.warns(RuntimeWarning, match="No space left on device"):
        FastTextClassifier(dim=8, epoch=2, word_ngrams=2, random_state=0).fit_file(
            path, chunk_size=500
        )
    assert reads == [path] and chunks[:6] == chunks[6:]


@pytest.mark.parametrize("keep", [2000, 4000])
def test_a_file_that_changes_during_the_fit_fails_clearly(ages, tmp_path, monkeypatch, keep):
    """Read again (no room for its words), fewer or more documents than the scan read: a
    ValueError, not TensorFlow's own error."""
    _, docs, y, *_ = ages
    path = tmp_path / "train.txt"
    write_fasttext(path, docs, y)
    original_scan = FileCorpus.scan

    def scan(self, vectorizer):
        labels = original_scan(self, vectorizer)
        write_fasttext(path, (docs * 2)[:keep], np.tile(y, 2)[:keep])
        return labels

    monkeypatch.setattr(FileCorpus, "scan", scan)
    monkeypatch.setattr(np, "save", _full_disk)
    with pytest.warns(RuntimeWarning), pytest.raises(ValueError, match="changed during the fit"):
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
    assert clf.label_prefix_ == "#"
    # a refit on documents forgets the file's prefix: the command line would misread lines
    assert not hasattr(clf.fit(["good fine", "bad awful"], ["pos", "neg"]), "label_prefix_")


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
