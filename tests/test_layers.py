"""Tests of skfasttext.layers: masked poolings against NumPy, token dropout, serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from skfasttext import (
    MaskedLpPooling,
    MaskedMaxPooling,
    MaskedMeanPooling,
    MaskedSqrtNPooling,
    TokenDropout,
    build_model,
)
from skfasttext.layers import POOLINGS, pooling_layer

# -- NumPy references (float64) -------------------------------------------------------


def _ref_mean(x, mask):
    w = mask[:, :, None].astype(np.float64)
    return (x * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1.0)


def _ref_sqrtn(x, mask):
    w = mask[:, :, None].astype(np.float64)
    return (x * w).sum(axis=1) / np.sqrt(np.maximum(w.sum(axis=1), 1.0))


def _ref_max(x, mask):
    out = np.where(mask[:, :, None], x, -np.inf).max(axis=1)
    return np.where(mask.any(axis=1)[:, None], out, 0.0)


def _ref_lp(x, mask, p):
    w = mask[:, :, None].astype(np.float64)
    count = w.sum(axis=1)
    power_mean = (np.abs(x) ** p * w).sum(axis=1) / np.maximum(count, 1.0)
    return power_mean ** (1.0 / p)


def _reference(layer, x, mask):
    x = x.astype(np.float64)
    if isinstance(layer, MaskedMeanPooling):
        return _ref_mean(x, mask)
    if isinstance(layer, MaskedSqrtNPooling):
        return _ref_sqrtn(x, mask)
    if isinstance(layer, MaskedMaxPooling):
        return _ref_max(x, mask)
    return _ref_lp(x, mask, layer.p)


LAYERS = [
    MaskedMeanPooling(),
    MaskedSqrtNPooling(),
    MaskedMaxPooling(),
    MaskedLpPooling(p=1.0),
    MaskedLpPooling(p=2.0),
    MaskedLpPooling(p=3.5),
]
LAYER_IDS = ["mean", "sqrtn", "max", "lp1", "lp2", "lp3.5"]


def _random_batch(seed, batch=16, steps=7, features=5, scale=1.0):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(batch, steps, features)) * scale).astype(np.float32)
    mask = rng.random((batch, steps)) < 0.6
    mask[0] = False  # a row with no token
    mask[1] = True  # a row with no padding
    mask[2] = False
    mask[2, 3] = True  # a single token in the middle
    # masked steps hold large values: they must never leak into the result
    x[~mask] = 100.0 * scale
    return x, mask


@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pooling_matches_numpy(layer, seed):
    x, mask = _random_batch(seed)
    out = keras.ops.convert_to_numpy(layer(x, mask=mask))
    assert out.shape == (x.shape[0], x.shape[2])
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, _reference(layer, x, mask), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out[0], 0.0)  # the all-padding row


@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
def test_pooling_without_mask_uses_every_step(layer):
    x, _ = _random_batch(3)
    out = keras.ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(
        out, _reference(layer, x, np.ones(x.shape[:2], dtype=bool)), rtol=1e-5, atol=1e-6
    )


def test_max_pooling_ignores_padding_when_all_values_are_negative():
    x = -np.arange(1, 7, dtype=np.float32).reshape(1, 3, 2)
    x[0, 2] = 0.0  # a zero padding vector, larger than every real value
    out = MaskedMaxPooling()(x, mask=np.array([[True, True, False]]))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(out), [[-1.0, -2.0]])


@pytest.mark.parametrize("p", [10.0, 50.0])
@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_lp_pooling_large_p_and_values_is_stable(p, scale):
    x, mask = _random_batch(4, scale=scale)
    x[3] = 0.0  # a row of zeros
    layer = MaskedLpPooling(p=p)
    out = keras.ops.convert_to_numpy(layer(x, mask=mask))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, _ref_lp(x.astype(np.float64), mask, p), rtol=1e-5)
    np.testing.assert_array_equal(out[0], 0.0)
    np.testing.assert_array_equal(out[3], 0.0)
    # large p tends to the maximum of absolute values, and never exceeds it
    top = _ref_max(np.abs(x.astype(np.float64)), mask)
    assert (out <= top * (1 + 1e-6)).all()
    n = mask.sum(axis=1)[:, None]
    rows = n[:, 0] > 0
    assert (out[rows] >= (top * np.maximum(n, 1) ** (-1 / p))[rows] * (1 - 1e-5)).all()


@pytest.mark.parametrize("p", [1.0, 2.0, 10.0, 50.0])
@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_lp_pooling_gradients_finite_and_exact(p, scale):
    x, mask = _random_batch(5, scale=scale)
    x[3] = 0.0
    xt = tf.constant(x)
    layer = MaskedLpPooling(p=p)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = layer(xt, mask=tf.constant(mask))
        loss = tf.reduce_sum(out)
    grad = tape.gradient(loss, xt).numpy()
    assert np.isfinite(grad).all()
    np.testing.assert_array_equal(grad[~mask], 0.0)  # padding gets no gradient
    np.testing.assert_array_equal(grad[0], 0.0)
    # d/dx_i (mean |x|^p)^(1/p) = sign(x_i) |x_i|^(p-1) / (n M^(p-1)), M the output
    x64 = x.astype(np.float64)
    m = _ref_lp(x64, mask, p)[:, None, :]
    n = mask.sum(axis=1)[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.sign(x64) * (np.abs(x64) / m) ** (p - 1) / n
    expected = np.where(mask[:, :, None] & (m > 0), expected, 0.0)
    rows = mask.any(axis=1) & (np.abs(x).max(axis=(1, 2)) > 0)
    np.testing.assert_allclose(grad[rows], expected[rows], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_mean_max_lp_gradients_finite_on_empty_rows(pooling):
    x, mask = _random_batch(6)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(pooling_layer(pooling)(xt, mask=tf.constant(mask)) ** 2)
    grad = tape.gradient(loss, xt).numpy()
    assert np.isfinite(grad).all()
    np.testing.assert_array_equal(grad[~mask], 0.0)


@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
def test_padding_invariance(layer):
    rng = np.random.default_rng(7)
    row = rng.normal(size=(4, 3)).astype(np.float32)
    outs = []
    for steps in (4, 5, 9, 30):
        x = np.full((1, steps, 3), -50.0, dtype=np.float32)  # padding holds garbage
        x[0, :4] = row
        mask = np.arange(steps)[None, :] < 4
        outs.append(keras.ops.convert_to_numpy(layer(x, mask=mask)))
    for out in outs[1:]:
        np.testing.assert_allclose(out, outs[0], rtol=1e-6, atol=1e-7)


def _randomize(model, seed=0):
    """Random weights everywhere, so that outputs depend on every pooled vector."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_model_padding_invariance(pooling):
    model = build_model(input_dim=30, dim=6, n_outputs=3, pooling=pooling, seed=0)
    _randomize(model)  # the output layer starts at zero: outputs would not depend on ids
    ids = np.array([[5, 7, 2, 0], [9, 0, 0, 0], [0, 0, 0, 0]], dtype=np.int32)
    wide = np.hstack([ids, np.zeros((3, 11), dtype=np.int32)])
    out = model.predict(ids, verbose=0)
    np.testing.assert_allclose(model.predict(wide, verbose=0), out, rtol=1e-6, atol=1e-7)
    assert np.isfinite(out).all()
    assert not np.allclose(out[0], out[1])  # outputs depend on the ids


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_pooling_reads_the_embedding_mask(pooling):
    rng = np.random.default_rng(8)
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0], [0, 0, 0, 0], [1, 2, 3, 4]], dtype=np.int32)
    embedding = keras.layers.Embedding(6, 4, mask_zero=True)
    embedding.build((None, None))
    table = rng.normal(size=(6, 4)).astype(np.float32)
    table[0] = 1e3  # the padding vector must never win or count
    embedding.set_weights([table])
    layer = pooling_layer(pooling, p=3.0)
    vectors = embedding(ids)
    mask = keras.ops.convert_to_numpy(embedding.compute_mask(ids))
    np.testing.assert_array_equal(mask, ids != 0)
    out = keras.ops.convert_to_numpy(layer(vectors))  # mask travels with the tensor
    np.testing.assert_allclose(out, _reference(layer, table[ids], ids != 0), rtol=1e-5)


