"""The employee's folder of "Mes salariés" ("...", F6.2), shown beside the list: profile, agencies, vault
dates, e-delivery opposition with its date, and every document delivered; a double click (or Entrée, or
"Ouvrir") asks the page to open the document in the viewer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.employees import EmployeeFolder, FolderDocument
from coffreo_desktop.gui.employee_model import day
from coffreo_desktop.gui.i18n import domain_text, fill_in, number

Index = QModelIndex | QPersistentModelIndex


class FolderDocumentsModel(QAbstractTableModel):
    """The documents delivered to the employee by this establishment, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.documents: list[FolderDocument] = []

    def set_documents(self, documents: tuple[FolderDocument, ...]) -> None:
        self.beginResetModel()
        self.documents = list(documents)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Titre"), self.tr("Type"), self.tr("Date"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        doc = self.documents[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Double-cliquez pour ouvrir le document")
        return (doc.title, domain_text(doc.doc_type.label), doc.document_date.strftime("%d/%m/%Y"))[
            index.column()
        ]


class EmployeeFolderPane(QWidget):
    """Side pane; ``document_requested`` carries the document to open, ``closed`` the "Fermer" click."""

    document_requested = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("employeeFolder")
        self.folder: EmployeeFolder | None = None
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.name_label = QLabel(self, objectName="folderName")
        self.name_label.setProperty("role", "heading")
        self.name_label.setWordWrap(True)
        head.addWidget(self.name_label, 1)
        self.close_button = QPushButton(self.tr("Fermer"), self, objectName="closeFolder")
        self.close_button.clicked.connect(self.closed)
        head.addWidget(self.close_button)
        layout.addLayout(head)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("matricule", self.tr("Matricule")),
            ("email", self.tr("E-mail")),
            ("phone", self.tr("Téléphone")),
            ("address", self.tr("Adresse")),
            ("birth", self.tr("Naissance")),
            ("vault", self.tr("Coffre-fort")),
            ("edelivery", self.tr("Remise électronique")),
            ("agencies", self.tr("Établissements")),
        ):
            value = QLabel(self, objectName=f"folder_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(label, value)
        layout.addLayout(form)
        self.documents_label = QLabel(self, objectName="folderDocumentsCount")
        layout.addWidget(self.documents_label)
        self.documents = FolderDocumentsModel(self)
        self.table = QTableView(self, objectName="folderDocuments")
        self.table.setModel(self.documents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_current)
        layout.addWidget(self.table, 1)
        self.open_button = QPushButton(self.tr("Ouvrir le document"), self, objectName="openFolderDocument")
        self.open_button.clicked.connect(self.open_current)
        layout.addWidget(self.open_button)

    def show_folder(self, folder: EmployeeFolder) -> None:
        self.folder = folder
        self.name_label.setText(folder.name)
        f = self.fields
        f["matricule"].setText(folder.matricule)
        f["email"].setText(folder.email or self.tr("aucune adresse"))
        f["phone"].setText(folder.phone)
        f["address"].setText(folder.address)
        f["birth"].setText(folder.birth_date.strftime("%d/%m/%Y") if folder.birth_date else "")
        if folder.vault_activated_at is not None:
            vault = fill_in(self.tr("activé le %1"), day(folder.vault_activated_at))
        elif folder.vault_created_at is not None:
            vault = fill_in(self.tr("créé le %1, non activé"), day(folder.vault_created_at))
        else:
            vault = self.tr("pas encore créé (aucun document remis)")
        f["vault"].setText(vault)
        f["edelivery"].setText(
            fill_in(
                self.tr("refusée depuis le %1 : bulletins remis sur papier"), day(folder.edelivery_opposed_at)
            )
            if folder.edelivery_opposed_at is not None
            else self.tr("acceptée")
        )
        f["agencies"].setText(", ".join(name for _id, name in folder.agencies))
        count = len(folder.documents)
        self.documents_label.setText(
            fill_in(self.tr("Documents remis : %1"), number(count))
            if count
            else self.tr("Aucun document remis.")
        )
        self.documents.set_documents(folder.documents)
        self.open_button.setEnabled(count > 0)
        if count:
            self.table.selectRow(0)

    def open_current(self) -> None:
        """The current document, else the selected one: "Ouvrir" never does nothing while the button is on."""
        row = self.table.currentIndex().row()
        if row < 0:
            selected = self.table.selectionModel().selectedRows()
            row = selected[0].row() if selected else 0
        self._open(row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.documents.documents):
            self.document_requested.emit(self.documents.documents[row])
