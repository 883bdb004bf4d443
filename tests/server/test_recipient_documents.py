"""The recipient's documents (F7.1, F2.7): a vault or company space lists only its own documents, newest
first over keyset pages; the first download is recorded once; a client's download and validation show in
the agency's invoice control (the staff search), audited; the rights and the 404/403/409 answers."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.server.db.models import (
    Agency,
    AuditEvent,
    ClientUser,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
)
from coffreo_desktop.server.demo import demo_accounts
from coffreo_desktop.server.demo.recipients import CLIENT_EMAIL, EMPLOYEE_EMAIL
from tests.server import recipient_helpers as rh
from tests.server.recipient_helpers import RECIPIENT
from tests.support import ServerHarness


@pytest.fixture
def erp(server: ServerHarness) -> dict[str, str]:
    return server.integration_key(rh.brand_id(server))


def staff_search(server: ServerHarness, **params: Any) -> set[int]:
    """Ids the demo administrator's documents search returns (every page)."""
    admin = demo_accounts()[0]
    headers = server.login(admin.email, admin.password)
    found: set[int] = set()
    cursor = None
    while True:
        query = {"limit": 500, **params, **({"cursor": cursor} if cursor else {})}
        page = server.client.get("/api/v1/documents", headers=headers, params=query)
        assert page.status_code == 200, page.text
        found |= {item["id"] for item in page.json()["items"]}
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return found


def demo_client_invoice(server: ServerHarness, state: InvoiceState) -> int:
    with server.session() as s:
        client_id = s.scalars(select(ClientUser.client_id).where(ClientUser.email == CLIENT_EMAIL)).one()
        found: int = s.scalars(
            select(Document.id)
            .where(Document.client_id == client_id, Document.invoice_state == state)
            .order_by(Document.id)
        ).first()
        return found


def vault_ids_from_database(server: ServerHarness, email: str) -> list[int]:
    """The brute-force answer: deliveries to the person's rows, newest delivered first."""
    with server.session() as s:
        rows = s.execute(
            select(Delivery.delivered_at, Delivery.id, Delivery.document_id)
            .join(Employee, Employee.id == Delivery.employee_id)
            .join(Document, Document.id == Delivery.document_id)
            .where(Employee.email == email, Document.deleted_at.is_(None))
        ).all()
    return [doc for _, _, doc in sorted(rows, reverse=True)]


def demo_worker(server: ServerHarness) -> tuple[str, str]:
    """(matricule, agency code) of the demo worker."""
    with server.session() as s:
        row = s.execute(
            select(Employee.matricule, Agency.code)
            .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
            .join(Agency, Agency.id == EmployeeAgency.agency_id)
            .where(Employee.email == EMPLOYEE_EMAIL)
        ).first()
        assert row is not None
        return row[0], row[1]


def test_the_vault_lists_its_documents_newest_first_over_keyset_pages(server: ServerHarness) -> None:
    headers = rh.demo_login(server, "employee")
    expected = vault_ids_from_database(server, EMPLOYEE_EMAIL)
    assert len(expected) >= 4  # the demo worker has a vault worth paging through
    items = rh.all_documents(server, headers, limit=3)
    assert [i["id"] for i in items] == expected
    first = rh.documents(server, headers, limit=3).json()
    assert first["total"] == len(expected) and first["next_cursor"]
    assert {i["brand_name"] for i in items} == {"Alto Intérim"} and all(i["agency_name"] for i in items)


