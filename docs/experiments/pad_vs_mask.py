"""PAD vectors vs a mask: does padding change what mean pooling predicts?

The source article's first claim: with fixed-length input (truncate and pad
to 100 ids, PAD = id 0), plain average pooling averages the PAD vector in
too, so a short document's pooled vector is mostly PAD and its prediction
depends on how much padding it got; a mask (``Embedding(mask_zero=True)``
and a pooling layer that honours it) removes PAD from the average.

Two Keras models, identical but for the mask, are trained the article's way
(ids padded to 100, Adam, a 30-unit tanh layer, softmax):

* unmasked: ``Embedding`` -> ``keras.layers.GlobalAveragePooling1D`` (every
  step counts, PAD included);
* masked: ``Embedding(mask_zero=True)`` -> ``skfasttext.MaskedMeanPooling``.

It measures

1. drift: the same short documents (1-5 words) padded to widths 5 ... 500;
   how far the predicted class probabilities move from those at the training
   width (100), as total variation distance, and how often the predicted
   class changes;
2. accuracy by document length, at the training width;
3. the article's "皱纹" check: one informative word alone, and repeated 4 times.

Data: age groups (12-24, 25-34, 35-44, 45-59, 60-80) of the built-in age
corpus (30,000 training / 10,000 test documents), and chinese_reviews
(pos/neg) if the shared data is there.

Run from the repository root::

    python docs/experiments/pad_vs_mask.py          # about 2 minutes on 2 cores
    python docs/experiments/pad_vs_mask.py --quick  # smoke run
"""

import time

import _common
import keras
import matplotlib.pyplot as plt
import numpy as np

from skfasttext import MaskedMeanPooling, TextVectorizer
from skfasttext.text import Ragged

NAME = "pad_vs_mask"
WIDTH = 100  # the article's fixed length
WIDTHS = [5, 10, 20, 50, 100, 200, 500]
LENGTH_BINS = [(1, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, None)]


