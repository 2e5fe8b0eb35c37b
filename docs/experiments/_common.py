"""Helpers shared by the experiment scripts: arguments, data, figures and tables.

Not part of the package: the scripts import it from their own directory.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")  # Keras' retracing notes on predict at new widths
# TensorFlow's multi-threaded CPU kernels add floats in a varying order, so two fits with the
# same random_state differ slightly (pooling='lp': by up to 0.035 in a probability after two
# epochs); deterministic kernels make every number here reproducible, at no measurable cost
tf.config.experimental.enable_op_determinism()

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("SKFASTTEXT_DATA", "/work/shared/data"))
# the article's model, fastText's settings (unigrams, mean pooling, every epoch run), not the
# estimators' defaults, which differ (docs/changelog.md)
ARTICLE = {"word_ngrams": 1, "pooling": "mean", "early_stopping": False}
AGE_GROUPS = np.array([12, 25, 35, 45, 60])  # lower bounds of the age groups
AGE_GROUP_NAMES = np.array(["12-24", "25-34", "35-44", "45-59", "60-80"])


def parse_args(doc, argv=None, **extra):
    """Common command line: ``--quick``, ``--out``, ``--data-dir``, ``--seed``.

    ``extra`` maps option names to ``add_argument`` keyword dicts.
    """
    parser = argparse.ArgumentParser(
        description=doc.strip().splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny smoke run (seconds; numbers mean nothing)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="where figures/NAME.png and figures/NAME.md go (default: %(default)s)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA,
        help="folder of the shared fastText-format data sets; skipped if missing "
        "(default: %(default)s, or $SKFASTTEXT_DATA)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of data and models")
    for name, kwargs in extra.items():
        parser.add_argument(name, **kwargs)
    return parser.parse_args(argv)


def age_corpus(n_train, n_test, seed=0, return_word_ages=False):
    """Train and test sets from one world of :func:`skfasttext.make_age_corpus`."""
    from skfasttext import make_age_corpus

    train = make_age_corpus(n_train, random_state=seed, return_word_ages=return_word_ages)
    test = make_age_corpus(n_test, random_state=seed + 1000)
    return train, test


def age_group(ages):
    """Index of each age's group in :data:`AGE_GROUP_NAMES`."""
    return np.searchsorted(AGE_GROUPS, np.asarray(ages), side="right") - 1


QUICK_SHARED = (600, 300)  # training and test documents of a shared set under --quick


def shared_dataset(name, args):
    """``(X_train, y_train, X_test, y_test)`` of a shared data set, or None if it is missing.

    From ``args.data_dir``; under ``args.quick``, random subsets of
    :data:`QUICK_SHARED` documents, seeded by ``args.seed``.
    """
    from skfasttext.io import read_fasttext

    paths = [Path(args.data_dir) / f"{name}.{part}.txt" for part in ("train", "test")]
    if not all(path.exists() for path in paths):
        print(f"[skip] {name}: {paths[0].parent} does not hold {name}.train/test.txt")
        return None
    rng = np.random.default_rng(args.seed)
    limits = QUICK_SHARED if args.quick else (None, None)
    out = []
    for path, limit in zip(paths, limits, strict=True):
        docs, labels = read_fasttext(path)
        docs, labels = np.array(docs, dtype=object), np.array(labels)
        if limit is not None and limit < len(docs):
            keep = np.sort(rng.choice(len(docs), limit, replace=False))
            docs, labels = docs[keep], labels[keep]
        out += [docs.tolist(), labels]
    return tuple(out)


def doc_lengths(docs):
    return np.array([len(doc.split()) for doc in docs])


def save_figure(fig, out, name):
    """Write ``out/figures/name.png`` at 100 dpi and return its path."""
    path = Path(out) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1024:.0f} KB)")
    return path


def markdown_table(headers, rows, align=None):
    """A GitHub/MyST pipe table; numbers are written as given (format them first)."""
    align = align or ["l"] + ["r"] * (len(headers) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _git(*args):
    return subprocess.run(["git", *args], cwd=HERE, capture_output=True, check=True).stdout


def commit():
    """The commit that made the skfasttext imported, or HEAD with '+' if none did.

    Modules are compared by their git blob hashes, so a run on a clean copy of a commit
    (``git archive COMMIT skfasttext``, on ``PYTHONPATH``) names that commit even if the
    working tree has uncommitted changes or HEAD has moved on since.
    """
    import skfasttext

    try:
        head = _git("rev-parse", "--short", "HEAD").decode().strip()
        files = sorted(Path(skfasttext.__file__).parent.glob("*.py"))
        hashes = _git("hash-object", *map(str, files)).decode().split()
        used = {path.name: blob for path, blob in zip(files, hashes, strict=True)}
        # the newest commit that changed the package and matches it introduced it
        # ":/": the package at the top of the repository, wherever git runs from
        for sha in _git("log", "-n", "200", "--format=%h", "--", ":/skfasttext/").decode().split():
            listing = _git("ls-tree", "--full-tree", sha, "skfasttext/").decode().splitlines()
            committed = {
                line.split("\t")[1].rpartition("/")[2]: line.split()[2]
                for line in listing
                if line.endswith(".py")
            }
            if committed == used:
                return sha
        return head + "+"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_table(out, name, sections, started, quick):
    """Write ``out/figures/name.md``: the tables, then how they were made.

    ``sections`` is a list of markdown blocks (tables, with a title line each).
    """
    path = Path(out) / "figures" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    script = f"docs/experiments/{name}.py"
    footer = (
        f"*`python {script}{' --quick' if quick else ''}`: "
        f"{time.time() - started:.0f} s on {os.cpu_count()} CPU cores, "
        f"skfasttext commit `{commit()}`, Python {sys.version.split()[0]}.*"
    )
    path.write_text("\n\n".join([*sections, footer]) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return path


def fmt(x, digits=3):
    return f"{x:.{digits}f}"
