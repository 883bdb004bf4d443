"""The payroll/ERP deposit (F7.3): payslips, contracts and invoices through POST /api/v1/ingest/documents,
delivered to vaults and announced by mail; every refusal answers problem+json and stores nothing."""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from sqlalchemy import func, select
from starlette.requests import Request

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, Protection, SignatureState
from coffreo_desktop.domain.limits import KB, MAX_FILE_SIZE
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api import uploads
from coffreo_desktop.server.db.models import (
    Agency,
    AuditEvent,
    Brand,
    ClientCompany,
    ClientUser,
    Company,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    OutboxMail,
)
from coffreo_desktop.server.errors import TooLarge
from coffreo_desktop.server.services import audit
from tests.pdf_corpus import blank_pdf, javascript_in_names
from tests.support import ServerHarness

URL = "/api/v1/ingest/documents"
NIR = "1 85 05 78 006 084 36"


def _pdf(text: str = "Bulletin de paie — février 2026", pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_font("Helvetica", size=11)
    for page in range(pages):
        pdf.add_page()
        pdf.text(20, 30, f"{text} — page {page + 1}")
    return bytes(pdf.output())


def _rewritten(edit: Any) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(_pdf()))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _brand_id(harness: ServerHarness, agency_code: str = "PAR11") -> int:
    with harness.session() as s:
        brand_id: int = s.scalars(select(Agency.brand_id).where(Agency.code == agency_code)).one()
        return brand_id


def _employee(
    harness: ServerHarness,
    matricule: str,
    *,
    agencies: tuple[str, ...] = ("PAR11",),
    email: str = "",
    activated: bool = True,
) -> int:
    now = harness.clock()
    with harness.session() as s, s.begin():
        employee = Employee(
            brand_id=_brand_id(harness, agencies[0]),
            matricule=matricule,
            civility="Mme",
            first_name="Élodie",
            last_name="Lefèvre",
            email=email,
            created_at=now,
            vault_activated_at=now - timedelta(days=30) if activated else None,
        )
        s.add(employee)
        s.flush()
        for code in agencies:
            s.add(EmployeeAgency(employee_id=employee.id, agency_id=harness.agency_id(code), since=now))
        return employee.id


def _client(harness: ServerHarness, code: str, users: list[dict[str, Any]]) -> int:
    now = harness.clock()
    with harness.session() as s, s.begin():
        client = ClientCompany(
            brand_id=_brand_id(harness), code=code, name="Boulangeries Martin SAS", created_at=now
        )
        s.add(client)
        s.flush()
        for user in users:
            s.add(
                ClientUser(client_id=client.id, first_name="Paul", last_name="Martin", created_at=now, **user)
            )
        return client.id


def _deposit(
    harness: ServerHarness,
    headers: dict[str, str],
    data: bytes,
    *,
    file_name: str = "paie.pdf",
    **fields: str,
) -> Any:
    return harness.client.post(
        URL, headers=headers, files={"file": (file_name, data, "application/pdf")}, data=fields
    )


PAYSLIP = {"agency": "PAR11", "type": "payslip", "period_start": "2026-02-01", "period_end": "2026-02-28"}


@dataclass(frozen=True)
class Snapshot:
    documents: int
    deliveries: int
    mails: int
    deposited_events: int
    blobs: frozenset[Path]


def _snapshot(harness: ServerHarness) -> Snapshot:
    with harness.session() as s:

        def count(model: Any) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0

        events = s.scalar(select(func.count()).where(AuditEvent.action == "document.deposited")) or 0
        blobs = frozenset(p for p in harness.settings.blob_dir.rglob("*") if p.is_file())
        return Snapshot(count(Document), count(Delivery), count(OutboxMail), events, blobs)


