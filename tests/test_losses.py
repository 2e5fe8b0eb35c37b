"""Tests of the losses for many labels: hierarchical softmax ('hs') and negative sampling ('ns')."""

import contextlib
import heapq
import io
import pickle

import keras
import numpy as np
import pytest
import tensorflow as tf
from sklearn.utils._param_validation import InvalidParameterError

from skfasttext import FastTextClassifier, load, write_fasttext
from skfasttext.__main__ import main
from skfasttext.layers import HierarchicalSoftmax, NegativeSampling, _alias_table, huffman_tree
from skfasttext.model import build_model, flat_model

DOCS = ["opera tea old", "anime game", "job rent tax", "sea boat fish", "opera old", "game anime"]
Y = ["old", "young", "adult", "sailor", "old", "young"]
FIT = {"dim": 8, "epoch": 30, "lr": 0.5, "random_state": 0}


def _fasttext_build_tree(counts):
    """fastText's buildTree transcribed node by node (counts sorted decreasing): each
    leaf's (path, code) lists, walked up through ``parent`` as fastText walks."""
    osz = len(counts)
    tree = [{"parent": -1, "count": 10**15, "binary": False} for _ in range(2 * osz - 1)]
    for i, count in enumerate(counts):
        tree[i]["count"] = count
    leaf, node = osz - 1, osz
    for i in range(osz, 2 * osz - 1):
        mini = [0, 0]
        for j in range(2):
            if leaf >= 0 and tree[leaf]["count"] < tree[node]["count"]:
                mini[j], leaf = leaf, leaf - 1
            else:
                mini[j], node = node, node + 1
        tree[i]["count"] = tree[mini[0]]["count"] + tree[mini[1]]["count"]
        tree[mini[0]]["parent"] = tree[mini[1]]["parent"] = i
        tree[mini[1]]["binary"] = True
    paths = []
    for i in range(osz):
        path, code, j = [], [], i
        while tree[j]["parent"] != -1:
            path.append(tree[j]["parent"] - osz)
            code.append(tree[j]["binary"])
            j = tree[j]["parent"]
        paths.append((path, code))
    return paths


@pytest.mark.parametrize("counts", [[9, 5, 3, 3, 2, 1], [100, 1], [7] * 5, [40, 30, 9, 8, 8, 2, 1]])
def test_huffman_tree_is_fasttexts(counts):
    tree = huffman_tree(counts)
    for label, (path, code) in enumerate(_fasttext_build_tree(counts)):
        n = tree.lengths[label]
        assert tree.nodes[label, :n].tolist() == path
        assert tree.codes[label, :n].tolist() == code
        assert not tree.codes[label, n:].any()


def test_huffman_tree_of_unsorted_counts_is_optimal():
    counts = np.random.default_rng(0).integers(1, 1000, size=50)
    tree = huffman_tree(counts)
    # Huffman's cost (the summed merges) is the least count-weighted path length
    heap, cost = counts.tolist(), 0
    heapq.heapify(heap)
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    assert int((counts * tree.lengths).sum()) == cost
    # the labels' leaves are distinct; every path ends at the root, row k - 2
    assert len(set(tree.leaves.tolist())) == len(counts)
    ends = tree.nodes[np.arange(len(counts)), tree.lengths - 1]
    assert (ends == len(counts) - 2).all()


def test_hs_probabilities_are_products_along_the_paths():
    counts = [6, 1, 3, 2, 2]
    layer = HierarchicalSoftmax(counts)
    x = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
    layer.build(x.shape)
    kernel = np.random.default_rng(2).normal(size=(len(counts) - 1, 3)).astype("float32")
    layer.kernel.assign(kernel)
    proba = layer(x).numpy()
    tree = huffman_tree(counts)
    expected = np.ones((4, len(counts)))
    for label in range(len(counts)):
        n = tree.lengths[label]
        for node, right in zip(tree.nodes[label, :n], tree.codes[label, :n], strict=True):
            p_right = 1.0 / (1.0 + np.exp(-(x @ kernel[node])))
            expected[:, label] *= p_right if right else 1.0 - p_right
    np.testing.assert_allclose(proba, expected, rtol=1e-5)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    # the training loss of a document is minus the log of its label's probability
    labels = np.array([0, 1, 2, 4])
    loss = layer(x, labels=labels).numpy()
    np.testing.assert_allclose(loss, -np.log(expected[np.arange(4), labels]), rtol=1e-4)


