"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_text"]


def atomic_write(path, write, mode=0o644):
    """Write ``path`` through ``write(temporary_path)``, then move it into place.

    Parameters
    ----------
    path : str or Path
        Final path; its folder is created if missing.
    write : callable
        Called with the path of a temporary file in the same folder; writes the content.
    mode : int, default 0o644
        Permissions of the written file (a temporary file is created private).

    Returns
    -------
    Path
        The final path. If ``write`` fails, the temporary file is removed and an existing
        file at ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically, flushed to disk; see ``atomic_write``."""

    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())

    return atomic_write(path, write)
