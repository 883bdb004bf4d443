"""Demo documents over the two years before today: each mission gives a mission contract, a provision
contract, monthly payslips and the client's monthly invoices; a few certificates for those who left.

Planned first (rows, dates, states and what to draw), rendered later, then bulk-inserted with one
delivery per document. Every date is derived from ``today``: nothing happens on or after it.
The missions themselves are planned in ``missions``.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, Protection, SignatureState
from coffreo_desktop.server.demo import pdfs
from coffreo_desktop.server.demo.data_fr import MONTHS
from coffreo_desktop.server.demo.missions import Mission, month_end, plan_missions, workday
from coffreo_desktop.server.demo.people import AgencyInfo, ClientPlan, EmployeePlan, PeoplePlan, at_work

Spec = tuple[str, tuple[Any, ...], dict[str, Any]]


@dataclass
class DocPlan:
    doc_type: DocumentType
    agency: str
    title: str
    file_name: str
    document_date: date
    delivered_at: datetime
    employee: int | None = None  # the recipient: an employee or a client (plan indexes)
    client: int | None = None
    names: tuple[str, str, str] | None = None  # (last name, first name, matricule) denormalised for search
    client_name: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    contract_number: str | None = None
    invoice_number: str | None = None
    protection: Protection = Protection.SIMPLE
    signature_state: SignatureState = SignatureState.NOT_REQUIRED
    signed_at: datetime | None = None
    invoice_state: InvoiceState | None = None
    first_opened_at: datetime | None = None
    first_downloaded_at: datetime | None = None
    validated_at: datetime | None = None
    delivered: bool = True  # False: a payslip on paper after an e-delivery opposition
    is_cadre: bool | None = None
    origin: str = "deposit"
    campaign: int | None = None  # index in the activity plan
    spec: Spec | None = None  # what to draw; None when the blob is already known
    blob_sha256: str = ""
    size: int = 0
    pages: int = 0


class _Planner:
    """The documents of the missions, drawn from one random stream shared with ``plan_missions``."""

    def __init__(
        self, seed: int, today: date, window_start: date, people: PeoplePlan, agencies: dict[str, AgencyInfo]
    ) -> None:
        self.rng = random.Random(f"{seed}:documents")
        self.today, self.window_start = today, window_start
        self.cutoff = datetime.combine(today, time(0), UTC)
        self.people, self.agencies = people, agencies
        self.docs: list[DocPlan] = []

    def seed(self) -> int:
        return self.rng.randrange(1 << 30)

    def employee_doc(self, e: EmployeePlan, doc: DocPlan) -> DocPlan:
        doc.employee, doc.names, doc.is_cadre = e.index, (e.last_name, e.first_name, e.matricule), e.is_cadre
        opposed = e.edelivery_opposed_at
        if opposed and doc.doc_type is DocumentType.PAYSLIP and doc.delivered_at >= opposed:
            doc.delivered = False  # printed and posted: no delivery to the vault
        self.docs.append(doc)
        return doc

    def contracts(self, m: Mission) -> None:
        rng, e, client = self.rng, self.people.employees[m.employee], self.people.clients[m.client]
        agency = self.agencies[m.agency]
        delivered = max(
            at_work(m.start - timedelta(days=rng.choice((1, 1, 0, 0, 2))), rng),
            (e.created_at or e.arrival) + timedelta(minutes=30),
        )
        billing = (e.hourly_rate * client.coefficient).quantize(Decimal("0.01"))
        common = {
            "agency": m.agency,
            "document_date": m.start,
            "delivered_at": delivered,
            "period_start": m.start,
            "period_end": m.end,
            "contract_number": m.number,
            "protection": Protection.TO_SIGN,
            "signature_state": SignatureState.UNSIGNED,
        }
        terms = {"number": m.number, "start": m.start, "end": m.end, "motive": m.motive}
        place = f"{client.name}, {client.city}"
        mission = self.employee_doc(
            e,
            DocPlan(
                DocumentType.MISSION_CONTRACT,
                title=f"Contrat de mission n° {m.number}",
                client_name=client.name,
                file_name=f"{e.matricule}_contrat_{m.number}.pdf",
                **common,
                spec=(
                    "mission",
                    (agency.party, e.person, client.party),
                    {**terms, "hourly_rate": e.hourly_rate, "place": place, "seed": self.seed()},
                ),
            ),
        )
        if e.vault_activated_at and rng.random() > 0.03:
            self.sign(mission, max(delivered, e.vault_activated_at))
        self.reads(mission, e.vault_activated_at)
        provision = DocPlan(
            DocumentType.PROVISION_CONTRACT,
            title=f"Contrat de mise à disposition n° {m.number}",
            file_name=f"{client.code}_cmad_{m.number}.pdf",
            client=client.index,
            client_name=client.name,
            names=(e.last_name, e.first_name, e.matricule),
            **common,
            spec=(
                "provision",
                (agency.party, client.party, e.person),
                {**terms, "billing_rate": billing, "seed": self.seed()},
            ),
        )
        provision.delivered_at += timedelta(minutes=rng.randint(1, 9))
        if client.can_sign and client.activated_at and rng.random() > 0.05:
            self.sign(provision, max(provision.delivered_at, client.activated_at))
        if provision.signed_at:
            provision.first_opened_at = provision.signed_at - timedelta(minutes=rng.randint(1, 30))
        self.docs.append(provision)

    def sign(self, doc: DocPlan, ready: datetime) -> None:
        signed = ready + timedelta(
            hours=self.rng.choice((1, 3, 8, 20, 30, 50, 100)), minutes=self.rng.randint(0, 59)
        )
        if signed < self.cutoff:
            doc.signature_state, doc.signed_at = SignatureState.SIGNED, signed

    def reads(self, doc: DocPlan, activated: datetime | None) -> None:
        """When the worker first opened and downloaded it (only from an activated vault)."""
        rng = self.rng
        if activated is None:
            return
        if doc.signed_at:
            doc.first_opened_at = max(doc.delivered_at, doc.signed_at - timedelta(minutes=rng.randint(1, 20)))
        elif rng.random() < 0.7:
            opened = max(doc.delivered_at, activated) + timedelta(hours=rng.randint(1, 200))
            doc.first_opened_at = opened if opened < self.cutoff else None
        if doc.first_opened_at and rng.random() < 0.35:
            doc.first_downloaded_at = min(
                doc.first_opened_at + timedelta(minutes=rng.randint(0, 5)), self.cutoff - timedelta(seconds=1)
            )

    def payslips(self, missions: list[Mission]) -> None:
        groups: dict[tuple[int, str, int, int], list[Mission]] = defaultdict(list)
        for m in missions:
            for year, month in m.hours:
                groups[(m.employee, m.agency, year, month)].append(m)
        for (index, code, year, month), group in sorted(groups.items()):
            e, end = self.people.employees[index], month_end(date(year, month, 1))
            delivered = at_work(end + timedelta(days=self.rng.randint(3, 6)), self.rng)
            if delivered >= self.cutoff or end < self.window_start:
                continue
            start = max(date(year, month, 1), min(m.start for m in group))
            last = min(end, max(m.end for m in group))
            hours = sum((m.hours[(year, month)] for m in group), Decimal(0))
            main = max(group, key=lambda m: m.hours[(year, month)])
            draw = {
                "period_start": start,
                "period_end": last,
                "hours": float(hours),
                "seed": self.seed(),
                "hourly_rate": e.hourly_rate,
                "mission_client": self.people.clients[main.client].name,
            }
            doc = self.employee_doc(
                e,
                DocPlan(
                    DocumentType.PAYSLIP,
                    code,
                    f"Bulletin de paie - {MONTHS[month - 1]} {year}",
                    f"{e.matricule}_bulletin_{year}-{month:02d}.pdf",
                    last,
                    delivered,
                    period_start=start,
                    period_end=last,
                    spec=("payslip", (self.agencies[code].party, e.person), draw),
                ),
            )
            self.reads(doc, e.vault_activated_at)

    def invoices(self, missions: list[Mission]) -> None:
        groups: dict[tuple[int, int, str, int], list[Mission]] = defaultdict(list)
        for m in missions:
            for year, month in m.hours:
                groups[(year, month, m.agency, m.client)].append(m)
        sequence: dict[str, int] = defaultdict(int)
        for (year, month, code, index), group in sorted(groups.items()):
            client, issued = self.people.clients[index], month_end(date(year, month, 1))
            delivered = at_work(issued + timedelta(days=self.rng.randint(1, 3)), self.rng)
            if delivered >= self.cutoff or issued < self.window_start:
                continue
            sequence[code] += 1
            number = f"F{year % 100:02d}{month:02d}-{code}-{sequence[code]:04d}"
            lines = []
            for m in sorted(group, key=lambda m: m.number):
                e, hours = self.people.employees[m.employee], m.hours[(year, month)]
                name = f"{e.first_name} {e.last_name}"
                rate = (e.hourly_rate * client.coefficient).quantize(Decimal("0.01"))
                lines.append((f"{e.job_title} - {name} - mission {m.number}", hours, rate))
                if self.rng.random() < 0.3:
                    meals = (hours / 7).quantize(Decimal(1))
                    lines.append((f"Indemnités de repas - {name}", meals, Decimal("7.30")))
            doc = DocPlan(
                DocumentType.INVOICE,
                code,
                f"Facture n° {number}",
                f"{client.code}_facture_{number}.pdf",
                issued,
                delivered,
                client=index,
                client_name=client.name,
                invoice_number=number,
                period_start=date(year, month, 1),
                period_end=issued,
                spec=(
                    "invoice",
                    (self.agencies[code].party, client.party),
                    {"number": number, "issued": issued, "lines": lines, "seed": self.seed()},
                ),
            )
            self.invoice_state(doc, client)
            self.docs.append(doc)

    def invoice_state(self, doc: DocPlan, client: ClientPlan) -> None:
        """Older invoices are mostly validated; a client without an activated space never downloads."""
        rng, age = self.rng, (self.today - doc.document_date).days
        doc.invoice_state = InvoiceState.NOT_DOWNLOADED
        if client.activated_at is None or not any(u.can_invoices and u.activated_at for u in client.users):
            return
        odds = (0.05, 0.15) if age > 60 else (0.2, 0.5) if age > 20 else (0.5, 0.85)
        draw = rng.random()
        if draw < odds[0]:
            return
        downloaded = max(doc.delivered_at, client.activated_at) + timedelta(hours=rng.randint(2, 240))
        if downloaded >= self.cutoff:
            return
        doc.invoice_state = InvoiceState.DOWNLOADED
        doc.first_opened_at = doc.first_downloaded_at = downloaded
        validated = downloaded + timedelta(hours=rng.randint(1, 160))
        if draw >= odds[1] and validated < self.cutoff:
            doc.invoice_state, doc.validated_at = InvoiceState.VALIDATED, validated

    def certificates(self, missions_of: dict[int, list[Mission]]) -> None:
        rng, made = self.rng, 0
        ended = self.today - timedelta(days=20)
        done = {i: [m for m in ms if m.end < ended] for i, ms in missions_of.items()}

        def left(e: EmployeePlan) -> bool:  # left the group, their last mission over for some weeks
            return (
                not e.on_mission_now and bool(done[e.index]) and done[e.index][-1] is missions_of[e.index][-1]
            )

        leavers = [e for e in self.people.employees if left(e)]
        if not leavers:  # a tiny demo where everyone still works: one attestation for a past mission
            leavers = [e for e in self.people.employees if done[e.index]][:1]
        for e in leavers:
            first, last = done[e.index][0], done[e.index][-1]
            wanted = rng.random() < 0.15 or (not made and e is leavers[-1])
            kinds = [pdfs.CERTIFICATE_OF_EMPLOYMENT] if wanted else []
            if rng.random() < 0.06:
                kinds.append(pdfs.EMPLOYER_CERTIFICATE)
            for kind in kinds:
                issued = workday(last.end + timedelta(days=rng.randint(2, 6)))
                delivered = at_work(issued, rng)
                if delivered >= self.cutoff:
                    continue
                slug = "certificat" if kind == pdfs.CERTIFICATE_OF_EMPLOYMENT else "attestation"
                doc = self.employee_doc(
                    e,
                    DocPlan(
                        DocumentType.CERTIFICATE,
                        last.agency,
                        f"{kind} - {e.first_name} {e.last_name}",
                        f"{e.matricule}_{slug}_{issued.isoformat()}.pdf",
                        issued,
                        delivered,
                        period_start=first.start,
                        period_end=last.end,
                        spec=(
                            "certificate",
                            (self.agencies[last.agency].party, e.person),
                            {
                                "kind": kind,
                                "issued": issued,
                                "start": first.start,
                                "end": last.end,
                                "seed": self.seed(),
                            },
                        ),
                    ),
                )
                self.reads(doc, e.vault_activated_at)
                made += 1


def _clear(doc: DocPlan, *names: str) -> None:
    for name in names:
        setattr(doc, name, None)


def _ensure_variety(docs: list[DocPlan]) -> None:
    """At a tiny scale chance may miss a state; the demo must still show each one."""
    for doc_type in (DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT):
        contracts = [d for d in docs if d.doc_type is doc_type]
        if contracts and all(d.signed_at for d in contracts):
            latest = max(contracts, key=lambda d: d.delivered_at)
            latest.signature_state = SignatureState.UNSIGNED
            _clear(latest, "signed_at", "first_opened_at", "first_downloaded_at")
    # The demo client user (demo/recipients.py) belongs to the first client: its space shows every state too.
    _ensure_invoice_states([d for d in docs if d.client == 0])
    _ensure_invoice_states(docs)


def _ensure_invoice_states(docs: list[DocPlan]) -> None:
    """Each invoice state (F2.7) among ``docs`` when there are invoices enough to show them."""
    invoices = sorted((d for d in docs if d.invoice_state is not None), key=lambda d: d.delivered_at)
    states = {d.invoice_state for d in invoices}
    if InvoiceState.NOT_DOWNLOADED not in states and len(invoices) > 1:
        invoices[-1].invoice_state = InvoiceState.NOT_DOWNLOADED
        _clear(invoices[-1], "first_opened_at", "first_downloaded_at", "validated_at")
    ready = [d for d in invoices if d.first_downloaded_at]
    if InvoiceState.VALIDATED not in states and len(ready) > 1:
        ready[0].invoice_state = InvoiceState.VALIDATED
        ready[0].validated_at = ready[0].first_downloaded_at  # validated as soon as downloaded
    if InvoiceState.DOWNLOADED not in states and len(ready) > 1:
        ready[-1].invoice_state, ready[-1].validated_at = InvoiceState.DOWNLOADED, None


def plan_documents(
    seed: int, today: date, window_start: date, people: PeoplePlan, agencies: dict[str, AgencyInfo]
) -> tuple[list[DocPlan], list[Mission]]:
    """Every document of the demo, with its dates and states, and the missions behind them.

    Also sets the employees' creation, activation and opposition dates.
    """
    planner = _Planner(seed, today, window_start, people, agencies)
    missions_of, missions = plan_missions(planner.rng, today, window_start, people)
    for e in people.employees:
        first = missions_of[e.index][0].start if missions_of[e.index] else None
        registered = at_work(first - timedelta(days=2), planner.rng) if first else e.arrival
        e.created_at = min(e.arrival, registered)
        if e.activation_delay is not None and e.created_at + e.activation_delay < planner.cutoff:
            e.vault_activated_at = e.created_at + e.activation_delay
        if e.opposition_delay is not None and e.created_at + e.opposition_delay < planner.cutoff:
            e.edelivery_opposed_at = e.created_at + e.opposition_delay
    for m in missions:
        planner.contracts(m)
    planner.payslips(missions)
    planner.invoices(missions)
    planner.certificates(missions_of)
    _ensure_variety(planner.docs)
    return sorted(planner.docs, key=lambda d: (d.delivered_at, d.file_name)), missions


def note_last_documents(people: PeoplePlan, docs: list[DocPlan]) -> None:
    """Each employee's "date of the last document delivered" (F6.2), from every delivered document."""
    for doc in docs:
        if doc.employee is not None and doc.delivered:
            e = people.employees[doc.employee]
            e.last_document_at = max(e.last_document_at or doc.delivered_at, doc.delivered_at)


# -- rendering (also run in worker processes: module-level and picklable) ---------------------------

_RENDERERS = {
    "payslip": pdfs.payslip_pdf,
    "mission": pdfs.mission_contract_pdf,
    "provision": pdfs.provision_contract_pdf,
    "invoice": pdfs.invoice_pdf,
    "certificate": pdfs.certificate_pdf,
}
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def render_pdf(spec: Spec) -> tuple[bytes, int]:
    """The PDF bytes of one planned document and its page count."""
    kind, args, kwargs = spec
    data: bytes = _RENDERERS[kind](*args, **kwargs)
    return data, len(_PAGE.findall(data))
