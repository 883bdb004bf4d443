"""The "Demandes d'acomptes" service is switched on per brand (F1.2): the staff's lists, count, detail and
decision only cover agencies whose brand has it (403 on an explicit agency, left out of "all my
agencies"), the worker only sees and asks employers with it, and the digest only counts those agencies."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import Employee, OutboxMail
from coffreo_desktop.server.services import advance_digest, advance_mails
from tests.server.advance_helpers import (
    RECIPIENT_URL,
    URL,
    add_request,
    brand_of,
    da_user,
    decide,
    new_worker,
    set_service,
    worker_login,
)
from tests.server.recipient_helpers import other_brand
from tests.support import ServerHarness


@pytest.fixture
def brevo(server: ServerHarness) -> int:
    """A second brand (agency BRV) without the advances service; returns its id."""
    return other_brand(server)


def ids(items: list[dict[str, Any]]) -> set[int]:
    return {i["id"] for i in items}


def test_staff_lists_count_detail_and_decision_leave_out_agencies_without_the_service(
    server: ServerHarness, brevo: int
) -> None:
    headers = da_user(server, "deux.marques@exemple.fr", "LYO", "BRV")
    alto_worker, _ = new_worker(server, "LYO")
    brevo_worker, _ = new_worker(server, "BRV")
    lyon = add_request(server, alto_worker, "LYO")
    rennes = add_request(server, brevo_worker, "BRV")
    done = add_request(server, brevo_worker, "BRV", state=AdvanceState.REFUSED, decided_at=server.clock())
    brv = server.agency_id("BRV")

    pending = server.client.get(f"{URL}/pending", headers=headers).json()
    assert lyon in ids(pending["items"]) and rennes not in ids(pending["items"])
    count = server.client.get(f"{URL}/pending/count", headers=headers).json()
    assert str(brv) not in count["by_agency"] and count["latest_id"] != rennes
    history = server.client.get(f"{URL}/history", headers=headers).json()
    assert done not in ids(history["items"])
    for path in ("pending", "history", "history.csv", "payroll.csv"):
        refused = server.client.get(f"{URL}/{path}", params={"agency_id": brv}, headers=headers)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["code"] == "service_disabled"
        assert "n'est pas activé" in refused.json()["detail"]
    assert server.client.get(f"{URL}/{rennes}", headers=headers).status_code == 404
    assert decide(server, headers, rennes, decision="refuse", comment="Non").status_code == 404

    set_service(server, brevo, True)  # switched on: the same calls now cover Brevo Rennes
    pending = server.client.get(f"{URL}/pending", headers=headers).json()
    assert {lyon, rennes} <= ids(pending["items"])
    assert server.client.get(f"{URL}/pending", params={"agency_id": brv}, headers=headers).status_code == 200
    assert server.client.get(f"{URL}/{rennes}", headers=headers).status_code == 200
    assert decide(server, headers, rennes, decision="refuse", comment="Non").status_code == 200


def test_switching_the_service_off_hides_a_brands_requests_from_the_staff(server: ServerHarness) -> None:
    headers = da_user(server, "alto@exemple.fr", "LYO")
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO")
    set_service(server, brand_of(server, "LYO"), False)
    lyo = server.agency_id("LYO")

    assert server.client.get(f"{URL}/pending", params={"agency_id": lyo}, headers=headers).status_code == 403
    assert server.client.get(f"{URL}/pending", headers=headers).json()["total"] == 0
    assert server.client.get(f"{URL}/pending/count", headers=headers).json()["total"] == 0
    assert server.client.get(f"{URL}/{request_id}", headers=headers).status_code == 404


def test_the_worker_only_sees_and_asks_employers_with_the_service(server: ServerHarness, brevo: int) -> None:
    alto_row, _ = new_worker(server, "LYO")
    brevo_row, _ = new_worker(server, "BRV")
    with server.session() as s, s.begin():  # one person working for both employers
        email = s.scalars(select(Employee.email).where(Employee.id == alto_row)).one()
        s.execute(update(Employee).where(Employee.id == brevo_row).values(email=email))
    vault = worker_login(server, alto_row)
    body = {"amount": "50", "comment": ""}

    employers = server.client.get(f"{RECIPIENT_URL}/options", headers=vault).json()["employers"]
    assert [e["brand_id"] for e in employers] == [brand_of(server, "LYO")]
    refused = server.client.post(
        RECIPIENT_URL, json={"agency_id": server.agency_id("BRV"), **body}, headers=vault
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "service_disabled"
    assert "acompte" in refused.json()["detail"]
    not_theirs = server.client.post(
        RECIPIENT_URL, json={"agency_id": server.agency_id("GRE"), **body}, headers=vault
    )
    assert not_theirs.status_code == 404

    set_service(server, brevo, True)
    employers = server.client.get(f"{RECIPIENT_URL}/options", headers=vault).json()["employers"]
    assert {e["brand_id"] for e in employers} == {brand_of(server, "LYO"), brevo}
    accepted = server.client.post(
        RECIPIENT_URL, json={"agency_id": server.agency_id("BRV"), **body}, headers=vault
    )
    assert accepted.status_code == 201, accepted.text


def digest_mails(server: ServerHarness) -> dict[str, str]:
    with server.session() as s, s.begin():
        advance_digest.send_digest(s, server.ctx, "2026-03-16", server.clock())
    with server.ctx.db.reader() as s:
        rows = s.scalars(select(OutboxMail).where(OutboxMail.kind == advance_mails.MAIL_DIGEST)).all()
        return {m.to_addr: m.body_text for m in rows}


def test_the_digest_only_counts_agencies_with_the_service(server: ServerHarness, brevo: int) -> None:
    server.make_user("rennes@exemple.fr", {"BRV": (Right.ACOMPTES,)})
    server.make_user("lyon.rennes@exemple.fr", {"LYO": (Right.ACOMPTES,), "BRV": (Right.ACOMPTES,)})
    add_request(server, new_worker(server, "BRV")[0], "BRV")
    add_request(server, new_worker(server, "LYO")[0], "LYO")

    sent = digest_mails(server)
    assert "rennes@exemple.fr" not in sent  # only Brevo Rennes waits for them, without the service
    assert "Alto Lyon Part-Dieu" in sent["lyon.rennes@exemple.fr"]
    assert "Brevo Rennes" not in sent["lyon.rennes@exemple.fr"]
