"""The pane of one client in "Mes clients" (F6.3): its users' rights matrix, saved cell by cell (a click,
Espace or Entrée), the envelope to remind a user (Ctrl+R), the bin to delete one (Suppr, confirmed) and
"Ajouter un utilisateur" (Ctrl+N). A colleague's change (409) shows the current state and says so."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.clients import (
    ClientCompany,
    ClientRightChanged,
    ClientsApi,
    ClientUser,
    ClientUserAdded,
    ClientUsers,
    ReminderReport,
)
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.client_models import ClientUsersModel, day, right_label, status_text
from coffreo_desktop.gui.client_reminders import report_text
from coffreo_desktop.gui.client_user_dialog import ClientUserDialog
from coffreo_desktop.gui.i18n import fill_in
from coffreo_desktop.gui.tasks import Task


class ClientUsersView(QTableView):
    """A click anywhere in a cell, Espace or Entrée "activates" it: the pane decides what that means."""

    cell_activated = Signal(QModelIndex)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.clicked.connect(self.cell_activated)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.currentIndex().isValid()
        ):
            self.cell_activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ClientUsersPane(QWidget):
    """Shows one client; ``client_changed`` carries the client's row again after a change of its users."""

    client_changed = Signal(object)
    #: The shown client no longer exists (or is no longer served here): the list must be reloaded.
    client_gone = Signal(int)

    def __init__(self, api: ClientsApi, parent: QWidget) -> None:
        super().__init__(parent)
        self.api = api
        self.agency_id: int | None = None
        self.client: ClientCompany | None = None
        self.confirm_box: QMessageBox | None = None
        self.dialog: ClientUserDialog | None = None
        self._serial = 0
        self.reminding: set[int] = set()  # users whose reminder is on its way: no second click meanwhile
        self.loaded = False  # the shown client's users have come (the empty text is not shown before)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self, objectName="clientTitle")
        self.title.setProperty("role", "heading")
        self.summary = QLabel(self, objectName="clientSummary")
        self.summary.setProperty("role", "muted")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self.model = ClientUsersModel(self)
        self.table = ClientUsersView(self)
        self.table.setObjectName("clientUsersTable")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ClientUsersModel.NAME, QHeaderView.ResizeMode.Stretch)
        # No user yet: a sentence in place of an empty grid.
        self.empty = QLabel(
            self.tr("Ce client n'a encore aucun utilisateur. « Ajouter un utilisateur » lui en donne un."),
            self,
            objectName="clientUsersEmpty",
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        bar = QHBoxLayout()
        self.message = QLabel(self, objectName="clientUsersMessage")
        self.message.setWordWrap(True)
        self.add_button = QPushButton(theme.icon("user"), self.tr("Ajouter un utilisateur"), self)
        self.add_button.setObjectName("addClientUser")
        self.add_button.setToolTip(self.tr("Ajouter un utilisateur à ce client (Ctrl+N)"))
        bar.addWidget(self.message, 1)
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        self.table.cell_activated.connect(self.activate)
        self.add_button.clicked.connect(self.open_add)
        for keys, slot in (
            (QKeySequence("Ctrl+N"), self.open_add),
            (QKeySequence("Ctrl+R"), lambda: self._on_current(self.remind)),
            (QKeySequence(Qt.Key.Key_Delete), lambda: self._on_current(self.confirm_delete)),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.show_client(None, None)

    # ---- loading -------------------------------------------------------------------------------------
    def show_client(self, agency_id: int | None, client: ClientCompany | None) -> None:
        self.agency_id, self.client = agency_id, client
        self._serial += 1
        self.loaded = False
        self.model.set_users([])
        self._show_empty()
        self.message.clear()
        self.add_button.setEnabled(client is not None)
        if client is None:
            self.title.setText(self.tr("Choisissez un client pour voir ses utilisateurs."))
            self.summary.clear()
            return
        self._show_header(client)
        self.reload()

    def update_client(self, client: ClientCompany) -> None:
        """The list was reloaded: the shown client's status and dates as they are now."""
        if self.client is not None and self.client.id == client.id:
            self.client = client
            self._show_header(client)

    def _show_header(self, client: ClientCompany) -> None:
        self.title.setText(client.name)
        activated = (
            fill_in(self.tr(" — activé le %1"), day(client.activated_at)) if client.activated_at else ""
        )
        self.summary.setText(
            fill_in(self.tr("%1 — créé le %2"), status_text(client.status), day(client.created_at))
            + activated
        )

    def reload(self) -> None:
        if self.agency_id is None or self.client is None:
            return
        serial = self._serial
        Task(self, self.api.users(self.agency_id, self.client.id)).on_success(
            lambda found: self._loaded(serial, found)
        ).on_failure(lambda exc: self._failed(exc, serial)).run()

    def _loaded(self, serial: int, found: ClientUsers) -> None:
        if serial != self._serial:
            return  # another client was chosen meanwhile
        self.client = found.client
        self._show_header(found.client)
        self.model.set_users(found.users)
        self.loaded = True
        self._show_empty()
        self.client_changed.emit(found.client)

    def _show_empty(self) -> None:
        empty = self.loaded and self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.table)

    def _shows(self, client_id: int) -> bool:
        """Whether ``client_id`` is still the client shown: an answer about another one is not shown."""
        return self.client is not None and self.client.id == client_id

    def _failed(self, exc: BaseException, serial: int | None = None) -> None:
        if serial is not None and serial != self._serial:
            return  # an answer about the client shown before
        if isinstance(exc, SessionExpired) or not isinstance(exc, ApiError):
            # Log in again, or a bug: logged and announced the usual way, never hidden in a label.
            errors.show_error(self, exc)
            return
        code = exc.code if isinstance(exc, ApiError) and exc.status == 404 else None
        if code == "client_not_found" and self.client is not None:
            # Reloading the users would answer 404 again: clear the pane, let the page reload the list once.
            gone = self.client.id
            self.show_client(self.agency_id, None)
            self.message.setText(str(exc))
            self.client_gone.emit(gone)
            return
        self.message.setText(str(exc))
        if code == "client_user_not_found":
            self.reload()  # a user deleted meanwhile: show who is there now

    # ---- cells -----------------------------------------------------------------------------------------
    def _on_current(self, action: object) -> None:
        index = self.table.currentIndex()
        if index.isValid() and callable(action):
            action(self.model.users[index.row()])

    def activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        user = self.model.users[index.row()]
        right = self.model.right_at(index.column())
        if right is not None:
            self.toggle(user, right)
        elif index.column() == ClientUsersModel.REMIND and not user.activated:
            self.remind(user)
        elif index.column() == ClientUsersModel.DELETE:
            self.confirm_delete(user)

    def toggle(self, user: ClientUser, right: str) -> None:
        if self.agency_id is None or self.client is None or (user.id, right) in self.model.busy:
            return
        granted = right not in user.rights
        self.model.busy.add((user.id, right))
        client_id = self.client.id
        work = self.api.set_right(
            self.agency_id,
            client_id,
            user.id,
            right,  # type: ignore[arg-type]  # one of CLIENT_RIGHTS: the model's columns
            granted,
            not granted,
            email=user.email,
        )
        Task(self, work).on_success(lambda row: self._toggled(client_id, row, right, granted)).on_failure(
            lambda exc: self._toggle_refused(client_id, user, right, exc)
        ).run()

    def _toggled(self, client_id: int, row: ClientUser, right: str, granted: bool) -> None:
        self.model.busy.discard((row.id, right))
        if not self._shows(client_id):
            return  # saved for a client no longer shown: its users are read again when it is chosen
        self.model.replace(row)
        template = self.tr("« %1 » accordé à %2.") if granted else self.tr("« %1 » retiré à %2.")
        self.message.setText(fill_in(template, right_label(right), row.full_name))  # type: ignore[arg-type]

    def _toggle_refused(self, client_id: int, user: ClientUser, right: str, exc: BaseException) -> None:
        self.model.busy.discard((user.id, right))
        if not self._shows(client_id) and isinstance(exc, ApiError) and not isinstance(exc, SessionExpired):
            return  # a refusal about a client no longer shown
        if isinstance(exc, ClientRightChanged):
            if exc.current is None:
                self.model.remove(user.id)
            else:
                self.model.replace(exc.current)
            self.message.setText(str(exc))
            return
        self._failed(exc)

    # ---- users -----------------------------------------------------------------------------------------
    def remind(self, user: ClientUser) -> None:
        if self.agency_id is None or self.client is None or user.activated or user.id in self.reminding:
            return
        self.reminding.add(user.id)
        client_id = self.client.id
        Task(self, self.api.remind_user(self.agency_id, client_id, user.id, email=user.email)).on_success(
            lambda report: self._reminded(client_id, report)
        ).on_failure(lambda exc: self._failed_for(client_id, exc)).on_finished(
            lambda: self.reminding.discard(user.id)
        ).run()

    def _reminded(self, client_id: int, report: ReminderReport) -> None:
        if self._shows(client_id):
            self.message.setText(report_text(report, users=True))

    def _failed_for(self, client_id: int, exc: BaseException) -> None:
        """A refusal is said only while its client is shown; a session expired or a bug always."""
        if self._shows(client_id) or not isinstance(exc, ApiError) or isinstance(exc, SessionExpired):
            self._failed(exc)

    def confirm_delete(self, user: ClientUser) -> QMessageBox | None:
        if self.client is None:
            return None
        question = fill_in(
            self.tr(
                "Supprimer l'utilisateur %1 (%2) du client %3 ? Il n'aura plus accès à l'espace de "
                "l'entreprise."
            ),
            user.full_name,
            user.email,
            self.client.name,
        )
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Supprimer l'utilisateur"), question, parent=self
        )
        box.setObjectName("deleteClientUserBox")
        yes = box.addButton(self.tr("Supprimer"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._delete(user) if button is yes else None)
        self.confirm_box = box
        box.open()
        return box

    def _delete(self, user: ClientUser) -> None:
        if self.agency_id is None or self.client is None:
            return
        client_id = self.client.id
        Task(self, self.api.delete_user(self.agency_id, client_id, user.id, email=user.email)).on_success(
            lambda _none: self._deleted(client_id, user)
        ).on_failure(lambda exc: self._failed_for(client_id, exc)).run()

    def _deleted(self, client_id: int, user: ClientUser) -> None:
        if not self._shows(client_id):
            return
        self.model.remove(user.id)
        self.message.setText(fill_in(self.tr("%1 a été supprimé."), user.full_name))
        self.reload()  # the client's counts and status

    def open_add(self) -> None:
        if self.agency_id is None or self.client is None:
            return
        self.dialog = ClientUserDialog(self.api, self.agency_id, self.client.id, self.client.name, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        client_id = self.client.id
        self.dialog.added.connect(lambda added: self._added(client_id, added))
        self.dialog.open()

    def _added(self, client_id: int, added: ClientUserAdded) -> None:
        if not self._shows(client_id):
            return
        user = added.user
        self.model.add(user)
        self._show_empty()
        if added.mail == "invitation":
            text = self.tr("%1 a été ajouté : une invitation à activer son accès est envoyée à %2.")
        elif added.mail == "access_granted":
            text = self.tr(
                "%1 a été ajouté : son adresse %2 a déjà un accès à l'espace client, un e-mail l'informe "
                "de ce nouvel accès."
            )
        else:
            text = self.tr("%1 a été ajouté (%2).")
        self.message.setText(fill_in(text, user.full_name, user.email))
        self.reload()
