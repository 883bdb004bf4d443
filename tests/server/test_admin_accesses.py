"""Creating and removing accesses to an agency (F6.1 "+" and the bin): a new user is invited (the mail
reaches a real SMTP server and its link works), an existing one gets the rights without a duplicate
account, bad emails and duplicates are refused in French, removal keeps the last administrator, and
every change is in the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import AuditEvent, OutboxMail, RightGrant, StaffUser
from coffreo_desktop.server.mail.outbox import SECRET_TOKEN
from tests.server.test_admin_rights import admin_of_par11, events, matrix, row, user_id
from tests.server.test_mail import Collector, sender, smtp  # noqa: F401  (the aiosmtpd fixture)
from tests.support import ServerHarness

ACCESSES = "/api/v1/admin/accesses"
NEW = {
    "first_name": "Camille",
    "last_name": "Petit",
    "email": "Camille.Petit@Example.fr",
    "rights": ["DL", "A"],
}


def create(server: ServerHarness, headers: dict[str, str], agency: str = "PAR11", **changes: Any) -> Any:
    return server.client.post(
        ACCESSES, params={"agency_id": server.agency_id(agency)}, json={**NEW, **changes}, headers=headers
    )


def remove(server: ServerHarness, headers: dict[str, str], uid: int, agency: str = "PAR11") -> Any:
    return server.client.delete(
        f"{ACCESSES}/{uid}", params={"agency_id": server.agency_id(agency)}, headers=headers
    )


def mails_to(server: ServerHarness, address: str) -> list[OutboxMail]:
    with server.ctx.db.reader() as s:
        return list(
            s.scalars(select(OutboxMail).where(OutboxMail.to_addr == address).order_by(OutboxMail.id))
        )


def test_a_new_access_creates_the_user_grants_the_rights_and_the_invitation_reaches_smtp(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    headers = admin_of_par11(server)

    response = create(server, headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True and body["mail"] == "invitation"
    assert body["user"]["email"] == "camille.petit@example.fr"
    assert body["user"]["rights"] == ["A", "DL"] and body["user"]["invited"] is True
    assert row(matrix(server, headers), "camille.petit@example.fr")["rights"] == ["A", "DL"]
    (queued,) = mails_to(server, "camille.petit@example.fr")
    assert queued.kind == "invitation"
    token = SECRET_TOKEN.search(queued.body_text)
    assert token is not None

    assert sender(server, f"smtp://127.0.0.1:{port}").flush().sent >= 1
    (received,) = [m for m in handler.messages() if m["To"] == "camille.petit@example.fr"]
    assert received["Subject"].startswith("Bienvenue sur Coffreo")
    assert "Chef.Paris vous a ouvert un accès" in received.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # The link works: the new user chooses a password and sees the agency.
    accepted = server.client.post(
        f"/api/v1/auth/invitations/{token.group(0)}/accept", json={"password": "Un-mot-de-passe-2026!"}
    )
    assert accepted.status_code == 204, accepted.text
    camille = server.login("camille.petit@example.fr", "Un-mot-de-passe-2026!")
    assert row(matrix(server, camille), "camille.petit@example.fr")["invited"] is False

    uid = body["user"]["user_id"]
    (invited,) = [e for e in events(server, "staff.invited") if e.target_id == str(uid)]
    (granted,) = [e for e in events(server, "staff.rights_granted") if e.target_id == str(uid)]
    assert invited.actor_id == user_id(server, "chef.paris@exemple.fr")
    assert granted.agency_id == server.agency_id("PAR11") and granted.details["rights"] == ["A", "DL"]


def test_an_existing_user_gets_the_rights_without_a_duplicate_account(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    server.make_user("sofia.lyon@exemple.fr", {"LYO": (Right.ACOMPTES,)})

    response = create(
        server, headers, email=" SOFIA.lyon@exemple.fr ", first_name="Autre", rights=["DA", "RH"]
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is False and body["mail"] == "access_granted"
    assert body["user"]["first_name"] == "Test"  # the account keeps its own name
    with server.ctx.db.reader() as s:
        assert s.scalar(select(func.count()).where(StaffUser.email == "sofia.lyon@exemple.fr")) == 1
        lyon_rights = s.scalars(
            select(RightGrant.right).where(
                RightGrant.user_id == body["user"]["user_id"], RightGrant.agency_id == server.agency_id("LYO")
            )
        ).all()
    assert lyon_rights == [Right.ACOMPTES]
    (mail,) = mails_to(server, "sofia.lyon@exemple.fr")
    assert mail.kind == "access_granted" and "Alto Paris" in mail.subject
    assert SECRET_TOKEN.search(mail.body_text) is None  # no new password link for an active account
    (granted,) = [
        e for e in events(server, "staff.rights_granted") if e.target_id == str(body["user"]["user_id"])
    ]
    assert granted.details["rights"] == ["DA", "RH"]


def test_an_existing_user_who_never_activated_gets_a_new_invitation(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    server.make_user("jamais.active@exemple.fr", {"LYO": (Right.ACOMPTES,)}, password=None)

    response = create(server, headers, email="jamais.active@exemple.fr")

    assert response.status_code == 201 and response.json()["mail"] == "invitation"
    (mail,) = mails_to(server, "jamais.active@exemple.fr")
    assert mail.kind == "invitation" and SECRET_TOKEN.search(mail.body_text)


def test_a_malformed_email_is_refused_in_french(server: ServerHarness) -> None:
    headers = admin_of_par11(server)

    response = create(server, headers, email="camille.petit@exemple")

    assert response.status_code == 422
    assert response.json() | {"code": "invalid_email"} == response.json()
    assert response.json()["detail"] == "Adresse e-mail invalide : « camille.petit@exemple »."


def test_an_email_already_holding_rights_on_the_agency_is_a_duplicate(server: ServerHarness) -> None:
    headers = admin_of_par11(server)

    response = create(server, headers, email="DIFFUSION@demo.coffreo.fr")

    assert response.status_code == 409 and response.json()["code"] == "duplicate_access"
    assert "Julien Bertrand (diffusion@demo.coffreo.fr) a déjà un accès" in response.json()["detail"]
    assert mails_to(server, "diffusion@demo.coffreo.fr") == []


def test_an_access_without_rights_or_names_is_refused_in_french(server: ServerHarness) -> None:
    headers = admin_of_par11(server)

    no_rights = create(server, headers, rights=[])
    unknown = create(server, headers, rights=["ZZ"])
    no_name = create(server, headers, last_name="  ")

    assert no_rights.status_code == 422 and no_rights.json()["code"] == "no_rights"
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("Requête invalide")
    assert no_name.status_code == 422 and no_name.json()["code"] == "invalid_name"
    assert mails_to(server, "camille.petit@example.fr") == []


def test_creating_an_access_on_an_agency_where_the_caller_is_not_A_is_forbidden(
    server: ServerHarness,
) -> None:
    headers = admin_of_par11(server)

    response = create(server, headers, agency="LYO")

    assert response.status_code == 403
    assert mails_to(server, "camille.petit@example.fr") == []


def test_removing_an_access_takes_every_right_on_this_agency_only_and_is_audited(
    server: ServerHarness,
) -> None:
    headers = admin_of_par11(server)
    julien = user_id(server, "diffusion@demo.coffreo.fr")

    response = remove(server, headers, julien)

    assert response.status_code == 204
    assert "diffusion@demo.coffreo.fr" not in [u["email"] for u in matrix(server, headers)["users"]]
    with server.ctx.db.reader() as s:
        left = s.scalars(select(RightGrant.agency_id).where(RightGrant.user_id == julien)).all()
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "access.removed")).all()
    assert set(left) == {server.agency_id("NAN")}
    assert event.target_id == str(julien) and event.agency_id == server.agency_id("PAR11")
    assert event.details["rights"] == ["D", "DL", "DLP", "DLS"]
    assert event.actor_id == user_id(server, "chef.paris@exemple.fr")
    again = remove(server, headers, julien)
    assert again.status_code == 404 and again.json()["code"] == "access_not_found"


def test_removing_the_access_of_the_last_administrator_is_refused(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    claire = user_id(server, "admin@demo.coffreo.fr")
    chef = user_id(server, "chef.paris@exemple.fr")
    assert remove(server, headers, claire).status_code == 204

    refused = remove(server, headers, chef)

    assert refused.status_code == 409 and refused.json()["code"] == "last_admin"
    assert "dernier administrateur" in refused.json()["detail"]
    assert row(matrix(server, headers), "chef.paris@exemple.fr")["rights"] == ["A"]


def test_removing_an_access_elsewhere_is_forbidden(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    sofia = user_id(server, "acomptes@demo.coffreo.fr")

    assert remove(server, headers, sofia, agency="LYO").status_code == 403
