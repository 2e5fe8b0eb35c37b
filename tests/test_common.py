"""scikit-learn's estimator checks, text-aware variants, docstrings and doctests.

``parametrize_with_checks`` returns early for estimators whose tags say they take
no 2-d array (text input): it would run only the clone check. So the checks are
called one by one here, and the ones built on a numeric ``X`` get a version that
feeds documents.
"""

import doctest
import importlib
import inspect
import pkgutil
import re

import joblib
import keras
import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils._tags import get_tags
from sklearn.utils.validation import check_is_fitted

import skfasttext
from skfasttext import FastTextClassifier, FastTextRegressor, TextVectorizer

DOCS = ["a b c", "b c d", "c d e e", "a a b", "d e", "e e e a", "b", "a c e"] * 3
LABELS = np.array([0, 0, 1, 0, 1, 1, 0, 1] * 3)
TARGETS = np.array([1.0, 2.0, 5.0, 1.5, 6.0, 7.0, 1.0, 4.0] * 3)


def _estimators():
    return [
        TextVectorizer(),
        FastTextClassifier(dim=4, epoch=1, random_state=0),
        FastTextRegressor(dim=4, epoch=1, random_state=0),
    ]


def _name(estimator):
    return type(estimator).__name__


def _y(estimator):
    if is_classifier(estimator):
        return LABELS
    if is_regressor(estimator):
        return TARGETS
    return None


ESTIMATORS = _estimators()

# checks that run as they are on text estimators
SKLEARN_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimators_unfitted",
    "check_param_validation",
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
]

# checks that fit on a numeric X: documents are required, so they fail by design
# (each has a text version below or in test_estimators.py)
NUMERIC_X_CHECKS = {
    "check_fit_check_is_fitted": "text version: test_fit_check_is_fitted",
    "check_estimators_overwrite_params": "text version: test_fit_does_not_change_params",
    "check_dont_overwrite_parameters": "text version: test_fit_does_not_change_params",
    "check_estimators_pickle": "text version: test_estimators.py::test_persistence_*",
    "check_n_features_in": "text input has no n_features_in_",
}


@pytest.mark.parametrize("check_name", SKLEARN_CHECKS)
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_sklearn_check(estimator, check_name):
    check = getattr(estimator_checks, check_name)
    check(_name(estimator), clone(estimator))


@pytest.mark.parametrize("check_name", sorted(NUMERIC_X_CHECKS))
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_numeric_x_checks_need_documents(estimator, check_name):
    """These checks feed a 2-d float array: refused with the documents error."""
    check = getattr(estimator_checks, check_name)
    with pytest.raises(ValueError, match="1-d collection of documents"):
        check(_name(estimator), clone(estimator))


def test_parametrize_with_checks_skips_text_estimators():
    """Why the checks above are called one by one (see module docstring)."""
    for estimator in ESTIMATORS:
        tags = get_tags(estimator)
        assert tags.input_tags.string
        assert not tags.input_tags.two_d_array


# -- text-aware versions of the checks -------------------------------------------------


