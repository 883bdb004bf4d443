"""The "Historique des demandes" tab (F5.4): processed requests filtered by agency and date, sorted on
the server by any column, the eye for a read-only detail, and the two CSV files — the history as
listed, and the payroll file of accepted advances of a period to deduct on the next pay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.advances import AdvanceFilters, AdvanceRequest, AdvancesApi
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.advance_model import REQUEST_ROLE, HistoryModel
from coffreo_desktop.gui.advance_pane import AdvancePane
from coffreo_desktop.gui.advance_widgets import FilterBar, choose_csv, save_with_progress
from coffreo_desktop.gui.i18n import PARIS, counted, fill_in
from coffreo_desktop.gui.tasks import Lane, Task, in_lane


class AdvanceHistoryTab(QWidget):
    def __init__(
        self, api: AdvancesApi, agencies: Sequence[AgencyInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.export_task: Task[int] | None = None
        layout = QVBoxLayout(self)
        self.filter_bar = FilterBar(agencies, self)
        self.filter_bar.setObjectName("historyFilters")
        layout.addWidget(self.filter_bar)
        self.count_label = QLabel(self, objectName="historyCount")
        self.count_label.setProperty("role", "muted")
        layout.addWidget(self.count_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = HistoryModel(api, self)
        self.table = QTableView(self, objectName="historyTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)  # set after the model: no sort request while building
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)  # one line per request; the comment's tooltip holds the rest
        header.setSortIndicatorShown(True)
        header.setSortIndicator(*HistoryModel.DEFAULT_SORT)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self.model.sort_changed.connect(self._restore_indicator)
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(lambda index: self.open_detail(index.row()))
        self.pane = AdvancePane(api, self)
        self.pane.close_requested.connect(self.pane.hide)
        self.pane.hide()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        actions = QHBoxLayout()
        self.message = QLabel(self, objectName="historyMessage")
        self.message.setWordWrap(True)
        self.detail_button = QPushButton(theme.icon("view"), self.tr("Voir le détail"), self)
        self.export_button = QPushButton(theme.icon("export"), self.tr("Exporter (CSV)…"), self)
        self.export_button.setObjectName("historyExport")
        self.payroll_button = QPushButton(
            theme.icon("export"), self.tr("Fichier de paie (acomptes acceptés)…"), self
        )
        self.payroll_button.setObjectName("payrollExport")
        self.payroll_button.setToolTip(
            self.tr(
                "Les acomptes acceptés pendant la période filtrée (le mois en cours sans dates), "
                "à déduire de la prochaine paie."
            )
        )
        actions.addWidget(self.message, 1)
        for button in (self.detail_button, self.export_button, self.payroll_button):
            actions.addWidget(button)
        layout.addLayout(actions)
        self.detail_button.clicked.connect(lambda: self.open_detail(self.current_row()))
        self.export_button.clicked.connect(self.export_history)
        self.payroll_button.clicked.connect(self.export_payroll)
        self.filter_bar.changed.connect(self.refresh)
        self.model.loaded.connect(self._show_count)
        self.model.modelReset.connect(lambda: self.count_label.setText(self.tr("Chargement…")))
        self.model.failed.connect(self._failed)

    # ---- list ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.load(self.filter_bar.filters())

    def _show_count(self, total: int) -> None:
        self.count_label.setText(counted(total, self.tr("demande traitée"), self.tr("demandes traitées")))
        self.table.resizeColumnsToContents()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText(str(exc))

    def _restore_indicator(self, column: int, order: object) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)  # type: ignore[arg-type]
        header.blockSignals(False)

    def sort_by(self, sort_key: str, descending: bool = False) -> None:
        """Sort as a header click would (tests, keyboard)."""
        column = HistoryModel.SORTS.index(sort_key)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(column, order)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # ---- detail --------------------------------------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == HistoryModel.EYE_COLUMN:
            self.open_detail(index.row())

    def open_detail(self, row: int) -> None:
        request = self.model.index(row, 0).data(REQUEST_ROLE) if row >= 0 else None
        if isinstance(request, AdvanceRequest):
            self.pane.show()
            self.pane.show_request(request, read_only=True)

    # ---- files ---------------------------------------------------------------------------------------
    def export_history(self) -> None:
        filters = self.filter_bar.filters()
        stamp = datetime.now(PARIS).strftime("%Y-%m-%d")
        target = choose_csv(
            self, self.tr("Exporter l'historique des demandes"), f"historique-acomptes-{stamp}.csv"
        )
        if target is None:
            return
        model = self.model
        self.export_task = save_with_progress(
            self,
            self.tr("Export de l'historique…"),
            lambda progress, cancelled: self.api.save_history_csv(
                filters,
                model.sort_key,
                model.order,
                target,
                progress=progress,
                cancelled=cancelled,
                run_blocking=in_store,
            ),
            target,
            self.message.setText,
        )

    def payroll_filters(self) -> AdvanceFilters:
        """The filtered period, or the current month to date when no dates are set."""
        filters = self.filter_bar.filters()
        if filters.date_from is None and filters.date_to is None:
            today = datetime.now(PARIS).date()
            return AdvanceFilters(filters.agency_id, today.replace(day=1), today)
        return filters

    def export_payroll(self) -> None:
        filters = self.payroll_filters()
        start, end = filters.date_from, filters.date_to
        suggested = f"acomptes-paie-{_iso(start)}_{_iso(end)}.csv"
        target = choose_csv(self, self.tr("Fichier de paie des acomptes acceptés"), suggested)
        if target is None:
            return
        self.export_task = save_with_progress(
            self,
            self.tr("Préparation du fichier de paie…"),
            lambda progress, cancelled: self.api.save_payroll_csv(
                filters, target, progress=progress, cancelled=cancelled, run_blocking=in_store
            ),
            target,
            lambda text: self.message.setText(
                fill_in(self.tr("%1 Période : %2 – %3."), text, _fr(start), _fr(end))
            ),
        )


in_store = partial(in_lane, Lane.STORE)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "debut"


def _fr(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"
