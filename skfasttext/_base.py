"""The estimators' base: parameters and the template of fit.

:class:`BaseFastText` owns what the two estimators share, along the data path:
checked input -> :class:`~skfasttext.text.TextVectorizer` -> a corpus of ids ->
:func:`~skfasttext.model.build_model` -> :class:`~skfasttext._training.Trainer` ->
predictions (:class:`~skfasttext._prediction.PredictionMixin`). The estimators fill three
hooks: ``_encode_targets`` (what ``y`` becomes, and the head that predicts it),
``_file_targets`` (labels read from a file) and ``_score_outputs`` (early stopping's score);
they may override ``_partial_classes`` (``partial_fit``'s classes) and ``_strata`` (how the
validation share is drawn).
"""

import os
from functools import partial
from numbers import Integral, Real

import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split

from ._corpus import FileCorpus, InMemoryCorpus
from ._prediction import PredictionMixin
from ._quantize import QuantizeMixin
from ._ragged import Ragged
from ._sklearn_compat import HasMethods, Interval, StrOptions, fit_context
from ._training import Trainer, current_strategy, shared_seed
from ._validation import (
    Documents,
    TextInputMixin,
    check_input,
    check_n_documents,
    check_subword_range,
    relative_weights,
)
from ._word_vectors import WordVectorsMixin
from .layers import QuantizedEmbedding
from .model import build_model
from .persistence import PersistenceMixin
from .text import UNKNOWN_ID, TextVectorizer

__all__ = ["BaseFastText", "auto_epochs"]

# epoch='auto': passes enough to see about AUTO_DOCUMENTS documents, within fastText's default
# (5, for large corpora) and the 25 its tutorial takes for a small one (benchmarks.md measures)
AUTO_DOCUMENTS, AUTO_EPOCHS = 50_000, (5, 25)
# early_stopping='auto': on for more epochs than epoch='auto' takes on this many documents or
# more, where stopping saved most of the time for little score; it cost score elsewhere
# (benchmarks.md, "Choosing defaults")
AUTO_STOP_DOCUMENTS = 10_000
_ROUND_ROWS = 65_536  # rows of the table rounded at a time


def _round_to_half(table):
    """Round a table of word vectors to float16's 11 significant bits, in place.

    A model file then stores it as float16, half the bytes, and the rounding is far below
    the noise of SGD (docs/benchmarks.md); a value beyond float16's range stays as it is.
    A block of rows at a time: the whole table's temporaries would double its memory.
    """
    for start in range(0, table.shape[0], _ROUND_ROWS):
        ids = tf.range(start, min(start + _ROUND_ROWS, table.shape[0]))
        rows = tf.gather(table, ids).numpy()
        # in numpy: TensorFlow's float16 casts log an error on CPUs without AVX-512
        with np.errstate(over="ignore"):
            half = rows.astype(np.float16).astype(rows.dtype)
        table.scatter_update(tf.IndexedSlices(np.where(np.isfinite(half), half, rows), ids))


