"""Command line: fastText's commands, on skfasttext models.

  skfasttext supervised -input train.txt -output model [-dim 100 -epoch 5 -loss ova|hs|ns ...]
  skfasttext quantize -output model [-input train.txt -retrain -cutoff 100000 -dsub 2 ...]
  skfasttext test model.skft test.txt|- [k] [threshold]
  skfasttext test-label model.skft test.txt|- [k] [threshold]
  skfasttext predict model.skft test.txt|- [k] [threshold]
  skfasttext predict-prob model.skft test.txt|- [k] [threshold]
  skfasttext print-word-vectors model.skft < words.txt
  skfasttext print-ngrams model.skft word
  skfasttext print-sentence-vectors model.skft < documents.txt
  skfasttext nn model.skft [k] < words.txt
  skfasttext analogies model.skft [k] < triplets.txt
  skfasttext dump model.skft args|dict|input|output
  skfasttext demo

Commands, arguments and output follow fastText's, so scripts can swap the binary.
A model file (``.skft``) is a fitted FastTextClassifier or FastTextRegressor saved
with ``save``: ``skfasttext.load(path)`` gives it back in Python. Reading one runs no
code, so a downloaded model is safe to use.

TensorFlow starts quietly: its start-up lines are left out (and its C++ log level
is TF_CPP_MIN_LOG_LEVEL=3 unless you set one). Set SKFASTTEXT_TF_LOGS=1 to see them.
"""

import argparse
import contextlib
import os
import sys

from ._common import LABEL
from ._demo import demo
from ._dump import dump
from ._evaluate import test, test_label
from ._predict import predict, predict_prob
from ._quantize import quantize
from ._train import supervised
from ._vectors import analogies, nn, print_ngrams, print_sentence_vectors, print_word_vectors

__all__ = ["main"]