def _assert_refused(harness: ServerHarness, response: Any, before: Snapshot, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert _snapshot(harness) == before, "a refused deposit must store nothing"
    waiting = uploads.upload_dir(harness.settings)
    assert not waiting.exists() or not any(waiting.iterdir()), "the upload's temporary file must be gone"


@pytest.fixture
def erp(server: ServerHarness) -> dict[str, str]:
    return server.integration_key(_brand_id(server))


def test_payslip_is_stored_delivered_and_announced(server: ServerHarness, erp: dict[str, str]) -> None:
    employee_id = _employee(server, "TST-0001", email="elodie.lefevre@example.fr")
    pdf = _pdf(pages=2)
    response = _deposit(
        server, erp, pdf, file_name="bulletin-TST-0001.pdf", matricule="TST-0001", is_cadre="true", **PAYSLIP
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert (body["pages"], body["size"], body["warnings"]) == (2, len(pdf), [])
    assert server.ctx.blobs.read_verified(body["sha256"]) == pdf
    with server.session() as s:
        doc = s.get(Document, body["id"])
        assert doc is not None
        assert doc.doc_type is DocumentType.PAYSLIP
        assert doc.title == "Bulletin de paie — février 2026"
        assert (doc.document_date, doc.period_start) == (date(2026, 2, 28), date(2026, 2, 1))
        assert (doc.matricule, doc.employee_first_name, doc.employee_last_name) == (
            "TST-0001",
            "Élodie",
            "Lefèvre",
        )
        assert (doc.file_name, doc.is_cadre, doc.origin) == ("bulletin-TST-0001.pdf", True, "deposit")
        assert doc.signature_state is SignatureState.NOT_REQUIRED and doc.invoice_state is None
        deliveries = s.scalars(select(Delivery).where(Delivery.document_id == doc.id)).all()
        assert [(d.employee_id, d.client_id) for d in deliveries] == [(employee_id, None)]
        employee = s.get(Employee, employee_id)
        assert employee is not None and employee.is_cadre is True
        assert employee.last_document_at == server.clock() and employee.vault_created_at == server.clock()
        mail = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "elodie.lefevre@example.fr")).one()
        assert mail.kind == "document_new"
        assert "Un nouveau document vous attend" in mail.subject
        assert (
            "Bonjour Élodie Lefèvre" in mail.body_text and "Bulletin de paie — février 2026" in mail.body_text
        )
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.deposited")).one()
        assert (event.actor_kind, event.target_id, event.details["sha256"]) == (
            "integration",
            str(doc.id),
            body["sha256"],
        )
        assert audit.verify(s).ok


