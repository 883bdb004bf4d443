"""One shape for background work (STYLE.md point 2), modelled on Anki's ``QueryOp``.

    Task(self, self.api.me()).on_success(self._show_me).with_progress(self.tr("Chargement…")).run()

A coroutine runs on the qasync loop; a blocking callable runs in an executor (``Lane.STORE``: one
thread for the keyring and SQLite, which dislike concurrent use; ``Lane.NETWORK``: a small pool).
Callbacks always run on the UI thread, and are dropped if the parent widget was destroyed meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from coffreo_desktop.gui import errors

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``report(done, total, message)``: a thread-safe progress callback handed to the work.
Progress = Callable[[int, int, str], None]


class Lane(Enum):
    """Which executor a blocking callable runs in."""

    NETWORK = "network"
    STORE = "store"


_LANE_WORKERS = {Lane.NETWORK: 4, Lane.STORE: 1}
_executors: dict[Lane, ThreadPoolExecutor] = {}
# The event loop only holds weak references to its tasks: running ones are kept alive here.
_running: set[Task[Any]] = set()


def executor(lane: Lane) -> ThreadPoolExecutor:
    if lane not in _executors:
        _executors[lane] = ThreadPoolExecutor(_LANE_WORKERS[lane], thread_name_prefix=f"coffreo-{lane.value}")
    return _executors[lane]


async def in_lane(lane: Lane, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Await a blocking call in ``lane`` from a coroutine (client code takes it as its ``run_blocking``)."""
    call = functools.partial(fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(executor(lane), call)


def shutdown_executors() -> None:
    """At exit: forget queued work, do not wait for a hung keyring or network call."""
    for pool in _executors.values():
        pool.shutdown(wait=False, cancel_futures=True)
    _executors.clear()


def running_tasks() -> int:
    return len(_running)


def _event_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


Work = Coroutine[Any, Any, T] | Callable[..., T] | Callable[..., Awaitable[T]]


class Task(Generic[T]):
    """A piece of background work with success, failure and progress callbacks on the UI thread."""

    def __init__(
        self, parent: QObject, work: Work[T], *, lane: Lane = Lane.NETWORK, reports_progress: bool = False
    ) -> None:
        self._parent = parent
        self._work = work
        self._lane = lane
        self._reports_progress = reports_progress
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._finished: Callable[[], None] | None = None
        self._progress_label: str | None = None
        self._progress_delay_ms = 300
        self._cancellable = False
        self._dialog: QProgressDialog | None = None
        self._future: asyncio.Future[T] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ui_thread = threading.get_ident()
        self._destroyed_connection: Any = None
        self.done = False
        self.cancelled = False
        self.last_progress: tuple[int, int, str] | None = None

    # ---- configuration (fluent) ------------------------------------------------------------------
    def on_success(self, fn: Callable[[T], None]) -> Task[T]:
        self._success = fn
        return self

    def on_failure(self, fn: Callable[[BaseException], None]) -> Task[T]:
        """Replaces the default failure handling (a French message box, see ``errors.show_error``)."""
        self._failure = fn
        return self

    def on_finished(self, fn: Callable[[], None]) -> Task[T]:
        """Called after success or failure (not after a cancel): re-enable buttons here."""
        self._finished = fn
        return self

    def with_progress(self, label: str, *, delay_ms: int = 300, cancellable: bool = False) -> Task[T]:
        """Show a window-modal progress dialog if the work lasts longer than ``delay_ms``."""
        self._progress_label = label
        self._progress_delay_ms = delay_ms
        self._cancellable = cancellable
        return self

    # ---- running ---------------------------------------------------------------------------------
    def run(self) -> Task[T]:
        self._loop = _event_loop()
        awaitable = self._start_work(self._loop)
        self._future = asyncio.ensure_future(awaitable, loop=self._loop)
        _running.add(self)
        # Callbacks run from a done-callback, outside any asyncio task step, so that a slot may open
        # a dialog or start other tasks freely.
        self._future.add_done_callback(self._on_done)
        self._destroyed_connection = self._parent.destroyed.connect(self._on_parent_destroyed)
        if self._progress_label is not None:
            QTimer.singleShot(self._progress_delay_ms, self._show_progress)
        return self

    def _start_work(self, loop: asyncio.AbstractEventLoop) -> Awaitable[T]:
        work = self._work
        extra = (self.report,) if self._reports_progress else ()
        if inspect.iscoroutine(work):
            return work
        if inspect.iscoroutinefunction(work):
            return work(*extra)  # type: ignore[no-any-return, unused-ignore]
        if callable(work):
            return loop.run_in_executor(executor(self._lane), work, *extra)  # type: ignore[arg-type, unused-ignore]
        raise TypeError(f"Task: travail non reconnu : {work!r}")

    def cancel(self) -> None:
        """Stop waiting: a coroutine is cancelled, a blocking call finishes unheard."""
        if self.done:
            return
        self.cancelled = True
        # At exit the loop may be closed already (its timer object deleted): nothing is left to cancel.
        if self._future is not None and self._loop is not None and not self._loop.is_closed():
            self._future.cancel()
        self._close()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Thread-safe progress update; shown in the progress dialog when there is one."""
        if threading.get_ident() != self._ui_thread and self._loop is not None:
            self._loop.call_soon_threadsafe(self._apply_progress, done, total, message)
        else:
            self._apply_progress(done, total, message)

    # ---- internals -------------------------------------------------------------------------------
    def _parent_alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _on_parent_destroyed(self, *_: object) -> None:
        log.debug("task dropped: its parent widget was destroyed")
        self.cancel()

    def _show_progress(self) -> None:
        if self.done or self._progress_label is None or not self._parent_alive():
            return
        window = self._parent.window() if isinstance(self._parent, QWidget) else None
        dialog = QProgressDialog(self._progress_label, "", 0, 0, window)
        dialog.setWindowTitle(QCoreApplication.translate("Task", "Veuillez patienter"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(380)
        if self._cancellable:
            dialog.setCancelButtonText(QCoreApplication.translate("Task", "Annuler"))
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)  # type: ignore[arg-type, unused-ignore]
        self._dialog = dialog
        if self.last_progress is not None:
            self._apply_progress(*self.last_progress)
        dialog.show()

    def _apply_progress(self, done: int, total: int, message: str) -> None:
        self.last_progress = (done, total, message)
        dialog = self._dialog
        if dialog is None or not shiboken6.isValid(dialog):
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if message:
            dialog.setLabelText(message)

    def _on_done(self, future: asyncio.Future[T]) -> None:
        if self.done:
            return
        if future.cancelled():
            self._close()
            return
        self._close()
        if not self._parent_alive():
            return
        exc = future.exception()
        if exc is None:
            if self._success is not None:
                _call_safely(self._success, future.result())
        elif self._failure is not None:
            _call_safely(self._failure, exc)
        else:
            parent = self._parent if isinstance(self._parent, QWidget) else None
            _call_safely(errors.show_error, parent, exc)
        if self._finished is not None:
            _call_safely(self._finished)

    def _close(self) -> None:
        self.done = True
        _running.discard(self)
        if self._destroyed_connection is not None and self._parent_alive():
            QObject.disconnect(self._destroyed_connection)
        self._destroyed_connection = None
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.hide()
            self._dialog.deleteLater()
        self._dialog = None


def _call_safely(fn: Callable[..., object], *args: object) -> None:
    """A bug in a callback goes to the global exception hook, not into the task's failure path."""
    try:
        fn(*args)
    except Exception as exc:
        errors.report_exception(exc)
