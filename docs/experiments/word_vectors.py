"""Word vectors learned by the classifier: do neighbours share a preferred age?

The source article's first complaint about fastText: its word vectors cannot
be read out, so one cannot check with nearest neighbours what they learned.
Here they can (``get_word_vectors``, ``most_similar``). The built-in age
corpus knows the truth: ``make_age_corpus(..., return_word_ages=True)`` gives
the age each informative word prefers (the other words are noise, drawn
whatever the user's age). Trained only to predict ages, the word vectors
should place words preferred by similar ages near each other.

This script trains ``FastTextClassifier`` (ages as 69 classes, as in the
article) and ``FastTextRegressor``, then

* lists the nearest neighbours (``most_similar``) of four frequent
  informative words, with each neighbour's preferred age;
* measures, for every informative word, how far the preferred ages of its 10
  nearest neighbours are from its own, against random pairs of words;
* projects the word vectors (scaled to unit length: cosine geometry, as in
  ``most_similar``) to 2-D with PCA, coloured by preferred age.

Data: the built-in age corpus (30,000 documents), ``min_count=5``
(rarer words keep their random initial vector and would be noise in any
neighbour list), the package's defaults otherwise (as fastText's: dim=100,
lr=0.1, epoch=5, eos=True).

Run from the repository root::

    python docs/experiments/word_vectors.py          # about 1 minute on 2 cores
    python docs/experiments/word_vectors.py --quick  # smoke run
"""

import time

import _common
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import spearmanr
from sklearn.decomposition import PCA

from skfasttext import FastTextClassifier, FastTextRegressor

NAME = "word_vectors"
K = 10  # neighbours
TARGET_AGES = [16, 30, 50, 70]  # the query words prefer ages near these


def neighbour_ages(vectors, ages):
    """Preferred ages of each informative word's K nearest neighbours (NaN: noise word).

    ``ages`` holds the preferred age of each row of ``vectors``, NaN for noise words.
    """
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    informative = np.flatnonzero(~np.isnan(ages))
    similarity = unit[informative] @ unit.T
    similarity[np.arange(len(informative)), informative] = -np.inf  # not the word itself
    nearest = np.argsort(-similarity, axis=1)[:, :K]
    return informative, ages[nearest]


def analyse(name, model, word_ages, rng):
    """Neighbour statistics of one fitted model's word vectors."""
    words, vectors = model.get_word_vectors()
    words, vectors = words[1:], vectors[1:]  # drop '<unk>'
    ages = np.array([word_ages.get(w, np.nan) for w in words])
    informative, near = neighbour_ages(vectors, ages)
    own = ages[informative]
    gap = np.abs(near - own[:, None])  # NaN where the neighbour is a noise word
    pairs = rng.choice(informative, size=(20_000, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    random_gap = np.abs(ages[pairs[:, 0]] - ages[pairs[:, 1]])
    mean_near = np.nanmean(near, axis=1)
    has_near = ~np.isnan(mean_near)
    stats = {
        "words": len(words),
        "informative": len(informative),
        "share informative": np.mean(~np.isnan(near)),
        "gap": np.nanmean(gap),
        "median gap": np.nanmedian(gap),
        "random gap": random_gap.mean(),
        "rho": spearmanr(own[has_near], mean_near[has_near]).statistic,
    }
    print(f"{name}: " + ", ".join(f"{k} {v:.3f}" for k, v in stats.items()))
    return {
        "name": name,
        "words": words,
        "vectors": vectors,
        "ages": ages,
        "own": own,
        "mean_near": mean_near,
        "stats": stats,
    }


def neighbour_table(model, word_ages):
    """``most_similar`` of one frequent informative word near each of TARGET_AGES."""
    vocabulary = model.vectorizer_.vocabulary_
    candidates = [w for w in word_ages if w in vocabulary]
    rows = []
    for target in TARGET_AGES:
        close = [w for w in candidates if abs(word_ages[w] - target) <= 3]
        if not close:
            continue
        word = min(close, key=vocabulary.get)  # the most frequent
        neighbours = model.most_similar(word, k=6)
        shown = ", ".join(
            f"{w} ({word_ages[w]:.0f})" if w in word_ages else f"{w} (noise)" for w, _ in neighbours
        )
        rows.append([f"{word} ({word_ages[word]:.0f})", shown])
    return rows


def plot(analyses):
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.0), gridspec_kw={"width_ratios": [1.15, 1.15, 1]})
    for ax, analysis in zip(axes[:2], analyses, strict=True):
        vectors = analysis["vectors"]
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        coords = PCA(n_components=2, random_state=0).fit_transform(unit)  # cosine geometry
        noise = np.isnan(analysis["ages"])
        ax.scatter(*coords[noise].T, s=2, c="0.85", label="noise words", rasterized=True)
        points = ax.scatter(
            *coords[~noise].T,
            s=5,
            c=analysis["ages"][~noise],
            cmap="viridis",
            vmin=_common.AGE_GROUPS[0],
            vmax=80,
            label="informative words",
            rasterized=True,
        )
        fig.colorbar(points, ax=ax, label="preferred age", fraction=0.05)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("PCA 1 (unit-length vectors)")
        ax.set_ylabel("PCA 2")
        ax.set_title(f"{analysis['name']}: word vectors", fontsize=10)
    axes[0].legend(fontsize=7, markerscale=2, loc="lower left")
    ax = axes[2]
    for analysis, color in zip(analyses, ["tab:red", "tab:blue"], strict=True):
        ax.scatter(
            analysis["own"],
            analysis["mean_near"],
            s=4,
            alpha=0.5,
            color=color,
            label=f"{analysis['name'].split(' (')[0]} (ρ = {analysis['stats']['rho']:.2f})",
        )
    ax.plot([12, 80], [12, 80], color="0.3", lw=0.8, ls="--")
    ax.set_xlabel("preferred age of an informative word")
    ax.set_ylabel(f"mean preferred age of its\ninformative neighbours (of {K} nearest)")
    ax.set_title("do neighbours prefer the same ages?", fontsize=10)
    ax.legend(fontsize=8, markerscale=3)
    fig.tight_layout()
    return fig


