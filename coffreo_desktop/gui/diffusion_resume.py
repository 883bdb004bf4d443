"""At start, the offer to resume a Diffusion libre batch that a crash, a closed app or a lost connection
cut (F3.9): resume, later, or drop it (confirmed)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from coffreo_desktop.client.diffusion_journal import ItemState, JournalBusy, SendJournal, journal_place
from coffreo_desktop.gui.diffusion_send_dialog import SendDialog, account_scope
from coffreo_desktop.gui.i18n import fill_in, number
from coffreo_desktop.gui.tasks import Lane, Task

log = logging.getLogger(__name__)


def offer_resume(window: QWidget, context: Any) -> None:
    """At start: when a batch of this account is unfinished, ask whether to resume it, later, or drop it."""
    scope = account_scope(context)

    def find() -> list[SendJournal]:
        folder, key = journal_place(context.session.credentials, scope)
        return SendJournal.unfinished(folder, key)

    Task(window, find, lane=Lane.STORE).on_success(lambda found: _ask(window, context, found)).on_failure(
        lambda exc: log.warning("Envois inachevés non lus : %s", type(exc).__name__)
    ).run()


def _ask(window: QWidget, context: Any, found: list[SendJournal]) -> None:
    if not found:
        return
    journal = found[0]
    counts = journal.counts()
    done = len(journal.items) - counts[ItemState.PENDING]
    when = journal.created_at.astimezone().strftime("%d/%m/%Y %H:%M")
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("DiffusionResume", "Envoi inachevé"))
    box.setText(
        fill_in(
            QCoreApplication.translate(
                "DiffusionResume",
                "L'envoi de %1 documents commencé le %2 (émetteur : %3) n'est pas terminé : %4 envoyés, "
                "%5 restent à envoyer.",
            ),
            number(len(journal.items)),
            when,
            journal.agency_name,
            number(done),
            number(counts[ItemState.PENDING]),
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "DiffusionResume", "Les documents déjà envoyés ne seront pas envoyés une seconde fois."
        )
    )
    resume = box.addButton(
        QCoreApplication.translate("DiffusionResume", "Reprendre l'envoi"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(
        QCoreApplication.translate("DiffusionResume", "Plus tard"), QMessageBox.ButtonRole.RejectRole
    )
    drop = box.addButton(
        QCoreApplication.translate("DiffusionResume", "Abandonner cet envoi"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.setDefaultButton(resume)

    def answered() -> None:
        clicked = box.clickedButton()
        if clicked is resume and journal.path is not None:
            dialog = SendDialog(context.session, account_scope(context), window)
            dialog.resume(journal.path)
            dialog.open()
        elif (
            clicked is drop and journal.path is not None and _confirm_drop(window, counts[ItemState.PENDING])
        ):
            _drop(window, context, journal.path)

    box.finished.connect(answered)
    box.open()


def _drop(window: QWidget, context: Any, path: Path) -> None:
    """Forget the batch under its lock (another window may be sending it: then it is kept and said),
    then offer the next unfinished batch, if any."""

    def discard() -> None:
        _folder, key = journal_place(context.session.credentials, account_scope(context))
        if key is None:
            raise JournalBusy()
        SendJournal.open(path, key).discard()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, JournalBusy):
            QMessageBox.information(
                window, QCoreApplication.translate("DiffusionResume", "Envoi inachevé"), str(exc)
            )
        else:
            log.warning("Envoi inachevé non abandonné : %s", type(exc).__name__)

    Task(window, discard, lane=Lane.STORE).on_success(lambda _: offer_resume(window, context)).on_failure(
        failed
    ).run()


def _confirm_drop(window: QWidget, left: int) -> bool:
    answer = QMessageBox.warning(
        window,
        QCoreApplication.translate("DiffusionResume", "Abandonner l'envoi ?"),
        fill_in(
            QCoreApplication.translate(
                "DiffusionResume", "%1 documents ne seront pas envoyés. Cette action est définitive."
            ),
            number(left),
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
