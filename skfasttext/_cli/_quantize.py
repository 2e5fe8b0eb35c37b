"""quantize: a model file made much smaller, as fastText's .ftz."""

import contextlib
import os
import sys
import time

from ._common import load_model, log, model_path, read_model_labelled


def quantize(args):
    """Quantize OUTPUT.skft as fastText does: fewer rows (-cutoff), each coded in bytes
    (-dsub), retrained first on -input (-retrain); write OUTPUT.ftz."""
    path = model_path(args.output)
    model = load_model(path)
    data = {}
    if args.retrain:
        if args.input is None:
            raise ValueError("-retrain trains the kept rows again on -input: pass the file.")
        data = dict(zip(("X", "y"), read_model_labelled(args.input, model), strict=True))
    start = time.perf_counter()
    verbose = model.verbose  # the command's progress bar, not the saved model's setting
    with contextlib.redirect_stdout(sys.stderr):
        model.set_params(verbose=1 if args.verbose >= 2 else 0)
        names = ["cutoff", "dsub", "qnorm", "qout", "retrain", "epoch", "lr"]
        model.quantize(**data, **{name: getattr(args, name) for name in names})
    model.set_params(verbose=verbose)
    out = os.path.splitext(path)[0] + ".ftz"
    model.save(out)
    log(args.verbose, f"Quantized in {time.perf_counter() - start:.1f}s: {model.input_dim_} rows")
    log(args.verbose, f"Saved {type(model).__name__} to {out}")
    return 0
