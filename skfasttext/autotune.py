"""AutotuneSearchCV: fastText's autotune, on scikit-learn's search machinery.

fastText's ``-autotune-*`` search (``src/autotune.cc``) trains one candidate at a time,
each drawn around the best so far with a spread that narrows as the time runs out, until
its duration is spent. Here the same strategy fills ``BaseSearchCV._run_search`` (the
extension point of scikit-learn's ``HalvingGridSearchCV``): ``cv_results_``,
``best_params_``, scoring and refit are scikit-learn's.
"""

import os
import pickle
import sys
import tempfile
import time
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.optimize import nnls
from sklearn.base import clone, is_classifier
from sklearn.metrics import get_scorer_names
from sklearn.model_selection import (
    PredefinedSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
    check_cv,
)
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from ._base import auto_epochs
from ._sklearn_compat import HasMethods, Interval, StrOptions, fit_context
from ._targets import indicator_of, is_label_lists
from .metrics import per_label_scores, precision_at_k, recall_at_k

__all__ = ["AutotuneSearchCV", "quantize_to_size", "top_k_f1_scorer"]

# name: (low, high, first spread, last spread, log scale), fastText's autotune.cc
_RANGES = {
    "epoch": (1, 100, 2.8, 2.5, True),
    "lr": (0.01, 5.0, 1.9, 1.0, True),
    "dim": (1, 1000, 1.4, 0.3, True),
    "word_ngrams": (1, 5, 4.3, 2.4, False),
}
_MINN_CHOICES = (0, 2, 3)  # with maxn = minn + 3, or 0 (no subwords): fastText's choices
_MINN_RANGE = (0, len(_MINN_CHOICES) - 1, 4.0, 1.4, False)
_TUNABLE = (*_RANGES, "minn")
_SAFETY = 1.25  # estimated seconds are multiplied by this before a candidate may start
_DRAWS = 50  # candidates drawn for one trial before the search ends


def _spread(first, last, t):
    """fastText's spread at ``t`` (the share of the time spent): ``first`` until a
    quarter, down to ``last`` at three quarters."""
    return first - (first - last) / 0.5 * min(0.5, max(t - 0.25, 0.0))


def _around(value, bounds, t, rng):
    """A value drawn around ``value``: times 2**N(0, spread) on a log scale, plus
    N(0, spread) otherwise, clipped to the bounds; an int stays an int."""
    low, high, first, last, log = bounds
    step = rng.normal(0.0, _spread(first, last, t))
    new = value * 2.0**step if log else value + step
    new = min(max(new, low), high)
    return int(new) if isinstance(low, int) else float(new)


def _concat(a, b):
    """``a`` then ``b``: documents, id matrices or targets."""
    if sparse.issparse(a):
        return sparse.vstack([a, b], format="csr")
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return np.concatenate([a, b])
    return list(a) + list(b)


def _labels(y):
    """The set of labels of classification targets (label lists flattened)."""
    if sparse.issparse(y) or getattr(y, "ndim", 1) == 2:  # an indicator matrix
        return set(range(y.shape[1]))
    if is_label_lists(y):
        return {label for labels in y for label in np.asarray(labels).tolist()}
    return set(np.asarray(y).tolist())


class _TopKF1:
    """fastText's autotune metric: F1 of the ``k`` top labels (micro, or of one label)."""

    def __init__(self, k, label):
        self.k, self.label = k, label

    def __call__(self, estimator, X, y):
        top, _ = estimator.predict_top_k(X, k=self.k)
        if self.label is None:
            precision, recall = precision_at_k(y, top), recall_at_k(y, top)
            return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        predicted = [[label for label in row if label is not None] for row in top]
        return per_label_scores(y, predicted, labels=[self.label])[self.label][2]

    def __repr__(self):
        label = "" if self.label is None else f":{self.label}"
        return f"top_k_f1_scorer(f1{label}, k={self.k})"


def top_k_f1_scorer(k=1, label=None):
    """A scorer of fastText's autotune metrics, ``f1`` and ``f1:LABEL``.

    The F1 score of a classifier's ``k`` most probable labels of each document
    (:meth:`~skfasttext.FastTextClassifier.predict_top_k`) against the true labels: over
    all labels (micro-averaged, as fastText's ``-autotune-metric f1``), or of one label
    (``f1:LABEL``). With one label a document and ``k=1`` the micro F1 is the accuracy.

    Parameters
    ----------
    k : int, default=1
        Labels predicted a document (fastText's ``-autotune-predictions``).
    label : object, default=None
        The label whose F1 to score; None scores every label together.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, higher is better: for ``scoring=`` of
        :class:`AutotuneSearchCV` or of any scikit-learn search.

    Examples
    --------
    >>> from skfasttext import FastTextClassifier
    >>> from skfasttext.autotune import top_k_f1_scorer
    >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    >>> y = ["old", "old", "young", "young"] * 10
    >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, y)
    >>> top_k_f1_scorer()(clf, ["tea opera", "anime"], ["old", "young"])
    1.0
    >>> top_k_f1_scorer(k=2, label="old")(clf, ["tea opera", "anime"], ["old", "young"])
    0.6666666666666666
    """
    if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    return _TopKF1(int(k), label)