def test_the_blob_is_stored_before_the_audit_lock_is_taken(
    server: ServerHarness, erp: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Recording the event locks the audit head until the commit (PostgreSQL): the slow part, hashing and
    # syncing the file, must be over by then.
    _employee(server, "TST-0009")
    pdf = _pdf("Bulletin à ranger avant l'audit")
    sha256 = hashlib.sha256(pdf).hexdigest()
    stored_when_audited: list[bool] = []
    original = audit.record

    def record(session: Any, actor: Any, action: str, *args: Any, **kwargs: Any) -> Any:
        if action == "document.deposited":
            stored_when_audited.append(server.ctx.blobs.path(sha256).is_file())
        return original(session, actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", record)
    response = _deposit(server, erp, pdf, matricule="TST-0009", **PAYSLIP)

    assert response.status_code == 201, response.text
    assert stored_when_audited == [True]


def test_contract_to_sign_invites_a_worker_whose_vault_is_not_activated(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    _employee(server, "TST-0002", agencies=("NAN", "PAR11"), email="karim.benali@example.fr", activated=False)
    response = _deposit(
        server,
        erp,
        _pdf("Contrat de mission"),
        agency="NAN",
        type="mission_contract",
        matricule="TST-0002",
        document_date="2026-03-16",
        contract_number="CM-1042",
        must_sign="true",
    )

    assert response.status_code == 201, response.text
    with server.session() as s:
        doc = s.get(Document, response.json()["id"])
        assert doc is not None and doc.title == "Contrat de mission n° CM-1042"
        assert (doc.signature_state, doc.protection) == (SignatureState.UNSIGNED, Protection.TO_SIGN)
        mail = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "karim.benali@example.fr")).one()
        assert mail.kind == "vault_invitation"
        assert "Activez votre coffre-fort" in mail.subject
        assert "/coffre/activation" in mail.body_text and "doit être signé" in mail.body_text


def test_invoice_is_delivered_to_the_client_and_its_users_with_the_invoice_right(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    client_id = _client(
        server,
        "CLI-T1",
        [
            {"email": "compta@martin.example.fr", "can_invoices": True, "activated_at": server.clock()},
            {"email": "atelier@martin.example.fr", "can_invoices": False},
        ],
    )
    response = _deposit(
        server,
        erp,
        _pdf("Facture F-2026-118"),
        agency="PAR11",
        type="invoice",
        client="CLI-T1",
        document_date="2026-03-01",
        invoice_number="F-2026-118",
    )

    assert response.status_code == 201, response.text
    with server.session() as s:
        doc = s.get(Document, response.json()["id"])
        assert doc is not None
        assert (doc.client_id, doc.client_name, doc.employee_id) == (
            client_id,
            "Boulangeries Martin SAS",
            None,
        )
        assert (doc.invoice_state, doc.title) == (InvoiceState.NOT_DOWNLOADED, "Facture n° F-2026-118")
        invoice_user = s.scalars(
            select(ClientUser.id).where(ClientUser.email == "compta@martin.example.fr")
        ).one()
        deliveries = s.scalars(
            select(Delivery).where(Delivery.document_id == doc.id).order_by(Delivery.id)
        ).all()
        assert [(d.client_id, d.client_user_id) for d in deliveries] == [
            (client_id, None),
            (client_id, invoice_user),
        ]
        mails = s.scalars(select(OutboxMail).where(OutboxMail.to_addr.like("%@martin.example.fr"))).all()
        assert [(m.to_addr, m.kind) for m in mails] == [("compta@martin.example.fr", "document_new")]


def test_replay_with_the_same_idempotency_key_returns_the_first_result(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    _employee(server, "TST-0003", email="lea.petit@example.fr")
    pdf = _pdf()
    first = _deposit(
        server, {**erp, "Idempotency-Key": "paie-2026-02-TST-0003"}, pdf, matricule="TST-0003", **PAYSLIP
    )
    assert first.status_code == 201, first.text
    before = _snapshot(server)

    replay = _deposit(
        server, {**erp, "Idempotency-Key": "paie-2026-02-TST-0003"}, pdf, matricule="TST-0003", **PAYSLIP
    )
    assert replay.status_code == 200, replay.text
    assert replay.json() == first.json()
    assert _snapshot(server) == before, "a replay delivers nothing twice"

    other_file = _deposit(
        server,
        {**erp, "Idempotency-Key": "paie-2026-02-TST-0003"},
        _pdf("autre"),
        matricule="TST-0003",
        **PAYSLIP,
    )
    _assert_refused(server, other_file, before, 409, "idempotency_key_reused")

    # Keys are per integration: another ERP of the brand using the same key deposits its own document.
    other_erp = server.integration_key(_brand_id(server))
    second = _deposit(
        server,
        {**other_erp, "Idempotency-Key": "paie-2026-02-TST-0003"},
        pdf,
        matricule="TST-0003",
        **PAYSLIP,
    )
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]


def _encrypted(writer: PdfWriter) -> None:
    writer.encrypt("secret")


def _javascript(writer: PdfWriter) -> None:
    writer.add_open_action(JavaScript("app.alert('Bonjour');"))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Bonjour, ceci n'est pas un PDF.\n" * 40, "not_pdf"),
        (_rewritten(_encrypted), "encrypted"),
        (_rewritten(_javascript), "javascript"),
    ],
    ids=["not_a_pdf", "encrypted", "javascript"],
)
def test_refused_pdf_answers_its_code_in_french_and_stores_nothing(
    server: ServerHarness, erp: dict[str, str], data: bytes, code: str
) -> None:
    _employee(server, "TST-0004")
    before = _snapshot(server)
    response = _deposit(server, erp, data, file_name="bulletin-fevrier.pdf", matricule="TST-0004", **PAYSLIP)
    _assert_refused(server, response, before, 422, code)
    assert "« bulletin-fevrier.pdf »" in response.json()["detail"]