class _UsageError(Exception):
    """A command line argparse refused."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} -h)")


# -- the parser ---------------------------------------------------------------------


def _command(commands, name, handler, usage_help):
    parser = commands.add_parser(
        name, help=usage_help, description=handler.__doc__, allow_abbrev=False
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_k_threshold(parser):
    parser.add_argument(
        "k", nargs="?", type=int, default=1, help="labels per line, -1 for all (default 1)"
    )
    parser.add_argument(
        "threshold",
        nargs="?",
        type=float,
        default=0.0,
        help="leave out labels with a lower probability (default 0.0)",
    )


def _parser():
    parser = _Parser(
        prog="skfasttext",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    train = _command(commands, "supervised", supervised, "train a supervised model")
    option = train.add_argument
    option("-input", required=True, metavar="FILE", help="training file, fastText format")
    option("-output", required=True, metavar="MODEL", help="model file (.skft if no extension)")
    option("-dim", type=int, help="size of word vectors (default 100)")
    option("-lr", type=float, help="learning rate (default 0.1)")
    option("-epoch", type=int, help="number of epochs (default 5)")
    option("-minCount", dest="min_count", type=int, help="minimal count of a word (default 1)")
    option(
        "-minCountLabel",
        dest="min_count_label",
        type=int,
        help="minimal count of a label: rarer labels are dropped, lines left without one "
        "skipped (default 0)",
    )
    option("-wordNgrams", dest="word_ngrams", type=int, help="longest word n-gram (default 1)")
    option("-bucket", type=int, help="hash buckets of word and char n-grams (default 2000000)")
    option("-minn", type=int, help="min length of char n-grams (default 0)")
    option("-maxn", type=int, help="max length of char n-grams (default 0: none)")
    option("-label", default=LABEL, help=f"label prefix (default {LABEL})")
    option(
        "-pooling",
        choices=["mean", "sqrtn", "max", "lp"],
        help="word vector pooling (default mean)",
    )
    option(
        "-loss",
        choices=["softmax", "ova", "hs", "ns"],
        help="softmax; ova: one-vs-all, multi-label; hs: hierarchical softmax; ns: negative "
        "sampling (default softmax)",
    )
    option(
        "-neg", type=int, help="weight of the negatives a line, in draws, with -loss ns (default 5)"
    )
    option("-regression", action="store_true", help="labels are numbers: train a regressor")
    option(
        "-hiddenUnits",
        dest="hidden_units",
        type=int,
        help="tanh hidden units (default 0; 64 with -regression)",
    )
    option(
        "-noEos",
        dest="no_eos",
        action="store_true",
        help="do not end each line with </s> (fastText always does; so do we by default)",
    )
    option("-maxLen", dest="max_len", type=int, help="ids kept per document (default all)")
    option(
        "-pretrainedVectors",
        dest="pretrained_vectors",
        metavar="FILE",
        help="word vectors (.vec) to start from, for the words they hold",
    )
    option("-verbose", type=int, default=2, help="0 quiet, 1 summary, 2 progress bar (default 2)")
    option("-seed", type=int, default=0, help="random seed (default 0)")
    option("-thread", type=int, help="accepted for fastText scripts and ignored")
    # fastText scripts pass these; their job is done otherwise here (docs/cli.md)
    option("-lrUpdateRate", type=int, help="accepted and ignored: the rate decays every step")
    option(
        "-autotune-validation",
        metavar="FILE",
        help="search the settings that score best on this file (fastText format)",
    )
    option(
        "-autotune-metric",
        metavar="f1|f1:LABEL",
        help="the score searched: F1 of every label, or of one (default f1; MAE for -regression)",
    )
    option("-autotune-predictions", type=int, help="labels predicted a line, scored (default 1)")
    option(
        "-autotune-duration",
        type=float,
        help="seconds for the search and the final training (default 300)",
    )
    option(
        "-autotune-modelsize",
        metavar="SIZE",
        help="quantize the model to a file of at most SIZE bytes (2M, 500K): writes .ftz",
    )
    option("-saveOutput", action="store_true", help="accepted and ignored: models hold it")

    run = _command(commands, "quantize", quantize, "quantize a model: a much smaller file")
    option = run.add_argument
    option("-output", required=True, metavar="MODEL", help="the model: MODEL.skft, read")
    option("-input", metavar="FILE", help="training file, fastText format (for -retrain)")
    option("-cutoff", type=int, default=0, help="rows kept, those of largest norm (default all)")
    option("-dsub", type=int, default=2, help="values coded by one byte (default 2)")
    option("-qnorm", action="store_true", help="quantize the norms of the rows apart")
    option("-qout", action="store_true", help="quantize the output layer too")
    option("-retrain", action="store_true", help="train the kept rows again on -input")
    option("-epoch", type=int, help="epochs of -retrain (default the model's)")
    option("-lr", type=float, help="learning rate of -retrain (default the model's)")
    option("-verbose", type=int, default=2, help="0 quiet, 1 summary, 2 progress bar (default 2)")
    option("-thread", type=int, help="accepted for fastText scripts and ignored")

    documents = "documents, one a line; - reads stdin"
    labelled = "test file, fastText format; - reads stdin"
    for name, handler, usage_help, file_help in [
        ("test", test, "evaluate a model: N, P@k, R@k", labelled),
        (
            "test-label",
            test_label,
            "evaluate a classifier: F1, precision, recall of each label",
            labelled,
        ),
        ("predict", predict, "predict the most likely labels", documents),
        ("predict-prob", predict_prob, "predict labels with their probabilities", documents),
        ("print-word-vectors", print_word_vectors, "print word vectors of words on stdin", None),
        ("print-sentence-vectors", print_sentence_vectors, "print vectors of lines on stdin", None),
        ("nn", nn, "query nearest neighbours of words on stdin", None),
        ("analogies", analogies, "query analogies: triplets A B C on stdin", None),
        ("dump", dump, "print the arguments, vocabulary, input or output matrix", None),
    ]:
        run = _command(commands, name, handler, usage_help)
        run.add_argument("model", help="model file")
        if file_help is not None:  # the commands that label documents read from a file
            run.add_argument("file", help=file_help)
            _add_k_threshold(run)
    nn_k = "neighbours (default 10)"
    commands.choices["nn"].add_argument("k", nargs="?", type=int, default=10, help=nn_k)
    analogies_k = "nearest words (default 10)"
    commands.choices["analogies"].add_argument(
        "k", nargs="?", type=int, default=10, help=analogies_k
    )
    run = _command(commands, "print-ngrams", print_ngrams, "print a word's n-grams and vectors")
    run.add_argument("model", help="model file")
    run.add_argument("word", help="the word")
    commands.choices["dump"].add_argument(
        "option", choices=["args", "dict", "input", "output"], help="what to print"
    )

    run = _command(commands, "demo", demo, demo.__doc__)
    run.add_argument("--documents", type=int, default=20000, help="training documents")
    run.add_argument("--epoch", type=int, help="training epochs (default: the estimators')")
    return parser


def main(argv=None):
    """Run the ``skfasttext`` command line.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments, without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success; 1 after an error, reported in one line on stderr.

    Examples
    --------
    >>> from skfasttext.__main__ import main
    >>> main(["predict", "no-such-model.skft", "-"])
    1
    """
    try:
        args = _parser().parse_args(argv)
        return args.handler(args)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
    except BrokenPipeError:  # e.g. `skfasttext predict ... | head`: stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        return 130
    except (ValueError, TypeError, OSError, FloatingPointError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
            message = f"{exc.strerror}: {os.fsdecode(exc.filename)}"
        print(f"skfasttext: error: {message}", file=sys.stderr)
    return 1