def build(vocab_size, n_classes, *, masked, dim, seed):
    """The article's Keras fastText: embedding, mean pooling, tanh(30), softmax."""
    keras.utils.set_random_seed(seed)  # same initial weights for both models
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(vocab_size, dim, mask_zero=masked, name="embedding")(ids)
    if masked:
        x = MaskedMeanPooling(name="pooling")(x)
    else:
        x = keras.layers.GlobalAveragePooling1D(name="pooling")(x)
    x = keras.layers.Dense(30, activation="tanh", name="hidden")(x)
    out = keras.layers.Dense(n_classes, activation="softmax", name="output")(x)
    model = keras.Model(ids, out, name="masked" if masked else "unmasked")
    model.compile(
        optimizer=keras.optimizers.Adam(2e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def length_bin_label(low, high):
    if high is None:
        return f">{low - 1}"
    return f"{low}" if low == high else f"{low}-{high}"


def run_dataset(title, X_train, y_train, X_test, y_test, *, epochs, dim, seed):
    """Train both models on one data set and measure drift and accuracy by length."""
    classes, y_train = np.unique(y_train, return_inverse=True)
    y_test = np.searchsorted(classes, y_test)
    # no </s> token (eos=False, as in the article): the repeated-word check needs pure pooling
    vectorizer = TextVectorizer(max_len=WIDTH, eos=False, word_ngrams=1).fit(X_train)  # words
    train_ids = vectorizer.transform(X_train)
    test_values, test_lengths = test_ragged = vectorizer.transform_ragged(X_test)
    test_ids = test_ragged.pad(WIDTH)
    true_lengths = _common.doc_lengths(X_test)

    models = {}
    for masked in (False, True):
        start = time.time()
        model = build(
            vocab_size=vectorizer.input_dim_,
            n_classes=len(classes),
            masked=masked,
            dim=dim,
            seed=seed,
        )
        model.fit(train_ids, y_train, batch_size=64, epochs=epochs, verbose=0, shuffle=True)
        name = model.name
        models[name] = model
        print(f"{title}: {name} trained in {time.time() - start:.0f} s")

    # 1. drift: short documents (all of whose words are kept) at several widths
    short = np.flatnonzero(test_lengths <= 5)
    short = short[test_lengths[short] >= 1]
    starts = np.cumsum(test_lengths) - test_lengths
    short_values = np.concatenate(
        [test_values[starts[i] : starts[i] + test_lengths[i]] for i in short]
    )
    drift = {}
    for name, model in models.items():
        probas = {
            w: model.predict(
                Ragged(short_values, test_lengths[short]).pad(w), verbose=0, batch_size=1024
            )
            for w in WIDTHS
        }
        ref = probas[WIDTH]
        drift[name] = {
            w: (
                0.5 * np.abs(p - ref).sum(axis=1).mean(),
                np.mean(p.argmax(axis=1) != ref.argmax(axis=1)),
            )
            for w, p in probas.items()
        }

    # 2. accuracy by document length, at the training width
    accuracy = {}
    for name, model in models.items():
        predicted = model.predict(test_ids, verbose=0, batch_size=1024).argmax(axis=1)
        right = predicted == y_test
        accuracy[name] = {"all": (right.mean(), len(right))}
        for low, high in LENGTH_BINS:
            inside = (true_lengths >= low) & (true_lengths <= (high or np.inf))
            accuracy[name][length_bin_label(low, high)] = (
                right[inside].mean() if inside.any() else np.nan,
                int(inside.sum()),
            )
    return {
        "title": title,
        "classes": classes,
        "models": models,
        "vectorizer": vectorizer,
        "drift": drift,
        "accuracy": accuracy,
        "n_short": len(short),
    }


def repeated_word_check(result, word_ages):
    """The article's 皱纹 check: an old-age word alone and 4 times, padded to 100."""
    vocabulary = result["vectorizer"].vocabulary_
    old = [w for w, age in word_ages.items() if age >= 65 and w in vocabulary]
    word = min(old, key=vocabulary.get)  # the most frequent one (ids follow frequency)
    docs = [word, " ".join([word] * 4)]
    ids = result["vectorizer"].transform(docs)  # padded to max_len=WIDTH
    rows = []
    groups = result["classes"]
    for name, model in result["models"].items():
        proba = model.predict(ids, verbose=0)
        for shown, p in zip([word, f"{word} ×4"], proba, strict=True):
            label = _common.AGE_GROUP_NAMES[groups[p.argmax()]]
            rows.append([name, f"`{shown}`", label, _common.fmt(p.max()), _common.fmt(p[-1])])
    return word, word_ages[word], rows


def plot(results, out):
    fig, axes = plt.subplots(1, 1 + len(results), figsize=(4.2 * (1 + len(results)), 3.4))
    colors = {"unmasked": "tab:red", "masked": "tab:blue"}
    ax = axes[0]
    for result, style in zip(results, ["-", "--"], strict=False):
        for name, d in result["drift"].items():
            ax.plot(
                WIDTHS,
                [d[w][0] for w in WIDTHS],
                style,
                marker="o",
                ms=3,
                color=colors[name],
                label=f"{result['title']}, {name}",
            )
    ax.set_xscale("log")
    ax.axvline(WIDTH, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("padded width of a 1-5 word document")
    ax.set_ylabel("mean change of class probabilities\n(total variation vs width 100)")
    ax.set_title("Prediction drift with padding")
    ax.legend(fontsize=7)
    for ax, result in zip(axes[1:], results, strict=True):
        labels = [length_bin_label(lo, hi) for lo, hi in LENGTH_BINS]
        x = np.arange(len(labels))
        for k, (name, acc) in enumerate(result["accuracy"].items()):
            ax.bar(
                x + (k - 0.5) * 0.4,
                [acc[label][0] for label in labels],
                0.4,
                color=colors[name],
                label=name,
            )
        ax.set_xticks(x, labels, fontsize=8)
        ax.set_xlabel("document length (tokens)")
        ax.set_ylabel("accuracy")
        ax.set_title(f"{result['title']}: accuracy by length")
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def tables(results, word_check):
    sections = []
    for result in results:
        names = list(result["models"])
        rows = []
        for w in WIDTHS:
            rows.append(
                [w]
                + [
                    f"{result['drift'][n][w][0]:.3f} / {result['drift'][n][w][1]:.1%}"
                    for n in names
                ]
            )
        sections.append(
            f"**{result['title']}: drift of {result['n_short']} test documents of 1-5 words** "
            "(mean total variation distance between class probabilities at this width and "
            f"at width {WIDTH} / share whose predicted class changes)\n\n"
            + _common.markdown_table(["padded width", *names], rows)
        )
        labels = ["all"] + [length_bin_label(lo, hi) for lo, hi in LENGTH_BINS]
        acc = result["accuracy"]
        rows = [
            [label, acc[names[0]][label][1]] + [_common.fmt(acc[n][label][0]) for n in names]
            for label in labels
            if acc[names[0]][label][1]
        ]
        sections.append(
            f"**{result['title']}: test accuracy by document length** (inputs padded or "
            f"truncated to {WIDTH})\n\n"
            + _common.markdown_table(["length (tokens)", "documents", *names], rows)
        )
    if word_check is not None:
        word, age, rows = word_check
        sections.append(
            f"**The article's repeated-word check** on the age groups: `{word}` (an "
            f"informative word preferring age {age:.0f}) alone and 4 times, padded to "
            f"{WIDTH}\n\n"
            + _common.markdown_table(
                ["model", "document", "predicted group", "its probability", "P(60-80)"],
                rows,
                align=["l", "l", "l", "r", "r"],
            )
        )
    return sections


def main(argv=None):
    args = _common.parse_args(__doc__, argv)
    started = time.time()
    n_train, n_test, epochs, dim = (30_000, 10_000, 5, 50) if not args.quick else (600, 300, 1, 8)
    (X, ages, word_ages), (X_test, ages_test) = _common.age_corpus(
        n_train, n_test, seed=args.seed, return_word_ages=True
    )
    results = [
        run_dataset(
            "ages",
            X,
            _common.age_group(ages),
            X_test,
            _common.age_group(ages_test),
            epochs=epochs,
            dim=dim,
            seed=args.seed,
        )
    ]
    word_check = repeated_word_check(results[0], word_ages)
    shared = _common.shared_dataset("chinese_reviews", args)
    if shared is not None:
        results.append(
            run_dataset("chinese_reviews", *shared, epochs=epochs, dim=dim, seed=args.seed)
        )
    fig = plot(results, args.out)
    _common.save_figure(fig, args.out, NAME)
    plt.close(fig)
    _common.write_table(args.out, NAME, tables(results, word_check), started, args.quick)
    for section in tables(results, word_check):
        print(section, end="\n\n")


if __name__ == "__main__":
    main()