def test_alias_table_draws_in_proportion_to_the_weights():
    weights = np.array([9.0, 1.0, 0.0, 4.0, 2.0])
    keep, alias = _alias_table(weights)
    k = len(weights)
    implied = keep / k + np.bincount(alias, weights=(1.0 - keep) / k, minlength=k)
    np.testing.assert_allclose(implied, weights / weights.sum(), atol=1e-6)


def test_ns_loss_is_the_true_label_against_drawn_negatives():
    layer = NegativeSampling([1, 0, 0, 0], neg=3, seed=0)  # label 0 alone is ever drawn
    x = np.ones((2, 2), "float32")
    layer.build(x.shape)
    layer.kernel.assign(np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0], [3.0, 0.0]], "float32"))
    loss = layer(x, labels=np.array([1, 3])).numpy()
    softplus = np.logaddexp(0.0, np.array([-2.0, -3.0, 1.0]))
    # three negatives, each label 0 (score 1): -log sigmoid(s_true) + 3 * -log(1 - sigmoid(1))
    np.testing.assert_allclose(loss, softplus[:2] + 3 * softplus[2], rtol=1e-5)
    # a negative equal to the true label is left out
    np.testing.assert_allclose(
        layer(x, labels=np.array([0, 0])).numpy(), [np.logaddexp(0.0, -1.0)] * 2, rtol=1e-5
    )
    # prediction: every label's sigmoid
    expected = 1.0 / (1.0 + np.exp(-np.array([[1.0, 2.0, 0.0, 3.0]] * 2)))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("loss", ["hs", "ns"])
def test_training_gathers_rows_of_the_output_table(loss):
    model = build_model(
        input_dim=20, dim=4, sampled=loss, label_counts=[5, 4, 3, 2, 1, 1, 1, 1], seed=0
    )
    flat = flat_model(model, documents=2, labels=True)
    assert [tuple(t.shape) for t in flat.inputs] == [(None,), (None,), (None,)]
    ids, segments, labels = np.array([2, 3, 5, 0]), np.array([0, 0, 1, 1]), np.array([7, 1])
    table = model.get_layer("output").kernel
    with tf.GradientTape() as tape:
        loss_value = keras.ops.sum(flat([ids, segments, labels]))
    gradient = tape.gradient(loss_value, table.value)
    # sparse: the rows of the paths (hs, padded to the deepest) or of the labels and the
    # batch's shared negatives (ns), not all k
    assert isinstance(gradient, tf.IndexedSlices)
    depth = huffman_tree([5, 4, 3, 2, 1, 1, 1, 1]).nodes.shape[1]
    rows = 2 * depth if loss == "hs" else 2 + model.get_layer("output").candidates
    assert gradient.values.shape[0] == rows


def test_ns_negatives_are_shared_by_the_batch_and_weighted_as_neg_draws():
    # labels 1 and 3 alone are drawn, each half the time; every score 1, but label 3's 2
    layer = NegativeSampling([0, 4, 0, 4], neg=3, candidates=16, seed=0)
    x = np.ones((3, 2), "float32")
    layer.build(x.shape)
    layer.kernel.assign(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 0.0], [2.0, 0.0]], "float32"))
    loss = layer(x, labels=np.array([0, 2, 1])).numpy()
    softplus = np.logaddexp(0.0, np.array([1.0, 2.0]))  # a negative's loss, label 1 or 3
    # the two first documents: loss = positive + 3 / 16 * (n1 * softplus(1) + n3 * softplus(2))
    positives = np.logaddexp(0.0, -np.array([1.0, 0.0]))
    n3 = ((loss[:2] - positives) / (3 / 16) - 16 * softplus[0]) / (softplus[1] - softplus[0])
    np.testing.assert_allclose(n3[0], n3[1], atol=1e-3)  # the same draws for both
    assert abs(n3[0] - round(n3[0])) < 1e-3 and 0 <= round(n3[0]) <= 16
    # the third document's label 1 is left out of its negatives: n3 of them remain
    expected = np.logaddexp(0.0, -1.0) + 3 / 16 * n3[0] * softplus[1]
    np.testing.assert_allclose(loss[2], expected, rtol=1e-4)
    config = layer.get_config()
    assert (config["neg"], config["candidates"]) == (3, 16)
    assert NegativeSampling.from_config(config).candidates == 16


@pytest.mark.parametrize("loss", ["hs", "ns"])
def test_hs_and_ns_learn_a_separable_problem(loss):
    clf = FastTextClassifier(loss=loss, **FIT).fit(DOCS * 10, Y * 10)
    assert clf.score(DOCS, Y) == 1.0
    proba = clf.predict_proba(DOCS)
    assert proba.shape == (len(DOCS), 4)
    assert (clf.predict(DOCS) == clf.classes_[proba.argmax(axis=1)]).all()
    if loss == "hs":
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    labels, top = clf.predict_top_k(DOCS, k=2)
    assert (labels[:, 0] == np.array(Y, dtype=object)).all() and (top[:, 0] >= top[:, 1]).all()


