"""Helpers of the recipient-side tests: people and documents deposited through the real ERP endpoint, the
activation link read from the real delivery mail, recipient logins."""

from __future__ import annotations

import re
from typing import Any

from fpdf import FPDF
from sqlalchemy import select

from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    ClientAgency,
    ClientCompany,
    ClientUser,
    Company,
    Employee,
    EmployeeAgency,
    OutboxMail,
)
from coffreo_desktop.server.demo import demo_recipient_accounts
from tests.support import PASSWORD, ServerHarness

RECIPIENT = "/api/v1/recipient"
_LINK = re.compile(r"/activation/(act_[A-Za-z0-9_-]+)")


def pdf(text: str) -> bytes:
    document = FPDF()
    document.set_font("Helvetica", size=11)
    document.add_page()
    document.text(20, 30, text)
    return bytes(document.output())


def brand_id(server: ServerHarness, agency_code: str = "PAR11") -> int:
    with server.session() as s:
        found: int = s.scalars(select(Agency.brand_id).where(Agency.code == agency_code)).one()
        return found


def other_brand(server: ServerHarness, agency_code: str = "BRV") -> int:
    """A second brand (another employer of the group) with one agency; returns the brand id."""
    now = server.clock()
    with server.session() as s, s.begin():
        brand = Brand(code="BREVO", name="Brevo Travail Temporaire", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Brevo SAS", created_at=now)
        s.add(company)
        s.flush()
        s.add(
            Agency(
                company_id=company.id,
                brand_id=brand.id,
                code=agency_code,
                name="Brevo Rennes",
                created_at=now,
            )
        )
        return brand.id


def add_employee(
    server: ServerHarness, matricule: str, email: str, *, agency_code: str = "PAR11", activated: bool = False
) -> int:
    now = server.clock()
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency).where(Agency.code == agency_code)).one()
        employee = Employee(
            brand_id=agency.brand_id,
            matricule=matricule,
            first_name="Élodie",
            last_name="Lefèvre",
            email=email,
            created_at=now,
            vault_activated_at=now if activated else None,
        )
        s.add(employee)
        s.flush()
        s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency.id, since=now))
        return employee.id


def add_client(
    server: ServerHarness, code: str, users: list[dict[str, Any]], agency_code: str = "PAR11"
) -> int:
    """A client company served by the agency, with users (email and rights given by ``users``)."""
    now = server.clock()
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency).where(Agency.code == agency_code)).one()
        client = ClientCompany(brand_id=agency.brand_id, code=code, name=f"Client {code} SAS", created_at=now)
        s.add(client)
        s.flush()
        s.add(ClientAgency(client_id=client.id, agency_id=agency.id))
        for user in users:
            s.add(
                ClientUser(client_id=client.id, first_name="Paul", last_name="Martin", created_at=now, **user)
            )
        return client.id


def deposit(server: ServerHarness, erp: dict[str, str], **fields: str) -> int:
    """A document deposited by the ERP (F7.3) and delivered by the real delivery code; returns its id."""
    response = server.client.post(
        "/api/v1/ingest/documents",
        headers=erp,
        files={"file": ("document.pdf", pdf(f"{fields.get('type')} {fields}"), "application/pdf")},
        data=fields,
    )
    assert response.status_code == 201, response.text
    document_id: int = response.json()["id"]
    return document_id


def payslip(server: ServerHarness, erp: dict[str, str], matricule: str, agency: str = "PAR11") -> int:
    return deposit(
        server,
        erp,
        agency=agency,
        type="payslip",
        matricule=matricule,
        period_start="2026-02-01",
        period_end="2026-02-28",
    )


def invoice(server: ServerHarness, erp: dict[str, str], client: str, number: str) -> int:
    return deposit(
        server,
        erp,
        agency="PAR11",
        type="invoice",
        client=client,
        invoice_number=number,
        document_date="2026-03-13",
    )


def activation_token(server: ServerHarness, email: str) -> str:
    """The token of the last activation link mailed to ``email``."""
    with server.session() as s:
        bodies = s.scalars(
            select(OutboxMail.body_text).where(OutboxMail.to_addr == email).order_by(OutboxMail.id.desc())
        ).all()
    for body in bodies:
        found = _LINK.search(body)
        if found:
            return found.group(1)
    raise AssertionError(f"aucun lien d'activation envoyé à {email}")


def activate(server: ServerHarness, token: str, password: str = PASSWORD) -> Any:
    return server.client.post(f"{RECIPIENT}/activation/{token}", json={"password": password})


def tokens(server: ServerHarness, email: str, kind: str, password: str = PASSWORD) -> dict[str, Any]:
    response = server.client.post(
        f"{RECIPIENT}/token", json={"email": email, "password": password, "kind": kind}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(body: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {body['access_token']}"}


def login(server: ServerHarness, email: str, kind: str, password: str = PASSWORD) -> dict[str, str]:
    return bearer(tokens(server, email, kind, password))


def demo_login(server: ServerHarness, kind: str) -> dict[str, str]:
    """Headers of the demo recipient of ``kind`` (its password is the one the demo lists)."""
    (account,) = [a for a in demo_recipient_accounts() if a.kind == kind]
    return login(server, account.email, kind, account.password)


def documents(server: ServerHarness, headers: dict[str, str], **params: Any) -> Any:
    return server.client.get(f"{RECIPIENT}/documents", headers=headers, params=params)


def all_documents(server: ServerHarness, headers: dict[str, str], limit: int = 50) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = documents(server, headers, **params)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
