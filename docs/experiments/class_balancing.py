"""Class balancing: overall accuracy against recall on rare classes.

The source article weights each training document by ``1 / sqrt(count)`` of
its class (``W = 1/np.sqrt(ct[age])``), because old users are rare, and
advises: balance if the rare classes must be found, do not if only overall
accuracy matters. This script fits the same ``FastTextClassifier`` with
``sample_weight``

* none;
* ``1 / sqrt(count)`` (the article's; ``class_weight='balanced_sqrt'`` gives
  the same weights);
* ``1 / count`` (``class_weight='balanced'`` gives the same weights);

(weights are relative: the estimator rescales them to average 1) and
reports accuracy, macro-averaged recall (every class counts alike), the
recall of the rare classes and the MAE of the predicted age, each as mean and
standard deviation over three model seeds.

Data: the built-in age corpus, ages as 69 classes as in the article (30,000
training / 10,000 test documents; the rare classes are the 20 ages with the
fewest training documents: on this corpus, all of them 55 or older), and rotten_tomatoes
(fresh / rotten / plot, where plot is 8% of the documents) if the shared data
is there. The package's defaults otherwise (as fastText's: dim=100, lr=0.1,
epoch=5, eos=True; batch_size='auto' is 32 at these sizes).

Run from the repository root::

    python docs/experiments/class_balancing.py          # about 2 minutes on 2 cores
    python docs/experiments/class_balancing.py --quick  # smoke run
"""

import time

import _common
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import recall_score

from skfasttext import FastTextClassifier

NAME = "class_balancing"
N_RARE = 20  # age classes counted as rare
WEIGHTINGS = {"none": 0.0, "1/sqrt(count)": 0.5, "1/count": 1.0}  # name -> power of 1/count
COLORS = {"none": "tab:grey", "1/sqrt(count)": "tab:blue", "1/count": "tab:red"}


def weights(y, power):
    """``1 / count(class) ** power`` for each document (the article's sample_weight)."""
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    return 1.0 / counts[codes] ** power


def run(title, X, y, X_test, y_test, rare, *, seeds, dim, epoch, numeric):
    """Fit one classifier per weighting and seed; scores and per-class recall over seeds."""
    classes, counts = np.unique(y, return_counts=True)
    rare_test = np.isin(y_test, rare)
    present = np.isin(classes, y_test)
    results = {}
    for name, power in WEIGHTINGS.items():
        scores, recalls = [], []
        for seed in seeds:
            clf = FastTextClassifier(**_common.ARTICLE, dim=dim, epoch=epoch, random_state=seed)
            clf.fit(X, y, sample_weight=weights(y, power))
            predicted = clf.predict(X_test)
            recall = recall_score(y_test, predicted, labels=classes, average=None, zero_division=0)
            score = {
                "accuracy": np.mean(predicted == y_test),
                "macro recall": recall[present].mean(),
                "rare recall": np.mean(predicted[rare_test] == y_test[rare_test]),
                "share predicted rare": np.mean(np.isin(predicted, rare)),
            }
            if numeric:
                score["MAE"] = np.abs(predicted.astype(float) - y_test.astype(float)).mean()
            scores.append(score)
            recalls.append(recall)
        mean = {k: np.mean([s[k] for s in scores]) for k in scores[0]}
        sd = {k: np.std([s[k] for s in scores]) for k in scores[0]}
        results[name] = {"mean": mean, "sd": sd, "recall": np.mean(recalls, axis=0)}
        print(f"{title} {name:14s} " + " ".join(f"{k} {v:.3f}" for k, v in mean.items()))
    return {
        "title": title,
        "classes": classes,
        "counts": counts,
        "results": results,
        "rare": rare,
        "rare_test": int(rare_test.sum()),
        "n_test": len(y_test),
        "seeds": seeds,
    }


METRICS = ["accuracy", "macro recall", "rare recall"]


