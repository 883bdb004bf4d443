"""Table model of "Mes salariés" (F6.2): one row per employee, fetched a page at a time from the server
(``canFetchMore``/``fetchMore`` ask the page for the next cursor), and the French texts of a reminder's
result."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from coffreo_desktop.client.employees import EmployeeRow, ReminderOutcome
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui.i18n import counted, fill_in

_PARIS = ZoneInfo(DISPLAY_TZ)
Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("matricule", "last_name", "first_name", "activated", "created", "last_document", "folder")
FOLDER_COLUMN = COLUMNS.index("folder")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("EmployeeModel", text)


def day(moment: datetime | None) -> str:
    return moment.astimezone(_PARIS).strftime("%d/%m/%Y") if moment is not None else ""


def reminder_text(outcome: ReminderOutcome) -> str:
    """E.g. "2 salariés relancés. Non relancés : Léa Martin (déjà relancée : possible à partir du
    17/03/2026 à 10:30)."."""
    parts = [counted(outcome.reminded, _tr("salarié relancé"), _tr("salariés relancés")) + "."]
    reasons = []
    for skipped in outcome.skipped:
        local = skipped.until.astimezone(_PARIS)
        why = fill_in(
            _tr("déjà relancé : possible à partir du %1 à %2"),
            local.strftime("%d/%m/%Y"),
            local.strftime("%H:%M"),
        )
        reasons.append(f"{skipped.name} ({why})")
    reasons += [f"{n.name} ({n.reason.rstrip('.')})" for n in outcome.not_sent]
    if reasons:
        parts.append(_tr("Non relancés : ") + " ; ".join(reasons) + ".")
    return " ".join(parts)


class EmployeesModel(QAbstractTableModel):
    """The rows read so far; ``more_wanted`` asks the page for the next page when the view scrolls to it."""

    more_wanted = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[EmployeeRow] = []
        self.next_cursor: str | None = None
        self.loading = False

    def reset(self, rows: tuple[EmployeeRow, ...], next_cursor: str | None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.next_cursor = next_cursor
        self.endResetModel()

    def append(self, rows: tuple[EmployeeRow, ...], next_cursor: str | None) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows += rows
            self.endInsertRows()
        self.next_cursor = next_cursor

    def row_at(self, row: int) -> EmployeeRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # ---- Qt model ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self.next_cursor is not None and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self.more_wanted.emit()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            _tr("Matricule"),
            _tr("Nom"),
            _tr("Prénom"),
            _tr("Activé"),
            _tr("Création"),
            _tr("Dernier document"),
            "",
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        employee = self.row_at(index.row()) if index.isValid() else None
        if employee is None:
            return None
        column = COLUMNS[index.column()]
        if role == ROW_ROLE:
            return employee
        if role == Qt.ItemDataRole.ToolTipRole and column == "folder":
            return _tr("Ouvrir le dossier du salarié")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("activated", "folder"):
            return Qt.AlignmentFlag.AlignCenter
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "matricule": employee.matricule,
            "last_name": employee.last_name,
            "first_name": employee.first_name,
            "activated": _tr("Oui") if employee.activated else _tr("Non"),
            "created": day(employee.created_at),
            "last_document": day(employee.last_document_at),
            "folder": "…",
        }[column]
