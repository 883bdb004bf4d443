"""'Demandes d'acomptes' (F5.3, F5.4): the requests to process in the user's DA agencies with the
processing pane beside them, and the history of processed ones (:mod:`..advance_history`). F5 refreshes,
Entrée processes the selected request, Ctrl+F goes to the filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.advances import AdvanceRequest, AdvancesApi
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature, Service
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.advance_history import AdvanceHistoryTab
from coffreo_desktop.gui.advance_model import REQUEST_ROLE, PendingModel
from coffreo_desktop.gui.advance_pane import AdvancePane
from coffreo_desktop.gui.advance_policy import AdvancePolicyDialog
from coffreo_desktop.gui.advance_widgets import FilterBar, state_text
from coffreo_desktop.gui.i18n import counted, fill_in
from coffreo_desktop.gui.pages import Page, PageContext

PENDING_TAB, HISTORY_TAB = 0, 1


class AdvancesPage(Page):
    feature = Feature.ADVANCES

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.api = AdvancesApi(context.session.api)
        self.agencies = tuple(
            a for a in context.me.agencies if Right.ACOMPTES in a.rights and Service.ACOMPTES in a.services
        )
        self._notifier_connected = False
        self._build()
        self._install_shortcuts()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("advanceTabs")
        self.tabs.addTab(self._build_pending(), self.tr("Demandes à traiter"))
        self.history = AdvanceHistoryTab(self.api, self.agencies, self)
        self.tabs.addTab(self.history, self.tr("Historique des demandes"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)

    def _build_pending(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.filter_bar = FilterBar(self.agencies, tab)
        self.filter_bar.setObjectName("pendingFilters")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"), tab)
        self.refresh_button.setToolTip(self.tr("Actualiser (F5)"))
        self.filter_bar.layout().addWidget(self.refresh_button)
        self.policy_button = QPushButton(self.tr("Règles de l'agence…"), tab, objectName="advancePolicy")
        self.policy_button.setToolTip(
            self.tr("Pourcentage du net gagné et plafond des acomptes (droit « A » sur l'agence choisie)")
        )
        self.filter_bar.layout().addWidget(self.policy_button)
        layout.addWidget(self.filter_bar)
        self.count_label = QLabel(tab, objectName="pendingCount")
        self.count_label.setProperty("role", "heading")
        layout.addWidget(self.count_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, tab)
        self.model = PendingModel(self.api, self)
        self.table = QTableView(tab, objectName="pendingTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)  # one line per request; the comment's tooltip holds the rest
        self.empty_label = QLabel(self.tr("Aucune demande à traiter."), tab, objectName="pendingEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setProperty("role", "muted")
        self.list_stack = QStackedWidget(tab)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        self.pane = AdvancePane(self.api, tab)
        self.pane.hide()
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        actions = QHBoxLayout()
        self.message = QLabel(tab, objectName="pendingMessage")
        self.message.setWordWrap(True)
        self.process_button = QPushButton(theme.icon("advance"), self.tr("Traiter la demande"), tab)
        self.process_button.setObjectName("processAdvance")
        self.process_button.setProperty("role", "primary")
        self.process_button.setToolTip(self.tr("Traiter la demande sélectionnée (Entrée)"))
        actions.addWidget(self.message, 1)
        actions.addWidget(self.process_button)
        layout.addLayout(actions)

        self.filter_bar.changed.connect(self.refresh_pending)
        self.filter_bar.changed.connect(self._update_policy_button)
        self.policy_button.clicked.connect(self.open_policy)
        self.pane.submitting_changed.connect(self._update_actions)
        self.refresh_button.clicked.connect(self.refresh)
        self.process_button.clicked.connect(self.process_selected)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.loaded.connect(self._pending_loaded)
        self.model.rowsRemoved.connect(self._show_pending_count)
        self.model.modelReset.connect(self._update_actions)
        self.model.failed.connect(lambda exc: self.count_label.setText(str(exc)))
        self.pane.processed.connect(self._processed)
        self.pane.stale.connect(self._stale)
        self.pane.close_requested.connect(self.pane.hide)
        self._update_actions()
        self._update_policy_button()
        return tab

    def _install_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_F5), self.refresh),
            (QKeySequence("Ctrl+F"), self.focus_filter),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        # Entrée on the list only: in the pane it belongs to the amount and comment fields.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.process_selected)

    # ---- the page's contract -------------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """Follow the window's selector: its agency when the user holds DA on it, all of them for None."""
        super().set_agency(agency_id)
        for bar in (self.filter_bar, self.history.filter_bar):
            bar.blockSignals(True)
            bar.select_agency(agency_id)
            bar.blockSignals(False)
        self._update_policy_button()
        self.refresh()

    def refresh(self) -> None:
        """F5: reload the list of the current tab (the other one reloads when shown)."""
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.refresh()
        else:
            self.refresh_pending()

    def focus_filter(self) -> None:
        bar = self.history.filter_bar if self.tabs.currentIndex() == HISTORY_TAB else self.filter_bar
        bar.agency_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tab_changed(self, index: int) -> None:
        if index == HISTORY_TAB:
            self.history.refresh()
        else:
            self.refresh_pending()

    # ---- pending list --------------------------------------------------------------------------------
    def refresh_pending(self) -> None:
        self.count_label.setText(self.tr("Chargement…"))
        self.model.load(self.filter_bar.filters())

    def _pending_loaded(self, total: int) -> None:
        self._show_pending_count()
        self.table.resizeColumnsToContents()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _show_pending_count(self, *_: object) -> None:
        total = self.model.total or 0
        self.count_label.setText(
            counted(total, self.tr("demande à traiter"), self.tr("demandes à traiter"))
            if total
            else self.tr("Aucune demande à traiter.")
        )
        self.list_stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty_label)
        self._update_actions()

    def selected(self) -> AdvanceRequest | None:
        rows = self.table.selectionModel().selectedRows()
        request = rows[0].data(REQUEST_ROLE) if rows else None
        return request if isinstance(request, AdvanceRequest) else None

    def _update_actions(self, *_: object) -> None:
        # While a decision is on its way the pane stays on its request: its answer belongs there.
        self.process_button.setEnabled(self.selected() is not None and not self.pane.submitting)

    def policy_agency(self) -> AgencyInfo | None:
        """The agency chosen in the filter when the user may change its rules (right "A" on it)."""
        agency_id = self.filter_bar.filters().agency_id
        agency = self.context.me.agency(agency_id) if agency_id is not None else None
        return agency if agency is not None and Right.ADMIN in agency.rights else None

    def _update_policy_button(self) -> None:
        self.policy_button.setEnabled(self.policy_agency() is not None)

    def open_policy(self) -> AdvancePolicyDialog | None:
        """ "Règles de l'agence…": the percent and ceiling of the chosen agency (F5.6)."""
        agency = self.policy_agency()
        if agency is None:
            return None
        dialog = AdvancePolicyDialog(self.api, agency, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._policy_saved)
        dialog.open()
        return dialog

    def _policy_saved(self) -> None:
        # The maximum of a request opened from now on follows the new rules (it is computed by the server).
        self.message.setText(self.tr("Règles de l'agence enregistrées."))

    def _double_clicked(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.process_selected()

    def process_selected(self) -> None:
        """ "Traiter la demande": open the pane on the selected request."""
        request = self.selected()
        if request is None or self.pane.submitting:
            return
        self.message.clear()
        self.pane.show()
        self.pane.show_request(request, read_only=False)
        self.pane.amount_edit.setFocus()

    def select_request(self, request_id: int) -> bool:
        for row, request in enumerate(self.model.rows):
            if request.id == request_id:
                self.table.selectRow(row)
                return True
        return False

    # ---- after a decision ----------------------------------------------------------------------------
    def _processed(self, request: AdvanceRequest) -> None:
        self.model.remove(request.id)
        who = f"{request.first_name} {request.last_name.upper()}"
        self.message.setText(fill_in(self.tr("Demande de %1 : %2."), who, state_text(request).lower()))
        self._poll_badge()

    def _stale(self, request_id: int) -> None:
        # A colleague or the worker was first: the pane already says who and when; the list shows now.
        self.model.remove(request_id)
        self.refresh_pending()
        self._poll_badge()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        notifier = getattr(self.window(), "advance_notifier", None)
        if notifier is not None and not self._notifier_connected:
            self._notifier_connected = True
            notifier.new_requests.connect(self._new_requests)

    def _new_requests(self, _count: int) -> None:
        # New requests show up in the list by themselves while the user looks at it (not mid-decision).
        if self.isVisible() and self.tabs.currentIndex() == PENDING_TAB and not self.pane.submitting:
            self.refresh_pending()

    def _poll_badge(self) -> None:
        notifier = getattr(self.window(), "advance_notifier", None)
        if notifier is not None:
            notifier.check_now()
