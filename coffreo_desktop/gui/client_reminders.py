"""A "relancer" of "Mes clients" (F6.3): the selection sent ``CLIENT_REMINDER_BATCH`` clients per request
behind a progress dialog whose "Annuler" stops between requests (:class:`ClientReminderRun`), and the
French sentence of its result: how many were reminded, who was not, with why and from when."""

from __future__ import annotations

import logging
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from coffreo_desktop.client.clients import ClientsApi, ReminderReport, client_reminder_chunks
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui.i18n import counted, fill_in, number
from coffreo_desktop.gui.tasks import Task

log = logging.getLogger(__name__)

#: Clients or users written out in a result before "… et 1 234 autres": readable after thousands.
NAMES_SHOWN = 5

#: The progress dialog waits this long before showing: a quick answer comes without a flash.
PROGRESS_DELAY_MS = 300

_PARIS = ZoneInfo(DISPLAY_TZ)


def _tr(text: str) -> str:
    # Strings are marked with QT_TRANSLATE_NOOP at each call, where lupdate finds them.
    return QCoreApplication.translate("ClientReminders", text)


def report_text(_parent: QWidget | None, report: ReminderReport, *, users: bool = False) -> str:
    """E.g. "2 clients relancés. Non relancés : Beta (possible à partir du 17/03/2026 à 10:30)."."""
    if users:
        done = counted(
            report.reminded,
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "utilisateur relancé")),
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "utilisateurs relancés")),
        )
    else:
        done = counted(
            report.reminded,
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "client relancé")),
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "clients relancés")),
        )
    parts = [done + "."]
    # Clients not reminded, then, in a bulk reminder, users left out inside the clients reminded.
    not_reminded = [*report.skipped, *report.skipped_users]
    if not_reminded:
        reasons = []
        for skipped in not_reminded:
            if skipped.until is not None:
                local = skipped.until.astimezone(_PARIS)
                why = fill_in(
                    _tr(QT_TRANSLATE_NOOP("ClientReminders", "déjà relancé : possible à partir du %1 à %2")),
                    local.strftime("%d/%m/%Y"),
                    local.strftime("%H:%M"),
                )
            else:
                why = skipped.reason.rstrip(".") or _tr(
                    QT_TRANSLATE_NOOP("ClientReminders", "personne à relancer")
                )
            reasons.append(f"{skipped.name} ({why})")
        listed = " ; ".join(reasons[:NAMES_SHOWN])
        if len(reasons) > NAMES_SHOWN:
            others = counted(
                len(reasons) - NAMES_SHOWN,
                _tr(QT_TRANSLATE_NOOP("ClientReminders", "autre")),
                _tr(QT_TRANSLATE_NOOP("ClientReminders", "autres")),
            )
            listed += " " + fill_in(_tr(QT_TRANSLATE_NOOP("ClientReminders", "… et %1")), others)
        parts.append(_tr(QT_TRANSLATE_NOOP("ClientReminders", "Non relancés : ")) + listed + ".")
    return " ".join(parts)


def run_text(run: ClientReminderRun) -> str:
    """The result of a run: stopped by "Annuler" or an error, it says so, and that starting again is safe."""
    text = report_text(None, run.report)
    if run.stopped:
        text = _tr(QT_TRANSLATE_NOOP("ClientReminders", "Relance arrêtée à votre demande.")) + " " + text
    elif run.error is not None:
        text = _tr(QT_TRANSLATE_NOOP("ClientReminders", "Relance interrompue par une erreur.")) + " " + text
    if run.stopped or run.error is not None:
        text += " " + _tr(
            QT_TRANSLATE_NOOP(
                "ClientReminders",
                "Relancer de nouveau continue sans risque : les utilisateurs déjà relancés sont ignorés.",
            )
        )
    return text


class ClientReminderRun(QObject):
    """One "Relancer" of the page: a request per chunk of the selection, one after the other. ``finished``
    at the end; then ``report`` holds the chunks' answers merged, ``stopped``/``error`` why it ended early
    (``chunks_done``: how many chunks were answered before)."""

    finished = Signal()

    def __init__(self, page: QWidget, api: ClientsApi, agency_id: int, client_ids: list[int]) -> None:
        super().__init__(page)  # deleted with its page: its requests' answers then reach nobody
        self.page = page
        self.api = api
        self.agency_id = agency_id
        self.chunks = client_reminder_chunks(client_ids)
        self.total = sum(len(chunk) for chunk in self.chunks)
        self.handled = 0  # clients of the chunks answered
        self.chunks_done = 0
        self.report = ReminderReport(reminded=0, skipped=[])
        self.stop_asked = False
        self.stopped = False
        self.error: BaseException | None = None
        self.running = False
        self.dialog: QProgressDialog | None = None

    def start(self) -> None:
        self.running = True
        if len(self.chunks) > 1:
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialog)
        self._next()

    def cancel(self) -> None:
        """Stop after the request under way (the server commits it either way)."""
        self.stop_asked = True
        if self.dialog is not None:  # hidden by its own "Annuler": not shown again by a later answer
            self.dialog.deleteLater()
            self.dialog = None

    def _next(self) -> None:
        chunk = self.chunks[self.chunks_done]
        Task(self, self.api.remind_clients_chunk(self.agency_id, chunk)).on_success(
            partial(self._chunk_done, len(chunk))
        ).on_failure(self._chunk_failed).run()

    def _chunk_done(self, size: int, answer: ReminderReport) -> None:
        self.chunks_done += 1
        self.handled += size
        self.report = self.report.merged(answer)
        self._update_dialog()
        if self.chunks_done == len(self.chunks):
            self._finish()
        elif self.stop_asked:
            self.stopped = True
            self._finish()
        else:
            self._next()

    def _chunk_failed(self, exc: BaseException) -> None:
        log.warning("client reminders stopped by an error after %s chunks: %s", self.chunks_done, exc)
        self.error = exc
        self._finish()

    def _finish(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit()
        self.deleteLater()  # its results are read by now: nothing stays behind

    def _show_dialog(self) -> None:
        if not self.running or self.dialog is not None or self.stop_asked:
            return
        # Parented to the page: if the page goes (pages rebuilt for a new profile), the dialog goes too.
        dialog = QProgressDialog(self.page)
        dialog.setObjectName("clientReminderProgress")
        dialog.setWindowTitle(self.tr("Relance des clients"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        dialog.setCancelButtonText(self.tr("Annuler"))
        dialog.canceled.connect(self.cancel)  # the dialog hides; the run ends after the request under way
        self.dialog = dialog
        self._update_dialog()
        dialog.show()

    def progress_text(self) -> str:
        return fill_in(self.tr("Relance en cours… %1 / %2 clients"), number(self.handled), number(self.total))

    def _update_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(self.total)
            self.dialog.setValue(self.handled)
            self.dialog.setLabelText(self.progress_text())
