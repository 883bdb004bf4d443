"""Recipient accounts (F7.1): the one-time activation link of a delivery mail, the password, login with
rotating refresh tokens and throttling, logout; one vault for every employer of the same person."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from coffreo_desktop.server.app import prepare
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db import migrate
from coffreo_desktop.server.db.engine import Database
from coffreo_desktop.server.db.models import (
    AuditEvent,
    Base,
    ClientCompany,
    ClientUser,
    Employee,
    OutboxMail,
    RecipientAccount,
    RecipientActivation,
)
from coffreo_desktop.server.security import token_hash
from tests.server import recipient_helpers as rh
from tests.server.recipient_helpers import RECIPIENT
from tests.support import PASSWORD, ServerHarness

EMAIL = "elodie.lefevre@example.fr"
RECIPIENT_TABLES = ("recipient_accounts", "recipient_activations", "recipient_sessions", "recipient_tokens")


@pytest.fixture
def erp(server: ServerHarness) -> dict[str, str]:
    server.close_campaigns()  # each deposit here delivers just its payslip
    return server.integration_key(rh.brand_id(server))


@pytest.fixture
def invited(server: ServerHarness, erp: dict[str, str]) -> str:
    """A worker without a vault account who has just received a payslip: the token of the mailed link."""
    rh.add_employee(server, "TST-0001", EMAIL)
    rh.payslip(server, erp, "TST-0001")
    return rh.activation_token(server, EMAIL)


def test_the_delivery_mail_carries_a_one_time_link_whose_token_is_stored_hashed(
    server: ServerHarness, invited: str
) -> None:
    with server.session() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == EMAIL)).one()
        (stored,) = s.scalars(select(RecipientActivation)).all()[-1:]
    assert mail.kind == "vault_invitation"
    assert (
        f"/coffre/activation/{invited}" in mail.body_text
        and f"/coffre/activation/{invited}" in mail.body_html
    )
    assert stored.token_hash == token_hash(invited) and invited not in stored.token_hash
    assert stored.email == EMAIL and stored.used_at is None


def test_activation_shows_the_person_then_the_chosen_password_opens_the_vault(
    server: ServerHarness, invited: str
) -> None:
    shown = server.client.get(f"{RECIPIENT}/activation/{invited}")
    assert shown.status_code == 200
    assert shown.json() == {
        "kind": "employee",
        "email": EMAIL,
        "first_name": "Élodie",
        "last_name": "Lefèvre",
    }

    assert rh.activate(server, invited).status_code == 204

    headers = rh.login(server, "  Elodie.Lefevre@Example.fr ", "employee")
    items = rh.documents(server, headers).json()["items"]
    assert [i["doc_type"] for i in items] == ["payslip"]
    with server.session() as s:
        employee = s.scalars(select(Employee).where(Employee.email == EMAIL)).one()
        assert employee.vault_activated_at == server.clock()
        account = s.scalars(select(RecipientAccount).where(RecipientAccount.email == EMAIL)).one()
        assert account.kind == "employee" and PASSWORD not in account.password_hash
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "recipient.activated")).one()
        assert (event.actor_kind, event.actor_id, event.target_id) == (
            "employee",
            employee.id,
            str(account.id),
        )


def test_a_used_link_is_refused_in_french(server: ServerHarness, invited: str) -> None:
    assert rh.activate(server, invited).status_code == 204
    again = rh.activate(server, invited, "Un-autre-mot-de-passe-2026")
    assert again.status_code == 410
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "activation_used"
    assert "déjà été utilisé" in again.json()["detail"]
    assert server.client.get(f"{RECIPIENT}/activation/{invited}").json()["code"] == "activation_used"
    rh.login(server, EMAIL, "employee")  # the first password still holds


def test_an_expired_link_is_refused_in_french(server: ServerHarness, invited: str) -> None:
    server.clock.advance(days=30, seconds=1)
    response = rh.activate(server, invited)
    assert response.status_code == 410
    assert response.json()["code"] == "activation_expired"
    assert "a expiré" in response.json()["detail"]
    with server.session() as s:
        assert s.scalars(select(RecipientAccount).where(RecipientAccount.email == EMAIL)).first() is None


def test_an_unknown_link_is_refused_in_french(server: ServerHarness) -> None:
    response = rh.activate(server, "act_pas-un-vrai-lien")
    assert response.status_code == 404 and response.json()["code"] == "activation_unknown"
    assert "inconnu" in response.json()["detail"]


def test_a_weak_password_is_refused_and_the_link_stays_usable(server: ServerHarness, invited: str) -> None:
    weak = rh.activate(server, invited, "123456789012")
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    assert rh.activate(server, invited).status_code == 204


def test_the_link_mailed_to_a_former_address_stops_working(server: ServerHarness, invited: str) -> None:
    with server.session() as s, s.begin():
        s.scalars(select(Employee).where(Employee.email == EMAIL)).one().email = "nouvelle@example.fr"
    response = rh.activate(server, invited)
    assert response.status_code == 410 and response.json()["code"] == "activation_stale"


def test_once_activated_the_next_mails_carry_no_activation_link(
    server: ServerHarness, erp: dict[str, str], invited: str
) -> None:
    rh.activate(server, invited)
    rh.payslip(server, erp, "TST-0001")
    with server.session() as s:
        last = s.scalars(
            select(OutboxMail).where(OutboxMail.to_addr == EMAIL).order_by(OutboxMail.id.desc())
        ).first()
    assert last is not None and last.kind == "document_new" and "/activation/" not in last.body_text


def test_login_refresh_rotates_and_logout_ends_the_session(server: ServerHarness, invited: str) -> None:
    rh.activate(server, invited)
    first = rh.tokens(server, EMAIL, "employee")
    assert first["access_token"].startswith("rat_") and first["expires_in"] == 900
    second = server.client.post(f"{RECIPIENT}/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert rh.documents(server, rh.bearer(first)).status_code == 401  # the previous pair is dead
    assert rh.documents(server, rh.bearer(second.json())).status_code == 200
    replay = server.client.post(f"{RECIPIENT}/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json()["code"] == "invalid_refresh_token"
    assert rh.documents(server, rh.bearer(second.json())).status_code == 401  # the replay ended the session

    third = rh.tokens(server, EMAIL, "employee")
    out = server.client.post(f"{RECIPIENT}/logout", json={"refresh_token": third["refresh_token"]})
    assert out.status_code == 204
    assert rh.documents(server, rh.bearer(third)).status_code == 401
    after = server.client.post(f"{RECIPIENT}/refresh", json={"refresh_token": third["refresh_token"]})
    assert after.status_code == 401


def test_access_token_expires_after_fifteen_minutes(server: ServerHarness, invited: str) -> None:
    rh.activate(server, invited)
    headers = rh.login(server, EMAIL, "employee")
    server.clock.advance(minutes=15, seconds=1)
    assert rh.documents(server, headers).status_code == 401


def test_wrong_password_wrong_kind_and_unknown_email_get_the_same_french_refusal(
    server: ServerHarness, invited: str
) -> None:
    rh.activate(server, invited)
    url = f"{RECIPIENT}/token"
    wrong = server.client.post(url, json={"email": EMAIL, "password": "mauvais", "kind": "employee"})
    other_kind = server.client.post(url, json={"email": EMAIL, "password": PASSWORD, "kind": "client_user"})
    unknown = server.client.post(
        url, json={"email": "x@example.fr", "password": PASSWORD, "kind": "employee"}
    )
    assert wrong.status_code == other_kind.status_code == unknown.status_code == 401
    assert wrong.json() == other_kind.json() == unknown.json()
    assert wrong.json()["detail"] == "Adresse e-mail ou mot de passe incorrect."


def test_repeated_failures_throttle_the_login(server: ServerHarness, invited: str) -> None:
    rh.activate(server, invited)
    url = f"{RECIPIENT}/token"
    for _ in range(5):
        assert (
            server.client.post(url, json={"email": EMAIL, "password": "x", "kind": "employee"}).status_code
            == 401
        )
    throttled = server.client.post(url, json={"email": EMAIL, "password": PASSWORD, "kind": "employee"})
    assert throttled.status_code == 429 and throttled.json()["code"] == "login_throttled"
    server.clock.advance(minutes=5, seconds=2)
    rh.login(server, EMAIL, "employee")


def test_recipient_tokens_open_no_staff_route(server: ServerHarness, invited: str) -> None:
    rh.activate(server, invited)
    headers = rh.login(server, EMAIL, "employee")
    assert server.client.get("/api/v1/me", headers=headers).status_code == 401
    assert server.client.get("/api/v1/documents", headers=headers).status_code == 401


def test_one_vault_lists_the_documents_of_every_employer(server: ServerHarness, erp: dict[str, str]) -> None:
    """The same person at two brands (two Employee rows, one email): one account, one vault."""
    rh.add_employee(server, "TST-0001", EMAIL)
    first = rh.payslip(server, erp, "TST-0001")
    rh.activate(server, rh.activation_token(server, EMAIL))
    other = rh.other_brand(server)
    rh.add_employee(server, "B-77", EMAIL.upper(), agency_code="BRV")
    second = rh.payslip(server, server.integration_key(other), "B-77", agency="BRV")

    with server.session() as s:
        last = s.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
        brv = s.scalars(select(Employee).where(Employee.matricule == "B-77")).one()
        assert brv.vault_activated_at == server.clock()  # joined the existing vault at once
    assert last is not None and last.kind == "document_new"
    items = rh.documents(server, rh.login(server, EMAIL, "employee")).json()["items"]
    assert {(i["id"], i["brand_name"]) for i in items} == {
        (first, "Alto Intérim"),
        (second, "Brevo Travail Temporaire"),
    }


def test_a_client_user_activation_activates_the_company_space(
    server: ServerHarness, erp: dict[str, str]
) -> None:
    client_id = rh.add_client(server, "CLT-9", [{"email": "compta@client.fr", "can_invoices": True}])
    rh.invoice(server, erp, "CLT-9", "F-2026-001")
    token = rh.activation_token(server, "compta@client.fr")
    assert server.client.get(f"{RECIPIENT}/activation/{token}").json()["kind"] == "client_user"
    assert rh.activate(server, token).status_code == 204
    with server.session() as s:
        user = s.scalars(select(ClientUser).where(ClientUser.email == "compta@client.fr")).one()
        company = s.get(ClientCompany, client_id)
        assert user.activated_at == server.clock() and company is not None
        assert company.activated_at == server.clock()
    items = rh.documents(server, rh.login(server, "compta@client.fr", "client_user")).json()["items"]
    assert [(i["doc_type"], i["invoice_state"]) for i in items] == [("invoice", "not_downloaded")]


def test_migration_0003_matches_the_models_and_downgrades_cleanly(
    database_url: str | None, tmp_path: Path
) -> None:
    settings = ServerSettings(data_dir=tmp_path / "data", database_url=database_url)
    prepare(settings)
    db = Database(settings.db_url)
    try:
        inspector = inspect(db.engine)
        for table in RECIPIENT_TABLES:
            model = Base.metadata.tables[table]
            columns = {c["name"]: c["nullable"] for c in inspector.get_columns(table)}
            assert columns == {c.name: c.nullable for c in model.columns}, table
        # Expression indexes escape SQLite's reflection: read the catalogues.
        catalogue = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if db.is_sqlite
            else "SELECT indexname FROM pg_indexes"
        )
        with db.engine.connect() as connection:
            indexes = set(connection.execute(text(catalogue)).scalars())
        assert {"ix_employees_email_lower", "ix_client_users_email_lower"} <= indexes

        config = migrate.alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")
        assert not set(RECIPIENT_TABLES) & set(inspect(db.engine).get_table_names())
        assert migrate.upgrade(db.engine) == migrate.HEAD_REVISION
        assert set(RECIPIENT_TABLES) <= set(inspect(db.engine).get_table_names())
    finally:
        db.dispose()