def _fit(estimator):
    y = _y(estimator)
    return estimator.fit(DOCS) if y is None else estimator.fit(DOCS, y)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_fit_returns_self(estimator):
    estimator = clone(estimator)
    assert _fit(estimator) is estimator


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_estimators_unfitted(estimator):
    estimator = clone(estimator)
    methods = ["predict", "predict_proba", "predict_log_proba", "decision_function"]
    methods += ["transform", "transform_ragged", "get_feature_names_out"]
    called = 0
    for method in methods:
        if hasattr(estimator, method):
            args = () if method == "get_feature_names_out" else (DOCS,)
            with pytest.raises(NotFittedError):
                getattr(estimator, method)(*args)
            called += 1
    assert called >= 2


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_fit_check_is_fitted(estimator):
    estimator = clone(estimator)
    assert get_tags(estimator).requires_fit
    with pytest.raises(NotFittedError):
        check_is_fitted(estimator)
    check_is_fitted(_fit(estimator))


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_fit_does_not_change_params(estimator):
    estimator = clone(estimator)
    params = estimator.get_params()
    hashes = {name: joblib.hash(value) for name, value in params.items()}
    public_before = {k for k in vars(estimator) if not k.startswith("_")}
    _fit(estimator)
    assert {name: joblib.hash(value) for name, value in estimator.get_params().items()} == hashes
    added = {k for k in vars(estimator) if not k.startswith("_")} - public_before
    assert added, "fit sets fitted attributes"
    assert all(k.endswith("_") for k in added), sorted(added)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_predict_does_not_change_public_state(estimator):
    """Prediction may build private caches (the lookup table, the embedding model) only."""
    estimator = _fit(clone(estimator))

    def state():
        # a Keras model caches its compiled predict function: compare its weights
        return {
            k: joblib.hash(v.get_weights() if isinstance(v, keras.Model) else v)
            for k, v in vars(estimator).items()
            if not k.startswith("_")
        }

    before = state()
    for method in ("predict", "predict_proba", "transform"):
        if hasattr(estimator, method):
            getattr(estimator, method)(DOCS)
    assert state() == before


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_methods_sample_order_and_subset_invariance(estimator):
    estimator = _fit(clone(estimator))
    docs = DOCS[:8] + ["", "zzz unknown"]
    order = np.random.default_rng(0).permutation(len(docs))
    methods = [m for m in ("predict", "predict_proba", "transform") if hasattr(estimator, m)]
    for method in methods:
        out = np.asarray(getattr(estimator, method)(docs), dtype=float)
        permuted = np.asarray(getattr(estimator, method)([docs[i] for i in order]), dtype=float)
        np.testing.assert_allclose(permuted, out[order], rtol=1e-6, atol=1e-7)
        if method == "transform" and isinstance(estimator, TextVectorizer):
            continue  # padded to the longest document of each call
        subset = np.asarray(getattr(estimator, method)(docs[2:5]), dtype=float)
        np.testing.assert_allclose(subset, out[2:5], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_param_validation_with_documents(estimator):
    """check_param_validation, fed documents: a bad type for any parameter is refused."""
    bad = type("BadType", (), {})()
    params = estimator.get_params()
    assert set(params) == set(estimator._parameter_constraints)
    methods = ["fit"] + (["fit_transform"] if isinstance(estimator, TextVectorizer) else [])
    for name in params:
        est = clone(estimator).set_params(**{name: bad})
        for method in methods:
            with pytest.raises(
                InvalidParameterError, match=rf"The '{name}' parameter of {_name(est)} must be"
            ):
                y = _y(est)
                getattr(est, method)(DOCS) if y is None else getattr(est, method)(DOCS, y)


def test_estimator_types():
    assert is_classifier(FastTextClassifier())
    assert is_regressor(FastTextRegressor())
    assert get_tags(TextVectorizer()).transformer_tags is not None
    assert get_tags(FastTextClassifier()).classifier_tags is not None
    assert get_tags(FastTextRegressor()).regressor_tags is not None


# -- docstrings ---------------------------------------------------------------------------


def _modules():
    names = ["skfasttext"] + [
        f"skfasttext.{info.name}" for info in pkgutil.iter_modules(skfasttext.__path__)
    ]
    return [importlib.import_module(name) for name in names]


MODULES = _modules()


def _is_public(module):
    """The package, and its modules whose name has no leading ``_`` (``__main__`` is public)."""
    name = module.__name__.rpartition(".")[2]
    return name == "__main__" or not name.startswith("_")


def _public_objects():
    """Every public class and function (in a public module's ``__all__``), once.

    Private modules' ``__all__`` lists their interface to the other modules; the
    public estimators' inherited methods are checked through the estimators.
    """
    seen = {}
    for module in filter(_is_public, MODULES):
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                seen.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return seen


def _public_methods(cls):
    """Public methods of an estimator defined in skfasttext (not inherited from sklearn)."""
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and member.__module__.startswith("skfasttext"):
            yield f"{cls.__module__}.{cls.__qualname__}.{name}", member


def _documented_parameters(doc):
    """Names in the numpydoc Parameters section, in order (``*args``/``**kwargs`` left out)."""
    match = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    if match is None:
        return []
    names = []
    for line in match.group(1).splitlines():
        if line and not line[0].isspace():
            head = line.split(" : ")[0]
            names += [part.strip() for part in head.split(",")]
    return [name for name in names if not name.startswith("*")]


def _signature_parameters(func):
    params = inspect.signature(func).parameters.values()
    return [
        p.name
        for p in params
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _docstring_cases():
    cases = []
    for qualname, obj in _public_objects().items():
        if inspect.isclass(obj):
            cases.append((qualname, obj.__init__, inspect.getdoc(obj)))
            if issubclass(obj, BaseEstimator):
                cases += [(name, m, inspect.getdoc(m)) for name, m in _public_methods(obj)]
        else:
            cases.append((qualname, obj, inspect.getdoc(obj)))
    return cases


DOCSTRING_CASES = _docstring_cases()


def test_docstring_cases_cover_the_api():
    names = {case[0] for case in DOCSTRING_CASES}
    for expected in (
        "skfasttext.text.TextVectorizer",
        "skfasttext.classifier.FastTextClassifier.fit",
        "skfasttext.regressor.FastTextRegressor.predict",
        "skfasttext.layers.MaskedLpPooling",
        "skfasttext.model.build_model",
        "skfasttext.datasets.make_age_corpus",
    ):
        assert expected in names


@pytest.mark.parametrize(
    "qualname, func, doc", DOCSTRING_CASES, ids=[case[0] for case in DOCSTRING_CASES]
)
def test_docstring_parameters_match_signature(qualname, func, doc):
    assert doc, f"{qualname} has no docstring"
    documented = _documented_parameters(doc)
    expected = _signature_parameters(func)
    assert documented == expected, f"{qualname}: documented {documented}, signature {expected}"


@pytest.mark.parametrize("estimator", [FastTextClassifier, FastTextRegressor])
def test_every_fitted_attribute_is_documented(estimator):
    docs = ["old opera", "opera tea", "game anime", "anime game game"] * 5
    y = [30, 30, 60, 60] * 5
    fitted = estimator(dim=4, epoch=1, random_state=0).fit(docs, y)
    public = {name for name in vars(fitted) if name.endswith("_") and not name.startswith("_")}
    documented = set(re.findall(r"^    (\w+_) :", estimator.__doc__, flags=re.MULTILINE))
    assert public and not public - documented, f"undocumented: {sorted(public - documented)}"


def test_fill_doc_refuses_an_entry_it_would_not_show():
    from skfasttext._docstrings import fill_doc

    class Documented:
        """Doc.\n\n    {parameters}\n\n    {attributes}\n"""

        def __init__(self, *, dim=100):
            self.dim = dim

    with pytest.raises(ValueError, match=r"documents \['extra_'\] but does not list"):
        fill_doc(attributes=["epoch_"], own_attributes={"extra_": "extra_ : int"})(Documented)


def test_documented_parameters_parser():
    doc = "T.\n\nParameters\n----------\na : int\n    A.\nb, c : str\n\nReturns\n-------\nx : int\n"
    assert _documented_parameters(doc) == ["a", "b", "c"]
    assert _documented_parameters("No sections.") == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0


def test_doctests_exist():
    finder = doctest.DocTestFinder()
    examples = sum(len(test.examples) for m in MODULES for test in finder.find(m))
    assert examples >= 20
    for cls in (TextVectorizer, FastTextClassifier, FastTextRegressor):
        assert ">>> " in cls.__doc__, f"{cls.__name__} has no Examples"


def _parameter_entries(doc):
    """``{name: entry}`` of a numpydoc Parameters section: its line and the lines under it."""
    section = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    entries = re.split(r"^(?=\S)", section.group(1), flags=re.M)
    return {entry.split(" : ")[0]: entry.strip() for entry in entries if entry.strip()}


# the estimators differ here on purpose: the regressor's hidden layer, and each task's losses
OWN_PARAMETERS = {"hidden_units", "loss", "pooling"}


def test_shared_parameters_are_documented_once():
    """A parameter both estimators take reads the same in both (written once, in
    _docstrings.PARAMETERS), but for the few that differ on purpose."""
    from skfasttext._docstrings import PARAMETERS

    entries = [
        {
            name: entry.replace(f"{cls.__name__}(", "{estimator}(")
            for name, entry in _parameter_entries(inspect.getdoc(cls)).items()
        }
        for cls in (FastTextClassifier, FastTextRegressor)
    ]
    shared = set(entries[0]) & set(entries[1])
    assert shared - OWN_PARAMETERS == set(PARAMETERS)
    for name in shared - OWN_PARAMETERS:
        assert entries[0][name] == entries[1][name], f"{name} is documented twice, differently"
    for name in OWN_PARAMETERS:
        assert entries[0][name] != entries[1][name]
    assert "FastTextRegressor(pooling=" in inspect.getdoc(FastTextRegressor)  # {estimator}