class AutotuneSearchCV(BaseSearchCV):
    """Search an estimator's parameters for a given time, as fastText's autotune.

    One candidate is trained at a time. The first is the estimator as given, the
    second fastText's tutorial's advice (at least 25 epochs and word bigrams, for
    the parameters tuned: tens of trials here, not fastText's hundreds, start
    near where its searches end); each next one is drawn around the best so
    far, as fastText's ``-autotune-*`` draws them: ``epoch``, ``lr`` and ``dim``
    multiplied by ``2 ** N(0, s)``, ``word_ngrams`` moved by ``N(0, s)``, and
    ``minn`` from 0, 2 and 3 (with ``maxn = minn + 3``, none for 0), within
    fastText's ranges (epochs 1-100, rates 0.01-5, dims 1-1000, n-grams 1-5);
    the spread ``s`` narrows from the first quarter of the time to the third.
    Each candidate is scored on a validation set: ``X_val`` given to
    :meth:`fit` (a ``PredefinedSplit``, as fastText's
    ``-autotune-validation``), else ``validation_fraction`` of ``X`` held out
    (stratified for a classifier), else ``cv``'s folds.

    The time is ``max_time`` for the whole fit, the refit of the best included:
    a candidate starts only when the fits so far say that it, and a refit after
    it, end in time (its time estimated as a fixed cost plus a cost in
    proportion to ``epoch x ids a token x (dim + 50)``, fitted to the fits so
    far, and beyond the largest of them at least its time in proportion, with
    a 25% margin).
    The first candidate always runs: with no fit yet there is no estimate, and
    a ``max_time`` shorter than it is overrun. Diverging candidates (a non-finite loss) score
    ``error_score``, as in scikit-learn's searches.

    Parameters
    ----------
    estimator : FastTextClassifier or FastTextRegressor
        The estimator to tune; its own parameters are the first candidate, and
        the parameters not tuned keep its values.
    max_time : float, default=300.0
        Seconds for the search and the refit together (fastText's
        ``-autotune-duration``, whose default this is; its duration leaves out
        its final training).
    param_names : list of str or None, default=None
        The parameters to tune, from 'epoch', 'lr', 'dim', 'word_ngrams' and
        'minn' (which sets ``maxn`` too); None tunes them all, as fastText
        tunes those not set on its command line.
    scoring : str, callable or None, default=None
        What a candidate's validation score is: a scikit-learn scorer name or
        callable (:func:`~skfasttext.autotune.top_k_f1_scorer` gives
        fastText's ``f1`` and ``f1:LABEL``); None is the estimator's ``score``
        (accuracy; R²).
    validation_fraction : float, default=0.1
        Share of ``X`` held out to score the candidates, where neither ``X_val``
        nor ``cv`` is given.
    cv : int, cross-validation generator, iterable or None, default=None
        Folds to score each candidate on, as in ``GridSearchCV``; None holds out
        ``validation_fraction``. Every fold is a fit, so each candidate costs
        as many.
    refit : bool, default=True
        Fit the best candidate again: on ``X`` (not ``X_val``, which only
        scores, as fastText trains its final model on its input alone), or on
        all of ``X`` after a held-out fraction. Needed for ``predict``.
    error_score : 'raise' or float, default=np.nan
        The score of a candidate whose fit fails.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws of candidates and the held-out split; the estimator's
        own ``random_state`` seeds its fits.
    verbose : int, default=0
        With 1 or more, a line on stderr after each candidate, as fastText's
        progress line: the share of time spent, trials, best score.

    Attributes
    ----------
    cv_results_ : dict of numpy arrays
        One entry a candidate, as ``GridSearchCV``'s: ``params``, each tuned
        parameter (``param_epoch``, ...), ``mean_test_score``,
        ``rank_test_score``, ``mean_fit_time``, ...
    best_params_ : dict
        The tuned parameters of the best candidate.
    best_score_ : float
        Its validation score.
    best_index_ : int
        Its row in ``cv_results_``.
    best_estimator_ : estimator
        The estimator with the best parameters, refitted (``refit=True``):
        ``predict``, ``score``, ``classes_``... are its.
    refit_time_ : float
        Seconds of the refit.
    search_time_ : float
        Seconds of the whole fit, refit included: at most about ``max_time``.
    n_splits_ : int
        Fits a candidate (1 with a validation set).
    scorer_ : callable
        The scorer of the candidates.
    multimetric_ : bool
        False: one score a candidate.

    See Also
    --------
    sklearn.model_selection.RandomizedSearchCV : Random candidates, given in
        number rather than in time.

    Examples
    --------
    >>> from skfasttext import AutotuneSearchCV, FastTextClassifier
    >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
    >>> y = ["old", "old", "young", "young"] * 10
    >>> search = AutotuneSearchCV(
    ...     FastTextClassifier(dim=8, random_state=0), max_time=8, random_state=0
    ... ).fit(docs, y, X_val=["tea opera", "anime game"], y_val=["old", "young"])
    >>> sorted(search.best_params_)
    ['dim', 'epoch', 'lr', 'maxn', 'minn', 'word_ngrams']
    >>> search.predict(["tea opera"]).tolist()
    ['old']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "score"])],
        "max_time": [Interval(Real, 0, None, closed="neither")],
        "param_names": [list, tuple, None],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "cv": ["cv_object"],
        "refit": ["boolean"],
        "error_score": [StrOptions({"raise"}), Real],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    # fits run one after another: TensorFlow already spreads one fit over the cores
    n_jobs = None
    pre_dispatch = "2*n_jobs"
    return_train_score = False

    def __init__(
        self,
        estimator,
        *,
        max_time=300.0,
        param_names=None,
        scoring=None,
        validation_fraction=0.1,
        cv=None,
        refit=True,
        error_score=np.nan,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.max_time = max_time
        self.param_names = param_names
        self.scoring = scoring
        self.validation_fraction = validation_fraction
        self.cv = cv
        self.refit = refit
        self.error_score = error_score
        self.random_state = random_state
        self.verbose = verbose

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, *, X_val=None, y_val=None, **params):
        """Search for ``max_time`` seconds, then refit the best candidate.

        Parameters
        ----------
        X : iterable of str, of list of str, or ndarray of int
            Training documents, as the estimator's ``fit`` takes them.
        y : array-like
            Their targets.
        X_val : iterable of str, of list of str, or ndarray of int, default=None
            Validation documents that score the candidates and never train them
            (fastText's ``-autotune-validation``).
        y_val : array-like, default=None
            Their targets. A classifier's must be labels of ``y``.
        **params : dict
            Passed to the estimator's ``fit`` (e.g. ``sample_weight``); not with
            ``X_val``.

        Returns
        -------
        self : AutotuneSearchCV
            The fitted search.
        """
        start = time.perf_counter()
        self._names = self._tuned_names()
        if (X_val is None) != (y_val is None):
            raise ValueError("Pass X_val and y_val together, or neither.")
        seed = check_random_state(self.random_state).randint(2**31 - 1)
        refit_X, refit_y, n_train = X, y, len(y)
        if X_val is not None:
            if params:
                raise ValueError(
                    "With X_val, fit parameters (such as sample_weight) are not supported: "
                    "pass them without X_val, validation_fraction of X then held out."
                )
            if is_classifier(self.estimator):
                unseen = _labels(y_val) - _labels(y)
                if unseen:
                    shown = sorted(map(str, unseen))[:10]
                    raise ValueError(
                        f"y_val holds {len(unseen)} label(s) that y does not: {shown}. A "
                        "classifier trained on y cannot predict them, so they would score "
                        "every candidate wrong: remove those documents from the validation "
                        "set, or add examples of them to the training set."
                    )
            test_fold = np.r_[np.full(len(y), -1), np.zeros(len(y_val), dtype=int)]
            self._cv = PredefinedSplit(test_fold)
            X, y = _concat(X, X_val), _concat(y, y_val)
        elif self.cv is None:
            self._cv = self._held_out(y, seed)
            n_train = len(y) - int(np.ceil(self.validation_fraction * len(y)))
        else:
            # scikit-learn's type_of_target refuses lists of labels: an indicator says the same
            kind = indicator_of(y, sorted(_labels(y))) if is_label_lists(y) else y
            self._cv = check_cv(self.cv, kind, classifier=is_classifier(self.estimator))
        self._n_refit, self._n_train, self._start = len(refit_y), n_train, start
        self._rng = np.random.default_rng(seed)
        # the refit is ours (on X alone, inside max_time): the base class's is off
        self._refit, refit, self.refit = self.refit, self.refit, False
        # the folds are ours too: the base class's check_cv, given them, reads no y
        cv, self.cv = self.cv, self._cv
        try:
            super().fit(X, y, **params)
        finally:
            self.refit, self.cv = refit, cv
            del self._rng, self._cv, self._names, self._n_refit, self._n_train, self._start
            del self._refit
        if refit:
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            refit_start = time.perf_counter()
            self.best_estimator_.fit(refit_X, refit_y, **params)
            self.refit_time_ = time.perf_counter() - refit_start
        self.search_time_ = time.perf_counter() - start
        return self

    def _tuned_names(self):
        """The names of the tuned parameters, checked against the estimator's."""
        names = list(_TUNABLE if self.param_names is None else self.param_names)
        unknown = [name for name in names if name not in _TUNABLE]
        if unknown:
            raise ValueError(
                f"param_names holds {unknown}: AutotuneSearchCV tunes only {list(_TUNABLE)}."
            )
        own = self.estimator.get_params()
        missing = [name for name in names if name not in own]
        if missing and self.param_names is not None:
            raise ValueError(f"{type(self.estimator).__name__} has no parameter {missing}.")
        return [name for name in names if name in own]

    def _held_out(self, y, seed):
        """One split: ``validation_fraction`` held out, by class where every class can be
        (twice in y, and once on each side)."""
        single = (
            is_classifier(self.estimator)
            and not is_label_lists(y)
            and type_of_target(y) in ("binary", "multiclass")
        )
        if single:
            counts = np.unique(np.asarray(y), return_counts=True)[1]
            n_test = int(np.ceil(self.validation_fraction * len(y)))
            if counts.min() >= 2 and min(n_test, len(y) - n_test) >= len(counts):
                return StratifiedShuffleSplit(
                    1, test_size=self.validation_fraction, random_state=seed
                )
        return ShuffleSplit(1, test_size=self.validation_fraction, random_state=seed)

    # -- the search -----------------------------------------------------------------

    def _own_params(self):
        """The estimator's parameters, ``epoch='auto'`` as the number it takes on the
        training part: the draws and the time estimate move numbers."""
        own = self.estimator.get_params()
        if own.get("epoch") == "auto":
            own["epoch"] = auto_epochs(self._n_train)
        return own

    def _run_search(self, evaluate_candidates):
        """Evaluate candidates drawn around the best so far while the time allows."""
        self.n_splits_ = self._cv.get_n_splits()  # evaluate_candidates checks the folds by it
        own = self._own_params()
        first = {name: own[name] for name in self._names}
        if "minn" in first:
            first["maxn"] = own["maxn"]
        # second, fastText's tutorial's advice (-epoch 25 -wordNgrams 2): with tens of
        # trials, not fastText's hundreds, a start near where its searches end pays
        advice = dict(first)
        if "epoch" in advice:
            advice["epoch"] = max(advice["epoch"], 25)
        if "word_ngrams" in advice:
            advice["word_ngrams"] = max(advice["word_ngrams"], 2)
        results = evaluate_candidates([first], cv=self._cv)
        seen = {tuple(sorted(first.items()))}
        while True:
            spent = time.perf_counter() - self._start
            t = min(1.0, spent / self.max_time)
            self._report(results, t)
            best = self._best(results)
            for draw in range(_DRAWS):
                candidate = advice if len(seen) == 1 and draw == 0 else self._draw(best, t)
                key = tuple(sorted(candidate.items()))
                if key in seen:
                    continue
                cost = self._cost(results, candidate) * self.n_splits_
                reserve = self._refit_cost(results, [best, candidate])
                if spent + cost + reserve <= self.max_time:
                    break
            else:
                return
            seen.add(key)
            results = evaluate_candidates([candidate], cv=self._cv)

    def _best(self, results):
        """The parameters of the best candidate so far (the first where none scored)."""
        scores = np.asarray(results["mean_test_score"], dtype=float)
        index = int(np.nanargmax(scores)) if np.isfinite(scores).any() else 0
        return results["params"][index]

    def _draw(self, best, t):
        """A candidate around ``best``, as fastText's ``AutotuneStrategy::ask``."""
        candidate = dict(best)
        for name in self._names:
            if name == "minn":
                index = _MINN_CHOICES.index(best["minn"]) if best["minn"] in _MINN_CHOICES else 0
                minn = _MINN_CHOICES[_around(index, _MINN_RANGE, t, self._rng)]
                candidate["minn"], candidate["maxn"] = minn, minn + 3 if minn else 0
            else:
                candidate[name] = _around(best[name], _RANGES[name], t, self._rng)
        return candidate

    def _work(self, params):
        """What a fit's time grows with: epochs x ids a token x (dim + 50)."""
        values = {**self._own_params(), **params}
        subwords = 5 * (values["maxn"] - max(values["minn"], 1) + 1) if values["maxn"] else 0
        ids = values["word_ngrams"] + subwords  # about 5 character n-grams a length a word
        return values["epoch"] * ids * (values["dim"] + 50)

    def _cost(self, results, params):
        """Estimated seconds of one fit of ``params``, scoring included: a fixed cost
        and a cost a unit of work, least squares over the fits so far; beyond the most
        work fitted yet, at least that fit's time in proportion (a slope fitted to small
        fits can be far too flat). Times a margin, and at least the shortest fit."""
        seconds = np.asarray(results["mean_fit_time"]) + np.asarray(results["mean_score_time"])
        work = np.array([self._work(p) for p in results["params"]], dtype=float)
        new, most = self._work(params), np.argmax(work)
        estimate = seconds[most] * new / work[most] if new > work[most] else 0.0
        if len(np.unique(work)) > 1:
            (fixed, rate), _ = nnls(np.c_[np.ones_like(work), work], seconds)
            estimate = max(estimate, fixed + rate * new)
        return _SAFETY * max(seconds.min(), estimate)

    def _refit_cost(self, results, candidates):
        """Estimated seconds of the refit of the costliest of ``candidates`` (0 without)."""
        if not self._refit:
            return 0.0
        scale = self._n_refit / max(self._n_train, 1)  # a fit's time grows with the documents
        return scale * max(self._cost(results, params) for params in candidates)

    def _report(self, results, t):
        if self.verbose:
            scores = np.asarray(results["mean_test_score"], dtype=float)
            best = np.nanmax(scores) if np.isfinite(scores).any() else float("nan")
            print(
                f"Progress: {100 * t:5.1f}% Trials: {len(scores):4d} Best score: {best:9.6f}",
                file=sys.stderr,
            )


def _saved_size(estimator):
    """Bytes of ``estimator``'s model file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.skft")
        estimator.save(path)
        return os.path.getsize(path)


def quantize_to_size(estimator, max_bytes, X, y, *, dsub=2):
    """A quantized copy of a fitted estimator whose model file holds at most ``max_bytes``.

    fastText's ``-autotune-modelsize``: rows coded one byte a ``dsub`` values, norms
    apart (``qnorm``), and the rows of largest norm kept (``cutoff``) as many as fit, the
    number read off the sizes of two trial quantizations, then retrained on ``X`` and
    ``y``, as fastText's retrains.

    Parameters
    ----------
    estimator : FastTextClassifier or FastTextRegressor
        A fitted estimator (fitted on documents); it is left as it is.
    max_bytes : int
        The largest size of the saved model file, in bytes.
    X : iterable of str or of list of str
        Documents to retrain the kept rows on (the training documents).
    y : array-like
        Their targets.
    dsub : int, default=2
        Values a byte in the rows' codes.

    Returns
    -------
    estimator : FastTextClassifier or FastTextRegressor
        The quantized copy.

    Raises
    ------
    ValueError
        Where even a hundred rows do not fit in ``max_bytes``.
    """

    def quantized(cutoff, retrain=False):
        data = {"X": X, "y": y} if retrain else {}
        copy = pickle.loads(pickle.dumps(estimator))  # quantize works in place
        return copy.quantize(**data, cutoff=cutoff, dsub=dsub, qnorm=True, retrain=retrain)

    rows = estimator.input_dim_
    whole = quantized(0)
    size = _saved_size(whole)
    if size <= max_bytes:
        return whole
    few = max(rows // 4, 1)
    per_row = max((size - _saved_size(quantized(few))) / max(rows - few, 1), 1e-9)
    cutoff = int((max_bytes - (size - per_row * rows)) / per_row)
    for _ in range(4):  # the file is a zip: a few bytes off the line, shrink until it fits
        if cutoff < 100:
            break
        model = quantized(cutoff, retrain=True)
        if _saved_size(model) <= max_bytes:
            return model
        cutoff = int(cutoff * 0.9)
    raise ValueError(
        f"A model file of at most {max_bytes} bytes cannot hold this model, even with its "
        f"rows cut to 100 (quantized, the whole model takes {size} bytes): raise the size."
    )
