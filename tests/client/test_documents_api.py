"""The documents client (F2.2–F2.6, F2.9) against the real backend over HTTP: typed search pages, every page
of a search, metadata, verified downloads with ETag revalidation, deletion rules, the change feed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any, TypeVar

import httpx
import pytest

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import (
    CRITERIA,
    SORT_FIELDS,
    DocumentRow,
    DocumentsApi,
    DownloadCorrupted,
    SearchParams,
)
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.exports import csv_row
from coffreo_desktop.domain.periods import Period
from tests.client.documents_backend import (
    ADMIN,
    PASSWORDS,
    agencies_by_brand,
    first_document,
    logged_in,
    served,
    today,
    unsigned_contract,
)
from tests.support import ServerHarness

T = TypeVar("T")
Scenario = Callable[[DocumentsApi], Awaitable[T]]


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Scenario[T]) -> T:
    async def main() -> T:
        documents = await logged_in(base_url)
        try:
            return await scenario(documents)
        finally:
            await documents.api.aclose()

    return asyncio.run(main())


async def every_row(documents: DocumentsApi, params: SearchParams, page_size: int = 500) -> list[DocumentRow]:
    return [row async for row in documents.iterate(params, page_size)]


def test_search_rows_are_typed_and_round_trip_to_the_apis_json(server: ServerHarness, base_url: str) -> None:
    async def scenario(documents: DocumentsApi) -> tuple[Any, Any]:
        page = await documents.search(SearchParams(), limit=50, with_total=True)
        raw = await documents.api.request("GET", "/documents", params={"limit": 50, "total": "true"})
        return page, raw.json()

    page, raw = run(base_url, scenario)
    assert page.total == raw["total"] and page.total > 50
    assert page.next_cursor is not None and len(page.items) == 50
    assert all(isinstance(row.doc_type, DocumentType) for row in page.items)
    assert all(isinstance(row.document_date, date) for row in page.items)
    for row, item in zip(page.items, raw["items"], strict=True):
        assert {k: v for k, v in row.to_json().items() if k in item} == item
        assert DocumentRow.from_json(row.to_json()) == row
        assert csv_row(row.to_json()) == csv_row(item)
        assert row.sha256 == item.get("sha256", "")


def test_iterate_reads_every_page_without_skipping_or_repeating(server: ServerHarness, base_url: str) -> None:
    params = SearchParams(sort="last_name", order="asc")

    async def scenario(documents: DocumentsApi) -> tuple[list[int], list[int], int | None]:
        small = [row.id for row in await every_row(documents, params, page_size=7)]
        large = [row.id for row in await every_row(documents, params)]
        total = await documents.count(params)
        assert (await documents.search(params, limit=1)).total is None  # counted only when asked
        return small, large, total

    small, large, total = run(base_url, scenario)
    assert small == large
    assert len(small) == len(set(small)) == total


def test_search_filters_reach_the_server(server: ServerHarness, base_url: str) -> None:
    lyon = server.agency_id("LYO")
    params = SearchParams(
        agency_id=lyon,
        types=(DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT),
        signed="no",
        period=Period.YEAR_1,
        sort="contract_number",
        order="asc",
    )

    async def scenario(documents: DocumentsApi) -> list[DocumentRow]:
        return await every_row(documents, params)

    rows = run(base_url, scenario)
    assert rows, "the demo has unsigned contracts at Lyon"
    assert {row.agency_id for row in rows} == {lyon}
    assert {row.signature_state for row in rows} == {SignatureState.UNSIGNED}
    assert {row.doc_type for row in rows} <= set(params.types)
    assert [params.sort_key(r) for r in rows] == sorted(params.sort_key(r) for r in rows)


def test_an_entity_scope_lists_its_agencies_and_filters_alike_offline(
    server: ServerHarness, base_url: str
) -> None:
    brands = agencies_by_brand(server)
    lyon = server.agency_id("LYO")
    other = next(b for b, agencies in brands.items() if agencies == {lyon})
    demo = next(b for b in brands if b != other)

    async def scenario(documents: DocumentsApi) -> tuple[list[DocumentRow], list[DocumentRow], int]:
        everything = await every_row(documents, SearchParams())
        params = SearchParams(brand_id=demo, brand_agencies=brands[demo], sort="title", order="asc")
        return everything, await every_row(documents, params), await documents.count(params)

    everything, scoped, total = run(base_url, scenario)
    params = SearchParams(brand_id=demo, brand_agencies=brands[demo], sort="title", order="asc")
    assert scoped and len(scoped) == total
    assert {row.agency_id for row in scoped} == brands[demo] and lyon not in {r.agency_id for r in scoped}
    assert [r.id for r in scoped] == [
        r.id for r in params.sort_rows(r for r in everything if params.matches(r, today(server)))
    ]
    assert SearchParams.from_json(params.to_json()) == params
    assert ("brand_id", str(demo)) in params.to_query()
    with pytest.raises(ValueError, match="entité"):
        SearchParams(agency_id=lyon, brand_id=demo)


def test_search_value_with_wildcards_matches_literally(server: ServerHarness, base_url: str) -> None:
    async def scenario(documents: DocumentsApi) -> tuple[list[DocumentRow], dict[str, list[int]]]:
        everything = await every_row(documents, SearchParams())
        found = {}
        for value in ("%", "_", "a%", "'; DROP TABLE documents; --", "\\"):
            params = SearchParams(criterion="title", value=value)
            found[value] = [row.id for row in await every_row(documents, params)]
        return everything, found

    everything, found = run(base_url, scenario)
    for value, ids in found.items():
        assert ids == [row.id for row in everything if value.lower() in row.title.lower()], value
    assert found["%"] == [] and found["_"] == []


def test_an_unknown_criterion_is_refused_in_french_both_sides(server: ServerHarness, base_url: str) -> None:
    with pytest.raises(ValueError, match="Critère de recherche inconnu « nir »"):
        SearchParams(criterion="nir", value="1 85")
    with pytest.raises(ValueError, match="Tri inconnu"):
        SearchParams(sort="nir")

    async def scenario(documents: DocumentsApi) -> ApiError:
        with pytest.raises(ApiError) as caught:
            await documents.api.request("GET", "/documents", params={"criterion": "nir", "value": "1"})
        return caught.value

    error = run(base_url, scenario)
    assert (error.status, error.code) == (422, "unknown_criterion")
    assert "Critère de recherche inconnu" in error.detail


def test_the_client_offers_exactly_the_servers_criteria_and_sorts() -> None:
    from coffreo_desktop.server.services import document_search as service

    assert set(CRITERIA) == set(service.CRITERIA)
    assert set(SORT_FIELDS) == set(service.SORTS)
    assert all(label and label[0].isupper() for label in CRITERIA.values())


def test_search_params_round_trip_through_json_and_the_query() -> None:
    params = SearchParams(
        agency_id=3,
        types=(DocumentType.INVOICE,),
        signed="yes",
        period=Period.MONTHS_3,
        criterion="client",
        value="Métallerie",
        invoice_state=InvoiceState.VALIDATED,
        sort="size",
        order="asc",
    )
    assert SearchParams.from_json(params.to_json()) == params
    assert SearchParams.from_json(SearchParams().to_json()) == SearchParams()
    assert params.to_query() == [
        ("agency_id", "3"),
        ("type", "invoice"),
        ("signed", "yes"),
        ("period", "3m"),
        ("criterion", "client"),
        ("value", "Métallerie"),
        ("invoice_state", "validated"),
        ("sort", "size"),
        ("order", "asc"),
    ]


def test_describe_gives_the_row_of_the_search(server: ServerHarness, base_url: str) -> None:
    async def scenario(documents: DocumentsApi) -> tuple[DocumentRow, DocumentRow]:
        listed = (await documents.search(SearchParams(sort="title"), limit=1)).items[0]
        return listed, await documents.describe(listed.id)

    listed, described = run(base_url, scenario)
    assert described == listed


def test_download_is_the_stored_pdf_and_revalidates_by_etag(server: ServerHarness, base_url: str) -> None:
    doc = first_document(server, doc_type=DocumentType.PAYSLIP)
    stored = server.ctx.blobs.read_verified(doc.blob_sha256)

    async def scenario(documents: DocumentsApi) -> tuple[bytes | None, ...]:
        return (
            await documents.download(doc.id),
            await documents.download(doc.id, etag=doc.blob_sha256),
            await documents.download(doc.id, etag=f'"{doc.blob_sha256}"'),
            await documents.download(doc.id, etag="0" * 64),
        )

    fresh, unchanged, quoted, stale = run(base_url, scenario)
    assert fresh == stored and fresh is not None and fresh.startswith(b"%PDF")
    assert hashlib.sha256(fresh).hexdigest() == doc.blob_sha256
    assert unchanged is None and quoted is None  # 304: the copy held is current
    assert stale == stored


class AlteringTransport(httpx.AsyncBaseTransport):
    """The real server's answers, with one byte of every PDF flipped on the way (a faulty proxy)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = bytearray(await response.aread())
        if request.url.path.endswith("/file") and body:
            body[len(body) // 2] ^= 0x01
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, content=bytes(body))

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_a_download_altered_in_transit_is_refused_in_french(server: ServerHarness, base_url: str) -> None:
    doc = first_document(server, doc_type=DocumentType.PAYSLIP)

    async def scenario() -> DownloadCorrupted:
        async with ApiClient(base_url, transport=AlteringTransport()) as api:
            await api.login(ADMIN, PASSWORDS[ADMIN])
            with pytest.raises(DownloadCorrupted) as caught:
                await DocumentsApi(api).download(doc.id)
        return caught.value

    error = asyncio.run(scenario())
    assert error.code == "download_corrupted"
    assert "empreinte" in str(error)


