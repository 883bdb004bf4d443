"""A guard against a PySide6 6.12 defect on Python 3.11: void and bool methods return None, True and
False without taking a reference (harmless on 3.12+, where those objects are immortal).

On 3.11 every such call (``setText``, ``setValue``, ``processEvents``…) takes one reference away, and
after a few thousand calls Python aborts with "deallocating None". We give the three singletons the
immortality they have on 3.12: a reference count no session can wear down. Measured: each of 100 calls
of ``QLabel.setText`` lowers ``sys.getrefcount(None)`` by 100 with PySide6 6.12.0 on 3.11, by 0 on 6.11.
"""

from __future__ import annotations

import ctypes
import sys

#: Far more references than any session can drop (one per Qt call): 2**40 calls.
_RESERVE = 1 << 40
_done = False


def protect_singletons() -> None:
    """Idempotent; a no-op on Python 3.12+ (immortal objects)."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        # ob_refcnt is the object's first field (a Py_ssize_t) on CPython.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    _done = True


protect_singletons()


def keep_gc_pauses_short() -> None:
    """Take the objects alive now out of the cyclic collector's sight (``gc.freeze``).

    A full collection walks every tracked object: with PySide6, httpx and pypdf loaded that is 100–160 ms
    on the UI thread, a visible freeze during a long send (tests/bench/test_diffusion_send_bench.py). What
    is alive once the main window is up (modules, classes, the window's wrappers) lives as long as the app,
    so later collections need only walk what was made since. Called once, when the main window opens.
    """
    import gc

    gc.freeze()
