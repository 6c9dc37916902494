"""Writing files so that nothing is ever half-written: every writer of the project uses this.

The data goes to a temporary file beside the target, is flushed to disk, and replaces the
target with one rename: readers (the web server, rsync, a translator's editor) see the old
file or the new one, never a part, and a crash leaves the old file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Serialise compare-and-replace steps of cooperating writers in one directory."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_atomic(path: Path, data: str | bytes,
                 still_valid: Callable[[], bool] | None = None) -> bool:
    """Replace `path` by `data` atomically; False (nothing written) if `still_valid()`, asked
    at the last moment under the directory lock, says the write must not happen."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # Keep an existing file's mode; a new one gets the umask's (mkstemp makes it 0600).
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if still_valid is None:
            os.replace(temporary, path)
            return True
        with locked(path.parent):
            if not still_valid():
                return False
            os.replace(temporary, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
