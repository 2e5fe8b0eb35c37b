"""save / load: model files of JSON and arrays, which run no code when read."""

import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator

import skfasttext
from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus, write_fasttext
from skfasttext.__main__ import main

FAST = {"dim": 8, "epoch": 2, "random_state": 0, "verbose": 0}


@pytest.fixture(scope="module")
def ages():
    docs, y = make_age_corpus(400, random_state=0, vocab_size=500)
    return docs, y


def _models(docs, y, folder):
    """One fitted estimator of every kind, by name."""
    groups = np.where(np.asarray(y) < 30, "young", "old")
    lists = [[g, "any"] if i % 3 else [g] for i, g in enumerate(groups)]
    path = folder / "train.txt"
    write_fasttext(path, docs, groups, label_prefix="#")
    ids = FastTextClassifier(**FAST).fit(docs, y).vectorizer_.transform(docs)
    return ids, {
        "strings": FastTextClassifier(**FAST, class_weight={"old": 2.0}).fit(docs, groups),
        "ints": FastTextClassifier(**FAST, class_weight="balanced").fit(docs, y),
        "multi-label": FastTextClassifier(**FAST).fit(docs, lists),
        "regressor": FastTextRegressor(**FAST).fit(docs, y),
        "ids": FastTextRegressor(**FAST).fit(ids, y),
        "bigrams, max, hidden": FastTextClassifier(
            **FAST, word_ngrams=2, pooling="max", hidden_units=4, token_dropout=0.2
        ).fit(docs, groups),
        "fit_file": FastTextClassifier(**FAST).fit_file(path, label_prefix="#"),
        "quantized": FastTextClassifier(**FAST, word_ngrams=2)
        .fit(docs, y)
        .quantize(cutoff=300, qnorm=True, qout=True),
        "random state": FastTextClassifier(
            dim=8, epoch=2, random_state=np.random.RandomState(3)
        ).fit(docs, groups),
    }


