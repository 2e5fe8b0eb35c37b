"""fastText-style text models with a scikit-learn face and a Keras heart."""

# first: on the command line, its import starts TensorFlow quietly, before the rest do
from . import _startup  # noqa: F401  # isort: split
from ._version import __version__
from .autotune import AutotuneSearchCV
from .classifier import FastTextClassifier
from .datasets import make_age_corpus
from .io import (
    iter_fasttext,
    read_fasttext,
    read_word_vectors,
    write_fasttext,
    write_word_vectors,
)
from .layers import (
    MaskedLpPooling,
    MaskedMaxPooling,
    MaskedMeanPooling,
    MaskedSqrtNPooling,
    TokenDropout,
)
from .model import build_model, flat_model
from .persistence import load
from .regressor import FastTextRegressor
from .text import TextVectorizer

__all__ = [
    "FastTextClassifier",
    "FastTextRegressor",
    "TextVectorizer",
    "AutotuneSearchCV",
    "MaskedMeanPooling",
    "MaskedSqrtNPooling",
    "MaskedMaxPooling",
    "MaskedLpPooling",
    "TokenDropout",
    "build_model",
    "flat_model",
    "make_age_corpus",
    "load",
    "read_fasttext",
    "iter_fasttext",
    "write_fasttext",
    "read_word_vectors",
    "write_word_vectors",
    "__version__",
]
