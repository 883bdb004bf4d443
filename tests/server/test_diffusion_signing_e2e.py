"""Diffusion libre end to end (issue 4): a staff user sends a "Document à signer" to a worker, the worker
asks for a code and signs it, the agency sees it signed; the file verifies with Debian's pdfsig."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from coffreo_desktop.server.db.models import Employee, EmployeeAgency
from coffreo_desktop.server.demo.recipients import EMPLOYEE_EMAIL
from tests.server import recipient_helpers as rh
from tests.server.test_recipient_signing import ask_code, mailed_code, sign, staff_headers
from tests.server.test_seal import pdfsig, qpdf_check
from tests.support import ServerHarness


def test_a_diffused_document_to_sign_is_signed_by_its_recipient_and_shows_signed(
    server: ServerHarness, tmp_path: Path
) -> None:
    with server.session() as s:
        employee = s.scalars(
            select(Employee).where(Employee.email == EMPLOYEE_EMAIL).order_by(Employee.id)
        ).first()
        assert employee is not None
        agency_id = s.scalars(
            select(EmployeeAgency.agency_id).where(EmployeeAgency.employee_id == employee.id)
        ).first()
    staff = staff_headers(server)
    sent = server.client.post(
        "/api/v1/diffusion/documents",
        params={"agency_id": agency_id},
        headers={**staff, "Idempotency-Key": uuid.uuid4().hex},
        data={"employee_id": str(employee.id), "protection": "to_sign", "title": "Avenant télétravail"},
        files={"file": ("avenant.pdf", rh.pdf("Avenant télétravail"), "application/pdf")},
    )
    assert sent.status_code == 201, sent.text
    doc_id = sent.json()["document"]["id"]
    assert sent.json()["document"]["signature_state"] == "unsigned"

    worker = rh.demo_login(server, "employee")
    awaiting = server.client.get(f"{rh.RECIPIENT}/signatures", headers=worker).json()["items"]
    assert doc_id in {item["id"] for item in awaiting}
    assert ask_code(server, worker, doc_id).status_code == 201
    signed = sign(server, worker, doc_id, mailed_code(server))
    assert signed.status_code == 200, signed.text

    found = server.client.get(
        "/api/v1/documents", params={"signed": "yes", "agency_id": agency_id, "limit": 500}, headers=staff
    ).json()["items"]
    assert doc_id in {item["id"] for item in found}
    data = server.client.get(f"/api/v1/documents/{doc_id}/file", headers=staff).content
    signatures = pdfsig(data, tmp_path)
    assert len(signatures) == 2  # the agency's certification and the worker's signature
    assert all("Signature is Valid." in str(signature) for signature in signatures), signatures
    qpdf_check(data, tmp_path)
