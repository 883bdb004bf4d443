"""Files written to the user's disk safely: a ".part" file beside the target, flushed and synced before the
rename, deleted on any failure (exports, CSV and payroll files)."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import IO


def temp_beside(target: Path) -> Path:
    """An empty ".part" file beside ``target``: the final rename stays on one file system (atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(name)


def sync_and_close(out: IO[bytes]) -> None:
    """Flush, fsync and close: a full disk is reported here, before the rename, not after."""
    out.flush()
    try:
        fd = out.fileno()
    except io.UnsupportedOperation:
        fd = None
    if fd is not None:
        # Some file systems report a full disk only here (delayed allocation, network shares).
        os.fsync(fd)
    out.close()


def discard(out: IO[bytes] | None, path: Path | None) -> None:
    """Close and delete a partial file, whatever state the disk is in."""
    if out is not None:
        with contextlib.suppress(Exception):  # a full disk fails the final flush too
            out.close()
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