def plot(runs):
    fig, axes = plt.subplots(
        1,
        1 + len(runs),
        figsize=(4.3 * (1 + len(runs)), 3.5),
        gridspec_kw={"width_ratios": [1.5] + [1] * len(runs)},
    )
    ages = runs[0]
    ax = axes[0]
    twin = ax.twinx()
    twin.bar(ages["classes"], ages["counts"], color="0.88", width=1.0)
    twin.set_ylabel("training documents", color="0.5")
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    kernel = np.ones(5) / 5  # recall of single ages is noisy: a 5-year moving average
    for name, result in ages["results"].items():
        smooth = np.convolve(np.pad(result["recall"], 2, mode="edge"), kernel, mode="valid")
        ax.plot(ages["classes"], smooth, color=COLORS[name], label=name)
    ax.set_xlabel("age (class)")
    ax.set_ylabel("recall (5-year moving average)")
    ax.set_title(f"ages: recall of each age (mean of {len(ages['seeds'])} seeds)", fontsize=10)
    ax.legend(fontsize=8, title="sample_weight", title_fontsize=8)
    for ax, run_ in zip(axes[1:], runs, strict=True):
        x = np.arange(len(METRICS))
        for k, (name, result) in enumerate(run_["results"].items()):
            ax.errorbar(
                x + (k - 1) * 0.18,
                [result["mean"][m] for m in METRICS],
                yerr=[result["sd"][m] for m in METRICS],
                fmt="o",
                ms=5,
                capsize=2,
                color=COLORS[name],
                label=name,
            )
        rare = "20 rarest ages" if run_["title"] == "ages" else ", ".join(run_["rare"])
        ax.set_xticks(x, ["accuracy", "macro\nrecall", f"recall:\n{rare}"], fontsize=8)
        ax.set_xlim(-0.5, len(METRICS) - 0.5)
        ax.grid(axis="y", color="0.9")
        ax.set_title(f"{run_['title']} (± sd over seeds)", fontsize=10)
    fig.tight_layout()
    return fig


def table(run_):
    numeric = "MAE" in next(iter(run_["results"].values()))["mean"]
    headers = [
        "sample_weight",
        "accuracy",
        "macro recall",
        "rare-class recall",
        "share predicted rare",
    ] + (["MAE"] if numeric else [])
    rows = []
    for name, result in run_["results"].items():
        m, sd = result["mean"], result["sd"]
        rows.append(
            [name]
            + [f"{m[k]:.3f} ± {sd[k]:.3f}" for k in METRICS]
            + [f"{m['share predicted rare']:.1%}"]
            + ([f"{m['MAE']:.2f} ± {sd['MAE']:.2f}"] if numeric else [])
        )
    if run_["title"] == "ages":
        rare = (
            f"the {len(run_['rare'])} ages with the fewest training documents "
            f"({', '.join(str(a) for a in sorted(run_['rare']))}), "
            f"{run_['rare_test']} of the {run_['n_test']:,} test documents"
        )
    else:
        rare = (
            f"{', '.join(run_['rare'])}: {run_['rare_test']} of the {run_['n_test']:,} "
            "test documents"
        )
    seeds = ", ".join(map(str, run_["seeds"]))
    return (
        f"**{run_['title']}** (rare: {rare}; mean ± standard deviation over model seeds "
        f"{seeds})\n\n" + _common.markdown_table(headers, rows)
    )


def main(argv=None):
    args = _common.parse_args(__doc__, argv)
    started = time.time()
    n_train, n_test, dim, epoch = (30_000, 10_000, 100, 5) if not args.quick else (800, 300, 8, 2)
    (X, y), (X_test, y_test) = _common.age_corpus(n_train, n_test, seed=args.seed)
    classes, counts = np.unique(y, return_counts=True)
    rare = classes[np.argsort(counts, kind="stable")[:N_RARE]]
    seeds = [args.seed + k for k in range(1 if args.quick else 3)]
    runs = [
        run("ages", X, y, X_test, y_test, rare, seeds=seeds, dim=dim, epoch=epoch, numeric=True)
    ]
    data = _common.shared_dataset("rotten_tomatoes", args)
    if data is not None:
        runs.append(
            run(
                "rotten_tomatoes",
                *data,
                np.array(["plot"]),
                seeds=seeds,
                dim=dim,
                epoch=epoch,
                numeric=False,
            )
        )
    fig = plot(runs)
    _common.save_figure(fig, args.out, NAME)
    plt.close(fig)
    sections = [table(r) for r in runs]
    _common.write_table(args.out, NAME, sections, started, args.quick)
    print(*sections, sep="\n\n")


if __name__ == "__main__":
    main()
