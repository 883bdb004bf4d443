"""The campaign state machine over the API (F4.4, F4.6): draft → active → closed, what launch, close and
delete accept, the retroactivity bound of exactly 3 months on a controllable clock, every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coffreo_desktop.domain.documents import SignatureState
from coffreo_desktop.domain.services import Service
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import Document
from coffreo_desktop.server.db.models.org import BrandService
from tests.server.campaign_helpers import URL, audit_actions, brand_id, create, diffuser, ready_draft, today
from tests.support import ServerHarness

ALICE = "alice.martin@exemple.fr"


@pytest.fixture
def alice(server: ServerHarness) -> dict[str, str]:
    return diffuser(server, ALICE)


def later(server: ServerHarness, days: int) -> dict[str, str]:
    """Move the clock on; the access token has expired by then, so log in again."""
    server.clock.advance(days=days)
    return server.login(ALICE)


@pytest.fixture
def par11(server: ServerHarness) -> dict[str, int]:
    return {"agency_id": server.agency_id("PAR11")}


def _post(server: ServerHarness, headers: dict[str, str], campaign: dict, action: str) -> object:
    return server.client.post(
        f"{URL}/{campaign['id']}/{action}", json={"version": campaign["version"]}, headers=headers
    )


def test_draft_is_launched_then_closed_and_every_step_is_audited(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server))
    assert (draft["state"], draft["status_label"]) == ("draft", "Sauvegardée")
    launched = _post(server, alice, draft, "launch")
    assert launched.status_code == 200, launched.text
    active = launched.json()
    assert (active["state"], active["status_label"]) == ("active", "En cours")
    assert active["activated_at"] is not None and active["version"] > draft["version"]
    closed = _post(server, alice, active, "close")
    assert closed.status_code == 200, closed.text
    assert (closed.json()["state"], closed.json()["status_label"]) == ("closed", "Archivée")
    assert closed.json()["closed_at"] is not None
    assert audit_actions(server, draft["id"]) == [
        "campaign.create",
        "campaign.document_add",
        "campaign.launch",
        "campaign.close",
    ]


def test_a_closed_campaign_cannot_be_closed_again(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server))
    active = _post(server, alice, draft, "launch").json()
    closed = _post(server, alice, active, "close").json()
    again = _post(server, alice, closed, "close")
    assert again.status_code == 409
    assert again.json()["code"] == "already_closed"
    assert "déjà clôturée" in again.json()["detail"]


def test_a_draft_cannot_be_closed(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = create(server, alice, par11)
    refused = _post(server, alice, draft, "close")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"


def test_launching_a_draft_whose_start_has_passed_without_the_option_is_refused(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server))
    alice = later(server, 2)
    refused = _post(server, alice, draft, "launch")
    assert refused.status_code == 422
    assert refused.json()["code"] == "start_in_past"
    assert "date antérieure" in refused.json()["detail"]
    # Nothing changed: still a draft at the same version.
    after = server.client.get(f"{URL}/{draft['id']}", headers=alice).json()
    assert (after["state"], after["version"]) == ("draft", draft["version"])


def test_launching_a_retroactive_draft_in_the_past_activates_it_at_once(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    start = today(server) - timedelta(days=30)
    draft = ready_draft(server, alice, par11, starts_on=start, retroactive=True)
    assert draft["retroactive_from"] == start.isoformat()
    launched = _post(server, alice, draft, "launch")
    assert launched.status_code == 200, launched.text
    assert launched.json()["status_label"] == "En cours"
    # The demo's payslips of the last month reach their employees at once (the trigger engine's work).
    assert launched.json()["deliveries"] > 0
    assert audit_actions(server, draft["id"])[-1] == "campaign.launch"


def test_launching_needs_a_document_and_a_start_date(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    no_document = create(server, alice, par11, starts_on=today(server))
    refused = _post(server, alice, no_document, "launch")
    assert refused.status_code == 422
    assert {"field": "documents", "message": "Ajoutez au moins un document à diffuser."} in refused.json()[
        "errors"
    ]
    no_start = ready_draft(server, alice, par11)
    refused = _post(server, alice, no_start, "launch")
    assert refused.status_code == 422
    assert any(e["field"] == "starts_on" for e in refused.json()["errors"])


def test_a_campaign_starting_later_is_planned_then_runs_on_its_day(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server) + timedelta(days=3))
    planned = _post(server, alice, draft, "launch").json()
    assert (planned["state"], planned["status_label"]) == ("active", "Planifiée")
    listing = server.client.get(URL, params={**par11, "state": "active"}, headers=alice).json()
    mine = next(c for c in listing["items"] if c["id"] == draft["id"])
    assert mine["status_label"] == "Planifiée"
    planned_before = listing["synthesis"]["planned"]
    alice = later(server, 3)
    running = server.client.get(f"{URL}/{draft['id']}", headers=alice).json()
    assert running["status_label"] == "En cours"
    listing = server.client.get(URL, params={**par11, "state": "active"}, headers=alice).json()
    assert listing["synthesis"]["planned"] == planned_before - 1


def test_only_drafts_are_deleted(server: ServerHarness, alice: dict[str, str], par11: dict[str, int]) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server))
    active = _post(server, alice, draft, "launch").json()
    refused = server.client.delete(
        f"{URL}/{active['id']}", params={"version": active["version"]}, headers=alice
    )
    assert refused.status_code == 409 and refused.json()["code"] == "not_draft"
    other = create(server, alice, par11)
    deleted = server.client.delete(
        f"{URL}/{other['id']}", params={"version": other["version"]}, headers=alice
    )
    assert deleted.status_code == 204
    assert server.client.get(f"{URL}/{other['id']}", headers=alice).status_code == 404
    assert audit_actions(server, other["id"]) == ["campaign.create", "campaign.delete"]


def test_a_launched_campaign_changes_only_its_name_and_end(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    draft = ready_draft(server, alice, par11, starts_on=today(server))
    active = _post(server, alice, draft, "launch").json()
    base = {k: active[k] for k in ("agency_id", "on_payslips", "on_contracts", "cadre_filter", "signed")}
    base |= {"starts_on": active["starts_on"], "retroactive": False, "version": active["version"]}
    end = (today(server) + timedelta(days=10)).isoformat()
    renamed = server.client.put(
        f"{URL}/{active['id']}", json={**base, "name": "Note renommée", "ends_on": end}, headers=alice
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["ends_on"]) == ("Note renommée", end)
    retriggered = server.client.put(
        f"{URL}/{active['id']}",
        json={**base, "name": "Note renommée", "on_contracts": True, "version": renamed.json()["version"]},
        headers=alice,
    )
    assert retriggered.status_code == 422 and retriggered.json()["code"] == "campaign_active"
    assert audit_actions(server, active["id"])[-1] == "campaign.update"


@pytest.mark.parametrize(
    ("days_back", "retroactive", "accepted"),
    [
        (0, False, True),
        (1, False, False),
        ("3 months", True, True),  # 16/12/2025 for 16/03/2026: exactly 3 months back
        ("3 months + 1 day", True, False),
    ],
)
def test_the_start_goes_back_at_most_exactly_three_months_with_the_option(
    server: ServerHarness,
    alice: dict[str, str],
    par11: dict[str, int],
    days_back: object,
    retroactive: bool,
    accepted: bool,
) -> None:
    now = today(server)
    assert now.isoformat() == "2026-03-16"
    start = {
        0: now,
        1: now - timedelta(days=1),
        "3 months": now.replace(year=2025, month=12),
        "3 months + 1 day": now.replace(year=2025, month=12, day=15),
    }[days_back]  # type: ignore[index]
    response = server.client.post(
        URL,
        json={
            **par11,
            "name": "Rétroactive",
            "on_payslips": True,
            "retroactive": retroactive,
            "starts_on": start.isoformat(),
        },
        headers=alice,
    )
    assert response.status_code == (201 if accepted else 422), response.text
    if not accepted:
        assert response.json()["errors"][0]["field"] == "starts_on"


def test_the_three_month_bound_follows_the_clock(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    start = today(server).replace(year=2025, month=12)
    draft = ready_draft(server, alice, par11, starts_on=start, retroactive=True)
    alice = later(server, 1)  # the same start is now 3 months and 1 day back
    refused = _post(server, alice, draft, "launch")
    assert refused.status_code == 422
    assert "3 mois" in refused.json()["detail"]
    assert CampaignState(server.client.get(f"{URL}/{draft['id']}", headers=alice).json()["state"]) is (
        CampaignState.DRAFT
    )


def test_a_signed_retroactive_campaign_is_delivered_at_launch_as_documents_to_sign(
    server: ServerHarness, alice: dict[str, str], par11: dict[str, int]
) -> None:
    brand = brand_id(server)
    with server.session() as s, s.begin():
        if not s.scalar(
            select(BrandService.id).where(
                BrandService.brand_id == brand, BrandService.service == Service.DIFFUSION_SIGNEE
            )
        ):
            s.add(BrandService(brand_id=brand, service=Service.DIFFUSION_SIGNEE, enabled_at=server.clock()))
    start = today(server) - timedelta(days=30)
    draft = ready_draft(server, alice, par11, starts_on=start, retroactive=True, signed=True)
    launched = _post(server, alice, draft, "launch")
    assert launched.status_code == 200, launched.text
    assert launched.json()["deliveries"] > 0
    with server.session() as s:
        states = set(
            s.scalars(select(Document.signature_state).where(Document.campaign_id == draft["id"])).all()
        )
    assert states == {SignatureState.UNSIGNED}  # each employee signs their own certified copy
