"""Every private name of scikit-learn that skfasttext uses, imported here and only here.

scikit-learn's parameter validation, fit context and sample-weight check are not public API
(imbalanced-learn keeps a module like this one): a release that moves them breaks this file
alone.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "check_sample_weight",
    "fit_context",
    "validate_params",
]

fit_context = _fit_context
check_sample_weight = _check_sample_weight
