"""JSON shapes of the staff's advance routes (contract: /tmp/advance_contract.md). Amounts go out in
integer cents; a decision's amount comes in as euros (string or number), parsed by domain.advances."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr

from coffreo_desktop.domain.advances import Maximum


class AdvanceOut(BaseModel):
    id: int
    version: int
    state: str
    agency_id: int
    agency_name: str
    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    amount_cents: int | None
    wants_maximum: bool
    comment: str
    created_at: datetime
    granted_cents: int | None
    decision_comment: str
    decided_at: datetime | None
    decided_by_name: str | None
    cancelled_at: datetime | None


class AdvancePage(BaseModel):
    items: list[AdvanceOut]
    next_cursor: str | None
    total: int


class PendingCountOut(BaseModel):
    total: int
    by_agency: dict[str, int] = Field(description="Demandes en attente par établissement (clé : son id)")
    latest_id: int | None


class MaximumOut(BaseModel):
    maximum_cents: int
    percent: int
    ceiling_cents: int
    net_earned_cents: int | None
    granted_cents: int
    period_start: date | None
    period_end: date | None
    earnings_known: bool

    @classmethod
    def of(cls, limit: Maximum) -> MaximumOut:
        return cls(
            maximum_cents=limit.maximum_cents,
            percent=limit.percent,
            ceiling_cents=limit.ceiling_cents,
            net_earned_cents=limit.net_earned_cents,
            granted_cents=limit.granted_cents,
            period_start=limit.period_start,
            period_end=limit.period_end,
            earnings_known=limit.earnings_known,
        )


class AdvanceDetail(BaseModel):
    request: AdvanceOut
    maximum: MaximumOut
    past: list[AdvanceOut]


class DecisionIn(BaseModel):
    decision: Literal["accept", "refuse"]
    amount: StrictStr | StrictInt | StrictFloat | None = Field(
        None, description="En euros (« 120,50 ») ; absent : le montant demandé, ou le maximum"
    )
    comment: str = Field("", max_length=1000)
    version: int | None = Field(None, description="La version lue ; à défaut, l'en-tête If-Match")


class PolicyOut(BaseModel):
    agency_id: int
    percent: int
    ceiling_cents: int


class PolicyIn(BaseModel):
    percent: StrictInt | StrictStr = Field(description="Pourcentage du net gagné, entier de 1 à 100")
    ceiling: StrictStr | StrictInt | StrictFloat = Field(description="Plafond en euros (« 800 », « 800,50 »)")
