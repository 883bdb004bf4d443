"""The payroll/ERP earnings deposit (F5.6, F7.3): ``PUT /ingest/earnings``, net earned to date per worker,
agency and pay period, for an integration key. The base of the advance maximum."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from coffreo_desktop.server.api.rules import DB, Integration, Principal, now, requires
from coffreo_desktop.server.services import earnings

router = APIRouter(prefix="/ingest", tags=["dépôt paie/ERP"])


class EarningIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    matricule: str = Field(min_length=1, max_length=20)
    agency_code: str = Field(min_length=1, max_length=40)
    period_start: date
    period_end: date
    net_earned_cents: int = Field(ge=0, le=2_000_000_000, description="Net gagné à date, en centimes")


class EarningsIn(BaseModel):
    items: list[EarningIn] = Field(max_length=earnings.MAX_ITEMS)


class EarningsOut(BaseModel):
    stored: int


@router.put(
    "/earnings",
    response_model=EarningsOut,
    summary="Déposer le net gagné à date par salarié, agence et période de paie",
    responses={422: {"description": "Ligne refusée (matricule ou agence inconnus…), détail en français"}},
)
def deposit_earnings(
    request: Request, body: EarningsIn, who: Principal = requires(Integration()), db: Session = DB
) -> EarningsOut:
    assert who.brand_id is not None  # Integration() admits integration keys only
    lines = [
        earnings.EarningLine(i.matricule, i.agency_code, i.period_start, i.period_end, i.net_earned_cents)
        for i in body.items
    ]
    return EarningsOut(stored=earnings.deposit(db, who.actor, who.brand_id, lines, now(request)))
