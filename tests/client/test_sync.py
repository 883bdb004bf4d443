"""Offline synchronisation (F2.9) against the real backend: saved lists follow deletions, deposits and
changes exactly; pinned files follow new content; viewing goes through the cache (offline too); and the
local filter and order of SearchParams equal the server's search."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.document_cache import DocumentCache, SavedList
from coffreo_desktop.client.documents import (
    CRITERIA,
    SORT_FIELDS,
    Change,
    DocumentRow,
    DocumentsApi,
    SearchParams,
)
from coffreo_desktop.client.errors import ApiError, ServerUnreachable
from coffreo_desktop.client.offline_store import offline_dir
from coffreo_desktop.client.sync import (
    SyncReport,
    apply_changes,
    fetch_for_viewing,
    pin_rows,
    save_result_list,
    synchronise,
)
from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.server.db.models import Document
from tests.client.documents_backend import (
    CONTRACTS,
    agencies_by_brand,
    deposit_payslip,
    edit_document,
    first_document,
    logged_in,
    pdf_bytes,
    replace_content,
    served,
    signed_now,
    today,
)
from tests.support import ServerHarness

T = TypeVar("T")
TEXT_SORTS = set(SORT_FIELDS) - {"document_date", "size", "created_at"}


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


@pytest.fixture
def cache() -> DocumentCache:
    opened = DocumentCache.open(CredentialStore())
    assert opened is not None
    return opened


def run(base_url: str, scenario: Callable[[DocumentsApi], Awaitable[T]]) -> T:
    async def main() -> T:
        documents = await logged_in(base_url)
        try:
            return await scenario(documents)
        finally:
            await documents.api.aclose()

    return asyncio.run(main())


def is_sqlite(server: ServerHarness) -> bool:
    return server.ctx.db.url.startswith("sqlite")


def assert_same_rows(
    server: ServerHarness, got: list[DocumentRow], expected: list[DocumentRow], sort: str
) -> None:
    assert len({r.id for r in got}) == len(got), "a row repeated"
    assert {r.id: r for r in got} == {r.id: r for r in expected}
    # PostgreSQL orders text by its collation, Python by code point: the order is exact on SQLite.
    if is_sqlite(server) or sort not in TEXT_SORTS:
        assert [r.id for r in got] == [r.id for r in expected]


def unsigned_contracts(server: ServerHarness, agency: str) -> list[int]:
    with server.ctx.db.reader() as s:
        return list(
            s.scalars(
                select(Document.id)
                .where(
                    Document.agency_id == server.agency_id(agency),
                    Document.doc_type.in_(CONTRACTS),
                    Document.signature_state == SignatureState.UNSIGNED,
                    Document.deleted_at.is_(None),
                )
                .order_by(Document.id)
            )
        )


LISTS = {
    "Lyon": SearchParams(sort="last_name", order="asc"),  # agency_id set in the test
    "Non signés": SearchParams(signed="no"),
    "Salariée Synchro": SearchParams(criterion="last_name", value="synchro", sort="title"),
}


def test_synchronise_brings_saved_lists_exactly_up_to_date(
    server: ServerHarness, base_url: str, cache: DocumentCache
) -> None:
    lyon = server.agency_id("LYO")
    lists = {
        **LISTS,
        "Lyon": SearchParams(agency_id=lyon, sort="last_name", order="asc"),
        "Lyon par taille": SearchParams(agency_id=lyon, sort="size", order="asc"),
    }
    deleted, signed = unsigned_contracts(server, "LYO")[:2]
    resized = first_document(server, agency_id=lyon, doc_type=DocumentType.PAYSLIP).id
    server.close_campaigns()  # the deposit below brings its payslip only: the counts stay exact

    async def prepare(documents: DocumentsApi) -> None:
        for name, params in lists.items():
            await save_result_list(documents, cache, name, params)
        await fetch_for_viewing(documents, cache, await documents.describe(deleted))
        await documents.delete(deleted)  # a colleague deletes an unsigned contract

    run(base_url, prepare)
    assert deleted in cache.cached_ids()
    before = {name: cache.load_list(name) for name in lists}
    assert all(saved is not None and saved.token for saved in before.values())
    new_id = deposit_payslip(server, "LYO", last_name="Dupont-Synchro")  # sorts amid the Lyon list
    edit_document(server, signed, **signed_now(server))
    replace_content(server, resized, pdf_bytes("Bulletin rectifié"))  # smaller: moves up "par taille"

    async def sync(documents: DocumentsApi) -> tuple[SyncReport, dict[str, list[DocumentRow]]]:
        report = await synchronise(documents, cache, today=today(server))
        fresh = {name: [r async for r in documents.iterate(params)] for name, params in lists.items()}
        return report, fresh

    report, fresh = run(base_url, sync)
    for name, params in lists.items():
        saved = cache.load_list(name)
        assert saved is not None and saved.params == params
        assert_same_rows(server, saved.rows, fresh[name], params.sort)
    lyon_list = cache.load_list("Lyon")
    assert lyon_list is not None
    assert 0 < [r.id for r in lyon_list.rows].index(new_id) < len(lyon_list.rows) - 1
    by_size = cache.load_list("Lyon par taille")
    assert by_size is not None and by_size.rows[0].id == resized
    assert next(r for r in lyon_list.rows if r.id == signed).signature_state is SignatureState.SIGNED
    synchro = cache.load_list("Salariée Synchro")
    assert synchro is not None and [r.id for r in synchro.rows] == [new_id]
    # Both Lyon lists: +payslip, ~signed, ~resized, -deleted; "Non signés": -deleted, -signed;
    # "Synchro": +payslip.
    assert (report.lists, report.added, report.updated, report.removed) == (4, 3, 4, 4)
    assert report.summary == "Données hors ligne à jour : 3 documents ajoutés, 4 modifiés et 4 retirés."
    assert deleted not in cache.cached_ids(), "a deleted document leaves the cache too"

    again, _ = run(base_url, sync)
    assert (again.added, again.updated, again.removed, again.refreshed) == (0, 0, 0, 0)
    assert again.summary == "Données hors ligne à jour : aucun changement."


def test_a_list_whose_token_is_refused_is_read_again_in_full(
    server: ServerHarness, base_url: str, cache: DocumentCache
) -> None:
    params = SearchParams(types=(DocumentType.INVOICE,), sort="invoice_number")
    cache.save_list("Factures", params, [], "jeton-d-un-autre-serveur")

    async def scenario(documents: DocumentsApi) -> tuple[SyncReport, list[DocumentRow]]:
        report = await synchronise(documents, cache, today=today(server))
        return report, [r async for r in documents.iterate(params)]

    report, expected = run(base_url, scenario)
    saved = cache.load_list("Factures")
    assert saved is not None and saved.token and saved.token != "jeton-d-un-autre-serveur"
    assert_same_rows(server, saved.rows, expected, params.sort)
    assert report.added == len(expected) > 0


def test_pinned_files_follow_new_content_and_stale_unpinned_ones_are_dropped(
    server: ServerHarness, base_url: str, cache: DocumentCache
) -> None:
    params = SearchParams(agency_id=server.agency_id("NAN"), sort="title")
    progress: list[tuple[int, int]] = []

    async def prepare(documents: DocumentsApi) -> list[DocumentRow]:
        rows = (await documents.search(params, limit=4)).items
        assert await pin_rows(documents, cache, rows[:3], lambda d, t: progress.append((d, t))) == 3
        await fetch_for_viewing(documents, cache, rows[3])  # opened, not pinned
        first = await synchronise(documents, cache, today=today(server))
        assert first.refreshed == 0, "pinned files just downloaded are current"
        return rows

    rows = run(base_url, prepare)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert cache.pinned_ids() == {r.id for r in rows[:3]}
    signed_pdf = pdf_bytes("Document signé")
    replace_content(server, rows[0].id, signed_pdf)
    replace_content(server, rows[3].id, pdf_bytes("Nouvelle version"))

    async def sync(documents: DocumentsApi) -> SyncReport:
        return await synchronise(documents, cache, today=today(server))

    report = run(base_url, sync)
    assert report.refreshed == 1
    assert report.summary.endswith("1 fichier actualisé.")
    assert cache.get(rows[0].id) == signed_pdf and cache.is_pinned(rows[0].id)
    assert cache.content_sha256(rows[0].id) == hashlib.sha256(signed_pdf).hexdigest()
    assert rows[3].id not in cache.cached_ids(), "fetched again when next opened"
    assert cache.cached_ids() == {r.id for r in rows[:3]}


def test_pinning_stops_when_cancelled(server: ServerHarness, base_url: str, cache: DocumentCache) -> None:
    progress: list[tuple[int, int]] = []

    def record(done: int, total: int) -> None:
        progress.append((done, total))

    async def scenario(documents: DocumentsApi) -> tuple[int, int]:
        rows = (await documents.search(SearchParams(), limit=5)).items
        stopped = await pin_rows(documents, cache, rows, record, lambda: len(progress) >= 2)
        return stopped, await pin_rows(documents, cache, rows)

    stopped, complete = run(base_url, scenario)
    assert (stopped, progress) == (2, [(1, 5), (2, 5)])
    assert complete == 5 and len(cache.pinned_ids()) == 5


def test_viewing_uses_the_cache_and_still_works_offline(server: ServerHarness, cache: DocumentCache) -> None:
    loop = asyncio.new_event_loop()
    try:
        with served(server) as url:
            documents = loop.run_until_complete(logged_in(url))
            first, second = loop.run_until_complete(documents.search(SearchParams(), limit=2)).items
            data = loop.run_until_complete(fetch_for_viewing(documents, cache, first))
        # The server is stopped now; the session is still logged in.

        async def read_offline() -> tuple[bytes, ApiError]:
            cached = await fetch_for_viewing(documents, cache, first)
            with pytest.raises(ApiError) as caught:
                await fetch_for_viewing(documents, cache, second)
            return cached, caught.value

        cached, error = loop.run_until_complete(read_offline())
        loop.run_until_complete(documents.api.aclose())
    finally:
        loop.close()
    assert cached == data and data.startswith(b"%PDF")
    assert isinstance(error, ServerUnreachable) and "injoignable" in str(error)


def test_viewing_a_document_deleted_meanwhile_says_so_and_drops_the_copy(
    server: ServerHarness, base_url: str, cache: DocumentCache
) -> None:
    contract = unsigned_contracts(server, "LYO")[0]

    async def scenario(documents: DocumentsApi) -> ApiError:
        row = await documents.describe(contract)
        await fetch_for_viewing(documents, cache, row)
        await documents.delete(contract)
        newer = DocumentRow.from_json({**row.to_json(), "sha256": "0" * 64})  # the copy is stale
        with pytest.raises(ApiError) as caught:
            await fetch_for_viewing(documents, cache, newer)
        return caught.value

    error = run(base_url, scenario)
    assert (error.status, error.code) == (410, "document_deleted")
    assert "supprimé" in error.detail
    assert contract not in cache.cached_ids()


def searches(agency_ids: list[int], brands: dict[int, frozenset[int]]) -> st.SearchStrategy[SearchParams]:
    """Random searches scoped to every agency, one agency, or one entity (with the agencies the desktop
    knows of that entity)."""
    scopes: list[dict[str, object]] = [{}, *({"agency_id": a} for a in agency_ids)]
    scopes += [{"brand_id": b, "brand_agencies": agencies} for b, agencies in brands.items()]
    return st.sampled_from(scopes).flatmap(
        lambda scope: st.builds(
            SearchParams,
            **{name: st.just(value) for name, value in scope.items()},
            types=st.lists(st.sampled_from(list(DocumentType)), max_size=3, unique=True).map(tuple),
            signed=st.sampled_from([None, "yes", "no"]),
            period=st.sampled_from(list(Period)),
            criterion=st.sampled_from([None, *CRITERIA]),
            value=st.sampled_from(["a", "E", "ma", "1", "0", "du", "zz", "%", "_", "É", "ô"]),
            invoice_state=st.sampled_from([None, *InvoiceState]),
            sort=st.sampled_from(list(SORT_FIELDS)),
            order=st.sampled_from(["asc", "desc"]),
        )
    )


def test_local_filter_and_order_equal_the_servers_search(server: ServerHarness, base_url: str) -> None:
    brands = agencies_by_brand(server)
    assert len(brands) == 2  # LYO in an entity of its own, for an entity scope that is not "everything"
    day = today(server)
    loop = asyncio.new_event_loop()
    documents = loop.run_until_complete(logged_in(base_url))
    everything = loop.run_until_complete(_all(documents, SearchParams()))
    assert len(everything) > 50

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=searches([server.agency_id("PAR11"), server.agency_id("LYO")], brands))
    def check(params: SearchParams) -> None:
        got = loop.run_until_complete(_all(documents, params))
        expected = params.sort_rows(row for row in everything if params.matches(row, day))
        assert_same_rows(server, got, expected, params.sort)

    try:
        check()
    finally:
        loop.run_until_complete(documents.api.aclose())
        loop.close()


async def _all(documents: DocumentsApi, params: SearchParams) -> list[DocumentRow]:
    return [row async for row in documents.iterate(params, page_size=97)]


def local_rows(ids: range) -> st.SearchStrategy[dict[int, DocumentRow]]:
    """Rows of a small made-up agency, many ties on every sort."""

    def row(document_id: int) -> st.SearchStrategy[DocumentRow]:
        return st.builds(
            DocumentRow,
            id=st.just(document_id),
            agency_id=st.sampled_from([1, 2]),
            agency_name=st.just("Agence"),
            doc_type=st.sampled_from(list(DocumentType)),
            title=st.sampled_from(["Contrat", "Bulletin", "Facture"]),
            file_name=st.just("f.pdf"),
            size=st.integers(1, 4),
            pages=st.just(1),
            document_date=st.dates(date(2025, 1, 1), date(2026, 3, 16)),
            employee_first_name=st.none(),
            employee_last_name=st.sampled_from([None, "", "Ab", "b", "Zé"]),
            matricule=st.sampled_from([None, "10", "2"]),
            client_name=st.none(),
            contract_number=st.none(),
            invoice_number=st.none(),
            signature_state=st.sampled_from(list(SignatureState)),
            signed_at=st.none(),
            invoice_state=st.sampled_from([None, *InvoiceState]),
            can_delete=st.booleans(),
            created_at=st.just(datetime(2026, 3, 1, tzinfo=UTC)),
        )

    return st.fixed_dictionaries({n: row(n) for n in ids})


# Mostly broad searches, so that lists hold rows for the changes to move; some scoped to an entity of
# agency 1 only (the made-up rows are of agencies 1 and 2).
loose_searches = st.builds(
    SearchParams,
    agency_id=st.sampled_from([None, None, 1]),
    types=st.sampled_from([(), (), (DocumentType.PAYSLIP, DocumentType.INVOICE, DocumentType.DIFFUSED)]),
    signed=st.sampled_from([None, None, "no"]),
    period=st.sampled_from([Period.ALL, Period.ALL, Period.YEAR_1]),
    criterion=st.sampled_from([None, None, "last_name", "matricule"]),
    value=st.sampled_from(["b", "1", "B"]),
    sort=st.sampled_from(list(SORT_FIELDS)),
    order=st.sampled_from(["asc", "desc"]),
)


@settings(max_examples=60, deadline=None)
@given(
    params=loose_searches,
    entity=st.booleans(),
    before=local_rows(range(1, 16)),
    after=local_rows(range(1, 21)),
    touched=st.sets(st.integers(1, 20), min_size=1),
    deleted=st.sets(st.integers(1, 15)),
)
def test_applying_changes_gives_the_search_of_the_new_state(
    params: SearchParams,
    entity: bool,
    before: dict[int, DocumentRow],
    after: dict[int, DocumentRow],
    touched: set[int],
    deleted: set[int],
) -> None:
    day = date(2026, 3, 16)
    if entity:
        params = replace(params, agency_id=None, brand_id=7, brand_agencies=frozenset({1}))
    state = dict(before)
    changes: dict[int, Change] = {}
    for document_id in sorted(touched | deleted):
        if document_id in deleted:
            state.pop(document_id, None)
            changes[document_id] = Change(document_id, True, None)
        else:
            state[document_id] = after[document_id]
            changes[document_id] = Change(document_id, False, after[document_id])
    listed = params.sort_rows(r for r in before.values() if params.matches(r, day))
    saved = SavedList("liste", params, listed, "jeton", datetime(2026, 3, 16, tzinfo=UTC))
    rows, report = apply_changes(saved, changes, day)
    expected = params.sort_rows(r for r in state.values() if params.matches(r, day))
    assert rows == expected
    old, new = {r.id: r for r in listed}, {r.id: r for r in expected}
    assert report.added == len(new.keys() - old.keys())
    assert report.removed == len(old.keys() - new.keys())
    assert report.updated == sum(1 for k in old.keys() & new.keys() if old[k] != new[k])


def test_a_cached_copy_corrupted_on_disk_is_dropped_and_fetched_again_when_reopened(
    server: ServerHarness, base_url: str, cache: DocumentCache
) -> None:
    document_id = first_document(server, doc_type=DocumentType.PAYSLIP).id
    downloads: list[str] = []

    async def count_downloads(request: httpx.Request) -> None:
        if request.url.path.endswith(f"/documents/{document_id}/file"):
            downloads.append(request.method)

    async def view_twice(documents: DocumentsApi) -> tuple[bytes, bytes, bytes]:
        documents.api._http.event_hooks["request"].append(count_downloads)
        row = await documents.describe(document_id)
        first = await fetch_for_viewing(documents, cache, row)
        again = await fetch_for_viewing(documents, cache, row)  # from the cache: no request
        assert downloads == ["GET"]
        (content,) = [p for p in offline_dir().rglob("d-*.bin") if p.is_file()]
        blob = bytearray(content.read_bytes())
        blob[len(blob) // 2] ^= 0x01  # one bit of the encrypted bytes flipped on disk
        content.write_bytes(bytes(blob))
        reopened = await fetch_for_viewing(documents, cache, row)
        return first, again, reopened

    first, again, reopened = run(base_url, view_twice)
    assert first == again == reopened and reopened.startswith(b"%PDF")
    assert downloads == ["GET", "GET"], "the corrupted copy was not fetched again from the server"
    assert hashlib.sha256(reopened).hexdigest() == cache.content_sha256(document_id)
    assert cache.get(document_id) == reopened  # kept again, readable offline
