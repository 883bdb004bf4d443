"""'Diffusions / Diffusion pilotée' (F4.5, F4.6): the campaigns of an agency or a brand — a synthesis, the
running, archived and saved ones in tabs — and the actions on each: documents, detail, duplicate, close,
edit. Creating and editing are the wizard's (:mod:`coffreo_desktop.gui.campaign_wizard`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.campaigns import (
    Campaign,
    CampaignDocument,
    CampaignOptions,
    CampaignsApi,
    Scope,
    Synthesis,
)
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature, Service
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.campaign_model import CAMPAIGN_ROLE, CampaignTableModel
from coffreo_desktop.gui.i18n import counted
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.tasks import Task

#: Tab order: the state each tab lists.
TAB_STATES = (CampaignState.ACTIVE, CampaignState.CLOSED, CampaignState.DRAFT)


class CampaignsPage(Page):
    feature = Feature.CAMPAIGNS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.api = CampaignsApi(context.session.api)
        me = context.me
        self.agency_scopes = [
            Scope("agency", a.id, f"{a.name} ({a.code})")
            for a in me.agencies
            if Right.DIFFUSION in a.rights and Service.DIFFUSION_PILOTEE in a.services
        ]
        self.brand_scopes = [Scope("brand", b.id, b.name) for b in me.brands if Right.DIFFUSION in b.rights]
        self.models = {state: CampaignTableModel(self) for state in TAB_STATES}
        self.tables: dict[CampaignState, QTableView] = {}
        self.synthesis: Synthesis | None = None
        self.viewer: QWidget | None = None
        self.detail: QDialog | None = None
        self.wizard: object | None = None
        self._generation = 0
        self._build()
        self._fill_kinds()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("campaignKind")
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("campaignScope")
        self.scope_combo.setMinimumContentsLength(28)
        self.create_button = QPushButton(theme.icon("campaign"), self.tr("Créer une diffusion"), self)
        self.create_button.setObjectName("createCampaign")
        top.addWidget(self.kind_combo)
        top.addWidget(self.scope_combo)
        top.addStretch(1)
        top.addWidget(self.create_button)
        layout.addLayout(top)
        synthesis = QFrame(self)
        synthesis.setObjectName("campaignSynthesis")
        synthesis.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(synthesis)
        self.running_label, self.planned_label, self.deliveries_label = QLabel(), QLabel(), QLabel()
        for label in (self.running_label, self.planned_label, self.deliveries_label):
            label.setObjectName("synthesisFigure")
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.15)
            label.setFont(font)
            row.addWidget(label, 1)
        layout.addWidget(synthesis)
        self.tabs = QTabWidget(self)
        titles = (self.tr("En cours"), self.tr("Archivées"), self.tr("Sauvegardées"))
        for state, title in zip(TAB_STATES, titles, strict=True):
            table = QTableView(self)
            table.setObjectName(f"campaigns_{state.value}")
            table.setModel(self.models[state])
            table.setSortingEnabled(True)
            table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.doubleClicked.connect(self._double_clicked)
            table.selectionModel().selectionChanged.connect(self._update_actions)
            self.tables[state] = table
            self.tabs.addTab(table, title)
        self.tabs.currentChanged.connect(self._update_actions)
        layout.addWidget(self.tabs, 1)
        actions = QHBoxLayout()
        self.documents_button = QPushButton(theme.icon("view"), self.tr("Voir les documents"), self)
        self.detail_button = QPushButton(self.tr("Détail"), self)
        self.duplicate_button = QPushButton(self.tr("Dupliquer"), self)
        self.edit_button = QPushButton(theme.icon("edit"), self.tr("Modifier"), self)
        self.close_button = QPushButton(self.tr("Clôturer"), self)
        self.message = QLabel(self)
        self.message.setObjectName("campaignMessage")
        actions.addWidget(self.message, 1)
        for button, slot in (
            (self.documents_button, self.show_documents_menu),
            (self.detail_button, self.open_detail),
            (self.duplicate_button, self.duplicate),
            (self.edit_button, self.edit),
            (self.close_button, self.close_campaign),
        ):
            button.clicked.connect(slot)
            actions.addWidget(button)
        layout.addLayout(actions)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.scope_combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.create_button.clicked.connect(self.create_campaign)
        self._update_actions()

    def _fill_kinds(self) -> None:
        if self.agency_scopes:
            self.kind_combo.addItem(self.tr("Diffusion Agence"), "agency")
        if self.brand_scopes:
            self.kind_combo.addItem(self.tr("Diffusion Marque"), "brand")
        self.kind_combo.setVisible(self.kind_combo.count() > 1)

    def _kind_changed(self) -> None:
        scopes = self.brand_scopes if self.kind_combo.currentData() == "brand" else self.agency_scopes
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        for scope in scopes:
            self.scope_combo.addItem(scope.name, scope)
        self.scope_combo.blockSignals(False)
        if self.agency_id is not None:
            self._select_agency(self.agency_id)
        self.refresh()

    # ---- scope ---------------------------------------------------------------------------------------
    def scope(self) -> Scope | None:
        scope = self.scope_combo.currentData()
        return scope if isinstance(scope, Scope) else None

    def set_agency(self, agency_id: int | None) -> None:
        """Follow the window's agency selector when it names an agency offered here (agency campaigns)."""
        super().set_agency(agency_id)
        if self.kind_combo.count() == 0:
            return
        if self.scope_combo.count() == 0:
            self._kind_changed()  # first showing: fills the scopes, selects the agency, loads
        elif agency_id is not None and self.kind_combo.currentData() == "agency":
            self._select_agency(agency_id)

    def _select_agency(self, agency_id: int) -> None:
        for n in range(self.scope_combo.count()):
            scope = self.scope_combo.itemData(n)
            if isinstance(scope, Scope) and scope.kind == "agency" and scope.id == agency_id:
                self.scope_combo.setCurrentIndex(n)
                return

    def select_scope(self, scope: Scope) -> None:
        """Show ``scope`` (e.g. a brand): chooses the kind then the agency or brand."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(scope.kind))
        if self.scope_combo.count() == 0:
            self._kind_changed()
        for n in range(self.scope_combo.count()):
            if self.scope_combo.itemData(n) == scope:
                self.scope_combo.setCurrentIndex(n)

    # ---- loading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        scope = self.scope()
        if scope is None:
            return
        self._generation += 1
        generation = self._generation
        Task(self, self.api.list(scope)).on_success(lambda result: self._loaded(generation, *result)).run()

    def _loaded(self, generation: int, synthesis: Synthesis, campaigns: list[Campaign]) -> None:
        if generation != self._generation:
            return  # an answer for a scope the user already left
        self.synthesis = synthesis
        for state in TAB_STATES:
            self.models[state].set_campaigns([c for c in campaigns if c.state == state.value])
        self.running_label.setText(
            counted(synthesis.running, self.tr("diffusion en cours"), self.tr("diffusions en cours"))
        )
        self.planned_label.setText(
            counted(synthesis.planned, self.tr("diffusion planifiée"), self.tr("diffusions planifiées"))
        )
        self.deliveries_label.setText(
            counted(synthesis.deliveries, self.tr("remise à un salarié"), self.tr("remises aux salariés"))
        )
        for state, title in zip(
            TAB_STATES, (self.tr("En cours"), self.tr("Archivées"), self.tr("Sauvegardées")), strict=True
        ):
            count = self.models[state].rowCount()
            self.tabs.setTabText(TAB_STATES.index(state), f"{title} ({count})")
        self._update_actions()

    # ---- selection -----------------------------------------------------------------------------------
    def current_state(self) -> CampaignState:
        return TAB_STATES[max(0, self.tabs.currentIndex())]

    def selected(self) -> Campaign | None:
        table = self.tables[self.current_state()]
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        campaign = rows[0].data(CAMPAIGN_ROLE)
        return campaign if isinstance(campaign, Campaign) else None

    def select_campaign(self, campaign_id: int) -> bool:
        """Show the tab holding the campaign and select its row (True when found)."""
        for n, state in enumerate(TAB_STATES):
            model = self.models[state]
            for row, campaign in enumerate(model.campaigns):
                if campaign.id == campaign_id:
                    self.tabs.setCurrentIndex(n)
                    self.tables[state].selectRow(row)
                    return True
        return False

    def _update_actions(self, *_: object) -> None:
        campaign = self.selected()
        has = campaign is not None
        self.create_button.setEnabled(self.scope() is not None)
        self.documents_button.setEnabled(has and bool(campaign and campaign.documents))
        self.detail_button.setEnabled(has)
        self.duplicate_button.setEnabled(has)
        self.edit_button.setEnabled(campaign is not None and campaign.state == CampaignState.DRAFT.value)
        self.close_button.setEnabled(campaign is not None and campaign.state == CampaignState.ACTIVE.value)

    def _double_clicked(self, index: QModelIndex) -> None:
        campaign = index.data(CAMPAIGN_ROLE)
        if isinstance(campaign, Campaign):
            (self.edit if campaign.state == CampaignState.DRAFT.value else self.open_detail)()

    # ---- documents -----------------------------------------------------------------------------------
    def show_documents_menu(self) -> None:
        campaign = self.selected()
        if campaign is None or not campaign.documents:
            return
        if len(campaign.documents) == 1:
            self.open_document(campaign, campaign.documents[0])
            return
        menu = QMenu(self)
        for document in campaign.documents:
            menu.addAction(document.title, partial(self.open_document, campaign, document))
        menu.popup(self.documents_button.mapToGlobal(self.documents_button.rect().bottomLeft()))

    def open_document(self, campaign: Campaign, document: CampaignDocument) -> None:
        Task(self, self.api.document_file(campaign.id, document.id)).on_success(
            lambda data: self._show_document(document, data)
        ).with_progress(self.tr("Ouverture du document…"), delay_ms=400).run()

    def _show_document(self, document: CampaignDocument, data: bytes) -> None:
        from coffreo_desktop.gui.viewer import ViewerWindow

        if not isinstance(self.viewer, ViewerWindow):
            self.viewer = ViewerWindow(self.window())
        self.viewer.show_document(data, title=document.title, file_name=document.file_name)
        self.viewer.show()
        self.viewer.raise_()

    # ---- detail --------------------------------------------------------------------------------------
    def open_detail(self) -> None:
        from coffreo_desktop.gui.campaign_detail import CampaignDetailDialog

        campaign = self.selected()
        if campaign is None:
            return
        if self.detail is not None:
            self.detail.close()
        self.detail = CampaignDetailDialog(self.api, campaign, self)
        self.detail.show()

    # ---- closing -------------------------------------------------------------------------------------
    def close_campaign(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Clôturer la diffusion"),
            self.tr("Clôturer « %1 » ? Ses documents ne seront plus remis aux salariés.").replace(
                "%1", campaign.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Task(self, self.api.close(campaign.id, campaign.version)).on_success(
            lambda closed: self._after_change(closed, self.tr("« %1 » est clôturée."))
        ).on_failure(self._change_failed).run()

    def _after_change(self, campaign: Campaign, message: str) -> None:
        self.message.setText(message.replace("%1", campaign.name))
        self.refresh()

    def _change_failed(self, exc: BaseException) -> None:
        # A 409 (a colleague changed or closed it meanwhile): say so in French, show the list as it is now.
        errors.show_error(self, exc)
        if isinstance(exc, ApiError) and exc.status == 409:
            self.refresh()

    # ---- wizard --------------------------------------------------------------------------------------
    def create_campaign(self) -> None:
        scope = self.scope()
        if scope is not None:
            self._with_options(scope, lambda options: self._open_wizard(scope, options, None, False))

    def duplicate(self) -> None:
        campaign = self.selected()
        if campaign is not None:
            scope = campaign.scope_obj
            self._with_options(scope, lambda options: self._open_wizard(scope, options, campaign, True))

    def edit(self) -> None:
        campaign = self.selected()
        if campaign is not None and campaign.state == CampaignState.DRAFT.value:
            scope = campaign.scope_obj
            self._with_options(scope, lambda options: self._open_wizard(scope, options, campaign, False))

    def _with_options(self, scope: Scope, then: Callable[[CampaignOptions], None]) -> None:
        Task(self, self.api.options(scope)).on_success(then).run()

    def _open_wizard(
        self, scope: Scope, options: CampaignOptions, campaign: Campaign | None, duplicate: bool
    ) -> None:
        from coffreo_desktop.gui.campaign_wizard import CampaignWizard

        wizard = CampaignWizard(
            self.context, self.api, scope, options, campaign, duplicate=duplicate, parent=self
        )
        wizard.saved.connect(self._wizard_saved)
        self.wizard = wizard
        wizard.open()

    def _wizard_saved(self, campaign: object) -> None:
        if isinstance(campaign, Campaign):
            self.message.setText(self.tr("« %1 » est enregistrée.").replace("%1", campaign.name))
        self.refresh()
