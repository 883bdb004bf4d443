"""Administration (issue 7) review fixes: deleting a client user who received a document, the folder's
agencies scoped to the caller, bounded cursors, vault counts, large reminders, duplicate users at once,
bulk client reminders reporting skipped users and one mail per mailbox per call."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from coffreo_desktop.domain.documents import DocumentType
from coffreo_desktop.domain.limits import REMINDER_INTERVAL
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import (
    Agency,
    ClientUser,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    OutboxMail,
)
from coffreo_desktop.server.services import clients_admin_users, reminders
from tests.server import test_admin_employees as employees
from tests.server.test_admin_clients import BASE, admin, mails_to, make_client, params, remind
from tests.support import ServerHarness


def test_deleting_a_client_user_who_received_a_document_keeps_the_delivery_for_the_company(
    server: ServerHarness,
) -> None:
    headers = admin(server)
    cid, (uid,) = make_client(server, "Livrée", [("recu@livree.fr", True)])
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency).where(Agency.code == "PAR11")).one()
        doc = Document(
            agency_id=agency.id,
            doc_type=DocumentType.INVOICE,
            title="Facture 1",
            file_name="f1.pdf",
            blob_sha256="0" * 64,
            size=10,
            pages=1,
            client_id=cid,
            document_date=date(2026, 1, 31),
            created_at=server.clock(),
            changed_at=server.clock(),
        )
        s.add(doc)
        s.flush()
        s.add(Delivery(document_id=doc.id, client_user_id=uid, client_id=cid, delivered_at=server.clock()))

    deleted = server.client.delete(f"{BASE}/{cid}/users/{uid}", params=params(server), headers=headers)

    assert deleted.status_code == 204, deleted.text
    with server.ctx.db.reader() as s:
        (kept,) = s.scalars(select(Delivery).where(Delivery.client_id == cid))
        assert kept.client_user_id is None and kept.document_id is not None


def test_the_folder_lists_only_the_establishments_the_caller_can_see(server: ServerHarness) -> None:
    lyon, paris = server.agency_id("LYO"), server.agency_id("PAR11")
    with server.ctx.db.reader() as s:
        employee_id = s.scalars(
            select(EmployeeAgency.employee_id)
            .where(EmployeeAgency.agency_id == lyon)
            .order_by(EmployeeAgency.id)
        ).first()
    assert employee_id is not None
    with server.session() as s, s.begin():
        if (
            s.scalars(
                select(EmployeeAgency).where(
                    EmployeeAgency.employee_id == employee_id, EmployeeAgency.agency_id == paris
                )
            ).first()
            is None
        ):
            s.add(EmployeeAgency(employee_id=employee_id, agency_id=paris))
    lyon_only = employees.admin(server)
    server.make_user("deux@exemple.fr", {"LYO": (Right.ADMIN,), "PAR11": (Right.DIFFUSION,)})
    both = server.login("deux@exemple.fr")

    def agencies(headers: dict[str, str]) -> set[int]:
        url = f"{employees.URL}/{employee_id}"
        answer = server.client.get(url, params={"agency_id": lyon}, headers=headers)
        assert answer.status_code == 200, answer.text
        return {a["id"] for a in answer.json()["agencies"]}

    assert agencies(lyon_only) == {lyon}
    assert agencies(both) == {lyon, paris}


@pytest.mark.parametrize("row_id", [2**70, 2**63, 0, -1, True])
def test_a_cursor_with_an_out_of_range_id_is_refused_with_422(server: ServerHarness, row_id: object) -> None:
    lyon = server.agency_id("LYO")
    cursor = base64.urlsafe_b64encode(json.dumps(["a", "b", row_id]).encode()).decode()

    answer = server.client.get(
        employees.URL, params={"agency_id": lyon, "cursor": cursor}, headers=employees.admin(server)
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_cursor"


@contextmanager
def widest_statement(server: ServerHarness) -> Iterator[list[int]]:
    """The largest number of bind parameters of any statement run meanwhile (as the one item of a list)."""
    widest = [0]

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        widest[0] = max(widest[0], len(parameters) if isinstance(parameters, (tuple, list, dict)) else 0)

    event.listen(server.ctx.db.engine, "before_cursor_execute", count)
    try:
        yield widest
    finally:
        event.remove(server.ctx.db.engine, "before_cursor_execute", count)


def test_reminding_100000_ids_is_refused_in_french_before_any_query(server: ServerHarness) -> None:
    """A selection is at most REMINDER_BATCH ids (the desktop sends the rest in other requests): 100,000
    ids are refused with a French 422, not a 500 from the database."""
    lyon = server.agency_id("LYO")
    headers = employees.admin(server)
    real = employees.not_activated_with_email(server, lyon)[0].id
    ids = [real, *range(10**12, 10**12 + 99_999)]  # the others exist nowhere

    on_employees: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if re.search(r"\b(employees|employee_agencies|reminder_slots)\b", statement):
            on_employees.append(statement)

    event.listen(server.ctx.db.engine, "before_cursor_execute", seen)
    try:
        with widest_statement(server) as widest:
            answer = server.client.post(
                f"{employees.URL}/reminders",
                params={"agency_id": lyon},
                json={"employee_ids": ids},
                headers=headers,
            )
    finally:
        event.remove(server.ctx.db.engine, "before_cursor_execute", seen)

    assert answer.status_code == 422, answer.text[:300]
    assert answer.json()["code"] == "too_many_employees"
    assert answer.json()["detail"].startswith("500 salariés au plus par demande")
    assert on_employees == []  # refused before reading anyone
    assert widest[0] <= reminders.IN_CHUNK + 10


def test_a_reminder_chunked_in_small_slices_still_reaches_everyone_in_one_go(
    server: ServerHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    lyon = employees.populate(server, count=60)
    headers = employees.admin(server)
    waiting = employees.not_activated_with_email(server, lyon)
    monkeypatch.setattr(reminders, "IN_CHUNK", 7)

    with widest_statement(server) as widest:
        result = employees.remind(server, headers, lyon, employee_ids=[e.id for e in waiting])

    assert sorted(result["reminded_ids"]) == sorted(e.id for e in waiting) and len(waiting) > 7
    assert widest[0] <= 7 + 10


def test_two_administrators_adding_the_same_email_at_once_get_one_user_and_a_409(
    server: ServerHarness, database_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): both cannot pass the check at once")
    headers = admin(server)
    cid, _ = make_client(server, "Concurrente")
    both_checked = threading.Barrier(2, timeout=20)
    valid = clients_admin_users.is_valid_email
    mail = clients_admin_users.invitation_mail

    def checked_together(address: str) -> bool:
        both_checked.wait()  # then both look for the address before either has inserted it
        return valid(address)

    def slow_mail(*args: Any, **kwargs: Any) -> str:
        time.sleep(0.5)  # the first insert stays uncommitted while the second one runs into it
        return mail(*args, **kwargs)

    monkeypatch.setattr(clients_admin_users, "is_valid_email", checked_together)
    monkeypatch.setattr(clients_admin_users, "invitation_mail", slow_mail)
    other = ServerHarness.start(server.settings, server.clock)
    answers: list[Any] = []

    def add(harness: ServerHarness) -> None:
        body = {
            "email": "meme@exemple.fr",
            "civility": "Mme",
            "first_name": "Iris",
            "last_name": "Roy",
            "rights": [],
        }
        url = f"{BASE}/{cid}/invitations"
        try:
            answers.append(harness.client.post(url, params=params(server), json=body, headers=headers))
        except Exception as exc:  # a 500 raised through the test client
            answers.append(exc)

    try:
        threads = [threading.Thread(target=add, args=(h,)) for h in (server, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        other.close()

    assert sorted(getattr(a, "status_code", 500) for a in answers) == [201, 409], answers
    (refused,) = [a for a in answers if a.status_code == 409]
    assert refused.json()["code"] == "duplicate_user"
    with server.ctx.db.reader() as s:
        assert len(s.scalars(select(ClientUser).where(ClientUser.client_id == cid)).all()) == 1


def test_a_bulk_client_reminder_reports_the_users_skipped_inside_24_hours(server: ServerHarness) -> None:
    headers = admin(server)
    cid, (early, _late) = make_client(
        server, "Partielle", [("tot@partielle.fr", False), ("tard@partielle.fr", False)]
    )
    first = server.client.post(f"{BASE}/{cid}/users/{early}/remind", params=params(server), headers=headers)
    assert first.json()["reminded"] == 1

    bulk = remind(server, headers, [cid]).json()

    assert bulk["reminded"] == 1 and bulk["skipped"] == []
    (left_out,) = bulk["skipped_users"]
    assert (left_out["id"], left_out["name"]) == (early, "Anne Tot")
    assert datetime.fromisoformat(left_out["until"]) == server.clock() + REMINDER_INTERVAL
    assert len(mails_to(server, "tot@partielle.fr")) == 1 and len(mails_to(server, "tard@partielle.fr")) == 1


def test_one_bulk_reminder_mails_an_address_shared_by_two_clients_users_once(server: ServerHarness) -> None:
    headers = admin(server)
    one, (_first,) = make_client(server, "Alpha Partage", [("commun@partage.fr", False)])
    two, (second,) = make_client(server, "Beta Partage", [("Commun@Partage.fr", False)])

    bulk = remind(server, headers, [one, two]).json()

    with server.ctx.db.reader() as s:
        mails = s.scalars(
            select(OutboxMail).where(func.lower(OutboxMail.to_addr) == "commun@partage.fr")
        ).all()
    assert len(mails) == 1
    assert bulk["reminded"] == 1
    assert [(c["id"], c["until"]) for c in bulk["skipped"]] == [(two, None)]
    (left_out,) = bulk["skipped_users"]
    assert left_out["id"] == second and "même adresse" in left_out["reason"].lower()
    # The 24-hour rule is the mailbox's: reminding the second client's user at once is refused too.
    again = remind(server, headers, [two]).json()
    assert again["reminded"] == 0
    assert [(c["id"], datetime.fromisoformat(c["until"])) for c in again["skipped"]] == [
        (two, server.clock() + REMINDER_INTERVAL)
    ]


def test_one_employee_reminder_mails_a_shared_address_once(server: ServerHarness) -> None:
    lyon = employees.populate(server, count=20)
    headers = employees.admin(server)
    a, b = employees.not_activated_with_email(server, lyon)[:2]
    with server.session() as s, s.begin():
        s.execute(update(Employee).where(Employee.id == b.id).values(email=a.email.upper()))

    result = employees.remind(server, headers, lyon, employee_ids=[a.id, b.id])

    assert result["reminded_ids"] == [min(a.id, b.id)]
    (not_sent,) = result["not_sent"]
    assert not_sent["id"] == max(a.id, b.id) and "même adresse" in not_sent["reason"]
    with server.ctx.db.reader() as s:
        mails = s.scalars(select(OutboxMail).where(func.lower(OutboxMail.to_addr) == a.email.lower())).all()
    assert len([m for m in mails if "Rappel" in m.subject]) == 1
