"""Demo campaigns (Diffusion pilotée) and salary advances: policies, this month's earnings, requests.

Planned from the documents plan (campaign documents ride on payslips and contracts), then inserted
once the documents have their ids.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from fpdf import FPDF
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.domain.states import AdvanceState, CampaignState
from coffreo_desktop.server.db.models import (
    AdvancePolicy,
    AdvanceRequest,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    Earning,
)
from coffreo_desktop.server.demo.documents import DocPlan, Mission, month_end
from coffreo_desktop.server.demo.people import PeoplePlan, at_work, bulk_insert, pick

NET_RATIO = Decimal("0.78")  # net pay of a temp worker, roughly, per euro of gross
#: (agency, percent of the net earned, ceiling in cents) — the policy is configuration (F5.6).
POLICIES = {
    "PAR11": (70, 80000),
    "NAN": (60, 60000),
    "MLV": (50, 50000),
    "LYO": (80, 100000),
    "VIL": (80, 80000),
    "GRE": (70, 70000),
}
PENDING_AT = {"LYO": 6, "VIL": 5, "PAR11": 1, "GRE": 1}  # pending requests at scale 1 (at least one each)
WORKER_COMMENTS = (
    "",
    "",
    "Réparation de ma voiture pour aller sur le site",
    "Loyer à payer avant le 5",
    "Frais de rentrée scolaire",
    "Facture d'électricité en retard",
    "Caution pour un appartement",
    "Avance pour payer le permis CACES",
)
DECISIONS = {
    AdvanceState.ACCEPTED: (
        "Acompte accordé sur les heures déclarées de la période.",
        "Accordé : versement par virement sous 48 heures.",
    ),
    "partial": (
        "Accord partiel : le montant demandé dépasse le maximum possible sur les heures déclarées.",
        "Accord partiel dans la limite du plafond de l'agence.",
    ),
    AdvanceState.REFUSED: (
        "Refusé : aucune heure déclarée sur la période en cours.",
        "Refusé : un acompte a déjà été versé cette semaine.",
        "Refusé : la paie du mois est en cours de calcul, elle vous sera versée sous peu.",
    ),
}
HISTORY_STATES = (AdvanceState.ACCEPTED, AdvanceState.REFUSED, "partial", AdvanceState.CANCELLED)


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


def notice_pdf(title: str, issuer: str, paragraphs: tuple[str, ...], day: date) -> tuple[bytes, int]:
    """A one-page information notice of a campaign; deterministic like the other demo PDFs."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_creation_date(datetime.combine(day, time(9, 0), tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author(issuer)
    pdf.set_creator("Coffreo Desktop - données de démonstration")
    pdf.set_lang("fr-FR")
    pdf.add_page()
    pdf.set_fill_color(0, 84, 122)
    pdf.rect(15, 12, 180, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("helvetica", "B", 14)
    pdf.text(20, 22.5, issuer)
    pdf.set_text_color(0, 84, 122)
    pdf.set_font("helvetica", "B", 17)
    pdf.set_xy(15, 38)
    pdf.multi_cell(180, 8, title)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("helvetica", "", 10.5)
    for paragraph in paragraphs:
        pdf.set_x(15)
        pdf.multi_cell(180, 5.6, paragraph)
        pdf.ln(3)
    pdf.set_font("helvetica", "", 8)
    pdf.set_text_color(95, 95, 95)
    pdf.text(
        15, 285, f"{issuer} - document d'information remis avec votre bulletin de paie ou votre contrat."
    )
    data = bytes(pdf.output())
    return data, pdf.page


NOTICES = {
    "securite": (
        "Consignes de sécurité sur les sites clients",
        (
            "Avant votre prise de poste, l'entreprise utilisatrice vous présente les risques du poste et les "
            "consignes de sécurité du site. Demandez-les si elles ne vous ont pas été remises.",
            "Vos équipements de protection individuelle (chaussures, gants, gilet) sont obligatoires sur "
            "les zones signalées. En cas d'accident, même bénin, prévenez votre responsable sur site et "
            "votre agence dans les 24 heures.",
            "Vous pouvez exercer votre droit de retrait face à un danger grave et imminent : informez-en "
            "votre agence immédiatement.",
        ),
    ),
    "accueil": (
        "Livret d'accueil des intérimaires",
        (
            "Bienvenue chez Alto Intérim. Ce livret rassemble ce qu'il faut savoir pour vos missions : "
            "relevés d'heures, paie, acomptes, congés payés et indemnités de fin de mission.",
            "Votre paie est versée chaque mois par virement ; votre bulletin arrive dans votre coffre-fort "
            "numérique, où il reste disponible 50 ans.",
            "Le FASTT propose des aides au logement, à la mobilité et à la garde d'enfants : renseignez-vous "
            "auprès de votre agence.",
        ),
    ),
    "sante": (
        "Notice d'information - complémentaire santé 2026",
        (
            "En tant qu'intérimaire, vous bénéficiez de la complémentaire santé de la branche du travail "
            "temporaire dès 414 heures de mission sur les douze derniers mois.",
            "La cotisation est partagée à parts égales entre vous et l'agence. Une dispense est possible sur "
            "justificatif si vous êtes déjà couvert par ailleurs.",
            "Les garanties et les tableaux de remboursement sont consultables sur le site de l'assureur.",
        ),
    ),
    "hauteur": (
        "Guide de prévention : le travail en hauteur",
        (
            "Le travail en hauteur est l'une des premières causes d'accidents graves. Il n'est permis "
            "qu'avec des protections collectives (garde-corps) ou, à défaut, un harnais relié à un point "
            "d'ancrage.",
            "L'usage d'un échafaudage roulant demande une formation ; une échelle n'est pas un poste de "
            "travail.",
            "Signalez tout équipement défectueux à votre responsable sur site et à votre agence.",
        ),
    ),
    "cse": (
        "Élections du CSE : information des salariés intérimaires",
        (
            "Les salariés intérimaires sont électeurs au CSE de l'agence dès trois mois d'ancienneté.",
            "Le vote se déroule par voie électronique ; vos codes vous sont adressés par courrier.",
            "Les listes de candidats et le protocole d'accord préélectoral sont affichés en agence.",
        ),
    ),
}


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
        _earnings(today, people, missions),
        _requests(rng, today, people, missions, cutoff),
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


def _earnings(today: date, people: PeoplePlan, missions: list[Mission]) -> list[dict[str, Any]]:
    """Net earned this month to date, per worker and agency, as the payroll deposits it each night."""
    key = (today.year, today.month)
    earned: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for m in missions:
        if key in m.hours:
            earned[(m.employee, m.agency)] += m.hours[key]
    period = {
        "period_start": today.replace(day=1),
        "period_end": month_end(today),
        "deposited_at": datetime.combine(today - timedelta(days=1), time(2, 15), UTC),
    }
    return [
        {
            **period,
            "employee": e,
            "agency": code,
            "net_earned_cents": int(hours * people.employees[e].hourly_rate * NET_RATIO * 100),
        }
        for (e, code), hours in sorted(earned.items())
    ]


def _requests(
    rng: random.Random, today: date, people: PeoplePlan, missions: list[Mission], cutoff: datetime
) -> list[dict[str, Any]]:
    """Pending requests of workers on a mission today (one per worker and agency), then a history of
    processed and cancelled ones over the last eight months."""
    scale = len(people.employees) / 520
    requests: list[dict[str, Any]] = []
    current = sorted({(m.employee, m.agency) for m in missions if m.start < today <= m.end})
    for code, count in PENDING_AT.items():
        workers = [e for e, agency in current if agency == code]
        for e in rng.sample(workers, min(len(workers), max(1, round(count * scale)))):
            maximum = rng.random() < 0.3
            sent = min(at_work(today - timedelta(days=rng.randint(1, 4)), rng), cutoff - timedelta(minutes=5))
            amount = None if maximum else rng.randint(5, 40) * 1000
            requests.append(
                {
                    "employee": e,
                    "agency": code,
                    "state": AdvanceState.SENT,
                    "created_at": sent,
                    "wants_maximum": maximum,
                    "amount_cents": amount,
                    "comment": rng.choice(WORKER_COMMENTS),
                }
            )
    since, until = today - timedelta(days=240), today - timedelta(days=2)
    past = [m for m in missions if m.end >= since and m.start < until]
    for number in range(max(len(HISTORY_STATES), round(90 * scale)) if past else 0):
        m = rng.choice(past)
        # The first ones cover every state, so that even a tiny demo shows them all.
        state = (
            HISTORY_STATES[number]
            if number < len(HISTORY_STATES)
            else rng.choices(HISTORY_STATES, (6, 2, 2, 1))[0]
        )
        day = m.start + timedelta(days=rng.randint(0, max(0, (min(m.end, until) - m.start).days)))
        created, amount = at_work(day, rng), rng.randint(5, 40) * 1000
        row = {
            "employee": m.employee,
            "agency": m.agency,
            "amount_cents": amount,
            "created_at": created,
            "comment": rng.choice(WORKER_COMMENTS),
        }
        if state is AdvanceState.CANCELLED:
            row.update(state=state, cancelled_at=created + timedelta(hours=rng.randint(1, 20)))
        else:
            granted = {AdvanceState.ACCEPTED: amount, "partial": amount // 2000 * 1000}.get(state)
            row.update(
                state=AdvanceState.ACCEPTED if granted else AdvanceState.REFUSED,
                granted_cents=granted,
                decided_at=min(created + timedelta(hours=rng.randint(2, 30)), cutoff - timedelta(minutes=1)),
                decision_comment=rng.choice(DECISIONS[state]),
                decider="acomptes" if m.agency in ("LYO", "VIL") and rng.random() < 0.7 else "admin",
            )
        requests.append(row)
    return requests


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
