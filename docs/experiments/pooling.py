"""Pooling strategies: mean vs max vs Lp, and two ways to help max pooling train.

The source article: max pooling should suit long, noisy documents better
than mean pooling (one telling word is not averaged away), yet it trained
worse, because each step updates only the word vector that wins each
feature; Lp pooling "easily diverged" for large p; dropout on the input
did not help; warm-starting max pooling from vectors trained with mean
pooling "works clearly better, and keeps improving on top of them".

Variants (all ``FastTextClassifier``, the package's defaults otherwise: dim=100,
lr=0.1, eos=True, no hidden layer; batch_size='auto' is 32 at these sizes):

* ``mean``, ``max``, ``lp`` with p = 2, 4, 8;
* ``max + token_dropout=0.5``: half of each document's tokens dropped at
  each step (never all of them, so no empty row and no NaN);
* ``max, warm start``: ``pretrained_vectors=`` a fitted 5-epoch mean model.

Learning curves: each point is a separate fit with ``epoch=e`` and the same
seed. The estimator has no per-epoch callback, and the state after epoch e
of a longer run is not a model anyone would use anyway: fastText's learning
rate decays linearly to zero over the whole run, so a fit with ``epoch=e`` is
what "training e epochs" means. For the warm start, e counts the epochs of
max training after the 5 epochs of the mean model.

Data: the built-in age corpus, ages as 69 classes as in the article (20,000
training / 10,000 test documents; accuracy and the MAE of the predicted age),
and chinese_reviews (pos/neg, final scores at 5 epochs) if the shared data
is there.

Run from the repository root::

    python docs/experiments/pooling.py          # about 6 minutes on 2 busy cores
    python docs/experiments/pooling.py --quick  # smoke run
"""

import time

import _common
import matplotlib.pyplot as plt
import numpy as np

from skfasttext import FastTextClassifier

NAME = "pooling"
LONG = 50  # documents with more tokens than this count as long

VARIANTS = {  # name -> FastTextClassifier parameters ("warm" marks the warm start)
    "mean": {"pooling": "mean"},
    "max": {"pooling": "max"},
    "lp, p=2": {"pooling": "lp", "p": 2.0},
    "lp, p=4": {"pooling": "lp", "p": 4.0},
    "lp, p=8": {"pooling": "lp", "p": 8.0},
    "max + token_dropout=0.5": {"pooling": "max", "token_dropout": 0.5},
    "max, warm start from mean": {"pooling": "max", "warm": True},
}
COLORS = dict(
    zip(
        VARIANTS,
        ["tab:blue", "tab:red", "#9ecae1", "#4292c6", "#08519c", "tab:orange", "tab:green"],
        strict=True,
    )
)


def fit_variant(params, X, y, *, epoch, mean_model, seed, dim):
    params = dict(params)
    if params.pop("warm", False):
        params["pretrained_vectors"] = mean_model
    start = time.time()
    settings = {**_common.ARTICLE, "epoch": epoch, "dim": dim, "random_state": seed, **params}
    clf = FastTextClassifier(**settings).fit(X, y)
    return clf, time.time() - start


def age_scores(clf, X_test, y_test, long_docs):
    predicted = clf.predict(X_test)
    right = predicted == y_test
    return {
        "accuracy": right.mean(),
        "mae": np.abs(predicted - y_test).mean(),
        "long accuracy": right[long_docs].mean(),
        "short accuracy": right[~long_docs].mean(),
    }


def learning_curves(X, y, X_test, y_test, *, epochs, seed, dim):
    """Scores of each variant after a fit of ``e`` epochs, for each e of ``epochs``."""
    long_docs = _common.doc_lengths(X_test) > LONG
    mean_model, mean_time = fit_variant(
        VARIANTS["mean"], X, y, epoch=5, mean_model=None, seed=seed, dim=dim
    )
    curves = {name: {} for name in VARIANTS}
    for name, params in VARIANTS.items():
        for e in epochs:
            clf, seconds = fit_variant(
                params, X, y, epoch=e, mean_model=mean_model, seed=seed, dim=dim
            )
            curves[name][e] = age_scores(clf, X_test, y_test, long_docs)
            curves[name][e]["seconds"] = seconds + (mean_time if "warm" in params else 0.0)
            print(
                f"ages {name:26s} {e} epochs: accuracy {curves[name][e]['accuracy']:.3f} "
                f"MAE {curves[name][e]['mae']:.2f} ({curves[name][e]['seconds']:.1f} s)"
            )
    reference = age_scores(mean_model, X_test, y_test, long_docs)
    return curves, reference


