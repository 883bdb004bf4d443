"""A long action sent request after request (the reminders of F6.2 and F6.3): :class:`BatchRun` walks the
requests behind a delayed :class:`BatchProgress` dialog whose "Annuler" stops after the request under way.

Each request is its own :class:`Task` and is committed by the server on its own: stopping or failing
between two loses nothing. The subclasses say only what differs: the next request, how an answer merges,
what remains, and the dialog's texts.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from coffreo_desktop.gui.tasks import Task

log = logging.getLogger(__name__)

#: The dialog waits this long before showing: a quick answer comes without a flash.
PROGRESS_DELAY_MS = 300


class BatchProgress(QProgressDialog):
    """The run's progress. "Annuler" (or Échap, or closing) only asks the run to stop: the run decides
    whether the dialog stays until the request under way is answered.

    Its life is the run's: if the run goes first (its page deleted, e.g. pages rebuilt for a new profile),
    the dialog goes too and never blocks the window. The caller sets the title and the button's text."""

    def __init__(self, parent: QWidget, run: BatchRun) -> None:
        super().__init__(parent)
        self.run = run
        run.destroyed.connect(self.deleteLater)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(420)
        self.canceled.disconnect(self.cancel)  # QProgressDialog would hide itself at once

    def run_going(self) -> bool:
        return shiboken6.isValid(self.run) and self.run.running

    def reject(self) -> None:
        if self.run_going():
            self.canceled.emit()
        else:  # nobody left to answer: closing must not wait for an end that will not come
            super().reject()
            self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run_going():
            event.ignore()
            self.canceled.emit()
        else:
            event.accept()
            self.deleteLater()


class BatchRun(QObject):
    """One run of requests, one after the other. ``finished`` carries :meth:`result_text` at the end;
    then ``stopped``/``error`` say why it ended early and ``requests_done`` how many were answered."""

    finished = Signal(str)

    #: "Annuler" keeps the dialog, saying it stops after the request under way (:meth:`stopping_text`);
    #: otherwise the dialog goes at once and the run ends quietly.
    KEEP_DIALOG_ON_STOP = True

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)  # deleted with its page: its requests' answers then reach nobody
        self.page = page
        self.requests_done = 0
        self.stop_asked = False
        self.stopped = False
        self.error: BaseException | None = None
        self.running = False
        self.dialog: BatchProgress | None = None

    # ---- what the subclasses give --------------------------------------------------------------------
    def next_request(self) -> Coroutine[Any, Any, Any]:
        """The request to send now (``requests_done`` were answered before)."""
        raise NotImplementedError

    def absorb(self, answer: Any) -> None:
        """Merge the answer of the request under way (``requests_done`` not counted it yet)."""
        raise NotImplementedError

    def more_to_do(self) -> bool:
        raise NotImplementedError

    def progress(self) -> tuple[int, int | None]:
        """(done, total): ``None`` while the total is unknown."""
        raise NotImplementedError

    def progress_text(self) -> str:
        raise NotImplementedError

    def make_dialog(self) -> BatchProgress:
        """A :class:`BatchProgress` with its title, object name and "Annuler" text."""
        raise NotImplementedError

    def result_text(self) -> str:
        raise NotImplementedError

    def stopping_text(self) -> str:
        return ""

    def wants_dialog(self) -> bool:
        return True

    def after_failure(self, exc: BaseException) -> None:
        """Said to the user once the run has ended on ``exc`` (nothing by default: the page tells)."""

    # ---- the run -------------------------------------------------------------------------------------
    def start(self) -> None:
        self.running = True
        if self.wants_dialog():
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialog)
        self._next()

    def cancel(self) -> None:
        """Stop after the request under way (the server commits it either way)."""
        if not self.running:
            return
        self.stop_asked = True
        dialog = self.dialog
        if dialog is None:
            return
        if self.KEEP_DIALOG_ON_STOP:
            dialog.setLabelText(self.stopping_text())
            for button in dialog.findChildren(QPushButton):  # asked once: no second click to wait on
                button.setEnabled(False)
        else:  # hidden by its own "Annuler": not shown again by a later answer
            dialog.deleteLater()
            self.dialog = None

    def _next(self) -> None:
        Task(self, self.next_request()).on_success(self._answered).on_failure(self._failed).run()

    def _answered(self, answer: Any) -> None:
        self.absorb(answer)
        self.requests_done += 1
        self._update_dialog()
        if not self.more_to_do():
            self._finish()
        elif self.stop_asked:
            self.stopped = True
            self._finish()
        else:
            self._next()

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        log.warning(
            "%s stopped by an error after %s requests: %s",
            type(self).__name__,
            self.requests_done,
            type(exc).__name__,
        )
        self._finish()
        self.after_failure(exc)

    def _finish(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit(self.result_text())
        self.deleteLater()  # one run per click: nothing of it stays behind (its results are read now)

    # ---- the dialog ----------------------------------------------------------------------------------
    def _show_dialog(self) -> None:
        if not self.running or self.dialog is not None:
            return
        if self.stop_asked and not self.KEEP_DIALOG_ON_STOP:
            return
        self.dialog = self.make_dialog()
        self.dialog.canceled.connect(self.cancel)
        self._update_dialog()
        self.dialog.show()
        if self.stop_asked:
            self.cancel()  # asked before the dialog showed: it says so at once

    def _update_dialog(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        done, known = self.progress()
        total = max(known or 0, done)
        dialog.setMaximum(total if total > 0 else 0)  # 0 / 0: a busy bar until the server gives a total
        dialog.setValue(done if total > 0 else 0)
        if not self.stop_asked:
            dialog.setLabelText(self.progress_text())
