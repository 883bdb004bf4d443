"""The hash-chained audit trail: a clean chain verifies; a changed or deleted row is found, by the service and
by ``coffreo-server audit verify``; concurrent writers keep the chain valid."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select, text

from coffreo_desktop.server import cli
from coffreo_desktop.server.db.models import AuditEvent
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from tests.support import ServerHarness


def run_cli(server: ServerHarness, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    argv = [*args, "--data-dir", str(server.settings.data_dir)]
    if server.settings.database_url:
        argv += ["--database-url", server.settings.database_url]
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def append_events(server: ServerHarness, count: int) -> list[int]:
    ids = []
    for index in range(count):
        with server.session() as s, s.begin():
            event = audit.record(
                s,
                Actor("staff", 1),
                "document.deleted",
                "document",
                1000 + index,
                agency_id=1,
                details={"title": f"Contrat n° {index}", "motif": "doublon"},
            )
            ids.append(event.id)
    return ids


def verify(server: ServerHarness) -> audit.VerifyResult:
    with server.ctx.db.reader() as s:
        return audit.verify(s)


def tamper(server: ServerHarness, sql: str, **params: object) -> None:
    with server.ctx.db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_a_clean_chain_verifies_by_service_and_cli(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    append_events(server, 4)

    result = verify(server)
    code, out, _ = run_cli(server, capsys, "audit", "verify")

    assert result.ok and result.first_bad_id is None
    assert result.checked == 5  # the demo's own event, then ours
    assert code == 0
    assert out.strip() == "Journal d'audit intègre : 5 événements vérifiés."


def test_changed_details_are_detected_naming_the_first_bad_row(
    server: ServerHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = append_events(server, 5)
    target = ids[2]
    forged = json.dumps({"title": "Contrat n° 2", "motif": "demande du salarié"})
    cast = ":d" if server.ctx.db.is_sqlite else "CAST(:d AS JSON)"
    tamper(server, f"UPDATE audit_events SET details = {cast} WHERE id = :id", d=forged, id=target)

    result = verify(server)
    code, out, _ = run_cli(server, capsys, "audit", "verify")

    assert not result.ok
    assert result.first_bad_id == target
    assert result.checked == target - 1
    assert code == 1
    assert f"Journal d'audit altéré : première ligne en défaut n° {target}" in out
    assert "modifiée" in out


def test_changed_action_is_detected(server: ServerHarness, capsys: pytest.CaptureFixture[str]) -> None:
    ids = append_events(server, 3)
    tamper(server, "UPDATE audit_events SET action = 'document.viewed' WHERE id = :id", id=ids[0])

    code, out, _ = run_cli(server, capsys, "audit", "verify")

    assert verify(server).first_bad_id == ids[0]
    assert code == 1
    assert f"n° {ids[0]} " in out


def test_a_row_rewritten_with_a_recomputed_hash_still_breaks_the_next_row(server: ServerHarness) -> None:
    """Recomputing a forged row's own hash is not enough: the next row chains onto the original hash."""
    ids = append_events(server, 3)
    with server.ctx.db.reader() as s:
        row = s.get(AuditEvent, ids[1])
        assert row is not None
        content = audit._canonical(
            row.id,
            row.at,
            Actor(row.actor_kind, row.actor_id),
            "document.restored",
            row.target_type,
            row.target_id,
            row.agency_id,
            row.details,
        )
        forged_hash = audit.chain_hash(row.prev_hash, content)
    tamper(
        server,
        "UPDATE audit_events SET action = 'document.restored', hash = :h WHERE id = :id",
        h=forged_hash,
        id=ids[1],
    )

    assert verify(server).first_bad_id == ids[2]


def test_deleted_row_is_detected(server: ServerHarness, capsys: pytest.CaptureFixture[str]) -> None:
    ids = append_events(server, 5)
    tamper(server, "DELETE FROM audit_events WHERE id = :id", id=ids[1])

    result = verify(server)
    code, out, _ = run_cli(server, capsys, "audit", "verify")

    assert not result.ok
    assert result.first_bad_id == ids[1]
    assert "manquante" in result.reason
    assert code == 1
    assert f"première ligne en défaut n° {ids[1]} (ligne {ids[1]} manquante)" in out


def test_deleting_the_last_rows_is_detected_by_the_head(server: ServerHarness) -> None:
    ids = append_events(server, 3)
    tamper(server, "DELETE FROM audit_events WHERE id >= :id", id=ids[1])

    result = verify(server)

    assert not result.ok
    assert result.first_bad_id == ids[1]


def test_concurrent_appends_from_two_threads_keep_a_valid_chain(server: ServerHarness) -> None:
    per_thread = 25
    before = verify(server).checked
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait()
            for index in range(per_thread):
                with server.session() as s, s.begin():
                    audit.record(s, Actor("system"), "test.append", "thread", name, details={"n": index})
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    result = verify(server)
    assert result.ok, result.reason
    assert result.checked == before + 2 * per_thread
    with server.ctx.db.reader() as s:
        assert (
            s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "test.append"))
            == 50
        )
