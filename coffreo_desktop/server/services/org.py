"""The organisation as one user sees it: agencies with rights and services, brands, features (F1.2–F1.3)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import MATRIX_ORDER, Right, RightSet
from coffreo_desktop.domain.services import AgencyAccess, Feature, Service, allowed_features
from coffreo_desktop.server.db.models import Agency, Brand, BrandService, Company, StaffUser


@dataclass(frozen=True)
class AgencyView:
    id: int
    code: str
    name: str
    city: str
    brand_id: int
    brand_name: str
    company_id: int
    company_name: str
    rights: list[Right]
    services: list[Service]


@dataclass(frozen=True)
class BrandView:
    id: int
    code: str
    name: str
    rights: list[Right]


@dataclass(frozen=True)
class MeView:
    id: int
    email: str
    first_name: str
    last_name: str
    agencies: list[AgencyView]
    brands: list[BrandView]
    features: list[Feature]


def services_by_brand(session: Session, brand_ids: set[int]) -> dict[int, set[Service]]:
    found: dict[int, set[Service]] = defaultdict(set)
    rows = session.execute(
        select(BrandService.brand_id, BrandService.service).where(BrandService.brand_id.in_(brand_ids))
    )
    for brand_id, service in rows:
        found[brand_id].add(service)
    return found


def describe_user(session: Session, user: StaffUser, rights: RightSet) -> MeView:
    agency_ids = rights.visible_agencies()
    rows = session.execute(
        select(Agency, Company.name, Brand.name)
        .join(Company, Company.id == Agency.company_id)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(Agency.id.in_(agency_ids))
        .order_by(Agency.name)
    ).all()
    grant_brands = {g.target_id for g in rights.grants if g.scope.value == "brand"}
    services = services_by_brand(session, {a.brand_id for a, _, _ in rows} | grant_brands)

    def ordered(found: frozenset[Right]) -> list[Right]:
        return [r for r in MATRIX_ORDER if r in found]

    agencies = [
        AgencyView(
            a.id,
            a.code,
            a.name,
            a.city,
            a.brand_id,
            brand_name,
            a.company_id,
            company_name,
            ordered(rights.rights_on(a.id)),
            sorted(services[a.brand_id]),
        )
        for a, company_name, brand_name in rows
    ]
    brands = [
        BrandView(b.id, b.code, b.name, ordered(frozenset(r for r in Right if rights.has_on_brand(r, b.id))))
        for b in session.scalars(select(Brand).where(Brand.id.in_(grant_brands)).order_by(Brand.name))
    ]
    features = allowed_features(AgencyAccess(frozenset(a.rights), frozenset(a.services)) for a in agencies)
    return MeView(user.id, user.email, user.first_name, user.last_name, agencies, brands, list(features))
