"""Services switched on per entity (brand), and the home tiles a user sees (F1.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.rights import DIFFUSION_LIBRE_RIGHTS, Right


class Service(StrEnum):
    DIFFUSION_LIBRE = "diffusion_libre"
    DIFFUSION_PILOTEE = "diffusion_pilotee"
    DIFFUSION_SIGNEE = "diffusion_signee"  # an option of Diffusion pilotée
    ACOMPTES = "acomptes"
    RELEVES_HEURES = "releves_heures"

    @property
    def label(self) -> str:
        return SERVICE_LABELS[self]


SERVICE_LABELS: dict[Service, str] = {
    Service.DIFFUSION_LIBRE: QT_TRANSLATE_NOOP("domain", "Diffusion libre"),
    Service.DIFFUSION_PILOTEE: QT_TRANSLATE_NOOP("domain", "Diffusion pilotée"),
    Service.DIFFUSION_SIGNEE: QT_TRANSLATE_NOOP("domain", "Diffusion signée"),
    Service.ACOMPTES: QT_TRANSLATE_NOOP("domain", "Demandes d'acomptes"),
    Service.RELEVES_HEURES: QT_TRANSLATE_NOOP("domain", "Relevés d'heures"),
}


class Feature(StrEnum):
    """A place of the application: a home tile and its entry in the side navigation (F1.2)."""

    DOCUMENTS = "documents"
    DIFFUSION_LIBRE = "diffusion_libre"
    CAMPAIGNS = "campaigns"
    TIMESHEETS = "timesheets"
    ADVANCES = "advances"
    CLIENTS = "clients"
    EMPLOYEES = "employees"
    RIGHTS = "rights"

    @property
    def label(self) -> str:
        return FEATURE_LABELS[self]


FEATURE_LABELS: dict[Feature, str] = {
    Feature.DOCUMENTS: QT_TRANSLATE_NOOP("domain", "Recherche de documents"),
    Feature.DIFFUSION_LIBRE: QT_TRANSLATE_NOOP("domain", "Diffusion libre"),
    Feature.CAMPAIGNS: QT_TRANSLATE_NOOP("domain", "Campagnes de diffusion"),
    Feature.TIMESHEETS: QT_TRANSLATE_NOOP("domain", "Relevés d'heures"),
    Feature.ADVANCES: QT_TRANSLATE_NOOP("domain", "Demandes d'acomptes"),
    Feature.CLIENTS: QT_TRANSLATE_NOOP("domain", "Clients"),
    Feature.EMPLOYEES: QT_TRANSLATE_NOOP("domain", "Salariés"),
    Feature.RIGHTS: QT_TRANSLATE_NOOP("domain", "Droits et accès"),
}

#: Order of the tiles and of the navigation.
FEATURE_ORDER: tuple[Feature, ...] = tuple(Feature)


@dataclass(frozen=True, slots=True)
class AgencyAccess:
    """What one user may do on one agency: their rights there and the services of its entity."""

    rights: frozenset[Right]
    services: frozenset[Service]


def allowed_features(accesses: Iterable[AgencyAccess]) -> tuple[Feature, ...]:
    """The features a user may open, in display order: any agency where both right and service hold.

    Documents are open to anyone with an access on an agency; administration needs "A".
    """
    found: set[Feature] = set()
    for access in accesses:
        if not access.rights:
            continue
        found.add(Feature.DOCUMENTS)
        if access.rights & DIFFUSION_LIBRE_RIGHTS and Service.DIFFUSION_LIBRE in access.services:
            found.add(Feature.DIFFUSION_LIBRE)
        if Right.DIFFUSION in access.rights and Service.DIFFUSION_PILOTEE in access.services:
            found.add(Feature.CAMPAIGNS)
        if Right.RELEVES_HEURES in access.rights and Service.RELEVES_HEURES in access.services:
            found.add(Feature.TIMESHEETS)
        if Right.ACOMPTES in access.rights and Service.ACOMPTES in access.services:
            found.add(Feature.ADVANCES)
        if Right.ADMIN in access.rights:
            found.update({Feature.CLIENTS, Feature.EMPLOYEES, Feature.RIGHTS})
    return tuple(f for f in FEATURE_ORDER if f in found)
