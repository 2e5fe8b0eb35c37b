"""Model files that run no code: a zip of JSON and ``.npy`` arrays.

A ``.skft`` file holds two kinds of member:

- ``skfasttext.json``: the format's name and version, the skfasttext version, the
  estimator's class and ``get_params()``, its fitted attributes (the vectorizer's
  among them) and its Keras network's config, every value tagged with its type
  (``{"__array__": "3"}``, ``{"__tuple__": [...]}``, ...), and the SHA-256 of each
  array;
- ``arrays/<n>.npy``: every array, the network's weights among them, read with
  ``allow_pickle=False``; arrays of floats are stored as they are (deflating them
  costs time and saves little), the others deflated.

Loading reads JSON and arrays only: the classes it builds come from short lists of
this package's estimators and Keras layers, checked before anything is built, and
Keras deserializes the network with ``safe_mode=True``. Any fault in a file (not a
zip, truncated, a flipped bit, a foreign or hostile value) is one ``ValueError``
that names the file.
"""

import hashlib
import json
import math
import os
import pathlib
import re
import zipfile

import keras
import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted

from ._files import atomic_open
from ._version import __version__

__all__ = ["PersistenceMixin", "load", "save"]

_FORMAT, _FORMAT_VERSION = "skfasttext-model", 1
_JSON = "skfasttext.json"
_HALF_BLOCK = 2**22  # values checked for float16 at a time
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# what a network's config may name: the layers build_model and quantize use
_KERAS_CLASSES = {
    "Functional", "InputLayer", "Dense", "NotEqual", "__keras_tensor__", "DTypePolicy",
    "FloatDTypePolicy", "GlorotUniform", "RandomUniform", "Zeros",
}  # fmt: skip
_OUR_LAYERS = {
    "SparseEmbedding", "QuantizedEmbedding", "QuantizedDense", "TokenDropout",
    "MaskedMeanPooling", "MaskedSqrtNPooling", "MaskedMaxPooling", "MaskedLpPooling",
    "HierarchicalSoftmax", "NegativeSampling",
}  # fmt: skip


class _Fault(Exception):
    """What is wrong with a file, said once, by :func:`load`."""


# the classes a file may name, by name: the package's own, each marked by ``storable``
_STORABLE = {}


def storable(cls):
    """Class decorator: ``save`` stores instances of ``cls`` and ``load`` builds them.

    Only the package's estimators (and the vectorizer inside them) are marked: a file
    names a class, and ``load`` builds none it does not find here, nor a subclass.
    """
    _STORABLE[cls.__name__] = cls
    return cls


def _is_storable(value):
    return _STORABLE.get(type(value).__name__) is type(value)


# -- save -----------------------------------------------------------------------------


def _half(array):
    """``array`` as float16 where float16 holds every value of a float32 array, else None.

    Checked a block at a time: the whole array's temporaries would double a large table.
    """
    if array.dtype != np.float32:
        return None
    values, half = array.reshape(-1), np.empty(array.size, dtype=np.float16)
    with np.errstate(over="ignore"):
        for start in range(0, array.size, _HALF_BLOCK):
            block = slice(start, start + _HALF_BLOCK)
            half[block] = values[block]
            if not np.array_equal(half[block], values[block]):
                return None
    return half.reshape(array.shape)


def _digest(array):
    return hashlib.sha256(np.ascontiguousarray(array).view(np.uint8).reshape(-1)).hexdigest()


