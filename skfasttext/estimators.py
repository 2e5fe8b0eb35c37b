"""FastTextClassifier and FastTextRegressor: the scikit-learn estimators."""

import warnings
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.preprocessing import LabelEncoder, MultiLabelBinarizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import assert_all_finite, check_is_fitted, column_or_1d

from ._base import _BaseFastText, _check_X_y
from .io import _is_missing_label

__all__ = ["FastTextClassifier", "FastTextRegressor"]


def _check_no_missing_labels(y, lengths=None):
    """Refuse None or NaN labels, before numpy turns ["a", nan] into the label "nan".

    Multi-label y comes flattened, with ``lengths`` its number of labels per
    document: the error then names the document, not the label's position.
    """
    if isinstance(y, np.ndarray) and y.dtype != object:
        return  # numeric NaN is caught after column_or_1d
    labels = np.asarray(y, dtype=object)
    if labels.ndim == 0:
        return
    missing = np.flatnonzero(np.frompyfunc(_is_missing_label, 1, 1)(labels.ravel()).astype(bool))
    if missing.size:
        first = missing[0]
        if lengths is not None:
            first = np.searchsorted(np.cumsum(lengths), first, side="right")
        raise ValueError(
            f"y holds {missing.size} missing label(s), None or NaN (first at index "
            f"{first}): drop those documents or give them a label before fitting."
        )


def _class_weight(class_weight, classes, y):
    """Weight of each class (indexed like ``classes``) for a ``class_weight`` setting."""
    if class_weight == "balanced_sqrt":
        counts = np.bincount(y, minlength=len(classes))
        weight = 1.0 / np.sqrt(np.maximum(counts, 1))
        return weight * len(y) / (weight[y].sum())  # mean weight of a document is 1
    if isinstance(class_weight, dict):
        unknown = set(class_weight) - set(classes.tolist())
        if unknown:
            raise ValueError(f"class_weight names classes not in y: {sorted(map(str, unknown))}.")
    return compute_class_weight(class_weight, classes=classes, y=classes[y])


_LABEL_LISTS = (list, tuple, set, frozenset, np.ndarray)


def _is_label_lists(y):
    """True for a sequence of label collections (multi-label y), e.g. ``[["a", "b"], []]``."""
    if isinstance(y, (str, bytes)) or (isinstance(y, np.ndarray) and y.dtype != object):
        return False
    try:
        entries = list(y)
    except TypeError:
        return False
    is_list = [isinstance(entry, _LABEL_LISTS) for entry in entries]
    if any(is_list) and not all(is_list):
        raise ValueError(
            "y mixes single labels and lists of labels: give every document a list of "
            "labels (multi-label) or every document one label."
        )
    return bool(is_list) and all(is_list)


def _multilabel_targets(y):
    """``(classes, indicator)`` of multi-label y, or None for single-label y."""
    if _is_label_lists(y):
        lists = [entry.tolist() if isinstance(entry, np.ndarray) else entry for entry in y]
        flat = [label for labels in lists for label in labels]
        _check_no_missing_labels(flat, lengths=[len(labels) for labels in lists])
        try:
            binarizer = MultiLabelBinarizer().fit(lists)
        except TypeError as error:
            raise ValueError(f"y holds labels that cannot be sorted together: {error}") from None
        return binarizer.classes_, binarizer.transform(lists)
    if getattr(y, "ndim", 1) == 2 and getattr(y, "shape", (0, 0))[1] > 1:
        if type_of_target(y) != "multilabel-indicator":
            raise ValueError(
                f"A 2-d y must be a 0/1 indicator matrix (multi-label), got type "
                f"{type_of_target(y)!r} with shape {y.shape}."
            )
        indicator = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
        if not np.isin(indicator, (0, 1)).all():
            raise ValueError(
                f"A 2-d y must be a 0/1 indicator matrix (multi-label), got values "
                f"{np.unique(indicator)[:5].tolist()} with shape {indicator.shape}."
            )
        return np.arange(indicator.shape[1]), indicator
    return None


