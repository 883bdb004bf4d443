"""Where the "Demandes d'acomptes" service is switched on (F1.2): an agency takes part in salary advances
only when its brand has the service. Staff lists, decisions, the worker's requests and the digest all
narrow their agencies through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.services import Service
from coffreo_desktop.server.db.models import Agency, BrandService

SERVICE_OFF = (
    "Le service « Demandes d'acomptes » n'est pas activé pour l'entité de cet établissement : "
    "contactez votre administrateur."
)


def enabled_brands() -> Any:
    """SELECT of the brands with the service, to use in ``Agency.brand_id.in_(…)``."""
    return select(BrandService.brand_id).where(BrandService.service == Service.ACOMPTES)


def enabled_agencies() -> Any:
    """SELECT of the agencies whose brand has the service, to use in ``….agency_id.in_(…)``."""
    return select(Agency.id).where(Agency.brand_id.in_(enabled_brands()))


def with_service(session: Session, agency_ids: Iterable[int]) -> frozenset[int]:
    """The agencies of ``agency_ids`` whose brand has the service."""
    wanted = sorted(set(agency_ids))
    if not wanted:
        return frozenset()
    rows = session.scalars(
        select(Agency.id).where(Agency.id.in_(wanted), Agency.brand_id.in_(enabled_brands()))
    )
    return frozenset(rows)
