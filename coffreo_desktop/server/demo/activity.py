"""Demo campaigns (Diffusion pilotée), and the plan of the whole activity: campaigns and advances.

Planned from the documents plan (campaign documents ride on payslips and contracts), then inserted
once the documents have their ids. The advances themselves are planned in ``advances``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import (
    AdvancePolicy,
    AdvanceRequest,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    Earning,
)
from coffreo_desktop.server.demo.advances import POLICIES, plan_earnings, plan_requests
from coffreo_desktop.server.demo.data_fr import NOTICES
from coffreo_desktop.server.demo.documents import DocPlan
from coffreo_desktop.server.demo.missions import Mission
from coffreo_desktop.server.demo.pdfs import notice_pdf
from coffreo_desktop.server.demo.people import PeoplePlan, bulk_insert, pick


@dataclass
class CampaignPlan:
    name: str
    agency: str | None  # None: a brand campaign
    state: CampaignState
    creator: str  # local part of the demo staff user
    created_on: date
    starts_on: date | None
    ends_on: date | None = None
    on_payslips: bool = False
    on_contracts: bool = False
    retroactive_from: date | None = None
    cadre_filter: str = "all"
    signed: bool = False
    notices: list[tuple[str, bytes, int]] = field(default_factory=list)  # (title, PDF, pages)
    recipients: list[tuple[int, int, datetime]] = field(default_factory=list)  # (employee, trigger doc, at)

    @property
    def created_at(self) -> datetime:
        return datetime.combine(self.created_on, time(9, 12), UTC)

    @property
    def closed_at(self) -> datetime | None:
        if self.state is not CampaignState.CLOSED or self.ends_on is None:
            return None
        return datetime.combine(self.ends_on, time(18, 0), UTC)

    @property
    def activated_at(self) -> datetime | None:
        if self.state is CampaignState.DRAFT or self.starts_on is None:
            return None
        return datetime.combine(self.starts_on, time(6, 30), UTC)


@dataclass
class ActivityPlan:
    campaigns: list[CampaignPlan]
    campaign_docs: list[DocPlan]
    earnings: list[dict[str, Any]]  # rows keyed by plan indexes and agency codes, not ids
    requests: list[dict[str, Any]]


def _campaigns(today: date) -> list[CampaignPlan]:
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    active, draft, closed = CampaignState.ACTIVE, CampaignState.DRAFT, CampaignState.CLOSED
    return [
        CampaignPlan(
            "Consignes de sécurité et livret d'accueil",
            "PAR11",
            active,
            "diffusion",
            ago(74),
            ago(70),
            on_payslips=True,
            on_contracts=True,
            signed=True,
        ),
        CampaignPlan(
            "Complémentaire santé 2026 - notice de la branche",
            None,
            active,
            "admin",
            ago(23),
            ago(20),
            on_payslips=True,
            retroactive_from=ago(50),
        ),
        CampaignPlan(
            "Prévention des chutes de hauteur",
            "LYO",
            draft,
            "admin",
            ago(2),
            ago(-14),
            on_contracts=True,
            cadre_filter="non_cadre",
        ),
        CampaignPlan(
            "Livret d'accueil 2025",
            "NAN",
            closed,
            "diffusion",
            ago(405),
            ago(400),
            ago(200),
            on_contracts=True,
        ),
        CampaignPlan(
            "Élections CSE 2025", "GRE", closed, "admin", ago(333), ago(330), ago(270), on_payslips=True
        ),
    ]


_NOTICES_OF = {
    "PAR11": ("securite", "accueil"),
    None: ("sante",),
    "LYO": ("hauteur",),
    "NAN": ("accueil",),
    "GRE": ("cse",),
}


def plan_activity(
    seed: int, today: date, people: PeoplePlan, docs: list[DocPlan], missions: list[Mission]
) -> ActivityPlan:
    rng = random.Random(f"{seed}:activity")
    cutoff = datetime.combine(today, time(0), UTC)
    campaigns = _campaigns(today)
    campaign_docs: list[DocPlan] = []
    for index, campaign in enumerate(campaigns):
        day = campaign.starts_on or today
        for key in _NOTICES_OF[campaign.agency]:
            title, paragraphs = NOTICES[key]
            data, pages = notice_pdf(title, "Alto Intérim", paragraphs, day - timedelta(days=3))
            campaign.notices.append((title, data, pages))
        if campaign.activated_at is not None:
            campaign_docs += _deliver(rng, index, campaign, people, docs, cutoff)
    return ActivityPlan(
        campaigns,
        campaign_docs,
        plan_earnings(today, people, missions),
        plan_requests(rng, today, people, missions, cutoff),
    )


def _deliver(
    rng: random.Random,
    index: int,
    campaign: CampaignPlan,
    people: PeoplePlan,
    docs: list[DocPlan],
    cutoff: datetime,
) -> list[DocPlan]:
    """One delivery per employee: with the first payslip or contract that triggers the campaign."""
    assert campaign.activated_at is not None and campaign.starts_on is not None
    first_day = campaign.retroactive_from or campaign.starts_on
    kinds = {DocumentType.PAYSLIP} if campaign.on_payslips else set()
    kinds |= {DocumentType.MISSION_CONTRACT} if campaign.on_contracts else set()
    served: set[int] = set()
    made: list[DocPlan] = []
    for position, trigger in enumerate(docs):
        e = trigger.employee
        if (
            e is None
            or e in served
            or trigger.doc_type not in kinds
            or not trigger.delivered
            or trigger.delivered_at.date() < first_day
            or (campaign.ends_on and trigger.delivered_at.date() > campaign.ends_on)
            or (campaign.agency and trigger.agency != campaign.agency)
        ):
            continue
        served.add(e)
        at = max(trigger.delivered_at, campaign.activated_at) + timedelta(seconds=1)
        campaign.recipients.append((e, position, at))
        employee = people.employees[e]
        for number, (title, data, pages) in enumerate(campaign.notices):
            doc = DocPlan(
                DocumentType.DIFFUSED,
                trigger.agency,
                title,
                f"{employee.matricule}_diffusion_{index + 1}_{number + 1}.pdf",
                at.date(),
                at,
                employee=e,
                origin="campaign",
                campaign=index,
                names=(employee.last_name, employee.first_name, employee.matricule),
                is_cadre=employee.is_cadre,
                blob_sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                pages=pages,
            )
            if campaign.signed:
                doc.protection, doc.signature_state = Protection.TO_SIGN, SignatureState.UNSIGNED
                signed = at + timedelta(hours=rng.randint(2, 300))
                if employee.vault_activated_at and employee.vault_activated_at < signed < cutoff:
                    doc.signature_state, doc.signed_at, doc.first_opened_at = (
                        SignatureState.SIGNED,
                        signed,
                        signed,
                    )
            made.append(doc)
    return made


def insert_campaigns(
    session: Session,
    plan: ActivityPlan,
    *,
    brand_id: int,
    agency_ids: dict[str, int],
    staff_ids: dict[str, int],
) -> list[int]:
    """Insert the campaigns and their documents' descriptions; return the campaign ids."""
    columns = (
        "name, state, on_payslips, on_contracts, retroactive_from, cadre_filter, signed, starts_on, ends_on"
    )
    ids = bulk_insert(
        session,
        Campaign,
        [
            {
                **pick(c, columns),
                **pick(c, "created_at, activated_at, closed_at"),
                "agency_id": agency_ids[c.agency] if c.agency else None,
                "brand_id": None if c.agency else brand_id,
                "created_by": staff_ids[c.creator],
                "updated_at": c.closed_at or c.activated_at or c.created_at,
            }
            for c in plan.campaigns
        ],
    )
    attached = [
        {
            "campaign_id": ids[index],
            "title": title,
            "file_name": f"{title}.pdf".replace(" : ", " - "),
            "blob_sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "pages": pages,
        }
        for index, c in enumerate(plan.campaigns)
        for title, data, pages in c.notices
    ]
    bulk_insert(session, CampaignDocument, attached, returning=False)
    return ids


