"""A "relancer" of "Mes clients" (F6.3): the selection sent ``CLIENT_REMINDER_BATCH`` clients per request
behind a progress dialog whose "Annuler" stops between requests (:class:`ClientReminderRun`, on
:mod:`batch_run`), and the French sentence of its result: who was reminded, who was not, why and from when."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.clients import ClientsApi, ReminderReport, client_reminder_chunks
from coffreo_desktop.gui.batch_run import BatchProgress, BatchRun
from coffreo_desktop.gui.i18n import NAMES_SHOWN, PARIS, counted, fill_in, names_cut, number, translate


def report_text(report: ReminderReport, *, users: bool = False) -> str:
    """E.g. "2 clients relancés. Non relancés : Beta (possible à partir du 17/03/2026 à 10:30)."."""
    if users:
        done = counted(
            report.reminded,
            translate("ClientReminders", "utilisateur relancé"),
            translate("ClientReminders", "utilisateurs relancés"),
        )
    else:
        done = counted(
            report.reminded,
            translate("ClientReminders", "client relancé"),
            translate("ClientReminders", "clients relancés"),
        )
    parts = [done + "."]
    # Clients not reminded, then, in a bulk reminder, users left out inside the clients reminded.
    not_reminded = [*report.skipped, *report.skipped_users]
    if not_reminded:
        reasons = []
        for skipped in not_reminded:
            if skipped.until is not None:
                local = skipped.until.astimezone(PARIS)
                why = fill_in(
                    translate("ClientReminders", "déjà relancé : possible à partir du %1 à %2"),
                    local.strftime("%d/%m/%Y"),
                    local.strftime("%H:%M"),
                )
            else:
                why = skipped.reason.rstrip(".") or translate("ClientReminders", "personne à relancer")
            reasons.append(f"{skipped.name} ({why})")
        listed = names_cut(reasons, NAMES_SHOWN, separator=" ; ")
        parts.append(translate("ClientReminders", "Non relancés : ") + listed + ".")
    return " ".join(parts)


def run_text(run: ClientReminderRun) -> str:
    """The result of a run: stopped by "Annuler" or an error, it says so, and that starting again is safe."""
    text = report_text(run.report)
    if run.stopped:
        text = translate("ClientReminders", "Relance arrêtée à votre demande.") + " " + text
    elif run.error is not None:
        text = translate("ClientReminders", "Relance interrompue par une erreur.") + " " + text
    if run.stopped or run.error is not None:
        text += " " + translate(
            "ClientReminders",
            "Relancer de nouveau continue sans risque : les utilisateurs déjà relancés sont ignorés.",
        )
    return text


class ClientReminderRun(BatchRun):
    """One "Relancer" of the page: a request per chunk of the selection, one after the other. ``finished``
    at the end; then ``report`` holds the chunks' answers merged, ``stopped``/``error`` why it ended early
    (``chunks_done``: how many chunks were answered before). The page tells the result and any error."""

    #: "Annuler" hides the dialog at once; the run ends after the request under way.
    KEEP_DIALOG_ON_STOP = False

    def __init__(self, page: QWidget, api: ClientsApi, agency_id: int, client_ids: list[int]) -> None:
        super().__init__(page)
        self.api = api
        self.agency_id = agency_id
        self.chunks = client_reminder_chunks(client_ids)
        self.total = sum(len(chunk) for chunk in self.chunks)
        self.handled = 0  # clients of the chunks answered
        self.report = ReminderReport(reminded=0, skipped=[])

    @property
    def chunks_done(self) -> int:
        return self.requests_done

    def wants_dialog(self) -> bool:
        return len(self.chunks) > 1

    def next_request(self) -> Coroutine[Any, Any, ReminderReport]:
        return self.api.remind_clients_chunk(self.agency_id, self.chunks[self.chunks_done])

    def absorb(self, answer: ReminderReport) -> None:
        self.handled += len(self.chunks[self.chunks_done])
        self.report = self.report.merged(answer)

    def more_to_do(self) -> bool:
        return self.chunks_done < len(self.chunks)

    def result_text(self) -> str:
        return run_text(self)

    def make_dialog(self) -> BatchProgress:
        # Parented to the page: if the page goes (pages rebuilt for a new profile), the dialog goes too.
        dialog = BatchProgress(self.page, self)
        dialog.setObjectName("clientReminderProgress")
        dialog.setWindowTitle(self.tr("Relance des clients"))
        dialog.setCancelButtonText(self.tr("Annuler"))
        return dialog

    def progress(self) -> tuple[int, int | None]:
        return self.handled, self.total

    def progress_text(self) -> str:
        return fill_in(self.tr("Relance en cours… %1 / %2 clients"), number(self.handled), number(self.total))
