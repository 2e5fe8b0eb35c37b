"""The estimators, under the import path they have always had.

:class:`FastTextClassifier` lives in :mod:`skfasttext.classifier`,
:class:`FastTextRegressor` in :mod:`skfasttext.regressor`.
"""

from .classifier import FastTextClassifier
from .regressor import FastTextRegressor

__all__ = ["FastTextClassifier", "FastTextRegressor"]
