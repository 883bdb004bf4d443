"""The scope choice of the documents search (F2.2 "agence ou entité"): "Toutes mes agences", each entity
("Entité <nom>": the user's agencies of that brand) and, under it, each of its agencies.

The window's agency selector offers agencies only; this choice follows it (an agency chosen there is chosen
here, "Toutes mes agences" likewise) and narrows further to an entity for this search.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox

from coffreo_desktop.client.models import Me

SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Scope:
    """One agency, one entity (with the user's agencies of it), or neither: every agency of the user."""

    agency_id: int | None = None
    brand_id: int | None = None
    brand_agencies: frozenset[int] = frozenset()


def fill(combo: QComboBox, me: Me) -> None:
    """The choices, entities by name, each followed by its agencies (indented) by name."""
    combo.clear()
    combo.addItem(QCoreApplication.translate("DocumentScope", "Toutes mes agences"), Scope())
    by_brand = sorted(me.agencies, key=lambda a: (a.brand_name.casefold(), a.brand_id, a.name.casefold()))
    for (brand_id, brand_name), grouped in groupby(by_brand, key=lambda a: (a.brand_id, a.brand_name)):
        agencies = list(grouped)
        label = QCoreApplication.translate("DocumentScope", "Entité {brand}").format(brand=brand_name)
        combo.addItem(label, Scope(brand_id=brand_id, brand_agencies=frozenset(a.id for a in agencies)))
        font = combo.font()
        font.setBold(True)
        combo.setItemData(combo.count() - 1, font, Qt.ItemDataRole.FontRole)
        for agency in agencies:
            # Indented under its entity: the list reads as a tree, and the closed combo shows the name.
            combo.addItem(f"    {agency.name} ({agency.city})", Scope(agency_id=agency.id))
            combo.setItemData(combo.count() - 1, agency.company_name, Qt.ItemDataRole.ToolTipRole)


def current(combo: QComboBox) -> Scope:
    scope = combo.currentData()
    return scope if isinstance(scope, Scope) else Scope()


def select_agency(combo: QComboBox, agency_id: int | None) -> None:
    """Follow the window's agency selector: that agency, or "Toutes mes agences" for None."""
    for index in range(combo.count()):
        scope = combo.itemData(index)
        if isinstance(scope, Scope) and scope.brand_id is None and scope.agency_id == agency_id:
            combo.setCurrentIndex(index)
            return
    combo.setCurrentIndex(0)


def select_brand(combo: QComboBox, brand_id: int) -> bool:
    """Choose the entity ``brand_id``; False when the user has no agency of it."""
    for index in range(combo.count()):
        scope = combo.itemData(index)
        if isinstance(scope, Scope) and scope.brand_id == brand_id:
            combo.setCurrentIndex(index)
            return True
    return False
