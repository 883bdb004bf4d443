"""The sending of a Diffusion libre batch (F3.8–F3.9): overall and per-file progress, stop, the summary
with its CSV, and, at the next start, the offer to resume a batch a crash or a lost connection cut."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QMessageBox, QWidget

from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.diffusion_journal import journal_place
from coffreo_desktop.client.diffusion_send import (
    ItemState,
    JournalBusy,
    SendItem,
    SendJournal,
    SendProgress,
    SendReport,
    StopReason,
    send_batch,
    write_summary_csv,
)
from coffreo_desktop.client.session import Session
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.diffusion_send_model import SendModel
from coffreo_desktop.gui.forms.ui_send_dialog import Ui_SendDialog
from coffreo_desktop.gui.i18n import counted, fill_in, number
from coffreo_desktop.gui.tasks import Lane, Task, executor, in_lane

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
#: The batches being sent in this process, by item key: a second "Envoyer" on the same rows is refused.
_sending_keys: set[str] = set()


class SendDialog(QDialog):
    """Sends one batch and shows it; ``sent`` carries the keys delivered (now or before) when it ends."""

    sent = Signal(set)

    def __init__(self, session: Session, scope: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SendDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.scope = scope
        self.journal: SendJournal | None = None
        self.model: SendModel | None = None
        self.report: SendReport | None = None
        self.task: Task[SendReport] | None = None
        self._cancelled = asyncio.Event()
        self._keys: set[str] = set()
        self._preparing = False
        self._stop_requested = False
        self._new_batch = False
        ui = self.ui
        ui.stopButton.clicked.connect(self.request_stop)
        ui.closeButton.clicked.connect(self.close)
        ui.exportButton.clicked.connect(self.export_summary)
        ui.resumeButton.clicked.connect(self._resume_here)

    # ---- starting ------------------------------------------------------------------------------------
    def start_new(self, agency_id: int, agency_name: str, items: list[SendItem]) -> None:
        """Write the batch's journal (off the UI thread), then send it. Items already being sent (a second
        click on "Envoyer", another window) are refused before anything is written."""
        keys = {item.key for item in items}
        if keys & _sending_keys:
            self._show_stopped()
            self._summary(
                self.tr("Ces documents sont déjà en cours d'envoi dans une autre fenêtre."), "error"
            )
            return
        self._reserve(keys)
        self._new_batch = True
        self.ui.headline.setText(self.tr("Préparation de l'envoi…"))

        def create() -> SendJournal:
            folder, key = journal_place(self.session.credentials, self.scope)
            return SendJournal.create(folder, key, agency_id, agency_name, items)

        self._prepare(create)

    def resume(self, path: Path) -> None:
        """Open an unfinished batch's journal (JournalBusy if another window sends it) and send the rest."""
        self._new_batch = False
        self.ui.headline.setText(self.tr("Reprise de l'envoi…"))

        def reopen() -> SendJournal:
            _folder, key = journal_place(self.session.credentials, self.scope)
            if key is None:
                raise JournalBusy()
            return SendJournal.open(path, key)

        self._prepare(reopen)

    def _prepare(self, work: Any) -> None:
        self._preparing = True
        self._stop_requested = False
        self._set_running(True)
        Task(self, work, lane=Lane.STORE).on_success(self._prepared).on_failure(self._prepare_failed).run()

    def _busy_text(self) -> str:
        return self.tr("Ces documents sont déjà en cours d'envoi dans une autre fenêtre.")

    def _reserve(self, keys: set[str]) -> None:
        self._keys = keys
        _sending_keys.update(keys)
        # Destroyed with its window (a logout, the session expired) the dialog still releases its keys.
        self.destroyed.connect(functools.partial(_release, frozenset(keys)))

    def _prepare_failed(self, exc: BaseException) -> None:
        self._preparing = False
        _release(self._keys)
        self._set_running(False)
        self._show_stopped()
        if isinstance(exc, JournalBusy):
            self._summary(str(exc), "error")
            return
        self._summary(
            self.tr("L'envoi n'a pas pu être préparé (disque plein ou dossier inaccessible ?)."), "error"
        )
        errors.report_exception(exc)

    def _prepared(self, journal: SendJournal) -> None:
        self._preparing = False
        keys = {item.key for item in journal.items}
        if (keys - self._keys) & _sending_keys:  # a resumed batch another window sends meanwhile
            self._in_store(journal.close)
            self._set_running(False)
            self._show_stopped()
            self._summary(
                self.tr("Ces documents sont déjà en cours d'envoi dans une autre fenêtre."), "error"
            )
            return
        if self._stop_requested:  # Échap while the journal was being written
            _release(self._keys)
            self._in_store(journal.discard if self._new_batch else journal.close)
            self._set_running(False)
            self._show_stopped()
            self._summary(self.tr("Envoi annulé avant son début : rien n'a été envoyé."), "muted")
            return
        self._reserve(keys | self._keys)
        self._run(journal)

    def _run(self, journal: SendJournal) -> None:
        self.journal = journal
        if self.model is None or self.model.journal is not journal:
            previous, self.model = self.model, SendModel(journal, self)
            self.ui.table.setModel(self.model)
            if previous is not None:
                previous.deleteLater()
            header = self.ui.table.horizontalHeader()
            for column in range(4):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.ui.table.setColumnWidth(column, 150)
        self._cancelled = asyncio.Event()
        self.report = None
        self.ui.overallBar.setRange(0, max(1, len(journal.items)))
        self._set_running(True)
        self._progress(None)
        work = send_batch(
            DiffusionApi(self.session.api),
            journal,
            on_progress=self._progress,
            cancelled=self._cancelled,
            run_blocking=functools.partial(in_lane, Lane.NETWORK),
        )
        self.task = (
            Task(self, _sent_then_released(work, journal, set(self._keys)))
            .on_success(self._finished)
            .on_failure(self._failed)
            .run()
        )

    # ---- progress --------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._preparing or (self.task is not None and not self.task.done)

    def _progress(self, progress: SendProgress | None) -> None:
        journal = self.journal
        if journal is None or self.model is None:
            return
        total = len(journal.items)
        done = journal.answered if progress is None else progress.done
        if progress is not None:
            self.model.set_sending(progress.sending)
            self.model.item_changed(progress.item)
            self.ui.waitingLabel.setText(progress.waiting)
            self.ui.waitingLabel.setVisible(bool(progress.waiting))
        self.ui.overallBar.setValue(done)
        self.ui.headline.setText(
            fill_in(
                self.tr("Envoi de %1 / %2 documents — émetteur : %3"),
                number(done),
                number(total),
                journal.agency_name,
            )
        )

    def _finished(self, report: SendReport) -> None:
        self.report = report
        self._end()
        journal = self.journal
        assert journal is not None
        counts = journal.counts()
        parts = [counted(counts[ItemState.SENT], self.tr("document envoyé"), self.tr("documents envoyés"))]
        if counts[ItemState.ALREADY_SENT]:
            already = (
                self.tr("déjà envoyé auparavant (non doublé)"),
                self.tr("déjà envoyés auparavant (non doublés)"),
            )
            parts.append(counted(counts[ItemState.ALREADY_SENT], *already))
        if counts[ItemState.REFUSED]:
            parts.append(counted(counts[ItemState.REFUSED], self.tr("refusé"), self.tr("refusés")))
        if counts[ItemState.PENDING]:
            parts.append(
                counted(counts[ItemState.PENDING], self.tr("restant à envoyer"), self.tr("restant à envoyer"))
            )
        text = ", ".join(parts) + "."
        if report.reason is StopReason.FINISHED:
            self.ui.headline.setText(self.tr("Envoi terminé."))
            self._summary(text, "notice" if counts[ItemState.REFUSED] else "success")
        else:
            self.ui.headline.setText(report.detail or self.tr("Envoi interrompu."))
            if journal.persistent:
                later = self.tr(
                    "Le reste pourra être envoyé : « Reprendre l'envoi », ou au prochain démarrage."
                )
            else:
                later = self.tr(
                    "Sans trousseau sécurisé, l'envoi ne peut pas être repris après la fermeture de "
                    "l'application : ajoutez de nouveau les fichiers, les documents déjà envoyés ne seront "
                    "pas doublés."
                )
            self._summary(f"{text} {later}", "error" if report.reason is StopReason.INTERRUPTED else "muted")
            self.ui.resumeButton.setVisible(True)
        delivered = {
            item.key
            for item in journal.items
            if journal.outcome(item.key).state in (ItemState.SENT, ItemState.ALREADY_SENT)
        }
        self.sent.emit(delivered)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self.ui.resumeButton.setVisible(True)
        self._summary(
            self.tr("L'envoi s'est arrêté sur une erreur inattendue ; il pourra être repris."), "error"
        )
        errors.report_exception(exc)

    def _end(self) -> None:
        _sending_keys.difference_update(self._keys)
        self._set_running(False)
        if self.model is not None:
            self.model.set_sending(frozenset())
        self.ui.waitingLabel.setVisible(False)

    def _set_running(self, running: bool) -> None:
        self.ui.stopButton.setVisible(running)
        self.ui.stopButton.setEnabled(running)
        self.ui.resumeButton.setVisible(False)
        self.ui.closeButton.setEnabled(not running)
        self.ui.exportButton.setEnabled(not running and self.journal is not None)

    def _show_stopped(self) -> None:
        self.ui.stopButton.setVisible(False)
        self.ui.closeButton.setEnabled(True)

    # ---- actions -----------------------------------------------------------------------------------------
    def request_stop(self) -> None:
        if self._preparing:  # nothing sent yet: no question to ask
            self._stop_requested = True
            self.ui.stopButton.setEnabled(False)
            self.ui.headline.setText(self.tr("Arrêt de l'envoi…"))
            return
        if not self.running:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Arrêter l'envoi ?"),
            self.tr(
                "Les documents déjà envoyés le restent. Les autres pourront être envoyés plus tard, "
                "sans doublon."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes and self.running:
            self.ui.stopButton.setEnabled(False)
            self.ui.headline.setText(self.tr("Arrêt de l'envoi…"))
            self._cancelled.set()

    def _resume_here(self) -> None:
        if self.journal is not None and not self.running:
            if self.journal.path is None:
                self._run(self.journal)  # in memory: the same object goes on
            else:
                self.resume(self.journal.path)

    def export_summary(self) -> None:
        if self.journal is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = str(Path(folder) / f"envoi-{date.today().isoformat()}.csv")
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exporter le résumé"), default, self.tr("CSV (*.csv)")
        )
        if chosen:
            self.save_summary(Path(chosen))

    def save_summary(self, path: Path) -> None:
        assert self.journal is not None
        Task(self, functools.partial(write_summary_csv, self.journal, path), lane=Lane.NETWORK).on_success(
            lambda _: self._summary(fill_in(self.tr("Résumé enregistré dans %1."), path.name), "success")
        ).run()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            self.request_stop()
            return
        journal = self.journal
        if journal is not None and self.report is not None and self.report.finished:
            self._in_store(journal.discard)  # summarised: nothing to resume
        super().closeEvent(event)

    def reject(self) -> None:  # Échap
        if self.running:
            self.request_stop()
            return
        super().reject()

    # ---- helpers -----------------------------------------------------------------------------------------
    def _in_store(self, fn: Any) -> None:
        Task(self.parent() or self, fn, lane=Lane.STORE).on_failure(lambda exc: log.warning("%s", exc)).run()

    def _summary(self, text: str, role: str) -> None:
        label = self.ui.summaryLabel
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)