def main(argv=None):
    args = _common.parse_args(__doc__, argv)
    started = time.time()
    n_train, dim, epoch = (30_000, 100, 5) if not args.quick else (800, 8, 2)
    (X, y, word_ages), _ = _common.age_corpus(n_train, 1, seed=args.seed, return_word_ages=True)
    rng = np.random.default_rng(args.seed)
    params = {
        **_common.ARTICLE,
        "dim": dim,
        "epoch": epoch,
        "min_count": 5,
        "random_state": args.seed,
    }
    clf = FastTextClassifier(**params).fit(X, y)
    reg = FastTextRegressor(**params).fit(X, y)
    analyses = [
        analyse("classifier (69 age classes)", clf, word_ages, rng),
        analyse("regressor", reg, word_ages, rng),
    ]
    fig = plot(analyses)
    _common.save_figure(fig, args.out, NAME)
    plt.close(fig)
    stats_rows = [
        [
            a["name"],
            a["stats"]["words"],
            a["stats"]["informative"],
            f"{a['stats']['share informative']:.0%}",
            _common.fmt(a["stats"]["gap"], 1),
            _common.fmt(a["stats"]["median gap"], 1),
            _common.fmt(a["stats"]["random gap"], 1),
            _common.fmt(a["stats"]["rho"], 2),
        ]
        for a in analyses
    ]
    sections = [
        "**Nearest neighbours** (`clf.most_similar(word, k=6)`, classifier; preferred ages "
        "in brackets)\n\n"
        + _common.markdown_table(
            ["word", "nearest neighbours"], neighbour_table(clf, word_ages), align=["l", "l"]
        ),
        f"**How close are the neighbours' ages?** For each informative word, its {K} nearest "
        "words by cosine: the share that are informative, the mean and median gap between "
        "their preferred age and the word's, against random pairs of informative words, and "
        "the rank correlation between a word's age and the mean age of its informative "
        "neighbours\n\n"
        + _common.markdown_table(
            [
                "model",
                "words",
                "informative",
                "informative neighbours",
                "mean gap (years)",
                "median gap",
                "random pairs: mean gap",
                "Spearman ρ",
            ],
            stats_rows,
        ),
    ]
    _common.write_table(args.out, NAME, sections, started, args.quick)
    print(*sections, sep="\n\n")


if __name__ == "__main__":
    main()
