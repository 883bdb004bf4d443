"""Configuring an agency's advance policy (F5.6): PUT /advances/policy?agency_id= with "A" on the agency
sets the percent of the net earned and the ceiling in euros, audited with the old and new values; bad
values are refused in French; "DA" reads the policy but cannot change it; the maximum follows at once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import AuditEvent
from tests.server.advance_helpers import URL, add_request, da_user, new_worker
from tests.support import ServerHarness

POLICY = f"{URL}/policy"


def admin(server: ServerHarness, email: str = "admin.lyon@exemple.fr") -> dict[str, str]:
    server.make_user(email, {"LYO": (Right.ADMIN,)})
    return server.login(email)


def put(server: ServerHarness, headers: dict[str, str], code: str = "LYO", **body: Any) -> Any:
    return server.client.put(POLICY, params={"agency_id": server.agency_id(code)}, json=body, headers=headers)


def policy_events(server: ServerHarness) -> list[AuditEvent]:
    with server.ctx.db.reader() as s:
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "advance.policy_changed")
                .order_by(AuditEvent.id)
            )
        )


def test_an_administrator_sets_the_policy_and_the_change_is_audited(server: ServerHarness) -> None:
    headers = admin(server)
    lyo = server.agency_id("LYO")
    before = server.client.get(POLICY, params={"agency_id": lyo}, headers=headers)
    assert before.status_code == 200, before.text  # "A" reads it too

    response = put(server, headers, percent=50, ceiling="600,50")

    assert response.status_code == 200, response.text
    assert response.json() == {"agency_id": lyo, "percent": 50, "ceiling_cents": 60_050}
    after = server.client.get(POLICY, params={"agency_id": lyo}, headers=headers).json()
    assert after == response.json()
    (event,) = policy_events(server)
    old = before.json()
    assert (event.actor_kind, event.agency_id, event.target_id) == ("staff", lyo, str(lyo))
    assert event.details == {
        "old": {"percent": old["percent"], "ceiling_cents": old["ceiling_cents"]},
        "new": {"percent": 50, "ceiling_cents": 60_050},
    }
    again = put(server, headers, percent="75", ceiling=900)
    assert again.json() == {"agency_id": lyo, "percent": 75, "ceiling_cents": 90_000}
    assert policy_events(server)[-1].details["old"] == {"percent": 50, "ceiling_cents": 60_050}


def test_an_agency_without_a_policy_row_gets_one(server: ServerHarness) -> None:
    server.make_user("admin.gre@exemple.fr", {"GRE": (Right.ADMIN,)})
    headers = server.login("admin.gre@exemple.fr")
    response = put(server, headers, "GRE", percent=100, ceiling="1")
    assert response.status_code == 200, response.text
    assert response.json()["ceiling_cents"] == 100
    gre = server.agency_id("GRE")
    assert server.client.get(POLICY, params={"agency_id": gre}, headers=headers).json()["percent"] == 100


def test_the_maximum_of_a_waiting_request_follows_the_new_policy(server: ServerHarness) -> None:
    headers = admin(server)
    reader = da_user(server, "da.lyon@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    assert put(server, headers, percent=40, ceiling="123,45").status_code == 200
    found = server.client.get(f"{URL}/{request_id}", headers=reader).json()["maximum"]
    assert (found["percent"], found["ceiling_cents"], found["maximum_cents"]) == (40, 12_345, 12_345)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"percent": 0, "ceiling": "800"}, "invalid_percent"),
        ({"percent": 101, "ceiling": "800"}, "invalid_percent"),
        ({"percent": "quatre-vingts", "ceiling": "800"}, "invalid_percent"),
        ({"percent": -5, "ceiling": "800"}, "invalid_percent"),
        ({"percent": 80, "ceiling": "0"}, "invalid_ceiling"),
        ({"percent": 80, "ceiling": "-10"}, "invalid_ceiling"),
        ({"percent": 80, "ceiling": "beaucoup"}, "invalid_ceiling"),
        ({"percent": 80, "ceiling": "10,555"}, "invalid_ceiling"),
        ({"percent": 80, "ceiling": "1000000"}, "invalid_ceiling"),
        ({"percent": 80}, "validation_error"),
        ({"percent": 80.5, "ceiling": "800"}, "validation_error"),
    ],
)
def test_bad_values_are_refused_in_french_and_change_nothing(
    server: ServerHarness, body: dict[str, Any], code: str
) -> None:
    headers = admin(server)
    lyo = server.agency_id("LYO")
    before = server.client.get(POLICY, params={"agency_id": lyo}, headers=headers).json()

    response = put(server, headers, **body)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    detail = response.json()["detail"]
    assert detail.startswith(("Le pourcentage", "Le plafond", "Requête invalide")), detail
    assert server.client.get(POLICY, params={"agency_id": lyo}, headers=headers).json() == before
    assert policy_events(server) == []


def test_processing_requests_does_not_allow_changing_the_policy(server: ServerHarness) -> None:
    reader = da_user(server, "da.seul@exemple.fr", "LYO")
    lyo = server.agency_id("LYO")
    assert server.client.get(POLICY, params={"agency_id": lyo}, headers=reader).status_code == 200
    refused = put(server, reader, percent=50, ceiling="500")
    assert refused.status_code == 403
    assert put(server, admin(server), "VIL", percent=50, ceiling="500").status_code == 403  # not their agency
    missing = server.client.put(
        POLICY, json={"percent": 50, "ceiling": "500"}, headers=admin(server, "a2@exemple.fr")
    )
    assert missing.status_code == 422 and missing.json()["code"] == "agency_required"
    assert policy_events(server) == []
