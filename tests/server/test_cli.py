"""``coffreo-server``: demo logins in JSON, migrate, invite (link printed, mail in the outbox), integration
keys, and errors as French messages with exit code 2, nothing overwritten."""

from __future__ import annotations

import importlib
import json
import logging
import subprocess
import sys
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coffreo_desktop.server import cli
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.migrate import head_revision
from coffreo_desktop.server.db.models import AuditEvent, IntegrationKey, OutboxMail, RightGrant, StaffUser
from coffreo_desktop.server.demo import demo_accounts, demo_recipient_accounts
from coffreo_desktop.server.security import token_hash, verify_password
from tests.support import Clock, ServerHarness

Run = tuple[int, str, str]


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, database_url: str | None, *args: str) -> Run:
    argv = [*args, "--data-dir", str(data_dir)]
    if database_url:
        argv += ["--database-url", database_url]
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_on(server: ServerHarness, capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    return run(capsys, server.settings.data_dir, server.settings.database_url, *args)


def test_demo_json_lists_the_logins_and_a_second_run_creates_nothing(
    database_url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, tmp_path / "data", database_url, "demo", "--json", "--scale", "0.02")

    assert code == 0
    payload = json.loads(out)
    assert payload["created"] is True
    expected = demo_accounts()
    assert [a["email"] for a in payload["accounts"]] == [a.email for a in expected]
    assert all(set(a) == {"email", "password", "label", "rights"} for a in payload["accounts"])
    assert "Groupe de démonstration créé" in err and " s)" in err
    admin = payload["accounts"][0]
    from coffreo_desktop.server.db.engine import Database

    db = Database(database_url or f"sqlite:///{tmp_path / 'data' / 'coffreo.sqlite3'}")
    try:
        with db.reader() as s:
            stored = s.scalars(select(StaffUser.password_hash).where(StaffUser.email == admin["email"])).one()
    finally:
        db.dispose()
    assert verify_password(stored, admin["password"])  # the printed password is the real one

    code, out, err = run(capsys, tmp_path / "data", database_url, "demo", "--json", "--scale", "0.02")
    assert code == 0 and json.loads(out)["created"] is False
    assert "déjà présent" in err


def test_demo_prints_a_french_table(
    database_url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, tmp_path / "data", database_url, "demo", "--scale", "0.02")

    assert code == 0
    assert "Adresse e-mail" in out and "Mot de passe" in out
    for account in demo_accounts():
        assert account.email in out and account.password in out


def test_demo_lists_the_recipient_logins_apart_and_their_passwords_open_the_recipient_side(
    database_url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, _ = run(capsys, data, database_url, "demo", "--json", "--scale", "0.02")

    assert code == 0
    payload = json.loads(out)
    expected = demo_recipient_accounts()
    assert [(r["email"], r["kind"]) for r in payload["recipient_accounts"]] == [
        (r.email, r.kind) for r in expected
    ]
    assert {r["kind"] for r in payload["recipient_accounts"]} == {"employee", "client_user"}
    staff = {a["email"] for a in payload["accounts"]}
    assert staff.isdisjoint(r["email"] for r in payload["recipient_accounts"])

    code, table, _ = run(capsys, data, database_url, "demo")
    assert code == 0
    staff_part, recipient_part = table.split("Comptes destinataires (coffre salarié, espace entreprise) :")
    for recipient in expected:
        assert recipient.email in recipient_part and recipient.password in recipient_part
        assert recipient.email not in staff_part

    harness = ServerHarness.start(ServerSettings(data_dir=data, database_url=database_url), Clock())
    try:
        for printed in payload["recipient_accounts"]:
            body = {k: printed[k] for k in ("email", "password", "kind")}
            response = harness.client.post("/api/v1/recipient/token", json=body)
            assert response.status_code == 200, response.text
    finally:
        harness.close()


def test_migrate_prints_the_revision(
    database_url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, tmp_path / "data", database_url, "migrate")

    assert code == 0
    assert out.strip() == f"Base de données à jour : révision {head_revision()}."


def test_invite_prints_the_link_and_the_invitation_lands_in_the_outbox(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_on(
        server,
        capsys,
        "invite",
        "--email",
        "Nadia.Roux@Example.fr",
        "--first-name",
        "Nadia",
        "--last-name",
        "Roux",
        "--agency",
        "PAR11",
        "--agency",
        "LYO",
        "--rights",
        "A,D,DL",
        "--rights",
        "DA",
    )

    assert code == 0, err
    link = out.strip()
    assert link.startswith(f"{server.settings.links_base}/invitation/inv_")
    token = link.rsplit("/", 1)[1]
    (eml,) = server.settings.outbox_dir.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["To"] == "nadia.roux@example.fr"
    assert message["Subject"].startswith("Bienvenue sur Coffreo")
    assert link in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "e-mail envoyé dans" in err
    with server.ctx.db.reader() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == "nadia.roux@example.fr")).one()
        rights = {
            (r, a)
            for r, a in s.execute(
                select(RightGrant.right, RightGrant.agency_id).where(RightGrant.user_id == user.id)
            )
        }
        assert s.scalars(select(OutboxMail.sent_at).where(OutboxMail.kind == "invitation")).one() is not None
    assert user.password_hash is None
    par, lyo = server.agency_id("PAR11"), server.agency_id("LYO")
    assert rights == {("A", par), ("D", par), ("DL", par), ("DA", lyo)}
    # The printed token is the real one: the API recognises it.
    response = server.client.get(f"/api/v1/auth/invitations/{token}")
    assert response.status_code == 200 and response.json()["email"] == "nadia.roux@example.fr"


def test_invite_refuses_an_unknown_agency_in_french(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_on(
        server,
        capsys,
        "invite",
        "--email",
        "x@example.fr",
        "--first-name",
        "X",
        "--last-name",
        "Y",
        "--agency",
        "NOWHERE",
    )

    assert code == 2
    assert out == ""
    assert "Agence inconnue : « NOWHERE »" in err and "Traceback" not in err


def test_integration_key_is_printed_once_and_stored_hashed(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_on(server, capsys, "integration-key", "--brand", "ALTO", "--name", "Paie Silae")

    assert code == 0
    key = out.strip()
    assert key.startswith("ck_") and len(key) > 40
    assert "ne sera plus affichée" in err
    with server.ctx.db.reader() as s:
        row = s.scalars(select(IntegrationKey).where(IntegrationKey.name == "Paie Silae")).one()
        assert (
            s.scalar(select(AuditEvent.id).where(AuditEvent.action == "integration_key.created")) is not None
        )
    assert row.key_hash == token_hash(key)
    assert key not in row.key_hash


def test_a_damaged_database_is_refused_in_french_and_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    garbage = bytes(range(256)) * 64
    (data / "coffreo.sqlite3").write_bytes(garbage)

    for command in (["demo", "--json"], ["migrate"], ["audit", "verify"]):
        code, out, err = run(capsys, data, None, *command)
        assert code == 2, command
        assert "endommagée" in err and "Traceback" not in err
        assert out == ""
    assert (data / "coffreo.sqlite3").read_bytes() == garbage


def test_commands_on_a_folder_without_database_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, tmp_path / "empty", None, "audit", "verify")

    assert code == 2
    assert "Aucune base Coffreo" in err
    assert not (tmp_path / "empty" / "coffreo.sqlite3").exists()


def test_a_bad_smtp_url_is_refused_in_french(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_on(
        server,
        capsys,
        "invite",
        "--email",
        "x@example.fr",
        "--first-name",
        "X",
        "--last-name",
        "Y",
        "--agency",
        "PAR11",
        "--smtp-url",
        "mail.example.fr",
    )

    assert code == 2 and "Adresse SMTP invalide" in err


def test_usage_errors_are_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["migrate"])

    assert exit_info.value.code == 2
    assert "arguments obligatoires manquants : --data-dir" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coffreo_desktop.server", "migrate", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert f"révision {head_revision()}" in result.stdout


def _served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> dict[str, Any]:
    """Run ``serve`` up to uvicorn.run, and return the keyword arguments uvicorn would have received."""
    import uvicorn

    received: dict[str, Any] = {}

    def run(app: Any, **kwargs: Any) -> None:
        received.update(kwargs)
        app.state.ctx.db.dispose()

    monkeypatch.setattr(uvicorn, "run", run)
    assert cli.main(["serve", "--data-dir", str(tmp_path / "data"), *flags]) == 0
    return received


def test_serve_believes_forwarded_headers_from_the_configured_proxies_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COFFREO_TRUSTED_PROXIES", raising=False)
    default = _served(tmp_path, monkeypatch)
    assert default["proxy_headers"] is True and default["forwarded_allow_ips"] == "127.0.0.1"

    monkeypatch.setenv("COFFREO_TRUSTED_PROXIES", "192.0.2.10")
    assert _served(tmp_path, monkeypatch)["forwarded_allow_ips"] == "192.0.2.10"

    flagged = _served(tmp_path, monkeypatch, "--forwarded-allow-ips", "10.0.0.5,10.0.0.6", "--port", "9000")
    assert flagged["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6"  # the option beats the environment
    assert (flagged["host"], flagged["port"]) == ("127.0.0.1", 9000)
    assert "Coffreo écoute sur http://127.0.0.1:9000" in capsys.readouterr().err


def test_serve_access_log_masks_invitation_and_session_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uvicorn.logging import AccessFormatter

    log_config = _served(tmp_path, monkeypatch)["log_config"]
    (filter_id,) = log_config["loggers"]["uvicorn.access"]["filters"]
    factory = log_config["filters"][filter_id]["()"]
    module, _, name = factory.rpartition(".")
    redact = getattr(importlib.import_module(module), name)()
    token = "inv_" + "Ab3-_x" * 7
    # The record exactly as uvicorn's HTTP protocols log a request.
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("203.0.113.7:51000", "POST", f"/invitation/{token}?retour=rt_{'r' * 43}", "1.1", 200),
        None,
    )

    assert redact.filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(
        record
    )
    assert token not in line and "r" * 43 not in line
    assert '203.0.113.7:51000 - "POST /invitation/inv_***?retour=rt_*** HTTP/1.1" 200' in line
