"""Reminders of "Mes salariés" run batch after batch (F6.2): a selection sent in chunks of ``REMINDER_BATCH``,
"Relancer tous les non activés" walked with the server's ``after_id`` cursor, one committed batch per call,
behind a determinate progress dialog whose "Annuler" stops after the current batch (:mod:`batch_run`).

Starting again after a stop or a failure is safe: the server skips whoever was reminded less than 24 hours
ago.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from coffreo_desktop.client.employees import NO_REMINDER, EmployeesApi, ReminderOutcome, reminder_chunks
from coffreo_desktop.client.errors import SessionExpired
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.batch_run import BatchProgress, BatchRun
from coffreo_desktop.gui.employee_model import reminder_text
from coffreo_desktop.gui.i18n import counted, fill_in, number

log = logging.getLogger(__name__)


class ReminderProgress(BatchProgress):
    """ "Relance en cours… 1 500 / 4 200". "Annuler" (or Échap, or closing) only asks to stop: the dialog
    stays until the batch under way is answered, so the user sees the run end. Its parent is the window
    (it is window-modal) but its life is the run's."""

    def __init__(self, parent: QWidget, run: ReminderRun) -> None:
        super().__init__(parent, run)
        self.setObjectName("reminderProgress")
        self.setWindowTitle(self.tr("Relance des salariés"))
        self.setCancelButtonText(self.tr("Annuler"))


class ReminderRun(BatchRun):
    """One "Relancer" of the page. ``finished`` carries the summary for the result label; after it,
    ``outcome`` holds every batch's answer merged, ``stopped``/``error`` say why it ended early."""

    def __init__(self, parent: QWidget, api: EmployeesApi, agency_id: int) -> None:
        super().__init__(parent)
        self.api = api
        self.agency_id = agency_id
        self.outcome = NO_REMINDER
        self.total: int | None = None  # employees to look at, known or estimated
        self.error_box: QMessageBox | None = None
        self._pending: list[list[int]] = []  # the selection's chunks still to send
        self._all = False

    @property
    def batches(self) -> int:
        return self.requests_done

    # ---- starting ------------------------------------------------------------------------------------
    def start_selection(self, employee_ids: list[int]) -> None:
        self.total = len(employee_ids)
        self._pending = reminder_chunks(employee_ids)
        self.start()

    def start_all(self, expected: int | None) -> None:
        """``expected``: the "non activés" count shown, the dialog's first total until the server says."""
        self._all = True
        self.total = expected
        self.start()

    # ---- the batches ---------------------------------------------------------------------------------
    def next_request(self) -> Coroutine[Any, Any, ReminderOutcome]:
        if self._all:
            return self.api.remind_all_batch(self.agency_id, self.outcome.next_after_id)
        return self.api.remind_chunk(self.agency_id, self._pending.pop(0))

    def more_to_do(self) -> bool:
        return self.outcome.next_after_id is not None if self._all else bool(self._pending)

    def absorb(self, answer: ReminderOutcome) -> None:
        self.outcome = self.outcome.merged(answer)
        if self._all:
            self.total = self.outcome.handled + answer.remaining

    def result_text(self) -> str:
        return reminder_text(self.outcome, stopped=self.stopped, failed=self.error is not None)

    def after_failure(self, exc: BaseException) -> None:
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

    # ---- the dialog ----------------------------------------------------------------------------------
    def make_dialog(self) -> ReminderProgress:
        return ReminderProgress(self.page.window(), self)

    def stopping_text(self) -> str:
        return self.tr("Arrêt après le lot en cours…")

    def progress(self) -> tuple[int, int | None]:
        return self.outcome.handled, self.total

    def progress_text(self) -> str:
        done = self.outcome.handled
        if self.total is None:
            return fill_in(self.tr("Relance en cours… %1"), number(done))
        return fill_in(self.tr("Relance en cours… %1 / %2"), number(done), number(max(self.total, done)))