@pytest.mark.parametrize(
    "params, y, error, match",
    [
        ({"loss": "ns", "neg": 0}, Y, InvalidParameterError, "'neg' parameter"),
        ({"loss": "ns", "neg": 1.5}, Y, InvalidParameterError, "'neg' parameter"),
        ({"loss": "hsm"}, Y, InvalidParameterError, "'loss' parameter"),
        ({"loss": "hs"}, ["old"] * 6, ValueError, "at least 2 classes"),
        ({"loss": "hs"}, [["old", "young"]] + [["old"]] * 5, ValueError, "multi-label"),
        ({"loss": "ns"}, np.eye(6, 2, dtype=int), ValueError, "multi-label"),
    ],
)
def test_bad_values_are_refused(params, y, error, match):
    with pytest.raises(error, match=match):
        FastTextClassifier(**params, dim=4, epoch=1).fit(DOCS, y)


def test_layers_refuse_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 labels"):
        HierarchicalSoftmax([3])
    with pytest.raises(ValueError, match="neg >= 1"):
        NegativeSampling([3, 1], neg=0)
    with pytest.raises(ValueError, match="candidates >= 1"):
        NegativeSampling([3, 1], candidates=0)


@pytest.mark.parametrize("loss", ["hs", "ns"])
def test_save_load_pickle_and_quantize(loss, tmp_path):
    clf = FastTextClassifier(loss=loss, neg=3, **FIT).fit(DOCS * 5, Y * 5)
    proba = clf.predict_proba(DOCS)
    clf.save(tmp_path / "model.skft")
    loaded = load(tmp_path / "model.skft")
    np.testing.assert_allclose(loaded.predict_proba(DOCS), proba, rtol=1e-6)
    assert (
        loaded.model_.get_layer("output").get_config()
        == clf.model_.get_layer("output").get_config()
    )
    np.testing.assert_allclose(
        pickle.loads(pickle.dumps(clf)).predict_proba(DOCS), proba, rtol=1e-6
    )
    with pytest.raises(ValueError, match="qout=False"):
        clf.quantize(qout=True)
    table = clf.model_.get_layer("output").get_weights()[0]
    clf.quantize(dsub=2, cutoff=12)  # the embedding quantized, the output table as it was
    np.testing.assert_array_equal(clf.model_.get_layer("output").get_weights()[0], table)
    assert np.mean(clf.predict(DOCS) == np.array(Y)) >= 5 / 6
    clf.save(tmp_path / "small.skft")
    np.testing.assert_allclose(
        load(tmp_path / "small.skft").predict_proba(DOCS), clf.predict_proba(DOCS), rtol=1e-6
    )


@pytest.mark.parametrize("loss", ["hs", "ns"])
def test_command_line_loss_and_neg(loss, tmp_path):
    write_fasttext(tmp_path / "train.txt", DOCS * 10, Y * 10)
    args = ["supervised", "-input", str(tmp_path / "train.txt"), "-output", str(tmp_path / "m")]
    args += ["-dim", "8", "-epoch", "20", "-lr", "0.5", "-verbose", "0", "-loss", loss, "-neg", "2"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 0
    model = load(tmp_path / "m.skft")
    assert (model.loss, model.neg) == (loss, 2)
    layer = model.model_.get_layer("output")
    assert type(layer).__name__ == {"hs": "HierarchicalSoftmax", "ns": "NegativeSampling"}[loss]
    assert model.predict(DOCS).tolist() == Y


def test_lazy_adam_steps_the_gathered_rows_only():
    from skfasttext._optimizer import FastTextOptimizer

    table = keras.Variable(np.ones((5, 2), "float32"), name="table")
    optimizer = FastTextOptimizer(
        0.1, tables=[], head_learning_rate=0.1, sparse_tables=[table.path]
    )
    optimizer.build([table])
    values = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], "float32")
    gradient = tf.IndexedSlices(values, tf.constant([3, 1, 3]), tf.constant([5, 2]))
    optimizer.apply_gradients([(gradient, table)])
    # Adam's first step is rate * sign(gradient) on each distinct row's summed gradient
    expected = np.ones((5, 2), "float32")
    expected[3] -= 0.1 * np.sign(values[0] + values[2])
    expected[1] -= 0.1 * np.sign(values[1])
    np.testing.assert_allclose(table.numpy(), expected, rtol=1e-5)