def test_pages_neither_skip_nor_repeat_while_documents_arrive(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    headers = rh.demo_login(server, "employee")
    before = vault_ids_from_database(server, EMPLOYEE_EMAIL)
    page = rh.documents(server, headers, limit=2).json()
    seen = [i["id"] for i in page["items"]]
    matricule, agency = demo_worker(server)
    server.clock.advance(minutes=1)
    newer = rh.payslip(server, erp, matricule, agency)
    cursor = page["next_cursor"]
    while cursor:
        page = rh.documents(server, headers, limit=2, cursor=cursor).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert seen == before
    assert rh.all_documents(server, headers)[0]["id"] == newer


def test_a_cursor_of_another_recipient_is_refused(server: ServerHarness) -> None:
    worker = rh.demo_login(server, "employee")
    client = rh.demo_login(server, "client_user")
    cursor = rh.documents(server, worker, limit=1).json()["next_cursor"]
    refused = rh.documents(server, client, limit=1, cursor=cursor)
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_cursor"


def test_a_recipient_never_sees_another_s_document(server: ServerHarness, erp: dict[str, str]) -> None:
    worker, client = rh.demo_login(server, "employee"), rh.demo_login(server, "client_user")
    mine = set(vault_ids_from_database(server, EMPLOYEE_EMAIL))
    rh.add_employee(server, "TST-0100", "quelqu.un@example.fr")
    someone_else = rh.payslip(server, erp, "TST-0100")
    rh.add_client(server, "CLT-1", [{"email": "compta@autre-client.fr", "can_invoices": True}])
    other_company = rh.invoice(server, erp, "CLT-1", "F-1")
    invoice = demo_client_invoice(server, InvoiceState.NOT_DOWNLOADED)
    payslip = next(iter(mine))

    def file(headers: dict[str, str], document_id: int) -> int:
        return server.client.get(f"{RECIPIENT}/documents/{document_id}/file", headers=headers).status_code

    for headers, document_id in [
        (worker, someone_else),
        (worker, invoice),
        (worker, other_company),
        (client, other_company),
        (client, payslip),
        (client, someone_else),
        (worker, 10**9),
    ]:
        response = server.client.get(f"{RECIPIENT}/documents/{document_id}/file", headers=headers)
        assert response.status_code == 404, document_id
        assert response.json() == {
            "type": response.json()["type"],
            "title": response.json()["title"],
            "status": 404,
            "detail": "Document introuvable.",
            "code": "document_not_found",
        }
    assert {i["id"] for i in rh.all_documents(server, worker)} == mine
    assert not {someone_else, other_company, payslip} & {i["id"] for i in rh.all_documents(server, client)}
    assert file(worker, payslip) == 200 and file(client, invoice) == 200


def test_the_first_download_is_recorded_once_with_the_time_of_the_first(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    matricule, agency = demo_worker(server)
    document_id = rh.payslip(server, erp, matricule, agency)
    server.clock.advance(hours=3)
    first_time = server.clock()
    headers = rh.demo_login(server, "employee")
    response = server.client.get(f"{RECIPIENT}/documents/{document_id}/file", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    server.clock.advance(days=2)
    headers = rh.demo_login(server, "employee")
    assert server.client.get(f"{RECIPIENT}/documents/{document_id}/file", headers=headers).status_code == 200

    with server.session() as s:
        doc = s.get(Document, document_id)
        delivery = s.scalars(select(Delivery).where(Delivery.document_id == document_id)).one()
        assert doc is not None and hashlib.sha256(response.content).hexdigest() == doc.blob_sha256
        assert delivery.first_downloaded_at == delivery.first_opened_at == first_time
    (item,) = [i for i in rh.all_documents(server, headers) if i["id"] == document_id]
    assert item["first_downloaded_at"].startswith(first_time.strftime("%Y-%m-%dT%H:%M"))
    assert item["invoice_state"] is None and item["can_validate"] is False


def test_a_client_download_shows_the_invoice_downloaded_in_the_agency_search(server: ServerHarness) -> None:
    invoice = demo_client_invoice(server, InvoiceState.NOT_DOWNLOADED)
    assert invoice in staff_search(server, invoice_state="not_downloaded")
    assert invoice not in staff_search(server, invoice_state="downloaded")
    headers = rh.demo_login(server, "client_user")
    server.clock.advance(minutes=5)
    response = server.client.get(f"{RECIPIENT}/documents/{invoice}/file", headers=headers)
    assert response.status_code == 200

    assert invoice in staff_search(server, invoice_state="downloaded", type="invoice")
    assert invoice not in staff_search(server, invoice_state="not_downloaded")
    with server.session() as s:
        doc = s.get(Document, invoice)
        company_row = s.scalars(
            select(Delivery).where(Delivery.document_id == invoice, Delivery.client_user_id.is_(None))
        ).one()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "invoice.downloaded")).one()
        user_id = s.scalars(select(ClientUser.id).where(ClientUser.email == CLIENT_EMAIL)).one()
    assert doc is not None and doc.changed_at == server.clock()  # the desktop's change feed sees it
    assert company_row.first_downloaded_at == server.clock()
    assert (event.actor_kind, event.actor_id, event.target_id) == ("client_user", user_id, str(invoice))


def test_validation_shows_in_the_agency_search_is_audited_once_and_is_idempotent(
    server: ServerHarness,
) -> None:
    invoice = demo_client_invoice(server, InvoiceState.DOWNLOADED)
    headers = rh.demo_login(server, "client_user")
    listed = {i["id"]: i for i in rh.all_documents(server, headers)}
    assert listed[invoice]["can_validate"] is True
    server.clock.advance(minutes=5)
    url = f"{RECIPIENT}/documents/{invoice}/validation"

    response = server.client.post(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["invoice_state"] == "validated" and response.json()["can_validate"] is False
    validated_at = server.clock()
    server.clock.advance(minutes=2)
    again = server.client.post(url, headers=headers)
    assert again.status_code == 200 and again.json()["invoice_state"] == "validated"
    # Downloading a validated invoice again leaves it validated.
    assert server.client.get(f"{RECIPIENT}/documents/{invoice}/file", headers=headers).status_code == 200

    assert invoice in staff_search(server, invoice_state="validated")
    assert invoice not in staff_search(server, invoice_state="downloaded")
    with server.session() as s:
        doc = s.get(Document, invoice)
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "invoice.validated", AuditEvent.target_id == str(invoice)
            )
        ).all()
        company_row = s.scalars(
            select(Delivery).where(Delivery.document_id == invoice, Delivery.client_user_id.is_(None))
        ).one()
    assert doc is not None and doc.invoice_state is InvoiceState.VALIDATED
    # The change feed stamps the commit: at the validation's time, or a few microseconds after when another
    # change of the same document already holds that instant (services/document_changes.py).
    assert validated_at <= doc.changed_at < validated_at + timedelta(seconds=1)
    assert len(events) == 1 and events[0].actor_kind == "client_user" and events[0].agency_id == doc.agency_id
    assert company_row.validated_at == validated_at


