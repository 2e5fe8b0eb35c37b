"""AutotuneSearchCV and the command line's -autotune-* arguments: small data, short budgets."""

import time

import numpy as np
import pytest
from sklearn.base import clone

from skfasttext import (
    AutotuneSearchCV,
    FastTextClassifier,
    FastTextRegressor,
    load,
    make_age_corpus,
    write_fasttext,
)
from skfasttext.__main__ import main
from skfasttext.autotune import quantize_to_size, top_k_f1_scorer

DOCS, AGES = make_age_corpus(300, random_state=0, vocab_size=300)
GROUPS = np.where(AGES < 40, "young", "old")
# multi-label: lists of one or two labels
TAGS = [[group, "any"] if age % 3 else [group] for group, age in zip(GROUPS, AGES, strict=True)]
# the budget a time test allows beyond max_time: the margin of one estimated fit
SLACK = 2.5


def _classifier():
    return FastTextClassifier(dim=8, random_state=0)


def test_search_respects_its_time_and_tells_what_it_chose():
    search = AutotuneSearchCV(_classifier(), max_time=6, random_state=0)
    start = time.perf_counter()
    search.fit(DOCS, GROUPS)
    took = time.perf_counter() - start
    assert took <= 6 + SLACK
    assert search.search_time_ <= took
    results = search.cv_results_
    assert results["params"][0]["dim"] == 8  # the first candidate is the estimator itself
    assert search.best_params_ == results["params"][search.best_index_]
    assert search.best_score_ == np.nanmax(results["mean_test_score"])
    assert search.best_estimator_.get_params()["epoch"] == search.best_params_["epoch"]
    assert search.predict(DOCS[:3]).shape == (3,)
    assert search.refit_time_ > 0


def test_search_goes_on_while_time_is_left():
    start = time.perf_counter()
    _classifier().fit(DOCS, GROUPS)
    budget = 6 * (time.perf_counter() - start)  # room for a few fits, on a busy machine too
    search = AutotuneSearchCV(_classifier(), max_time=budget, param_names=["lr"], random_state=0)
    start = time.perf_counter()
    search.fit(DOCS, GROUPS)
    assert time.perf_counter() - start <= budget + SLACK
    lrs = search.cv_results_["param_lr"]
    assert len(lrs) >= 2 and len(set(lrs)) == len(lrs)  # new candidates, none twice
    assert set(search.best_params_) == {"lr"}  # the only one tuned


def test_search_without_refit_is_shorter_and_cannot_predict():
    search = AutotuneSearchCV(_classifier(), max_time=3, refit=False, random_state=0)
    search.fit(DOCS, GROUPS)
    assert search.search_time_ <= 3 + SLACK
    assert not hasattr(search, "best_estimator_")
    with pytest.raises(AttributeError):
        search.predict(DOCS[:2])


def test_validation_set_scores_and_never_trains():
    half = len(DOCS) // 2
    search = AutotuneSearchCV(_classifier(), max_time=3, param_names=["epoch"], random_state=0)
    search.fit(DOCS[:half], GROUPS[:half], X_val=DOCS[half:], y_val=GROUPS[half:])
    assert search.n_splits_ == 1
    assert set(search.best_params_) == {"epoch"}  # the only one tuned
    # refit on X alone, as fastText trains on its input, not its validation file
    refit = clone(_classifier()).set_params(**search.best_params_).fit(DOCS[:half], GROUPS[:half])
    assert search.best_estimator_.vectorizer_.vocabulary_ == refit.vectorizer_.vocabulary_


def test_folds_score_each_candidate():
    search = AutotuneSearchCV(_classifier(), max_time=4, cv=2, param_names=["lr"], refit=False)
    search.fit(DOCS[:100], GROUPS[:100])
    assert search.n_splits_ == 2 and "split1_test_score" in search.cv_results_