# -- mask propagation, shapes, arguments ---------------------------------------------


@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
def test_mask_stops_at_pooling(layer):
    x, mask = _random_batch(9)
    assert layer.supports_masking
    assert layer.compute_mask(x, mask) is None
    assert layer.compute_output_shape((None, 7, 5)) == (None, 5)
    # downstream of the pooling the model output carries no mask
    inputs = keras.Input(shape=(None,), dtype="int32")
    pooled = type(layer).from_config(layer.get_config())(
        keras.layers.Embedding(10, 5, mask_zero=True)(inputs)
    )
    assert getattr(pooled, "_keras_mask", None) is None


@pytest.mark.parametrize("p", [0.5, 0.0, -2.0, float("nan")])
def test_lp_rejects_p_below_one(p):
    with pytest.raises(ValueError, match="p >= 1"):
        MaskedLpPooling(p=p)


def test_pooling_layer_names():
    assert set(POOLINGS) == {"mean", "sqrtn", "max", "lp"}
    for name, cls in POOLINGS.items():
        layer = pooling_layer(name, p=4.0, name="pool")
        assert isinstance(layer, cls)
        assert layer.name == "pool"
    assert pooling_layer("lp", p=4.0).p == 4.0


# -- TokenDropout ---------------------------------------------------------------------


