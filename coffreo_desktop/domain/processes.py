"""Worker processes shared by the desktop (bulk PDF checks) and the server (demo PDFs): when spawning is
safe, and workers that leave with their parent. Standard library only."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path


def safe_to_spawn() -> bool:
    """Spawned workers run the main script again: only when it is guarded by ``__name__ == "__main__"``.

    A frozen (PyInstaller) app would start itself again in each worker (no freeze_support()): never there.
    """
    if getattr(sys, "frozen", False):
        return False
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    path = getattr(main, "__file__", None)
    if name.endswith("__main__") or path is None:
        return True  # `python -m package`, an interactive session: multiprocessing runs nothing again
    try:
        return "__main__" in Path(path).read_text(encoding="utf-8", errors="ignore")
    except OSError:
        return False


def leave_with_parent() -> None:
    """Pool initializer: the worker leaves when its parent dies, however it died (else it would wait
    forever on its task queue). The parent's sentinel is ready once it has ended, on POSIX and Windows."""
    parent = multiprocessing.parent_process()

    def leave() -> None:
        if parent is not None:
            parent.join()
            os._exit(1)

    threading.Thread(target=leave, name="leave-with-parent", daemon=True).start()
