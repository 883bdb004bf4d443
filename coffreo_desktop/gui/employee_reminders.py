"""Reminders of "Mes salariés" run batch after batch (F6.2): a selection sent in chunks of ``REMINDER_BATCH``,
"Relancer tous les non activés" walked with the server's ``after_id`` cursor, one committed batch per call,
behind a determinate progress dialog whose "Annuler" stops after the current batch.

Each batch is its own :class:`Task`; stopping or failing between two loses nothing, and starting again is
safe: the server skips whoever was reminded less than 24 hours ago.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from coffreo_desktop.client.employees import NO_REMINDER, EmployeesApi, ReminderOutcome, reminder_chunks
from coffreo_desktop.client.errors import SessionExpired
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.employee_model import reminder_text
from coffreo_desktop.gui.i18n import counted, fill_in, number
from coffreo_desktop.gui.tasks import Task

log = logging.getLogger(__name__)

#: The dialog waits this long before showing: a small selection answers without a flash.
PROGRESS_DELAY_MS = 300

Batch = Callable[[], Coroutine[Any, Any, ReminderOutcome]]


class ReminderProgress(QProgressDialog):
    """ "Relance en cours… 1 500 / 4 200". "Annuler" (or Échap, or closing) only asks to stop: the dialog
    stays until the batch under way is answered, so the user sees the run end.

    Its parent is the window (it is window-modal) but its life is the run's: if the run goes first (its
    page deleted, e.g. pages rebuilt for a new profile), the dialog goes too and never blocks the window."""

    def __init__(self, parent: QWidget, run: ReminderRun) -> None:
        super().__init__(parent)
        self.run = run
        run.destroyed.connect(self.deleteLater)
        self.setObjectName("reminderProgress")
        self.setWindowTitle(self.tr("Relance des salariés"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(420)
        self.setCancelButtonText(self.tr("Annuler"))
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


class ReminderRun(QObject):
    """One "Relancer" of the page. ``finished`` carries the summary for the result label; after it,
    ``outcome`` holds every batch's answer merged, ``stopped``/``error`` say why it ended early."""

    finished = Signal(str)

    def __init__(self, parent: QWidget, api: EmployeesApi, agency_id: int) -> None:
        super().__init__(parent)
        self.page = parent
        self.api = api
        self.agency_id = agency_id
        self.outcome = NO_REMINDER
        self.total: int | None = None  # employees to look at, known or estimated
        self.batches = 0
        self.stop_asked = False
        self.stopped = False
        self.error: BaseException | None = None
        self.running = False
        self.dialog: ReminderProgress | None = None
        self.error_box: QMessageBox | None = None
        self._pending: list[Batch] = []  # the selection's chunks still to send
        self._all = False

    # ---- starting ------------------------------------------------------------------------------------
    def start_selection(self, employee_ids: list[int]) -> None:
        self.total = len(employee_ids)
        self._pending = [self._chunk(chunk) for chunk in reminder_chunks(employee_ids)]
        self._start()

    def start_all(self, expected: int | None) -> None:
        """``expected``: the "non activés" count shown, the dialog's first total until the server says."""
        self._all = True
        self.total = expected
        self._start()

    def _chunk(self, ids: list[int]) -> Batch:
        return lambda: self.api.remind_chunk(self.agency_id, ids)

    def _start(self) -> None:
        self.running = True
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialog)
        self._next()

    def cancel(self) -> None:
        """Stop after the batch under way (it is committed by the server either way)."""
        if not self.running:
            return
        self.stop_asked = True
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("Arrêt après le lot en cours…"))
            for button in self.dialog.findChildren(QPushButton):  # asked once: no second click to wait on
                button.setEnabled(False)

    # ---- the batches ---------------------------------------------------------------------------------
    def _next(self) -> None:
        if self._all:
            after = self.outcome.next_after_id
            work = self.api.remind_all_batch(self.agency_id, after)
        else:
            work = self._pending.pop(0)()
        Task(self.page, work).on_success(self._batch_done).on_failure(self._batch_failed).run()

    def _more_to_do(self) -> bool:
        return self.outcome.next_after_id is not None if self._all else bool(self._pending)

    def _batch_done(self, answer: ReminderOutcome) -> None:
        self.batches += 1
        self.outcome = self.outcome.merged(answer)
        if self._all:
            self.total = self.outcome.handled + answer.remaining
        self._update_dialog()
        if not self._more_to_do():
            self._finish()
        elif self.stop_asked:
            self.stopped = True
            self._finish()
        else:
            self._next()

    def _batch_failed(self, exc: BaseException) -> None:
        self.error = exc
        log.warning("reminders stopped by an error after %s batches: %s", self.batches, type(exc).__name__)
        self._finish()
        if isinstance(exc, SessionExpired):
            errors.show_error(self.page, exc)  # back to the login dialog; the label says what was done
            return
        reminded = counted(self.outcome.reminded, self.tr("salarié relancé"), self.tr("salariés relancés"))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Relance interrompue"),
            fill_in(self.tr("La relance s'est arrêtée sur une erreur, après %1."), reminded),
            QMessageBox.StandardButton.Ok,
            self.page,
        )
        box.setObjectName("reminderErrorBox")
        advice = self.tr(
            "Vous pouvez relancer de nouveau sans risque : la relance reprend, et les salariés déjà relancés "
            "sont ignorés (une relance par 24 heures)."
        )
        detail = str(exc) if errors.is_user_facing(exc) else self.tr("Le détail est dans le journal.")
        if not errors.is_user_facing(exc):
            log.error("reminder batch failed", exc_info=exc)
        box.setInformativeText(f"{advice}\n\n{detail}")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.error_box = box
        box.open()  # never exec() inside a task callback (qasync)

    def _finish(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit(reminder_text(self.outcome, stopped=self.stopped, failed=self.error is not None))
        self.deleteLater()  # one run per "Relancer": nothing of it stays behind (its answers are read now)

    # ---- the dialog ----------------------------------------------------------------------------------
    def _show_dialog(self) -> None:
        if not self.running or self.dialog is not None:
            return
        self.dialog = ReminderProgress(self.page.window(), self)
        self.dialog.canceled.connect(self.cancel)
        self._update_dialog()
        self.dialog.show()
        if self.stop_asked:
            self.cancel()

    def progress_text(self) -> str:
        done = self.outcome.handled
        if self.total is None:
            return fill_in(self.tr("Relance en cours… %1"), number(done))
        return fill_in(self.tr("Relance en cours… %1 / %2"), number(done), number(max(self.total, done)))

    def _update_dialog(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        done = self.outcome.handled
        total = max(self.total or 0, done)
        dialog.setMaximum(total if total > 0 else 0)  # 0 / 0: a busy bar until the server gives a total
        dialog.setValue(done if total > 0 else 0)
        if not self.stop_asked:
            dialog.setLabelText(self.progress_text())
