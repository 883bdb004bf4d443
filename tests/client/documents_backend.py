"""Helpers of the documents client tests: the `server` fixture's backend served over real HTTP on loopback,
logged-in API clients for the demo accounts, and server-side changes (deposit, edit, new content)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import uvicorn
from fpdf import FPDF
from sqlalchemy import select

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import DocumentsApi
from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.server.db.models import Agency, Brand, Company, Document, Employee, EmployeeAgency
from coffreo_desktop.server.demo import demo_accounts
from tests.support import ServerHarness

ADMIN = "admin@demo.coffreo.fr"
PASSWORDS = {account.email: account.password for account in demo_accounts()}


@contextmanager
def served(server: ServerHarness) -> Iterator[str]:
    """The harness's app (the real backend) behind uvicorn on a free loopback port; yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # No lifespan: the scheduled jobs would write to the database behind the tests' back.
    config = uvicorn.Config(server.app, lifespan="off", log_level="warning", access_log=False)
    http = uvicorn.Server(config)
    thread = threading.Thread(target=http.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not http.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("le serveur de test n'a pas démarré")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        http.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def logged_in(base_url: str, email: str = ADMIN) -> DocumentsApi:
    api = ApiClient(base_url)
    await api.login(email, PASSWORDS[email])
    return DocumentsApi(api)


def agencies_by_brand(server: ServerHarness, moved: str = "LYO") -> dict[int, frozenset[int]]:
    """Each entity's agencies, after moving agency ``moved`` to a new entity of its own (with its company):
    the demo has one entity, a search scoped to it would be the search of everything."""
    with server.session() as s, s.begin():
        brand = Brand(code="AUTRE", name="Autre marque", created_at=server.clock())
        s.add(brand)
        s.flush()
        company = Company(
            brand_id=brand.id, name="Autre société", siren="999888777", created_at=server.clock()
        )
        s.add(company)
        s.flush()
        agency = s.get(Agency, server.agency_id(moved))
        assert agency is not None
        agency.brand_id, agency.company_id = brand.id, company.id
        rows = s.execute(select(Agency.brand_id, Agency.id)).all()
    found: dict[int, set[int]] = {}
    for brand_id, agency_id in rows:
        found.setdefault(brand_id, set()).add(agency_id)
    return {brand_id: frozenset(ids) for brand_id, ids in found.items()}


def today(server: ServerHarness) -> date:
    """The server's day as users count it (Paris)."""
    return server.clock().astimezone(ZoneInfo("Europe/Paris")).date()


def first_document(server: ServerHarness, **where: Any) -> Document:
    """The lowest-id live document with the given column values (a set means "one of")."""
    with server.ctx.db.reader() as s:
        query = select(Document).where(Document.deleted_at.is_(None))
        for name, value in where.items():
            column = getattr(Document, name)
            query = query.where(column.in_(value) if isinstance(value, set) else column == value)
        found = s.scalars(query.order_by(Document.id)).first()
        assert found is not None, where
        return found


CONTRACTS = {DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT}


def unsigned_contract(server: ServerHarness, agency: str = "PAR11") -> Document:
    return first_document(
        server,
        agency_id=server.agency_id(agency),
        doc_type=CONTRACTS,
        signature_state=SignatureState.UNSIGNED,
    )


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.text(20, 30, text)
    return bytes(pdf.output())


def deposit_payslip(
    server: ServerHarness, agency: str, *, matricule: str = "SYN-0001", last_name: str = "Synchro"
) -> int:
    """A payslip deposited through the ERP route (integration key), for a new employee; its id."""
    now = server.clock()
    agency_id = server.agency_id(agency)
    with server.session() as s, s.begin():
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.id == agency_id)).one()
        employee = Employee(
            brand_id=brand_id,
            matricule=matricule,
            civility="Mme",
            first_name="Inès",
            last_name=last_name,
            email="",
            created_at=now,
        )
        s.add(employee)
        s.flush()
        s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency_id, since=now))
    period_end = today(server).replace(day=1)
    response = server.client.post(
        "/api/v1/ingest/documents",
        headers=server.integration_key(brand_id),
        files={"file": (f"paie-{matricule}.pdf", pdf_bytes(f"Bulletin {matricule}"), "application/pdf")},
        data={
            "agency": agency,
            "type": "payslip",
            "matricule": matricule,
            "period_start": period_end.replace(day=1).isoformat(),
            "period_end": period_end.isoformat(),
        },
    )
    assert response.status_code == 201, response.text
    document_id: int = response.json()["id"]
    return document_id


def edit_document(server: ServerHarness, document_id: int, **values: Any) -> None:
    """Change columns of a document as a server service would (the feed stamps it at commit)."""
    server.clock.advance(minutes=1)
    with server.session() as s, s.begin():
        doc = s.get(Document, document_id)
        assert doc is not None
        for name, value in values.items():
            setattr(doc, name, value)
        doc.changed_at = server.clock()


def replace_content(server: ServerHarness, document_id: int, data: bytes) -> str:
    """Give a document new PDF bytes (a signature added, say); returns their SHA-256."""
    sha = server.ctx.blobs.put_bytes(data)
    edit_document(server, document_id, blob_sha256=sha, size=len(data))
    return sha


def signed_now(server: ServerHarness) -> dict[str, Any]:
    return {"signature_state": SignatureState.SIGNED, "signed_at": server.clock()}
