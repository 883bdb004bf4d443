"""The "Mes salariés" client (F6.2) against the real backend over HTTP: typed pages followed to the end, the
search and the filter, the counts, a reminder then the 24-hour refusal with its date, "relancer tous" walked
batch after batch (each committed), a selection of more than ``REMINDER_BATCH`` sent in chunks, and the
folder."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.employees import (
    EmployeeCounts,
    EmployeeFolder,
    EmployeesApi,
    EmployeesPage,
    EmployeeStatus,
    ReminderOutcome,
    reminder_chunks,
)
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.limits import REMINDER_BATCH, REMINDER_INTERVAL
from coffreo_desktop.domain.rights import Right
from tests.client.documents_backend import served
from tests.server.test_admin_employees import employees_of, not_activated, not_activated_with_email, populate
from tests.support import PASSWORD, ServerHarness

T = TypeVar("T")
ADMIN = "rh.lyon@exemple.fr"


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    server.make_user(ADMIN, {"LYO": (Right.ADMIN,)})
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Callable[[EmployeesApi], Awaitable[T]]) -> T:
    async def main() -> T:
        api = ApiClient(base_url)
        await api.login(ADMIN, PASSWORD)
        try:
            return await scenario(EmployeesApi(api))
        finally:
            await api.aclose()

    return asyncio.run(main())


def test_pages_follow_the_cursor_to_every_employee_of_the_agency(
    server: ServerHarness, base_url: str
) -> None:
    lyon = populate(server, count=70)

    async def scenario(api: EmployeesApi) -> list[int]:
        ids: list[int] = []
        cursor = None
        while True:
            page = await api.page(lyon, cursor=cursor, limit=20)
            ids += [row.id for row in page.items]
            if page.next_cursor is None:
                return ids
            cursor = page.next_cursor

    assert sorted(run(base_url, scenario)) == sorted(e.id for e in employees_of(server, lyon))


def test_search_filter_and_counts_are_typed(server: ServerHarness, base_url: str) -> None:
    lyon = populate(server, count=70)

    async def scenario(api: EmployeesApi) -> tuple[EmployeesPage, EmployeeCounts]:
        found = await api.page(lyon, query="lefèv", status=EmployeeStatus.NOT_ACTIVATED, limit=200)
        return found, await api.counts(lyon)

    found, counts = run(base_url, scenario)
    people = employees_of(server, lyon)
    expected = {e.id for e in not_activated(server, lyon) if e.last_name.startswith("Lefèvre")}
    assert {r.id for r in found.items} == expected
    assert all(not r.activated and r.last_name.startswith("Lefèvre") for r in found.items)
    assert counts.total == len(people)
    assert counts.activated + counts.not_activated == counts.created  # no vault: neither of them


def test_a_second_reminder_within_24_hours_comes_back_skipped_with_its_date(
    server: ServerHarness, base_url: str
) -> None:
    lyon = populate(server, count=10)
    target = not_activated_with_email(server, lyon)[0]

    async def scenario(api: EmployeesApi) -> tuple[ReminderOutcome, ReminderOutcome]:
        return await api.remind(lyon, [target.id]), await api.remind_all_not_activated(lyon)

    first, second = run(base_url, scenario)
    assert first.reminded == 1 and first.reminded_ids == (target.id,)
    [skipped] = [s for s in second.skipped if s.id == target.id]
    assert skipped.until == server.clock() + REMINDER_INTERVAL
    assert skipped.name == f"{target.first_name} {target.last_name}"


def test_the_folder_lists_the_documents_and_an_unknown_employee_is_an_error(
    server: ServerHarness, base_url: str
) -> None:
    lyon = server.agency_id("LYO")
    employee = employees_of(server, lyon)[0]

    async def scenario(api: EmployeesApi) -> EmployeeFolder:
        folder = await api.folder(lyon, employee.id)
        with pytest.raises(ApiError) as refused:
            await api.folder(lyon, 10**9)
        assert refused.value.status == 404
        return folder

    folder = run(base_url, scenario)
    assert folder.matricule == employee.matricule
    assert lyon in {a for a, _ in folder.agencies}
    assert all(d.title for d in folder.documents)


def test_remind_all_walks_every_batch_once_and_starting_again_skips_everyone(
    server: ServerHarness, base_url: str
) -> None:
    lyon = populate(server, count=2_000)
    waiting = {e.id for e in not_activated(server, lyon)}
    assert len(waiting) > 2 * REMINDER_BATCH  # three batches at least

    async def scenario(api: EmployeesApi) -> tuple[list[ReminderOutcome], ReminderOutcome]:
        batches = [await api.remind_all_batch(lyon)]
        while batches[-1].next_after_id is not None:
            batches.append(await api.remind_all_batch(lyon, batches[-1].next_after_id))
        return batches, await api.remind_all_not_activated(lyon)

    batches, again = run(base_url, scenario)
    assert len(batches) == -(-len(waiting) // REMINDER_BATCH)
    seen: list[int] = []
    for batch in batches:
        ids = [*batch.reminded_ids, *(s.id for s in batch.skipped), *(n.id for n in batch.not_sent)]
        assert batch.handled == len(ids) <= REMINDER_BATCH
        assert not seen or min(ids) > max(seen)  # id order, after the previous batch
        seen += ids
        if batch.next_after_id is not None:
            assert batch.next_after_id == max(ids)
            assert batch.remaining == len([i for i in waiting if i > batch.next_after_id])
    assert batches[-1].next_after_id is None and batches[-1].remaining == 0
    assert sorted(seen) == sorted(waiting)
    reminded = {i for b in batches for i in b.reminded_ids}
    assert reminded == {e.id for e in not_activated_with_email(server, lyon)}
    # Starting again from the start: nobody is mailed twice, everyone reminded comes back skipped.
    assert again.reminded == 0 and {s.id for s in again.skipped} == reminded
    assert again.handled == len(waiting) and again.next_after_id is None


def test_a_selection_larger_than_a_batch_is_sent_in_chunks_and_merged(
    server: ServerHarness, base_url: str
) -> None:
    lyon = populate(server, count=1_200)
    targets = [e.id for e in not_activated_with_email(server, lyon)]
    assert len(targets) > REMINDER_BATCH
    assert [len(c) for c in reminder_chunks(targets)] == [REMINDER_BATCH, len(targets) - REMINDER_BATCH]

    async def scenario(api: EmployeesApi) -> ReminderOutcome:
        with pytest.raises(ValueError):
            await api.remind_chunk(lyon, list(range(1, REMINDER_BATCH + 2)))
        return await api.remind(lyon, targets)

    outcome = run(base_url, scenario)
    assert outcome.reminded == len(targets) and sorted(outcome.reminded_ids) == sorted(targets)
    assert outcome.skipped == () and outcome.not_sent == ()
    assert outcome.next_after_id is None and outcome.remaining == 0