def test_validation_set_with_unseen_labels_is_a_clear_error():
    search = AutotuneSearchCV(_classifier(), max_time=3)
    with pytest.raises(ValueError, match=r"y_val holds 1 label\(s\) that y does not: \['middle'\]"):
        search.fit(DOCS[:50], GROUPS[:50], X_val=DOCS[50:60], y_val=["middle"] + [*GROUPS[51:60]])
    lists = [[group] for group in GROUPS[:60]]  # multi-label: the labels of the lists
    with pytest.raises(ValueError, match=r"y_val holds 1 label\(s\) that y does not: \['middle'\]"):
        search.fit(DOCS[:50], lists[:50], X_val=DOCS[50:60], y_val=[["middle"], *lists[51:60]])
    with pytest.raises(ValueError, match="X_val and y_val together"):
        search.fit(DOCS[:50], GROUPS[:50], X_val=DOCS[50:60])


@pytest.mark.parametrize("split", ["X_val", "cv", "held out"])
def test_label_lists_are_searched(split):
    search = AutotuneSearchCV(
        _classifier(),
        max_time=3,
        param_names=["lr"],
        random_state=0,
        cv=2 if split == "cv" else None,
    )
    if split == "X_val":
        search.fit(DOCS[:100], TAGS[:100], X_val=DOCS[100:120], y_val=TAGS[100:120])
    else:
        search.fit(DOCS[:100], TAGS[:100])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.multilabel_
    assert search.best_estimator_.classes_.tolist() == ["any", "old", "young"]


def test_too_few_documents_to_hold_out_every_class_are_held_out_unstratified():
    # 4 documents of 2 classes: 1 held out, which cannot hold both
    search = AutotuneSearchCV(_classifier(), max_time=1, param_names=["lr"], random_state=0)
    search.fit(["old opera", "opera tea", "anime game", "game"], ["old", "old", "young", "young"])
    assert search.n_splits_ == 1


def test_bad_settings_are_clear_errors():
    with pytest.raises(ValueError, match="tunes only"):
        AutotuneSearchCV(_classifier(), param_names=["pooling"]).fit(DOCS, GROUPS)
    with pytest.raises(ValueError, match="max_time"):
        AutotuneSearchCV(_classifier(), max_time=0).fit(DOCS, GROUPS)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        top_k_f1_scorer(k=0)


def test_regression_is_tuned_on_its_scoring():
    search = AutotuneSearchCV(
        FastTextRegressor(dim=8, random_state=0),
        max_time=4,
        scoring="neg_mean_absolute_error",
        random_state=0,
    ).fit(DOCS, AGES)
    assert search.best_score_ < 0  # minus the MAE
    assert search.predict(DOCS[:2]).dtype.kind == "f"


def test_top_k_f1_is_accuracy_at_k_1_and_per_label():
    clf = _classifier().set_params(epoch=10).fit(DOCS, GROUPS)
    assert top_k_f1_scorer()(clf, DOCS, GROUPS) == pytest.approx(clf.score(DOCS, GROUPS))
    young = top_k_f1_scorer(label="young")(clf, DOCS, GROUPS)
    predicted = clf.predict(DOCS)
    hits = np.sum((predicted == "young") & (GROUPS == "young"))
    f1 = 2 * hits / (np.sum(predicted == "young") + np.sum(GROUPS == "young"))
    assert young == pytest.approx(f1)


def test_quantize_to_size_cuts_rows_until_the_file_fits(tmp_path):
    clf = _classifier().set_params(epoch=2).fit(DOCS, GROUPS)
    before = clf.predict_proba(DOCS)

    def size(model):
        model.save(tmp_path / "m.skft")
        return (tmp_path / "m.skft").stat().st_size

    whole = quantize_to_size(clf, 10**9, DOCS, GROUPS)  # room for all: every row kept
    assert whole.input_dim_ == clf.input_dim_ and clf.input_dim_ > 1_000
    limit = int(size(whole) * 0.7)
    small = quantize_to_size(clf, limit, DOCS, GROUPS)
    assert size(small) <= limit and 100 <= small.input_dim_ < clf.input_dim_
    assert np.mean(small.predict(DOCS) == GROUPS) > 0.8  # retrained on the rows it kept
    np.testing.assert_array_equal(clf.predict_proba(DOCS), before)  # clf is left as it was
    with pytest.raises(ValueError, match="cannot hold this model"):
        quantize_to_size(clf, 1_000, DOCS, GROUPS)


