"""Files that hold customer data are readable and writable by their owner only (mode 0600).

The process umask decides the mode of a file opened the usual way (0644 with the common 022), so
databases and exports were world-readable. Here the mode is given when the file is created, and
an existing file is narrowed to it when it is opened for writing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

PRIVATE_MODE = 0o600
log = logging.getLogger(__name__)


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """``path`` opened for writing from empty (``mode`` "wb" or "w", ``kwargs`` as for
    ``open``), created 0600, or narrowed to 0600 when it existed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)  # an existing file keeps its own mode through open()
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as out:
        out.write(data)


def create_private(path: Path, companions: Iterable[Path] = ()) -> None:
    """``path`` created empty with mode 0600 unless it exists, then it and the ``companions``
    that exist (a database's -wal and -shm files) narrowed to 0600. A file of another owner
    cannot be changed: a warning says so."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    for each in (path, *companions):
        try:
            if stat.S_IMODE(each.stat().st_mode) & 0o077:
                each.chmod(PRIVATE_MODE)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("%s is readable by other users and belongs to another user: make it "
                        "private with `chmod 600 %s`.", each, each)
