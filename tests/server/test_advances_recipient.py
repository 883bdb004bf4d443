"""A worker's salary advances through the recipient API (F5.1, F5.2, F5.6): the agencies they may ask with
today's maximum, a request for an amount or for the maximum, every refused amount, one open request per
agency (also when two arrive at once), cancelling while "Envoyée" only, the list and its sorts, and
nothing of another worker's."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import select, update

from coffreo_desktop.domain.advances import format_euros
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import (
    AdvanceRequest,
    Agency,
    AuditEvent,
    Earning,
    Employee,
    EmployeeAgency,
    RecipientAccount,
)
from coffreo_desktop.server.security import hash_password
from tests.server.advance_helpers import set_service
from tests.server.recipient_helpers import login, other_brand
from tests.support import PASSWORD, ServerHarness

URL = "/api/v1/recipient/advances"
TODAY = date(2026, 3, 16)  # the harness clock's Paris date


def add_worker(
    server: ServerHarness, email: str, *agency_codes: str, matricule: str = "W001"
) -> dict[str, str]:
    """A worker with an activated vault: one Employee row per employer (brand) of ``agency_codes``."""
    now = server.clock()
    with server.session() as s, s.begin():
        rows: dict[int, Employee] = {}
        for code in agency_codes:
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            if agency.brand_id not in rows:
                rows[agency.brand_id] = Employee(
                    brand_id=agency.brand_id,
                    matricule=f"{matricule}-{agency.brand_id}",
                    first_name="Inès",
                    last_name="Moreau",
                    email=email,
                    created_at=now,
                    vault_activated_at=now,
                )
                s.add(rows[agency.brand_id])
                s.flush()
            s.add(EmployeeAgency(employee_id=rows[agency.brand_id].id, agency_id=agency.id, since=now))
        s.add(
            RecipientAccount(
                kind="employee",
                email=email,
                password_hash=hash_password(PASSWORD),
                created_at=now,
                activated_at=now,
            )
        )
    return login(server, email, "employee")


def employee_id(server: ServerHarness, email: str, agency_code: str) -> int:
    with server.session() as s:
        return s.scalars(
            select(Employee.id)
            .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
            .join(Agency, Agency.id == EmployeeAgency.agency_id)
            .where(Employee.email == email, Agency.code == agency_code)
        ).one()


def earned(server: ServerHarness, email: str, agency_code: str, net_cents: int) -> None:
    with server.session() as s, s.begin():
        s.add(
            Earning(
                employee_id=employee_id(server, email, agency_code),
                agency_id=server.agency_id(agency_code),
                period_start=TODAY.replace(day=1),
                period_end=TODAY.replace(day=31),
                net_earned_cents=net_cents,
                deposited_at=server.clock(),
            )
        )


def ask(server: ServerHarness, headers: dict[str, str], agency: str, amount: Any, **body: Any) -> Any:
    return server.client.post(
        URL, headers=headers, json={"agency_id": server.agency_id(agency), "amount": amount, **body}
    )


def set_state(
    server: ServerHarness, request_id: int, state: AdvanceState, granted: int | None = None
) -> None:
    with server.session() as s, s.begin():
        s.execute(
            update(AdvanceRequest)
            .where(AdvanceRequest.id == request_id)
            .values(state=state, granted_cents=granted, decided_at=server.clock())
        )


@pytest.fixture
def worker(server: ServerHarness) -> dict[str, str]:
    # LYO: 80 % capped at 1 000 €; NAN: 60 % capped at 600 € (demo policies).
    headers = add_worker(server, "ines.moreau@example.fr", "LYO", "NAN")
    earned(server, "ines.moreau@example.fr", "LYO", 50_000)  # 80 % of 500 € = 400 €
    return headers


def test_options_list_each_employer_and_agency_with_todays_maximum(server: ServerHarness) -> None:
    # "Brevo Travail Temporaire", agency BRV, default policy (80 %, 800 €), with the advances service.
    set_service(server, other_brand(server), True)
    headers = add_worker(server, "ines.moreau@example.fr", "LYO", "NAN", "BRV")
    earned(server, "ines.moreau@example.fr", "LYO", 50_000)

    response = server.client.get(f"{URL}/options", headers=headers)

    assert response.status_code == 200, response.text
    employers = {e["brand_name"]: e["agencies"] for e in response.json()["employers"]}
    assert set(employers) == {"Alto Intérim", "Brevo Travail Temporaire"}
    alto = {a["agency_name"]: a for a in employers["Alto Intérim"]}
    assert alto["Alto Lyon Part-Dieu"] | {"agency_id": 0} == {
        "agency_id": 0,
        "agency_name": "Alto Lyon Part-Dieu",
        "maximum_cents": 40_000,
        "earnings_known": True,
        "open_request_id": None,
    }
    assert (alto["Alto Nanterre"]["maximum_cents"], alto["Alto Nanterre"]["earnings_known"]) == (
        60_000,
        False,
    )
    (brevo,) = employers["Brevo Travail Temporaire"]
    assert (brevo["agency_name"], brevo["maximum_cents"]) == ("Brevo Rennes", 80_000)

    created = ask(server, headers, "LYO", "100")
    again = server.client.get(f"{URL}/options", headers=headers).json()
    lyon = [a for e in again["employers"] for a in e["agencies"] if a["agency_name"] == "Alto Lyon Part-Dieu"]
    assert lyon[0]["open_request_id"] == created.json()["id"]


def test_a_request_for_an_amount_is_sent_and_audited_with_the_worker_as_actor(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    response = ask(server, worker, "LYO", "120,50", comment="  Loyer à payer avant le 5  ")

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["state"], body["amount_cents"], body["wants_maximum"]) == ("sent", 12_050, False)
    assert (body["comment"], body["agency_name"], body["granted_cents"]) == (
        "Loyer à payer avant le 5",
        "Alto Lyon Part-Dieu",
        None,
    )
    assert body["created_at"].startswith("2026-03-16T09:30:00")
    assert "decided_by_name" not in body and "decided_by" not in body
    with server.session() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "advance.requested").order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None
    assert (event.actor_kind, event.actor_id) == (
        "employee",
        employee_id(server, "ines.moreau@example.fr", "LYO"),
    )
    assert (event.target_id, event.agency_id) == (str(body["id"]), server.agency_id("LYO"))


@pytest.mark.parametrize("amount", ["120", "120.5", "120,50", 120.5, 120, "1 20,5 €"])
def test_amounts_are_read_in_euros_in_every_usual_spelling(
    server: ServerHarness, worker: dict[str, str], amount: Any
) -> None:
    response = ask(server, worker, "LYO", amount)

    assert response.status_code == 201, response.text
    assert response.json()["amount_cents"] in {12_000, 12_050}


def test_a_request_for_the_maximum_stores_no_amount(server: ServerHarness, worker: dict[str, str]) -> None:
    response = ask(server, worker, "LYO", None, wants_maximum=True)

    assert response.status_code == 201, response.text
    assert (response.json()["amount_cents"], response.json()["wants_maximum"]) == (None, True)
    # A null amount alone means the maximum too (the contract's "null = montant maximum").
    assert ask(server, worker, "NAN", None).json()["wants_maximum"] is True


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "amount_not_positive"),
        ("-5", "amount_not_positive"),
        (0, "amount_not_positive"),
        (-12.5, "amount_not_positive"),
        ("abc", "amount_invalid"),
        ("", "amount_invalid"),
        ("12,5,3", "amount_invalid"),
        ("12.345", "amount_precision"),
        (10.999, "amount_precision"),
        (True, "validation_error"),
        ([120], "validation_error"),
    ],
)
def test_bad_amounts_are_refused_with_a_french_problem(
    server: ServerHarness, worker: dict[str, str], amount: Any, code: str
) -> None:
    response = ask(server, worker, "LYO", amount)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert response.json()["detail"].startswith(("Le montant", "Requête invalide"))
    assert server.client.get(URL, headers=worker).json()["items"] == []


def test_an_amount_and_the_maximum_at_once_are_refused(server: ServerHarness, worker: dict[str, str]) -> None:
    response = ask(server, worker, "LYO", "100", wants_maximum=True)

    assert response.status_code == 422
    assert response.json()["code"] == "amount_and_maximum"


def test_an_amount_above_the_maximum_is_refused_naming_the_maximum(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    assert ask(server, worker, "LYO", "400").status_code == 201  # exactly the maximum is fine
    server.client.post(
        f"{URL}/{server.client.get(URL, headers=worker).json()['items'][0]['id']}/cancel", headers=worker
    )

    response = ask(server, worker, "LYO", "400,01")

    assert response.status_code == 422
    assert response.json()["code"] == "amount_above_maximum"
    assert response.json()["detail"] == f"Le montant dépasse le maximum possible ({format_euros(40_000)})."
    assert response.json()["maximum_cents"] == 40_000


def test_granted_advances_lower_the_maximum_until_nothing_is_possible(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    first = ask(server, worker, "LYO", "400").json()
    set_state(server, first["id"], AdvanceState.ACCEPTED, granted=40_000)

    assert ask(server, worker, "LYO", "1").json()["code"] == "amount_above_maximum"
    response = ask(server, worker, "LYO", None, wants_maximum=True)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Aucun acompte n'est possible pour le moment")


def test_a_second_open_request_at_the_same_agency_is_refused(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    first = ask(server, worker, "LYO", "100").json()

    second = ask(server, worker, "LYO", "50")

    assert second.status_code == 409
    assert (second.json()["code"], second.json()["open_request_id"]) == ("open_request_exists", first["id"])
    assert "déjà une demande d'acompte en cours" in second.json()["detail"]
    assert ask(server, worker, "NAN", "50").status_code == 201  # another agency is another request
    assert server.client.post(f"{URL}/{first['id']}/cancel", headers=worker).status_code == 200
    assert ask(server, worker, "LYO", "50").status_code == 201  # once cancelled, a new one may go


def test_requests_sent_at_the_same_time_make_exactly_one_open_request(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    barrier = Barrier(4)
    agency_id = server.agency_id("LYO")

    def send(amount: int) -> int:
        barrier.wait()
        return server.client.post(
            URL, headers=worker, json={"agency_id": agency_id, "amount": amount}
        ).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(send, [10, 20, 30, 40]))

    assert statuses == [201, 409, 409, 409]
    with server.session() as s:
        open_rows = s.scalars(
            select(AdvanceRequest.id).where(
                AdvanceRequest.agency_id == agency_id,
                AdvanceRequest.state == AdvanceState.SENT,
                AdvanceRequest.employee_id == employee_id(server, "ines.moreau@example.fr", "LYO"),
            )
        ).all()
    assert len(open_rows) == 1


def test_an_agency_the_worker_never_worked_for_is_not_found(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    response = ask(server, worker, "PAR11", "100")

    assert response.status_code == 404
    assert response.json()["code"] == "agency_not_found"


def test_another_workers_request_is_not_found(server: ServerHarness, worker: dict[str, str]) -> None:
    theirs = ask(server, worker, "LYO", "100").json()
    stranger = add_worker(server, "karim.benali@example.fr", "LYO", matricule="W002")

    response = server.client.post(f"{URL}/{theirs['id']}/cancel", headers=stranger)

    assert response.status_code == 404
    assert response.json()["code"] == "advance_not_found"
    assert server.client.get(URL, headers=stranger).json()["items"] == []
    assert server.client.post(f"{URL}/999999/cancel", headers=worker).status_code == 404


def test_cancelling_a_sent_request_is_audited_and_bumps_its_version(
    server: ServerHarness, worker: dict[str, str]
) -> None:
    sent = ask(server, worker, "LYO", "100").json()

    response = server.client.post(f"{URL}/{sent['id']}/cancel", headers=worker, json={})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["version"]) == ("cancelled", sent["version"] + 1)
    assert body["cancelled_at"].startswith("2026-03-16T09:30:00")
    with server.session() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.target_id == str(sent["id"])).order_by(AuditEvent.id)
        ).all()
    assert list(actions) == ["advance.requested", "advance.cancelled"]
    again = server.client.post(f"{URL}/{sent['id']}/cancel", headers=worker)
    assert (again.status_code, again.json()["code"]) == (409, "already_answered")
    assert again.json()["detail"] == "Cette demande est déjà annulée."


@pytest.mark.parametrize("state", [AdvanceState.ACCEPTED, AdvanceState.REFUSED])
def test_an_answered_request_cannot_be_cancelled(
    server: ServerHarness, worker: dict[str, str], state: AdvanceState
) -> None:
    sent = ask(server, worker, "LYO", "100").json()
    set_state(server, sent["id"], state, granted=10_000 if state is AdvanceState.ACCEPTED else None)

    response = server.client.post(f"{URL}/{sent['id']}/cancel", headers=worker)

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["state"]) == ("already_answered", state.value)
    assert response.json()["detail"].startswith("Cette demande a déjà reçu une réponse de l'agence")
    listed = server.client.get(URL, headers=worker).json()["items"]
    assert [i["state"] for i in listed] == [state.value]


def test_staff_tokens_are_refused(server: ServerHarness) -> None:
    server.make_user("da@exemple.fr", {"LYO": ()})
    staff = server.login("da@exemple.fr")

    assert server.client.get(URL, headers=staff).status_code == 403
    assert server.client.get(URL).status_code == 401


@pytest.fixture
def history(server: ServerHarness, worker: dict[str, str]) -> list[dict[str, Any]]:
    """Five requests two minutes apart at three agencies, with the maximum asked once."""
    with server.session() as s, s.begin():
        employee = employee_id(server, "ines.moreau@example.fr", "LYO")
        s.add(EmployeeAgency(employee_id=employee, agency_id=server.agency_id("GRE"), since=server.clock()))
    made = []
    for agency, amount in [("LYO", "300"), ("NAN", "50"), ("GRE", None), ("LYO", "20"), ("NAN", "75")]:
        response = ask(server, worker, agency, amount)
        assert response.status_code == 201, response.text
        made.append(response.json())
        server.client.post(f"{URL}/{made[-1]['id']}/cancel", headers=worker)
        server.clock.advance(minutes=2)
    return made


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_the_list_sorts_by_date(
    server: ServerHarness, worker: dict[str, str], history: list[dict[str, Any]], order: str
) -> None:
    items = server.client.get(URL, headers=worker, params={"sort": "date", "order": order}).json()["items"]

    expected = [h["id"] for h in history]
    assert [i["id"] for i in items] == (expected if order == "asc" else expected[::-1])


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_the_list_sorts_by_amount_with_the_maximum_as_the_largest(
    server: ServerHarness, worker: dict[str, str], history: list[dict[str, Any]], order: str
) -> None:
    items = server.client.get(URL, headers=worker, params={"sort": "amount", "order": order}).json()["items"]

    amounts = [i["amount_cents"] for i in items]
    expected = [2_000, 5_000, 7_500, 30_000, None]
    assert amounts == (expected if order == "asc" else expected[::-1])


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_the_list_sorts_by_agency_name(
    server: ServerHarness, worker: dict[str, str], history: list[dict[str, Any]], order: str
) -> None:
    items = server.client.get(URL, headers=worker, params={"sort": "agency", "order": order}).json()["items"]

    names = [i["agency_name"] for i in items]
    expected = [
        "Alto Grenoble",
        "Alto Lyon Part-Dieu",
        "Alto Lyon Part-Dieu",
        "Alto Nanterre",
        "Alto Nanterre",
    ]
    assert names == (expected if order == "asc" else expected[::-1])
    lyon = [i["amount_cents"] for i in items if i["agency_name"] == "Alto Lyon Part-Dieu"]
    assert lyon == ([30_000, 2_000] if order == "asc" else [2_000, 30_000])  # ties: by date


def test_the_list_default_is_newest_first_and_bad_sorts_are_refused(
    server: ServerHarness, worker: dict[str, str], history: list[dict[str, Any]]
) -> None:
    items = server.client.get(URL, headers=worker).json()["items"]

    assert [i["id"] for i in items] == [h["id"] for h in history][::-1]
    assert server.client.get(URL, headers=worker, params={"sort": "granted"}).status_code == 422


def test_an_accepted_maximum_request_sorts_by_its_granted_amount_like_the_staff_history(
    server: ServerHarness, worker: dict[str, str], history: list[dict[str, Any]]
) -> None:
    maximum = next(h for h in history if h["amount_cents"] is None)
    set_state(server, maximum["id"], AdvanceState.ACCEPTED, granted=4_000)

    items = server.client.get(URL, headers=worker, params={"sort": "amount", "order": "asc"}).json()["items"]

    assert [i["amount_cents"] or i["granted_cents"] for i in items] == [2_000, 4_000, 5_000, 7_500, 30_000]
    assert items[1]["id"] == maximum["id"]
