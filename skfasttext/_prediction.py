"""Predictions: a fitted estimator's ids through its network, a flat batch at a time."""

from functools import partial

import numpy as np
import tensorflow as tf
from sklearn.utils.validation import check_is_fitted

from ._ragged import Ragged
from ._validation import Documents, check_input
from .model import flat_model
from .text import UNKNOWN_ID

__all__ = ["PredictionMixin"]

_PREDICT_BATCH = 1024  # documents a graph call at prediction


def _run_model(model, ids, segment_ids):
    return model([ids, segment_ids], training=False)


class PredictionMixin:
    """The outputs of a fitted estimator's layers for documents or ids: ``transform``,
    and what ``predict`` and ``predict_proba`` build on (``_forward``, ``_outputs``).

    Needs the fitted ``model_``, ``vectorizer_`` (None for ids), ``input_dim_`` and the
    ``max_len`` parameter.
    """

    def _ids(self, X):
        """Ragged ids of documents or an id matrix, for a fitted estimator."""
        X = check_input(X)
        if isinstance(X, Documents):
            if self.vectorizer_ is None:
                raise TypeError(
                    f"{type(self).__name__} was fitted on an id matrix: pass a 2-d integer "
                    "array of ids, not documents."
                )
            return self.vectorizer_.transform_ragged(X)
        values, lengths = Ragged.from_padded(X)
        # ids never seen in fit (e.g. new n-gram buckets) are read as the unknown word
        values[values >= self.input_dim_] = UNKNOWN_ID
        return Ragged(values, lengths).truncate(self.max_len)

    def _forward(self, X, layer):
        """Outputs of the layer named ``layer`` for X, in the order of X."""
        check_is_fitted(self)
        return self._outputs(self._ids(X), layer)

    def _outputs(self, ids, layer):
        """Outputs of the layer named ``layer`` for Ragged ``ids``, a document a row.

        The documents go end to end, ``_PREDICT_BATCH`` a call, as training's flat
        batches go: no padding, so no time spent on it (a call of fewer documents
        leaves the last rows empty, dropped).
        """
        forward = self._graph(layer)
        values, lengths = ids
        ends = np.cumsum(lengths)
        outputs = []
        for first in range(0, len(lengths), _PREDICT_BATCH):
            sizes = lengths[first : first + _PREDICT_BATCH]
            start = ends[first] - sizes[0]
            segment_ids = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
            batch = values[start : start + len(segment_ids)]
            outputs.append(forward(batch, segment_ids).numpy()[: len(sizes)])
        return np.concatenate(outputs)

    def _graph(self, layer):
        """Compiled function from a flat batch of ids to the output of ``layer``.

        Traced once, for any number of ids: Keras's predict functions retrace for
        each new batch shape, and ``predict()`` takes longer to set up than one
        document takes to predict; eager calls cost more (``docs/benchmarks.md``).
        """
        graphs = self.__dict__.setdefault("_graphs", {})
        if layer not in graphs:
            model = flat_model(self.model_, _PREDICT_BATCH, last=layer, jit_compile=False)
            # a partial, not a closure: TensorFlow counts traces per code object and
            # would warn of "retracing" once a few estimators have each traced theirs
            graphs[layer] = tf.function(
                partial(_run_model, model),
                input_signature=[tf.TensorSpec([None], tf.int32)] * 2,
                autograph=False,
            )
        return graphs[layer]

    def _decision(self, X):
        return self._forward(X, "output")

    def transform(self, X):
        """Document embeddings: the pooled word vectors of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents to embed, or their ids (as in :meth:`fit`).

        Returns
        -------
        embeddings : ndarray of shape (n_documents, dim)
            One vector per document: the output of the pooling layer. With
            ``eos=False``, a document with no token pools to zeros.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.transform(["opera tea", "game"]).shape
        (2, 8)
        """
        return self._forward(X, "pooling")
