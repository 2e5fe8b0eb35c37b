"""Training corpora: documents as ids, a chunk at a time, behind one small protocol.

A corpus has ``sizes`` (documents per chunk, known before training),
``chunks()`` (each chunk's :class:`~skfasttext.text.Ragged` ids, in order, once per
call) and ``take(rows)`` (the ids of some documents, e.g. a validation set).
:class:`InMemoryCorpus` is one chunk of ids already made; :class:`FileCorpus` reads
a fastText-format file once and keeps what it read on disk, for corpora larger
than memory.
"""

import os
import tempfile
import warnings
from contextlib import suppress
from itertools import chain, count

import numpy as np

from ._ragged import Ragged
from .io import iter_fasttext
from .text import KeptWords

__all__ = ["FileCorpus", "InMemoryCorpus"]


class InMemoryCorpus:
    """The ids of documents in memory: one chunk."""

    def __init__(self, ids):
        self.ids = Ragged(*ids)
        self.sizes = [len(self.ids.lengths)]

    def __len__(self):
        return self.sizes[0]

    def chunks(self):
        yield self.ids

    def take(self, rows):
        """The :class:`~skfasttext.text.Ragged` ids of documents ``rows``, in order."""
        return self.ids.take(rows)


class FileCorpus:
    """A fastText-format file read a chunk of documents at a time, never whole.

    :meth:`scan` reads it once, as fastText does, for the labels and the
    vocabulary, and keeps each chunk's words (:class:`~skfasttext.text.KeptWords`)
    in a temporary directory (4 bytes a token, with n-grams 8 more). The first
    pass of :meth:`chunks` turns each chunk's words into ids and keeps those in
    their place (4 bytes an id); later passes read the ids back. Only the labels
    of all documents, and one chunk of texts, words or ids, are in memory at a
    time. Use as a context manager: leaving it deletes the directory. Where the
    disk refuses the words, each pass reads the file again, with a warning.

    Parameters
    ----------
    path : str or path-like
        The fastText-format file.
    label_prefix, encoding, multi_label
        As in :func:`~skfasttext.io.iter_fasttext`.
    chunk_size : int, default=100_000
        Documents read at a time.
    """

    def __init__(self, path, *, label_prefix, encoding, multi_label, chunk_size=100_000):
        self.path, self.label_prefix, self.encoding = path, label_prefix, encoding
        self.multi_label, self.chunk_size = multi_label, chunk_size
        self.sizes, self.vectorizer, self.ids_of = [], None, None
        self.kept = False  # whether the words of every chunk are in the directory

    def __len__(self):
        return sum(self.sizes)

    def __enter__(self):
        self.directory = tempfile.TemporaryDirectory(prefix="skfasttext-")
        return self

    def __exit__(self, *exc_info):
        self.directory.cleanup()

    def read(self):
        """The file's ``(documents, labels)``, a chunk at a time."""
        return iter_fasttext(
            self.path,
            chunk_size=self.chunk_size,
            label_prefix=self.label_prefix,
            multi_label=self.multi_label,
            encoding=self.encoding,
        )

    def scan(self, vectorizer, *, fit=True):
        """Fit ``vectorizer`` on the file's texts and keep their words; return all labels.

        With ``fit=False`` (a fitted vectorizer, to train a model further) only the
        labels are kept: each pass reads and vectorizes the text again.
        """
        labels, self.sizes, self.kept = [], [], fit
        chunks = self.read()
        first = next(chunks, None)
        if first is None:
            raise ValueError(f"{self.path} holds no documents: at least one is required.")

        def documents():
            for docs, chunk_labels in chain([first], chunks):
                labels.extend(chunk_labels)
                self.sizes.append(len(docs))
                yield docs

        self.vectorizer = vectorizer
        if not fit:
            for _ in documents():
                pass
            return labels
        chunk = count()  # not len(self.sizes): the next chunk is read while this one is counted

        def keep(words):
            self.kept = self.kept and self._store(self._path(next(chunk), "words"), words)

        self.ids_of = vectorizer.fit_chunks(documents(), keep=keep)
        return labels

    def chunks(self):
        """The :class:`~skfasttext.text.Ragged` ids of each chunk of the file, in order.

        Made from the words kept by :meth:`scan` and kept in their place the
        first time through, read back after that: reading and vectorizing the
        text cost more than training on it.
        """
        if not self.kept:
            yield from self._ids_from_text()
            return
        for i in range(len(self.sizes)):
            ids, words = self._path(i, "ids"), self._path(i, "words")
            if os.path.exists(ids):
                yield Ragged(*self._load(ids))
                continue
            chunk = self.ids_of(KeptWords(*self._load(words)))
            if self._store(ids, chunk):
                os.remove(words)
            yield chunk

    def take(self, rows):
        """The :class:`~skfasttext.text.Ragged` ids of documents ``rows`` (increasing), read
        through :meth:`chunks`: only those documents' ids are kept in memory."""
        rows, first, parts = np.asarray(rows), 0, []
        for chunk in self.chunks():
            size = len(chunk.lengths)
            within = rows[(rows >= first) & (rows < first + size)] - first
            parts.append(chunk.take(within))
            first += size
        return Ragged.concatenate(parts)

    def _ids_from_text(self):
        """Each chunk's ids, read and vectorized again: the file must not have changed."""
        sizes = iter(self.sizes)
        for docs, _ in self.read():
            if len(docs) != next(sizes, None):
                raise self._changed()
            yield self.vectorizer.transform_ragged(docs)
        if next(sizes, None) is not None:
            raise self._changed()

    def _path(self, i, kind):
        """The file of chunk ``i``'s ``kind`` ('words' or 'ids') in the temporary directory."""
        return os.path.join(self.directory.name, f"{kind}-{i}.npy")

    @staticmethod
    def _load(path):
        """The arrays stored at ``path`` by :meth:`_store`, in order."""
        with open(path, "rb") as file:
            end = os.fstat(file.fileno()).st_size
            arrays = []
            while file.tell() < end:
                arrays.append(np.load(file))
            return arrays

    def _store(self, path, arrays):
        """Store ``arrays`` (None ones skipped) at ``path``; False, with a warning, where the
        disk refuses them (nothing is left at ``path`` then)."""
        try:
            with open(path, "wb") as file:
                for array in arrays:
                    if array is not None:
                        np.save(file, array)
        except OSError as error:
            with suppress(OSError):
                os.remove(path)
            warnings.warn(
                f"Could not keep what was read of {self.path} in {self.directory.name} "
                f"({error}): the fit goes on, reading or vectorizing it again each epoch, "
                "which is slower. Set TMPDIR to a disk with room for 12 bytes a token.",
                RuntimeWarning,
                stacklevel=2,
            )
            return False
        return True

    def _changed(self):
        return ValueError(
            f"{self.path} changed during the fit: it no longer holds the {len(self)} documents "
            "read for its vocabulary. Fit on a file that stays as it is."
        )
