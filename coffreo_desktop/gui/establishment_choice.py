"""The "Établissement :" choice of the administration pages (F6): the establishments where the user holds
"A", none chosen at first; each page decides how it follows the window's agency selector."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from coffreo_desktop.client.models import AgencyInfo, Me
from coffreo_desktop.domain.rights import Right


def admin_agencies(me: Me) -> tuple[AgencyInfo, ...]:
    """The establishments where ``me`` holds "A"."""
    return tuple(a for a in me.agencies if Right.ADMIN in a.rights)


def establishment_combo(parent: QWidget, agencies: tuple[AgencyInfo, ...], object_name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(object_name)
    combo.setPlaceholderText(
        QCoreApplication.translate("EstablishmentChoice", "Choisissez un établissement…")
    )
    combo.setMinimumContentsLength(24)
    for agency in agencies:
        combo.addItem(agency.name, agency.id)
    combo.setCurrentIndex(-1)
    return combo


def chosen_agency_id(combo: QComboBox) -> int | None:
    value = combo.currentData()
    return value if isinstance(value, int) else None
