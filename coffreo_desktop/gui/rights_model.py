"""The rights matrix of one establishment (F6.1) as a table model: users as rows; name, email, one column
per right (A, D, DL, DLP, DLS, DA, RH: drawn by :mod:`..rights_delegate`), the read-only rights
elsewhere, and the bin."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from coffreo_desktop.client.admin import RightsMatrix, UserRights
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import domain_text, fill_in, translate

NAME_COLUMN, EMAIL_COLUMN = 0, 1
FIRST_RIGHT_COLUMN = 2
ELSEWHERE_COLUMN = FIRST_RIGHT_COLUMN + len(MATRIX_ORDER)
REMOVE_COLUMN = ELSEWHERE_COLUMN + 1
COLUMN_COUNT = REMOVE_COLUMN + 1
#: A right cell's state (bool), for the delegate and the tests.
GRANTED_ROLE = Qt.ItemDataRole.UserRole + 1
#: True while a save of the cell is on its way (no second toggle meanwhile).
PENDING_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


def right_of(column: int) -> Right | None:
    """The right of a matrix column, None for the other columns."""
    offset = column - FIRST_RIGHT_COLUMN
    return MATRIX_ORDER[offset] if 0 <= offset < len(MATRIX_ORDER) else None


def column_of(right: Right) -> int:
    return FIRST_RIGHT_COLUMN + MATRIX_ORDER.index(right)


def elsewhere_text(user: UserRights) -> str:
    """One line of the rights on other establishments and brands, e.g. "Alto Nanterre : D, DL"."""
    parts = [f"{a.name} : {a.codes()}" for a in user.other_agencies]
    parts += [
        fill_in(translate("RightsMatrixModel", "Marque %1 : %2"), b.name, b.codes())
        for b in user.brand_rights
    ]
    return " ; ".join(parts)


class RightsMatrixModel(QAbstractTableModel):
    """The rows of ``GET /admin/rights`` for one agency, with the cells being saved."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.agency_id: int | None = None
        self.users: list[UserRights] = []
        self._pending: set[tuple[int, int, Right]] = set()  # (agency, user, right)
        self._icons: dict[str, QIcon] = {}
        self._headers = [
            translate("RightsMatrixModel", "Nom"),
            translate("RightsMatrixModel", "E-mail"),
            *(r.value for r in MATRIX_ORDER),
        ]
        self._headers += [translate("RightsMatrixModel", "Ailleurs (lecture seule)"), ""]

    # ---- content ------------------------------------------------------------------------------------
    def set_matrix(self, matrix: RightsMatrix) -> None:
        self.beginResetModel()
        self.agency_id = matrix.agency_id
        self.users = list(matrix.users)
        # Saves on their way stay pending: their answer comes after this list and replaces their row.
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.agency_id, self.users = None, []
        self.endResetModel()

    def row_of(self, user_id: int) -> int | None:
        return next((row for row, user in enumerate(self.users) if user.user_id == user_id), None)

    def user_at(self, row: int) -> UserRights | None:
        return self.users[row] if 0 <= row < len(self.users) else None

    def replace_user(self, user: UserRights) -> None:
        """The server's current row: replaced in place, or added when it was not shown yet."""
        row = self.row_of(user.user_id)
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self.users), len(self.users))
            self.users.append(user)
            self.endInsertRows()
            return
        self.users[row] = user
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    def remove_user(self, user_id: int) -> None:
        row = self.row_of(user_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.users[row]
        self.endRemoveRows()

    def set_pending(self, agency_id: int, user_id: int, right: Right, pending: bool) -> None:
        key = (agency_id, user_id, right)
        if pending:
            self._pending.add(key)
        else:
            self._pending.discard(key)
        row = self.row_of(user_id)
        if row is not None and agency_id == self.agency_id:
            cell = self.index(row, column_of(right))
            self.dataChanged.emit(cell, cell)

    def is_pending(self, user_id: int, right: Right, agency_id: int | None = None) -> bool:
        """Whether the cell is being saved (on ``agency_id``, by default the agency shown)."""
        return (agency_id if agency_id is not None else self.agency_id or 0, user_id, right) in self._pending

    def has_pending(self) -> bool:
        return bool(self._pending)

    def refresh_icons(self) -> None:
        """The colour scheme changed: icons are taken again in the new variant."""
        self._icons.clear()
        if self.users:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.users) - 1, COLUMN_COUNT - 1))

    def _icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = theme.icon(name)
        return self._icons[name]

    # ---- QAbstractTableModel ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        right = right_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if right is not None:
                return f"{right.value} — {domain_text(right.label)}"
            if section == REMOVE_COLUMN:
                return translate("RightsMatrixModel", "Supprimer l'accès (Suppr)")
        if role == Qt.ItemDataRole.TextAlignmentRole and right is not None:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user = self.user_at(index.row()) if index.isValid() else None
        if user is None:
            return None
        column = index.column()
        right = right_of(column)
        if right is not None:
            return self._right_data(user, right, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME_COLUMN:
                name = f"{user.last_name.upper()} {user.first_name}".strip()
                return name + (
                    translate("RightsMatrixModel", " (invitation en attente)") if user.invited else ""
                )
            if column == EMAIL_COLUMN:
                return user.email
            if column == ELSEWHERE_COLUMN:
                return elsewhere_text(user) or "—"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ELSEWHERE_COLUMN:
                return self._elsewhere_tooltip(user)
            if column == REMOVE_COLUMN:
                return fill_in(
                    translate("RightsMatrixModel", "Supprimer l'accès de %1 (Suppr)"),
                    user.full_name,
                )
            if column == NAME_COLUMN and not user.active:
                return translate("RightsMatrixModel", "Compte désactivé")
        if role == Qt.ItemDataRole.DecorationRole and column == REMOVE_COLUMN:
            return self._icon("delete")
        if role == Qt.ItemDataRole.ForegroundRole and (column == ELSEWHERE_COLUMN or not user.active):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and column == ELSEWHERE_COLUMN:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _right_data(self, user: UserRights, right: Right, role: int) -> Any:
        granted = right in user.rights
        pending = self.is_pending(user.user_id, right)
        if role == GRANTED_ROLE:
            return granted
        if role == PENDING_ROLE:
            return pending
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            state = (
                translate("RightsMatrixModel", "accordé")
                if granted
                else translate("RightsMatrixModel", "non accordé")
            )
            action = (
                QCoreApplication.translate(
                    "RightsMatrixModel", "Cliquez ou appuyez sur Espace pour le retirer."
                )
                if granted
                else QCoreApplication.translate(
                    "RightsMatrixModel", "Cliquez ou appuyez sur Espace pour l'accorder."
                )
            )
            if pending:
                action = translate("RightsMatrixModel", "Enregistrement en cours…")
            return f"{user.full_name} — {right.value} ({domain_text(right.label)}) : {state}. {action}"
        return None

    def _elsewhere_tooltip(self, user: UserRights) -> str:
        lines = [translate("RightsMatrixModel", "Droits ailleurs (lecture seule) :")]
        lines += [f"• {a.name} : {a.codes()}" for a in user.other_agencies]
        lines += [
            fill_in(translate("RightsMatrixModel", "• Marque %1 : %2"), b.name, b.codes())
            for b in user.brand_rights
        ]
        if len(lines) == 1:
            lines.append(translate("RightsMatrixModel", "aucun"))
        return "\n".join(lines)