@pytest.fixture(scope="module")
def fitted(ages, tmp_path_factory):
    """``(ids, models)``: the ids of the documents, and the models by name."""
    return _models(*ages, tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def models(fitted):
    return fitted[1]


def _outputs(model, docs, ids):
    """What a model gives for documents (their ids, for a model fitted on ids)."""
    X = ids if model.vectorizer_ is None else docs
    outputs = [model.predict(X), model.transform(X)]
    if hasattr(model, "predict_proba"):
        outputs.append(model.predict_proba(X))
    return outputs


@pytest.mark.parametrize(
    "name",
    [
        "strings",
        "ints",
        "multi-label",
        "regressor",
        "ids",
        "bigrams, max, hidden",
        "fit_file",
        "quantized",
        "random state",
    ],
)
def test_a_saved_model_loads_and_predicts_as_it_did(fitted, ages, tmp_path, name):
    ids, models = fitted
    model, docs, ids = models[name], ages[0][:50], ids[:50]
    model.save(tmp_path / "m.skft")
    loaded = skfasttext.load(tmp_path / "m.skft")
    assert type(loaded) is type(model)
    assert loaded.get_params().keys() == model.get_params().keys()
    outputs = zip(_outputs(model, docs, ids), _outputs(loaded, docs, ids), strict=True)
    for before, after in outputs:
        np.testing.assert_array_equal(before, after)
    for attribute in ("classes_", "label_prefix_", "target_mean_", "history_", "n_iter_"):
        if hasattr(model, attribute):
            before, after = getattr(model, attribute), getattr(loaded, attribute)
            if isinstance(before, np.ndarray):  # np.str_ labels come back as str: equal
                assert after.dtype == before.dtype and after.tolist() == before.tolist()
            else:
                assert after == before
    if name == "random state":
        assert loaded.random_state.randint(1000) == model.random_state.randint(1000)


class _Payload:
    """A pickle that writes a file when unpickled: what a hostile model file would do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_posing_as_a_model_is_refused_and_runs_nothing(ages, tmp_path, capsys):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.skft"
    path.write_bytes(pickle.dumps(_Payload(str(marker))))
    with pytest.raises(ValueError, match="not a skfasttext model file.*pickle"):
        skfasttext.load(path)
    documents = tmp_path / "docs.txt"
    write_fasttext(documents, ages[0][:5], ["a"] * 5)
    commands = [
        ["test", path, documents],
        ["predict", path, documents],
        ["predict-prob", path, documents],
        ["print-word-vectors", path],
        ["print-sentence-vectors", path],
        ["nn", path],
        ["quantize", "-output", path],
    ]
    for argv in commands:
        assert main([str(a) for a in argv]) == 1
        assert "not a skfasttext model file" in capsys.readouterr().err
    assert not marker.exists()


def _rewrite(source, target, edit):
    """Copy the model file ``source`` to ``target`` with its JSON header edited."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "skfasttext.json":
                header = json.loads(data)
                edit(header)
                data = json.dumps(header)
            new.writestr(item, data)


def _state(header):
    return dict(header["estimator"]["state"]["__dict__"])


def _set_state(header, name, value):
    pairs = header["estimator"]["state"]["__dict__"]
    pairs.append([name, value])


def _layer(header, class_name):
    """The key-value pairs of a layer of the network, as the header tags them."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            if ["class_name", class_name] in value:
                found.append(value)
            for item in value:
                walk(item)

    walk(header["estimator"]["state"])
    assert found, f"no {class_name} in the network"
    return found[0]


def _replace(pairs, key, value):
    for pair in pairs:
        if pair[0] == key:
            pair[1] = value


def _lambda_layer(header):
    pairs = _layer(header, "Dense")
    _replace(pairs, "class_name", "Lambda")
    pairs.append(["function", {"__dict__": [["class_name", "__lambda__"], ["code", "x"]]}])


def _foreign_layer(header):
    pairs = _layer(header, "Dense")
    _replace(pairs, "class_name", "eval")
    _replace(pairs, "module", "builtins")


def _vectorizer_as_the_model(header):
    header["estimator"] = _state(header)["vectorizer_"]["__estimator__"]


HOSTILE = {
    "a foreign class": lambda h: h["estimator"].update({"class": "os.system"}),
    "a newer version": lambda h: h.update({"skfasttext_version": "9.0.0"}),
    "another format": lambda h: h.update({"format": "pickle"}),
    "a method replaced": lambda h: _set_state(h, "predict", "x"),
    "a dunder": lambda h: _set_state(h, "__class__", "x"),
    "a property replaced": lambda h: _set_state(h, "embedding_", 1),
    "an unknown tag": lambda h: _set_state(h, "x_", {"__code__": "print(1)"}),
    "a Lambda layer": _lambda_layer,
    "a layer from elsewhere": _foreign_layer,
    "an unknown parameter": lambda h: h["estimator"]["params"]["__dict__"].append(["cmd", "x"]),
    "a bad parameter": lambda h: h["estimator"]["params"]["__dict__"].append(["dim", -3]),
    "a wrong checksum": lambda h: h["sha256"].__setitem__(0, "0" * 64),
    "a missing array": lambda h: _set_state(h, "x_", {"__array__": "999"}),
    "a vectorizer, not a model": _vectorizer_as_the_model,
    "a path of no string": lambda h: _set_state(h, "x_", {"__path__": ["/etc"]}),
    "a frozen foreign class": lambda h: _set_state(
        h, "x_", {"__frozen__": {"class": "os.system", "params": {}, "state": {}}}
    ),
}


@pytest.mark.parametrize("edit", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_or_foreign_header_is_one_clear_error(models, tmp_path, edit):
    models["strings"].save(tmp_path / "good.skft")
    _rewrite(tmp_path / "good.skft", tmp_path / "bad.skft", edit)
    with pytest.raises(ValueError, match="bad.skft"):
        skfasttext.load(tmp_path / "bad.skft")


def test_truncated_and_bit_flipped_files_fail_clearly(models, ages, tmp_path):
    """Every truncation and many single-bit flips at seeded places: the model loads and
    predicts as before (a flip in a part that holds no data), or one ValueError."""
    good = tmp_path / "good.skft"
    models["bigrams, max, hidden"].save(good)
    data = good.read_bytes()
    expected = models["bigrams, max, hidden"].predict_proba(ages[0][:20])
    rng = np.random.default_rng(0)
    cuts = [0, 1, 4, 30, len(data) // 2, len(data) - 1, *rng.integers(len(data), size=20)]
    flips = rng.integers(len(data), size=60)
    cases = [data[:cut] for cut in cuts]
    for place in flips:
        flipped = bytearray(data)
        flipped[place] ^= 1 << int(rng.integers(8))
        cases.append(bytes(flipped))
    bad = tmp_path / "bad.skft"
    for case in cases:
        bad.write_bytes(case)
        try:
            model = skfasttext.load(bad)
        except ValueError as error:
            assert "bad.skft" in str(error)
        else:
            np.testing.assert_array_equal(model.predict_proba(ages[0][:20]), expected)
    assert sorted(os.listdir(tmp_path)) == ["bad.skft", "good.skft"]


def test_save_refuses_what_it_cannot_store_and_keeps_the_old_file(models, tmp_path):
    path = tmp_path / "m.skft"
    models["strings"].save(path)
    before = path.read_bytes()
    model = models["regressor"]
    model.extra_ = object()
    try:
        with pytest.raises(TypeError, match="extra_"):
            model.save(path)
    finally:
        del model.extra_
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.skft"]
    with pytest.raises(TypeError, match="not TextVectorizer"):
        skfasttext.persistence.save(model.vectorizer_, path)
    with pytest.raises(TypeError, match="not _Sub"):

        class _Sub(FastTextClassifier):
            pass

        _Sub(**FAST).fit(["a b", "c d"], [0, 1]).save(path)


def test_pretrained_vectors_given_as_a_path_or_a_frozen_model_are_saved(models, ages, tmp_path):
    """The forms the docs give: a path-like .vec file, FrozenEstimator(model) where cloned."""
    docs, y = ages[0][:100], models["strings"].predict(ages[0][:100])
    models["strings"].save_word_vectors(tmp_path / "w.vec")
    for pretrained in (tmp_path / "w.vec", FrozenEstimator(models["strings"])):
        model = FastTextClassifier(**FAST, pretrained_vectors=pretrained).fit(docs, y)
        model.save(tmp_path / "m.skft")
        loaded = skfasttext.load(tmp_path / "m.skft")
        np.testing.assert_array_equal(loaded.predict_proba(docs), model.predict_proba(docs))
        again = loaded.pretrained_vectors
        assert type(again) is type(pretrained)
        if isinstance(again, FrozenEstimator):
            np.testing.assert_array_equal(again.predict(docs), pretrained.predict(docs))
        else:
            assert again == pretrained


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        skfasttext.load(tmp_path / "missing.skft")


def test_a_network_naming_other_classes_is_refused_before_keras_reads_it(models, tmp_path):
    models["strings"].save(tmp_path / "good.skft")
    for edit, named in [(_lambda_layer, "Lambda"), (_foreign_layer, "builtins.eval")]:
        _rewrite(tmp_path / "good.skft", tmp_path / "bad.skft", edit)
        with pytest.raises(ValueError, match=f"network names .*{named}"):
            skfasttext.load(tmp_path / "bad.skft")


def test_word_vectors_are_half_precision_and_stored_in_half_the_bytes(models, tmp_path):
    model = models["bigrams, max, hidden"]
    table = model.embedding_
    np.testing.assert_array_equal(table.astype(np.float16).astype(np.float32), table)
    model.save(tmp_path / "m.skft")
    with zipfile.ZipFile(tmp_path / "m.skft") as archive:
        sizes = {info.file_size for info in archive.infolist()}
        # the table's member: 2 bytes a value (and the .npy header)
        assert any(table.size * 2 <= size < table.size * 2 + 256 for size in sizes)


def test_rounding_to_half_keeps_what_float16_cannot_hold():
    import tensorflow as tf

    from skfasttext._base import _round_to_half

    values = np.array([[1 / 3, 1e6], [-7e4, 2.0**-30]], dtype=np.float32)
    table = tf.Variable(values)
    _round_to_half(table)
    rounded = table.numpy()
    assert rounded[0, 0] == np.float32(np.float16(1 / 3)) != values[0, 0]
    # beyond float16's range: kept as they were, not made infinite
    assert rounded[0, 1] == values[0, 1] and rounded[1, 0] == values[1, 0]
    assert np.isfinite(rounded).all()
