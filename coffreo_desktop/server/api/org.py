"""The signed-in user and the organisation they may see."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature, Service
from coffreo_desktop.server.api.rules import DB, Authenticated, Principal, requires
from coffreo_desktop.server.db.models import StaffUser
from coffreo_desktop.server.services import org

router = APIRouter(tags=["organisation"])


class AgencyOut(BaseModel):
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


class BrandOut(BaseModel):
    id: int
    code: str
    name: str
    rights: list[Right]


class MeOut(BaseModel):
    id: int
    email: str
    first_name: str
    last_name: str
    agencies: list[AgencyOut]
    brands: list[BrandOut]
    features: list[Feature]


@router.get("/me", response_model=MeOut)
def me(who: Principal = requires(Authenticated()), db: Session = DB) -> org.MeView:
    user = db.get(StaffUser, who.id)
    assert user is not None  # authenticate() loaded it a moment ago in this transaction
    return org.describe_user(db, user, who.rights)
