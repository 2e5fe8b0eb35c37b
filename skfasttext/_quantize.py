"""The estimators' ``quantize``: fewer rows, and rows of bytes (fastText's ``quantize``)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._corpus import InMemoryCorpus
from ._pq import largest_rows
from ._sklearn_compat import Interval, validate_params
from ._validation import check_input, check_n_documents
from .layers import QuantizedEmbedding, _SampledOutput
from .model import quantized_model, select_rows
from .text import EOS, PAD_ID, UNKNOWN_ID

__all__ = ["QuantizeMixin"]


class QuantizeMixin:
    """``quantize`` for the estimators: ``model_`` and ``vectorizer_`` made smaller."""

    @validate_params(
        {
            "X": ["array-like", None],
            "y": ["array-like", None],
            "sample_weight": ["array-like", None],
            "cutoff": [Interval(Integral, 0, None, closed="left")],
            "dsub": [Interval(Integral, 1, None, closed="left")],
            "qnorm": ["boolean"],
            "qout": ["boolean"],
            "retrain": ["boolean"],
            "epoch": [Interval(Integral, 1, None, closed="left"), None],
            "lr": [Interval(Real, 0, None, closed="neither"), None],
        },
        prefer_skip_nested_validation=True,
    )
    def quantize(
        self,
        X=None,
        y=None,
        *,
        sample_weight=None,
        cutoff=0,
        dsub=2,
        qnorm=False,
        qout=False,
        retrain=False,
        epoch=None,
        lr=None,
    ):
        """Make the fitted model smaller: fewer rows, each stored in a few bytes.

        As fastText's ``quantize``: with ``cutoff``, only the ``cutoff`` rows of
        largest norm are kept (words and n-grams; ``</s>`` always), and every word
        or n-gram without a row is dropped, a word unknown to the model too
        (``vectorizer_.drop_unknown_`` becomes True). With ``retrain``, the
        kept rows are trained again on ``X`` and ``y`` first (the layers after them
        stay as they are). Then every row is product-quantized: cut into slices of
        ``dsub`` values, each slice replaced by one of 256 centroids, stored as a
        byte. The estimator predicts, transforms and saves as before; training it
        again (``fit``) starts from scratch.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int, default=None
            Documents to retrain on (``retrain=True``), as in ``fit``.
        y : array-like, default=None
            Their targets, in the fitted model's classes or units.
        sample_weight : array-like of shape (n_documents,), default=None
            Weights of the documents to retrain on.
        cutoff : int, default=0
            Rows kept, those of largest norm; 0 keeps all.
        dsub : int, default=2
            Values of a row coded by one byte.
        qnorm : bool, default=False
            Quantize each row's norm apart from its direction.
        qout : bool, default=False
            Quantize the output layer too (two values a byte).
        retrain : bool, default=False
            Train the kept rows again on ``X`` and ``y`` before quantizing.
        epoch : int, default=None
            Epochs of retraining; None: the fit's, ``epoch_`` (``epoch`` with 'auto'
            resolved).
        lr : float, default=None
            Learning rate of retraining; None: the estimator's ``lr``.

        Returns
        -------
        self : object
            The estimator, quantized.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.quantize(dsub=4).predict(["tea opera", "anime"])
        array([0, 1])
        """
        check_is_fitted(self)
        table = self.model_.get_layer("embedding")
        if isinstance(table, QuantizedEmbedding):
            raise ValueError(f"This {type(self).__name__} is quantized already.")
        if retrain and (X is None or y is None):
            raise ValueError("retrain=True trains again on X and y: pass both.")
        if qout and isinstance(self.model_.get_layer("output"), _SampledOutput):
            raise ValueError(
                f"qout quantizes a Dense output layer; this model's output is "
                f"{type(self.model_.get_layer('output')).__name__} (loss='hs' or 'ns'), which "
                "stays in floats: quantize it with qout=False."
            )
        if 0 < cutoff < self.input_dim_:
            if self.vectorizer_ is None:
                raise ValueError(
                    "cutoff drops rows of the vocabulary, but this model was fitted on ids "
                    "(no vectorizer): quantize it with cutoff=0."
                )
            always = [PAD_ID, UNKNOWN_ID, self.vectorizer_.vocabulary_.get(EOS, PAD_ID)]
            norms = np.linalg.norm(table.rows(np.arange(self.input_dim_)), axis=1)
            keep = largest_rows(norms, cutoff, always)
            # a word left out is dropped, as fastText drops the words it does not know: as
            # unknown words they would share one row, too common a row to retrain
            self.vectorizer_ = self.vectorizer_.select_ids(keep, drop_unknown=True)
            self.model_ = select_rows(self.model_, keep)
            self.input_dim_ = len(keep)
        if retrain:
            self._retrain(X, y, sample_weight, epoch or self.epoch_, lr or self.lr)
        self.model_ = quantized_model(
            self.model_, dsub=dsub, qnorm=qnorm, qout=qout, seed=self._seed()
        )
        self._graphs = {}
        return self

    def _retrain(self, X, y, sample_weight, epoch, lr):
        """Train ``model_`` further on X and y, their targets encoded as fit encoded its."""
        X = check_input(X)
        target, weight, head = self._encode_targets(y, sample_weight, learn=False)
        check_n_documents(X, len(target))
        corpus = InMemoryCorpus(self._ids(X))
        # the word vectors alone, as fastText's -retrain: a head trained afresh (Adam
        # restarted) would first undo what it learnt
        self._run_trainer(corpus, target, weight, head, epoch, lr, self._seed(), train_head=False)
