"""'Mes salariés' (F6.2): the employees of an establishment where the user is "A", with the vault counts, the
filters "tous / activés / non activés", a search that answers as you type, reminders ("Relancer") and the
employee's folder beside the list, whose documents open in the viewer.

Typing restarts a 250 ms timer; each request carries a generation number and an answer of an older
generation is dropped, so a slow answer to "ma" never replaces the one to "mar".
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.documents import DocumentsApi
from coffreo_desktop.client.employees import (
    EmployeeCounts,
    EmployeeFolder,
    EmployeesApi,
    EmployeeStatus,
    FolderDocument,
)
from coffreo_desktop.client.employees import (
    EmployeesPage as EmployeeRowsPage,
)
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.employee_folder import EmployeeFolderPane
from coffreo_desktop.gui.employee_model import COLUMNS, FOLDER_COLUMN, EmployeesModel
from coffreo_desktop.gui.employee_reminders import ReminderRun
from coffreo_desktop.gui.establishment_choice import admin_agencies, chosen_agency_id, establishment_combo
from coffreo_desktop.gui.i18n import fill_in, number
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.tasks import Task
from coffreo_desktop.gui.viewer import ViewerWindow

#: Wait after the last keystroke before asking the server (F6.2 "answers as you type").
SEARCH_DELAY_MS = 250


class EmployeesPage(Page):
    feature = Feature.EMPLOYEES

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.api = EmployeesApi(context.session.api)
        self.documents_api = DocumentsApi(context.session.api)
        self.agencies = admin_agencies(context.me)
        self.status = EmployeeStatus.ALL
        self.generation = 0  # of the list: answers of an older one are dropped
        self.folder_serial = 0  # likewise for the folder: a slow answer for A never replaces B's
        self.counts: EmployeeCounts | None = None
        self.counts_agency: int | None = None  # whose counts ``counts`` are: never another's number shown
        self.viewer: ViewerWindow | None = None
        self.confirm_box: QMessageBox | None = None
        self.reminder_run: ReminderRun | None = None  # the reminders under way, batch after batch
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload_list)
        self._build()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Établissement :"), self))
        self.agency_combo = establishment_combo(self, self.agencies, "employeesAgency")
        self.agency_combo.activated.connect(lambda _i: self.reload())
        bar.addWidget(self.agency_combo)
        self.search = QLineEdit(self, objectName="employeesSearch")
        self.search.setPlaceholderText(self.tr("Rechercher : matricule, nom ou prénom"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        bar.addWidget(self.search, 1)
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"), self)
        self.refresh_button.setToolTip(self.tr("Actualiser (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        filters = QHBoxLayout()
        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[EmployeeStatus, QPushButton] = {}
        for status in EmployeeStatus:
            button = QPushButton(self, objectName=f"filter_{status.value}", checkable=True)
            self.filter_group.addButton(button)
            self.filter_buttons[status] = button
            button.clicked.connect(partial(self.set_status, status))
            filters.addWidget(button)
        self.filter_buttons[EmployeeStatus.ALL].setChecked(True)
        filters.addStretch(1)
        self.counts_label = QLabel(self, objectName="employeesCounts")
        self.counts_label.setProperty("role", "heading")
        filters.addWidget(self.counts_label)
        layout.addLayout(filters)
        self._show_counts()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = EmployeesModel(self)
        self.model.more_wanted.connect(self.fetch_more)
        self.table = QTableView(self.splitter, objectName="employeesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Dates, matricule and "Activé" as wide as their text (headers included, never cut when the folder
        # pane narrows the table); the names take the room left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for name in ("last_name", "first_name"):
            header.setSectionResizeMode(COLUMNS.index(name), QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._cell_clicked)
        self.table.doubleClicked.connect(lambda index: self.open_folder(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.folder_pane = EmployeeFolderPane(self.splitter)
        self.folder_pane.document_requested.connect(self.open_document)
        self.folder_pane.closed.connect(self.folder_pane.hide)
        self.folder_pane.hide()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        actions = QHBoxLayout()
        self.remind_button = QPushButton(self.tr("Relancer"), self, objectName="remindSelection")
        self.remind_button.setToolTip(
            self.tr("Renvoyer l'invitation à activer le coffre aux salariés sélectionnés (une fois par 24 h)")
        )
        self.remind_button.clicked.connect(self.remind_selection)
        self.remind_all_button = QPushButton(
            self.tr("Relancer tous les non activés"), self, objectName="remindAll"
        )
        self.remind_all_button.clicked.connect(self.confirm_remind_all)
        actions.addWidget(self.remind_button)
        actions.addWidget(self.remind_all_button)
        self.result_label = QLabel(self, objectName="reminderResult")
        self.result_label.setWordWrap(True)
        actions.addWidget(self.result_label, 1)
        layout.addLayout(actions)
        self.empty_label = QLabel(self, objectName="employeesEmpty")
        self.empty_label.setProperty("role", "muted")
        layout.addWidget(self.empty_label)
        f5 = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        f5.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        f5.activated.connect(self.reload)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.search.setFocus)
        self._update_buttons()

    # ---- agency, filter, search ----------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """Follow the window's selector where the user is "A"; otherwise the establishment chosen here."""
        super().set_agency(agency_id)
        index = self.agency_combo.findData(agency_id) if agency_id is not None else -1
        if index < 0 and self.agency_combo.currentIndex() < 0 and self.agencies:
            index = 0
        if index >= 0:
            self.agency_combo.setCurrentIndex(index)
        self.reload()

    def current_agency_id(self) -> int | None:
        return chosen_agency_id(self.agency_combo)

    def set_status(self, status: EmployeeStatus) -> None:
        self.status = status
        self.filter_buttons[status].setChecked(True)
        self.reload_list()

    def reload(self) -> None:
        """F5, a new establishment: the counts and the list again."""
        self.folder_serial += 1  # a folder on its way must not reopen the pane hidden here
        self.folder_pane.hide()
        self.result_label.clear()
        agency_id = self.current_agency_id()
        if agency_id != self.counts_agency:  # another establishment: its counts, or none until they come
            self.counts, self.counts_agency = None, None
            self._show_counts()
        self._load_counts()
        self.reload_list()

    def _load_counts(self) -> None:
        agency_id = self.current_agency_id()
        if agency_id is not None:
            Task(self, self.api.counts(agency_id)).on_success(partial(self._counts_arrived, agency_id)).run()

    def reload_list(self) -> None:
        self.search_timer.stop()
        self.generation += 1
        agency_id = self.current_agency_id()
        if agency_id is None:
            self.model.reset((), None)
            self.empty_label.setText(
                self.tr("Choisissez un établissement où vous êtes administrateur.")
                if self.agencies
                else self.tr("Vous n'êtes administrateur d'aucun établissement.")
            )
            return
        self._request_page(agency_id, None)

    def fetch_more(self) -> None:
        agency_id, cursor = self.current_agency_id(), self.model.next_cursor
        if agency_id is None or cursor is None or self.model.loading:
            return
        self._request_page(agency_id, cursor)

    def _request_page(self, agency_id: int, cursor: str | None) -> None:
        """The first page (``cursor`` None) replaces the rows; a next one is appended to them."""
        self.model.loading = True
        work = self.api.page(agency_id, status=self.status, query=self.search.text(), cursor=cursor)
        arrived = partial(self._page_arrived, self.generation, cursor is not None)
        Task(self, work).on_success(arrived).on_failure(partial(self._failed, self.generation)).run()

    def _page_arrived(self, generation: int, more: bool, page: EmployeeRowsPage) -> None:
        if generation != self.generation:
            return  # the search or the filter changed meanwhile: a newer answer is coming
        self.model.loading = False
        (self.model.append if more else self.model.reset)(page.items, page.next_cursor)
        self.empty_label.setText("" if self.model.rowCount() else self.tr("Aucun salarié ne correspond."))
        self._update_buttons()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation:
            self.model.loading = False
            errors.show_error(self, exc)

    def _counts_arrived(self, agency_id: int, counts: EmployeeCounts) -> None:
        if agency_id == self.current_agency_id():
            self.counts, self.counts_agency = counts, agency_id
            self._show_counts()

    def counts_of(self, agency_id: int) -> EmployeeCounts | None:
        """The counts of ``agency_id`` when known (an answer about the previous establishment is not)."""
        return self.counts if self.counts_agency == agency_id else None

    def _show_counts(self) -> None:
        c = self.counts
        labels = {
            EmployeeStatus.ALL: self.tr("Tous"),
            EmployeeStatus.ACTIVATED: self.tr("Activés"),
            EmployeeStatus.NOT_ACTIVATED: self.tr("Non activés"),
        }
        values = {
            EmployeeStatus.ALL: c.total if c else None,
            EmployeeStatus.ACTIVATED: c.activated if c else None,
            EmployeeStatus.NOT_ACTIVATED: c.not_activated if c else None,
        }
        for status, button in self.filter_buttons.items():
            value = values[status]
            button.setText(labels[status] if value is None else f"{labels[status]} ({number(value)})")
        self.counts_label.setText(
            fill_in(
                self.tr("Coffres créés : %1 · activés : %2 · non activés : %3"),
                number(c.created),
                number(c.activated),
                number(c.not_activated),
            )
            if c
            else ""
        )

    # ---- reminders -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [r.id for r in (self.model.row_at(row) for row in rows) if r is not None]

    def _update_buttons(self) -> None:
        idle = self.current_agency_id() is not None and self.reminder_run is None  # no second run at once
        self.remind_button.setEnabled(idle and bool(self.selected_ids()))
        self.remind_all_button.setEnabled(idle)

    def remind_selection(self) -> None:
        agency_id, ids = self.current_agency_id(), self.selected_ids()
        if agency_id is not None and ids and self.reminder_run is None:
            self._start_run(agency_id).start_selection(ids)

    def confirm_remind_all(self) -> None:
        agency_id = self.current_agency_id()
        if agency_id is None:
            return
        counts = self.counts_of(agency_id)
        waiting = counts.not_activated if counts else None
        text = (
            fill_in(self.tr("Relancer les %1 salariés qui n'ont pas activé leur coffre ?"), number(waiting))
            if waiting is not None
            else self.tr("Relancer tous les salariés qui n'ont pas activé leur coffre ?")
        )
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Relancer tous les non activés"), text, parent=self
        )
        box.setInformativeText(
            self.tr("Ceux relancés depuis moins de 24 heures ne le seront pas de nouveau.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Relancer"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.remind_all)
        self.confirm_box = box
        box.open()

    def remind_all(self) -> None:
        agency_id = self.current_agency_id()
        if agency_id is not None and self.reminder_run is None:
            counts = self.counts_of(agency_id)
            self._start_run(agency_id).start_all(counts.not_activated if counts else None)

    def _start_run(self, agency_id: int) -> ReminderRun:
        self.result_label.clear()
        self.reminder_run = ReminderRun(self, self.api, agency_id)
        self.reminder_run.finished.connect(partial(self._reminded, agency_id))
        # The run is for this establishment: no other chosen here until it ends (the window's selector
        # may still move the page; the summary then names the establishment it was for).
        self.agency_combo.setEnabled(False)
        self._update_buttons()
        return self.reminder_run

    def _reminded(self, agency_id: int, summary: str) -> None:
        self.reminder_run = None
        self.agency_combo.setEnabled(True)
        if agency_id != self.current_agency_id():
            name = next((a.name for a in self.agencies if a.id == agency_id), str(agency_id))
            summary = fill_in(self.tr("Pour l'établissement %1 : %2"), name, summary)
        self.result_label.setText(summary)
        self._update_buttons()
        self._load_counts()  # the counts and the list as they are now
        self.reload_list()

    # ---- folder and documents ------------------------------------------------------------------------
    def _cell_clicked(self, index: QModelIndex) -> None:
        if index.column() == FOLDER_COLUMN:
            self.open_folder(index.row())

    def open_folder(self, row: int) -> None:
        employee, agency_id = self.model.row_at(row), self.current_agency_id()
        if employee is None or agency_id is None:
            return
        self.folder_serial += 1
        Task(self, self.api.folder(agency_id, employee.id)).on_success(
            partial(self._folder_arrived, self.folder_serial)
        ).run()

    def _folder_arrived(self, serial: int, folder: EmployeeFolder) -> None:
        if serial != self.folder_serial:
            return  # another folder was asked for (or the list reloaded) meanwhile
        self.folder_pane.show_folder(folder)
        self.folder_pane.show()
        # A splitter lays a newly shown child out on a posted event: until then the pane keeps the zero
        # width it had while hidden, and a click on "Ouvrir le document" in that moment hit nothing.
        self.splitter.refresh()

    def open_document(self, document: FolderDocument) -> None:
        Task(self, self.documents_api.download(document.id)).on_success(
            lambda data: self._show_document(document, data)
        ).with_progress(self.tr("Ouverture du document…"), delay_ms=400).run()

    def _show_document(self, document: FolderDocument, data: bytes | None) -> None:
        if self.viewer is None:
            self.viewer = ViewerWindow(self.window())
        if data is None:  # "not modified": only with an ETag, never sent here; still never a silent click
            self.viewer.show_error(self.tr("Le document n'a pas pu être téléchargé : réessayez."))
        else:
            self.viewer.show_document(data, title=document.title, file_name=f"{document.title}.pdf")
        self.viewer.show()
        self.viewer.raise_()
