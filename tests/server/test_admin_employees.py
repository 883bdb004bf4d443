"""Administration "Mes salariés" (F6.2): scope, filters, counts, search as you type, reminders and the 24-hour
rule (across a restart and two concurrent requests), reminder mails on a real SMTP server, the folder."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from coffreo_desktop.domain.limits import REMINDER_INTERVAL
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.search_text import search_key
from coffreo_desktop.server.db.models import Agency, AuditEvent, Employee, EmployeeAgency, OutboxMail
from coffreo_desktop.server.services import employees_admin, recipient_auth
from coffreo_desktop.server.services.audit import Actor
from tests.server.test_mail import Collector, sender, smtp  # noqa: F401 - the SMTP fixture
from tests.server.test_schema_matches_models import move_to
from tests.support import ServerHarness

URL = "/api/v1/admin/employees"
ADMIN = "admin.lyon@exemple.fr"


def admin(server: ServerHarness, code: str = "LYO", email: str = ADMIN) -> dict[str, str]:
    server.make_user(email, {code: (Right.ADMIN,)})
    return server.login(email)


def everyone(
    server: ServerHarness, headers: dict[str, str], agency: int, **params: Any
) -> list[dict[str, Any]]:
    """Every page of a listing, following the cursor."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"agency_id": agency, "limit": 37, **params, **({"cursor": cursor} if cursor else {})}
        response = server.client.get(URL, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        rows += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return rows


LAST = (
    "Martin",
    "Lefèvre",
    "Mörlé",
    "Dupont",
    "De La Fontaine",
    "Éluard",
    "Marchand",
    "N'Diaye",
    "Œuvray",
    "Lam",
)
FIRST = ("Léa", "Marc", "Éloïse", "Ana", "Jean-Pierre", "Zoé", "Malik", "Inès")


def populate(server: ServerHarness, code: str = "LYO", count: int = 120) -> int:
    """Add ``count`` employees to the agency: accented names, one in three activated, one in ten without
    an email, matricules of digits and letters. The demo at test scale has only a handful per agency."""
    agency = server.agency_id(code)
    now = server.clock()
    with server.session() as s, s.begin():
        brand = s.get(Agency, agency)
        assert brand is not None
        for i in range(count):
            employee = Employee(
                brand_id=brand.brand_id,
                matricule=f"{'M' if i % 2 else '0'}{i:05d}",
                first_name=FIRST[i % len(FIRST)],
                last_name=f"{LAST[i % len(LAST)]}{'' if i < 50 else f' {i}'}",
                email="" if i % 10 == 9 else f"salarie{i}.{code.lower()}@exemple.fr",
                created_at=now - timedelta(days=i),
                vault_created_at=now - timedelta(days=i) if i % 5 else None,
                vault_activated_at=now - timedelta(days=1) if i % 3 == 0 and i % 5 else None,
            )
            s.add(employee)
            s.flush()
            s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency))
    return agency


def employees_of(server: ServerHarness, agency: int) -> list[Employee]:
    with server.ctx.db.reader() as s:
        return list(
            s.scalars(
                select(Employee)
                .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
                .where(EmployeeAgency.agency_id == agency)
            )
        )


def not_activated_with_email(server: ServerHarness, agency: int) -> list[Employee]:
    return [waiting for waiting in not_activated(server, agency) if waiting.email]


def not_activated(server: ServerHarness, agency: int) -> list[Employee]:
    """ "Non activés": a vault created (a first document delivered) and not activated."""
    return [
        e
        for e in employees_of(server, agency)
        if e.vault_created_at is not None and e.vault_activated_at is None
    ]


