"""The agencies of the export dialog (F2.8 "agences ou sociétés"): each company with its agencies under it.

A company's box ticks or clears all its agencies, and shows partly ticked when only some of them are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from coffreo_desktop.client.models import AgencyInfo

AGENCY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COMPANY_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _folded(text: str) -> str:
    # Accents set aside, as a French reader sorts: "Île-de-France" before "Rhône-Alpes".
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def _place(agency: AgencyInfo) -> tuple[str, str, int, str]:
    # Entity, then company, then agency, by name (the company's id keeps two companies of one name apart).
    return _folded(agency.brand_name), _folded(agency.company_name), agency.company_id, _folded(agency.name)


class AgencyTree(QStandardItemModel):
    """Companies (top level) and their agencies (children), every one checkable."""

    #: The ticked agencies changed (by the user or in code).
    ticked_changed = Signal()

    def __init__(self, agencies: Sequence[AgencyInfo], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cascading = False  # a company's box being set from its agencies', or the other way round
        companies: dict[int, QStandardItem] = {}
        for agency in sorted(agencies, key=_place):
            company = companies.get(agency.company_id)
            if company is None:
                company = QStandardItem(agency.company_name)
                company.setToolTip(self.tr("Société de l'entité {brand}").format(brand=agency.brand_name))
                company.setData(agency.company_id, COMPANY_ID_ROLE)
                company.setCheckable(True)  # not user-tristate: a click ticks or clears it all
                company.setEditable(False)
                companies[agency.company_id] = company
                self.appendRow(company)
            item = QStandardItem(f"{agency.name} ({agency.city})")
            item.setToolTip(f"{agency.brand_name} — {agency.company_name}")
            item.setData(agency.id, AGENCY_ID_ROLE)
            item.setCheckable(True)
            item.setEditable(False)
            company.appendRow(item)
        self.itemChanged.connect(self._item_changed)

    def company_items(self) -> list[QStandardItem]:
        return [self.item(row) for row in range(self.rowCount())]

    def agency_items(self) -> list[QStandardItem]:
        """Every agency's item, company by company, in the order shown."""
        return [company.child(row) for company in self.company_items() for row in range(company.rowCount())]

    def ticked_ids(self) -> list[int]:
        """The ticked agencies, in the order shown."""
        items = self.agency_items()
        return [int(i.data(AGENCY_ID_ROLE)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def tick(self, wanted: Callable[[int], bool]) -> None:
        """Tick the agencies ``wanted`` (by id) and clear the others; the companies follow."""
        self._cascading = True
        try:
            for item in self.agency_items():
                checked = wanted(int(item.data(AGENCY_ID_ROLE)))
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            for company in self.company_items():
                _follow_agencies(company)
        finally:
            self._cascading = False
        self.ticked_changed.emit()

    def _item_changed(self, item: QStandardItem) -> None:
        if self._cascading:
            return
        self._cascading = True
        try:
            if item.parent() is None:  # a company: all its agencies, unless it was set partly ticked
                state = item.checkState()
                if state != Qt.CheckState.PartiallyChecked:
                    for row in range(item.rowCount()):
                        item.child(row).setCheckState(state)
            else:
                _follow_agencies(item.parent())
        finally:
            self._cascading = False
        self.ticked_changed.emit()


def _follow_agencies(company: QStandardItem) -> None:
    children = [company.child(row) for row in range(company.rowCount())]
    ticked = sum(child.checkState() == Qt.CheckState.Checked for child in children)
    if ticked == len(children):
        company.setCheckState(Qt.CheckState.Checked)
    else:
        company.setCheckState(Qt.CheckState.PartiallyChecked if ticked else Qt.CheckState.Unchecked)
