"""The agency/entity selector of the top bar (F1.3): "Toutes mes agences", then each agency by brand.

Only agencies where the user holds a right are listed (the server sends no other). Pages listen to
``agency_changed`` (an agency id, or None for all of them).
"""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox

from coffreo_desktop.client.models import Me
from coffreo_desktop.gui import theme

AGENCY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AgencySelector(QObject):
    agency_changed = Signal(object)  # int | None

    def __init__(self, combo: QComboBox, me: Me) -> None:
        super().__init__(combo)
        self.combo = combo
        self.model = QStandardItemModel(self)
        everything = QStandardItem(self.tr("Toutes mes agences"))
        everything.setData(None, AGENCY_ID_ROLE)
        self.model.appendRow(everything)
        agency_icon = theme.icon("agency")
        by_brand = sorted(me.agencies, key=lambda a: (a.brand_name.casefold(), a.name.casefold()))
        for brand, agencies in groupby(by_brand, key=lambda a: a.brand_name):
            header = QStandardItem(brand)
            header.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a choice
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.model.appendRow(header)
            for agency in agencies:
                item = QStandardItem(agency_icon, f"{agency.name} ({agency.city})")
                item.setData(agency.id, AGENCY_ID_ROLE)
                item.setToolTip(agency.company_name)
                self.model.appendRow(item)
        combo.setModel(self.model)
        combo.setCurrentIndex(0)
        combo.currentIndexChanged.connect(self._on_index_changed)
        theme.on_theme_changed(self._refresh_icons)

    def _refresh_icons(self, _dark: bool = False) -> None:
        agency_icon = theme.icon("agency")
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(AGENCY_ID_ROLE) is not None:
                item.setIcon(agency_icon)

    def current_agency_id(self) -> int | None:
        value = self.combo.currentData(AGENCY_ID_ROLE)
        return int(value) if value is not None else None

    def select_agency(self, agency_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.isSelectable() and item.data(AGENCY_ID_ROLE) == agency_id:
                self.combo.setCurrentIndex(row)
                return

    def agency_ids(self) -> list[int]:
        """The agencies offered, in the order shown."""
        ids = (self.model.item(row).data(AGENCY_ID_ROLE) for row in range(self.model.rowCount()))
        return [int(i) for i in ids if i is not None]

    def _on_index_changed(self, _index: int) -> None:
        self.agency_changed.emit(self.current_agency_id())