def test_a_signed_contract_is_refused_an_unsigned_one_deleted(server: ServerHarness, base_url: str) -> None:
    signed = first_document(
        server,
        doc_type={DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT},
        signature_state=SignatureState.SIGNED,
    )
    unsigned = unsigned_contract(server)

    async def scenario(documents: DocumentsApi) -> tuple[ApiError, DocumentRow, list[ApiError], set[int]]:
        with pytest.raises(ApiError) as refused:
            await documents.delete(signed.id)
        row = await documents.describe(unsigned.id)
        await documents.delete(unsigned.id)
        gone = []
        for call in (documents.describe(unsigned.id), documents.download(unsigned.id)):
            with pytest.raises(ApiError) as caught:
                await call
            gone.append(caught.value)
        ids = {r.id async for r in documents.iterate(SearchParams())}
        return refused.value, row, gone, ids

    refused, row, gone, ids = run(base_url, scenario)
    assert (refused.status, refused.code) == (409, "not_deletable")
    assert "déjà signé" in refused.detail
    assert row.can_delete
    for error in gone:
        assert (error.status, error.code) == (410, "document_deleted")
        assert "supprimé" in error.detail
    assert unsigned.id not in ids and signed.id in ids


def test_the_change_feed_starts_at_head_and_reports_a_deletion(server: ServerHarness, base_url: str) -> None:
    unsigned = unsigned_contract(server)

    async def scenario(documents: DocumentsApi) -> tuple[Any, ...]:
        head = await documents.changes(None)
        quiet = await documents.changes(head.next)
        await documents.delete(unsigned.id)
        after = await documents.changes(quiet.next)
        return head, quiet, after

    head, quiet, after = run(base_url, scenario)
    assert head.items == [] and not head.more and head.next
    assert quiet.items == [] and not quiet.more
    assert [(c.id, c.deleted, c.row) for c in after.items] == [(unsigned.id, True, None)]
