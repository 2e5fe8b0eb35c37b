"""Ages as classes or as numbers: classification vs regression.

The source article: fastText can only classify, but for ages "a label of 29
predicted as 27 or as 72 costs the same loss", which ignores that ages are
ordered; regression learns their continuity. This script compares, on the
same documents:

* ``FastTextClassifier`` (fastText's model: every age its own class), predicting
  the most probable class, as fastText does;
* the same classifier predicting the median of its predicted distribution
  (the age that minimises the expected absolute error under its own
  probabilities: the classifier's probabilities already know which ages are
  near);
* ``FastTextRegressor`` as shipped (a 64-unit tanh hidden layer, Huber loss),
  and with ``hidden_units=0`` (a linear output on the pooled vector).

It reports the MAE (for three model seeds: differences of 0.1 are within
seed noise), the share of near misses (within 3) and far misses (more than
10 off), and plots the histograms of errors (predicted - true).

Data: the built-in age corpus (ages 12-80; 30,000 training / 10,000 test
documents) and tate_year (the year of an artwork from its title and medium)
if the shared data is there. The package's defaults otherwise (as fastText's:
dim=100, lr=0.1, epoch=5, eos=True; batch_size='auto' is 32 at these sizes).

Run from the repository root::

    python docs/experiments/classes_vs_regression.py          # about 1 minute on 2 cores
    python docs/experiments/classes_vs_regression.py --quick  # smoke run
"""

import time

import _common
import matplotlib.pyplot as plt
import numpy as np

from skfasttext import FastTextClassifier, FastTextRegressor

NAME = "classes_vs_regression"
NEAR, FAR = 3, 10


def predicted_median(proba, values):
    """Median of each row's predicted distribution over the sorted ``values``."""
    cdf = np.cumsum(proba, axis=1)
    return values[np.minimum((cdf < 0.5).sum(axis=1), len(values) - 1)]


def fit_all(X, y, X_test, *, seed, dim, epoch):
    """Predictions of each model for X_test."""
    predictions = {}
    common = {**_common.ARTICLE, "dim": dim, "epoch": epoch, "random_state": seed}
    clf = FastTextClassifier(**common).fit(X, y.astype(int))
    proba = clf.predict_proba(X_test)
    values = clf.classes_.astype(float)
    predictions["classifier, most probable class"] = values[proba.argmax(axis=1)]
    predictions["classifier, median of its probabilities"] = predicted_median(proba, values)
    for name, hidden in [
        ("regressor (hidden_units=64, default)", 64),
        ("regressor, hidden_units=0", 0),
    ]:
        reg = FastTextRegressor(**common, hidden_units=hidden).fit(X, y)
        predictions[name] = reg.predict(X_test)
    predictions["median of the training targets"] = np.full(len(X_test), np.median(y))
    return predictions


def compare(title, X, y, X_test, y_test, *, seeds, dim, epoch):
    """Errors (predicted - true) of each model, for the first seed, and MAEs for all seeds."""
    y, y_test = np.asarray(y, dtype=float), np.asarray(y_test, dtype=float)
    maes = {}
    for seed in seeds:
        predictions = fit_all(X, y, X_test, seed=seed, dim=dim, epoch=epoch)
        for name, predicted in predictions.items():
            maes.setdefault(name, []).append(np.abs(predicted - y_test).mean())
        if seed == seeds[0]:
            errors = {name: predicted - y_test for name, predicted in predictions.items()}
    for name, values in maes.items():
        print(f"{title}: {name:40s} MAE " + " ".join(f"{v:.2f}" for v in values))
    return {
        "title": title,
        "errors": errors,
        "maes": maes,
        "seeds": seeds,
        "n_classes": len(np.unique(y)),
        "n_test": len(y_test),
    }


def rows(result):
    out = []
    for name, error in result["errors"].items():
        absolute = np.abs(error)
        maes = np.array(result["maes"][name])
        spread = f"{maes.mean():.2f} ± {maes.std():.2f}" if len(maes) > 1 else "-"
        out.append(
            [
                name,
                _common.fmt(absolute.mean(), 2),
                spread,
                _common.fmt(np.median(absolute), 1),
                f"{np.mean(np.rint(error) == 0):.1%}",
                f"{np.mean(absolute <= NEAR):.1%}",
                f"{np.mean(absolute > FAR):.1%}",
                _common.fmt(np.mean(error), 2),
            ]
        )
    return out


def plot(results):
    shown = {
        "classifier, most probable class": ("tab:red", "-", "classifier, argmax"),
        "classifier, median of its probabilities": ("tab:orange", "--", "classifier, median"),
        "regressor (hidden_units=64, default)": ("tab:blue", "-", "regressor"),
    }
    fig, axes = plt.subplots(1, len(results), figsize=(5.2 * len(results), 3.5), squeeze=False)
    for ax, result in zip(axes[0], results, strict=True):
        errors = result["errors"]
        limit = np.ceil(np.abs(np.concatenate([errors[name] for name in shown])).max())
        bins = np.arange(-limit - 0.5, limit + 1.5, 1.0)
        for name, (color, style, label) in shown.items():
            ax.hist(
                errors[name],
                bins=bins,
                histtype="step",
                lw=1.3,
                ls=style,
                color=color,
                label=f"{label} (MAE {np.abs(errors[name]).mean():.2f})",
            )
        ax.axvspan(-NEAR - 0.5, NEAR + 0.5, color="grey", alpha=0.12, lw=0)
        ax.set_yscale("log")
        ax.set_xlabel("error: predicted - true (years)")
        ax.set_ylabel("test documents (log scale)")
        ax.set_title(
            f"{result['title']}: errors, {result['n_classes']} classes vs regression", fontsize=10
        )
        ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def main(argv=None):
    args = _common.parse_args(__doc__, argv)
    started = time.time()
    n_train, n_test, dim, epoch = (30_000, 10_000, 100, 5) if not args.quick else (800, 300, 8, 2)
    (X, y), (X_test, y_test) = _common.age_corpus(n_train, n_test, seed=args.seed)
    seeds = [args.seed + k for k in range(1 if args.quick else 3)]
    results = [compare("ages", X, y, X_test, y_test, seeds=seeds, dim=dim, epoch=epoch)]
    data = _common.shared_dataset("tate_year", args)
    if data is not None:
        results.append(compare("tate_year", *data, seeds=seeds, dim=dim, epoch=epoch))
    fig = plot(results)
    _common.save_figure(fig, args.out, NAME)
    plt.close(fig)
    headers = [
        "model",
        "MAE",
        f"MAE, {len(seeds)} seeds",
        "median abs. error",
        "exact",
        f"within {NEAR}",
        f"more than {FAR} off",
        "mean error (bias)",
    ]
    sections = [
        f"**{r['title']}** ({r['n_test']:,} test documents, {r['n_classes']} "
        f"distinct targets in training; model seed {seeds[0]}, and the MAE's mean ± "
        f"standard deviation over model seeds {', '.join(map(str, seeds))})\n\n"
        + _common.markdown_table(headers, rows(r))
        for r in results
    ]
    _common.write_table(args.out, NAME, sections, started, args.quick)
    print(*sections, sep="\n\n")


if __name__ == "__main__":
    main()
