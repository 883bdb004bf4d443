"""The 24-hour reminder rule per mailbox (F6.2-3, issue 7): the same person with two Employee rows, or the
same address as user of two clients, is reminded once per 24 hours whatever the row; two concurrent
reminders of one mailbox through different rows send one mail; migration 0008 moves the slots and back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from coffreo_desktop.domain.limits import REMINDER_INTERVAL
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    Company,
    Employee,
    EmployeeAgency,
    OutboxMail,
    ReminderSlot,
)
from coffreo_desktop.server.db.models.base import UTCDateTime
from tests.server import test_admin_clients as clients
from tests.server.test_admin_employees import remind, remind_at_once
from tests.server.test_schema_matches_models import move_to
from tests.support import ServerHarness

ADMIN = "admin.deux.marques@exemple.fr"
SHARED = "Jeanne.Roy@Exemple.fr"
CLIENTS_ADMIN = "chef.clients@exemple.fr"  # tests/server/test_admin_clients.py admin()


def add_employee(server: ServerHarness, code: str, email: str, matricule: str) -> int:
    """A not-activated employee (vault created) of the agency ``code``, in that agency's brand."""
    agency = server.agency_id(code)
    with server.session() as s, s.begin():
        found = s.get(Agency, agency)
        assert found is not None
        row = Employee(
            brand_id=found.brand_id,
            matricule=matricule,
            first_name="Jeanne",
            last_name="Roy",
            email=email,
            created_at=server.clock() - timedelta(days=3),
            vault_created_at=server.clock() - timedelta(days=2),
        )
        s.add(row)
        s.flush()
        s.add(EmployeeAgency(employee_id=row.id, agency_id=agency))
        return row.id