def shared_scores(data, *, epoch, seed, dim):
    """Accuracy of each variant on a shared data set, at ``epoch`` epochs."""
    X, y, X_test, y_test = data
    mean_model, _ = fit_variant(
        VARIANTS["mean"], X, y, epoch=5, mean_model=None, seed=seed, dim=dim
    )
    scores = {}
    for name, params in VARIANTS.items():
        clf, _ = fit_variant(params, X, y, epoch=epoch, mean_model=mean_model, seed=seed, dim=dim)
        scores[name] = clf.score(X_test, y_test)
        print(f"chinese_reviews {name:26s} accuracy {scores[name]:.3f}")
    return scores


def plot(curves, epochs, shared, shared_epoch, at):
    names = list(VARIANTS)
    colors = [COLORS[n] for n in names]
    n_panels = 3 if shared else 2
    fig, axes = plt.subplots(
        1,
        n_panels,
        figsize=(4.2 * n_panels, 3.3),
        gridspec_kw={"width_ratios": [1.25] + [1] * (n_panels - 1)},
    )
    ax = axes[0]
    for name, curve in curves.items():
        ax.plot(
            epochs,
            [curve[e]["accuracy"] for e in epochs],
            marker="o",
            ms=3,
            color=COLORS[name],
            label=name,
        )
    ax.set_xlabel("epochs (a separate fit for each)")
    ax.set_ylabel("test accuracy (69 age classes)")
    ax.set_title("ages: learning curves")
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="lower center",
        ncol=4,
        fontsize=8,
        bbox_to_anchor=(0.5, -0.12),
        frameon=False,
    )
    y = np.arange(len(names))
    panels = [("ages", [curves[n][at]["accuracy"] for n in names], at)]
    if shared:
        panels.append(("chinese_reviews", [shared[n] for n in names], shared_epoch))
    for ax, (title, values, epoch) in zip(axes[1:], panels, strict=True):
        ax.barh(y, values, color=colors)
        for k, value in enumerate(values):
            ax.text(value, k, f" {value:.3f}", va="center", fontsize=7)
        ax.set_yticks(y, [""] * len(names))
        ax.invert_yaxis()
        low, high = min(values), max(values)
        ax.set_xlim(max(0.0, low - (high - low)), high + 0.35 * (high - low))
        ax.set_xlabel("test accuracy")
        ax.set_title(f"{title}: after {epoch} epochs")
    fig.tight_layout()
    return fig


def tables(curves, epochs, reference, shared, shared_epoch, at):
    headers = [
        "pooling",
        *[f"acc @{e}" for e in epochs],
        f"MAE @{at}",
        f"acc @{at}, ≤{LONG} tokens",
        f"acc @{at}, >{LONG} tokens",
        f"fit s @{at}",
    ]
    if shared:
        headers.append(f"chinese_reviews acc @{shared_epoch}")
    rows = []
    for name, curve in curves.items():
        row = [
            name,
            *[_common.fmt(curve[e]["accuracy"]) for e in epochs],
            _common.fmt(curve[at]["mae"], 2),
            _common.fmt(curve[at]["short accuracy"]),
            _common.fmt(curve[at]["long accuracy"]),
            f"{curve[at]['seconds']:.1f}",
        ]
        if shared:
            row.append(_common.fmt(shared[name]))
        rows.append(row)
    note = (
        f"The 5-epoch mean model behind the warm start: accuracy "
        f"{reference['accuracy']:.3f}, MAE {reference['mae']:.2f}. The warm start's fit time "
        "includes it. Fit times are indicative: the 2 cores were shared with other jobs."
    )
    return [
        "**ages (69 classes): test accuracy after a fit of e epochs, and final scores**\n\n"
        + _common.markdown_table(headers, rows)
        + "\n\n"
        + note
    ]


def main(argv=None):
    args = _common.parse_args(__doc__, argv)
    started = time.time()
    if args.quick:
        n_train, n_test, epochs, dim, shared_epoch = 800, 300, [1, 2], 8, 1
    else:
        n_train, n_test, epochs, dim, shared_epoch = 20_000, 10_000, [1, 2, 5, 8], 100, 5
    (X, y), (X_test, y_test) = _common.age_corpus(n_train, n_test, seed=args.seed)
    at = 5 if 5 in epochs else epochs[-1]  # fastText's default number of epochs
    curves, reference = learning_curves(
        X, y, X_test, y_test, epochs=epochs, seed=args.seed, dim=dim
    )
    data = _common.shared_dataset("chinese_reviews", args)
    shared = (
        None if data is None else shared_scores(data, epoch=shared_epoch, seed=args.seed, dim=dim)
    )
    fig = plot(curves, epochs, shared, shared_epoch, at)
    _common.save_figure(fig, args.out, NAME)
    plt.close(fig)
    sections = tables(curves, epochs, reference, shared, shared_epoch, at)
    _common.write_table(args.out, NAME, sections, started, args.quick)
    print(*sections, sep="\n\n")


if __name__ == "__main__":
    main()