def start_send(
    page: QWidget, context: Any, agency_id: int, agency_name: str, items: list[SendItem]
) -> SendDialog:
    """Open the send dialog over ``page`` and send ``items``; ``page.on_sent(keys)`` follows if it exists."""
    dialog = SendDialog(context.session, account_scope(context), page.window())
    on_sent = getattr(page, "on_sent", None)
    if on_sent is not None:
        dialog.sent.connect(on_sent)
    dialog.start_new(agency_id, agency_name, items)
    dialog.open()
    return dialog


def account_scope(context: Any) -> str:
    """The server account the journals belong to (as for the offline cache)."""
    return f"{context.session.credential_id}|{context.me.id}"


def sending_keys() -> frozenset[str]:
    """The keys of the items being sent in this process (what a second "Envoyer" is refused for)."""
    return frozenset(_sending_keys)


def _release(keys: Iterable[str]) -> None:
    _sending_keys.difference_update(keys)


async def _sent_then_released(
    work: Awaitable[SendReport], journal: SendJournal, keys: set[str]
) -> SendReport:
    """The send, then — however it ends, the dialog destroyed with its window included — the keys
    released and the journal closed (its lock freed; the file stays for a resume)."""
    try:
        return await work
    finally:
        _release(keys)
        executor(Lane.STORE).submit(journal.close)
