"""'Recherche de documents' (F2): the search form, the paged result table, and the way to each action.

Searching online pages through the server; offline (or when the user picks a kept list) the table shows
a list kept in the encrypted cache. Opening, deleting, pinning and keeping lists are
:mod:`coffreo_desktop.gui.document_actions`'s; this module is the form and the table.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget

from coffreo_desktop.client.document_cache import DocumentCache
from coffreo_desktop.client.documents import CRITERIA, SearchParams
from coffreo_desktop.client.errors import ApiError, ServerUnreachable, SessionExpired
from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import document_scope, errors, theme
from coffreo_desktop.gui.document_actions import LAST_SEARCH_LIST, DocumentActions
from coffreo_desktop.gui.document_model import (
    COLUMNS,
    DELETE_COLUMN,
    DOCUMENT_ROLE,
    OPEN_COLUMN,
    DocumentTableModel,
    column_of,
)
from coffreo_desktop.gui.forms.ui_documents_page import Ui_DocumentsPage
from coffreo_desktop.gui.i18n import counted, domain_text
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.tasks import Lane, Task

log = logging.getLogger(__name__)

SEARCH_PAGE = 0
EMPTY_PAGE = 1


class DocumentsPage(Page):
    feature = Feature.DOCUMENTS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.ui = Ui_DocumentsPage()
        self.ui.setupUi(self)
        self.online = True
        self.cache: DocumentCache | None = None
        self.cache_checked = False
        self.params = SearchParams()
        self.showing_list: str | None = None  # the kept list shown instead of a server search
        self._searched_once = False

        self.model = DocumentTableModel(self)
        self.actions = DocumentActions(self)
        self._fill_form()
        self._setup_table()
        self._connect()
        # One cache per server account: another user of this workstation never sees these documents.
        scope = f"{context.session.credential_id}|{context.me.id}"
        opener = partial(DocumentCache.open, context.session.credentials, scope=scope)
        Task(self, opener, lane=Lane.STORE).on_success(self._cache_opened).on_failure(
            self._cache_failed
        ).run()

    # ---- form --------------------------------------------------------------------------------------
    def _fill_form(self) -> None:
        ui = self.ui
        document_scope.fill(ui.scopeCombo, self.context.me)
        ui.typeCombo.addItem(self.tr("Tous les types"), None)
        for doc_type in DocumentType:
            ui.typeCombo.addItem(domain_text(doc_type.label), doc_type.value)
        for period in Period:
            ui.periodCombo.addItem(domain_text(period.label), period.value)
        ui.periodCombo.setCurrentIndex(ui.periodCombo.findData(Period.ALL.value))
        ui.invoiceStateCombo.addItem(self.tr("Tous"), None)
        for state in InvoiceState:
            ui.invoiceStateCombo.addItem(domain_text(state.label), state.value)
        for name, label in CRITERIA.items():
            ui.criterionCombo.addItem(domain_text(label), name)
        self._show_advanced(False)
        ui.refreshButton.setIcon(theme.icon("refresh"))
        ui.exportButton.setIcon(theme.icon("export"))
        ui.pinButton.setIcon(theme.icon("pin"))
        ui.searchButton.setIcon(theme.icon("search"))
        ui.offlineLabel.hide()
        ui.savedListsCombo.hide()
        self._show_load_error(None)

    def _setup_table(self) -> None:
        table = self.ui.documentsTable
        table.setModel(self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(28)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionsClickable(True)
        for column in (OPEN_COLUMN, DELETE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 34)
        header.resizeSection(column_of("title"), 280)
        header.resizeSection(column_of("doc_type"), 190)
        header.setSortIndicator(column_of("document_date"), Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)

    def _connect(self) -> None:
        ui = self.ui
        ui.searchButton.clicked.connect(self.search)
        ui.valueEdit.returnPressed.connect(self.search)
        ui.refreshButton.clicked.connect(self.search)
        ui.retryButton.clicked.connect(self.search)
        ui.resumeButton.clicked.connect(self._resume_loading)
        ui.advancedCheck.toggled.connect(self._show_advanced)
        ui.typeCombo.currentIndexChanged.connect(self._type_changed)
        ui.documentsTable.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        ui.documentsTable.clicked.connect(self._cell_clicked)
        ui.documentsTable.doubleClicked.connect(self._open_index)
        ui.savedListsCombo.activated.connect(self._kept_list_chosen)
        ui.keepListButton.clicked.connect(self.actions.keep_list)
        ui.pinButton.clicked.connect(self.actions.toggle_pin)
        ui.exportButton.clicked.connect(self.actions.export)
        self.model.total_changed.connect(self._show_count)
        self.model.loading_changed.connect(self._show_loading)
        self.model.fetch_failed.connect(self._fetch_failed)
        self.model.first_page_loaded.connect(self._first_page_loaded)
        self.model.modelReset.connect(self._update_stack)
        self.model.rowsInserted.connect(self._update_stack)
        self.model.rowsRemoved.connect(self._update_stack)
        table = ui.documentsTable
        page_keys = (
            (QKeySequence(QKeySequence.StandardKey.Find), self.focus_search),
            (QKeySequence("F5"), self.search),
        )
        table_keys = (
            (QKeySequence(Qt.Key.Key_Return), self._open_current),
            (QKeySequence(Qt.Key.Key_Enter), self._open_current),
            (QKeySequence(QKeySequence.StandardKey.Delete), self._delete_current),
        )
        for owner, context, keys in (
            # The window's context: Ctrl+F works right after the page is opened from the navigation (the
            # focus still there); a hidden page's shortcuts are inactive.
            (self, Qt.ShortcutContext.WindowShortcut, page_keys),
            (table, Qt.ShortcutContext.WidgetShortcut, table_keys),
        ):
            for sequence, slot in keys:
                shortcut = QShortcut(sequence, owner)
                shortcut.setContext(context)  # set after: the constructor's context argument is unreliable
                shortcut.activated.connect(slot)

    def _show_advanced(self, on: bool) -> None:
        self.ui.criterionCombo.setEnabled(on)
        self.ui.valueEdit.setEnabled(on)

    def _type_changed(self) -> None:
        doc_type = self.ui.typeCombo.currentData()
        # The invoice states only mean something for invoices (and "tous les types").
        self.ui.invoiceStateCombo.setEnabled(doc_type in (None, DocumentType.INVOICE.value))

    def focus_search(self) -> None:
        """Ctrl+F: the search value, with the advanced search switched on."""
        self.ui.advancedCheck.setChecked(True)
        self.ui.valueEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.valueEdit.selectAll()

    def form_params(self) -> SearchParams:
        ui = self.ui
        signed = {(True, False): "yes", (False, True): "no"}.get(
            (ui.signedCheck.isChecked(), ui.unsignedCheck.isChecked())
        )
        doc_type = ui.typeCombo.currentData()
        invoice_state = ui.invoiceStateCombo.currentData() if ui.invoiceStateCombo.isEnabled() else None
        advanced = ui.advancedCheck.isChecked() and bool(ui.valueEdit.text().strip())
        header = ui.documentsTable.horizontalHeader()
        sort = COLUMNS[header.sortIndicatorSection()].sort or "document_date"
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        scope = document_scope.current(ui.scopeCombo)
        return SearchParams(
            agency_id=scope.agency_id,
            brand_id=scope.brand_id,
            brand_agencies=scope.brand_agencies,
            types=(DocumentType(doc_type),) if doc_type else (),
            signed=signed,
            period=Period(ui.periodCombo.currentData()),
            criterion=ui.criterionCombo.currentData() if advanced else None,
            value=ui.valueEdit.text().strip() if advanced else None,
            invoice_state=InvoiceState(invoice_state) if invoice_state else None,
            sort=sort,
            order="desc" if descending else "asc",
        )

    # ---- searching ---------------------------------------------------------------------------------
    def search(self) -> None:
        self.params = self.form_params()
        self._searched_once = True
        if not self.online:
            self._show_kept_list(self.showing_list or LAST_SEARCH_LIST)
            return
        self.showing_list = None
        self._show_offline_note()
        self._show_load_error(None)
        self.actions.start_search(self.params)

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if COLUMNS[section].sort is None:  # the icon columns: back to the current sort
            header = self.ui.documentsTable.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(column_of(self.params.sort), self._qt_order(self.params.order))
            header.blockSignals(False)
            return
        if self._searched_once:
            self.search()

    @staticmethod
    def _qt_order(order: str) -> Qt.SortOrder:
        return Qt.SortOrder.AscendingOrder if order == "asc" else Qt.SortOrder.DescendingOrder

    def set_agency(self, agency_id: int | None) -> None:
        """The window's selector changed: the scope choice follows it (an entity chosen here is replaced),
        and a search already shown runs again."""
        changed = agency_id != self.agency_id
        super().set_agency(agency_id)
        if changed:
            document_scope.select_agency(self.ui.scopeCombo, agency_id)
        if changed and self._searched_once:
            self.search()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._searched_once:
            self.search()  # the newest documents first, as soon as the page opens
            if self.online:
                self.actions.fetch_trust_roots()

    def set_online(self, online: bool) -> None:
        """The connection changed: offline shows kept lists; back online the search runs again at once and
        the kept lists synchronise in the background."""
        was = self.online
        super().set_online(online)
        self.online = online
        self.ui.savedListsCombo.setVisible(not online or self.actions.has_kept_lists())
        if not online and was:
            if self.model.rowCount() == 0 or self.model.error is not None:
                self._show_kept_list(LAST_SEARCH_LIST)
            self._show_offline_note()
        elif online and not was:
            if self._searched_once and (self.showing_list in (None, LAST_SEARCH_LIST) or self.model.error):
                self.search()
            else:
                self._show_offline_note()
            if self.cache is not None:
                self.actions.synchronise()

    # ---- results -----------------------------------------------------------------------------------
    def _show_count(self, total: int | None) -> None:
        if total is None:
            self.ui.countLabel.setText("")
            return
        self.ui.countLabel.setText(counted(total, self.tr("document"), self.tr("documents")))

    def _show_loading(self, loading: bool) -> None:
        if loading and self.model.rowCount() == 0:
            self.ui.countLabel.setText(self.tr("Recherche…"))

    def _update_stack(self) -> None:
        ui = self.ui
        if self.model.rowCount() > 0:
            ui.resultStack.setCurrentIndex(SEARCH_PAGE)
            return
        if self.model.loading:
            ui.resultStack.setCurrentIndex(SEARCH_PAGE)
            return
        ui.retryButton.setVisible(self.model.error is not None)
        if self.model.error is None:
            ui.emptyLabel.setText(
                self.tr("Aucun document ne correspond à ces critères.")
                if self.showing_list is None
                else self.tr("Cette liste gardée hors ligne est vide.")
            )
        ui.resultStack.setCurrentIndex(EMPTY_PAGE)

    def _first_page_loaded(self) -> None:
        self._update_stack()
        self.actions.keep_last_search()

    def _fetch_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SessionExpired):
            errors.show_error(self, exc)  # back to the login, as everywhere else
            return
        if isinstance(exc, ApiError):
            message = exc.detail
        else:
            errors.report_exception(exc)
            message = self.tr("La recherche a échoué à cause d'une erreur inattendue ; elle est consignée.")
        if isinstance(exc, ServerUnreachable):
            message = self.tr(
                "Le serveur est injoignable. Les listes gardées hors ligne restent consultables."
            )
            if self.model.rowCount() == 0 and self.actions.has_kept_lists():
                self._show_kept_list(LAST_SEARCH_LIST)
        if self.model.rowCount() > 0:
            self._show_load_error(message)  # the rows shown stay; loading can resume
        else:
            self.ui.emptyLabel.setText(message)
        self._update_stack()

    def _show_load_error(self, message: str | None) -> None:
        self.ui.loadErrorLabel.setVisible(message is not None)
        self.ui.resumeButton.setVisible(message is not None)
        if message is not None:
            self.ui.loadErrorLabel.setText(self.tr("Chargement interrompu : {reason}").format(reason=message))

    def _resume_loading(self) -> None:
        self._show_load_error(None)
        self.model.retry()

    # ---- kept lists (offline) ------------------------------------------------------------------------
    def _cache_opened(self, cache: DocumentCache | None) -> None:
        self.cache = cache
        self.cache_checked = True
        self.actions.cache_ready()

    def _cache_failed(self, exc: BaseException) -> None:
        log.warning("cache hors ligne indisponible : %s", type(exc).__name__)
        self.cache_checked = True
        self.actions.cache_ready()

    def _kept_list_chosen(self, index: int) -> None:
        name = self.ui.savedListsCombo.itemData(index)
        if name is None:
            self.search()  # "Résultats du serveur"
        else:
            self._show_kept_list(name)

    def _show_kept_list(self, name: str) -> None:
        self.actions.show_kept_list(name)

    def show_list_rows(self, name: str, rows: list, saved_at: datetime) -> None:  # type: ignore[type-arg]
        self.showing_list = name
        self.model.set_rows(rows)
        combo = self.ui.savedListsCombo
        combo.setCurrentIndex(max(combo.findData(name), 0))
        self._show_offline_note(saved_at)
        self._update_stack()

    def _show_offline_note(self, saved_at: datetime | None = None) -> None:
        label = self.ui.offlineLabel
        if self.cache_checked and self.cache is None:
            return  # the label says why nothing can be kept offline on this workstation
        if self.online and self.showing_list is None:
            label.hide()
            return
        when = saved_at.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y %H:%M") if saved_at else None
        if not self.online:
            text = self.tr("Hors ligne : liste synchronisée le {when}.") if when else self.tr("Hors ligne.")
        else:
            text = self.tr("Liste gardée hors ligne, synchronisée le {when}.")
        label.setText(text.format(when=when))
        label.show()

    # ---- table actions -----------------------------------------------------------------------------
    def _cell_clicked(self, index: QModelIndex) -> None:
        if index.column() == OPEN_COLUMN:
            self._open_index(index)
        elif index.column() == DELETE_COLUMN:
            row = index.data(DOCUMENT_ROLE)
            if row is not None and row.can_delete:
                self.actions.delete(row)

    def _open_index(self, index: QModelIndex) -> None:
        row = index.data(DOCUMENT_ROLE)
        if row is not None:
            self.actions.open_document(row)

    def _open_current(self) -> None:
        index = self.ui.documentsTable.currentIndex()
        if index.isValid():
            self._open_index(index)

    def _delete_current(self) -> None:
        row = self.ui.documentsTable.currentIndex().data(DOCUMENT_ROLE)
        if row is not None and row.can_delete:
            self.actions.delete(row)

    def selected_rows(self) -> list:  # type: ignore[type-arg]
        rows = self.ui.documentsTable.selectionModel().selectedRows()
        found = (self.model.row_at(index.row()) for index in sorted(rows, key=lambda i: i.row()))
        return [row for row in found if row is not None]
