"""FastTextClassifier: word vectors, masked pooling, softmax (or one sigmoid a label)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score, f1_score
from sklearn.utils.validation import check_is_fitted

from ._base import BaseFastText
from ._docstrings import fill_doc
from ._sklearn_compat import Interval, StrOptions, fit_context
from ._targets import class_weights, encode_labels, indicator_of, is_label_lists
from ._validation import document_weights
from .layers import HierarchicalSoftmax, NegativeSampling
from .persistence import storable

__all__ = ["FastTextClassifier"]


def _labelled(proba, threshold, min_labels):
    """The labels of multi-label ``proba`` at ``threshold``, and at least ``min_labels``
    (0 or 1): the most probable one for a document with none above it."""
    labelled = proba >= threshold
    if min_labels:
        labelled[np.arange(len(proba)), np.argmax(proba, axis=1)] = True
    return labelled


@storable
@fill_doc(
    attributes=[
        "classes_",
        "multilabel_",
        "vectorizer_",
        "input_dim_",
        "batch_size_",
        "epoch_",
        "n_pretrained_",
        "label_prefix_",
        "model_",
        "history_",
        "n_iter_",
        "threshold_",
        "min_labels_",
    ],
    own_parameters={
        "pooling": """pooling : {'mean', 'sqrtn', 'max', 'lp'}, default='sqrtn'
    How word vectors become a document vector: masked mean (fastText's), sum
    over the square root of the number of words (TF-IDF's L2 normalisation
    without the idf: a long document's vector does not shrink, and each word
    gets a larger share of the gradient), feature-wise max, or power mean of
    absolute values with exponent ``p``.""",
        "hidden_units": """hidden_units : int, default=0
    Units of a tanh hidden layer; 0 for none, as in fastText.""",
        "loss": """loss : {'softmax', 'ova', 'hs', 'ns'}, default='softmax'
    Output and loss (fastText ``-loss``): 'softmax' gives class probabilities
    summing to 1 (a sigmoid for two classes), trained with cross-entropy;
    'ova' (one-vs-all) gives each class its own sigmoid, trained with binary
    cross-entropy summed over the classes, so probabilities are independent
    and rows need not sum to 1. For many classes, two losses whose steps cost
    a few rows of the output layer instead of one a class: 'hs'
    (hierarchical softmax, fastText's) walks a Huffman tree of the training
    class counts, a binary logistic at each node of the class's path, and
    its probabilities (products along the paths) sum to 1; 'ns' (negative
    sampling) trains the true class's sigmoid against classes drawn in
    proportion to ``count ** 0.5`` (64 a batch, shared by its documents), and
    gives each class its sigmoid, as fastText does: rows need not sum to 1.
    Multi-label ``y`` always trains 'ova' with 'softmax' or 'ova': a softmax
    cannot give a document several labels; with 'hs' or 'ns' it raises
    ValueError (fastText would train on one of a document's labels, drawn at
    random).""",
        "neg": """neg : int, default=5
    With ``loss='ns'``: the weight of a document's negative classes, in draws
    (fastText's ``-neg``): each document is trained against its batch's 64
    shared negatives, their losses weighted by ``neg / 64``, so that in
    expectation it trains against ``neg`` draws; ignored by the other losses.""",
        "threshold": """threshold : float or 'auto', default='auto'
    Multi-label only: :meth:`predict` sets the labels whose probability is at
    least this, and none when no label reaches it. 'auto' validates it: a
    first fit holds out ``validation_fraction`` of the documents, the
    threshold (0.05 to 0.95 by 0.05) of best micro-F1 on them (averaged with
    its two neighbours) is kept as ``threshold_``, and the model is then fitted on every document; a
    multi-label fit takes about twice as long (:meth:`partial_fit`, and a fit
    on too few documents to hold any out, take 0.5). Where every training
    document had a label, 'auto' also gives a document with no label above
    the threshold its most probable one (``min_labels_``): an empty answer was
    never right.
    Single-label predictions are the most probable class, with any loss.""",
        "class_weight": """class_weight : dict, 'balanced', 'balanced_sqrt' or None, default=None
    Weights of the classes, multiplied into ``sample_weight``: 'balanced' is
    ``n / (n_classes * count)``, 'balanced_sqrt' is proportional to
    ``1 / sqrt(count)`` (the source article's choice), scaled so the mean
    document weight stays 1. Single-label ``y`` only: a multi-label fit with
    class weights raises ValueError.""",
    },
    own_attributes={
        "classes_": """classes_ : ndarray of shape (n_classes,)
    Class labels. Multi-label: the labels (sorted) for lists of labels,
    ``arange(n_labels)`` for an indicator matrix; column ``j`` of
    :meth:`predict_proba` and of :meth:`predict` is ``classes_[j]``.""",
        "multilabel_": """multilabel_ : bool
    Whether ``y`` was multi-label.""",
        "model_": """model_ : keras.Model
    The trained network, from ids to class probabilities.""",
        "threshold_": """threshold_ : float
    The threshold of the last fit: ``threshold``, or the validated one where it
    is 'auto' (0.5 for single-label y, which does not use it). Multi-label
    :meth:`predict` uses it while ``threshold`` is 'auto'.""",
        "min_labels_": """min_labels_ : int
    The fewest labels :meth:`predict` gives a document while ``threshold`` is
    'auto': 1 where every document the network learnt from (over
    :meth:`partial_fit`'s calls, or fits with ``warm_start``) had a label (a
    single-label ``y`` always has), else 0. A number as ``threshold`` gives
    exactly the labels that reach it.""",
    },
)
class FastTextClassifier(ClassifierMixin, BaseFastText):
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
    {parameters}

    Attributes
    ----------
    {attributes}

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
        **BaseFastText._parameter_constraints,
        "loss": [StrOptions({"softmax", "ova", "hs", "ns"})],
        "neg": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both"), StrOptions({"auto"})],
        "class_weight": [dict, StrOptions({"balanced", "balanced_sqrt"}), None],
    }
    _multi_label_lines = True  # fit_file: a line with several labels is multi-label

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
        pooling="sqrtn",
        p=2.0,
        hidden_units=0,
        token_dropout=0.0,
        batch_size="auto",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=5,
        tol=1e-4,
        warm_start=False,
        loss="softmax",
        neg=5,
        threshold="auto",
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
        self.neg = neg
        self.threshold = threshold
        self.class_weight = class_weight

    @fit_context(prefer_skip_nested_validation=True)
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

    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train on one batch of documents: one pass over them, at the constant rate ``lr``.

        The first call (on an estimator not fitted yet) learns the vocabulary from
        its documents and builds the network; later calls train it further, as
        ``fit`` does with ``warm_start=True``: words unknown to that vocabulary are
        the unknown word, n-grams it never saw are dropped. The rate stays ``lr``
        (fastText's linear decay needs the length of the whole fit): lower it
        between calls with ``set_params(lr=...)`` to decay it. The head's Adam
        goes on from the last call's (a model loaded from a file starts a new one).
        ``early_stopping`` does not apply: a call is one pass.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents, token lists or an id matrix.
        y : array-like of shape (n_documents,) or (n_documents, n_labels)
            Labels, as in :meth:`fit`; each must be one of ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class ``y`` may ever hold (multi-label: every label). Required
            on the first call; later calls may omit it or must repeat it.
        sample_weight : array-like of shape (n_documents,), default=None
            Non-negative weight of each document.

        Returns
        -------
        self : FastTextClassifier
            The classifier, trained one pass further.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> y = ["old", "old", "young", "young"] * 10
        >>> clf = FastTextClassifier(dim=8, random_state=0)
        >>> for _ in range(20):
        ...     clf = clf.partial_fit(docs, y, classes=["old", "young"])
        >>> clf.n_iter_, clf.predict(["tea opera", "anime"]).tolist()
        (20, ['old', 'young'])
        """
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _partial_classes(self, classes, first):
        if first:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: every class "
                    "(multi-label: every label) y may ever hold."
                )
            self.classes_ = np.unique(np.asarray(classes))
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(
                f"classes={np.unique(classes).tolist()} differs from classes_="
                f"{self.classes_.tolist()}, the classes of the first call to partial_fit."
            )
        return False  # y is encoded over classes_

    def _encode_targets(self, y, sample_weight, *, learn=True):
        classes = None if learn else self.classes_
        labels = encode_labels(y, loss=self.loss, classes=classes, neg=self.neg)
        if hasattr(self, "model_") and not learn:  # before y's kind changes multilabel_
            self._check_output(labels.head)
        if labels.multilabel and self.class_weight is not None:
            raise ValueError(
                "class_weight is not supported with multi-label y: weight documents "
                "with sample_weight instead."
            )
        self.classes_, self.multilabel_ = labels.classes, labels.multilabel
        weight = document_weights(sample_weight, len(labels.target))
        if self.class_weight is not None:
            codes = labels.codes
            weight = weight * class_weights(self.class_weight, self.classes_, codes)[codes]
        return labels.target, weight, labels.head

    def _check_output(self, head):
        """Refuse to train the fitted network further towards another output than its own:
        ``loss`` set since its fit, or y single-label where it was multi-label (or back)."""
        layer = self.model_.get_layer("output")
        sampled = {HierarchicalSoftmax: "hs", NegativeSampling: "ns"}.get(type(layer))
        if sampled is not None:
            fitted = sampled, len(layer.counts)
        else:
            fitted = layer.get_config()["activation"], layer.units
        wanted = (head.output or {}).get("sampled", head.activation), head.n_outputs
        if wanted != fitted:
            raise ValueError(
                f"This y with loss={self.loss!r} trains a {wanted[0]} output of {wanted[1]} "
                f"unit(s), but the fitted network's is a {fitted[0]} output of {fitted[1]}: "
                "it cannot train further on it. Keep the loss and the kind of y (one label "
                "a document, or lists of labels) of the first fit, or fit anew "
                "(warm_start=False)."
            )

    def _train(self, corpus, target, weight, head, *, further=False, incremental=False):
        labelled = int((target > 0.5).any(axis=1).all()) if self.multilabel_ else 1
        # 1 while every document the network learnt from had a label, partial_fit's too
        self.min_labels_ = min(self.min_labels_, labelled) if further else labelled
        if not further:
            self.threshold_ = 0.5 if self.threshold == "auto" else self.threshold
            if self.threshold == "auto" and self.multilabel_ and not incremental:
                self.threshold_ = self._validated_threshold(corpus, target, weight, head)
        super()._train(corpus, target, weight, head, further=further, incremental=incremental)

    def _validated_threshold(self, corpus, target, weight, head):
        """The threshold of best micro-F1 on ``validation_fraction`` of the documents, held
        out of a first fit (its network is then dropped: the real fit starts afresh)."""
        seed = self._seed()
        try:
            held_out = self._validation_rows(target, seed)
        except ValueError:  # too few documents to hold any out
            return 0.5
        self._build(head, seed)
        self._schedule(len(target))
        weight = weight.copy()
        weight[held_out] = 0.0  # in the batches, as early stopping's, but learnt from by none
        self._run_trainer(corpus, target, weight, head, self.epoch_, self.lr, seed)
        proba = self._proba(self._outputs(corpus.take(held_out), "output"))
        truth = target[held_out] > 0.5
        grid = np.round(np.arange(0.05, 0.951, 0.05), 2)
        scores = np.array(
            [
                f1_score(
                    truth, _labelled(proba, t, self.min_labels_), average="micro", zero_division=0
                )
                for t in grid
            ]
        )
        # a few hundred documents score noisily: the middle of the best plateau, not its
        # luckiest point, is the threshold that holds for the model fitted on them all
        smooth = np.convolve(np.pad(scores, 1, mode="edge"), np.ones(3) / 3, mode="valid")
        # of equal scores the nearest to 0.5, fastText's
        return float(min(grid[smooth == np.max(smooth)], key=lambda t: abs(t - 0.5)))

    def _strata(self, target):
        if self.multilabel_:
            return None
        return target.astype(np.int64) if target.ndim == 1 else target.argmax(axis=1)

    def _score_outputs(self, outputs, target, weight):
        # what score() computes: accuracy (subset accuracy) of predict()'s labels
        predicted = self._predicted(self._proba(outputs))
        if self.multilabel_:
            truth = (target > 0.5).astype(np.int64)
        else:
            truth = self.classes_[self._strata(target)]
        return accuracy_score(truth, predicted, sample_weight=weight if weight.sum() > 0 else None)

    def _file_targets(self, labels, path, label_prefix):
        if all(len(labels_) == 1 for labels_ in labels):
            return [labels_[0] for labels_ in labels]  # single-label
        return labels

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents whose classes to weigh, or their ids.

        Returns
        -------
        proba : ndarray of shape (n_documents, n_classes)
            Probability of each class, columns in the order of ``classes_``.
            Multi-label, ``loss='ova'`` or ``loss='ns'``: independent
            probabilities of each label (each its sigmoid, as fastText gives
            them), rows need not sum to 1. ``loss='hs'``: the products of the
            decisions along each class's path in the tree, summing to 1.

        Examples
        --------
        Three classes, their columns in the order of ``classes_``:

        >>> from skfasttext import FastTextClassifier
        >>> docs, y = ["opera tea", "anime game", "job rent"] * 10, ["old", "young", "adult"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
        >>> proba = clf.predict_proba(["opera"])
        >>> clf.classes_.tolist(), proba.shape, round(float(proba.sum()), 6)
        (['adult', 'old', 'young'], (1, 3), 1.0)
        >>> clf.classes_[proba.argmax(axis=1)].tolist()
        ['old']
        """
        return self._proba(self._decision(X))

    def _proba(self, outputs):
        """Class probabilities of the network's outputs."""
        proba = outputs.astype(np.float64)
        if proba.shape[1] < len(self.classes_):  # softmax loss, two classes: one sigmoid
            proba = np.hstack([1.0 - proba, proba])
        return proba

    def predict(self, X):
        """Most probable class of each document.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents to label, or their ids.

        Returns
        -------
        y : ndarray of shape (n_documents,) or (n_documents, n_classes)
            Predicted labels; multi-label, the 0/1 indicator matrix of the
            labels with a probability of at least ``threshold`` (with 'auto', and
            at least ``min_labels_`` labels; columns in the order of ``classes_``;
            ``MultiLabelBinarizer(classes=clf.classes_)`` turns it back into label
            lists with ``inverse_transform``).

        Examples
        --------
        Behind a :class:`~skfasttext.TextVectorizer`, on its id matrix:

        >>> from sklearn.pipeline import make_pipeline
        >>> from skfasttext import FastTextClassifier, TextVectorizer
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> y = ["old", "old", "young", "young"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0)
        >>> make_pipeline(TextVectorizer(), clf).fit(docs, y).predict(["tea", "anime"]).tolist()
        ['old', 'young']
        """
        return self._predicted(self.predict_proba(X))  # checks that the model is fitted

    def _predicted(self, proba):
        """The labels of class probabilities ``proba``, as :meth:`predict` gives them."""
        if getattr(self, "multilabel_", False):
            # a number set after fit takes effect at once, as it always has
            if self.threshold == "auto":
                return _labelled(proba, self.threshold_, self.min_labels_).astype(np.int64)
            return (proba >= self.threshold).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy; multi-label, subset accuracy (every label of a document right).

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Test documents, or their ids.
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
        Multi-label, a document counts only with every one of its labels right:

        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> tags = [["old", "music"], ["old"], ["young", "music"], ["young"]] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, tags)
        >>> truth = [["old", "music"], ["old"], ["young", "music"]]
        >>> clf.score(["old opera", "opera tea", "game"], truth)
        0.6666666666666666
        """
        check_is_fitted(self)
        if getattr(self, "multilabel_", False) and is_label_lists(y):
            y = indicator_of(y, self.classes_)
        return super().score(X, y, sample_weight=sample_weight)

    def predict_top_k(self, X, k=1, threshold=0.0):
        """The ``k`` most probable classes of each document, like fastText's ``predict``.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int of shape (n, steps)
            Documents to rank the classes of, or their ids.
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