def test_validating_a_document_that_is_not_an_invoice_is_a_french_409(server: ServerHarness) -> None:
    headers = rh.demo_login(server, "client_user")
    contract = next(i for i in rh.all_documents(server, headers) if i["doc_type"] == "provision_contract")
    response = server.client.post(f"{RECIPIENT}/documents/{contract['id']}/validation", headers=headers)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_an_invoice"
    assert response.json()["detail"] == "Seule une facture peut être validée ; ce document n'en est pas une."


def test_a_user_without_the_invoice_right_neither_sees_nor_validates_invoices(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    rh.add_client(
        server,
        "CLT-2",
        [
            {"email": "compta@client2.fr", "can_invoices": True, "can_view_contracts": False},
            {"email": "rh@client2.fr", "can_invoices": False, "can_view_contracts": True},
        ],
    )
    invoice = rh.invoice(server, erp, "CLT-2", "F-2")
    contract = rh.deposit(
        server,
        erp,
        agency="PAR11",
        type="provision_contract",
        client="CLT-2",
        contract_number="CMD-2",
        document_date="2026-03-13",
    )
    for email in ("compta@client2.fr", "rh@client2.fr"):
        assert rh.activate(server, rh.activation_token(server, email)).status_code == 204
    accounting = rh.login(server, "compta@client2.fr", "client_user")
    hr = rh.login(server, "rh@client2.fr", "client_user")

    assert [i["id"] for i in rh.all_documents(server, accounting)] == [invoice]
    assert [i["id"] for i in rh.all_documents(server, hr)] == [contract]
    assert server.client.get(f"{RECIPIENT}/documents/{invoice}/file", headers=hr).status_code == 404
    refused = server.client.post(f"{RECIPIENT}/documents/{invoice}/validation", headers=hr)
    assert refused.status_code == 403 and refused.json()["code"] == "no_invoice_right"
    assert "factures" in refused.json()["detail"]
    with server.session() as s:
        doc = s.get(Document, invoice)
        assert doc is not None and doc.invoice_state is InvoiceState.NOT_DOWNLOADED


def test_a_withdrawn_invoice_right_hides_the_invoices_and_refuses_validation(server: ServerHarness) -> None:
    invoice = demo_client_invoice(server, InvoiceState.DOWNLOADED)
    headers = rh.demo_login(server, "client_user")
    with server.session() as s, s.begin():
        s.scalars(select(ClientUser).where(ClientUser.email == CLIENT_EMAIL)).one().can_invoices = False
    assert all(i["doc_type"] != "invoice" for i in rh.all_documents(server, headers))
    refused = server.client.post(f"{RECIPIENT}/documents/{invoice}/validation", headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "no_invoice_right"


def test_a_worker_cannot_validate(server: ServerHarness) -> None:
    headers = rh.demo_login(server, "employee")
    payslip = rh.all_documents(server, headers)[0]["id"]
    response = server.client.post(f"{RECIPIENT}/documents/{payslip}/validation", headers=headers)
    assert response.status_code == 403
    assert "entreprises clientes" in response.json()["detail"]


def test_the_demo_client_space_shows_every_invoice_state(server: ServerHarness) -> None:
    items = rh.all_documents(server, rh.demo_login(server, "client_user"))
    invoices = [i for i in items if i["doc_type"] == DocumentType.INVOICE.value]
    assert {i["invoice_state"] for i in invoices} == {s.value for s in InvoiceState}
    assert {i["can_validate"] for i in invoices} == {True, False}
    with server.session() as s:
        counted = s.scalar(
            select(func.count()).select_from(Document).where(Document.invoice_state.is_not(None))
        )
    assert counted and counted >= len(invoices)