def test_an_administrator_of_another_agency_sees_nothing(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    headers = admin(server, "PAR11", "admin.paris@exemple.fr")
    employee = employees_of(server, lyon)[0]

    assert server.client.get(URL, params={"agency_id": lyon}, headers=headers).status_code == 403
    assert server.client.get(f"{URL}/counts", params={"agency_id": lyon}, headers=headers).status_code == 403
    folder = server.client.get(f"{URL}/{employee.id}", params={"agency_id": lyon}, headers=headers)
    assert folder.status_code == 403
    body = {"employee_ids": [employee.id]}
    reminded = server.client.post(f"{URL}/reminders", params={"agency_id": lyon}, json=body, headers=headers)
    assert reminded.status_code == 403


def test_an_employee_of_another_agency_is_not_found_through_ones_own(server: ServerHarness) -> None:
    lyon, paris = server.agency_id("LYO"), server.agency_id("PAR11")
    headers = admin(server)
    only_paris = {e.id for e in employees_of(server, paris)} - {e.id for e in employees_of(server, lyon)}
    stranger = next(iter(only_paris))

    folder = server.client.get(f"{URL}/{stranger}", params={"agency_id": lyon}, headers=headers)
    body = {"employee_ids": [stranger]}
    reminded = server.client.post(f"{URL}/reminders", params={"agency_id": lyon}, json=body, headers=headers)

    assert folder.status_code == 404 and reminded.status_code == 404
    assert stranger not in {r["id"] for r in everyone(server, headers, lyon)}


def test_the_list_counts_and_filters_match_the_database(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    people = employees_of(server, lyon)

    counts = server.client.get(f"{URL}/counts", params={"agency_id": lyon}, headers=headers).json()
    every = everyone(server, headers, lyon)
    activated = everyone(server, headers, lyon, status="actives")
    waiting = everyone(server, headers, lyon, status="non_actives")

    assert sorted(r["id"] for r in every) == sorted(e.id for e in people)
    assert {r["id"] for r in activated} == {e.id for e in people if e.vault_activated_at is not None}
    assert {r["id"] for r in waiting} == {e.id for e in not_activated(server, lyon)}
    assert len(every) > len(activated) + len(waiting), "some have no vault yet: neither activated nor not"
    assert all(r["activated"] for r in activated) and not any(r["activated"] for r in waiting)
    assert counts == {
        "total": len(people),
        "created": sum(e.vault_created_at is not None for e in people),
        "activated": len(activated),
        "not_activated": len(waiting),
    }
    assert counts["not_activated"] == counts["created"] - counts["activated"]
    keys = [(search_key(r["last_name"]), search_key(r["first_name"]), r["id"]) for r in every]
    assert keys == sorted(keys)  # by last name, first name, across pages


@pytest.mark.parametrize("typed", ["m", "Ma", "MAR", "é", "lé", "0", "00", "a"])
def test_search_as_you_type_matches_a_brute_force_prefix_search(server: ServerHarness, typed: str) -> None:
    lyon = populate(server)
    headers = admin(server)
    key = search_key(typed)
    expected = {
        e.id
        for e in employees_of(server, lyon)
        if any(search_key(v).startswith(key) for v in (e.last_name, e.first_name, e.matricule))
    }

    found = {r["id"] for r in everyone(server, headers, lyon, q=typed)}

    assert found == expected


def test_search_ignores_accents_and_case(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    target = employees_of(server, lyon)[0]
    with server.session() as s, s.begin():
        row = s.get(Employee, target.id)
        assert row is not None
        row.last_name = "Lefèvre-Œstreich"  # an ORM update refreshes the search keys

    for typed in ("lefevre", "LEFÈVRE-OE", "Lefèvre-œs"):
        assert target.id in {r["id"] for r in everyone(server, headers, lyon, q=typed)}, typed
    assert target.id not in {r["id"] for r in everyone(server, headers, lyon, q="lefevres")}


def test_hyphens_and_apostrophes_are_read_as_spaces(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    first, second = employees_of(server, lyon)[:2]
    with server.session() as s, s.begin():
        for employee_id, name in ((first.id, "Le-Gall"), (second.id, "O’Brien")):
            row = s.get(Employee, employee_id)
            assert row is not None
            row.last_name = name

    for typed, wanted in (("le gall", first), ("LE-GALL", first), ("le g", first), ("o brien", second),
                          ("O'Brien", second), ("o’b", second)):  # fmt: skip
        assert wanted.id in {r["id"] for r in everyone(server, headers, lyon, q=typed)}, typed


def test_migration_0007_reads_hyphens_in_the_stored_keys_as_spaces(server: ServerHarness) -> None:
    """A database at 0006 keeps "le-gall" as the key of "Le-Gall"; 0007 computes it again as "le gall"."""
    lyon = populate(server)
    target = employees_of(server, lyon)[0]
    with server.session() as s, s.begin():
        row = s.get(Employee, target.id)
        assert row is not None
        row.last_name = "Le-Gall"
    engine = server.ctx.db.engine
    move_to(engine, "0006")
    with server.ctx.db.reader() as s:
        assert s.scalar(select(Employee.search_last).where(Employee.id == target.id)) == "le-gall"
    move_to(engine, "head")
    with server.ctx.db.reader() as s:
        assert s.scalar(select(Employee.search_last).where(Employee.id == target.id)) == "le gall"


def test_a_tampered_cursor_is_refused(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    response = server.client.get(
        URL, params={"agency_id": lyon, "cursor": "pas-un-curseur"}, headers=admin(server)
    )
    assert response.status_code == 422


def remind(server: ServerHarness, headers: dict[str, str], agency: int, **body: Any) -> dict[str, Any]:
    response = server.client.post(
        f"{URL}/reminders", params={"agency_id": agency}, json=body, headers=headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def reminder_mails(server: ServerHarness) -> list[OutboxMail]:
    with server.ctx.db.reader() as s:
        return list(s.scalars(select(OutboxMail).where(OutboxMail.subject.contains("Rappel"))))


def test_a_reminder_is_refused_within_24_hours_and_says_until_when(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    first, second = not_activated_with_email(server, lyon)[:2]

    once = remind(server, headers, lyon, employee_ids=[first.id])
    server.clock.advance(hours=23)
    headers = server.login(ADMIN)  # the access token of the morning has expired
    again = remind(server, headers, lyon, employee_ids=[first.id, second.id])

    assert once["reminded"] == 1 and once["skipped"] == []
    assert again["reminded"] == 1 and again["reminded_ids"] == [second.id]
    [skipped] = again["skipped"]
    assert (skipped["id"], skipped["name"]) == (first.id, f"{first.first_name} {first.last_name}")
    until = server.clock() - timedelta(hours=23) + REMINDER_INTERVAL
    assert datetime.fromisoformat(skipped["until"]) == until
    assert [m.to_addr for m in reminder_mails(server)] == [first.email, second.email]
    server.clock.advance(hours=1)
    assert remind(server, server.login(ADMIN), lyon, employee_ids=[first.id])["reminded"] == 1
    with server.ctx.db.reader() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent")).all()
    assert len(events) == 3


def test_an_activated_or_addressless_employee_is_not_reminded_and_says_why(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    active = next(e for e in employees_of(server, lyon) if e.vault_activated_at is not None)
    silent = not_activated_with_email(server, lyon)[0]
    with server.session() as s, s.begin():
        s.execute(update(Employee).where(Employee.id == silent.id).values(email=""))

    result = remind(server, headers, lyon, employee_ids=[active.id, silent.id])

    assert result["reminded"] == 0
    assert {n["id"]: n["reason"] for n in result["not_sent"]} == {
        active.id: "Son coffre-fort est déjà activé.",
        silent.id: "Aucune adresse e-mail n'est enregistrée pour ce salarié.",
    }
    assert remind(server, headers, lyon, employee_ids=[silent.id])["not_sent"]  # no 24 hours started


def test_remind_all_reaches_every_not_activated_employee_once(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    waiting = not_activated_with_email(server, lyon)

    result = remind(server, headers, lyon, all_not_activated=True)
    again = remind(server, headers, lyon, all_not_activated=True)

    assert sorted(result["reminded_ids"]) == sorted(e.id for e in waiting)
    assert again["reminded"] == 0 and {s["id"] for s in again["skipped"]} == {e.id for e in waiting}


def test_the_24_hour_rule_holds_across_a_server_restart(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    target = not_activated_with_email(server, lyon)[0]
    remind(server, headers, lyon, employee_ids=[target.id])
    server.close()

    restarted = ServerHarness.start(server.settings, server.clock)
    try:
        result = remind(restarted, restarted.login(ADMIN), lyon, employee_ids=[target.id])
    finally:
        restarted.close()

    assert result["reminded"] == 0 and [s["id"] for s in result["skipped"]] == [target.id]


def remind_at_once(
    server: ServerHarness,
    lyon: int,
    selections: list[list[int]],
    monkeypatch: pytest.MonkeyPatch,
    slow_for: dict[int, float] | None = None,
) -> list[Any]:
    """Each selection reminded by its own app (own engine and sessions: another process) at the same time;
    the results, or the exceptions raised. Preparing a mail takes 0.3 s, or ``slow_for[employee id]``."""
    # The mail takes a while to prepare: without the lock, both would read "not reminded" first.
    slow = recipient_auth.activation_token

    def slow_token(session: Any, person: Employee, **kwargs: Any) -> str | None:
        time.sleep((slow_for or {}).get(person.id, 0.3))
        return slow(session, person, **kwargs)

    monkeypatch.setattr(recipient_auth, "activation_token", slow_token)
    harnesses = [server] + [ServerHarness.start(server.settings, server.clock) for _ in selections[1:]]
    results: list[Any] = []
    barrier = threading.Barrier(len(selections))

    def run(harness: ServerHarness, ids: list[int]) -> None:
        barrier.wait()
        try:
            with harness.session() as s, s.begin():
                results.append(
                    employees_admin.remind(
                        s, lyon, employee_ids=ids, actor=Actor.system(), settings=harness.settings,
                        now=harness.clock(),
                    )
                )  # fmt: skip
        except Exception as exc:
            results.append(exc)

    try:
        threads = [
            threading.Thread(target=run, args=pair) for pair in zip(harnesses, selections, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        for harness in harnesses[1:]:
            harness.close()
    return results


@pytest.mark.parametrize("reminded_before", [False, True], ids=["first-reminder", "after-24-hours"])
def test_two_concurrent_reminders_of_the_same_employee_send_one_mail(
    server: ServerHarness, reminded_before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second case has the slot row already there (reminded 25 hours ago): its lock decides."""
    lyon = populate(server, count=10)
    target = not_activated_with_email(server, lyon)[0]
    if reminded_before:
        remind(server, admin(server), lyon, employee_ids=[target.id])
        server.clock.advance(hours=25)

    results = remind_at_once(server, lyon, [[target.id], [target.id]], monkeypatch)

    assert sorted(r.reminded for r in results) == [0, 1]
    assert [m.to_addr for m in reminder_mails(server)] == [target.email] * (2 if reminded_before else 1)


def test_overlapping_bulk_reminders_at_once_both_finish(
    server: ServerHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[a, b] and [z, a] at once (z < a < b): neither waits forever on the other (no deadlock between the
    reminder slots and the audit trail), and a is reminded once."""
    lyon = populate(server, count=10)
    z, a, b = sorted(e.id for e in not_activated_with_email(server, lyon))[:3]

    # z's mail is quick, a's slow: the second reminder has audited z while the first still prepares a's mail.
    results = remind_at_once(server, lyon, [[a, b], [z, a]], monkeypatch, {z: 0.05, a: 0.6, b: 0.05})

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(i for r in results for i in r.reminded_ids) == [z, a, b]
    assert len(reminder_mails(server)) == 3


def test_reminder_mails_reach_a_real_smtp_server(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    lyon = populate(server, count=10)
    targets = not_activated_with_email(server, lyon)[:3]
    remind(server, admin(server), lyon, employee_ids=[e.id for e in targets])
    with server.session() as s, s.begin():  # only the reminders: the demo's own mails are not the subject
        s.execute(
            update(OutboxMail).where(~OutboxMail.subject.contains("Rappel")).values(sent_at=server.clock())
        )

    report = sender(server, f"smtp://127.0.0.1:{port}").flush()

    assert report.sent == 3
    assert sorted(e.rcpt_tos[0] for e in handler.envelopes) == sorted(e.email for e in targets)
    message = handler.messages()[0]
    assert "Rappel : activez votre coffre-fort numérique" in message["Subject"]
    plain = message.get_body(("plain",))
    assert plain is not None and "/coffre/activation/act_" in plain.get_content()


def test_the_folder_shows_profile_agencies_opposition_and_documents(server: ServerHarness) -> None:
    lyon = populate(server)
    headers = admin(server)
    employee = max(
        employees_of(server, lyon), key=lambda e: e.last_document_at or server.clock() - timedelta(days=9999)
    )
    opposed = server.clock() - timedelta(days=3)
    with server.session() as s, s.begin():
        s.execute(update(Employee).where(Employee.id == employee.id).values(edelivery_opposed_at=opposed))

    folder = server.client.get(f"{URL}/{employee.id}", params={"agency_id": lyon}, headers=headers).json()

    assert folder["matricule"] == employee.matricule and folder["edelivery_opposed"] is True
    assert folder["edelivery_opposed_at"].startswith(opposed.strftime("%Y-%m-%dT%H:%M"))
    assert lyon in {a["id"] for a in folder["agencies"]}
    assert folder["documents"], "the demo delivers documents to this employee"
    first = folder["documents"][0]
    assert set(first) == {"id", "title", "doc_type", "document_date", "delivered_at"}
    pdf = server.client.get(f"/api/v1/documents/{first['id']}/file", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_migration_0006_fills_the_search_keys_of_existing_employees(server: ServerHarness) -> None:
    """A database upgraded from 0005 (employees already there) is searchable at once, and 0006 goes down."""
    engine = server.ctx.db.engine
    move_to(engine, "0005")
    move_to(engine, "head")

    with server.ctx.db.reader() as s:
        rows = s.execute(
            select(Employee.last_name, Employee.first_name, Employee.matricule, Employee.search_last,
                   Employee.search_first, Employee.search_matricule)
        ).all()  # fmt: skip
    assert rows
    assert all(r[3:] == (search_key(r[0]), search_key(r[1]), search_key(r[2])) for r in rows)