# -- the command line ------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("autotune")
    paths = {name: root / f"{name}.txt" for name in ["train", "valid", "unseen", "reg", "reg_val"]}
    write_fasttext(paths["train"], DOCS[:240], GROUPS[:240])
    write_fasttext(paths["valid"], DOCS[240:], GROUPS[240:])
    write_fasttext(paths["unseen"], DOCS[240:], ["middle"] + [*GROUPS[241:]])
    write_fasttext(paths["reg"], DOCS[:240], AGES[:240])
    write_fasttext(paths["reg_val"], DOCS[240:], AGES[240:])
    return {name: str(path) for name, path in paths.items()} | {"root": root}


def _supervised(files, *args, output="model"):
    argv = ["supervised", "-input", files["train"], "-output", str(files["root"] / output)]
    return main(argv + ["-dim", "8", "-verbose", "1", *args])


def test_cli_autotune_end_to_end(files, capsys):
    start = time.perf_counter()
    status = _supervised(files, "-autotune-validation", files["valid"], "-autotune-duration", "4")
    took = time.perf_counter() - start
    err = capsys.readouterr().err
    assert status == 0, err
    assert took <= 4 + SLACK + 1  # reading the files and saving the model come on top
    assert "Best selected args" in err and "epoch = " in err and "dim = " not in err  # -dim set
    model = load(files["root"] / "model.skft")
    assert model.dim == 8 and model.label_prefix_ == "__label__"
    assert main(["test", str(files["root"] / "model.skft"), files["valid"]]) == 0


def test_cli_autotune_multi_label_files(files, capsys, tmp_path):
    train, valid = str(tmp_path / "train.txt"), str(tmp_path / "valid.txt")
    write_fasttext(train, DOCS[:240], TAGS[:240])
    write_fasttext(valid, DOCS[240:], GROUPS[240:])  # one label a line: fine too
    for val in (valid, train):
        argv = ["-input", train, "-output", str(tmp_path / "m"), "-autotune-validation", val]
        status = main(
            ["supervised", *argv, "-autotune-duration", "3", "-autotune-predictions", "2"]
        )
        assert status == 0, capsys.readouterr().err
        assert load(tmp_path / "m.skft").multilabel_


def test_cli_autotune_regression_and_modelsize(files, capsys):
    status = main(
        ["supervised", "-input", files["reg"], "-output", str(files["root"] / "reg")]
        + ["-regression", "-dim", "8", "-verbose", "1", "-autotune-validation", files["reg_val"]]
        + ["-autotune-duration", "3", "-autotune-modelsize", "40K"]
    )
    err = capsys.readouterr().err
    assert status == 0, err
    path = files["root"] / "reg.ftz"
    assert path.stat().st_size <= 40_000
    assert load(path).predict(DOCS[:2]).shape == (2,)


@pytest.mark.parametrize(
    "args, message",
    [
        (["-autotune-metric", "f1:__label__middle"], "__label__middle is not a label of"),
        (["-autotune-metric", "precision"], "f1 or f1:LABEL"),
        (["-autotune-predictions", "0"], "k must be a positive integer"),
        (["-autotune-modelsize", "big"], "-autotune-modelsize is bytes"),
    ],
)
def test_cli_autotune_bad_arguments(files, capsys, args, message):
    status = _supervised(files, "-autotune-validation", files["valid"], *args)
    assert status == 1
    assert message in capsys.readouterr().err


def test_cli_autotune_errors(files, capsys):
    assert _supervised(files, "-autotune-validation", files["unseen"]) == 1
    assert "y_val holds 1 label(s) that y does not: ['middle']" in capsys.readouterr().err
    assert _supervised(files, "-autotune-duration", "5") == 1
    assert "-autotune-duration tunes a search on -autotune-validation" in capsys.readouterr().err
