"""The documents step of the campaign wizard (F4.4, step 3): several PDFs at once, dropped or chosen, each
checked off the UI thread (the PDF checks of every upload, then the campaign's 2 MB limit) and shown with
its size; refused files are listed with the French reason."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
)

from coffreo_desktop.client.campaigns import CampaignDocument, CampaignOptions
from coffreo_desktop.client.diffusion_plan import FileCheck, check_file
from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.pdf_checks import PdfRefusal, check_size, format_size, quoted_name
from coffreo_desktop.gui.campaign_wizard_pages import CheckedPage
from coffreo_desktop.gui.diffusion_intake import expand, local_paths
from coffreo_desktop.gui.i18n import fill_in, number
from coffreo_desktop.gui.tasks import Lane, Task


@dataclass
class WizardDocument:
    """A document of the wizard: on the server already (``server_id``) or a local file to upload."""

    title: str
    file_name: str
    size: int
    pages: int
    path: Path | None = None
    server_id: int | None = None
    sha256: str = ""

    @classmethod
    def from_server(cls, document: CampaignDocument) -> WizardDocument:
        return cls(document.title, document.file_name, document.size, document.pages, None, document.id)


def check_documents(paths: Sequence[Path], max_size: int) -> list[FileCheck]:
    """Blocking: the PDF checks of every file (folders walked), then the campaign's own size limit."""
    checks = []
    for path in expand(paths):
        check = check_file(path)
        if check.ok:
            try:
                check_size(path.name, check.size, max_size=max_size)
            except PdfRefusal as refusal:
                check = FileCheck(
                    path, check.size, check.pages, check.sha256, refusal.detail, (), refusal.code
                )
        checks.append(check)
    return checks


class DocumentsPage(CheckedPage):
    """(3) The PDFs delivered: several at once, dropped or chosen, each with its size; refused ones listed."""

    def __init__(self, options: CampaignOptions) -> None:
        super().__init__(
            self.tr("Documents"),
            fill_in(
                self.tr(
                    "Ajoutez un ou plusieurs PDF (%1 au plus chacun) : glissez-les ici ou choisissez-les."
                ),
                format_size(options.max_document_size),
            ),
        )
        self.options = options
        self.documents: list[WizardDocument] = []
        self.removed: list[WizardDocument] = []  # on the server, taken out: removed when saving
        self.refusals: list[str] = []
        self._checking: Task[list[FileCheck]] | None = None
        self.setAcceptDrops(True)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Taille"), self.tr("Pages")])
        self.view = QTreeView(self)
        self.view.setObjectName("documentsView")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton(self.tr("Ajouter des PDF…"), self)
        self.add_button.setObjectName("addDocumentsButton")
        self.remove_button = QPushButton(self.tr("Retirer"), self)
        self.remove_button.setObjectName("removeDocumentButton")
        self.status = QLabel(self)
        self.status.setProperty("role", "muted")
        self.refused = QLabel(self)
        self.refused.setObjectName("refusedLabel")
        self.refused.setProperty("role", "error")
        self.refused.setWordWrap(True)
        self.refused.setVisible(False)
        self.signed = QCheckBox(self.tr("Diffusion signée : les salariés doivent signer ces documents"), self)
        self.signed.setObjectName("signedCheck")
        self.signed.setVisible(options.signed_available)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        self.layout_.addWidget(self.view, 1)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.refused)
        self.layout_.addWidget(self.signed)
        self.layout_.addWidget(self.message)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self._refresh()

    # ---- adding ----------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Ajouter des documents"), "", self.tr("Documents PDF (*.pdf *.PDF)")
        )
        if names:
            self.add_paths([Path(name) for name in names])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Check the files off the UI thread; the accepted ones join the list, the others are listed."""
        if not paths or self.busy():
            return
        self.status.setText(self.tr("Vérification des fichiers…"))
        work = functools.partial(check_documents, list(paths), self.options.max_document_size)
        self._checking = Task(self, work, lane=Lane.NETWORK).on_success(self._checked)
        self._checking.on_finished(self._refresh).run()
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._checking is not None and not self._checking.done

    def _checked(self, checks: list[FileCheck]) -> None:
        self.refusals = []
        known = {d.sha256 for d in self.documents if d.sha256} | {d.path for d in self.documents if d.path}
        for check in checks:
            if not check.ok:
                self.refusals.append(check.refusal or "")
            elif check.sha256 in known or check.path in known:
                self.refusals.append(
                    fill_in(self.tr("%1 est déjà dans la liste."), quoted_name(check.path.name))
                )
            else:
                known |= {check.sha256, check.path}
                title = check.path.stem[: rules.MAX_DOCUMENT_TITLE]
                self.documents.append(
                    WizardDocument(
                        title, check.path.name, check.size, check.pages, check.path, None, check.sha256
                    )
                )

    def set_documents(self, documents: Iterable[CampaignDocument]) -> None:
        self.documents = [WizardDocument.from_server(d) for d in documents]
        self.removed = []
        self.refusals = []
        self._refresh()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            document = self.documents.pop(row)
            if document.server_id is not None:
                self.removed.append(document)
        self._refresh()

    # ---- drag and drop ---------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    # ---- showing ---------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for document in self.documents:
            cells = [QStandardItem(document.title), QStandardItem(format_size(document.size))]
            cells.append(QStandardItem(number(document.pages) if document.pages else "—"))
            cells[0].setToolTip(document.file_name)
            for cell in cells[1:]:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(cells)
        total = sum(d.size for d in self.documents)
        count = len(self.documents)
        summary = self.tr("%1 document — %2") if count == 1 else self.tr("%1 documents — %2")
        self.status.setText(fill_in(summary, number(count), format_size(total)) if count else "")
        self.refused.setText(
            self.tr("Fichiers refusés :") + "".join(f"\n• {text}" for text in self.refusals)
            if self.refusals
            else ""
        )
        self.refused.setVisible(bool(self.refusals))
        if self.documents:
            self.show_messages([])
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.busy()  # a draft may have no document; launching needs one (checked at the end)
