"""Table models of "Mes clients" (F6.3): the client companies of an establishment, and the users of one
client as a rights matrix (a check per right, an envelope to remind, a bin to delete)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from coffreo_desktop.client.clients import CLIENT_RIGHTS, ClientCompany, ClientRight, ClientUser
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui import theme

_PARIS = ZoneInfo(DISPLAY_TZ)
Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    # Strings are marked with QT_TRANSLATE_NOOP at each call, where lupdate finds them.
    return QCoreApplication.translate("ClientModels", text)


def day(moment: datetime | None) -> str:
    return moment.astimezone(_PARIS).strftime("%d/%m/%Y") if moment is not None else ""


def status_text(status: str) -> str:
    return {
        "activé": _tr(QT_TRANSLATE_NOOP("ClientModels", "Activé")),
        "invité": _tr(QT_TRANSLATE_NOOP("ClientModels", "Invité")),
        "non activé": _tr(QT_TRANSLATE_NOOP("ClientModels", "Non activé")),
    }.get(status, status)


def right_label(right: ClientRight) -> str:
    return {
        "view_contracts": _tr(QT_TRANSLATE_NOOP("ClientModels", "Consulter les contrats")),
        "sign_contracts": _tr(QT_TRANSLATE_NOOP("ClientModels", "Signer les contrats")),
        "invoices": _tr(QT_TRANSLATE_NOOP("ClientModels", "Factures")),
        "timesheets": _tr(QT_TRANSLATE_NOOP("ClientModels", "Relevés d'heures")),
    }[right]


def right_header(right: ClientRight) -> str:
    """The column header: the label on two short lines, so that the matrix stays narrow."""
    return {
        "view_contracts": _tr(QT_TRANSLATE_NOOP("ClientModels", "Consulter\nles contrats")),
        "sign_contracts": _tr(QT_TRANSLATE_NOOP("ClientModels", "Signer\nles contrats")),
        "invoices": _tr(QT_TRANSLATE_NOOP("ClientModels", "Factures")),
        "timesheets": _tr(QT_TRANSLATE_NOOP("ClientModels", "Relevés\nd'heures")),
    }[right]


class ClientListModel(QAbstractTableModel):
    """One row per client company: name, code, statut, creation and activation dates, users."""

    COLUMNS = ("name", "code", "status", "created", "activated", "users")
    CLIENT_ROLE = Qt.ItemDataRole.UserRole + 1

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
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Client")),
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Code")),
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Statut")),
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Création")),
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Activation")),
            _tr(QT_TRANSLATE_NOOP("ClientModels", "Utilisateurs activés")),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        client = self.clients[index.row()]
        column = self.COLUMNS[index.column()]
        if role == self.CLIENT_ROLE:
            return client
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
            return _tr(QT_TRANSLATE_NOOP("ClientModels", "SIRET : ")) + client.siret
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
                self.NAME: _tr(QT_TRANSLATE_NOOP("ClientModels", "Utilisateur")),
                self.STATE: _tr(QT_TRANSLATE_NOOP("ClientModels", "Accès")),
            }.get(section, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if right is not None:
                return right_label(right)
            return {
                self.REMIND: _tr(QT_TRANSLATE_NOOP("ClientModels", "Relancer (Ctrl+R)")),
                self.DELETE: _tr(QT_TRANSLATE_NOOP("ClientModels", "Supprimer (Suppr)")),
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
                    _tr(QT_TRANSLATE_NOOP("ClientModels", "oui"))
                    if right in user.rights
                    else _tr(QT_TRANSLATE_NOOP("ClientModels", "non"))
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
                (_tr(QT_TRANSLATE_NOOP("ClientModels", "Activé le ")) + day(user.activated_at))
                if user.activated
                else _tr(QT_TRANSLATE_NOOP("ClientModels", "Non activé"))
            )
        if column == self.REMIND and not user.activated:
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon("contact")
            if role == Qt.ItemDataRole.ToolTipRole:
                return _tr(QT_TRANSLATE_NOOP("ClientModels", "Relancer : renvoyer l'invitation (Ctrl+R)"))
        if column == self.DELETE:
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon("delete")
            if role == Qt.ItemDataRole.ToolTipRole:
                return _tr(QT_TRANSLATE_NOOP("ClientModels", "Supprimer l'utilisateur (Suppr)"))
        return None
