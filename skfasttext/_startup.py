"""A quiet start of TensorFlow for the command line.

``python -m skfasttext`` and the ``skfasttext`` script import the package, and so
TensorFlow, before the command runs: the package's ``__init__`` imports this
module first, which calls :func:`start_quietly`: it does something only there.
"""

import contextlib
import os
import sys
import tempfile

TF_LOGS = "SKFASTTEXT_TF_LOGS"  # set (and not 0): TensorFlow's start-up lines are shown


def _flush_stderr():
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()


@contextlib.contextmanager
def stderr_held():
    """Hold what the block writes to file descriptor 2; show it only if the block fails.

    TensorFlow's C++ code writes its start-up lines to the descriptor itself, where
    redirecting ``sys.stderr`` does not reach. The descriptor goes to a temporary file
    (not a pipe: nothing has to read it while the block runs) and is restored when the
    block ends, whatever happens in it; after an exception, what was held is written
    to stderr, before the exception goes on.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no file descriptor 2 (closed): nothing to hold
        yield
        return
    try:
        with tempfile.TemporaryFile() as held:
            _flush_stderr()
            os.dup2(held.fileno(), 2)
            try:
                yield
            except BaseException:
                _flush_stderr()
                os.dup2(saved, 2)
                held.seek(0)
                data = held.read()
                while data:
                    data = data[os.write(2, data) :]
                raise
            finally:
                _flush_stderr()
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _is_command_line():
    """Whether this process is ``python -m skfasttext ...`` or the ``skfasttext`` script."""
    argv = getattr(sys, "orig_argv", [])
    module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else None
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return module in ("skfasttext", "skfasttext.__main__") or script in (
        "skfasttext",
        "skfasttext.exe",
    )


def start_quietly():
    """Import TensorFlow and find its devices, without their lines on stderr.

    Only on the command line, where a newcomer's first run should not start with
    TensorFlow's start-up lines (some written at any ``TF_CPP_MIN_LOG_LEVEL``, and a
    failed CUDA initialization on a machine without a GPU). With ``SKFASTTEXT_TF_LOGS``
    set, and not to 0, TensorFlow starts, and logs, as it always does. Otherwise its C++
    log level is ``TF_CPP_MIN_LOG_LEVEL=3`` unless the variable is set already, and what
    is written to stderr while it starts is dropped, or shown if the start fails.
    """
    if not _is_command_line() or os.environ.get(TF_LOGS, "").strip() not in ("", "0"):
        return
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with stderr_held():
        import tensorflow as tf

        tf.config.list_physical_devices()  # not the logical ones: they stay configurable


start_quietly()
