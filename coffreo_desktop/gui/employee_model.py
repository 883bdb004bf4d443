"""Table model of "Mes salariés" (F6.2): one row per employee, fetched a page at a time from the server
(``canFetchMore``/``fetchMore`` ask the page for the next cursor), and the French texts of a reminder's
result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from coffreo_desktop.client.employees import EmployeeRow, ReminderOutcome
from coffreo_desktop.gui.i18n import PARIS, counted, fill_in, names_cut, paris_text, translate

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("matricule", "last_name", "first_name", "activated", "created", "last_document", "folder")
FOLDER_COLUMN = COLUMNS.index("folder")


def day(moment: datetime | None) -> str:
    return paris_text(moment)


def _moment(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return fill_in(
        translate("EmployeeModel", "%1 à %2"),
        local.strftime("%d/%m/%Y"),
        local.strftime("%H:%M"),
    )


def reminder_text(outcome: ReminderOutcome, *, stopped: bool = False, failed: bool = False) -> str:
    """E.g. "1 200 salariés relancés. 2 déjà relancés depuis moins de 24 heures, possible à partir du
    17/03/2026 à 10:30 : Léa Martin, Éric Dupont. 1 non relancé (Pas d'adresse e-mail) : Paul Durand."
    ``stopped``: "Annuler" ended the run between batches; ``failed``: an error did."""
    parts = []
    if stopped:
        parts.append(translate("EmployeeModel", "Relance arrêtée à votre demande."))
    elif failed:
        parts.append(translate("EmployeeModel", "Relance interrompue par une erreur."))
    parts.append(
        counted(
            outcome.reminded,
            translate("EmployeeModel", "salarié relancé"),
            translate("EmployeeModel", "salariés relancés"),
        )
        + "."
    )
    if outcome.skipped:
        earliest = min(s.until for s in outcome.skipped)
        latest = max(s.until for s in outcome.skipped)
        when = fill_in(translate("EmployeeModel", "possible à partir du %1"), _moment(earliest))
        if _moment(latest) != _moment(earliest):
            when += " " + fill_in(translate("EmployeeModel", "(au plus tard le %1)"), _moment(latest))
        who = counted(
            len(outcome.skipped),
            translate("EmployeeModel", "déjà relancé depuis moins de 24 heures"),
            translate("EmployeeModel", "déjà relancés depuis moins de 24 heures"),
        )
        parts.append(f"{who}, {when} : {names_cut([s.name for s in outcome.skipped])}.")
    by_reason: dict[str, list[str]] = {}
    for item in outcome.not_sent:
        by_reason.setdefault(item.reason.rstrip(". "), []).append(item.name)
    for reason, names in by_reason.items():
        who = counted(
            len(names),
            translate("EmployeeModel", "non relancé"),
            translate("EmployeeModel", "non relancés"),
        )
        parts.append(f"{who} ({reason}) : {names_cut(names)}.")
    if stopped or failed:
        parts.append(
            QCoreApplication.translate(
                "EmployeeModel",
                "Relancer de nouveau continue sans risque : les salariés déjà relancés sont ignorés.",
            )
        )
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
            translate("EmployeeModel", "Matricule"),
            translate("EmployeeModel", "Nom"),
            translate("EmployeeModel", "Prénom"),
            translate("EmployeeModel", "Activé"),
            translate("EmployeeModel", "Création"),
            translate("EmployeeModel", "Dernier document"),
            "",
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        employee = self.row_at(index.row()) if index.isValid() else None
        if employee is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and column == "folder":
            return translate("EmployeeModel", "Ouvrir le dossier du salarié")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("activated", "folder"):
            return Qt.AlignmentFlag.AlignCenter
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "matricule": employee.matricule,
            "last_name": employee.last_name,
            "first_name": employee.first_name,
            "activated": translate("EmployeeModel", "Oui")
            if employee.activated
            else translate("EmployeeModel", "Non"),
            "created": day(employee.created_at),
            "last_document": day(employee.last_document_at),
            "folder": "…",
        }[column]
