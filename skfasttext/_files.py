"""Files written atomically: a reader never sees half a file."""

import contextlib
import os
import uuid

__all__ = ["atomic_open"]


@contextlib.contextmanager
def atomic_open(path, mode="w", *, encoding=None):
    """Open a temporary file next to ``path`` and move it over ``path`` when the block succeeds.

    A reader never sees a half-written file, and a failed write (an exception in
    the block) leaves any old file untouched and no temporary file behind.
    ``mode`` is ``"w"`` (text, ``"\\n"`` line endings) or ``"wb"``.
    """
    path = os.fsdecode(path)
    directory, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{base}.{uuid.uuid4().hex[:12]}.tmp")
    # os.open with 0o666 lets the umask decide the mode, as for a plain open().
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        text = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
        with open(fd, mode, **text) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
