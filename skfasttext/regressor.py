"""FastTextRegressor: word vectors, masked pooling, a linear output on a standardised target."""

import numpy as np
from sklearn.base import RegressorMixin

from ._base import BaseFastText
from ._docstrings import fill_doc
from ._sklearn_compat import StrOptions, fit_context
from ._targets import numeric_targets, regression_head, standardize
from ._validation import document_weights, numeric_labels
from .persistence import storable

__all__ = ["FastTextRegressor"]


@storable
@fill_doc(
    attributes=[
        "vectorizer_",
        "input_dim_",
        "batch_size_",
        "epoch_",
        "n_pretrained_",
        "label_prefix_",
        "model_",
        "target_mean_",
        "target_scale_",
        "history_",
        "n_iter_",
    ],
    own_parameters={
        "pooling": """pooling : {'mean', 'sqrtn', 'max', 'lp'}, default='mean'
    How word vectors become a document vector: masked mean (fastText's), sum
    over the square root of the number of words (TF-IDF's L2 normalisation
    without the idf: the classifier's default; with the tanh hidden layer,
    the mean trains better), feature-wise max, or power mean of absolute
    values with exponent ``p``.""",
        "hidden_units": """hidden_units : int, default=64
    Units of a tanh hidden layer; 0 for none (fastText's linear model). A
    linear output over averaged word vectors is an average of per-word scores,
    pulled towards the mean by every uninformative word; the hidden layer lets
    informative words dominate.""",
        "loss": """loss : {'absolute_error', 'huber', 'squared_error'}, default='huber'
    Training loss on the standardised target. 'absolute_error' aims at the
    median and the lowest MAE; 'squared_error' at the mean; 'huber' is squared
    near the target (within one standard deviation) and absolute beyond,
    robust to outliers and smooth to train.""",
    },
    own_attributes={
        "model_": """model_ : keras.Model
    The trained network, from ids to the standardised target.""",
        "target_mean_": """target_mean_ : float
    Mean of the training targets (weighted).""",
        "target_scale_": """target_scale_ : float
    Standard deviation of the training targets (weighted), 1 if they are constant.""",
    },
)
class FastTextRegressor(RegressorMixin, BaseFastText):
    """fastText-style text regressor: word vectors, masked pooling, linear output.

    The network of :class:`FastTextClassifier` with one linear output. Targets
    are standardised inside (any scale trains alike: ages, years, prices) and
    predictions mapped back.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    FastTextClassifier : The same network with a softmax output.

    Examples
    --------
    >>> from skfasttext import FastTextRegressor
    >>> docs = ["opera tea", "tea", "anime game", "game"] * 10
    >>> ages = [70, 65, 15, 20] * 10
    >>> reg = FastTextRegressor(dim=8, epoch=30, random_state=0).fit(docs, ages)
    >>> old, young = reg.predict(["opera tea", "anime game"])
    >>> bool(old > 50 > young)
    True
    """

    _parameter_constraints: dict = {
        **BaseFastText._parameter_constraints,
        "loss": [StrOptions({"absolute_error", "huber", "squared_error"})],
    }

    def __init__(
        self,
        *,
        dim=100,
        lr=0.1,
        epoch="auto",
        min_count=1,
        word_ngrams=2,
        bucket=2_000_000,
        minn=0,
        maxn=0,
        max_len=None,
        eos=True,
        pooling="mean",
        p=2.0,
        hidden_units=64,
        token_dropout=0.0,
        batch_size="auto",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=5,
        tol=1e-4,
        warm_start=False,
        loss="huber",
        pretrained_vectors=None,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            dim=dim,
            lr=lr,
            epoch=epoch,
            min_count=min_count,
            word_ngrams=word_ngrams,
            bucket=bucket,
            minn=minn,
            maxn=maxn,
            max_len=max_len,
            eos=eos,
            pooling=pooling,
            p=p,
            hidden_units=hidden_units,
            token_dropout=token_dropout,
            batch_size=batch_size,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            warm_start=warm_start,
            pretrained_vectors=pretrained_vectors,
            random_state=random_state,
            verbose=verbose,
        )
        self.loss = loss

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the regressor.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Whitespace-tokenized documents, token lists, or an id matrix.
        y : array-like of shape (n_documents,)
            Finite numeric targets.
        sample_weight : array-like of shape (n_documents,), default=None
            Non-negative weight of each document. Weights are relative: they
            are rescaled to average 1, so ``lr`` keeps its meaning.

        Returns
        -------
        self : FastTextRegressor
            The fitted regressor.

        See Also
        --------
        fit_file : Fit on a fastText-format file too large for memory.

        Examples
        --------
        >>> import numpy as np
        >>> from skfasttext import FastTextRegressor
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> ages = [70, 60, 15, 20] * 10
        >>> reg = FastTextRegressor(dim=8, epoch=30, random_state=0).fit(docs, ages)
        >>> float(reg.target_mean_)
        41.25
        """
        return self._fit(X, y, sample_weight)

    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train on one batch of documents: one pass over them, at the constant rate ``lr``.

        The first call (on an estimator not fitted yet) learns the vocabulary and
        the targets' scaling from its data and builds the network; later calls
        train it further, as ``fit`` does with ``warm_start=True``: words unknown
        to that vocabulary are the unknown word, n-grams it never saw are dropped.
        The rate stays ``lr``: lower it between calls with ``set_params(lr=...)``
        to decay it. ``early_stopping`` does not apply: a call is one pass.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, token lists or an id matrix.
        y : array-like of shape (n_documents,)
            Finite numeric targets.
        sample_weight : array-like of shape (n_documents,), default=None
            Non-negative weight of each document.

        Returns
        -------
        self : FastTextRegressor
            The regressor, trained one pass further.

        Examples
        --------
        >>> from skfasttext import FastTextRegressor
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> reg = FastTextRegressor(dim=8, random_state=0)
        >>> for _ in range(30):
        ...     reg = reg.partial_fit(docs, [70, 60, 15, 20] * 10)
        >>> old, young = reg.predict(["opera", "anime"])
        >>> bool(old > 40 > young)
        True
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def _encode_targets(self, y, sample_weight, *, learn=True):
        y = numeric_targets(y)
        weight = document_weights(sample_weight, len(y))
        if learn:
            self.target_mean_, self.target_scale_, target = standardize(y, weight)
        else:
            with np.errstate(over="ignore"):
                target = ((y - self.target_mean_) / self.target_scale_).astype(np.float32)
            if not np.isfinite(target).all():  # else a divergence, blamed on lr
                raise ValueError(
                    f"y reaches {y[np.argmax(np.abs(y))]:g}, beyond float32 on the scale of "
                    f"the first fit (mean {self.target_mean_:g}, scale {self.target_scale_:g}), "
                    "on which the fitted model trains further: fit anew (warm_start=False)."
                )
        return target, weight, regression_head(self.loss)

    def _score_outputs(self, outputs, target, weight):
        weight = weight if weight.sum() > 0 else None
        error = np.average((outputs[:, 0] - target) ** 2, weights=weight)
        spread = np.average((target - np.average(target, weights=weight)) ** 2, weights=weight)
        # R^2; the targets are standardized, so a validation set of one value divides by 1
        return float(1.0 - error / (spread if spread > 0 else 1.0))

    def _file_targets(self, labels, path, label_prefix):
        return numeric_labels(labels, path, label_prefix)

    def predict(self, X):
        """Predicted target of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents to predict a number for, or their ids.

        Returns
        -------
        y : ndarray of shape (n_documents,)
            Predictions, on the scale of the training targets.

        Examples
        --------
        Predictions come on the targets' own scale, here years:

        >>> from skfasttext import FastTextRegressor
        >>> titles = ["oil on canvas", "etching", "video installation", "digital print"] * 10
        >>> years = [1890.0, 1900.0, 2010.0, 2020.0] * 10
        >>> reg = FastTextRegressor(dim=8, epoch=30, random_state=0).fit(titles, years)
        >>> early, late = reg.predict(["oil etching", "video print"])
        >>> bool(early < 1950 < late)
        True
        """
        return self._decision(X)[:, 0].astype(np.float64) * self.target_scale_ + self.target_mean_