def auto_epochs(n_documents):
    """The epochs of ``epoch='auto'`` for ``n_documents`` training documents: small
    corpora, more passes, to see about as many documents."""
    return int(np.clip(-(-AUTO_DOCUMENTS // max(n_documents, 1)), *AUTO_EPOCHS))


class BaseFastText(
    TextInputMixin,
    PredictionMixin,
    WordVectorsMixin,
    QuantizeMixin,
    PersistenceMixin,
    BaseEstimator,
):
    """Parameters, the template of fit, prediction and persistence of the estimators."""

    _parameter_constraints: dict = {
        **TextVectorizer._parameter_constraints,  # passed on to it: checked as it checks them
        "dim": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "epoch": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "pooling": [StrOptions({"mean", "sqrtn", "max", "lp"})],
        "p": [Interval(Real, 1, None, closed="left")],
        "hidden_units": [Interval(Integral, 0, None, closed="left")],
        "token_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "pretrained_vectors": [str, os.PathLike, tuple, HasMethods(["get_word_vectors"]), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: whether a line of a file may hold several labels (fit_file)
    _multi_label_lines = False
    #: the training engine: a subclass may give a Trainer with steps of its own
    _trainer_class = Trainer

    def __init__(
        self,
        *,
        dim,
        lr,
        epoch,
        min_count,
        word_ngrams,
        bucket,
        minn,
        maxn,
        max_len,
        eos,
        pooling,
        p,
        hidden_units,
        token_dropout,
        batch_size,
        early_stopping,
        validation_fraction,
        n_iter_no_change,
        tol,
        warm_start,
        pretrained_vectors,
        random_state,
        verbose,
    ):
        self.dim = dim
        self.lr = lr
        self.epoch = epoch
        self.min_count = min_count
        self.word_ngrams = word_ngrams
        self.bucket = bucket
        self.minn = minn
        self.maxn = maxn
        self.max_len = max_len
        self.eos = eos
        self.pooling = pooling
        self.p = p
        self.hidden_units = hidden_units
        self.token_dropout = token_dropout
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.pretrained_vectors = pretrained_vectors
        self.random_state = random_state
        self.verbose = verbose

    # -- the hooks the estimators fill --------------------------------------------

    def _encode_targets(self, y, sample_weight, *, learn=True):
        """Check ``y`` and set the fitted attributes it gives (``classes_``, ...).

        Returns ``(target, weight, head)``: the network's target of each document,
        each document's weight, and the :class:`~skfasttext._targets.Head`. With
        ``learn=False``, ``y`` is encoded as the fitted model's (its classes, its
        target scale), to train it further.
        """
        raise NotImplementedError

    def _file_targets(self, labels, path, label_prefix):
        """The ``y`` of the labels read from a file (lists of labels where
        ``_multi_label_lines``)."""
        raise NotImplementedError

    def _partial_classes(self, classes, first):
        """Check ``partial_fit``'s ``classes``; whether its ``first`` call learns how to
        encode ``y`` from its own ``y`` (the regressor's scaling) rather than from them."""
        return first

    def _strata(self, target):
        """Each document's class, to hold out a validation set stratified; None for none."""
        return None

    def _score_outputs(self, outputs, target, weight):
        """The validation score (as :meth:`score`'s) of the network's ``outputs`` for
        documents of encoded ``target`` and ``weight``."""
        raise NotImplementedError

    # -- fit ----------------------------------------------------------------------

    def _fit(self, X, y, sample_weight, *, incremental=False, classes=None):
        """The template of fit: checked input and targets, then ids, then the network.

        A fitted estimator trains further with ``warm_start`` (``epoch`` more epochs)
        and in ``partial_fit`` (one pass): its vocabulary, the encoding of ``y`` and
        the network stay.
        """
        check_subword_range(self.minn, self.maxn)
        further = self._further(incremental)
        if not further:
            vars(self).pop("label_prefix_", None)  # a refit on documents forgets fit_file's
        if not isinstance(X, FileCorpus):
            X = check_input(X)
        learn = self._partial_classes(classes, not further) if incremental else not further
        target, weight, head = self._encode_targets(y, sample_weight, learn=learn)
        if not isinstance(X, FileCorpus):
            check_n_documents(X, len(target))
        if further:
            corpus = X if isinstance(X, FileCorpus) else InMemoryCorpus(self._ids(X))
        else:
            corpus = self._corpus(X)
        self._train(corpus, target, weight, head, further=further, incremental=incremental)
        return self

    def _further(self, incremental):
        """Whether this fit trains the fitted network further rather than a new one."""
        if not hasattr(self, "model_") or not (incremental or self.warm_start):
            return False
        if isinstance(self.model_.get_layer("embedding"), QuantizedEmbedding):
            raise ValueError(
                f"This {type(self).__name__} is quantized: its word vectors cannot train "
                "further. Fit the model again, or train before quantizing."
            )
        return True

    @fit_context(prefer_skip_nested_validation=True)
    def fit_file(self, path, *, label_prefix="__label__", encoding="utf-8", chunk_size=100_000):
        """Fit on a fastText-format file, read a chunk of documents at a time.

        For corpora larger than memory, as ``fasttext.train_supervised(input=path)``:
        the file is read once, ``chunk_size`` documents at a time, for its labels and
        vocabulary, its words kept in a temporary directory (4 bytes a token, 12
        with n-grams; deleted at the end of the fit; set ``TMPDIR`` to choose
        where), turned into ids in the first epoch and read back as ids in the
        later ones. Only the labels and one chunk of texts, words or ids are in
        memory at once. Training is :meth:`fit`'s, except
        that documents are shuffled within each chunk rather than across the
        whole file (fastText does not shuffle at all); a file shorter than one
        chunk trains exactly as :meth:`fit` on its documents.

        Parameters
        ----------
        path : str or path-like
            A file of lines ``__label__<y> tok tok ...`` (see
            :func:`~skfasttext.io.iter_fasttext`). For a classifier, a line may
            hold several labels (multi-label); for a regressor, each line holds
            one numeric label.
        label_prefix : str, default="__label__"
            Tokens starting with this prefix are labels.
        encoding : str, default="utf-8"
            Encoding of the file.
        chunk_size : int, default=100_000
            Documents read, and shuffled among themselves, at a time: the
            memory held by one chunk's text, words and ids.

        Returns
        -------
        self : object
            The fitted estimator.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from skfasttext import FastTextClassifier
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "train.txt")
        ...     _ = path.write_text("__label__old opera tea\\n__label__young game anime\\n" * 20)
        ...     clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit_file(path)
        >>> clf.predict(["tea opera", "anime"]).tolist()
        ['old', 'young']
        """
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, Integral) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}.")
        check_subword_range(self.minn, self.maxn)
        with FileCorpus(
            path,
            label_prefix=label_prefix,
            encoding=encoding,
            multi_label=self._multi_label_lines,
            chunk_size=chunk_size,
        ) as corpus:
            if self._further(incremental=False):
                if self.vectorizer_ is None:
                    raise TypeError(
                        f"{type(self).__name__} was fitted on an id matrix: with warm_start, "
                        "train it further on id matrices, not on a file."
                    )
                labels = corpus.scan(self.vectorizer_, fit=False)
            else:
                labels = corpus.scan(self._new_vectorizer())
            self._fit(corpus, self._file_targets(labels, path, label_prefix), None)
        self.label_prefix_ = label_prefix
        return self

    def _new_vectorizer(self):
        return TextVectorizer(
            min_count=self.min_count,
            word_ngrams=self.word_ngrams,
            bucket=self.bucket,
            minn=self.minn,
            maxn=self.maxn,
            max_len=self.max_len,
            eos=self.eos,
        )

    def _corpus(self, X):
        """The training corpus of checked input; sets ``vectorizer_`` and ``input_dim_``.

        Documents fit a new vectorizer; an id matrix has none; a file corpus
        comes scanned, its vectorizer fitted.
        """
        if isinstance(X, FileCorpus):
            self.vectorizer_ = X.vectorizer
            corpus = X
        elif isinstance(X, Documents):
            self.vectorizer_ = self._new_vectorizer()
            corpus = InMemoryCorpus(self.vectorizer_.fit_transform_ragged(X))
        else:
            self.vectorizer_ = None
            self.input_dim_ = max(int(X.max(initial=0)) + 1, UNKNOWN_ID + 1)  # 0 columns too
            return InMemoryCorpus(Ragged.from_padded(X).truncate(self.max_len))
        self.input_dim_ = self.vectorizer_.input_dim_
        return corpus

    def _seed(self):
        """Seed for this fit, drawn from ``random_state``."""
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        rng = np.random.default_rng(None if self.random_state is None else self.random_state)
        return int(rng.integers(2**31 - 1))

    def _train(self, corpus, target, weight, head, *, further=False, incremental=False):
        """Build ``model_`` (unless training ``further``) and train it on ``corpus``:
        ``epoch`` epochs, or one pass at the constant rate ``lr`` if ``incremental``
        (``partial_fit``).

        Document weights are relative: rescaled to average 1, so that ``lr``
        keeps its meaning (weights of 1e6 would otherwise multiply every step).

        Inside a ``tf.distribute`` strategy's scope, the model is built (its
        variables mirrored) and trained across the strategy's replicas, each
        batch of ``batch_size_`` documents shared among them; the default
        strategy, outside any scope, is no strategy.
        """
        seed = shared_seed(current_strategy(), self._seed())
        if further:
            seed += self.n_iter_  # not the last call's shuffle again
        else:
            self._build(head, seed)
        if not (further and incremental):  # a fit takes set_params'; partial_fit its first call's
            self._schedule(len(target))
        validation = None
        if self._stops_early(len(target)) and not incremental:
            validation = self._validation_rows(target, seed)
        history = self._run_trainer(
            corpus, target, weight, head, 1 if incremental else self.epoch_, self.lr, seed,
            validation=validation, incremental=incremental,
        )  # fmt: skip
        _round_to_half(self.model_.get_layer("embedding").embeddings.value)
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(values)
        self.n_iter_ += len(history.history.get("loss", ()))

    def _build(self, head, seed):
        """A new network and an empty history."""
        pretrained = self._pretrained_rows()
        self.model_ = build_model(
            input_dim=self.input_dim_,
            dim=self.dim,
            n_outputs=head.n_outputs,
            activation=head.activation,
            pooling=self.pooling,
            p=self.p,
            hidden_units=self.hidden_units,
            token_dropout=self.token_dropout,
            seed=seed,
            pretrained=pretrained,
            **(head.output or {}),
        )
        self.history_, self.n_iter_ = {}, 0
        vars(self).pop("_trainer", None)

    def _schedule(self, n_documents):
        """``batch_size_`` and ``epoch_`` of a fit on ``n_documents``, 'auto' resolved."""
        self.batch_size_ = self.batch_size
        if self.batch_size == "auto":  # more documents, larger batches: as many steps, faster
            self.batch_size_ = int(np.clip(n_documents // 1024, 32, 256))
        self.epoch_ = auto_epochs(n_documents) if self.epoch == "auto" else self.epoch

    def _stops_early(self, n_documents):
        """``early_stopping``, 'auto' resolved: on for a long fit of a large corpus."""
        if self.early_stopping == "auto":
            return self.epoch_ > AUTO_EPOCHS[1] and n_documents >= AUTO_STOP_DOCUMENTS
        return self.early_stopping

    def _validation_rows(self, target, seed):
        """The documents held out for early stopping, ``validation_fraction`` of them,
        stratified by class where the classes allow it (each at least twice)."""
        rows, strata = np.arange(len(target)), self._strata(target)
        for stratify in [strata, None] if strata is not None else [None]:
            try:
                _, held_out = train_test_split(
                    rows, test_size=self.validation_fraction, random_state=seed, stratify=stratify
                )
                return np.sort(held_out)
            except ValueError as error:
                reason = error
        raise ValueError(
            f"cannot hold out validation_fraction={self.validation_fraction} "
            f"of {len(target)} documents and train on the rest: {reason}"
        )

    def _run_trainer(
        self,
        corpus,
        target,
        weight,
        head,
        epochs,
        lr,
        seed,
        *,
        train_head=True,
        validation=None,
        incremental=False,
    ):
        """Train ``model_`` further on ``corpus``; return the History.

        Documents ``validation`` (rows of the corpus), if any, do not train: the
        model is scored on them after each epoch, for early stopping. ``incremental``:
        the rate stays ``lr``, and the optimizer (the head's Adam moments) goes on
        from the last partial call's.
        """
        self._graphs = {}
        trainer = getattr(self, "_trainer", None) if incremental else None
        if trainer is not None:  # partial_fit's last, with its compiled steps and Adam moments
            trainer.lr = trainer.compiled_optimizer.learning_rate = lr  # set_params(lr=...)
            trainer.verbose = self.verbose
        else:
            trainer = self._trainer_class(
                epochs=epochs,
                lr=lr,
                batch_size=self.batch_size_,
                loss=head.loss,
                verbose=self.verbose,
                train_head=train_head,
                n_iter_no_change=self.n_iter_no_change,
                tol=self.tol,
                decay=not incremental,
            )
        score = None
        if validation is not None:
            ids, kept = corpus.take(validation), (target[validation], weight[validation])
            score = partial(self._validation_score, ids, *kept)
            weight = weight.copy()
            weight[validation] = 0.0  # in the batches still, but no step learns from them
        # relative again: class weights may have changed the mean
        weight = relative_weights(weight).astype(np.float32)
        history = trainer.fit(self.model_, corpus, (target, weight), seed=seed, score=score)
        if incremental:
            self._trainer = trainer
        return history

    def _validation_score(self, ids, target, weight):
        return self._score_outputs(self._outputs(ids, "output"), target, weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")
