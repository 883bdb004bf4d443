"""Staff rights (F1, F3.1, F4.2, F5.3, F6.1) and the scopes they are granted on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP


class Right(StrEnum):
    """A right held by a staff user on an agency (or, granted by the operator, on a brand)."""

    ADMIN = "A"
    DIFFUSION = "D"
    DIFFUSION_LIBRE = "DL"
    DIFFUSION_LIBRE_PROTEGE = "DLP"
    DIFFUSION_LIBRE_SIGNE = "DLS"
    ACOMPTES = "DA"
    RELEVES_HEURES = "RH"

    @property
    def label(self) -> str:
        return RIGHT_LABELS[self]


RIGHT_LABELS: dict[Right, str] = {
    Right.ADMIN: QT_TRANSLATE_NOOP("domain", "Administrateur"),
    Right.DIFFUSION: QT_TRANSLATE_NOOP("domain", "Diffusion pilotée"),
    Right.DIFFUSION_LIBRE: QT_TRANSLATE_NOOP("domain", "Diffusion libre : document simple"),
    Right.DIFFUSION_LIBRE_PROTEGE: QT_TRANSLATE_NOOP("domain", "Diffusion libre : document protégé"),
    Right.DIFFUSION_LIBRE_SIGNE: QT_TRANSLATE_NOOP("domain", "Diffusion libre : document à signer"),
    Right.ACOMPTES: QT_TRANSLATE_NOOP("domain", "Demandes d'acomptes"),
    Right.RELEVES_HEURES: QT_TRANSLATE_NOOP("domain", "Relevés d'heures"),
}

#: Column order of the rights matrix (F6.1).
MATRIX_ORDER: tuple[Right, ...] = (
    Right.ADMIN,
    Right.DIFFUSION,
    Right.DIFFUSION_LIBRE,
    Right.DIFFUSION_LIBRE_PROTEGE,
    Right.DIFFUSION_LIBRE_SIGNE,
    Right.ACOMPTES,
    Right.RELEVES_HEURES,
)

#: Any one of these opens "Diffusions / Diffusion libre" (F3.1).
DIFFUSION_LIBRE_RIGHTS: frozenset[Right] = frozenset(
    {Right.DIFFUSION_LIBRE, Right.DIFFUSION_LIBRE_PROTEGE, Right.DIFFUSION_LIBRE_SIGNE}
)


class Scope(StrEnum):
    """What a right is granted on. Brand grants are made by the operator only (F4.2)."""

    AGENCY = "agency"
    BRAND = "brand"


@dataclass(frozen=True, slots=True)
class Grant:
    """One right on one agency or one brand."""

    right: Right
    scope: Scope
    target_id: int

    def covers_agency(self, agency_id: int, brand_of_agency: int) -> bool:
        if self.scope is Scope.AGENCY:
            return self.target_id == agency_id
        return self.target_id == brand_of_agency


@dataclass(frozen=True, slots=True)
class RightSet:
    """Every grant a user holds, with the brand of each agency they may see, to answer rights questions.

    ``agency_brands`` maps each agency of the organisation the user can reach to its brand, so that a
    brand grant covers agencies added to the brand later on.
    """

    grants: frozenset[Grant]
    agency_brands: dict[int, int]

    @classmethod
    def of(cls, grants: Iterable[Grant], agency_brands: dict[int, int]) -> RightSet:
        return cls(frozenset(grants), dict(agency_brands))

    def has(self, right: Right, agency_id: int) -> bool:
        brand = self.agency_brands.get(agency_id)
        if brand is None:
            return False
        return any(g.right is right and g.covers_agency(agency_id, brand) for g in self.grants)

    def has_any(self, rights: Iterable[Right], agency_id: int) -> bool:
        return any(self.has(r, agency_id) for r in rights)

    def has_on_brand(self, right: Right, brand_id: int) -> bool:
        return any(
            g.right is right and g.scope is Scope.BRAND and g.target_id == brand_id for g in self.grants
        )

    def agencies_with(self, right: Right) -> frozenset[int]:
        return frozenset(a for a in self.agency_brands if self.has(right, a))

    def visible_agencies(self) -> frozenset[int]:
        """Agencies where the user holds at least one right (F1.3: they see nothing else)."""
        return frozenset(a for a in self.agency_brands if any(self.has(r, a) for r in Right))

    def rights_on(self, agency_id: int) -> frozenset[Right]:
        return frozenset(r for r in Right if self.has(r, agency_id))
