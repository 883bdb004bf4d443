"""The trigger engine of Diffusion pilotée: deposits of payslips and contracts bring the running campaigns'
documents once per employee and campaign, retroactive launches, and the daily job's planned ends."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from sqlalchemy import func, select, update

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import (
    Agency,
    AuditEvent,
    Brand,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    ClientCompany,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    IntegrationKey,
    OutboxMail,
)
from coffreo_desktop.server.jobs import JobRunner, default_jobs
from coffreo_desktop.server.services import campaign_triggers, ingest
from coffreo_desktop.server.services.recipient_signing import EMPLOYEE_FIELD, awaited_fields
from tests.support import ServerHarness

URL = "/api/v1/ingest/documents"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
TODAY = date(2026, 3, 16)  # the harness clock's day in Paris
_NUMBERS = itertools.count(1)


def pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.text(20, 30, text)
    return bytes(doc.output())


@pytest.fixture
def harness(server: ServerHarness) -> ServerHarness:
    """The demo backend with its own campaigns archived, so that only each test's campaigns run."""
    with server.session() as s, s.begin():
        s.execute(update(Campaign).values(state=CampaignState.CLOSED))
    return server


def brand_of(h: ServerHarness, code: str = "PAR11") -> int:
    with h.session() as s:
        brand_id: int = s.scalars(select(Agency.brand_id).where(Agency.code == code)).one()
        return brand_id


def employee(h: ServerHarness, matricule: str, agencies: tuple[str, ...] = ("PAR11",), **kw: Any) -> int:
    now = h.clock()
    with h.session() as s, s.begin():
        row = Employee(
            brand_id=brand_of(h, agencies[0]),
            matricule=matricule,
            first_name="Élodie",
            last_name="Lefèvre",
            email=kw.pop("email", f"{matricule.lower()}@example.fr"),
            created_at=now,
            vault_activated_at=now - timedelta(days=30),
            **kw,
        )
        s.add(row)
        s.flush()
        for code in agencies:
            s.add(EmployeeAgency(employee_id=row.id, agency_id=h.agency_id(code), since=now))
        return row.id


def campaign(
    h: ServerHarness, *, documents: tuple[str, ...] = ("Note d'information mutuelle",), **kw: Any
) -> int:
    """A launched campaign written with the ORM (the API of the campaigns is another engineer's)."""
    user = h.make_user(f"rh{next(_NUMBERS)}@example.fr")
    values: dict[str, Any] = {
        "name": "Campagne de test",
        "state": CampaignState.ACTIVE,
        "on_payslips": True,
        "starts_on": TODAY,
        "created_by": user,
        "created_at": h.clock(),
        "updated_at": h.clock(),
        "activated_at": h.clock(),
    }
    values.update(kw)
    if "agency_id" not in values and "brand_id" not in values:
        values["agency_id"] = h.agency_id("PAR11")
    with h.session() as s, s.begin():
        row = Campaign(**values)
        s.add(row)
        s.flush()
        for title in documents:
            content = pdf(title)
            s.add(
                CampaignDocument(
                    campaign_id=row.id,
                    title=title,
                    file_name=f"{title}.pdf",
                    blob_sha256=h.ctx.blobs.put_bytes(content),
                    size=len(content),
                    pages=1,
                )
            )
        return row.id


def deposit(
    h: ServerHarness, erp: dict[str, str], matricule: str, kind: str = "payslip", **fields: str
) -> int:
    data = {"agency": "PAR11", "type": kind, "matricule": matricule}
    if kind == "payslip":
        data |= {"period_start": "2026-02-01", "period_end": "2026-02-28"}
    else:
        data |= {"contract_number": f"CM-{next(_NUMBERS)}", "document_date": "2026-03-16"}
    data |= fields
    body = pdf(f"{kind} {matricule} {sorted(fields.items())} {h.clock()}")
    response = h.client.post(
        URL, headers=erp, files={"file": ("doc.pdf", body, "application/pdf")}, data=data
    )
    assert response.status_code == 201, response.text
    document_id: int = response.json()["id"]
    return document_id


def campaign_documents(h: ServerHarness, employee_id: int, campaign_id: int | None = None) -> list[Document]:
    with h.session() as s:
        query = select(Document).where(Document.employee_id == employee_id, Document.origin == "campaign")
        if campaign_id is not None:
            query = query.where(Document.campaign_id == campaign_id)
        docs = list(s.scalars(query.order_by(Document.id)))
        for d in docs:  # each is in the employee's vault
            assert s.scalar(select(Delivery.id).where(Delivery.document_id == d.id)) is not None
        return docs


