"""The export dialog of "Recherche de documents" (F2.8): agencies or companies, period and filters, CSV or ZIP
with the PDFs saved straight to a chosen file with progress and cancel, or a server export whose link comes by
e-mail. The agencies are listed under their company, whose tristate box ticks or clears all of them.

The work itself is :func:`coffreo_desktop.client.export.export_documents`; this dialog only gathers the
choices, shows progress and says how it ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QWidget

from coffreo_desktop.client.documents import CRITERIA, DocumentRow, DocumentsApi, SearchParams
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.client.export import ExportCancelled, ExportError, ExportResult, chain, export_documents
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.export_agencies import AgencyTree
from coffreo_desktop.gui.forms.ui_export_dialog import Ui_ExportDialog
from coffreo_desktop.gui.i18n import domain_text, fill_in, number
from coffreo_desktop.gui.tasks import Lane, Task, executor

log = logging.getLogger(__name__)

MB = 1024 * 1024


def default_file_name(include_pdfs: bool, today: date | None = None) -> str:
    day = (today or date.today()).isoformat()
    return f"export-documents-{day}.{'zip' if include_pdfs else 'csv'}"


class ExportDialog(QDialog):
    """Choose what to export, then export it; ``finished_export`` carries the :class:`ExportResult`."""

    finished_export = Signal(object)
    #: Emitted from the export's progress callback; a queued connection if it ever comes from a thread.
    progress_changed = Signal(int, object, int)
    email_job_created = Signal(dict)

    def __init__(self, session: Session, me: Me, params: SearchParams, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ExportDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.session = session
        self.me = me
        self.params = params
        self.task: Task[ExportResult] | None = None
        self.email_task: Task[httpx.Response] | None = None
        self.last_result: ExportResult | None = None
        self._cancel_requested = False
        self._populate()
        self._fill(params)
        ui = self.ui
        ui.allAgenciesCheck.toggled.connect(self._check_all)
        self.agency_model.ticked_changed.connect(self._sync_all_agencies)
        ui.pdfCheck.toggled.connect(self._pdfs_toggled)
        ui.browseButton.clicked.connect(self.choose_target)
        ui.exportButton.clicked.connect(self.start_export)
        ui.emailButton.clicked.connect(self.request_email)
        ui.openFolderButton.clicked.connect(self.open_folder)
        ui.cancelButton.clicked.connect(self.cancel_or_close)
        self.progress_changed.connect(self._show_progress)

    def _populate(self) -> None:
        ui = self.ui
        ui.exportButton.setIcon(theme.icon("export"))
        self.agency_model = AgencyTree(self.me.agencies, self)
        ui.agencyList.setModel(self.agency_model)
        ui.agencyList.expandAll()
        _fill_combo(ui.typeCombo, self.tr("Tous les types"), [(k.label, k.value) for k in DocumentType])
        signed = [(self.tr("Signés"), "yes"), (self.tr("Non signés"), "no")]
        _fill_combo(ui.signedCombo, self.tr("Signés et non signés"), signed, domain=False)
        _fill_combo(ui.periodCombo, None, [(p.label, p.value) for p in Period])
        _fill_combo(
            ui.invoiceCombo, self.tr("Toutes les factures"), [(s.label, s.value) for s in InvoiceState]
        )
        # Companies: the clients' documents (contracts "mise à disposition", invoices) carry the client
        # company's name, which the "Client" criterion searches.
        criteria = [(label, name) for name, label in CRITERIA.items()]
        _fill_combo(ui.criterionCombo, self.tr("Aucun critère"), criteria)

    def _fill(self, params: SearchParams) -> None:
        """The current search's filters, so that "Exporter" exports what the user is looking at."""
        if params.brand_id is not None:  # an entity: its agencies
            self.agency_model.tick(lambda agency: agency in params.brand_agencies)
        else:
            self.agency_model.tick(lambda agency: params.agency_id in (None, agency))
        self._sync_all_agencies()
        ui = self.ui
        _select(ui.typeCombo, params.types[0].value if len(params.types) == 1 else None)
        _select(ui.signedCombo, params.signed)
        # "tous" unless the search says otherwise: an export has no period cap.
        _select(ui.periodCombo, params.period.value)
        _select(ui.invoiceCombo, params.invoice_state.value if params.invoice_state else None)
        _select(ui.criterionCombo, params.criterion)
        ui.valueEdit.setText(params.value or "")
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.set_target(Path(folder or Path.home()) / default_file_name(False))

    # ---- choices ---------------------------------------------------------------------------------------
    def _check_all(self, checked: bool) -> None:
        self.agency_model.tick(lambda _agency: checked)

    def _sync_all_agencies(self) -> None:
        self.ui.allAgenciesCheck.blockSignals(True)
        self.ui.allAgenciesCheck.setChecked(len(self.agency_ids()) == len(self.agency_model.agency_items()))
        self.ui.allAgenciesCheck.blockSignals(False)

    def agency_ids(self) -> list[int]:
        """The ticked agencies, in the order shown."""
        return self.agency_model.ticked_ids()

    def search_params(self) -> SearchParams:
        """The filters chosen (no agency: each ticked one is searched in turn)."""
        ui = self.ui
        # Combos hold the codes as plain strings (a QVariant gives a StrEnum back as str).
        kind = ui.typeCombo.currentData()
        invoice = ui.invoiceCombo.currentData()
        criterion = ui.criterionCombo.currentData()
        value = ui.valueEdit.text().strip()
        return replace(
            self.params,
            agency_id=None,
            brand_id=None,
            brand_agencies=frozenset(),
            types=(DocumentType(kind),) if kind else (),
            signed=ui.signedCombo.currentData(),
            period=Period(ui.periodCombo.currentData() or Period.ALL.value),
            invoice_state=InvoiceState(invoice) if invoice else None,
            criterion=criterion if criterion and value else None,
            value=value if criterion and value else None,
        )

    def include_pdfs(self) -> bool:
        return self.ui.pdfCheck.isChecked()

    def target(self) -> Path | None:
        text = self.ui.targetEdit.text().strip()
        return Path(text) if text else None

    def set_target(self, path: Path) -> None:
        self.ui.targetEdit.setText(str(path))

    def _pdfs_toggled(self, checked: bool) -> None:
        # The extension follows the choice: a ZIP when the PDFs go along, a CSV otherwise.
        current = self.target()
        if current is not None and current.suffix.lower() in (".csv", ".zip", ""):
            self.set_target(current.with_suffix(".zip" if checked else ".csv"))

    def choose_target(self) -> None:
        zip_wanted = self.include_pdfs()
        current = self.target() or Path(default_file_name(zip_wanted))
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Enregistrer l'export sous"),
            str(current),
            self.tr("Archive ZIP (*.zip)") if zip_wanted else self.tr("Fichier CSV (*.csv)"),
        )
        if name:
            path = Path(name)
            suffix = ".zip" if zip_wanted else ".csv"
            self.set_target(path if path.suffix.lower() == suffix else path.with_suffix(suffix))

    # ---- export to disk ----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done

    def start_export(self) -> None:
        if self.running:
            return  # a second click while the first export runs
        agencies = self.agency_ids()
        if not agencies:
            self._summary(self.tr("Cochez au moins une agence."), role="error")
            return
        if self.target() is None:
            self.choose_target()
        target = self.target()
        if target is None:
            return
        self._cancel_requested = False
        self.last_result = None
        self._set_running(True)
        self._summary(None)
        self.ui.progressBar.setRange(0, 0)  # busy until the total is known
        self.ui.progressLabel.setText(self.tr("Préparation de l'export…"))
        work = self._export(agencies, self.search_params(), target, self.include_pdfs())
        self.task = (
            Task(self, work)
            .on_success(self._export_done)
            .on_failure(self._export_failed)
            .on_finished(lambda: self._set_running(False))
            .run()
        )

    async def _export(
        self, agencies: list[int], params: SearchParams, target: Path, include_pdfs: bool
    ) -> ExportResult:
        docs = DocumentsApi(self.session.api)
        searches = [replace(params, agency_id=agency) for agency in agencies]
        total = sum([await docs.count(search) for search in searches])

        async def fetch_pdf(row: Any) -> bytes:
            data = await docs.download(int(row["id"]))
            assert data is not None  # no ETag was sent: the server always answers with the bytes
            return data

        rows = chain(*(_as_json(docs.iterate(search)) for search in searches))
        return await export_documents(
            rows,
            target,
            fetch_pdf=fetch_pdf if include_pdfs else None,
            progress=self.progress_changed.emit,
            total=total,
            cancelled=lambda: self._cancel_requested,
            run_blocking=_in_worker,
        )

    def _show_progress(self, done: int, total: int | None, size: int) -> None:
        megabytes = self.locale().toString(size / MB, "f", 1)
        if total is None:
            text = fill_in(self.tr("%1 lignes — %2 Mo"), number(done), megabytes)
        else:
            self.ui.progressBar.setRange(0, max(total, 1))
            self.ui.progressBar.setValue(min(done, total) if total else 1)
            text = fill_in(self.tr("%1 / %2 lignes — %3 Mo"), number(done), number(total), megabytes)
        self.ui.progressLabel.setText(text)

    def _export_done(self, result: ExportResult) -> None:
        self.last_result = result
        self.ui.progressBar.setRange(0, 1)
        self.ui.progressBar.setValue(1)
        megabytes = self.locale().toString(result.size / MB, "f", 1)
        template = self.tr("Export terminé : %1 lignes, %2 Mo, dans %3.")
        text = fill_in(template, number(result.rows), megabytes, result.path.name)
        if result.pdfs or result.skipped:
            text += " " + fill_in(self.tr("%1 fichiers PDF inclus."), number(result.pdfs))
        if result.skipped_note:
            text += " " + result.skipped_note
        self.ui.progressLabel.clear()
        self._summary(text, role="notice" if result.skipped else "success")
        self.ui.openFolderButton.setVisible(True)
        self.finished_export.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        self.ui.progressLabel.clear()
        if isinstance(exc, ExportCancelled | ExportError):
            # Both say in French what happened and that no partial file is left.
            self._summary(str(exc), role="muted" if isinstance(exc, ExportCancelled) else "error")
        elif isinstance(exc, ApiError):
            self._summary(fill_in(self.tr("L'export a été interrompu : %1"), str(exc)), role="error")
            if isinstance(exc, SessionExpired):
                errors.show_error(self, exc)  # back to the login dialog
        else:
            self._summary(self.tr("L'export a été interrompu par une erreur inattendue."), role="error")
            errors.report_exception(exc)

    def _set_running(self, running: bool) -> None:
        for widget in (self.ui.formBox, self.ui.exportButton, self.ui.emailButton):
            widget.setEnabled(not running)
        self.ui.progressBar.setVisible(running or self.last_result is not None)
        self.ui.cancelButton.setText(self.tr("Annuler") if running else self.tr("Fermer"))
        self.ui.cancelButton.setEnabled(True)
        if running:
            self.ui.openFolderButton.setVisible(False)

    def cancel_or_close(self) -> None:
        """During an export: stop it (the partial file is removed). Otherwise: close the dialog."""
        if self.running:
            self._cancel_requested = True
            self.ui.progressLabel.setText(self.tr("Annulation…"))
            self.ui.cancelButton.setEnabled(False)  # until the export stops (its on_finished)
            return
        self.reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel_or_close()
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self.running:  # Escape during an export cancels it first
            self.cancel_or_close()
            return
        super().reject()

    def open_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path.parent)))

    # ---- export on the server --------------------------------------------------------------------------
    def email_payload(self) -> dict[str, Any]:
        filters = self.search_params().to_json()
        for scope in ("agency_id", "brand_id", "brand_agencies"):  # the ticked agencies say it
            filters.pop(scope, None)
        return {"agency_ids": self.agency_ids(), **filters, "include_pdfs": self.include_pdfs()}

    def request_email(self) -> None:
        if self.email_task is not None and not self.email_task.done:
            return
        if not self.agency_ids():
            self._summary(self.tr("Cochez au moins une agence."), role="error")
            return
        self.ui.emailButton.setEnabled(False)
        work = self.session.api.request("POST", "/exports", json=self.email_payload())
        self.email_task = (
            Task(self, work)
            .on_success(self._email_accepted)
            .on_finished(lambda: self.ui.emailButton.setEnabled(not self.running))
            .run()
        )

    def _email_accepted(self, response: httpx.Response) -> None:
        job = response.json()
        self._summary(
            self.tr("Vous recevrez un e-mail avec le lien de téléchargement dès que l'export sera prêt."),
            role="success",
        )
        self.email_job_created.emit(job if isinstance(job, dict) else {})

    # ---- helpers -----------------------------------------------------------------------------------------
    def _summary(self, text: str | None, *, role: str = "muted") -> None:
        label = self.ui.summaryLabel
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text or "")
        label.setVisible(bool(text))


def _in_worker(fn: Callable[..., Any], *args: Any) -> Awaitable[Any]:
    # Our own pool, not the loop's default: qasync's default executor runs QThreads, which abort the
    # process if still alive at exit, and asyncio.to_thread would use it.
    return asyncio.get_running_loop().run_in_executor(executor(Lane.NETWORK), fn, *args)


def _fill_combo(
    combo: QComboBox, first: str | None, items: list[tuple[str, str]], domain: bool = True
) -> None:
    """A drop-down of codes (plain strings: a QVariant gives a StrEnum back as str), "all" first."""
    if first is not None:
        combo.addItem(first, None)
    for label, code in items:
        combo.addItem(domain_text(label) if domain else label, code)


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


async def _as_json(rows: AsyncIterator[DocumentRow]) -> AsyncIterator[dict[str, Any]]:
    async for row in rows:
        yield row.to_json()