def other_brand_agency(server: ServerHarness, code: str) -> str:
    """An agency of another brand than ``code``'s (created: the demo at test scale has one brand)."""
    now = server.clock()
    with server.session() as s, s.begin():
        brand = Brand(code="AUTRE", name="Autre Marque", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Autre Société", created_at=now)
        s.add(company)
        s.flush()
        s.add(
            Agency(company_id=company.id, brand_id=brand.id, code="AUT1", name="Autre agence", created_at=now)
        )
        mine = s.scalars(select(Agency.brand_id).where(Agency.code == code)).one()
        assert mine != brand.id
    return "AUT1"


def mails_to(server: ServerHarness, address: str) -> list[OutboxMail]:
    """Reminder mails to this mailbox, whatever the case and spaces of the address they were sent to."""
    with server.ctx.db.reader() as s:
        mails = s.scalars(select(OutboxMail).where(OutboxMail.subject.contains("Rappel"))).all()
    return [m for m in mails if m.to_addr.strip().lower() == address.strip().lower()]


def test_the_same_person_in_two_brands_is_skipped_through_the_other_row_within_24_hours(
    server: ServerHarness,
) -> None:
    other = other_brand_agency(server, "LYO")
    row_a = add_employee(server, "LYO", SHARED, "DEUX-A")
    row_b = add_employee(server, other, "  jeanne.roy@exemple.fr ", "DEUX-B")
    server.make_user(ADMIN, {"LYO": (Right.ADMIN,), other: (Right.ADMIN,)})
    lyon, elsewhere = server.agency_id("LYO"), server.agency_id(other)
    sent_at = server.clock()

    through_a = remind(server, server.login(ADMIN), lyon, employee_ids=[row_a])
    server.clock.advance(hours=23, minutes=59)
    through_b = remind(server, server.login(ADMIN), elsewhere, employee_ids=[row_b])
    server.clock.advance(minutes=1)
    after_24_hours = remind(server, server.login(ADMIN), elsewhere, employee_ids=[row_b])

    assert through_a["reminded_ids"] == [row_a]
    assert through_b["reminded"] == 0 and through_b["not_sent"] == []
    [skipped] = through_b["skipped"]
    assert skipped["id"] == row_b
    assert datetime.fromisoformat(skipped["until"]) == sent_at + REMINDER_INTERVAL
    assert after_24_hours["reminded_ids"] == [row_b]
    assert len(mails_to(server, SHARED)) == 2


def test_the_same_address_as_user_of_two_clients_is_skipped_through_the_other_within_24_hours(
    server: ServerHarness,
) -> None:
    clients.admin(server, CLIENTS_ADMIN)
    one, (first,) = clients.make_client(server, "Alpha Boîte", [("Paul.Roy@Boite.fr", False)])
    two, (second,) = clients.make_client(server, "Beta Boîte", [("paul.roy@boite.fr", False)])
    sent_at = server.clock()

    def envelope(cid: int, uid: int) -> dict[str, Any]:
        url = f"{clients.BASE}/{cid}/users/{uid}/remind"
        answer = server.client.post(url, params=clients.params(server), headers=server.login(CLIENTS_ADMIN))
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    through_one = envelope(one, first)
    server.clock.advance(hours=12)
    through_two = envelope(two, second)
    bulk_two = clients.remind(server, server.login(CLIENTS_ADMIN), [two]).json()
    server.clock.advance(hours=12)
    after_24_hours = envelope(two, second)

    assert through_one["reminded"] == 1
    assert through_two["reminded"] == 0
    [skipped] = through_two["skipped"]
    assert skipped["id"] == second
    assert datetime.fromisoformat(skipped["until"]) == sent_at + REMINDER_INTERVAL
    assert bulk_two["reminded"] == 0 and [u["id"] for u in bulk_two["skipped_users"]] == [second]
    assert after_24_hours["reminded"] == 1
    assert len(mails_to(server, "paul.roy@boite.fr")) == 2


@pytest.mark.parametrize("reminded_before", [False, True], ids=["first-reminder", "after-24-hours"])
def test_two_concurrent_reminders_of_one_mailbox_through_two_rows_send_one_mail(
    server: ServerHarness, reminded_before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each request names a different row of the same mailbox; the slot row is the mailbox's, so its lock
    decides (the second case has it already, from a reminder 25 hours ago)."""
    lyon = server.agency_id("LYO")
    row_a = add_employee(server, "LYO", SHARED, "CONC-A")
    row_b = add_employee(server, "LYO", " JEANNE.ROY@exemple.fr", "CONC-B")
    if reminded_before:
        server.make_user(ADMIN, {"LYO": (Right.ADMIN,)})
        remind(server, server.login(ADMIN), lyon, employee_ids=[row_a])
        server.clock.advance(hours=25)

    results = remind_at_once(server, lyon, [[row_a], [row_b]], monkeypatch)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.reminded for r in results) == [0, 1]
    (loser,) = [r for r in results if r.reminded == 0]
    assert len(loser.skipped) == 1 and loser.not_sent == []
    assert len(mails_to(server, SHARED)) == (2 if reminded_before else 1)


def test_migration_0008_moves_the_slots_to_the_mailbox_and_goes_back(server: ServerHarness) -> None:
    """Two rows of one address keep the later time; a slot of a row without address or gone is dropped;
    the downgrade gives each row of an address its slot back."""
    now = server.clock()
    row_a = add_employee(server, "LYO", "Paul.Durand@Exemple.fr", "MIG-A")
    row_b = add_employee(server, "LYO", "  paul.durand@exemple.fr", "MIG-B")
    alone = add_employee(server, "LYO", "seul@exemple.fr", "MIG-C")
    silent = add_employee(server, "LYO", "", "MIG-D")
    _, (user,) = clients.make_client(server, "Migration", [("Client@Exemple.fr", False)])
    old = sa.table(
        "reminder_slots",
        sa.column("target_kind"),
        sa.column("target_id"),
        sa.column("last_sent_at", UTCDateTime()),
    )
    engine = server.ctx.db.engine
    move_to(engine, "0007")
    with engine.begin() as conn:
        conn.execute(
            old.insert(),
            [
                {"target_kind": "employee", "target_id": row_a, "last_sent_at": now - timedelta(hours=30)},
                {"target_kind": "employee", "target_id": row_b, "last_sent_at": now - timedelta(hours=2)},
                {"target_kind": "employee", "target_id": alone, "last_sent_at": None},
                {"target_kind": "employee", "target_id": silent, "last_sent_at": now - timedelta(hours=1)},
                {"target_kind": "employee", "target_id": 10**12, "last_sent_at": now},
                {"target_kind": "client_user", "target_id": user, "last_sent_at": now - timedelta(hours=3)},
            ],
        )

    move_to(engine, "head")
    with server.ctx.db.reader() as s:
        moved = {(k, a): t for k, a, t in s.execute(select(ReminderSlot.target_kind, ReminderSlot.address,
                                                              ReminderSlot.last_sent_at))}  # fmt: skip
    move_to(engine, "0007")
    with engine.connect() as conn:
        back = {
            (k, i): t
            for k, i, t in conn.execute(select(old.c.target_kind, old.c.target_id, old.c.last_sent_at))
        }
    move_to(engine, "head")

    assert moved == {
        ("employee", "paul.durand@exemple.fr"): now - timedelta(hours=2),
        ("employee", "seul@exemple.fr"): None,
        ("client_user", "client@exemple.fr"): now - timedelta(hours=3),
    }
    assert back == {
        ("employee", row_a): now - timedelta(hours=2),
        ("employee", row_b): now - timedelta(hours=2),
        ("employee", alone): None,
        ("client_user", user): now - timedelta(hours=3),
    }
    server.make_user(ADMIN, {"LYO": (Right.ADMIN,)})
    again = remind(server, server.login(ADMIN), server.agency_id("LYO"), employee_ids=[row_a, alone])
    assert again["reminded_ids"] == [alone]
    assert [(s["id"], datetime.fromisoformat(s["until"])) for s in again["skipped"]] == [
        (row_a, now - timedelta(hours=2) + REMINDER_INTERVAL)
    ]
