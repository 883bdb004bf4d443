"""Inviting staff (F1.1, F6.1): user without password, rights, invitation mail, audit; refusals; resending."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import AuditEvent, Brand, OutboxMail, RightGrant, StaffUser
from coffreo_desktop.server.errors import Conflict, Invalid, ProblemError
from coffreo_desktop.server.services import staff
from coffreo_desktop.server.services.audit import Actor
from tests.support import PASSWORD, ServerHarness

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>'


def invite(
    server: ServerHarness, email: str = "camille.petit@example.fr", **kwargs: Any
) -> staff.InvitedStaff:
    values: dict[str, Any] = {
        "actor": Actor("staff", 1),
        "email": email,
        "first_name": "Camille",
        "last_name": "Petit",
        "grants": {server.agency_id("PAR11"): {Right.DIFFUSION_LIBRE, Right.ADMIN}},
        "settings": server.settings,
        "now": server.clock(),
    }
    values.update(kwargs)
    with server.session() as s, s.begin():
        invited = staff.invite_staff(s, **values)
        s.expunge(invited.user)
        return invited


def refusal(server: ServerHarness, **kwargs: Any) -> ProblemError:
    with pytest.raises(ProblemError) as info:
        invite(server, **kwargs)
    return info.value


def test_invited_staff_gets_rights_a_mail_with_the_link_and_an_audit_trail(server: ServerHarness) -> None:
    invited = invite(server, email="  Camille.Petit@Example.FR ")

    par = server.agency_id("PAR11")
    with server.ctx.db.reader() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == "camille.petit@example.fr")).one()
        grants = set(
            s.execute(
                select(RightGrant.right, RightGrant.agency_id, RightGrant.granted_by).where(
                    RightGrant.user_id == user.id
                )
            ).all()
        )
        mail = s.get(OutboxMail, invited.mail_id)
        actions = s.execute(
            select(AuditEvent.action, AuditEvent.agency_id).where(
                AuditEvent.target_id == str(user.id), AuditEvent.target_type == "staff_user"
            )
        ).all()
    assert user.password_hash is None and user.activated_at is None
    assert grants == {(Right.ADMIN, par, 1), (Right.DIFFUSION_LIBRE, par, 1)}
    assert mail is not None and mail.kind == "invitation" and mail.to_addr == "camille.petit@example.fr"
    assert mail.subject == "Bienvenue sur Coffreo — Alto Intérim"
    assert invited.link == f"{server.settings.links_base}/invitation/{invited.token}"
    assert invited.link in mail.body_text and invited.token in mail.body_text
    assert "Claire Moreau vous a ouvert un accès" in mail.body_text  # actor 1 is the demo administrator
    assert ("staff.invited", None) in actions and ("staff.rights_granted", par) in actions


def test_the_invitation_link_lets_the_user_choose_a_password_and_log_in(server: ServerHarness) -> None:
    invited = invite(server)

    accepted = server.client.post(
        f"/api/v1/auth/invitations/{invited.token}/accept", json={"password": PASSWORD}
    )

    assert accepted.status_code == 204
    me = server.client.get("/api/v1/me", headers=server.login("camille.petit@example.fr"))
    assert me.status_code == 200
    assert [a["code"] for a in me.json()["agencies"]] == ["PAR11"]


def test_a_duplicate_email_is_refused_with_409_email_taken(server: ServerHarness) -> None:
    error = refusal(server, email="ADMIN@demo.coffreo.fr")

    assert isinstance(error, Conflict)
    assert error.status == 409 and error.code == "email_taken"
    assert "admin@demo.coffreo.fr est déjà celle d'un utilisateur" in error.detail


@pytest.mark.parametrize("email", ["camille", "camille@", "camille petit@example.fr", "@example.fr", "a@b"])
def test_a_malformed_email_is_refused(server: ServerHarness, email: str) -> None:
    error = refusal(server, email=email)

    assert isinstance(error, Invalid)
    assert error.status == 422 and error.code == "invalid_email"
    assert "Adresse e-mail invalide" in error.detail


def test_missing_names_unknown_agencies_and_no_rights_are_refused(server: ServerHarness) -> None:
    assert refusal(server, first_name="   ").code == "invalid_name"
    assert refusal(server, grants={999_999: {Right.ADMIN}}).code == "unknown_agency"
    assert refusal(server, grants={server.agency_id("PAR11"): set()}).code == "no_rights"
    assert refusal(server, grants={server.agency_id("PAR11"): {"ZZ"}}).code == "unknown_right"
    with server.ctx.db.reader() as s:
        assert s.scalar(select(StaffUser.id).where(StaffUser.email == "camille.petit@example.fr")) is None
        assert s.scalar(select(OutboxMail.id).where(OutboxMail.kind == "invitation")) is None


def test_the_mail_carries_the_brand_logo_when_there_is_one(server: ServerHarness) -> None:
    with server.session() as s, s.begin():
        brand = s.scalars(select(Brand)).one()
        brand.logo_svg = LOGO
        brand_id = brand.id

    invited = invite(server, grants={}, brand_grants={brand_id: {Right.DIFFUSION}}, actor=Actor.system())

    with server.ctx.db.reader() as s:
        mail = s.get(OutboxMail, invited.mail_id)
        brand_grant = s.execute(select(RightGrant.right, RightGrant.brand_id, RightGrant.granted_by)).all()
    assert mail is not None and 'src="data:image/svg+xml;base64,' in mail.body_html
    assert "Votre administrateur vous a ouvert" in mail.body_text
    assert (Right.DIFFUSION, brand_id, None) in brand_grant


def test_two_simultaneous_invitations_of_one_address_create_one_user(server: ServerHarness) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            invite(server)
            outcomes.append("created")
        except ProblemError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(outcomes) == ["created", "email_taken"]


def test_resending_an_invitation_replaces_the_previous_link(server: ServerHarness) -> None:
    first = invite(server)
    server.clock.advance(hours=1)

    with server.session() as s, s.begin():
        second = staff.resend_invitation(
            s, actor=Actor("staff", 1), user_id=first.user.id, settings=server.settings, now=server.clock()
        )

    assert second.token != first.token and second.mail_id != first.mail_id
    assert server.client.get(f"/api/v1/auth/invitations/{first.token}").json()["code"] == "invitation_expired"
    assert server.client.get(f"/api/v1/auth/invitations/{second.token}").status_code == 200
    with server.ctx.db.reader() as s:
        assert (
            s.scalar(select(AuditEvent.id).where(AuditEvent.action == "staff.invitation_resent")) is not None
        )


def test_an_active_account_is_not_invited_again(server: ServerHarness) -> None:
    with server.ctx.db.reader() as s:
        admin = s.scalars(select(StaffUser.id).where(StaffUser.email == "admin@demo.coffreo.fr")).one()

    with server.session() as s, s.begin(), pytest.raises(Conflict) as info:
        staff.resend_invitation(
            s, actor=Actor.system(), user_id=admin, settings=server.settings, now=server.clock()
        )

    assert info.value.code == "already_active"
