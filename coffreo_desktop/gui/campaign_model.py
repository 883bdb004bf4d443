"""Table models of Diffusion pilotée: the summary row per campaign (sortable), and the recipients of one
campaign fetched page by page from the server as the view scrolls (``canFetchMore``/``fetchMore``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.campaigns import Campaign, CampaignsApi, Delivery
from coffreo_desktop.gui.i18n import number, translate
from coffreo_desktop.gui.tasks import Task

Index = QModelIndex | QPersistentModelIndex
CAMPAIGN_ROLE = Qt.ItemDataRole.UserRole + 1
CONTEXT = "CampaignModel"
PARIS = ZoneInfo("Europe/Paris")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def french_date(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def triggers_text(campaign: Campaign) -> str:
    """ "Bulletins de paie + Contrats (non-cadres, client X)": what makes the campaign deliver."""
    parts: list[str] = []
    if campaign.on_payslips:
        parts.append(translate("CampaignModel", "Bulletins de paie"))
    if campaign.on_contracts:
        filters = []
        if campaign.cadre_filter == "cadre":
            filters.append(translate("CampaignModel", "cadres"))
        elif campaign.cadre_filter == "non_cadre":
            filters.append(translate("CampaignModel", "non-cadres"))
        if campaign.client_filter_name:
            filters.append(campaign.client_filter_name)
        contracts = translate("CampaignModel", "Contrats")
        parts.append(f"{contracts} ({', '.join(filters)})" if filters else contracts)
    return " + ".join(parts)


class CampaignTableModel(QAbstractTableModel):
    """One summary row per campaign; sorting is local (a scope holds tens of campaigns, not thousands)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("CampaignModel", "Nom"),
        QT_TRANSLATE_NOOP("CampaignModel", "Statut"),
        QT_TRANSLATE_NOOP("CampaignModel", "Déclencheurs"),
        QT_TRANSLATE_NOOP("CampaignModel", "Début"),
        QT_TRANSLATE_NOOP("CampaignModel", "Fin"),
        QT_TRANSLATE_NOOP("CampaignModel", "Documents"),
        QT_TRANSLATE_NOOP("CampaignModel", "Remises"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaigns: list[Campaign] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_campaigns(self, campaigns: Sequence[Campaign]) -> None:
        self.beginResetModel()
        self.campaigns = list(campaigns)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def campaign(self, row: int) -> Campaign | None:
        return self.campaigns[row] if 0 <= row < len(self.campaigns) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.campaigns)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(self.HEADERS[section]))
        return None

    def _key(self, campaign: Campaign, column: int) -> Any:
        keys: tuple[Callable[[Campaign], Any], ...] = (
            lambda c: c.name.casefold(),
            lambda c: c.status_label,
            triggers_text,
            lambda c: c.starts_on or date.min,
            lambda c: c.ends_on or date.max,
            lambda c: len(c.documents),
            lambda c: c.deliveries,
        )
        return keys[column](campaign)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        campaign = self.campaign(index.row())
        if campaign is None or not index.isValid():
            return None
        column = index.column()
        if role == CAMPAIGN_ROLE:
            return campaign
        if role == Qt.ItemDataRole.DisplayRole:
            texts = (
                campaign.name,
                campaign.status_label,
                triggers_text(campaign),
                french_date(campaign.starts_on),
                french_date(campaign.ends_on) if campaign.ends_on else translate("CampaignModel", "Sans fin"),
                number(len(campaign.documents)),
                number(campaign.deliveries),
            )
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return "\n".join(d.title for d in campaign.documents) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (column, order)
        self.campaigns.sort(key=lambda c: self._key(c, column), reverse=order == Qt.SortOrder.DescendingOrder)


class DeliveriesModel(QAbstractTableModel):
    """The recipients of a campaign over a date range, one server page at a time (keyset cursor)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("CampaignModel", "Matricule"),
        QT_TRANSLATE_NOOP("CampaignModel", "Nom"),
        QT_TRANSLATE_NOOP("CampaignModel", "Prénom"),
        QT_TRANSLATE_NOOP("CampaignModel", "Agence"),
        QT_TRANSLATE_NOOP("CampaignModel", "Remis le"),
    )
    #: Emitted with the total once the first page arrived.
    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, api: CampaignsApi, campaign_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._owner = parent
        self.api, self.campaign_id = api, campaign_id
        self.rows: list[Delivery] = []
        self.total = 0
        self._cursor: str | None = None
        self._more = False
        self._loading = False
        self._generation = 0
        self._range: tuple[date | None, date | None] = (None, None)

    def load(self, from_: date | None, to: date | None) -> None:
        """Start again for a new range; earlier pages still on their way are ignored."""
        self._generation += 1
        self._range = (from_, to)
        self.beginResetModel()
        self.rows, self.total, self._cursor, self._more = [], 0, None, False
        self.endResetModel()
        self._fetch()

    def _fetch(self) -> None:
        generation = self._generation
        self._loading = True
        Task(self._owner, self.api.deliveries(self.campaign_id, *self._range, self._cursor)).on_success(
            lambda page: self._arrived(generation, *page)
        ).on_failure(lambda exc: self._failed(generation, exc)).run()

    def _arrived(self, generation: int, items: list[Delivery], cursor: str | None, total: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        first = not self.rows
        if items:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(items) - 1)
            self.rows.extend(items)
            self.endInsertRows()
        self.total, self._cursor, self._more = total, cursor, cursor is not None
        if first:
            self.loaded.emit(total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed.emit(exc)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(self.HEADERS[section]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        moment = row.delivered_at.astimezone(PARIS)
        return (
            row.matricule,
            row.last_name.upper(),
            row.first_name,
            row.agency_name,
            moment.strftime("%d/%m/%Y %H:%M"),
        )[index.column()]
