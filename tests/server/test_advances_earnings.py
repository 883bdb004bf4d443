"""The payroll/ERP earnings deposit (F5.6, F7.3): PUT /ingest/earnings upserts net earned per worker,
agency and period for an integration key; a bad line refuses the whole deposit, naming the line."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from sqlalchemy import select

from coffreo_desktop.server.db.models import AuditEvent, Brand, Earning
from tests.server.advance_helpers import EARNINGS_URL, URL, add_request, da_user, deposit_earnings, new_worker
from tests.support import ServerHarness


def line(matricule: str, code: str = "LYO", net: int = 50_000, start: str = "2026-03-01") -> dict[str, Any]:
    return {
        "matricule": matricule,
        "agency_code": code,
        "period_start": start,
        "period_end": start[:8] + "28",
        "net_earned_cents": net,
    }


def stored(server: ServerHarness, employee_id: int) -> list[tuple[str, date, int]]:
    with server.ctx.db.reader() as s:
        rows = s.scalars(select(Earning).where(Earning.employee_id == employee_id).order_by(Earning.id)).all()
        codes = {server.agency_id(c): c for c in ("LYO", "VIL")}
        return [(codes[r.agency_id], r.period_start, r.net_earned_cents) for r in rows]


def test_earnings_are_upserted_per_worker_agency_and_period(server: ServerHarness) -> None:
    key = server.integration_key(brand_id=1)
    worker, matricule = new_worker(server, "LYO", "VIL")
    first = deposit_earnings(server, key, [line(matricule), line(matricule, "VIL", 1000)])
    assert first.status_code == 200, first.text
    assert first.json() == {"stored": 2}
    # The nightly deposit updates the same period; a new period adds a row.
    again = deposit_earnings(server, key, [line(matricule, net=72_500), line(matricule, start="2026-04-01")])
    assert again.status_code == 200, again.text
    assert stored(server, worker) == [
        ("LYO", date(2026, 3, 1), 72_500),
        ("VIL", date(2026, 3, 1), 1000),
        ("LYO", date(2026, 4, 1), 50_000),
    ]
    with server.ctx.db.reader() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action == "earnings.deposited")).all()
    assert len(actions) == 2


def test_the_maximum_follows_the_deposited_earnings(server: ServerHarness) -> None:
    key = server.integration_key(brand_id=1)
    worker, matricule = new_worker(server, "VIL")
    assert deposit_earnings(server, key, [line(matricule, "VIL", 20_000)]).status_code == 200
    request_id = add_request(server, worker, "VIL")
    headers = da_user(server, "suivi@exemple.fr", "VIL")
    found = server.client.get(f"{URL}/{request_id}", headers=headers).json()["maximum"]
    # VIL's demo policy: 80 % of the net earned, capped at 800 €.
    assert (found["maximum_cents"], found["net_earned_cents"], found["period_start"]) == (
        16_000,
        20_000,
        "2026-03-01",
    )


def test_an_unknown_matricule_or_agency_refuses_the_deposit_naming_the_line(server: ServerHarness) -> None:
    key = server.integration_key(brand_id=1)
    worker, matricule = new_worker(server, "LYO")
    unknown = deposit_earnings(server, key, [line(matricule), line("INCONNU")])
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "Ligne 2 : matricule inconnu « INCONNU »."
    assert unknown.json()["line"] == 2
    no_agency = deposit_earnings(server, key, [line(matricule, "NOPE")])
    assert no_agency.status_code == 422
    assert no_agency.json()["code"] == "unknown_agency"
    not_attached = deposit_earnings(server, key, [line(matricule, "VIL")])
    assert not_attached.json()["code"] == "employee_not_in_agency"
    backwards = deposit_earnings(server, key, [{**line(matricule), "period_end": "2026-02-01"}])
    assert backwards.json()["code"] == "invalid_period"
    negative = deposit_earnings(server, key, [line(matricule, net=-1)])
    assert negative.status_code == 422
    assert stored(server, worker) == []  # all or nothing


def test_another_brands_key_cannot_deposit_for_these_agencies(server: ServerHarness) -> None:
    with server.session() as s, s.begin():
        brand = Brand(code="AUTRE", name="Autre marque", created_at=server.clock())
        s.add(brand)
        s.flush()
        other = brand.id
    _, matricule = new_worker(server, "LYO")
    response = deposit_earnings(server, server.integration_key(brand_id=other), [line(matricule)])
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_agency"


def test_staff_tokens_and_oversized_deposits_are_refused(server: ServerHarness) -> None:
    headers = da_user(server, "pas.une.cle@exemple.fr", "LYO")
    assert deposit_earnings(server, headers, []).status_code == 403
    key = server.integration_key(brand_id=1)
    too_many = [line(f"M{n}") for n in range(5001)]
    response = server.client.put(EARNINGS_URL, json={"items": too_many}, headers=key)
    assert response.status_code == 422


def test_two_deposits_of_the_same_key_at_once_both_succeed_and_leave_one_row(server: ServerHarness) -> None:
    """The nightly deposit retried while the first still runs: an upsert (ON CONFLICT DO UPDATE), not a
    read-then-insert that lets both insert and fails the second on the unique key (a 500 on PostgreSQL;
    SQLite runs writers one at a time). The second pair sends two keys in opposite orders (no deadlock)."""
    key = server.integration_key(brand_id=1)
    worker, matricule = new_worker(server, "LYO", "VIL")
    for round_, start in enumerate(("2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01")):
        first = [line(matricule, net=10_000 + round_, start=start)]
        second = [line(matricule, net=20_000 + round_, start=start)]
        if round_ % 2:
            first.append(line(matricule, "VIL", 1, start))
            second.insert(0, line(matricule, "VIL", 2, start))
        barrier = threading.Barrier(2)

        def send(items: list[dict[str, Any]], barrier: threading.Barrier = barrier) -> int:
            barrier.wait()
            return int(deposit_earnings(server, key, items).status_code)

        with ThreadPoolExecutor(2) as pool:
            statuses = list(pool.map(send, [first, second]))
        assert statuses == [200, 200]
        rows = [r for r in stored(server, worker) if r[1] == date.fromisoformat(start)]
        assert [r[0] for r in rows if r[0] == "LYO"] == ["LYO"]  # one row per key
        (lyon,) = [r[2] for r in rows if r[0] == "LYO"]
        assert lyon in (10_000 + round_, 20_000 + round_)  # the deposit committed last
    with server.ctx.db.reader() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action == "earnings.deposited")).all()
    assert len(actions) == 8