def deliveries(h: ServerHarness, campaign_id: int) -> list[int]:
    with h.session() as s:
        query = select(CampaignDelivery.employee_id).where(CampaignDelivery.campaign_id == campaign_id)
        return list(s.scalars(query.order_by(CampaignDelivery.employee_id)))


@pytest.fixture
def erp(harness: ServerHarness) -> dict[str, str]:
    return harness.integration_key(brand_of(harness))


def test_payslip_brings_campaign_documents_and_its_mail_names_them_with_the_brand_logo(
    harness: ServerHarness, erp: dict[str, str]
) -> None:
    with harness.session() as s, s.begin():
        s.execute(update(Brand).where(Brand.id == brand_of(harness)).values(logo_svg=LOGO))
    worker = employee(harness, "CMP-0001")
    cid = campaign(harness, documents=("Note d'information mutuelle", "Livret sécurité"))

    trigger = deposit(harness, erp, "CMP-0001")

    docs = campaign_documents(harness, worker, cid)
    assert [d.title for d in docs] == ["Note d'information mutuelle", "Livret sécurité"]
    assert all(d.doc_type is DocumentType.DIFFUSED and d.protection is Protection.SIMPLE for d in docs)
    with harness.session() as s:
        row = s.scalars(select(CampaignDelivery).where(CampaignDelivery.campaign_id == cid)).one()
        assert (row.employee_id, row.trigger_document_id) == (worker, trigger)
        mails = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "cmp-0001@example.fr")).all()
    assert len(mails) == 1, "one mail announces the payslip and the documents travelling with it"
    assert "« Note d'information mutuelle », « Livret sécurité »" in mails[0].body_text
    assert "Bulletin de paie" in mails[0].body_text
    assert "data:image/svg+xml;base64," in mails[0].body_html


def test_repeated_payslips_deliver_a_campaign_once_per_employee(
    harness: ServerHarness, erp: dict[str, str]
) -> None:
    worker = employee(harness, "CMP-0002")
    cid = campaign(harness)
    for month in ("01", "02", "03"):
        deposit(harness, erp, "CMP-0002", period_start=f"2026-{month}-01", period_end=f"2026-{month}-28")

    assert deliveries(harness, cid) == [worker]
    assert len(campaign_documents(harness, worker, cid)) == 1
    with harness.session() as s:
        later = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "cmp-0002@example.fr")).all()
    assert ["Note d'information" in m.body_text for m in sorted(later, key=lambda m: m.id)] == [
        True,
        False,
        False,
    ]


def test_brand_campaign_covers_an_agency_added_after_its_launch_and_agency_campaign_only_its_own(
    harness: ServerHarness,
) -> None:
    brand_id = brand_of(harness)
    erp = harness.integration_key(brand_id)
    brand_wide = campaign(harness, brand_id=brand_id)
    par11_only = campaign(harness, agency_id=harness.agency_id("PAR11"))
    with harness.session() as s, s.begin():
        par11 = s.scalars(select(Agency).where(Agency.code == "PAR11")).one()
        s.add(Agency(company_id=par11.company_id, brand_id=brand_id, code="NEW01", name="Nouvelle agence"))
    worker = employee(harness, "CMP-0003", agencies=("NEW01",))

    deposit(harness, erp, "CMP-0003", agency="NEW01")

    assert deliveries(harness, brand_wide) == [worker]
    assert deliveries(harness, par11_only) == []


def test_campaign_of_another_brand_does_not_trigger(harness: ServerHarness, erp: dict[str, str]) -> None:
    with harness.session() as s, s.begin():
        brand = Brand(code="AUTRE", name="Autre marque", created_at=harness.clock())
        s.add(brand)
        s.flush()
        other = brand.id
    employee(harness, "CMP-0004")
    cid = campaign(harness, brand_id=other)
    deposit(harness, erp, "CMP-0004")
    assert deliveries(harness, cid) == []