class _Writer:
    """Encodes values as tagged JSON, collecting their arrays."""

    def __init__(self):
        self.arrays = []

    def array(self, array):
        self.arrays.append(array)
        return {"__array__": str(len(self.arrays) - 1)}

    def encode(self, value, where):
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, np.generic):
            return {"__scalar__": value.dtype.str, "value": self.encode(value.item(), where)}
        if isinstance(value, np.ndarray):
            if value.dtype == object:
                return {"__objects__": [self.encode(v, where) for v in value.tolist()]}
            half = _half(value)  # trained word vectors: float16 holds them exactly
            if half is not None:
                return {**self.array(half), "as": "float32"}
            return self.array(value)
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
            return items if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict):
            pairs = [
                [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in value.items()
            ]
            return {"__dict__": pairs}
        if isinstance(value, np.random.RandomState):
            return {"__random_state__": self.encode(value.get_state(), where)}
        if _is_storable(value):
            return {"__estimator__": self.estimator(value, where)}
        if isinstance(value, os.PathLike):  # pretrained_vectors' file
            return {"__path__": os.fsdecode(value)}
        # pretrained_vectors' model, as the docs advise to pass it where it is cloned
        if type(value) is FrozenEstimator and _is_storable(value.estimator):
            return {"__frozen__": self.estimator(value.estimator, f"{where}.estimator")}
        raise TypeError(
            f"save cannot store {where}, of type {type(value).__name__}: only numbers, "
            "strings, arrays, lists, dicts and the package's own objects. Pickle the model "
            "instead (a trusted file only)."
        )

    def estimator(self, estimator, where):
        """The class, parameters and state (what it pickles: ``__getstate__``) of one of the
        package's estimators."""
        params = estimator.get_params(deep=False)
        state = {k: v for k, v in estimator.__getstate__().items() if k not in params}
        return {
            "class": type(estimator).__name__,
            "params": self.encode(params, f"{where}.params"),
            "state": self.encode(state, where),
        }


def save(estimator, path):
    """Write a fitted estimator to a model file, atomically (``estimator.save(path)``).

    Parameters
    ----------
    estimator : FastTextClassifier or FastTextRegressor
        A fitted estimator (quantized or not).
    path : str or path-like
        Where to write; an older file there stays whole until the new one is.

    Raises
    ------
    TypeError
        For another class (a subclass too: pickle it instead, a trusted file only),
        or an attribute of a type the format does not store, named.

    See Also
    --------
    skfasttext.load : Read the file back.
    skfasttext.FastTextClassifier.save : This function, as a method of the estimators.

    Examples
    --------
    >>> import os, tempfile
    >>> from skfasttext import FastTextRegressor, load
    >>> from skfasttext.persistence import save
    >>> reg = FastTextRegressor(dim=4, epoch=2, random_state=0).fit(["a b", "b c"], [1.0, 3.0])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(reg, os.path.join(tmp, "reg.skft"))
    ...     print(load(os.path.join(tmp, "reg.skft")).predict(["a b"]) == reg.predict(["a b"]))
    [ True]
    """
    if not (_is_storable(estimator) and isinstance(estimator, PersistenceMixin)):
        raise TypeError(
            f"save stores FastTextClassifier and FastTextRegressor, not "
            f"{type(estimator).__name__}: pickle it instead (a trusted file only)."
        )
    writer = _Writer()
    header = {
        "format": _FORMAT,
        "format_version": _FORMAT_VERSION,
        "skfasttext_version": __version__,
        "estimator": writer.estimator(estimator, "the estimator"),
        "sha256": [_digest(array) for array in writer.arrays],
    }
    try:
        with atomic_open(path, "wb") as f, zipfile.ZipFile(f, "w") as archive:
            archive.writestr(_JSON, json.dumps(header), zipfile.ZIP_DEFLATED)
            for i, array in enumerate(writer.arrays):
                member = zipfile.ZipInfo(f"arrays/{i}.npy")
                floats = array.dtype.kind in "fc"
                member.compress_type = zipfile.ZIP_STORED if floats else zipfile.ZIP_DEFLATED
                with archive.open(member, "w", force_zip64=True) as stream:
                    np.lib.format.write_array(stream, array, allow_pickle=False)
    except OSError as exc:  # name the model's path, not the temporary file's
        if exc.filename is None:
            raise
        raise type(exc)(exc.errno, exc.strerror, path) from None


# -- load -----------------------------------------------------------------------------


def _check_network(config):
    """Refuse a network config that names anything but the package's layers and the
    few Keras classes they are built of (a Lambda layer would run code)."""
    if isinstance(config, list):
        for item in config:
            _check_network(item)
    elif isinstance(config, dict):
        if "class_name" in config:
            name, module = config["class_name"], config.get("module")
            ours = name in _OUR_LAYERS and module == "skfasttext.layers"
            keras_own = name in _KERAS_CLASSES and (module is None or module.startswith("keras"))
            registered = config.get("registered_name") in (None, name, f"skfasttext>{name}")
            if not ((ours or keras_own) and registered):
                raise _Fault(f"its network names {module}.{name}, which this package never saves")
        for item in config.values():
            _check_network(item)


class _Reader:
    """Decodes tagged JSON, its arrays read from the archive and checked."""

    def __init__(self, archive, digests):
        self.archive, self.digests = archive, digests

    def array(self, tag):
        i = int(tag["__array__"])
        if not 0 <= i < len(self.digests):
            raise _Fault(f"it refers to array {i}, which it does not hold")
        with self.archive.open(f"arrays/{i}.npy") as stream:
            array = np.lib.format.read_array(stream, allow_pickle=False)
        if _digest(array) != self.digests[i]:
            raise _Fault(f"array {i} does not match its checksum")
        return array

    def decode(self, value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict) or len(value) not in (1, 2):
            raise _Fault(f"it holds a value of no known kind: {str(value)[:80]}")
        tag = next(iter(value))
        if tag == "__array__":
            array = self.array(value)
            return array.astype(value["as"]) if value.get("as") == "float32" else array
        if tag == "__float__" and value[tag] in ("nan", "inf", "-inf"):
            return float(value[tag])
        if tag == "__scalar__":
            return np.dtype(value[tag]).type(self.decode(value["value"]))
        if tag == "__objects__":
            items = self.decode(value[tag])
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array
        if tag == "__tuple__":
            return tuple(self.decode(value[tag]))
        if tag == "__dict__":
            return {self.decode(k): self.decode(v) for k, v in value[tag]}
        if tag == "__random_state__":
            state = np.random.RandomState()
            state.set_state(self.decode(value[tag]))
            return state
        if tag == "__estimator__":
            return self.estimator(value[tag])
        if tag == "__path__" and isinstance(value[tag], str):
            return pathlib.Path(value[tag])
        if tag == "__frozen__":
            return FrozenEstimator(self.estimator(value[tag]))
        raise _Fault(f"it holds a value tagged {tag[:40]!r}, which this package never saves")

    def estimator(self, spec):
        cls = _STORABLE.get(spec["class"])
        if cls is None:
            raise _Fault(f"it holds a {str(spec['class'])[:40]!r}, which is no skfasttext model")
        params = self.decode(spec["params"])
        unknown = set(params) - set(cls().get_params())
        if unknown:
            raise _Fault(f"{cls.__name__} has no parameters {sorted(unknown)[:5]}")
        estimator = cls(**params)
        estimator._validate_params()
        state = self.decode(spec["state"])
        for name in state:
            # fitted attributes only: nothing that would shadow a method or a property
            if not (isinstance(name, str) and _NAME.match(name)) or hasattr(cls, name):
                raise _Fault(f"it sets {str(name)[:40]!r}, which is no fitted attribute")
        network = state.get("_model_state")
        if network is not None:
            if not isinstance(network, dict) or set(network) != {"config", "weights"}:
                raise _Fault("its network is not a config and weights")
            _check_network(network["config"])
        estimator.__setstate__(state)  # Keras reads the checked config with safe_mode
        return estimator


def load(path):
    """Read a model file written by ``save``, running none of its content.

    Parameters
    ----------
    path : str or path-like
        A model file (``.skft``, or the ``.ftz`` of the command line's ``quantize``).

    Returns
    -------
    estimator : FastTextClassifier or FastTextRegressor
        The fitted estimator, predicting as it did when saved.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        For anything else than a model file of this version: a pickle, a truncated
        or damaged file, a foreign or hostile value. One message names the file and
        what is wrong; nothing in the file is run.

    See Also
    --------
    skfasttext.persistence.save : Write a model file.

    Examples
    --------
    A pickle, or any file but a model file, is refused before anything in it runs:

    >>> import pathlib, tempfile
    >>> import skfasttext
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "model.skft")
    ...     _ = path.write_bytes(b"a pickle, or anything else")
    ...     skfasttext.load(path)
    Traceback (most recent call last):
    ...
    ValueError: ... is not a skfasttext model file (a pickle? ...
    """
    try:
        with zipfile.ZipFile(path) as archive:
            header = json.loads(archive.read(_JSON))
            if not isinstance(header, dict) or header.get("format") != _FORMAT:
                raise _Fault("it is no skfasttext model")
            if header.get("format_version") != _FORMAT_VERSION:
                raise _Fault(f"its format version {header.get('format_version')!r} is unknown")
            version = str(header.get("skfasttext_version"))
            if version.split(".")[:2] != __version__.split(".")[:2]:
                raise _Fault(
                    f"it was saved by skfasttext {version}, which skfasttext {__version__} "
                    f"cannot read: install skfasttext {version} to load it, or fit it again"
                )
            estimator = _Reader(archive, list(header["sha256"])).estimator(header["estimator"])
    except FileNotFoundError:
        raise
    except zipfile.BadZipFile as error:
        with open(path, "rb") as f:
            zipped = f.read(4) == b"PK\x03\x04"
        if not zipped:
            raise ValueError(
                f"{path} is not a skfasttext model file (a pickle? open one with "
                "joblib.load, and only if you trust it)."
            ) from None
        raise ValueError(f"{path} is a damaged skfasttext model file: {error}.") from None
    except Exception as error:  # noqa: BLE001 - any fault of the file is one clear error
        reason = str(error) if isinstance(error, _Fault) else f"{type(error).__name__}: {error}"
        raise ValueError(f"{path} is not a valid skfasttext model file: {reason}.") from None
    if not isinstance(estimator, PersistenceMixin):
        raise ValueError(f"{path} holds a {type(estimator).__name__}, not a model.")
    return estimator


class PersistenceMixin:
    """An estimator's state for pickle and for model files: its Keras network as a
    config and weights (rebuilt with ``safe_mode=True``), stamped with the version
    that wrote it; compiled functions are left out and rebuilt on demand."""

    def save(self, path):
        """Save the fitted model to a file that :func:`skfasttext.load` reads back.

        The file (the command line's ``.skft``) is a zip of JSON and arrays: loading
        it runs no code, whoever made it. It is written atomically: a reader never
        sees half a file, and a failed save leaves any old file as it was.

        Parameters
        ----------
        path : str or path-like
            Where to write.

        Examples
        --------
        >>> import os, tempfile
        >>> import skfasttext
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = skfasttext.FastTextClassifier(dim=8, epoch=5, random_state=0)
        >>> clf = clf.fit(docs, ["old", "old", "young", "young"] * 10)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     clf.save(os.path.join(tmp, "model.skft"))
        ...     loaded = skfasttext.load(os.path.join(tmp, "model.skft"))
        >>> loaded.predict(["tea opera"]).tolist()
        ['old']
        """
        check_is_fitted(self)
        save(self, path)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_graphs", None)  # compiled functions: rebuilt on demand
        state.pop("_trainer", None)  # partial_fit's: a new one after loading
        if "model_" in state:
            model = state.pop("model_")
            state["_model_state"] = {
                "config": keras.saving.serialize_keras_object(model),
                "weights": model.get_weights(),
            }
        state["_skfasttext_version"] = __version__
        return state

    def __setstate__(self, state):
        version = state.pop("_skfasttext_version", "unknown")
        if version.split(".")[:2] != __version__.split(".")[:2]:
            raise ValueError(
                f"This {type(self).__name__} was saved by skfasttext {version}, which this "
                f"skfasttext {__version__} cannot read: install skfasttext {version} to "
                "load it, or fit the model again."
            )
        saved = state.pop("_model_state", None)
        self.__dict__.update(state)
        if saved is not None:
            self.model_ = keras.saving.deserialize_keras_object(saved["config"], safe_mode=True)
            self.model_.set_weights(saved["weights"])
