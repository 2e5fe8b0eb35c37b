"""Early stopping: a held-out share of the training documents scored after each epoch."""

import keras
import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skfasttext import FastTextClassifier, FastTextRegressor, make_age_corpus
from skfasttext._corpus import InMemoryCorpus
from skfasttext._training import LinearDecay, Trainer
from skfasttext.io import write_fasttext
from skfasttext.model import build_model

DOCS, AGES = make_age_corpus(600, vocab_size=2000, random_state=0)


def _overfitting_data(n=400, seed=0):
    """Two classes told apart by one word, 20% of labels flipped, and words of each
    document's own: the model learns the signal, then memorizes the noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    signal = np.where(y == 1, "good", "bad")
    noisy = np.where(rng.random(n) < 0.2, 1 - y, y)
    docs = [f"{word} own{i} own{i}b" for i, word in enumerate(signal)]
    return docs, noisy


def _held_out(y, fraction, seed):
    """The rows early stopping holds out of ``y``: scikit-learn's stratified split."""
    return np.sort(
        train_test_split(np.arange(len(y)), test_size=fraction, random_state=seed, stratify=y)[1]
    )


def test_early_stopping_stops_and_keeps_the_best_epoch():
    docs, y = _overfitting_data()
    clf = FastTextClassifier(
        dim=8, epoch=60, lr=1.0, early_stopping=True, validation_fraction=0.25,
        n_iter_no_change=3, random_state=0,
    )  # fmt: skip
    clf.fit(docs, y)
    scores = clf.history_["val_score"]
    assert clf.n_iter_ < 60 and len(scores) == len(clf.history_["loss"]) == clf.n_iter_
    # stalled n_iter_no_change epochs after the last real gain, then annealed one more
    best = int(np.argmax(scores[:-1]))
    assert clf.n_iter_ - 2 - best >= 3 - 1
    # the model is the best epoch's (the annealed one a candidate): it scores on the
    # held-out documents what that epoch did
    rows = _held_out(y, 0.25, 0)
    held_docs = [docs[i] for i in rows]
    assert clf.score(held_docs, y[rows]) == pytest.approx(max(scores))
    assert max(scores) > 0.7  # the signal was learned


def _scripted_fit(scores, *, epochs=6, n_iter_no_change=2, tol=0.0):
    """A Trainer's fit of a tiny model on a scripted score; the History, the embedding
    at each score, the word vectors' rate at each score, and the trainer."""
    model = build_model(input_dim=20, dim=4, n_outputs=2, seed=0)
    corpus = InMemoryCorpus((np.arange(2, 20, dtype=np.int32), np.full(6, 3)))
    target, weight = np.array([0, 1] * 3, np.int32), np.ones(6, np.float32)
    scripted, seen, rates = iter(scores), [], []
    loss = keras.losses.SparseCategoricalCrossentropy(reduction="sum")
    trainer = Trainer(epochs=epochs, lr=0.5, batch_size=2, loss=loss,
                      n_iter_no_change=n_iter_no_change, tol=tol)  # fmt: skip

    def score():
        seen.append(model.get_layer("embedding").embeddings.numpy().copy())
        rates.append(float(trainer.compiled_optimizer.learning_rate))
        return next(scripted)

    history = trainer.fit(model, corpus, (target, weight), seed=0, score=score)
    return history, model, seen, rates


def test_the_trainer_keeps_the_weights_of_the_best_score():
    """A scripted score: best in epoch 2, no gain in two epochs: one epoch more anneals,
    then the fit stops with epoch 2's weights."""
    history, model, seen, _ = _scripted_fit([0.1, 0.5, 0.3, 0.5, 0.4, 0.9])
    assert history.history["val_score"] == [0.1, 0.5, 0.3, 0.5, 0.4]  # 0.5 again is no gain
    assert len(seen) == 5 and not np.array_equal(seen[1], seen[4])
    np.testing.assert_array_equal(model.get_layer("embedding").embeddings.numpy(), seen[1])


def test_the_annealed_epoch_is_a_candidate():
    history, model, seen, _ = _scripted_fit([0.1, 0.5, 0.3, 0.5, 0.9, 0.2])
    assert history.history["val_score"] == [0.1, 0.5, 0.3, 0.5, 0.9]
    np.testing.assert_array_equal(model.get_layer("embedding").embeddings.numpy(), seen[4])


def test_a_stall_anneals_the_rate_to_zero_over_one_epoch():
    """Of 10 epochs the rate would fall by a tenth of lr each; stalled after 3, it falls
    from what it is to 0 over the 4th, and the fit stops there."""
    history, _, _, rates = _scripted_fit([0.5, 0.4, 0.4, 0.3, 0.3], epochs=10)
    assert len(history.history["val_score"]) == 4
    np.testing.assert_allclose(rates, [0.45, 0.4, 0.35, 0.0], atol=1e-6)


def test_the_schedule_anneals_linearly_from_the_rate_where_it_stands():
    schedule = LinearDecay(1.0, 100)
    np.testing.assert_allclose([float(schedule(s)) for s in (0, 40, 100, 120)], [1, 0.6, 0, 0])
    schedule.anneal(40, 10)
    rates = [float(schedule(s)) for s in (40, 45, 50, 60)]
    np.testing.assert_allclose(rates, [0.6, 0.3, 0, 0], atol=1e-6)


def test_tol_sets_what_counts_as_a_gain():
    for tol, epochs in [(0.0, 6), (0.01, 4)]:  # 0.01: stalled after 3, the 4th anneals
        scores = [0.5, 0.505, 0.51, 0.515, 0.52, 0.525]
        history = _scripted_fit(scores, tol=tol)[0]
        assert len(history.history["val_score"]) == epochs