@pytest.mark.parametrize(
    ("cadre_filter", "is_cadre", "expected"),
    [
        ("cadre", "true", True),
        ("cadre", "false", False),
        ("non_cadre", "false", True),
        ("non_cadre", "true", False),
        ("all", "false", True),
    ],
)
def test_cadre_filter_selects_contracts_by_the_status_the_payroll_gives(
    harness: ServerHarness, erp: dict[str, str], cadre_filter: str, is_cadre: str, expected: bool
) -> None:
    worker = employee(harness, "CMP-0005")
    cid = campaign(harness, on_payslips=False, on_contracts=True, cadre_filter=cadre_filter)
    deposit(harness, erp, "CMP-0005", "mission_contract", is_cadre=is_cadre)
    assert deliveries(harness, cid) == ([worker] if expected else [])


def test_client_filter_selects_temp_contracts_of_that_client_company(
    harness: ServerHarness, erp: dict[str, str]
) -> None:
    with harness.session() as s, s.begin():
        for code in ("CLI-A", "CLI-B"):
            s.add(ClientCompany(brand_id=brand_of(harness), code=code, name=code, created_at=harness.clock()))
    with harness.session() as s:
        client_a = s.scalars(select(ClientCompany.id).where(ClientCompany.code == "CLI-A")).one()
    worker = employee(harness, "CMP-0006")
    cid = campaign(harness, on_payslips=False, on_contracts=True, client_filter_id=client_a)

    deposit(harness, erp, "CMP-0006", "mission_contract", client="CLI-B")
    assert deliveries(harness, cid) == []
    deposit(harness, erp, "CMP-0006", "mission_contract", client="CLI-A")
    assert deliveries(harness, cid) == [worker]


def test_payslip_trigger_ignores_contracts_and_contract_trigger_ignores_payslips(
    harness: ServerHarness, erp: dict[str, str]
) -> None:
    employee(harness, "CMP-0007")
    on_payslips = campaign(harness, on_payslips=True, on_contracts=False)
    on_contracts = campaign(harness, on_payslips=False, on_contracts=True)

    deposit(harness, erp, "CMP-0007", "mission_contract")
    assert (len(deliveries(harness, on_payslips)), len(deliveries(harness, on_contracts))) == (0, 1)


@pytest.mark.parametrize(
    "state",
    [
        {"starts_on": TODAY + timedelta(days=1)},  # planned
        {"starts_on": TODAY - timedelta(days=30), "ends_on": TODAY - timedelta(days=1)},  # ended
        {"state": CampaignState.CLOSED},
        {"state": CampaignState.DRAFT},
    ],
    ids=["before_start", "after_end", "closed", "draft"],
)
def test_campaign_not_running_delivers_nothing(
    harness: ServerHarness, erp: dict[str, str], state: dict[str, Any]
) -> None:
    employee(harness, "CMP-0008")
    cid = campaign(harness, **state)
    deposit(harness, erp, "CMP-0008")
    assert deliveries(harness, cid) == []


def test_campaign_runs_on_its_last_day(harness: ServerHarness, erp: dict[str, str]) -> None:
    worker = employee(harness, "CMP-0009")
    cid = campaign(harness, starts_on=TODAY - timedelta(days=3), ends_on=TODAY)
    deposit(harness, erp, "CMP-0009")
    assert deliveries(harness, cid) == [worker]


def test_retroactive_launch_reaches_employees_served_since_the_date_once(
    harness: ServerHarness, erp: dict[str, str]
) -> None:
    old, recent, opposed = (employee(harness, m) for m in ("CMP-0010", "CMP-0011", "CMP-0012"))
    start = harness.clock.now
    harness.clock.now = start - timedelta(days=40)
    deposit(harness, erp, "CMP-0010")  # before the retroactive date: not reached
    harness.clock.now = start - timedelta(days=10)
    deposit(harness, erp, "CMP-0011")
    deposit(harness, erp, "CMP-0011", period_start="2026-01-01", period_end="2026-01-31")
    with harness.session() as s, s.begin():
        s.get(Employee, opposed).edelivery_opposed_at = harness.clock()  # type: ignore[union-attr]
    deposit(harness, erp, "CMP-0012")  # kept on paper: nothing was received
    harness.clock.now = start
    since = TODAY - timedelta(days=30)
    cid = campaign(harness, starts_on=since, retroactive_from=since, documents=("A", "B"))

    with harness.session() as s, s.begin():
        row = s.get(Campaign, cid)
        assert row is not None
        delivered = campaign_triggers.deliver_retroactively(s, harness.ctx.blobs, row, start)
        assert campaign_triggers.deliver_retroactively(s, harness.ctx.blobs, row, start) == 0
    reached = deliveries(harness, cid)  # the demo's own recent payslips count too
    assert len(reached) == delivered and recent in reached
    assert old not in reached and opposed not in reached
    assert [d.title for d in campaign_documents(harness, recent)] == ["A", "B"]
    with harness.session() as s:
        assert s.get(Employee, recent).last_document_at == start  # type: ignore[union-attr]

    deposit(harness, erp, "CMP-0011", period_start="2026-03-01", period_end="2026-03-31")
    assert len(campaign_documents(harness, recent)) == 2, "a later payslip brings nothing more"
    deposit(harness, erp, "CMP-0010", period_start="2026-03-01", period_end="2026-03-31")
    assert old in deliveries(harness, cid) and len(deliveries(harness, cid)) == delivered + 1


