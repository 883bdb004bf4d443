"""The advances client (F5.3, F5.4, F5.7) against the real backend over HTTP: typed pending and processed
requests, the pending count and its cheap 304, a partial acceptance, the colleague who was first (409
naming who and when), an amount above the maximum (422), the history's sorts and pages, and the two CSV
files saved to disk (nothing left behind on a cancel or an unwritable folder)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select

from coffreo_desktop.client.advances import (
    AdvanceFilters,
    AdvanceRequest,
    AdvancesApi,
    AlreadyProcessed,
)
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.export import ExportCancelled, ExportError
from coffreo_desktop.domain.exports import CSV_DELIMITER
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import Agency, Employee, EmployeeAgency, RecipientAccount
from coffreo_desktop.server.security import hash_password
from tests.client.documents_backend import PASSWORDS, served
from tests.server.advance_helpers import add_request, new_worker
from tests.server.recipient_helpers import login as recipient_login
from tests.support import PASSWORD, ServerHarness

T = TypeVar("T")
ACOMPTES = "acomptes@demo.coffreo.fr"
ADMIN = "admin@demo.coffreo.fr"
PAYROLL_HEADER = [
    "Matricule",
    "Nom",
    "Prénom",
    "Agence",
    "Code agence",
    "Montant accordé (€)",
    "Date d'acceptation",
]


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Callable[[AdvancesApi], Awaitable[T]], email: str = ACOMPTES) -> T:
    async def main() -> T:
        api = ApiClient(base_url)
        await api.login(email, PASSWORDS[email])
        try:
            return await scenario(AdvancesApi(api))
        finally:
            await api.aclose()

    return asyncio.run(main())


def da_agencies(server: ServerHarness) -> set[int]:
    return {server.agency_id("LYO"), server.agency_id("VIL")}


def test_pending_lists_the_requests_of_the_users_da_agencies_oldest_first(
    server: ServerHarness, base_url: str
) -> None:
    worker, _ = new_worker(server, "LYO", last_name="Zébulon")
    asked_max = add_request(server, worker, "LYO", wants_maximum=True, comment="Loyer")
    outside, _ = new_worker(server, "PAR11")
    add_request(server, outside, "PAR11")

    async def scenario(api: AdvancesApi) -> tuple[list[AdvanceRequest], int, list[AdvanceRequest]]:
        page = await api.pending()
        lyon = await api.pending(AdvanceFilters(agency_id=server.agency_id("LYO")))
        return list(page.items), page.total, list(lyon.items)

    items, total, lyon = run(base_url, scenario)
    assert total == len(items) >= 1
    assert {item.agency_id for item in items} <= da_agencies(server)
    assert all(item.state == AdvanceState.SENT for item in items)
    assert [i.created_at for i in items] == sorted(i.created_at for i in items)
    mine = next(item for item in items if item.id == asked_max)
    assert mine.wants_maximum and mine.amount_cents is None and mine.last_name == "Zébulon"
    assert mine.comment == "Loyer" and mine.created_at.tzinfo is not None
    assert {item.agency_id for item in lyon} == {server.agency_id("LYO")}


def test_pending_count_answers_304_until_a_new_request_arrives(server: ServerHarness, base_url: str) -> None:
    worker, _ = new_worker(server, "VIL")

    async def first(api: AdvancesApi) -> tuple[object, str | None, object, str | None]:
        count, etag = await api.pending_count()
        again, etag2 = await api.pending_count(etag)
        return count, etag, again, etag2

    count, etag, again, etag2 = run(base_url, first)
    assert count is not None and etag and again is None and etag2 == etag
    new_id = add_request(server, worker, "VIL")

    changed, etag3 = run(base_url, lambda api: api.pending_count(etag))
    assert changed is not None and etag3 != etag
    assert changed.total == count.total + 1  # type: ignore[attr-defined]
    assert changed.latest_id == new_id
    assert changed.by_agency[server.agency_id("VIL")] >= 1


def test_pending_count_grows_when_a_worker_asks_through_the_recipient_api(
    server: ServerHarness, base_url: str
) -> None:
    email = "ines.moreau@exemple.fr"
    now = server.clock()
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency).where(Agency.code == "LYO")).one()
        employee = Employee(
            brand_id=agency.brand_id,
            matricule="W-LYO-1",
            first_name="Inès",
            last_name="Moreau",
            email=email,
            created_at=now,
            vault_activated_at=now,
        )
        s.add(employee)
        s.flush()
        s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency.id, since=now))
        s.add(
            RecipientAccount(
                kind="employee",
                email=email,
                password_hash=hash_password(PASSWORD),
                created_at=now,
                activated_at=now,
            )
        )
    before, etag = run(base_url, lambda api: api.pending_count())
    worker = recipient_login(server, email, "employee")
    created = server.client.post(
        "/api/v1/recipient/advances",
        headers=worker,
        json={"agency_id": server.agency_id("LYO"), "amount": "50", "comment": "Essence"},
    )
    assert created.status_code == 201, created.text
    after, _ = run(base_url, lambda api: api.pending_count(etag))
    assert before is not None and after is not None
    assert after.total == before.total + 1 and after.latest_id == created.json()["id"]


def test_partial_acceptance_then_a_colleague_is_told_who_was_first(
    server: ServerHarness, base_url: str
) -> None:
    worker, _ = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO", amount_cents=30000)

    async def accept(api: AdvancesApi) -> tuple[AdvanceRequest, AdvanceRequest, list[int]]:
        detail = await api.detail(request_id)
        assert detail.maximum.maximum_cents >= 10000
        decided = await api.decide(request_id, "accept", "100,50", "Accord partiel", detail.request.version)
        history = await api.history(sort="decided_at", order="desc")
        pending = await api.pending()
        assert request_id not in [item.id for item in pending.items]
        return detail.request, decided, [item.id for item in history.items]

    before, decided, history_ids = run(base_url, accept)
    assert decided.state == AdvanceState.ACCEPTED and decided.granted_cents == 10050
    assert decided.decision == "partial" and decided.decided_by_name
    assert decided.decision_comment == "Accord partiel"
    assert history_ids[0] == request_id

    async def late(api: AdvancesApi) -> AlreadyProcessed:
        with pytest.raises(AlreadyProcessed) as caught:
            await api.decide(request_id, "refuse", None, "Refusé", before.version)
        return caught.value

    error = run(base_url, late, email=ADMIN)
    assert error.status == 409 and error.code == "already_processed"
    assert "déjà traitée par" in str(error) and decided.decided_by_name in str(error)  # type: ignore[operator]


def test_amount_above_the_maximum_is_refused_with_the_maximum_named(
    server: ServerHarness, base_url: str
) -> None:
    worker, _ = new_worker(server, "VIL")
    request_id = add_request(server, worker, "VIL", wants_maximum=True)

    async def scenario(api: AdvancesApi) -> tuple[ApiError, AdvanceRequest]:
        detail = await api.detail(request_id)
        assert detail.request.wants_maximum
        above = (detail.maximum.maximum_cents + 100) / 100
        with pytest.raises(ApiError) as caught:
            await api.decide(request_id, "accept", f"{above:.2f}", "", detail.request.version)
        still = (await api.detail(request_id)).request
        return caught.value, still

    error, still = run(base_url, scenario)
    assert error.status == 422 and "maximum" in str(error)
    assert still.state == AdvanceState.SENT


def test_history_sorts_on_every_column_and_pages_without_gaps(server: ServerHarness, base_url: str) -> None:
    async def scenario(api: AdvancesApi) -> dict[str, list[AdvanceRequest]]:
        results: dict[str, list[AdvanceRequest]] = {}
        for sort in ("amount", "last_name", "created_at", "granted", "state", "decided_by", "agency"):
            page = await api.history(sort=sort, order="asc", limit=500)
            results[sort] = list(page.items)
        rows: list[AdvanceRequest] = []
        cursor = None
        while True:
            page = await api.history(sort="amount", order="desc", cursor=cursor, limit=3)
            rows.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        results["paged"] = rows
        return results

    results = run(base_url, scenario, email=ADMIN)
    by_amount = results["amount"]
    assert len(by_amount) >= 4
    amounts = [r.amount_cents or 0 for r in by_amount if not r.wants_maximum]
    assert amounts == sorted(amounts)
    assert {r.state for r in by_amount} <= {
        AdvanceState.ACCEPTED,
        AdvanceState.REFUSED,
        AdvanceState.CANCELLED,
    }
    created = [r.created_at for r in results["created_at"]]
    assert created == sorted(created)
    paged = results["paged"]
    assert len({r.id for r in paged}) == len(paged) == len(by_amount)


def read_csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=CSV_DELIMITER))


def test_history_and_payroll_csv_are_saved_to_the_chosen_file(
    server: ServerHarness, base_url: str, tmp_path: Path
) -> None:
    worker, matricule = new_worker(server, "LYO")
    request_id = add_request(server, worker, "LYO", amount_cents=12000)
    history_file, payroll_file = tmp_path / "historique.csv", tmp_path / "paie.csv"  # beside "server/"
    written: list[int] = []

    async def scenario(api: AdvancesApi) -> tuple[int, int]:
        detail = await api.detail(request_id)
        await api.decide(request_id, "accept", None, "Accordé", detail.request.version)
        size = await api.save_history_csv(
            AdvanceFilters(), "decided_at", "desc", history_file, progress=written.append
        )
        paid = await api.save_payroll_csv(AdvanceFilters(), payroll_file)
        return size, paid

    size, _ = run(base_url, scenario)
    assert size == history_file.stat().st_size and written and written[-1] == size
    history = read_csv(history_file)
    assert len(history) >= 2 and any(matricule in row for row in history[1:])
    payroll = read_csv(payroll_file)
    assert payroll[0] == PAYROLL_HEADER
    line = next(row for row in payroll[1:] if row[0] == matricule)
    assert line[4] == "LYO" and line[5].replace("\u00a0", " ").startswith("120")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_a_cancelled_or_failed_save_leaves_nothing_and_says_why_in_french(
    server: ServerHarness, base_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "annule.csv"
    missing = folder / "absent" / "historique.csv"

    async def scenario(api: AdvancesApi) -> ExportError:
        with pytest.raises(ExportCancelled):
            await api.save_history_csv(AdvanceFilters(), "amount", "asc", target, cancelled=lambda: True)
        with pytest.raises(ExportError) as caught:
            await api.save_history_csv(AdvanceFilters(), "amount", "asc", missing)
        return caught.value

    error = run(base_url, scenario)
    assert not target.exists() and os.listdir(folder) == []
    assert "absent" in str(error) and "emplacement" in str(error)
