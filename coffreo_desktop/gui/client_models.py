"""Table models of "Mes clients" (F6.3): the client companies of an establishment, and the users of one
client as a rights matrix (a check per right, an envelope to remind, a bin to delete)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from coffreo_desktop.client.clients import CLIENT_RIGHTS, ClientCompany, ClientRight, ClientUser
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import paris_text, translate

Index = QModelIndex | QPersistentModelIndex


def day(moment: datetime | None) -> str:
    return paris_text(moment)


def status_text(status: str) -> str:
    return {
        "activé": translate("ClientModels", "Activé"),
        "invité": translate("ClientModels", "Invité"),
        "non activé": translate("ClientModels", "Non activé"),
    }.get(status, status)


def right_label(right: ClientRight) -> str:
    return {
        "view_contracts": translate("ClientModels", "Consulter les contrats"),
        "sign_contracts": translate("ClientModels", "Signer les contrats"),
        "invoices": translate("ClientModels", "Factures"),
        "timesheets": translate("ClientModels", "Relevés d'heures"),
    }[right]


def right_header(right: ClientRight) -> str:
    """The column header: the label on two short lines, so that the matrix stays narrow."""
    return {
        "view_contracts": translate("ClientModels", "Consulter\nles contrats"),
        "sign_contracts": translate("ClientModels", "Signer\nles contrats"),
        "invoices": translate("ClientModels", "Factures"),
        "timesheets": translate("ClientModels", "Relevés\nd'heures"),
    }[right]


class ClientListModel(QAbstractTableModel):
    """One row per client company: name, code, statut, creation and activation dates, users."""

    COLUMNS = ("name", "code", "status", "created", "activated", "users")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.clients: list[ClientCompany] = []

    def set_clients(self, clients: list[ClientCompany]) -> None:
        self.beginResetModel()
        self.clients = list(clients)
        self.endResetModel()

    def replace(self, client: ClientCompany) -> None:
        for row, known in enumerate(self.clients):
            if known.id == client.id:
                self.clients[row] = client
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def row_of(self, client_id: int) -> int:
        return next((r for r, c in enumerate(self.clients) if c.id == client_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.clients)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            translate("ClientModels", "Client"),
            translate("ClientModels", "Code"),
            translate("ClientModels", "Statut"),
            translate("ClientModels", "Création"),
            translate("ClientModels", "Activation"),
            translate("ClientModels", "Utilisateurs\nactivés"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        client = self.clients[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "name": client.name,
                "code": client.code,
                "status": status_text(client.status),
                "created": day(client.created_at),
                "activated": day(client.activated_at),
                "users": f"{client.users_activated} / {client.users}",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "name" and client.siret:
            return translate("ClientModels", "SIRET : ") + client.siret
        return None


class ClientUsersModel(QAbstractTableModel):
    """The users of one client against their rights; a right's cell shows a check, toggled by the view."""

    NAME, STATE = 0, 1
    FIRST_RIGHT = 2
    REMIND = FIRST_RIGHT + len(CLIENT_RIGHTS)
    DELETE = REMIND + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.users: list[ClientUser] = []
        # Cells being saved, (user id, right): not toggled twice. User ids are unique across clients, and
        # a reload keeps them: only the save's answer (success or refusal) frees its cell.
        self.busy: set[tuple[int, str]] = set()

    def set_users(self, users: list[ClientUser]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def replace(self, user: ClientUser) -> None:
        for row, known in enumerate(self.users):
            if known.id == user.id:
                self.users[row] = user
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.DELETE))

    def remove(self, user_id: int) -> None:
        for row, known in enumerate(self.users):
            if known.id == user_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.users[row]
                self.endRemoveRows()
                return

    def add(self, user: ClientUser) -> None:
        self.beginInsertRows(QModelIndex(), len(self.users), len(self.users))
        self.users.append(user)
        self.endInsertRows()

    @staticmethod
    def right_at(column: int) -> ClientRight | None:
        offset = column - ClientUsersModel.FIRST_RIGHT
        return CLIENT_RIGHTS[offset] if 0 <= offset < len(CLIENT_RIGHTS) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.DELETE + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        right = self.right_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if right is not None:
                return right_header(right)
            return {
                self.NAME: translate("ClientModels", "Utilisateur"),
                self.STATE: translate("ClientModels", "Accès"),
            }.get(section, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if right is not None:
                return right_label(right)
            return {
                self.REMIND: translate("ClientModels", "Relancer (Ctrl+R)"),
                self.DELETE: translate("ClientModels", "Supprimer (Suppr)"),
            }.get(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if index.isValid()
            else Qt.ItemFlag.NoItemFlags
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self.users[index.row()]
        column = index.column()
        right = self.right_at(column)
        if right is not None:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if right in user.rights else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole or role == Qt.ItemDataRole.ToolTipRole:
                state = (
                    translate("ClientModels", "oui")
                    if right in user.rights
                    else translate("ClientModels", "non")
                )
                return f"{right_label(right)} : {state}"
            return None
        if column == self.NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{user.civility} {user.full_name}".strip()
            if role == Qt.ItemDataRole.ToolTipRole:
                return user.email
        if column == self.STATE and role == Qt.ItemDataRole.DisplayRole:
            return (
                (translate("ClientModels", "Activé le ") + day(user.activated_at))
                if user.activated
                else translate("ClientModels", "Non activé")
            )
        if column == self.REMIND and not user.activated:
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon("contact")
            if role == Qt.ItemDataRole.ToolTipRole:
                return translate("ClientModels", "Relancer : renvoyer l'invitation (Ctrl+R)")
        if column == self.DELETE:
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon("delete")
            if role == Qt.ItemDataRole.ToolTipRole:
                return translate("ClientModels", "Supprimer l'utilisateur (Suppr)")
        return None