def insert_followers(
    session: Session,
    plan: ActivityPlan,
    *,
    agency_ids: dict[str, int],
    staff_ids: dict[str, int],
    employee_ids: list[int],
    campaign_ids: list[int],
    document_ids: list[int],
) -> None:
    """Rows that point at documents: campaign deliveries; then policies, earnings and requests."""

    def resolved(row: dict[str, Any]) -> dict[str, Any]:
        """Plan indexes and codes replaced by database ids."""
        plain = {k: v for k, v in row.items() if k not in ("employee", "agency", "decider")}
        return {
            **plain,
            "employee_id": employee_ids[row["employee"]],
            "agency_id": agency_ids[row["agency"]],
            **({"decided_by": staff_ids[row["decider"]]} if "decider" in row else {}),
        }

    deliveries = [
        {
            "campaign_id": campaign_ids[index],
            "employee_id": employee_ids[e],
            "delivered_at": at,
            "trigger_document_id": document_ids[t],
        }
        for index, c in enumerate(plan.campaigns)
        for e, t, at in c.recipients
    ]
    bulk_insert(session, CampaignDelivery, deliveries, returning=False)
    policies = [
        {"agency_id": agency_ids[code], "percent": percent, "ceiling_cents": cap}
        for code, (percent, cap) in POLICIES.items()
    ]
    bulk_insert(session, AdvancePolicy, policies, returning=False)
    bulk_insert(session, Earning, [resolved(row) for row in plan.earnings], returning=False)
    bulk_insert(session, AdvanceRequest, [resolved(row) for row in plan.requests], returning=False)
