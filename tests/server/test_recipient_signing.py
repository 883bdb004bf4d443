"""The recipient's signature through the recipient API (issue 4, F7.1): a document certified for signing is
listed, a one-time code is mailed (read here from the outbox), wrong, expired, dead and throttled codes are
refused in French, and the right code signs: pdfsig and qpdf accept the file, the staff search and the
change feed see it signed, the evidence row is complete; of two signatures at once, one wins."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.server.db.models import (
    AuditEvent,
    ClientUser,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    OutboxMail,
    SignatureEvidence,
    SigningCode,
)
from coffreo_desktop.server.demo import demo_accounts
from coffreo_desktop.server.demo.recipients import CLIENT_EMAIL, EMPLOYEE_EMAIL
from coffreo_desktop.server.mail import outbox
from coffreo_desktop.server.pdf.certificates import entity_of
from coffreo_desktop.server.pdf.entity_keys import seal_keys
from coffreo_desktop.server.pdf.seal import SignerSlot, certify_for_signing, unsigned_fields
from coffreo_desktop.server.services.recipient_signing import CLIENT_FIELD, EMPLOYEE_FIELD, MAIL_KIND
from tests.server import recipient_helpers as rh
from tests.server.recipient_helpers import RECIPIENT
from tests.server.test_seal import pdfsig, qpdf_check
from tests.support import ServerHarness

_CODE = re.compile(r"code de signature : (\d{6})")


def document_to_sign(server: ServerHarness, *, client_user: bool = False) -> int:
    """A PDF certified for signing by the agency, with the demo employee's field (or the demo client's, as
    a provision contract), stored and delivered as the diffusion would; returns its id."""
    now = server.clock()
    with server.session() as s, s.begin():
        if client_user:
            user = s.scalars(select(ClientUser).where(ClientUser.email == CLIENT_EMAIL)).first()
            assert user is not None
            user.can_sign_contracts = True
            agency_id = server.agency_id("PAR11")
            slot = SignerSlot(CLIENT_FIELD, f"{user.first_name} {user.last_name}")
        else:
            employee = s.scalars(
                select(Employee).where(Employee.email == EMPLOYEE_EMAIL).order_by(Employee.id)
            ).first()
            assert employee is not None
            agency_id = s.scalars(
                select(EmployeeAgency.agency_id).where(EmployeeAgency.employee_id == employee.id)
            ).first()
            slot = SignerSlot(EMPLOYEE_FIELD, f"{employee.first_name} {employee.last_name}")
        assert agency_id is not None
        data = certify_for_signing(
            rh.pdf("Avenant au contrat"), entity_of(s, agency_id), [slot], seal_keys(server.settings)
        )
        doc = Document(
            agency_id=agency_id,
            doc_type=DocumentType.PROVISION_CONTRACT if client_user else DocumentType.DIFFUSED,
            title="Avenant à signer",
            file_name="avenant.pdf",
            blob_sha256=server.ctx.blobs.put_bytes(data),
            size=len(data),
            pages=1,
            document_date=now.date(),
            employee_id=None if client_user else employee.id,
            client_id=user.client_id if client_user else None,
            protection=Protection.TO_SIGN,
            signature_state=SignatureState.UNSIGNED,
            origin="diffusion",
            created_at=now,
            changed_at=now,
        )
        s.add(doc)
        s.flush()
        if client_user:
            s.add(Delivery(document_id=doc.id, client_id=user.client_id, delivered_at=now))
        else:
            s.add(Delivery(document_id=doc.id, employee_id=employee.id, delivered_at=now))
        return doc.id


def ask_code(server: ServerHarness, headers: dict[str, str], doc_id: int) -> Any:
    return server.client.post(f"{RECIPIENT}/documents/{doc_id}/signing-code", headers=headers)


def sign(server: ServerHarness, headers: dict[str, str], doc_id: int, code: str) -> Any:
    return server.client.post(
        f"{RECIPIENT}/documents/{doc_id}/signature", headers=headers, json={"code": code}
    )


def mailed_code(server: ServerHarness, email: str = EMPLOYEE_EMAIL) -> str:
    """The code of the last signing-code mail to ``email``, read from the outbox before it is sent."""
    with server.session() as s:
        body = s.scalars(
            select(OutboxMail.body_text)
            .where(OutboxMail.kind == MAIL_KIND, OutboxMail.to_addr == email, OutboxMail.sent_at.is_(None))
            .order_by(OutboxMail.id.desc())
        ).first()
    assert body is not None, "aucun code de signature envoyé"
    found = _CODE.search(body)
    assert found is not None, body
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def staff_headers(server: ServerHarness) -> dict[str, str]:
    admin = demo_accounts()[0]
    return server.login(admin.email, admin.password)


def test_right_code_signs_the_document_verifiably_with_complete_evidence(
    server: ServerHarness, tmp_path: Path
) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    listed = server.client.get(f"{RECIPIENT}/signatures", headers=worker)
    assert listed.status_code == 200, listed.text
    # Demo contracts are "non signés" but carry no signature field: only the certified document is awaited.
    assert [d["id"] for d in listed.json()["items"]] == [doc_id]
    staff = staff_headers(server)
    feed = server.client.get("/api/v1/documents/changes", headers=staff).json()["next"]

    sent = ask_code(server, worker, doc_id)
    assert sent.status_code == 201, sent.text
    assert sent.json()["email"] == EMPLOYEE_EMAIL
    code = mailed_code(server)
    server.clock.advance(minutes=2)
    with server.session() as s:
        before = s.get(Document, doc_id)
        assert before is not None
        sha_before = before.blob_sha256
    signed = sign(server, worker, doc_id, code)

    assert signed.status_code == 200, signed.text
    assert signed.json()["signature_state"] == "signed"
    with server.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert doc.signature_state is SignatureState.SIGNED and doc.signed_at == server.clock()
        data = server.ctx.blobs.read_verified(doc.blob_sha256)
        assert doc.size == len(data) and doc.blob_sha256 != sha_before
        (evidence,) = s.scalars(select(SignatureEvidence).where(SignatureEvidence.document_id == doc_id))
        employee = s.get(Employee, evidence.signer_id)
        assert employee is not None and employee.email == EMPLOYEE_EMAIL
        assert evidence.signer_kind == "employee"
        assert evidence.signer_name == f"{employee.first_name} {employee.last_name}"
        assert evidence.signer_email == EMPLOYEE_EMAIL
        assert (evidence.sha256_before, evidence.sha256_after) == (sha_before, doc.blob_sha256)
        assert evidence.code_sent_at == server.clock() - timedelta(minutes=2)
        assert evidence.code_verified_at == evidence.signed_at == server.clock()
        assert evidence.client_address == "testclient"
        actions = set(s.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(doc_id))))
        assert {"signature.code_sent", "document.signed"} <= actions
    assert unsigned_fields(data) == []
    checked = pdfsig(data, tmp_path)
    assert {c["field"] for c in checked} == {"Cachet", EMPLOYEE_FIELD}
    assert all(c["validation"] == "Signature is Valid." for c in checked)
    assert [c["coverage"] for c in checked if c["field"] == EMPLOYEE_FIELD] == ["Total document signed"]
    qpdf_check(data, tmp_path)

    search = server.client.get(
        "/api/v1/documents", headers=staff, params={"signed": "yes", "sort": "created_at", "order": "desc"}
    )
    assert search.status_code == 200, search.text
    assert doc_id in {d["id"] for d in search.json()["items"]}
    changes = server.client.get("/api/v1/documents/changes", headers=staff, params={"since": feed}).json()
    assert [(c["id"], c["document"]["signature_state"]) for c in changes["items"]] == [(doc_id, "signed")]
    # Signed: no longer listed, and the code cannot sign again.
    assert server.client.get(f"{RECIPIENT}/signatures", headers=worker).json()["items"] == []
    assert sign(server, worker, doc_id, code).status_code == 409


def test_code_mail_is_french_and_loses_the_code_once_sent(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    assert ask_code(server, worker, doc_id).status_code == 201
    code = mailed_code(server)
    with server.session() as s, s.begin():
        mail = s.scalars(select(OutboxMail).where(OutboxMail.kind == MAIL_KIND)).one()
        assert mail.subject == "Votre code de signature"
        assert "Avenant à signer" in mail.body_text and "10 minutes" in mail.body_text
        assert code in mail.body_html
        stored = s.scalars(select(SigningCode.code_hash).where(SigningCode.document_id == doc_id)).one()
        assert code not in stored
        outbox.mark_sent(s, mail.id, now=server.clock())
    with server.session() as s:
        kept = s.get(OutboxMail, mail.id)
        assert kept is not None
        assert code not in kept.body_text and code not in kept.body_html
        assert outbox.CODE_REMOVED in kept.body_text


def test_wrong_codes_are_counted_then_the_code_is_dead(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    ask_code(server, worker, doc_id)
    code = mailed_code(server)
    for left in (4, 3, 2, 1):
        refused = sign(server, worker, doc_id, wrong(code))
        assert refused.status_code == 422, refused.text
        assert refused.json()["attempts_left"] == left
        assert f"Il vous reste {left} essai" in refused.json()["detail"]
    fifth = sign(server, worker, doc_id, wrong(code))
    assert fifth.status_code == 410 and fifth.json()["code"] == "signing_code_dead"
    # Even the right code is refused now; a new code works.
    assert sign(server, worker, doc_id, code).status_code == 410
    assert ask_code(server, worker, doc_id).status_code == 201
    assert sign(server, worker, doc_id, mailed_code(server)).status_code == 200


def test_expired_and_replaced_codes_are_refused(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    ask_code(server, worker, doc_id)
    first = mailed_code(server)
    server.clock.advance(minutes=10, seconds=1)
    expired = sign(server, worker, doc_id, first)
    assert expired.status_code == 410 and expired.json()["code"] == "signing_code_expired"
    assert "expiré" in expired.json()["detail"]
    ask_code(server, worker, doc_id)
    second = mailed_code(server)
    ask_code(server, worker, doc_id)
    third = mailed_code(server)
    if second != third:  # the newer code replaced the former one
        assert sign(server, worker, doc_id, second).status_code == 422
    assert sign(server, worker, doc_id, third).status_code == 200


def test_code_requests_are_limited_per_hour(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    for _ in range(5):
        assert ask_code(server, worker, doc_id).status_code == 201
        server.clock.advance(minutes=1)
    refused = ask_code(server, worker, doc_id)
    assert refused.status_code == 429, refused.text
    assert "trop de codes" in refused.json()["detail"]
    assert 0 < int(refused.headers["Retry-After"]) <= 3600 - 5 * 60 + 1
    server.clock.advance(minutes=56)
    worker = rh.demo_login(server, "employee")  # the access token did not outlive the hour
    assert ask_code(server, worker, doc_id).status_code == 201


def test_another_recipient_can_neither_see_nor_sign_the_document(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    client = rh.demo_login(server, "client_user")
    assert doc_id not in {
        d["id"] for d in server.client.get(f"{RECIPIENT}/signatures", headers=client).json()["items"]
    }
    assert ask_code(server, client, doc_id).status_code == 404
    assert sign(server, client, doc_id, "123456").status_code == 404
    staff = staff_headers(server)
    assert (
        server.client.post(f"{RECIPIENT}/documents/{doc_id}/signing-code", headers=staff).status_code == 403
    )


def test_client_user_signs_their_companys_provision_contract(server: ServerHarness, tmp_path: Path) -> None:
    doc_id = document_to_sign(server, client_user=True)
    client = rh.demo_login(server, "client_user")
    listed = server.client.get(f"{RECIPIENT}/signatures", headers=client).json()["items"]
    assert [d["id"] for d in listed] == [doc_id]
    assert ask_code(server, client, doc_id).status_code == 201
    signed = sign(server, client, doc_id, mailed_code(server, CLIENT_EMAIL))
    assert signed.status_code == 200, signed.text
    assert signed.json()["signature_state"] == "signed"
    with server.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        (evidence,) = s.scalars(select(SignatureEvidence).where(SignatureEvidence.document_id == doc_id))
        assert (evidence.signer_email, evidence.sha256_after) == (CLIENT_EMAIL, doc.blob_sha256)
        checked = pdfsig(server.ctx.blobs.read_verified(doc.blob_sha256), tmp_path)
    assert {c["field"] for c in checked} == {"Cachet", CLIENT_FIELD}
    assert all(c["validation"] == "Signature is Valid." for c in checked)


def test_two_signatures_at_once_one_wins_the_other_gets_409(server: ServerHarness) -> None:
    doc_id = document_to_sign(server)
    worker = rh.demo_login(server, "employee")
    ask_code(server, worker, doc_id)
    code = mailed_code(server)
    statuses: list[int] = []
    start = threading.Barrier(2)

    def attempt() -> None:
        start.wait()
        statuses.append(sign(server, worker, doc_id, code).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 409]
    with server.session() as s:
        assert (
            len(s.scalars(select(SignatureEvidence).where(SignatureEvidence.document_id == doc_id)).all())
            == 1
        )


@pytest.mark.parametrize("path", ["signing-code", "signature"])
def test_recipient_routes_need_a_recipient_token(server: ServerHarness, path: str) -> None:
    response = server.client.post(f"{RECIPIENT}/documents/1/{path}", json={"code": "123456"})
    assert response.status_code == 401