@pytest.mark.parametrize(
    "epoch, n, runs", [("auto", 150, False), (25, 10_000, False), (26, 9_999, False),
                       (26, 10_000, True)],
)  # fmt: skip
def test_auto_stops_early_a_long_fit_of_a_large_corpus(epoch, n, runs):
    """'auto' is on for more than 25 epochs (more than epoch='auto' takes) on 10,000
    documents or more; the default fit runs every epoch."""
    docs = [f"w{i % 40} v{i % 7}" for i in range(n)]
    clf = FastTextClassifier(dim=2, epoch=epoch, n_iter_no_change=1, random_state=0)
    clf.fit(docs, np.arange(n) % 7 // 4)
    assert clf.early_stopping == "auto" and ("val_score" in clf.history_) == runs
    assert (clf.n_iter_ < clf.epoch_) == runs


def test_without_early_stopping_nothing_is_held_out():
    clf = FastTextClassifier(dim=8, epoch=3, random_state=0).fit(DOCS, AGES // 10)
    assert "val_score" not in clf.history_ and clf.n_iter_ == 3


def test_held_out_documents_do_not_train():
    """A word only in held-out documents keeps its initial vector."""
    docs, y = list(DOCS), (AGES >= 40).astype(int)
    rows = _held_out(y, 0.2, 0)
    for i in rows:
        docs[i] = docs[i] + " heldoutonly"
    clf = FastTextClassifier(dim=8, epoch=3, early_stopping=True, validation_fraction=0.2,
                             random_state=0).fit(docs, y)  # fmt: skip
    start = FastTextClassifier(dim=8, epoch=3, random_state=0).fit(docs, y)
    word = clf.vectorizer_.vocabulary_["heldoutonly"]
    assert start.vectorizer_.vocabulary_["heldoutonly"] == word
    initial = build_model(input_dim=clf.input_dim_, dim=8, n_outputs=len(clf.classes_), seed=0)
    initial_row = initial.get_layer("embedding").embeddings.numpy()[word]
    np.testing.assert_allclose(clf.embedding_[word], initial_row, atol=1e-3)
    assert not np.allclose(start.embedding_[word], initial_row, atol=1e-3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: (FastTextClassifier(dim=8, epoch=4, early_stopping=True, random_state=0),
                 AGES // 10, {"sample_weight": np.linspace(0.5, 2.0, len(AGES))}),
        lambda: (FastTextClassifier(dim=8, epoch=4, early_stopping=True, random_state=0),
                 [[f"a{a // 10}", f"b{a // 20}"] for a in AGES], {}),
        lambda: (FastTextRegressor(dim=8, epoch=4, early_stopping=True, random_state=0),
                 AGES, {"sample_weight": np.linspace(0.5, 2.0, len(AGES))}),
    ],
    ids=["weighted", "multi-label", "regressor"],
)  # fmt: skip
def test_every_kind_of_fit_stops_early(make):
    est, y, kwargs = make()
    est.fit(DOCS, y, **kwargs)
    scores = est.history_["val_score"]
    assert len(scores) == est.n_iter_ >= 1 and np.isfinite(scores).all()
    assert max(scores) > 0.1  # better than nothing: R^2 above 0, accuracy above chance


def test_fit_file_stops_early_on_the_documents_fit_holds_out(tmp_path):
    path = tmp_path / "train.txt"
    write_fasttext(path, DOCS, AGES)
    params = dict(dim=8, epoch=4, early_stopping=True, random_state=0)
    in_memory = FastTextRegressor(**params).fit(DOCS, AGES)
    # a file of one chunk trains as fit: the same held-out documents, the same scores
    one_chunk = FastTextRegressor(**params).fit_file(path)
    assert one_chunk.history_["val_score"] == in_memory.history_["val_score"]
    chunked = FastTextRegressor(**params).fit_file(path, chunk_size=150)
    scores = chunked.history_["val_score"]
    assert len(scores) == chunked.n_iter_ and max(scores) > 0.3


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5, -0.1])
def test_validation_fraction_must_lie_within_0_and_1(fraction):
    clf = FastTextClassifier(early_stopping=True, validation_fraction=fraction)
    with pytest.raises(ValueError, match="validation_fraction"):
        clf.fit(DOCS[:20], AGES[:20] // 30)


def test_too_few_documents_to_hold_out_any_is_a_clear_error():
    clf = FastTextRegressor(early_stopping=True, validation_fraction=0.5)
    with pytest.raises(ValueError, match="cannot hold out validation_fraction=0.5 of 1 documents"):
        clf.fit(["a b"], [1.0])


def test_classes_too_rare_to_stratify_are_held_out_at_random():
    docs, y = ["a b", "c d", "e f", "g h", "a c", "b d"] * 3 + ["rare"], [0, 1] * 9 + [2]
    clf = FastTextClassifier(dim=4, epoch=2, early_stopping=True, validation_fraction=0.3,
                             random_state=0).fit(docs, y)  # fmt: skip
    assert len(clf.history_["val_score"]) == clf.n_iter_


@pytest.mark.parametrize("name, value", [("n_iter_no_change", 0), ("tol", -1.0),
                                         ("early_stopping", "sometimes")])  # fmt: skip
def test_bad_early_stopping_settings_are_refused(name, value):
    with pytest.raises(ValueError, match=name):
        FastTextClassifier(**{name: value}).fit(DOCS[:20], AGES[:20] // 30)