class FastTextClassifier(ClassifierMixin, _BaseFastText):
    """fastText-style text classifier: word vectors, masked pooling, softmax.

    Documents go through a :class:`~skfasttext.TextVectorizer` (or come as its
    id matrix, e.g. behind one in a Pipeline), their word vectors are pooled
    over the words actually present (padding never counts), optionally pass a
    tanh hidden layer, and a softmax (sigmoid for two classes) gives class
    probabilities. Word vectors train like fastText's: plain SGD, ``lr`` per
    document, decaying linearly to zero, touching only the rows of a batch's
    words; the layers above them take Adam steps (bounded, so they cannot
    overshoot).

    Multi-label: given ``y`` as lists of labels (``[["sport", "news"], ["tech"],
    []]``) or as a 0/1 indicator matrix, the classifier trains one-vs-all
    (fastText's ``-loss ova``), one sigmoid per label, and :meth:`predict`
    returns an indicator matrix.

    Parameters
    ----------
    dim : int, default=100
        Size of word vectors (fastText ``-dim``).
    lr : float, default=0.1
        Initial learning rate, per document (fastText ``-lr``).
    epoch : int, default=5
        Passes over the data (fastText ``-epoch``).
    min_count : int, default=1
        Words rarer than this become the unknown word (fastText ``-minCount``).
        Raw-document input only.
    word_ngrams : int, default=1
        Longest word n-gram used (fastText ``-wordNgrams``). Raw-document input only.
    bucket : int, default=2_000_000
        Hash buckets for word n-grams (fastText ``-bucket``). Raw-document input only.
    max_len : int or None, default=None
        Keep at most this many ids per document; ``None`` keeps all.
    eos : bool, default=True
        End every document with fastText's ``</s>`` token, as fastText does:
        a learned bias that weighs most in short documents, where the words
        say least (measured at the defaults: rotten_tomatoes accuracy 0.765
        -> 0.786; ages from 100,000 documents, regressor MAE 3.56 -> 3.31).
        Padding still never counts, but a document and the same document
        repeated no longer pool alike, and an empty document pools to the
        ``</s>`` vector; ``eos=False`` gives pure masked pooling of the
        words. Raw-document input only.
    pooling : {'mean', 'max', 'lp'}, default='mean'
        How word vectors become a document vector: masked mean (fastText's),
        feature-wise max, or power mean of absolute values with exponent ``p``.
    p : float, default=2.0
        Exponent of 'lp' pooling, at least 1.
    hidden_units : int, default=0
        Units of a tanh hidden layer; 0 for none, as in fastText.
    token_dropout : float, default=0.0
        Share of each training document's tokens dropped at random at each
        step (never all of them); helps max pooling train.
    batch_size : int or 'auto', default='auto'
        Documents per SGD step. 'auto' takes ``n_documents // 1024`` within
        [32, 256]: small batches keep enough steps on small corpora, large ones
        train faster on large corpora (see the guide's Training page). The
        value used is ``batch_size_``.
    loss : {'softmax', 'ova'}, default='softmax'
        Output and loss (fastText ``-loss``): 'softmax' gives class
        probabilities summing to 1 (a sigmoid for two classes), trained with
        cross-entropy; 'ova' (one-vs-all) gives each class its own sigmoid,
        trained with binary cross-entropy summed over the classes, so
        probabilities are independent and rows need not sum to 1. Multi-label
        ``y`` always trains 'ova', whatever this says: a softmax cannot give a
        document several labels.
    threshold : float, default=0.5
        Multi-label only: :meth:`predict` sets the labels whose probability
        is at least this, and none when no label reaches it (scikit-learn's
        plain threshold). Single-label predictions are the most probable class,
        with either loss.
    class_weight : dict, 'balanced', 'balanced_sqrt' or None, default=None
        Weights of the classes, multiplied into ``sample_weight``: 'balanced'
        is ``n / (n_classes * count)``, 'balanced_sqrt' is proportional to
        ``1 / sqrt(count)`` (the source article's choice), scaled so the mean
        document weight stays 1. Single-label ``y`` only: a multi-label fit
        with class weights raises ValueError.
    pretrained_vectors : str, path-like, tuple, fitted estimator or None, default=None
        Initial word vectors: a fastText ``.vec`` file (read with
        :func:`~skfasttext.io.read_word_vectors`), a pair ``(words, vectors)``
        with ``vectors`` of shape (n_words, dim), or a fitted
        :class:`FastTextClassifier` or :class:`FastTextRegressor` (its
        ``get_word_vectors()``). Vocabulary words found there start from their
        vector, ``'<unk>'`` sets the unknown-word vector, and every other row
        (other words, n-gram buckets) starts from fastText's uniform
        initialisation. The vectors need ``dim`` columns. Documents only: a fit
        on an id matrix refuses them. A fitted model gives a warm start, as in
        the source article: train with mean pooling, then go on with max
        pooling from its vectors::

            mean = FastTextClassifier(pooling="mean").fit(docs, y)
            FastTextClassifier(pooling="max", pretrained_vectors=mean).fit(docs, y)

        ``clone`` (and so grid search) unfits an estimator given here: pass
        ``mean.get_word_vectors()`` or ``sklearn.frozen.FrozenEstimator(mean)``
        there instead.
    random_state : int, RandomState instance or None, default=None
        Seed of initial weights, shuffling and token dropout. The same integer
        gives the same model on CPU.
    verbose : int, default=0
        0 silent, 1 a progress bar per epoch, 2 one line per epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels. Multi-label: the labels (sorted) for lists of labels,
        ``arange(n_labels)`` for an indicator matrix; column ``j`` of
        :meth:`predict_proba` and of :meth:`predict` is ``classes_[j]``.
    multilabel_ : bool
        Whether ``y`` was multi-label.
    vectorizer_ : TextVectorizer or None
        The vectorizer fitted on the documents; None when fitted on ids.
    input_dim_ : int
        Size of the id space (rows of the embedding).
    batch_size_ : int
        Documents per training step (``batch_size``, resolved).
    n_pretrained_ : int
        Number of vocabulary words whose vector started from
        ``pretrained_vectors`` (0 without them).
    model_ : keras.Model
        The trained network, from ids to class probabilities.
    history_ : dict
        Training loss per epoch.
    n_iter_ : int
        Number of epochs run.

    See Also
    --------
    FastTextRegressor : The same network with a linear output.
    TextVectorizer : Documents to ids.

    Examples
    --------
    >>> from skfasttext import FastTextClassifier
    >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    >>> y = ["old", "old", "young", "young"] * 10
    >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
    >>> clf.predict(["tea opera", "anime"]).tolist()
    ['old', 'young']

    Multi-label, one sigmoid per label:

    >>> tags = [["old", "music"], ["old"], ["young", "music"], ["young"]] * 10
    >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, tags)
    >>> clf.classes_.tolist(), clf.multilabel_
    (['music', 'old', 'young'], True)
    >>> clf.predict(["old opera"]).tolist()  # indicator matrix, columns of classes_
    [[1, 1, 0]]
    """

    _parameter_constraints: dict = {
        **_BaseFastText._parameter_constraints,
        "loss": [StrOptions({"softmax", "ova"})],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "class_weight": [dict, StrOptions({"balanced", "balanced_sqrt"}), None],
    }

    def __init__(
        self,
        *,
        dim=100,
        lr=0.1,
        epoch=5,
        min_count=1,
        word_ngrams=1,
        bucket=2_000_000,
        max_len=None,
        eos=True,
        pooling="mean",
        p=2.0,
        hidden_units=0,
        token_dropout=0.0,
        batch_size="auto",
        loss="softmax",
        threshold=0.5,
        class_weight=None,
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
            max_len=max_len,
            eos=eos,
            pooling=pooling,
            p=p,
            hidden_units=hidden_units,
            token_dropout=token_dropout,
            batch_size=batch_size,
            pretrained_vectors=pretrained_vectors,
            random_state=random_state,
            verbose=verbose,
        )
        self.loss = loss
        self.threshold = threshold
        self.class_weight = class_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the classifier.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Whitespace-tokenized documents, token lists, or an id matrix from a
            :class:`~skfasttext.TextVectorizer`.
        y : array-like of shape (n_documents,) or (n_documents, n_labels)
            Class labels (strings or integers); or, multi-label, a list of
            label lists per document (a document may have none) or a 0/1
            indicator matrix (a numpy array or sparse matrix: a list of lists
            is read as label lists).
        sample_weight : array-like of shape (n_documents,), default=None
            Non-negative weight of each document. Weights are relative: they
            are rescaled (with ``class_weight``) to average 1, so ``lr`` keeps
            its meaning.

        Returns
        -------
        self : FastTextClassifier
            The fitted classifier.

        See Also
        --------
        fit_file : Fit on a fastText-format file too large for memory.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0)
        >>> clf.fit(docs, ["old", "old", "young", "young"] * 10).classes_.tolist()
        ['old', 'young']
        """
        return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight):
        multilabel = _multilabel_targets(y)
        self.multilabel_ = multilabel is not None
        if self.multilabel_:
            return self._fit_multilabel(X, *multilabel, sample_weight)
        _check_no_missing_labels(y)
        y = column_or_1d(y, warn=True)
        if y.dtype.kind == "f":  # before type_of_target casts NaN and inf (a RuntimeWarning)
            assert_all_finite(y, input_name="y")
        check_classification_targets(y)
        X = _check_X_y(X, y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                f"Need at least 2 classes to train a classifier, got {len(self.classes_)}: "
                f"{self.classes_.tolist()}."
            )
        codes = encoder.transform(y)
        weight = self._sample_weight(sample_weight, len(codes))
        if self.class_weight is not None:
            weight = weight * _class_weight(self.class_weight, self.classes_, codes)[codes]
        ids = self._fit_ids(X)
        if self.loss == "ova":
            self._train_ova(ids, np.eye(len(self.classes_))[codes], weight)
            return self
        binary = len(self.classes_) == 2
        self._train(
            ids,
            codes.astype(np.float32 if binary else np.int32),
            weight,
            n_outputs=1 if binary else len(self.classes_),
            activation="sigmoid" if binary else "softmax",
            loss=_loss("binary_crossentropy" if binary else "sparse_categorical_crossentropy"),
        )
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _fit_multilabel(self, X, classes, indicator, sample_weight):
        """Fit one-vs-all on an indicator matrix (one column per label of ``classes``)."""
        if self.class_weight is not None:
            raise ValueError(
                "class_weight is not supported with multi-label y: weight documents "
                "with sample_weight instead."
            )
        if len(classes) == 0:
            raise ValueError("Multi-label y holds no label at all: need at least 1 label.")
        X = _check_X_y(X, indicator)
        self.classes_ = classes
        weight = self._sample_weight(sample_weight, len(indicator))
        self._train_ova(self._fit_ids(X), indicator, weight)
        return self

    def _train_ova(self, ids, indicator, weight):
        """Train one sigmoid per column of ``indicator``, binary cross-entropy summed."""
        self._train(
            ids,
            np.asarray(indicator, dtype=np.float32),
            weight,
            n_outputs=indicator.shape[1],
            activation="sigmoid",
            loss=_OneVsAllLoss(reduction="sum"),
        )

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.

        Returns
        -------
        proba : ndarray of shape (n_documents, n_classes)
            Probability of each class, columns in the order of ``classes_``.
            Multi-label or ``loss='ova'``: independent probabilities of each
            label, rows need not sum to 1.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> y = ["old", "old", "young", "young"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
        >>> proba = clf.predict_proba(["tea opera"])
        >>> proba.shape, bool(proba[0, 0] > 0.5), round(float(proba.sum()), 6)
        ((1, 2), True, 1.0)
        """
        proba = self._decision(X).astype(np.float64)
        if proba.shape[1] < len(self.classes_):  # softmax loss, two classes: one sigmoid
            proba = np.hstack([1.0 - proba, proba])
        return proba

    def predict(self, X):
        """Most probable class of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.

        Returns
        -------
        y : ndarray of shape (n_documents,) or (n_documents, n_classes)
            Predicted labels; multi-label, the 0/1 indicator matrix of the
            labels with a probability of at least ``threshold`` (columns in the
            order of ``classes_``; ``MultiLabelBinarizer(classes=clf.classes_)``
            turns it back into label lists with ``inverse_transform``).

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> y = ["old", "old", "young", "young"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
        >>> clf.predict(["tea opera", "anime"]).tolist()
        ['old', 'young']
        """
        proba = self.predict_proba(X)  # checks that the model is fitted first
        if getattr(self, "multilabel_", False):
            return (proba >= self.threshold).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy; multi-label, subset accuracy (every label of a document right).

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.
        y : array-like of shape (n_documents,) or (n_documents, n_classes)
            True labels: like ``y`` in :meth:`fit` (lists of labels are read
            with ``classes_``; labels unknown to the model are ignored).
        sample_weight : array-like of shape (n_documents,), default=None
            Weight of each document.

        Returns
        -------
        score : float
            Share of documents predicted exactly right.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> y = ["old", "old", "young", "young"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
        >>> clf.score(["tea opera", "anime", "game"], ["old", "young", "old"])
        0.6666666666666666
        """
        check_is_fitted(self)
        if getattr(self, "multilabel_", False) and _is_label_lists(y):
            lists = [entry.tolist() if isinstance(entry, np.ndarray) else entry for entry in y]
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "unknown class", UserWarning)
                y = MultiLabelBinarizer(classes=self.classes_).fit_transform(lists)
        return super().score(X, y, sample_weight=sample_weight)

    def predict_top_k(self, X, k=1, threshold=0.0):
        """The ``k`` most probable classes of each document, like fastText's ``predict``.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.
        k : int, default=1
            Number of classes per document.
        threshold : float, default=0.0
            Classes with a probability below this are left out.

        Returns
        -------
        labels : ndarray of object of shape (n_documents, k)
            Row ``i`` holds document ``i``'s classes by decreasing probability
            (ties: in the order of ``classes_``, so column 0 is :meth:`predict`).
            Left-out entries are None: those below ``threshold``, and columns
            beyond ``n_classes`` when ``k > n_classes``. They always come last.
        probabilities : ndarray of shape (n_documents, k)
            The probability of each entry of ``labels``; 0.0 where the label is None.

        See Also
        --------
        predict_proba : The probability of every class.
        skfasttext.metrics.precision_at_k : Score these predictions.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game", "job rent"] * 10
        >>> y = ["old", "old", "young", "young", "adult"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
        >>> labels, proba = clf.predict_top_k(["tea opera", "anime"], k=2)
        >>> labels.shape, labels[:, 0].tolist()
        ((2, 2), ['old', 'young'])
        >>> bool((proba[:, 0] >= proba[:, 1]).all())
        True
        >>> clf.predict_top_k(["tea opera"], k=4, threshold=0.5)[0]
        array([['old', None, None, None]], dtype=object)
        """
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        if isinstance(threshold, bool) or not isinstance(threshold, Real) or np.isnan(threshold):
            raise ValueError(f"threshold must be a number, got {threshold!r}.")
        proba = self.predict_proba(X)  # checks that the model is fitted first
        n, n_classes = proba.shape
        top = min(k, n_classes)
        if top < n_classes:
            # the top columns in any order, sorted by class so that ties keep class order
            best = np.sort(np.argpartition(-proba, top - 1, axis=1)[:, :top], axis=1)
        else:
            best = np.broadcast_to(np.arange(n_classes), (n, n_classes))
        order = np.argsort(-np.take_along_axis(proba, best, axis=1), axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        labels = np.full((n, k), None, dtype=object)
        probabilities = np.zeros((n, k))
        labels[:, :top] = self.classes_.astype(object)[best]
        probabilities[:, :top] = np.take_along_axis(proba, best, axis=1)
        below = probabilities < threshold
        labels[below], probabilities[below] = None, 0.0
        return labels, probabilities


class FastTextRegressor(RegressorMixin, _BaseFastText):
    """fastText-style text regressor: word vectors, masked pooling, linear output.

    The network of :class:`FastTextClassifier` with one linear output. Targets
    are standardised inside (any scale trains alike: ages, years, prices) and
    predictions mapped back.

    Parameters
    ----------
    dim : int, default=100
        Size of word vectors.
    lr : float, default=0.1
        Initial learning rate, per document.
    epoch : int, default=5
        Passes over the data.
    min_count : int, default=1
        Words rarer than this become the unknown word. Raw-document input only.
    word_ngrams : int, default=1
        Longest word n-gram used. Raw-document input only.
    bucket : int, default=2_000_000
        Hash buckets for word n-grams. Raw-document input only.
    max_len : int or None, default=None
        Keep at most this many ids per document; ``None`` keeps all.
    eos : bool, default=True
        End every document with fastText's ``</s>`` token, as fastText does:
        a learned bias that weighs most in short documents, where the words
        say least (measured at the defaults: rotten_tomatoes accuracy 0.765
        -> 0.786; ages from 100,000 documents, regressor MAE 3.56 -> 3.31).
        Padding still never counts, but a document and the same document
        repeated no longer pool alike, and an empty document pools to the
        ``</s>`` vector; ``eos=False`` gives pure masked pooling of the
        words. Raw-document input only.
    pooling : {'mean', 'max', 'lp'}, default='mean'
        Masked pooling of word vectors.
    p : float, default=2.0
        Exponent of 'lp' pooling.
    hidden_units : int, default=64
        Units of a tanh hidden layer; 0 for none (fastText's linear model). A
        linear output over averaged word vectors is an average of per-word
        scores, pulled towards the mean by every uninformative word; the hidden
        layer lets informative words dominate (ages corpus: MAE 4.26 -> 2.99,
        against 3.28 for fastText as a classifier).
    token_dropout : float, default=0.0
        Share of each training document's tokens dropped at each step.
    batch_size : int or 'auto', default='auto'
        Documents per SGD step. 'auto' takes ``n_documents // 1024`` within
        [32, 256]: small batches keep enough steps on small corpora, large ones
        train faster on large corpora (see the guide's Training page). The
        value used is ``batch_size_``.
    loss : {'absolute_error', 'huber', 'squared_error'}, default='huber'
        Training loss on the standardised target. 'absolute_error' aims at the
        median and the lowest MAE; 'squared_error' at the mean; 'huber' is
        squared near the target (within one standard deviation) and absolute
        beyond, robust to outliers and smooth to train.
    pretrained_vectors : str, path-like, tuple, fitted estimator or None, default=None
        Initial word vectors: a fastText ``.vec`` file (read with
        :func:`~skfasttext.io.read_word_vectors`), a pair ``(words, vectors)``
        with ``vectors`` of shape (n_words, dim), or a fitted
        :class:`FastTextClassifier` or :class:`FastTextRegressor` (its
        ``get_word_vectors()``). Vocabulary words found there start from their
        vector, ``'<unk>'`` sets the unknown-word vector, and every other row
        (other words, n-gram buckets) starts from fastText's uniform
        initialisation. The vectors need ``dim`` columns. Documents only: a fit
        on an id matrix refuses them. A fitted model gives a warm start, as in
        the source article: train with mean pooling, then go on with max
        pooling from its vectors::

            mean = FastTextRegressor(pooling="mean").fit(docs, y)
            FastTextRegressor(pooling="max", pretrained_vectors=mean).fit(docs, y)

        ``clone`` (and so grid search) unfits an estimator given here: pass
        ``mean.get_word_vectors()`` or ``sklearn.frozen.FrozenEstimator(mean)``
        there instead.
    random_state : int, RandomState instance or None, default=None
        Seed of initial weights, shuffling and token dropout.
    verbose : int, default=0
        0 silent, 1 a progress bar per epoch, 2 one line per epoch.

    Attributes
    ----------
    vectorizer_ : TextVectorizer or None
        The vectorizer fitted on the documents; None when fitted on ids.
    input_dim_ : int
        Size of the id space.
    batch_size_ : int
        Documents per training step (``batch_size``, resolved).
    n_pretrained_ : int
        Number of vocabulary words whose vector started from
        ``pretrained_vectors`` (0 without them).
    model_ : keras.Model
        The trained network, from ids to the standardised target.
    target_mean_ : float
        Mean of the training targets (weighted).
    target_scale_ : float
        Standard deviation of the training targets (weighted), 1 if they are constant.
    history_ : dict
        Training loss per epoch.
    n_iter_ : int
        Number of epochs run.

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
        **_BaseFastText._parameter_constraints,
        "loss": [StrOptions({"absolute_error", "huber", "squared_error"})],
    }

    def __init__(
        self,
        *,
        dim=100,
        lr=0.1,
        epoch=5,
        min_count=1,
        word_ngrams=1,
        bucket=2_000_000,
        max_len=None,
        eos=True,
        pooling="mean",
        p=2.0,
        hidden_units=64,
        token_dropout=0.0,
        batch_size="auto",
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
            max_len=max_len,
            eos=eos,
            pooling=pooling,
            p=p,
            hidden_units=hidden_units,
            token_dropout=token_dropout,
            batch_size=batch_size,
            pretrained_vectors=pretrained_vectors,
            random_state=random_state,
            verbose=verbose,
        )
        self.loss = loss

    @_fit_context(prefer_skip_nested_validation=True)
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
            are rescaled (with ``class_weight``) to average 1, so ``lr`` keeps
            its meaning.

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

    def _fit(self, X, y, sample_weight):
        y = column_or_1d(y, warn=True)
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"FastTextRegressor needs numeric targets: {error}") from None
        if not np.isfinite(y).all():
            bad = np.flatnonzero(~np.isfinite(y))
            raise ValueError(
                f"y holds {len(bad)} NaN or infinite value(s) (first at index {bad[0]}): "
                "drop or impute them before fitting."
            )
        X = _check_X_y(X, y)
        weight = self._sample_weight(sample_weight, len(y))
        # y in units of a power of two near its largest value: exact (the same moments as
        # in y's own units), and no square overflows near 1e308 or underflows near 1e-308
        unit = np.ldexp(1.0, np.frexp(np.abs(y).max())[1] - 1)
        scaled = y / unit
        mean = np.average(scaled, weights=weight)
        scale = np.sqrt(np.average((scaled - mean) ** 2, weights=weight)) or 1.0 / unit
        self.target_mean_, self.target_scale_ = float(mean * unit), float(scale * unit)
        target = ((scaled - mean) / scale).astype(np.float32)
        ids = self._fit_ids(X)
        self._train(ids, target, weight, n_outputs=1, activation="linear", loss=_loss(self.loss))
        return self

    def predict(self, X):
        """Predicted target of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, or their ids.

        Returns
        -------
        y : ndarray of shape (n_documents,)
            Predictions, on the scale of the training targets.

        Examples
        --------
        >>> import numpy as np
        >>> from skfasttext import FastTextRegressor
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> ages = [70, 60, 15, 20] * 10
        >>> reg = FastTextRegressor(dim=8, epoch=30, random_state=0).fit(docs, ages)
        >>> old, young = reg.predict(["opera tea", "anime game"])
        >>> bool(old > 45 > young)
        True
        """
        return self._decision(X)[:, 0].astype(np.float64) * self.target_scale_ + self.target_mean_


_LOSSES = {
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
    "absolute_error": keras.losses.MeanAbsoluteError,
    "huber": keras.losses.Huber,
    "squared_error": keras.losses.MeanSquaredError,
}


def _loss(name):
    """Keras loss summed over a batch: each document takes its own SGD step, as in fastText."""
    return _LOSSES[name](reduction="sum")


@keras.saving.register_keras_serializable(package="skfasttext")
class _OneVsAllLoss(keras.losses.Loss):
    """Binary cross-entropy of each sigmoid output, summed over the outputs.

    fastText's ``-loss ova``: each label is its own binary problem, and a
    document's loss is the sum (not Keras' mean) of the label losses, so the
    gradient of each label does not shrink as labels are added.

    Parameters
    ----------
    reduction : str, default='sum'
        How the losses of a batch's documents combine (Keras' reductions).
    name : str, default='one_vs_all'
        Name of the loss.
    **kwargs
        Other arguments of :class:`keras.losses.Loss` (``dtype``).
    """

    def __init__(self, reduction="sum", name="one_vs_all", **kwargs):
        super().__init__(reduction=reduction, name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true = keras.ops.cast(y_true, y_pred.dtype)
        return keras.ops.sum(keras.ops.binary_crossentropy(y_true, y_pred), axis=-1)
