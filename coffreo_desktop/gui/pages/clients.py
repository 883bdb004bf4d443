""" "Mes clients" (F6.3): the client companies of an establishment where the user is "A", with their status
and dates; "Relancer" one client or the selection (Ctrl+Maj+R, confirmed) and the result; beside the table,
the chosen client's users and their rights (:mod:`..client_users_pane`). F5 reloads."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.clients import ClientCompany, ClientsApi
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.client_models import ClientListModel
from coffreo_desktop.gui.client_reminders import ClientReminderRun
from coffreo_desktop.gui.client_users_pane import ClientUsersPane
from coffreo_desktop.gui.establishment_choice import admin_agencies, chosen_agency_id, establishment_combo
from coffreo_desktop.gui.i18n import counted, fill_in, number
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.tasks import Task


class ClientsPage(Page):
    feature = Feature.CLIENTS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.api = ClientsApi(context.session.api)
        self.agencies = admin_agencies(context.me)
        self.confirm_box: QMessageBox | None = None
        self._serial = 0
        self.shown_agency: int | None = None  # the establishment whose clients the list holds (or loads)
        self.reminding = False  # a reminder on its way: no second one before its answer
        self.reminder_run: ClientReminderRun | None = None
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Établissement :"), self))
        self.agency_combo = establishment_combo(self, self.agencies, "clientsAgency")
        bar.addWidget(self.agency_combo)
        bar.addStretch(1)
        self.remind_button = QPushButton(
            theme.icon("contact"), self.tr("Relancer"), self, objectName="remindClients"
        )
        self.remind_button.setToolTip(
            self.tr("Renvoyer l'invitation aux utilisateurs non activés des clients choisis (Ctrl+Maj+R)")
        )
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"), self)
        self.refresh_button.setToolTip(self.tr("Actualiser (F5)"))
        bar.addWidget(self.remind_button)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)
        self.count_label = QLabel(self, objectName="clientsCount")
        self.count_label.setProperty("role", "heading")
        layout.addWidget(self.count_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = ClientListModel(self)
        self.table = QTableView(self, objectName="clientsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # In place of the table when there is no client to show: why, and after a failure "Réessayer".
        self.empty = QWidget(self, objectName="clientsEmpty")
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        self.empty_text = QLabel(self.empty, objectName="clientsEmptyText")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retry_button = QPushButton(
            theme.icon("refresh"), self.tr("Réessayer"), self.empty, objectName="clientsRetry"
        )
        self.retry_button.setToolTip(self.tr("Charger la liste à nouveau (F5)"))
        retry_row = QHBoxLayout()
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry_button)
        retry_row.addStretch(1)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addLayout(retry_row)
        empty_layout.addStretch(1)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.pane = ClientUsersPane(self.api, self)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.message = QLabel(self, objectName="clientsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.agency_combo.activated.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.retry_button.clicked.connect(self.reload)
        self.remind_button.clicked.connect(self.confirm_remind)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.pane.client_changed.connect(self.model.replace)
        self.pane.client_gone.connect(lambda _id: self.reload())
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, self.confirm_remind)
        self._update_actions()

    # ---- loading -------------------------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """Follow the window's selector when the user is "A" there; otherwise ask for an establishment."""
        super().set_agency(agency_id)
        index = self.agency_combo.findData(agency_id) if agency_id is not None else -1
        if index < 0 and len(self.agencies) == 1:
            index = 0
        if index >= 0 or self.agency_combo.currentIndex() < 0:
            self.agency_combo.setCurrentIndex(index)
        self.reload()

    def current_agency_id(self) -> int | None:
        return chosen_agency_id(self.agency_combo)

    def reload(self) -> None:
        agency_id = self.current_agency_id()
        self._serial += 1
        if agency_id != self.shown_agency:
            # Another establishment: nothing of the previous one stays on screen, or acts on it.
            self.shown_agency = agency_id
            self.model.set_clients([])
            self.pane.show_client(agency_id, None)
            self.message.clear()
            self._show_empty("")
        elif self.retry_button.isVisibleTo(self.empty):
            self._show_empty(self.tr("Chargement…"))  # "Réessayer" was clicked: the old reason is stale
        if agency_id is None:
            self.count_label.setText(self.tr("Choisissez un établissement où vous êtes administrateur."))
            self._update_actions()
            return
        serial = self._serial
        chosen = self._selected_ids()
        self.count_label.setText(self.tr("Chargement…"))
        Task(self, self.api.clients(agency_id)).on_success(
            lambda found: self._loaded(serial, agency_id, found, chosen)
        ).on_failure(lambda exc: self._load_failed(exc, serial)).run()

    def _loaded(self, serial: int, agency_id: int, clients: list[ClientCompany], chosen: list[int]) -> None:
        if serial != self._serial:
            return  # the establishment changed meanwhile
        self.model.set_clients(clients)
        activated = sum(1 for c in clients if c.status == "activé")
        if clients:
            self.count_label.setText(
                fill_in(
                    self.tr("%1, dont %2"),
                    counted(len(clients), self.tr("client"), self.tr("clients")),
                    counted(activated, self.tr("activé"), self.tr("activés")),
                )
            )
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.count_label.setText(self.tr("Aucun client"))
            self._show_empty(self.tr("Aucune entreprise cliente n'est rattachée à cet établissement."))
        selection = self.table.selectionModel()
        for client_id in chosen:  # the selection survives a reload
            row = self.model.row_of(client_id)
            if row >= 0:
                flags = QItemSelection(
                    self.model.index(row, 0), self.model.index(row, len(self.model.COLUMNS) - 1)
                )
                selection.select(flags, selection.SelectionFlag.Select)
        for client in clients:
            self.pane.update_client(client)
        shown = self.pane.client
        if (
            not chosen
            or self.pane.agency_id != agency_id
            or (shown is not None and self.model.row_of(shown.id) < 0)
        ):
            # The pane's client left the list (or belongs to another establishment): nothing to act on.
            self.pane.show_client(agency_id, None)
        self._update_actions()

    def _show_empty(self, text: str, *, retry: bool = False) -> None:
        self.empty_text.setText(text)
        self.retry_button.setVisible(retry)
        self.list_stack.setCurrentWidget(self.empty)

    def _load_failed(self, exc: BaseException, serial: int) -> None:
        if serial != self._serial:
            return  # the answer about an establishment no longer shown
        # The list shown must not pass for the current one: emptied, with the reason and "Réessayer".
        self.model.set_clients([])
        self.pane.show_client(self.current_agency_id(), None)
        self.count_label.setText(self.tr("Liste des clients indisponible"))
        reason = errors.inline_text(self, exc)  # None: log in again, or a bug, announced the usual way
        if reason is None:
            reason = self.tr("La liste des clients n'a pas pu être chargée.")
        self._show_empty(reason + "\n" + self.tr("Réessayez (F5) dans un instant."), retry=True)
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        text = errors.inline_text(self, exc)
        if text is not None:
            self.message.setText(text)
        self._update_actions()

    # ---- selection and reminders ---------------------------------------------------------------------
    def _selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.clients[r].id for r in rows if r < len(self.model.clients)]

    def _selection_changed(self) -> None:
        ids = self._selected_ids()
        agency_id = self.current_agency_id()
        if len(ids) == 1 and agency_id is not None:
            client = self.model.clients[self.model.row_of(ids[0])]
            if self.pane.client is None or self.pane.client.id != client.id:
                self.pane.show_client(agency_id, client)
        self._update_actions()

    def _update_actions(self) -> None:
        count = len(self._selected_ids())
        self.remind_button.setEnabled(count > 0 and not self.reminding)
        self.remind_button.setText(
            self.tr("Relancer") if count <= 1 else fill_in(self.tr("Relancer (%1)"), number(count))
        )

    def confirm_remind(self) -> QMessageBox | None:
        ids = self._selected_ids()
        agency_id = self.current_agency_id()
        if not ids or agency_id is None or self.reminding:
            return None
        if len(ids) == 1:
            name = self.model.clients[self.model.row_of(ids[0])].name
            question = fill_in(
                self.tr(
                    "Relancer %1 ? L'invitation est renvoyée à ses utilisateurs qui n'ont pas activé leur "
                    "accès."
                ),
                name,
            )
        else:
            question = fill_in(
                self.tr(
                    "Relancer %1 clients ? L'invitation est renvoyée à leurs utilisateurs qui n'ont pas "
                    "activé leur accès (une fois par 24 heures au plus)."
                ),
                number(len(ids)),
            )
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Relancer"), question, parent=self)
        box.setObjectName("remindClientsBox")
        yes = box.addButton(self.tr("Relancer"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._remind(agency_id, ids) if button is yes else None)
        self.confirm_box = box
        box.open()
        return box

    def _remind(self, agency_id: int, ids: list[int]) -> None:
        if self.reminding:
            return
        self.reminding = True
        self._update_actions()
        run = ClientReminderRun(self, self.api, agency_id, ids)  # in chunks, with progress past one
        run.finished.connect(lambda summary: self._reminded(run, summary))
        self.reminder_run = run
        run.start()

    def _reminded(self, run: ClientReminderRun, text: str) -> None:
        self.reminding = False
        self.reminder_run = None
        if run.error is not None and run.chunks_done == 0:
            self._failed(run.error)  # nothing done: the error alone, as for any request
            return
        # ``text`` is the run's result (``result_text``); a refusal of the server is added to it.
        shown = errors.inline_text(self, run.error) if run.error is not None else None
        if shown is not None:
            text += " " + shown
        self.message.setText(text)
        self._update_actions()
        self.reload()  # statuses move from "non activé" to "invité"