def test_a_factur_x_invoice_with_its_xml_attached_is_accepted_from_the_erp(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    """The ERP is trusted with attachments (Factur-X); a person's Diffusion libre drop refuses them."""
    _employee(server, "TST-0009", email="facturx@example.fr")
    pdf = blank_pdf(tweak=lambda w: w.add_attachment("factur-x.xml", b"<rsm:CrossIndustryInvoice/>"))
    response = _deposit(server, erp, pdf, file_name="bulletin.pdf", matricule="TST-0009", **PAYSLIP)
    assert response.status_code == 201, response.text
    javascript = blank_pdf(tweak=javascript_in_names)
    refused = _deposit(server, erp, javascript, file_name="bulletin-js.pdf", matricule="TST-0009", **PAYSLIP)
    assert refused.status_code == 422 and refused.json()["code"] == "javascript"


@pytest.mark.parametrize(
    "size",
    [MAX_FILE_SIZE + 1, MAX_FILE_SIZE + 2 * 1024 * KB],
    ids=["just_over_5_mb", "announced_length_over_the_limit"],
)
def test_file_over_5_mb_is_refused_with_413(server: ServerHarness, erp: dict[str, str], size: int) -> None:
    _employee(server, "TST-0005")
    before = _snapshot(server)
    data = b"%PDF-1.4\n" + b"0" * (size - 9)
    response = _deposit(server, erp, data, matricule="TST-0005", **PAYSLIP)
    _assert_refused(server, response, before, 413, "too_large")
    assert "5 Mo" in response.json()["detail"]


def test_unknown_matricule_or_agency_or_client_is_refused(server: ServerHarness, erp: dict[str, str]) -> None:
    _employee(server, "TST-0006", agencies=("LYO",))
    before = _snapshot(server)
    cases = [
        ({**PAYSLIP, "matricule": "INCONNU-1"}, "unknown_matricule"),
        ({**PAYSLIP, "agency": "ZZZ", "matricule": "TST-0006"}, "unknown_agency"),
        ({**PAYSLIP, "matricule": "TST-0006"}, "employee_not_in_agency"),  # linked to LYO, not PAR11
        (
            {
                "agency": "PAR11",
                "type": "invoice",
                "client": "INCONNU",
                "document_date": "2026-03-01",
                "invoice_number": "F-1",
            },
            "unknown_client",
        ),
        ({**PAYSLIP, "type": "diffused", "matricule": "TST-0006"}, "validation_error"),
        (
            {**PAYSLIP, "matricule": "TST-0006", "agency": "LYO", "period_end": "pas une date"},
            "validation_error",
        ),
    ]
    for fields, code in cases:
        response = _deposit(server, erp, _pdf(), **fields)
        _assert_refused(server, response, before, 422, code)
        assert response.json()["detail"]


def test_agency_of_another_brand_is_out_of_scope(server: ServerHarness, erp: dict[str, str]) -> None:
    now = server.clock()
    with server.session() as s, s.begin():
        brand = Brand(code="AUTRE", name="Autre Travail Temporaire", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Autre TT SAS", created_at=now)
        s.add(company)
        s.flush()
        s.add(
            Agency(
                company_id=company.id, brand_id=brand.id, code="AUT-LIL", name="Autre Lille", created_at=now
            )
        )
    before = _snapshot(server)
    response = _deposit(server, erp, _pdf(), **{**PAYSLIP, "agency": "AUT-LIL", "matricule": "TST-0007"})
    _assert_refused(server, response, before, 403, "agency_out_of_scope")


def test_nir_in_the_title_or_file_name_is_refused_without_repeating_it(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    _employee(server, "TST-0008")
    before = _snapshot(server)
    in_title = _deposit(server, erp, _pdf(), matricule="TST-0008", title=f"Bulletin {NIR}", **PAYSLIP)
    _assert_refused(server, in_title, before, 422, "nir_in_name")
    in_name = _deposit(server, erp, _pdf(), file_name=f"{NIR}.pdf", matricule="TST-0008", **PAYSLIP)
    _assert_refused(server, in_name, before, 422, "nir_in_name")
    for response in (in_title, in_name):
        assert "006 084" not in response.text and "sécurité sociale" in response.json()["detail"]


def test_deposit_needs_an_integration_key(server: ServerHarness) -> None:
    before = _snapshot(server)
    anonymous = _deposit(server, {}, _pdf(), **PAYSLIP, matricule="TST-0009")
    _assert_refused(server, anonymous, before, 401, "unauthenticated")
    revoked = _deposit(
        server, {"Authorization": "Bearer ck_inconnue"}, _pdf(), **PAYSLIP, matricule="TST-0009"
    )
    _assert_refused(server, revoked, before, 401, "unauthenticated")

    server.make_user("paie@alto.example.fr", {"PAR11": tuple(Right)})
    staff = _deposit(server, server.login("paie@alto.example.fr"), _pdf(), **PAYSLIP, matricule="TST-0009")
    _assert_refused(server, staff, before, 403, "forbidden")


def test_missing_file_is_refused(server: ServerHarness, erp: dict[str, str]) -> None:
    before = _snapshot(server)
    response = server.client.post(
        URL, headers=erp, files={"notes": ("a.txt", b"x")}, data={**PAYSLIP, "matricule": "TST-0010"}
    )
    _assert_refused(server, response, before, 422, "unexpected_file")
    response = server.client.post(URL, headers=erp, data={**PAYSLIP, "matricule": "TST-0010"})
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


# -- the streaming helper itself: the limit holds while reading, before the body has all arrived ------


def _streamed_request(
    body: bytes, chunk: int, headers: list[tuple[bytes, bytes]]
) -> tuple[Request, list[int]]:
    sent: list[int] = []

    async def receive() -> dict[str, Any]:
        start = len(sent) * chunk
        sent.append(start)
        part = body[start : start + chunk]
        return {"type": "http.request", "body": part, "more_body": start + chunk < len(body)}

    scope = {"type": "http", "method": "POST", "path": URL, "query_string": b"", "headers": headers}
    return Request(scope, receive), sent


def _multipart(boundary: bytes, payload: bytes) -> bytes:
    return (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="agency"\r\n\r\nPAR11\r\n'
        + b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="file"; filename="gros.pdf"\r\n'
        + b"Content-Type: application/pdf\r\n\r\n"
        + payload
        + b"\r\n--"
        + boundary
        + b"--\r\n"
    )


def test_upload_stops_reading_as_soon_as_the_file_passes_5_mb(tmp_path: Path) -> None:
    boundary = b"coffreo-test-boundary"
    body = _multipart(boundary, b"%PDF-1.4\n" + b"0" * (20 * MAX_FILE_SIZE))
    chunk = 64 * KB
    request, sent = _streamed_request(
        body, chunk, [(b"content-type", b"multipart/form-data; boundary=" + boundary)]
    )

    async def receive() -> None:
        async with uploads.receive_form(request, tmp_path / "uploads"):
            pass

    with pytest.raises(TooLarge) as refused:
        asyncio.run(receive())
    assert refused.value.code == "too_large" and "« gros.pdf »" in refused.value.detail
    assert len(sent) * chunk <= MAX_FILE_SIZE + 2 * chunk, "reading must stop right after the limit"
    assert not any((tmp_path / "uploads").iterdir())


def test_upload_helper_keeps_fields_and_hashes_the_file(tmp_path: Path) -> None:
    boundary = b"b0undary"
    payload = _pdf()
    request, _ = _streamed_request(
        _multipart(boundary, payload), 1000, [(b"content-type", b"multipart/form-data; boundary=" + boundary)]
    )

    async def receive() -> tuple[dict[str, str], uploads.ReceivedFile, bytes]:
        async with uploads.receive_form(request, tmp_path) as form:
            received = form.file("file")
            return form.fields, received, received.path.read_bytes()

    fields, received, content = asyncio.run(receive())
    assert fields == {"agency": "PAR11"} and content == payload
    assert (received.file_name, received.size) == ("gros.pdf", len(payload))
    assert received.sha256 == hashlib.sha256(payload).hexdigest()
    assert not received.path.exists(), "the temporary file goes with the context"


def test_raw_body_upload_is_cut_at_the_limit_too(tmp_path: Path) -> None:
    chunk = 64 * KB
    request, sent = _streamed_request(b"%PDF-1.4\n" + b"0" * (3 * MAX_FILE_SIZE), chunk, [])

    async def receive() -> None:
        async with uploads.receive_file(request, tmp_path, file_name="C:\\Paie\\mars.pdf"):
            pass

    with pytest.raises(TooLarge) as refused:
        asyncio.run(receive())
    assert "« mars.pdf »" in refused.value.detail
    assert len(sent) * chunk <= MAX_FILE_SIZE + 2 * chunk
    assert not any(tmp_path.iterdir())