def _random_ids(seed, batch=400, steps=12):
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, 50, size=(batch, steps)).astype(np.int32)
    lengths = rng.integers(1, steps + 1, size=batch)
    lengths[:5] = 1  # single-token documents
    ids[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    ids[-1] = 0  # an empty document stays empty
    return ids


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.9, 0.999])
def test_token_dropout_never_empties_a_row(rate):
    ids = _random_ids(int(rate * 1000))
    layer = TokenDropout(rate, seed=0)
    for _ in range(3):
        out = keras.ops.convert_to_numpy(layer(ids, training=True))
        assert out.dtype == ids.dtype
        nonempty = (ids != 0).any(axis=1)
        assert ((out != 0).sum(axis=1)[nonempty] >= 1).all()
        assert (out[~nonempty] == 0).all()
        assert (out[ids == 0] == 0).all()  # padding stays padding
        assert ((out == ids) | (out == 0)).all()  # kept ids are unchanged


@pytest.mark.parametrize("rate", [0.5, 0.999])
def test_token_dropout_never_empties_a_document_of_a_flat_batch(rate):
    """Documents end to end, with segment ids: each keeps a token, padding stays padding."""
    padded = _random_ids(int(rate * 1000) + 1)
    present = padded != 0
    ids = np.concatenate([padded[present], np.zeros(5, dtype=np.int32)])  # padding at the end
    rows = np.nonzero(present)[0].astype(np.int32)
    segment_ids = np.concatenate([rows, np.zeros(5, dtype=np.int32)])
    layer = TokenDropout(rate, seed=0)
    out = keras.ops.convert_to_numpy(
        layer(ids, training=True, segment_ids=segment_ids, num_segments=len(padded))
    )
    kept = np.bincount(segment_ids[out != 0], minlength=len(padded))
    assert (kept[present.any(axis=1)] >= 1).all()
    assert (out[-5:] == 0).all() and ((out == ids) | (out == 0)).all()
    assert (out == 0).sum() > (ids == 0).sum()  # some tokens were dropped


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
def test_token_dropout_rate(rate):
    ids = _random_ids(1, batch=2000, steps=20)
    out = keras.ops.convert_to_numpy(TokenDropout(rate, seed=1)(ids, training=True))
    long_rows = (ids != 0).sum(axis=1) >= 10  # where the keep-one rule barely matters
    dropped = ((out == 0) & (ids != 0))[long_rows].sum() / (ids != 0)[long_rows].sum()
    assert abs(dropped - rate) < 0.05


@pytest.mark.parametrize("rate", [0.0, 0.5, 0.9])
def test_token_dropout_identity_at_inference(rate):
    ids = _random_ids(2)
    layer = TokenDropout(rate, seed=3)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(ids, training=False)), ids)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(ids)), ids)
    if rate == 0.0:
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(ids, training=True)), ids)


@pytest.mark.parametrize("rate", [1.0, 1.5, -0.1])
def test_token_dropout_rejects_bad_rate(rate):
    with pytest.raises(ValueError, match="0 <= rate < 1"):
        TokenDropout(rate)


def test_token_dropout_seeded():
    ids = _random_ids(4)
    first = keras.ops.convert_to_numpy(TokenDropout(0.5, seed=11)(ids, training=True))
    again = keras.ops.convert_to_numpy(TokenDropout(0.5, seed=11)(ids, training=True))
    other = keras.ops.convert_to_numpy(TokenDropout(0.5, seed=12)(ids, training=True))
    np.testing.assert_array_equal(first, again)
    assert (first != other).any()


# -- serialization --------------------------------------------------------------------

CONFIG_LAYERS = [
    MaskedMeanPooling(name="mean_pool"),
    MaskedSqrtNPooling(name="sqrtn_pool"),
    MaskedMaxPooling(name="max_pool"),
    MaskedLpPooling(p=7.5, name="lp_pool"),
    TokenDropout(0.3, seed=5, name="drop"),
    TokenDropout(0.0),
]


@pytest.mark.parametrize("layer", CONFIG_LAYERS, ids=lambda layer: layer.name)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    assert clone.name == layer.name
    if isinstance(layer, MaskedLpPooling):
        assert clone.p == 7.5
    if isinstance(layer, TokenDropout):
        assert (clone.rate, clone.seed) == (layer.rate, layer.seed)
    # registered under the package: deserializable by name alone
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(restored) is type(layer)
    assert restored.get_config() == config


@pytest.mark.parametrize("pooling", ["mean", "max", "lp"])
def test_model_saved_to_keras_file_reloads_identically(pooling, tmp_path):
    model = build_model(
        input_dim=40,
        dim=6,
        n_outputs=3,
        pooling=pooling,
        p=5.0,
        hidden_units=4,
        token_dropout=0.25,
        seed=1,
    )
    _randomize(model)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    ids = np.array([[3, 9, 27, 0, 0], [39, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 2, 3, 4, 5]])
    out = model.predict(ids, verbose=0)
    np.testing.assert_array_equal(restored.predict(ids, verbose=0), out)
    assert np.isfinite(out).all()
    assert len({tuple(row.round(6)) for row in out}) == len(out)  # rows differ
    names = [layer.name for layer in restored.layers]
    assert {"embedding", "pooling", "hidden", "output", "token_dropout"} <= set(names)
    assert restored.get_layer("pooling").get_config() == model.get_layer("pooling").get_config()
