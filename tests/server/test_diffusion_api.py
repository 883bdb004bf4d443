"""Diffusion libre's server API (PRODUCT.md F3, issue 4 "Server"): recipients' autocomplete and creation,
sending with the right per document type, sealing checked by pdfsig and the desktop's checker,
idempotent replays, refusals that store nothing, and the recipient's mails."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from sqlalchemy import func, select

from coffreo_desktop.client.signatures import CheckState, check_signatures
from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.domain.limits import MAX_FILE_SIZE
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import (
    Agency,
    AuditEvent,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    OutboxMail,
)
from coffreo_desktop.server.pdf import seal
from coffreo_desktop.server.services.diffusion import signer_field
from tests.server.test_seal import pdfsig
from tests.support import ServerHarness

DOCS = "/api/v1/diffusion/documents"
RECIPIENTS = "/api/v1/diffusion/recipients"
NIR = "1 85 05 78 006 084 36"
DL, DLP, DLS = Right.DIFFUSION_LIBRE, Right.DIFFUSION_LIBRE_PROTEGE, Right.DIFFUSION_LIBRE_SIGNE


def _pdf(text: str = "Note d'information — télétravail") -> bytes:
    pdf = FPDF()
    # A fixed date: the same text gives the same bytes, as a replay sends them.
    pdf.set_creation_date(datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.text(20, 30, text)
    return bytes(pdf.output())


def _javascript_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(_pdf()))
    writer.add_open_action(JavaScript("app.alert('Bonjour');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _employee(harness: ServerHarness, matricule: str, *, activated: bool, last: str = "Lefèvre") -> int:
    now = harness.clock()
    par11 = harness.agency_id("PAR11")
    with harness.session() as s, s.begin():
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.id == par11)).one()
        employee = Employee(
            brand_id=brand_id,
            matricule=matricule,
            civility="Mme",
            first_name="Élodie",
            last_name=last,
            email=f"{matricule.lower()}@example.fr",
            created_at=now,
            vault_activated_at=now - timedelta(days=30) if activated else None,
        )
        s.add(employee)
        s.flush()
        s.add(EmployeeAgency(employee_id=employee.id, agency_id=par11, since=now))
        return employee.id


def _staff(harness: ServerHarness, *rights: Right, agency: str = "PAR11") -> dict[str, str]:
    email = f"dl-{uuid.uuid4().hex[:10]}@exemple.fr"
    harness.make_user(email, {agency: rights})
    return harness.login(email)


def _send(
    harness: ServerHarness,
    headers: dict[str, str],
    employee_id: int,
    protection: str = "simple",
    *,
    data: bytes | None = None,
    title: str = "Note télétravail",
    key: str | None = None,
    file_name: str = "note.pdf",
) -> Any:
    return harness.client.post(
        DOCS,
        params={"agency_id": harness.agency_id("PAR11")},
        headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex},
        data={"employee_id": str(employee_id), "protection": protection, "title": title},
        files={"file": (file_name, _pdf() if data is None else data, "application/pdf")},
    )


@dataclass(frozen=True)
class Snapshot:
    documents: int
    deliveries: int
    mails: int
    events: int
    blobs: frozenset[Path]


def _snapshot(harness: ServerHarness) -> Snapshot:
    with harness.session() as s:

        def count(model: Any) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0

        events = s.scalar(select(func.count()).where(AuditEvent.action == "document.diffused")) or 0
        blobs = frozenset(p for p in harness.settings.blob_dir.rglob("*") if p.is_file())
        return Snapshot(count(Document), count(Delivery), count(OutboxMail), events, blobs)


def _mails_to(harness: ServerHarness, address: str) -> list[str]:
    with harness.session() as s:
        query = select(OutboxMail.kind).where(OutboxMail.to_addr == address).order_by(OutboxMail.id)
        return list(s.scalars(query))


def _document(harness: ServerHarness, document_id: int) -> Document:
    with harness.session() as s:
        document = s.get(Document, document_id)
        assert document is not None
        return document


# -- recipients ---------------------------------------------------------------------------------------


def test_autocomplete_finds_by_name_first_name_or_matricule_ignoring_case_and_accents(
    server: ServerHarness,
) -> None:
    _employee(server, "ZQ900", activated=True, last="Écuyer")
    _employee(server, "ZQ901", activated=True, last="Dupécuyer")
    headers = _staff(server, DL)
    par11 = server.agency_id("PAR11")

    def names(q: str) -> list[str]:
        response = server.client.get(RECIPIENTS, params={"agency_id": par11, "q": q}, headers=headers)
        assert response.status_code == 200, response.text
        return [r["matricule"] for r in response.json()]

    # Starting with the text comes before merely containing it.
    assert names("ecuy") == ["ZQ900", "ZQ901"]
    # Both start with it: French alphabetical order, "Dupécuyer" before "Écuyer".
    assert names("zq90") == ["ZQ901", "ZQ900"]
    assert names("ÉCUYER") == ["ZQ900", "ZQ901"]
    assert names("nobody-by-that-name") == []
    assert len(names("")) <= 20


def test_autocomplete_needs_a_diffusion_right_on_the_agency(server: ServerHarness) -> None:
    headers = _staff(server, Right.ADMIN)
    response = server.client.get(RECIPIENTS, params={"agency_id": server.agency_id("PAR11")}, headers=headers)
    assert response.status_code == 403


def test_lookup_by_matricules_answers_exact_matches_of_the_agency_in_one_request(
    server: ServerHarness,
) -> None:
    _employee(server, "ZQ910", activated=True)
    _employee(server, "ZQ9100", activated=False)
    par11 = server.agency_id("PAR11")
    wanted = ["ZQ910", "ZQ91", "inconnu", "ZQ910"] + [f"X{n}" for n in range(2000)]
    response = server.client.post(
        f"{RECIPIENTS}/lookup",
        params={"agency_id": par11},
        json={"matricules": wanted},
        headers=_staff(server, DLS),
    )
    assert response.status_code == 200, response.text
    assert [r["matricule"] for r in response.json()] == ["ZQ910"]  # exact, not "contains"
    # Another agency's issuer sees nothing of PAR11's people; no diffusion right, no answer.
    other = server.client.post(
        f"{RECIPIENTS}/lookup",
        params={"agency_id": server.agency_id("LYO")},
        json={"matricules": ["ZQ910"]},
        headers=_staff(server, DL, agency="LYO"),
    )
    assert other.status_code == 200 and other.json() == []
    refused = server.client.post(
        f"{RECIPIENTS}/lookup",
        params={"agency_id": par11},
        json={"matricules": ["ZQ910"]},
        headers=_staff(server, Right.ADMIN),
    )
    assert refused.status_code == 403
    too_many = server.client.post(
        f"{RECIPIENTS}/lookup",
        params={"agency_id": par11},
        json={"matricules": ["1"] * 5001},
        headers=_staff(server, DL),
    )
    assert too_many.status_code == 422


def _new_recipient(**changes: str) -> dict[str, str]:
    return {
        "civility": "Mme",
        "first_name": "Inès",
        "last_name": "Moreau",
        "matricule": "NEW-77",
        "email": "ines.moreau@example.fr",
        "phone": "06 12 34 56 78",
        "birth_date": "1990-04-12",
        "address": "12 rue des Lilas, 75011 Paris",
        **changes,
    }


def test_create_recipient_links_the_employee_to_the_agency_and_audits(server: ServerHarness) -> None:
    par11 = server.agency_id("PAR11")
    response = server.client.post(
        RECIPIENTS, params={"agency_id": par11}, json=_new_recipient(), headers=_staff(server, DLS)
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["matricule"], created["last_name"]) == ("NEW-77", "Moreau")
    with server.session() as s:
        link = s.scalar(select(EmployeeAgency.agency_id).where(EmployeeAgency.employee_id == created["id"]))
        assert link == par11
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "employee.created")).one()
        assert event.target_id == str(created["id"])


def test_create_recipient_refuses_each_missing_field_in_french(server: ServerHarness) -> None:
    response = server.client.post(
        RECIPIENTS,
        params={"agency_id": server.agency_id("PAR11")},
        json={"civility": "Mme", "email": "pas-une-adresse"},
        headers=_staff(server, DL),
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"first_name", "last_name", "matricule", "email", "phone", "birth_date", "address"}
    assert errors["first_name"] == "Le prénom est obligatoire."
    assert "n'est pas valide" in errors["email"]


def test_create_recipient_refuses_a_body_naming_another_agency(server: ServerHarness) -> None:
    response = server.client.post(
        RECIPIENTS,
        params={"agency_id": server.agency_id("PAR11")},
        json=_new_recipient(agency_id=str(server.agency_id("LYO"))),
        headers=_staff(server, DL),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["agency_id"]


def test_create_recipient_with_a_taken_matricule_is_a_409(server: ServerHarness) -> None:
    _employee(server, "TAKEN-1", activated=False)
    response = server.client.post(
        RECIPIENTS,
        params={"agency_id": server.agency_id("PAR11")},
        json=_new_recipient(matricule="TAKEN-1"),
        headers=_staff(server, DL),
    )
    assert response.status_code == 409
    assert "déjà" in response.json()["detail"]


# -- sending ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protection", "right", "others"),
    [("simple", DL, (DLP, DLS)), ("protected", DLP, (DL, DLS)), ("to_sign", DLS, (DL, DLP))],
)
def test_each_document_type_needs_its_own_right(
    server: ServerHarness, protection: str, right: Right, others: tuple[Right, ...]
) -> None:
    employee = _employee(server, f"R-{protection}", activated=True)
    before = _snapshot(server)
    refused = _send(server, _staff(server, *others), employee, protection)
    assert refused.status_code == 403, refused.text
    assert f"« {right.value} »" in refused.json()["detail"]
    assert _snapshot(server) == before

    accepted = _send(server, _staff(server, right), employee, protection)
    assert accepted.status_code == 201, accepted.text
    document = _document(server, accepted.json()["document"]["id"])
    assert (document.doc_type, document.origin, document.protection.value) == (
        DocumentType.DIFFUSED,
        "diffusion",
        protection,
    )
    assert document.created_by is not None


def test_simple_document_is_stored_as_sent_and_the_activated_recipient_gets_the_new_document_mail(
    server: ServerHarness,
) -> None:
    employee = _employee(server, "SIMPLE-1", activated=True)
    pdf = _pdf()
    response = _send(server, _staff(server, DL), employee, data=pdf)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["document"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert body["document"]["matricule"] == "SIMPLE-1"
    assert server.ctx.blobs.read_verified(body["document"]["sha256"]) == pdf
    assert _mails_to(server, "simple-1@example.fr") == ["document_new"]


def test_protected_document_is_sealed_valid_for_pdfsig_and_the_desktop(
    server: ServerHarness, tmp_path: Path
) -> None:
    employee = _employee(server, "SEAL-1", activated=True)
    response = _send(server, _staff(server, DLP), employee, "protected")
    assert response.status_code == 201, response.text
    sealed = server.ctx.blobs.read_verified(response.json()["document"]["sha256"])
    (signature,) = pdfsig(sealed, tmp_path)
    assert signature["validation"] == "Signature is Valid."
    assert signature["coverage"] == "Total document signed"
    report = check_signatures(sealed, seal.trust_roots(server.ctx))
    assert report.state is CheckState.VALID, report.details


def test_document_to_sign_has_the_recipients_empty_field_and_the_to_sign_mail(server: ServerHarness) -> None:
    employee = _employee(server, "SIGN-1", activated=True)
    response = _send(server, _staff(server, DLS), employee, "to_sign")
    assert response.status_code == 201, response.text
    assert response.json()["document"]["signature_state"] == SignatureState.UNSIGNED.value
    certified = server.ctx.blobs.read_verified(response.json()["document"]["sha256"])
    assert seal.unsigned_fields(certified) == [signer_field(employee)]
    assert _mails_to(server, "sign-1@example.fr") == ["document_to_sign"]


def test_a_new_recipient_receives_the_vault_invitation(server: ServerHarness) -> None:
    headers = _staff(server, DL)
    created = server.client.post(
        RECIPIENTS,
        params={"agency_id": server.agency_id("PAR11")},
        json=_new_recipient(matricule="FRESH-1", email="fresh@example.fr"),
        headers=headers,
    ).json()
    response = _send(server, headers, created["id"])
    assert response.status_code == 201, response.text
    assert _mails_to(server, "fresh@example.fr") == ["vault_invitation"]


def test_replay_with_the_same_key_returns_the_first_document_and_sends_no_second_mail(
    server: ServerHarness,
) -> None:
    employee = _employee(server, "REPLAY-1", activated=True)
    headers = _staff(server, DLP)
    first = _send(server, headers, employee, "protected", key="fichier-1")
    assert first.status_code == 201, first.text
    after_first = _snapshot(server)
    again = _send(server, headers, employee, "protected", key="fichier-1")
    assert again.status_code == 200, again.text
    assert again.json()["document"]["id"] == first.json()["document"]["id"]
    assert _snapshot(server) == after_first
    assert _mails_to(server, "replay-1@example.fr") == ["document_new"]

    other = _send(server, headers, employee, "protected", key="fichier-1", data=_pdf("Autre note"))
    assert other.status_code == 409
    assert _snapshot(server) == after_first


def test_sending_without_an_idempotency_key_is_refused(server: ServerHarness) -> None:
    employee = _employee(server, "NOKEY-1", activated=True)
    response = server.client.post(
        DOCS,
        params={"agency_id": server.agency_id("PAR11")},
        headers=_staff(server, DL),
        data={"employee_id": str(employee), "protection": "simple", "title": "Note"},
        files={"file": ("note.pdf", _pdf(), "application/pdf")},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "missing_idempotency_key"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"data": b"x" * (MAX_FILE_SIZE + 1)}, 413, "too_large"),
        ({"data": b"Bonjour, ceci n'est pas un PDF.\n" * 40}, 422, "not_pdf"),
        ({"data": _javascript_pdf()}, 422, "javascript"),
        ({"title": f"Attestation {NIR}"}, 422, "nir_in_name"),
        ({"title": "   "}, 422, "missing_field"),
    ],
    ids=["oversize", "not-a-pdf", "javascript", "nir-in-title", "empty-title"],
)
def test_refused_files_store_nothing(
    server: ServerHarness, changes: dict[str, Any], status: int, code: str
) -> None:
    employee = _employee(server, "BAD-1", activated=True)
    headers = _staff(server, DL, DLP, DLS)
    before = _snapshot(server)
    response = _send(server, headers, employee, "protected", **changes)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert _snapshot(server) == before
    assert not list((server.settings.data_dir / "uploads").glob("*"))


def test_a_recipient_of_another_agency_is_a_404(server: ServerHarness) -> None:
    stranger = _employee(server, "OTHER-1", activated=True)
    with server.session() as s, s.begin():
        link = s.scalars(select(EmployeeAgency).where(EmployeeAgency.employee_id == stranger)).one()
        link.agency_id = server.agency_id("LYO")
    before = _snapshot(server)
    response = _send(server, _staff(server, DL), stranger)
    assert response.status_code == 404
    assert _snapshot(server) == before


def test_a_large_file_is_sent_with_a_warning(server: ServerHarness) -> None:
    employee = _employee(server, "BIG-1", activated=True)
    padded = _pdf() + b"%" + os.urandom(600 * 1024).hex().encode()[: 600 * 1024] + b"\n"
    response = _send(server, _staff(server, DL), employee, data=padded)
    assert response.status_code == 201, response.text
    assert any("conseillés" in w for w in response.json()["warnings"])
