"""Ragged ids: the ids of many documents end to end, with each document's length.

The whole package moves documents as a :class:`Ragged` pair (no padding between
documents) and pads only where a dense matrix is wanted (:meth:`Ragged.pad`).
numpy only.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["PAD_ID", "Ragged", "positions_within"]

#: Id of padding: id matrices are right-padded with it, and masked pooling ignores it.
PAD_ID = 0


def positions_within(sizes):
    """Position of each item within its group, for groups of ``sizes`` items end to end.

    >>> positions_within(np.array([2, 0, 3]))
    array([0, 1, 0, 1, 2])
    """
    return np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)


class Ragged(NamedTuple):
    """The ids of documents end to end, with the number of ids of each.

    A tuple, so ``values, lengths = ragged`` unpacks it. The vectorizer's
    ``fit_transform_ragged`` and ``transform_ragged`` return one; :meth:`pad`
    makes the padded id matrix of ``transform``.

    Attributes
    ----------
    values : ndarray of int32
        The ids of all documents, one document after the other.
    lengths : ndarray of int64
        The number of ids of each document.

    >>> ragged = Ragged.from_padded(np.array([[2, 3, 0], [4, 0, 0]]))
    >>> ragged.values.tolist(), ragged.lengths.tolist()
    ([2, 3, 4], [2, 1])
    >>> ragged.pad().tolist()
    [[2, 3], [4, 0]]
    """

    values: np.ndarray
    lengths: np.ndarray

    @classmethod
    def empty(cls):
        return cls(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))

    @classmethod
    def from_padded(cls, ids):
        """The ids of a padded matrix without its padding."""
        present = ids != PAD_ID
        return cls(ids[present].astype(np.int32), present.sum(axis=1).astype(np.int64))

    @classmethod
    def concatenate(cls, parts):
        """One ragged pair of the documents of a sequence of them, in order."""
        parts = list(parts)
        if len(parts) == 1:
            return cls(*parts[0])
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate(column) for column in zip(*parts, strict=True)))

    def truncate(self, max_len):
        """Keep the first ``max_len`` ids of each document (all of them for None)."""
        if max_len is None or len(self.lengths) == 0 or self.lengths.max() <= max_len:
            return self
        keep = positions_within(self.lengths) < max_len
        return Ragged(self.values[keep], np.minimum(self.lengths, max_len))

    def take(self, rows):
        """The documents ``rows``, end to end in that order."""
        starts = np.cumsum(self.lengths) - self.lengths
        kept = self.lengths[rows]
        # each value's position: its group's start, less the group's place, plus its own
        shift = np.repeat(starts[rows] - (np.cumsum(kept) - kept), kept)
        return Ragged(self.values[shift + np.arange(len(shift))], kept)

    def pad(self, width=None):
        """A right-padded int32 matrix, ``width`` wide (the longest document for None)."""
        width = int(self.lengths.max(initial=0)) if width is None else width
        values, lengths = self.truncate(width)
        out = np.full((len(lengths), width), PAD_ID, dtype=np.int32)
        out[np.repeat(np.arange(len(lengths)), lengths), positions_within(lengths)] = values
        return out
