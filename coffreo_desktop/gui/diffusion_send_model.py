"""The send dialog's table (Diffusion libre): each file of the batch and where it stands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.diffusion_send import ItemState, SendItem, SendJournal
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import domain_text, fill_in

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


class SendModel(QAbstractTableModel):
    """The batch's files and where each stands (the per-file progress)."""

    COLUMNS = ("file", "recipient", "type", "title", "state")

    def __init__(self, journal: SendJournal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.sending: frozenset[str] = frozenset()
        self._row_of = {item.key: row for row, item in enumerate(journal.items)}

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.journal.items)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Fichier"),
            self.tr("Destinataire"),
            self.tr("Type"),
            self.tr("Titre"),
            self.tr("État"),
        )[section]

    def state_text(self, item: SendItem) -> str:
        outcome = self.journal.outcome(item.key)
        if outcome.state is ItemState.PENDING:
            return self.tr("Envoi en cours…") if item.key in self.sending else self.tr("En attente")
        if outcome.state is ItemState.SENT:
            return self.tr("Envoyé") + (f" — {outcome.detail}" if outcome.detail else "")
        if outcome.state is ItemState.ALREADY_SENT:
            return self.tr("Déjà envoyé (pas de doublon)")
        return fill_in(self.tr("Refusé : %1"), outcome.detail)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.journal.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            match column:
                case "file":
                    return item.file_name
                case "recipient":
                    return item.recipient_label
                case "type":
                    return domain_text(item.protection.label)
                case "title":
                    return item.title
                case _:
                    return self.state_text(item)
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            state = self.journal.outcome(item.key).state
            colours = theme.DARK if theme.is_dark() else theme.LIGHT
            if state is ItemState.REFUSED:
                return QColor(colours["danger"])
            if state in (ItemState.SENT, ItemState.ALREADY_SENT):
                return QColor(colours["success"])
        return None

    def item_changed(self, key: str | None) -> None:
        row = self._row_of.get(key or "")
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def set_sending(self, keys: frozenset[str]) -> None:
        changed = keys ^ self.sending
        self.sending = keys
        for key in changed:
            self.item_changed(key)
