"""Deleting a document (F2.6): only an unsigned contract, only with "A" on its agency, soft and audited;
a deleted document answers 410 everywhere and leaves the search."""

from __future__ import annotations

from sqlalchemy import select

from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import AuditEvent, Document
from coffreo_desktop.server.services import audit
from tests.support import ServerHarness

URL = "/api/v1/documents"


def find(server: ServerHarness, code: str, types: set[DocumentType], state: SignatureState) -> Document:
    with server.ctx.db.reader() as s:
        return s.scalars(
            select(Document)
            .where(
                Document.agency_id == server.agency_id(code),
                Document.doc_type.in_(types),
                Document.signature_state == state,
            )
            .order_by(Document.id)
        ).first()  # type: ignore[return-value]


CONTRACTS = {DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT}


def admin(server: ServerHarness) -> dict[str, str]:
    server.make_user("admin.paris@exemple.fr", {"PAR11": (Right.ADMIN,)})
    return server.login("admin.paris@exemple.fr")


def test_an_unsigned_contract_is_deleted_by_an_admin_and_audited(server: ServerHarness) -> None:
    headers = admin(server)
    doc = find(server, "PAR11", CONTRACTS, SignatureState.UNSIGNED)
    listed = server.client.get(URL, params={"limit": 500, "total": "true"}, headers=headers).json()
    row = next(i for i in listed["items"] if i["id"] == doc.id)
    assert row["can_delete"] is True
    response = server.client.delete(f"{URL}/{doc.id}", headers=headers)
    assert response.status_code == 204, response.text
    after = server.client.get(URL, params={"limit": 500, "total": "true"}, headers=headers).json()
    assert doc.id not in {i["id"] for i in after["items"]}
    assert after["total"] == listed["total"] - 1
    with server.ctx.db.reader() as s:
        stored = s.get(Document, doc.id)
        assert stored is not None and stored.deleted_at == server.clock()
        assert stored.changed_at == server.clock()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.deleted")).one()
        assert (event.target_id, event.agency_id) == (str(doc.id), server.agency_id("PAR11"))
        assert audit.verify(s).ok
    for path in (f"{URL}/{doc.id}", f"{URL}/{doc.id}/file"):
        gone = server.client.get(path, headers=headers)
        assert gone.status_code == 410 and gone.json()["code"] == "document_deleted"
        assert "supprimé" in gone.json()["detail"]


def test_deleting_twice_answers_gone(server: ServerHarness) -> None:
    headers = admin(server)
    doc = find(server, "PAR11", CONTRACTS, SignatureState.UNSIGNED)
    assert server.client.delete(f"{URL}/{doc.id}", headers=headers).status_code == 204
    again = server.client.delete(f"{URL}/{doc.id}", headers=headers)
    assert again.status_code == 410 and again.json()["code"] == "document_deleted"


def test_a_signed_contract_cannot_be_deleted(server: ServerHarness) -> None:
    headers = admin(server)
    doc = find(server, "PAR11", CONTRACTS, SignatureState.SIGNED)
    response = server.client.delete(f"{URL}/{doc.id}", headers=headers)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_deletable" and "signé" in response.json()["detail"]
    assert server.client.get(f"{URL}/{doc.id}", headers=headers).json()["can_delete"] is False
    with server.ctx.db.reader() as s:
        assert s.get(Document, doc.id).deleted_at is None  # type: ignore[union-attr]
        assert not s.scalars(select(AuditEvent).where(AuditEvent.action == "document.deleted")).all()


def test_a_payslip_cannot_be_deleted(server: ServerHarness) -> None:
    headers = admin(server)
    doc = find(server, "PAR11", {DocumentType.PAYSLIP}, SignatureState.NOT_REQUIRED)
    response = server.client.delete(f"{URL}/{doc.id}", headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "not_deletable" and "contrat" in response.json()["detail"]


def test_deleting_needs_the_admin_right_on_the_documents_agency(server: ServerHarness) -> None:
    # "A" on Nantes and every other right on Paris: the Paris contract stays.
    server.make_user(
        "sans.admin@exemple.fr",
        {"NAN": (Right.ADMIN,), "PAR11": tuple(r for r in Right if r is not Right.ADMIN)},
    )
    headers = server.login("sans.admin@exemple.fr")
    doc = find(server, "PAR11", CONTRACTS, SignatureState.UNSIGNED)
    assert server.client.get(f"{URL}/{doc.id}", headers=headers).json()["can_delete"] is False
    response = server.client.delete(f"{URL}/{doc.id}", headers=headers)
    assert response.status_code == 403 and "« A »" in response.json()["detail"]
    # Someone who cannot see the agency at all does not learn that the document exists.
    server.make_user("admin.lyon@exemple.fr", {"LYO": (Right.ADMIN,)})
    lyon = server.login("admin.lyon@exemple.fr")
    assert server.client.delete(f"{URL}/{doc.id}", headers=lyon).status_code == 404
    with server.ctx.db.reader() as s:
        assert s.get(Document, doc.id).deleted_at is None  # type: ignore[union-attr]
