"""Typed, immutable views of the API's JSON payloads (auth, /me, support), built with ``from_json``.

Codes the client does not know (a newer server) are skipped rather than fatal, so an older desktop keeps
working; everything else must have the documented shape, or ``ValueError`` says which field is wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature, Service

log = logging.getLogger(__name__)

E = TypeVar("E", bound=StrEnum)


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"champ « {key} » absent ou incorrect dans la réponse du serveur")
    return value


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"champ « {key} » absent ou incorrect dans la réponse du serveur")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"champ « {key} » incorrect dans la réponse du serveur")
    return value


def _codes(enum: type[E], values: Iterable[Any]) -> list[E]:
    known: list[E] = []
    for value in values:
        try:
            known.append(enum(value))
        except ValueError:
            log.info("Code %r inconnu de ce client (%s), ignoré", value, enum.__name__)
    return known


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tokens:
        return cls(_str(data, "access_token"), _str(data, "refresh_token"), _int(data, "expires_in"))

    def __repr__(self) -> str:
        # Tokens must never reach a log file through a repr.
        return f"Tokens(expires_in={self.expires_in})"


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """An agency the user holds at least one right on, with the services of its entity."""

    id: int
    code: str
    name: str
    city: str
    brand_id: int
    brand_name: str
    company_id: int
    company_name: str
    rights: frozenset[Right]
    services: frozenset[Service]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AgencyInfo:
        return cls(
            id=_int(data, "id"),
            code=_str(data, "code"),
            name=_str(data, "name"),
            city=_str(data, "city"),
            brand_id=_int(data, "brand_id"),
            brand_name=_str(data, "brand_name"),
            company_id=_int(data, "company_id"),
            company_name=_str(data, "company_name"),
            rights=frozenset(_codes(Right, _list(data, "rights"))),
            services=frozenset(_codes(Service, _list(data, "services"))),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "city": self.city,
            "brand_id": self.brand_id,
            "brand_name": self.brand_name,
            "company_id": self.company_id,
            "company_name": self.company_name,
            "rights": sorted(r.value for r in self.rights),
            "services": sorted(s.value for s in self.services),
        }


@dataclass(frozen=True, slots=True)
class BrandInfo:
    """A brand (entity) on which the operator granted the user rights (brand-wide campaigns, F4.2)."""

    id: int
    code: str
    name: str
    rights: frozenset[Right]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BrandInfo:
        return cls(
            id=_int(data, "id"),
            code=_str(data, "code"),
            name=_str(data, "name"),
            rights=frozenset(_codes(Right, _list(data, "rights"))),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "rights": sorted(r.value for r in self.rights),
        }


@dataclass(frozen=True, slots=True)
class Me:
    """The logged-in staff user: identity, visible agencies (F1.3) and the features they may open (F1.2)."""

    id: int
    email: str
    first_name: str
    last_name: str
    agencies: tuple[AgencyInfo, ...]
    brands: tuple[BrandInfo, ...]
    features: tuple[Feature, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Me:
        return cls(
            id=_int(data, "id"),
            email=_str(data, "email"),
            first_name=_str(data, "first_name"),
            last_name=_str(data, "last_name"),
            agencies=tuple(AgencyInfo.from_json(a) for a in _list(data, "agencies")),
            brands=tuple(BrandInfo.from_json(b) for b in _list(data, "brands")),
            features=tuple(_codes(Feature, _list(data, "features"))),
        )

    def to_json(self) -> dict[str, Any]:
        """The /me payload again (``from_json(to_json())`` is equal): for the offline profile cache."""
        return {
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "agencies": [a.to_json() for a in self.agencies],
            "brands": [b.to_json() for b in self.brands],
            "features": [f.value for f in self.features],
        }

    @property
    def display_name(self) -> str:
        """ "Prénom Nom", or the email when the account has no name yet."""
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email

    def agency(self, agency_id: int) -> AgencyInfo | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def agencies_with(self, right: Right) -> tuple[AgencyInfo, ...]:
        """The agencies where the user holds ``right``, in the server's order (by name)."""
        return tuple(a for a in self.agencies if right in a.rights)

    def can(self, feature: Feature) -> bool:
        return feature in self.features


@dataclass(frozen=True, slots=True)
class SupportInfo:
    """How to reach support ("Contactez-nous", F1.4)."""

    email: str
    phone: str
    hours: str
    url: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SupportInfo:
        return cls(_str(data, "email"), _str(data, "phone"), _str(data, "hours"), _str(data, "url"))
