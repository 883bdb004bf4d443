"""Demandes d'acomptes, staff side (F5.3, F5.7): the pending queue covers only the agencies the caller
holds "DA" on, oldest first, page by keyset without skipping a row; decisions accept, partly accept or
refuse, refuse bad amounts (422) and tell who got there first (409); the badge count answers 304 while
nothing changes. The history and its CSVs: test_advances_history.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from coffreo_desktop.domain.advances import format_euros
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, AuditEvent, Employee, OutboxMail
from tests.server.advance_helpers import (
    URL,
    add_request,
    all_pages,
    cancel_as_worker,
    da_user,
    decide,
    deposit_earnings,
    new_worker,
    request_row,
    worker_login,
)
from tests.support import ServerHarness

TEXT_SORTS = {"last_name", "matricule", "agency", "state", "decided_by"}


def pending_ids_in_db(server: ServerHarness, codes: tuple[str, ...]) -> list[int]:
    agencies = [server.agency_id(c) for c in codes]
    with server.ctx.db.reader() as s:
        rows = s.execute(
            select(AdvanceRequest.id)
            .where(AdvanceRequest.agency_id.in_(agencies), AdvanceRequest.state == AdvanceState.SENT)
            .order_by(AdvanceRequest.created_at, AdvanceRequest.id)
        ).all()
    return [r.id for r in rows]


def test_pending_lists_the_da_agencies_oldest_first_in_keyset_pages(server: ServerHarness) -> None:
    headers = da_user(server, "da.lyo.vil@exemple.fr", "LYO", "VIL")
    worker, _ = new_worker(server, "LYO", "VIL", "PAR11")
    base = server.clock() - timedelta(days=3)
    for n in range(7):  # same instant twice: ties are broken by id
        add_request(server, worker, ("LYO", "VIL")[n % 2], created_at=base + timedelta(hours=n // 2))
    add_request(server, worker, "PAR11", created_at=base)  # outside the caller's scope
    got = [item["id"] for item in all_pages(server, "pending", headers, limit=3)]
    assert got == pending_ids_in_db(server, ("LYO", "VIL"))
    assert len(got) >= 7
    only_vil = all_pages(server, "pending", headers, agency_id=server.agency_id("VIL"), limit=2)
    assert [i["id"] for i in only_vil] == pending_ids_in_db(server, ("VIL",))
    assert {i["agency_id"] for i in only_vil} == {server.agency_id("VIL")}


def test_pending_filters_on_paris_days_of_the_request(server: ServerHarness) -> None:
    headers = da_user(server, "da.dates@exemple.fr", "GRE")
    worker, _ = new_worker(server, "GRE")
    # 23:30 UTC on 10 March is 00:30 on 11 March in Paris.
    late = add_request(server, worker, "GRE", created_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    early = add_request(server, worker, "GRE", created_at=datetime(2026, 3, 10, 22, 30, tzinfo=UTC))
    on_11 = all_pages(server, "pending", headers, date_from="2026-03-11", date_to="2026-03-11")
    assert [i["id"] for i in on_11] == [late]
    on_10 = all_pages(server, "pending", headers, date_from="2026-03-10", date_to="2026-03-10")
    assert [i["id"] for i in on_10] == [early]
    backwards = server.client.get(
        f"{URL}/pending", params={"date_from": "2026-03-11", "date_to": "2026-03-10"}, headers=headers
    )
    assert backwards.status_code == 422


def test_a_da_user_of_another_agency_sees_nothing_and_gets_404_on_the_request(server: ServerHarness) -> None:
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    mlv = da_user(server, "da.mlv@exemple.fr", "MLV")
    listed = all_pages(server, "pending", mlv)
    assert request_id not in {i["id"] for i in listed}
    assert {i["agency_id"] for i in listed} <= {server.agency_id("MLV")}
    assert server.client.get(f"{URL}/{request_id}", headers=mlv).status_code == 404
    refused = decide(server, mlv, request_id, decision="accept")
    assert refused.status_code == 404
    assert refused.json()["code"] == "advance_not_found"
    other_agency = server.client.get(
        f"{URL}/pending", params={"agency_id": server.agency_id("LYO")}, headers=mlv
    )
    assert other_agency.status_code == 403
    assert request_row(server, request_id).state is AdvanceState.SENT


def test_a_decision_without_the_da_right_is_forbidden(server: ServerHarness) -> None:
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    server.make_user("sans.da@exemple.fr", {"LYO": tuple(r for r in Right if r is not Right.ACOMPTES)})
    headers = server.login("sans.da@exemple.fr")
    assert decide(server, headers, request_id, decision="accept").status_code == 403
    assert server.client.get(f"{URL}/pending", headers=headers).status_code == 403
    assert request_row(server, request_id).state is AdvanceState.SENT


def test_accepting_grants_the_amount_asked_audits_and_mails_the_worker(server: ServerHarness) -> None:
    headers = da_user(server, "claire@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO", amount_cents=15000)
    response = decide(server, headers, request_id, decision="accept", comment="Versé sous 48 heures.")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["granted_cents"], body["decided_by_name"]) == (
        "accepted",
        15000,
        "Test Claire",
    )
    assert body["decision_comment"] == "Versé sous 48 heures."
    assert body["version"] == 2
    with server.ctx.db.reader() as s:
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.target_type == "advance_request", AuditEvent.target_id == str(request_id)
            )
        ).one()
        assert event.action == "advance.accepted"
        assert event.details["granted_cents"] == 15000
        email = s.scalar(select(Employee.email).where(Employee.id == worker))
        mails = s.scalars(select(OutboxMail).where(OutboxMail.to_addr == email)).all()
    assert [m.subject for m in mails] == ["Réponse à votre demande d'acompte"]


def test_a_smaller_amount_is_a_partial_acceptance_in_euros(server: ServerHarness) -> None:
    headers = da_user(server, "partiel@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO", amount_cents=30000)
    response = decide(server, headers, request_id, decision="accept", amount="120,50", comment="Partiel")
    assert response.status_code == 200, response.text
    assert response.json()["granted_cents"] == 12050
    more = add_request(server, new_worker(server, "LYO")[0], "LYO", amount_cents=10000)
    above_asked = decide(server, headers, more, decision="accept", amount=150)
    assert above_asked.status_code == 422
    assert above_asked.json()["code"] == "amount_above_asked"


def test_refusing_needs_a_comment_and_grants_nothing(server: ServerHarness) -> None:
    headers = da_user(server, "refus@exemple.fr", "VIL")
    worker, _ = new_worker(server, "VIL")
    request_id = add_request(server, worker, "VIL")
    bare = decide(server, headers, request_id, decision="refuse", comment="   ")
    assert bare.status_code == 422
    assert bare.json()["code"] == "comment_required"
    done = decide(
        server, headers, request_id, decision="refuse", amount="50", comment="Aucune heure déclarée."
    )
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["granted_cents"]) == ("refused", None)


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "amount_not_positive"),
        (-5, "amount_not_positive"),
        ("douze", "amount_invalid"),
        ("12,345", "amount_precision"),
        (12.345, "amount_precision"),
    ],
)
def test_bad_amounts_are_refused_in_french(server: ServerHarness, amount: Any, code: str) -> None:
    headers = da_user(server, f"montant{abs(hash(str(amount)))}@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO", amount_cents=30000)
    response = decide(server, headers, request_id, decision="accept", amount=amount)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert "montant" in response.json()["detail"].lower()
    assert request_row(server, request_id).state is AdvanceState.SENT


def test_an_amount_above_the_maximum_is_refused_naming_the_maximum(server: ServerHarness) -> None:
    headers = da_user(server, "plafond@exemple.fr", "LYO")
    worker, matricule = new_worker(server, "LYO")
    key = server.integration_key(brand_id=1)
    stored = deposit_earnings(
        server,
        key,
        [
            {
                "matricule": matricule,
                "agency_code": "LYO",
                "period_start": "2026-03-01",
                "period_end": "2026-03-31",
                "net_earned_cents": 39050,
            }
        ],
    )
    assert stored.status_code == 200, stored.text
    # LYO's demo policy: 80 % of the net earned, capped at 1 000 €; 80 % of 390,50 € = 312,40 €.
    request_id = add_request(server, worker, "LYO", amount_cents=50000)
    detail = server.client.get(f"{URL}/{request_id}", headers=headers).json()
    assert detail["maximum"]["maximum_cents"] == 31240
    assert detail["maximum"]["earnings_known"] is True
    too_much = decide(server, headers, request_id, decision="accept", amount="312,41")
    assert too_much.status_code == 422
    assert too_much.json()["detail"] == f"Le montant dépasse le maximum possible ({format_euros(31240)})."
    # Without an amount the 500 € asked is above the maximum too.
    assert decide(server, headers, request_id, decision="accept").status_code == 422
    assert decide(server, headers, request_id, decision="accept", amount="312.40").status_code == 200
    # What was granted in the period counts: nothing is left for a second request.
    second = add_request(server, worker, "LYO", wants_maximum=True)
    left = server.client.get(f"{URL}/{second}", headers=headers).json()["maximum"]
    assert (left["maximum_cents"], left["granted_cents"]) == (0, 31240)
    assert decide(server, headers, second, decision="accept").json()["code"] == "maximum_zero"


def test_wants_maximum_is_granted_the_maximum_and_past_requests_are_listed(server: ServerHarness) -> None:
    headers = da_user(server, "maxi@exemple.fr", "PAR11", "NAN")
    worker, _ = new_worker(server, "PAR11", "NAN", "LYO")
    older = add_request(
        server, worker, "NAN", state=AdvanceState.REFUSED, created_at=server.clock() - timedelta(days=40)
    )
    add_request(server, worker, "LYO", state=AdvanceState.CANCELLED, cancelled_at=server.clock())
    request_id = add_request(server, worker, "PAR11", wants_maximum=True)
    detail = server.client.get(f"{URL}/{request_id}", headers=headers).json()
    assert detail["request"]["wants_maximum"] is True and detail["request"]["amount_cents"] is None
    # No earnings deposited for this worker: PAR11's ceiling (800 €) alone applies.
    assert detail["maximum"]["earnings_known"] is False
    assert detail["maximum"]["maximum_cents"] == 80000
    assert [p["id"] for p in detail["past"]] == [older]  # LYO is not the caller's
    granted = decide(server, headers, request_id, decision="accept")
    assert granted.json()["granted_cents"] == 80000


def test_a_colleague_who_processed_first_is_named_with_the_time(server: ServerHarness) -> None:
    claire = da_user(server, "claire.martin@exemple.fr", "LYO")
    paul = da_user(server, "paul@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    version = request_row(server, request_id).version
    assert decide(server, claire, request_id, decision="accept", version=version).status_code == 200
    late = decide(server, paul, request_id, decision="refuse", comment="Non", version=version)
    assert late.status_code == 409
    body = late.json()
    # 09:30 UTC in March is 10:30 in Paris.
    assert body["detail"] == "Demande déjà traitée par Test Claire.Martin le 16/03/2026 à 10:30."
    assert (body["code"], body["state"], body["decided_by_name"]) == (
        "already_processed",
        "accepted",
        "Test Claire.Martin",
    )
    assert body["decided_at"].startswith("2026-03-16T09:30")
    # The same answer with the current version: the request is not waiting any more.
    again = decide(server, paul, request_id, decision="refuse", comment="Non")
    assert again.status_code == 409
    assert request_row(server, request_id).granted_cents == 20000


def test_a_request_the_worker_cancelled_meanwhile_answers_409(server: ServerHarness) -> None:
    headers = da_user(server, "annule@exemple.fr", "VIL")
    worker, _ = new_worker(server, "VIL")
    request_id = add_request(server, worker, "VIL")
    version = request_row(server, request_id).version
    server.clock.advance(minutes=2)
    assert cancel_as_worker(server, worker_login(server, worker), request_id).status_code == 200
    response = decide(server, headers, request_id, decision="accept", version=version)
    assert response.status_code == 409
    assert response.json()["detail"] == "Demande annulée par le salarié le 16/03/2026 à 10:32."
    assert response.json()["state"] == "cancelled"


def test_the_pending_count_answers_304_until_a_request_arrives(server: ServerHarness) -> None:
    headers = da_user(server, "badge@exemple.fr", "LYO", "VIL")
    first = server.client.get(f"{URL}/pending/count", headers=headers)
    assert first.status_code == 200
    etag = first.headers["etag"]
    expected = {str(server.agency_id(c)): len(pending_ids_in_db(server, (c,))) for c in ("LYO", "VIL")}
    assert first.json()["by_agency"] == {k: v for k, v in expected.items() if v}
    assert first.json()["total"] == sum(expected.values())
    same = server.client.get(f"{URL}/pending/count", headers={**headers, "If-None-Match": etag})
    assert same.status_code == 304
    worker, _ = new_worker(server, "VIL")
    arrived = add_request(server, worker, "VIL")
    changed = server.client.get(f"{URL}/pending/count", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["latest_id"] == arrived
    assert changed.json()["total"] == first.json()["total"] + 1


def test_policy_of_an_agency(server: ServerHarness) -> None:
    headers = da_user(server, "politique@exemple.fr", "NAN")
    agency = server.agency_id("NAN")
    body = server.client.get(f"{URL}/policy", params={"agency_id": agency}, headers=headers).json()
    assert body == {"agency_id": agency, "percent": 60, "ceiling_cents": 60000}


def test_the_version_comes_from_the_body_or_if_match_and_is_required(server: ServerHarness) -> None:
    headers = da_user(server, "version@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    missing = server.client.post(
        f"{URL}/{request_id}/decision", json={"decision": "accept", "comment": ""}, headers=headers
    )
    assert missing.status_code == 422
    assert missing.json()["code"] == "version_required"
    stale = server.client.post(
        f"{URL}/{request_id}/decision", json={"decision": "accept"}, headers={**headers, "If-Match": '"7"'}
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == "Demande modifiée entre-temps : rechargez-la avant de la traiter."
    done = server.client.post(
        f"{URL}/{request_id}/decision", json={"decision": "accept"}, headers={**headers, "If-Match": '"1"'}
    )
    assert done.status_code == 200, done.text