def test_daily_job_closes_campaigns_after_their_planned_end(harness: ServerHarness) -> None:
    ending = campaign(harness, starts_on=TODAY, ends_on=TODAY + timedelta(days=2))
    open_ended = campaign(harness, starts_on=TODAY)
    runner = JobRunner(harness.ctx, default_jobs(harness.ctx))

    def state(cid: int) -> CampaignState:
        with harness.session() as s:
            return s.get(Campaign, cid).state  # type: ignore[union-attr]

    # The last day, after the job's time: still running.
    harness.clock.now = datetime(2026, 3, 17, 23, 30, tzinfo=UTC)  # 00:30 on the 18th in Paris
    assert "campaigns.daily" in runner.run_due(force=True)
    assert state(ending) is CampaignState.ACTIVE
    harness.clock.now = datetime(2026, 3, 18, 23, 10, tzinfo=UTC)  # 00:10 on the 19th in Paris
    assert "campaigns.daily" in runner.run_due(force=True)
    assert (state(ending), state(open_ended)) == (CampaignState.CLOSED, CampaignState.ACTIVE)
    with harness.session() as s:
        row = s.get(Campaign, ending)
        assert row is not None and row.closed_at is not None and row.version == 2
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "campaign.closed", AuditEvent.target_id == str(ending)
            )
        ).one()
        assert event.actor_kind == "system"


def test_signed_campaign_delivers_documents_to_sign(harness: ServerHarness, erp: dict[str, str]) -> None:
    worker = employee(harness, "CMP-0013")
    cid = campaign(harness, signed=True, documents=("Charte informatique",))
    deposit(harness, erp, "CMP-0013")

    (doc,) = campaign_documents(harness, worker, cid)
    assert (doc.protection, doc.signature_state) == (Protection.TO_SIGN, SignatureState.UNSIGNED)
    assert awaited_fields(harness.ctx.blobs, doc.blob_sha256) == (EMPLOYEE_FIELD,)
    with harness.session() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "cmp-0013@example.fr")).one()
    assert "doivent être signés" in mail.body_text


def test_two_concurrent_deposits_deliver_a_campaign_once(
    harness: ServerHarness, database_kind: str, tmp_path: Path
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    worker = employee(harness, "CMP-0014")
    cid = campaign(harness)
    key_brand = brand_of(harness)
    harness.integration_key(key_brand)
    with harness.session() as s:
        key_id = s.scalars(select(IntegrationKey.id).order_by(IntegrationKey.id.desc())).first()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def one(month: int) -> None:
        path = tmp_path / f"p{month}.pdf"
        path.write_bytes(pdf(f"bulletin {month}"))
        data = ingest.DepositInput(
            agency="PAR11",
            doc_type=DocumentType.PAYSLIP,
            matricule="CMP-0014",
            period_start=date(2026, month, 1),
            period_end=date(2026, month, 28),
        )
        try:
            with harness.ctx.db.writer() as s:
                barrier.wait(timeout=10)  # both start together; the unique index makes one wait for the other
                ingest.deposit(
                    s, harness.ctx.blobs, harness.settings, key_id=key_id, brand_id=key_brand, data=data,
                    path=path, file_name="p.pdf", idempotency_key=None, now=harness.clock(),
                )  # fmt: skip
                s.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(m,)) for m in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert deliveries(harness, cid) == [worker]
    with harness.session() as s:
        count = s.scalar(select(func.count()).where(Document.campaign_id == cid)) or 0
    assert count == 1 and not errors
