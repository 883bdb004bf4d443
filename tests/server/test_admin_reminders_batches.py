""" "Relancer tous les non activés" in batches (F6.2, issue 7): each call reminds the next REMINDER_BATCH
waiting employees after ``after_id`` in its own transaction and says where the next batch starts; a failure
mid-way keeps the batches before it, and starting again reminds nobody twice. A selection is capped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from coffreo_desktop.domain.limits import REMINDER_BATCH
from coffreo_desktop.server.db.models import Agency, Employee, EmployeeAgency, OutboxMail, Reminder
from coffreo_desktop.server.services import employees_admin, recipient_auth
from tests.server.test_admin_employees import URL, admin, not_activated, not_activated_with_email
from tests.support import ServerHarness

#: The walking tests use batches of this size: the logic is the one of REMINDER_BATCH (500), at a tenth of
#: the employees to create and remind (the real size is checked by the selection cap and the benchmark).
SMALL_BATCH = 40


@pytest.fixture
def batch_size(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(employees_admin, "REMINDER_BATCH", SMALL_BATCH)
    return SMALL_BATCH


def add_waiting(server: ServerHarness, count: int, code: str = "LYO") -> list[int]:
    """``count`` employees of the agency with a vault created and not activated, each with an address."""
    agency = server.agency_id(code)
    now = server.clock()
    with server.session() as s, s.begin():
        found = s.get(Agency, agency)
        assert found is not None
        people = [
            Employee(
                brand_id=found.brand_id,
                matricule=f"LOT{i:06d}",
                first_name="Camille",
                last_name=f"Attente {i}",
                email=f"attente{i}@lots.example.fr",
                created_at=now - timedelta(days=2),
                vault_created_at=now - timedelta(days=1),
            )
            for i in range(count)
        ]
        s.add_all(people)
        s.flush()
        s.add_all(EmployeeAgency(employee_id=e.id, agency_id=agency) for e in people)
        return [e.id for e in people]


def post(server: ServerHarness, headers: dict[str, str], agency: int, body: dict[str, Any]) -> Any:
    return server.client.post(f"{URL}/reminders", params={"agency_id": agency}, json=body, headers=headers)


def batch(
    server: ServerHarness, headers: dict[str, str], agency: int, after_id: int | None
) -> dict[str, Any]:
    answer = post(server, headers, agency, {"all_not_activated": True, "after_id": after_id})
    assert answer.status_code == 200, answer.text[:500]
    result: dict[str, Any] = answer.json()
    return result


def walk(server: ServerHarness, headers: dict[str, str], agency: int) -> list[dict[str, Any]]:
    """Every batch of "relancer tous", following next_after_id from the start."""
    results = [batch(server, headers, agency, None)]
    while results[-1]["next_after_id"] is not None:
        results.append(batch(server, headers, agency, results[-1]["next_after_id"]))
    return results


def looked_at(result: dict[str, Any]) -> list[int]:
    return sorted(
        result["reminded_ids"] + [s["id"] for s in result["skipped"]] + [n["id"] for n in result["not_sent"]]
    )


def reminder_count(server: ServerHarness) -> tuple[int, int]:
    """(reminder history rows, reminder mails in the outbox), read outside any request."""
    with server.ctx.db.reader() as s:
        rows = s.scalar(select(func.count(Reminder.id)).where(Reminder.target_kind == "employee")) or 0
        mails = s.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.subject.contains("Rappel"))) or 0
    return rows, mails


def test_remind_all_walks_batches_to_the_end_with_next_after_id_and_remaining(
    server: ServerHarness, batch_size: int
) -> None:
    lyon = server.agency_id("LYO")
    add_waiting(server, 2 * batch_size + 25)
    headers = admin(server)
    everyone = sorted(e.id for e in not_activated(server, lyon))
    waiting = sorted(e.id for e in not_activated_with_email(server, lyon))
    assert len(waiting) > 2 * batch_size

    results = walk(server, headers, lyon)

    assert len(results) == -(-len(everyone) // batch_size)
    seen: list[int] = []
    for number, result in enumerate(results, start=1):
        ids = looked_at(result)
        assert len(ids) <= batch_size and ids == sorted(set(ids))
        assert not seen or ids[0] > seen[-1], "in id order, no id twice"
        seen += ids
        left = [i for i in everyone if i > ids[-1]]
        if number < len(results):
            assert (result["next_after_id"], result["remaining"]) == (ids[-1], len(left))
        else:
            assert (result["next_after_id"], result["remaining"]) == (None, 0) and left == []
    assert seen == everyone
    assert sorted(i for r in results for i in r["reminded_ids"]) == waiting
    assert reminder_count(server) == (len(waiting), len(waiting))


def test_a_last_batch_that_is_exactly_full_ends_the_walk(server: ServerHarness, batch_size: int) -> None:
    lyon = server.agency_id("LYO")
    existing = len(not_activated(server, lyon))
    assert existing < 2 * batch_size
    add_waiting(server, 2 * batch_size - existing)

    results = walk(server, admin(server), lyon)

    sizes = [(len(looked_at(r)), r["remaining"]) for r in results]
    assert sizes == [(batch_size, batch_size), (batch_size, 0)]
    assert results[-1]["next_after_id"] is None


def test_starting_again_from_the_start_reminds_nobody_twice(server: ServerHarness, batch_size: int) -> None:
    lyon = server.agency_id("LYO")
    add_waiting(server, 2 * batch_size + 10)
    headers = admin(server)
    first = walk(server, headers, lyon)
    before = reminder_count(server)

    again = walk(server, headers, lyon)

    assert len(again) == len(first)
    assert [r["reminded"] for r in again] == [0] * len(again)
    assert sorted(s["id"] for r in again for s in r["skipped"]) == sorted(
        i for r in first for i in r["reminded_ids"]
    )
    assert reminder_count(server) == before


def test_a_failure_in_batch_two_keeps_batch_one_committed_and_a_new_start_continues(
    server: ServerHarness, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    lyon = server.agency_id("LYO")
    add_waiting(server, 2 * batch_size + 50)
    headers = admin(server)
    waiting = sorted(e.id for e in not_activated_with_email(server, lyon))
    broken = waiting[batch_size + 10]  # in the second batch
    real = recipient_auth.activation_token

    def failing(session: Any, person: Employee, **kwargs: Any) -> str | None:
        if person.id == broken:
            raise RuntimeError("panne simulée pendant le lot 2")
        return real(session, person, **kwargs)

    monkeypatch.setattr(recipient_auth, "activation_token", failing)
    one = batch(server, headers, lyon, None)
    two = post(server, headers, lyon, {"all_not_activated": True, "after_id": one["next_after_id"]})

    assert two.status_code == 500
    assert one["reminded"] == batch_size
    assert reminder_count(server) == (batch_size, batch_size), "batch 1 committed, batch 2 not"
    with server.ctx.db.reader() as s:
        mailed = set(s.scalars(select(OutboxMail.to_addr).where(OutboxMail.subject.contains("Rappel"))))
        reminded = Employee.id.in_(one["reminded_ids"])
        emails = set(s.scalars(select(Employee.email).where(reminded)))
    assert mailed == emails and len(emails) == batch_size

    monkeypatch.setattr(recipient_auth, "activation_token", real)
    again = walk(server, headers, lyon)

    assert {s["id"] for s in again[0]["skipped"]} == set(one["reminded_ids"]) and again[0]["reminded"] == 0
    assert sorted(i for r in again for i in r["reminded_ids"]) == waiting[batch_size:]
    assert reminder_count(server) == (len(waiting), len(waiting))


def test_an_explicit_selection_over_a_batch_is_refused_in_french(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    ids = add_waiting(server, REMINDER_BATCH + 1)
    headers = admin(server)

    too_many = post(server, headers, lyon, {"employee_ids": ids})
    exactly = post(server, headers, lyon, {"employee_ids": ids[:REMINDER_BATCH]})

    assert too_many.status_code == 422
    assert too_many.json()["code"] == "too_many_employees"
    assert too_many.json()["detail"] == (
        "500 salariés au plus par demande : envoyez la suite dans une autre demande."
    )
    assert exactly.status_code == 200, exactly.text[:300]
    result = exactly.json()
    assert result["reminded"] == REMINDER_BATCH
    assert (result["next_after_id"], result["remaining"]) == (None, 0)


def test_after_id_without_remind_all_is_refused(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    ids = add_waiting(server, 2)

    answer = post(server, admin(server), lyon, {"employee_ids": ids, "after_id": ids[0]})

    assert answer.status_code == 422 and answer.json()["code"] == "after_id_without_all"


def test_a_selection_together_with_remind_all_is_refused_and_nobody_is_reminded(
    server: ServerHarness,
) -> None:
    lyon = server.agency_id("LYO")
    ids = add_waiting(server, 2)
    with server.ctx.db.reader() as s:
        mails_before = s.scalar(select(func.count(OutboxMail.id)))

    headers = admin(server)
    answer = post(server, headers, lyon, {"employee_ids": ids[:1], "all_not_activated": True})
    negative = post(server, headers, lyon, {"all_not_activated": True, "after_id": -1})

    assert answer.status_code == 422 and answer.json()["code"] == "selection_and_all"
    assert "pas les deux" in answer.json()["detail"]
    assert negative.status_code == 422
    assert (
        negative.json()["detail"] == "Requête invalide : « reprise après le salarié » doit valoir au moins 0."
    )
    with server.ctx.db.reader() as s:
        assert s.scalar(select(func.count(OutboxMail.id))) == mails_before


def test_a_small_establishment_is_one_batch_without_a_next(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    add_waiting(server, 3)
    headers = admin(server)

    (only,) = walk(server, headers, lyon)

    assert only["reminded"] == len(not_activated_with_email(server, lyon)) > 0
    assert (only["next_after_id"], only["remaining"]) == (None, 0)
    assert set(only) == {"reminded", "reminded_ids", "skipped", "not_sent", "next_after_id", "remaining"}
