"""The demo group (issue 2): every kind of document and state, real PDFs, deterministic from its seed."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.periods import months_before
from coffreo_desktop.domain.states import AdvanceState, CampaignState
from coffreo_desktop.server.app import prepare
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import (
    AdvancePolicy,
    AdvanceRequest,
    Agency,
    AuditEvent,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    ClientAgency,
    ClientCompany,
    ClientUser,
    Delivery,
    Document,
    Earning,
    Employee,
    EmployeeAgency,
)
from coffreo_desktop.server.demo import DEMO_SEED, builder
from coffreo_desktop.server.demo.builder import agency_infos, build_demo, has_demo
from coffreo_desktop.server.demo.data_fr import STREETS
from coffreo_desktop.server.demo.documents import plan_documents, render_pdf
from coffreo_desktop.server.demo.people import plan_people
from coffreo_desktop.server.pdf.validate import check_pdf
from coffreo_desktop.server.services import audit
from tests.support import Clock

SCALE = 0.02
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class Built:
    ctx: AppContext
    progress: list[tuple[int, int, str]]


def build(folder: Path, seed: int = DEMO_SEED) -> Built:
    settings = ServerSettings(data_dir=folder)
    prepare(settings)
    ctx = AppContext.build(settings)
    ctx.clock = Clock(NOW)
    progress: list[tuple[int, int, str]] = []
    build_demo(
        ctx, seed=seed, scale=SCALE, progress=lambda done, total, label: progress.append((done, total, label))
    )
    return Built(ctx, progress)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    built = build(tmp_path_factory.mktemp("demo"))
    yield built
    built.ctx.db.dispose()


def scalar(built: Built, statement: object) -> int:
    with built.ctx.db.reader() as session:
        return int(session.scalar(statement) or 0)  # type: ignore[call-overload]


def documents(built: Built) -> list[Document]:
    with built.ctx.db.reader() as session:
        return list(session.scalars(select(Document).order_by(Document.id)))


def test_small_demo_has_every_document_type_and_state(demo: Built) -> None:
    docs = documents(demo)
    assert 60 <= len(docs) <= 250
    types = Counter(d.doc_type for d in docs)
    assert set(types) >= {
        DocumentType.PAYSLIP,
        DocumentType.MISSION_CONTRACT,
        DocumentType.PROVISION_CONTRACT,
        DocumentType.INVOICE,
        DocumentType.CERTIFICATE,
        DocumentType.DIFFUSED,
    }
    assert {d.invoice_state for d in docs if d.doc_type is DocumentType.INVOICE} == set(InvoiceState)
    for contract in (DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT):
        states = {d.signature_state for d in docs if d.doc_type is contract}
        assert states == {SignatureState.SIGNED, SignatureState.UNSIGNED}, contract


def test_employees_span_agencies_and_vault_states(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        employees = list(session.scalars(select(Employee)))
        per_employee = Counter(session.scalars(select(EmployeeAgency.employee_id)))
    assert 8 <= len(employees) <= 15
    assert any(count == 2 for count in per_employee.values()), "quelqu'un dans deux agences"
    assert any(e.vault_activated_at is None for e in employees)
    assert any(e.vault_activated_at is not None for e in employees)
    assert any(e.edelivery_opposed_at is not None for e in employees)
    assert len({e.matricule for e in employees}) == len(employees)
    assert all(len(e.matricule) == 6 and e.matricule.isdigit() for e in employees)
    for e in employees:  # "12 rue de la Gare, 69003 Lyon"
        street = re.fullmatch(r"\d+ ([^,]+), \d{5} \S.*", e.address)
        assert street and street.group(1) in STREETS, e.address
    assert any(not (e.first_name + e.last_name).isascii() for e in employees), "des noms accentués"
    for e in employees:
        assert e.vault_created_at is not None
        if e.vault_activated_at:
            assert e.vault_activated_at >= e.vault_created_at


def test_clients_have_users_with_varied_rights(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        clients = list(session.scalars(select(ClientCompany)))
        users = list(session.scalars(select(ClientUser)))
        served = Counter(session.scalars(select(ClientAgency.client_id)))
        agencies = session.scalar(select(func.count(func.distinct(ClientAgency.agency_id))))
    assert len(clients) >= 4 and all(c.code.startswith("C") and len(c.siret) == 14 for c in clients)
    assert {c.id for c in clients} == set(served) and agencies == 6, "chaque agence sert au moins un client"
    assert {u.client_id for u in users} == {c.id for c in clients}
    assert len({(u.can_sign_contracts, u.can_invoices, u.can_timesheets) for u in users}) > 1
    assert any(c.activated_at is None for c in clients) and any(c.activated_at for c in clients)


def test_documents_spread_over_two_years_before_today(demo: Built) -> None:
    docs = documents(demo)
    dates = [d.document_date for d in docs]
    assert min(dates) >= months_before(TODAY, 24).replace(day=1)
    assert min(dates) <= TODAY - timedelta(days=600)
    assert max(dates) >= TODAY - timedelta(days=45)
    midnight = datetime.combine(TODAY, datetime.min.time(), UTC)
    assert all(d.created_at < midnight for d in docs), "rien n'arrive aujourd'hui ni après"


def test_deliveries_follow_invoice_and_signature_states(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        rows = session.execute(
            select(Document, Delivery).join(Delivery, Delivery.document_id == Document.id)
        ).all()
        undelivered = session.scalar(
            select(func.count()).select_from(Document).where(~Document.id.in_(select(Delivery.document_id)))
        )
    assert len(rows) + (undelivered or 0) == len(documents(demo))
    for doc, delivery in rows:
        assert (delivery.employee_id, delivery.client_id) == (doc.employee_id, doc.client_id)
        assert (doc.client_id is None) != (doc.employee_id is None)
        if doc.invoice_state is InvoiceState.NOT_DOWNLOADED:
            assert delivery.first_downloaded_at is None and delivery.validated_at is None
        elif doc.invoice_state is InvoiceState.DOWNLOADED:
            assert delivery.first_downloaded_at is not None and delivery.validated_at is None
        elif doc.invoice_state is InvoiceState.VALIDATED:
            assert delivery.first_downloaded_at is not None and delivery.validated_at is not None
            assert delivery.validated_at >= delivery.first_downloaded_at >= delivery.delivered_at
        if doc.signature_state is SignatureState.SIGNED:
            assert doc.signed_at is not None and doc.signed_at >= delivery.delivered_at
        else:
            assert doc.signed_at is None


def test_last_document_at_is_the_latest_delivery(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        latest = dict(
            session.execute(
                select(Delivery.employee_id, func.max(Delivery.delivered_at))
                .where(Delivery.employee_id.is_not(None))
                .group_by(Delivery.employee_id)
            ).all()
        )
        employees = list(session.scalars(select(Employee)))
    for e in employees:
        expected = latest.get(e.id)
        assert e.last_document_at == (
            expected.replace(tzinfo=UTC) if expected and not expected.tzinfo else expected
        )


def test_blobs_exist_and_match_their_sha256(demo: Built) -> None:
    docs = documents(demo)
    for doc in docs:
        data = demo.ctx.blobs.read_verified(doc.blob_sha256)
        assert len(data) == doc.size and data.startswith(b"%PDF-")


def test_a_sample_of_demo_pdfs_passes_the_server_checks(demo: Built, tmp_path: Path) -> None:
    sample = {d.doc_type: d for d in documents(demo)}  # the last of each type
    for doc in sample.values():
        path = tmp_path / doc.file_name
        path.write_bytes(demo.ctx.blobs.read_verified(doc.blob_sha256))
        report = check_pdf(path, file_name=doc.file_name, title=doc.title)
        assert report.pages == doc.pages == len(PdfReader(path).pages)
        assert report.sha256 == doc.blob_sha256


def test_pdfs_carry_believable_french_content(demo: Built) -> None:
    docs = {d.doc_type: d for d in documents(demo)}
    payslip = docs[DocumentType.PAYSLIP]
    text = PdfReader(io.BytesIO(demo.ctx.blobs.read_verified(payslip.blob_sha256))).pages[0].extract_text()
    assert "Bulletin de paie" in text and "Net payé" in text and payslip.matricule in text
    invoice = docs[DocumentType.INVOICE]
    text = PdfReader(io.BytesIO(demo.ctx.blobs.read_verified(invoice.blob_sha256))).pages[0].extract_text()
    assert invoice.invoice_number in text and "TVA" in text


def test_campaigns_in_every_state_with_deliveries(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        campaigns = list(session.scalars(select(Campaign)))
        deliveries = Counter(session.scalars(select(CampaignDelivery.campaign_id)))
        attached = Counter(session.scalars(select(CampaignDocument.campaign_id)))
        diffused = list(session.scalars(select(Document).where(Document.origin == "campaign")))
    assert {c.state for c in campaigns} == set(CampaignState)
    assert any(c.brand_id for c in campaigns) and any(c.agency_id for c in campaigns)
    active_agency = next(c for c in campaigns if c.state is CampaignState.ACTIVE and c.agency_id)
    assert deliveries[active_agency.id] >= 1 and attached[active_agency.id] >= 1
    assert all(attached[c.id] >= 1 for c in campaigns)
    assert diffused and all(d.doc_type is DocumentType.DIFFUSED and d.campaign_id for d in diffused)


def test_advances_in_every_state_with_pending_ones_at_lyon_and_villeurbanne(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        codes = dict(session.execute(select(Agency.id, Agency.code)).all())
        requests = list(session.scalars(select(AdvanceRequest)))
        policies = session.scalar(select(func.count()).select_from(AdvancePolicy))
        earnings = session.scalar(select(func.count()).select_from(Earning))
    assert {r.state for r in requests} == set(AdvanceState)
    pending = Counter(codes[r.agency_id] for r in requests if r.state is AdvanceState.SENT)
    assert pending["LYO"] >= 1 and pending["VIL"] >= 1
    open_pairs = [(r.employee_id, r.agency_id) for r in requests if r.state is AdvanceState.SENT]
    assert len(open_pairs) == len(set(open_pairs)), "une seule demande ouverte par salarié et agence"
    for r in requests:
        if r.state is AdvanceState.ACCEPTED:
            assert r.granted_cents and r.decided_by and r.decided_at and r.decided_at >= r.created_at
    assert any(r.granted_cents and r.amount_cents and r.granted_cents < r.amount_cents for r in requests)
    assert policies == 6 and (earnings or 0) >= 1


def test_creation_is_audited_once_and_the_chain_verifies(demo: Built) -> None:
    with demo.ctx.db.reader() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
        assert audit.verify(session).ok
    assert actions == ["demo.created"]
    assert has_demo(demo.ctx)


def test_progress_is_reported_in_french_up_to_the_end(demo: Built) -> None:
    done = [step[0] for step in demo.progress]
    assert done == sorted(done) and demo.progress[-1][:2] == (100, 100)
    assert any("Génération des documents PDF" in label for _, _, label in demo.progress)


def employee_rows(built: Built) -> list[tuple[object, ...]]:
    with built.ctx.db.reader() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    Employee.matricule,
                    Employee.first_name,
                    Employee.last_name,
                    Employee.email,
                    Employee.birth_date,
                    Employee.address,
                    Employee.created_at,
                    Employee.vault_activated_at,
                    Employee.last_document_at,
                ).order_by(Employee.id)
            )
        ]


def test_same_seed_same_rows_and_same_pdfs(demo: Built, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    try:
        assert [(d.blob_sha256, d.title, d.document_date) for d in documents(again)] == [
            (d.blob_sha256, d.title, d.document_date) for d in documents(demo)
        ]
        assert employee_rows(again) == employee_rows(demo)
    finally:
        again.ctx.db.dispose()


def test_another_seed_gives_other_people() -> None:
    infos, start = agency_infos(), months_before(TODAY, 24).replace(day=1)
    first = plan_people(1, SCALE, TODAY, start, infos)
    second = plan_people(2, SCALE, TODAY, start, infos)
    assert [e.matricule for e in first.employees] != [e.matricule for e in second.employees]


def test_full_scale_plan_meets_the_issue_numbers() -> None:
    """Planning is cheap (no PDF): check the scale-1 counts of issue 2 without building them."""
    infos, start = agency_infos(), months_before(TODAY, 24).replace(day=1)
    people = plan_people(DEMO_SEED, 1.0, TODAY, start, infos)
    docs, _ = plan_documents(DEMO_SEED, TODAY, start, people, {a.code: a for a in infos})
    assert len(people.employees) >= 500 and len(people.clients) >= 20
    assert sum(len(c.users) for c in people.clients) >= 40
    assert len(docs) >= 5000
    activated = sum(1 for e in people.employees if e.vault_activated_at) / len(people.employees)
    assert 0.6 <= activated <= 0.8
    assert 0.08 <= sum(1 for e in people.employees if len(e.agencies) > 1) / len(people.employees) <= 0.2


def test_worker_processes_draw_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    infos, start = agency_infos(), months_before(date(2026, 3, 16), 24).replace(day=1)
    people = plan_people(DEMO_SEED, SCALE, TODAY, start, infos)
    docs, _ = plan_documents(DEMO_SEED, TODAY, start, people, {a.code: a for a in infos})
    specs = [d.spec for d in docs[:6]]
    monkeypatch.setattr(builder, "POOL_THRESHOLD", 1)
    assert list(builder._rendered(specs)) == [render_pdf(s) for s in specs if s is not None]
