"""The export to disk (F2.8): CSV bytes, ZIP members identical to the server's PDFs, cancel, full disk,
a document deleted meanwhile; against the real backend over loopback HTTP where a server is involved."""

from __future__ import annotations

import asyncio
import codecs
import csv
import errno
import io
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from coffreo_desktop.client.documents import DocumentsApi, SearchParams
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.export import (
    DISK_FULL,
    ERRORS_MEMBER,
    ExportCancelled,
    ExportError,
    ExportResult,
    chain,
    export_documents,
)
from coffreo_desktop.domain.documents import DocumentType
from coffreo_desktop.domain.exports import ZIP_CSV_NAME, csv_header, csv_row, zip_member_name
from tests.client.documents_backend import logged_in, served, unsigned_contract
from tests.support import ServerHarness

pytestmark = pytest.mark.embedded_server


def row(doc_id: int, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": doc_id,
        "agency_id": 1,
        "agency_name": "Agence Lyon Part-Dieu",
        "doc_type": "payslip",
        "title": f"Bulletin de paie n°{doc_id}",
        "file_name": f"bulletin-{doc_id}.pdf",
        "size": 1000 + doc_id,
        "pages": 1,
        "document_date": "2026-02-28",
        "employee_first_name": "Léa",
        "employee_last_name": "Dubois",
        "matricule": f"M{doc_id:05d}",
        "client_name": None,
        "contract_number": None,
        "invoice_number": None,
        "signature_state": "not_required",
        "signed_at": None,
        "invoice_state": None,
        "can_delete": False,
        "created_at": "2026-03-01T07:00:00Z",
    }
    return {**base, **changes}


ROWS = [row(i) for i in range(1, 41)] + [row(41, title="=1+1", employee_last_name='Le "Grand"; fils')]


def many(count: int) -> list[dict[str, Any]]:
    return [row(i) for i in range(1, count + 1)]


def pdf_of(document: Mapping[str, Any]) -> bytes:
    return b"%PDF-1.7\n" + f"document {document['id']}\n".encode() * (50 + int(document["id"]))


async def fetch(document: Mapping[str, Any]) -> bytes:
    await asyncio.sleep(0)
    return pdf_of(document)


async def aiter_of(items: Iterable[Mapping[str, Any]]) -> AsyncIterator[Mapping[str, Any]]:
    for item in items:
        await asyncio.sleep(0)
        yield item


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(codecs.BOM_UTF8) == 1
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class FullDisk(io.FileIO):
    """A file on a disk with ``room`` bytes left: writes past it fail with ENOSPC, as the OS does."""

    def __init__(self, path: Path, room: int) -> None:
        super().__init__(path, "w")
        self.room = room

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if size > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= size
        return super().write(data)


def full_disk(room: int) -> Callable[[Path], FullDisk]:
    return lambda path: FullDisk(path, room)


# ---- the format -------------------------------------------------------------------------------------


def test_csv_export_has_bom_french_header_and_one_row_per_document(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    seen: list[tuple[int, int | None, int]] = []
    result = asyncio.run(
        export_documents(
            aiter_of(ROWS), target, fetch_pdf=None, total=len(ROWS), progress=lambda *a: seen.append(a)
        )
    )
    data = target.read_bytes()
    lines = parse_csv(data)
    assert lines[0] == csv_header()
    assert lines[1:] == [csv_row(r) for r in ROWS]
    assert b"\r\n" in data and data.count(b"\r\n") == len(ROWS) + 1
    assert lines[-1][3] == "'=1+1"  # a formula is defused
    assert result == ExportResult(target, len(ROWS), 0, len(data), ())
    assert seen[-1] == (len(ROWS), len(ROWS), len(data))
    assert leftovers(tmp_path) == ["export.csv"]


def test_zip_export_holds_the_csv_and_every_pdf_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    result = asyncio.run(export_documents(aiter_of(ROWS), target, fetch_pdf=fetch))
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert sorted(names) == sorted([ZIP_CSV_NAME, *(zip_member_name(r) for r in ROWS)])
        for document in ROWS:
            info = archive.getinfo(zip_member_name(document))
            assert info.compress_type == zipfile.ZIP_STORED  # PDFs are compressed already
            assert archive.read(info) == pdf_of(document)
        lines = parse_csv(archive.read(ZIP_CSV_NAME))
    assert lines == [csv_header(), *(csv_row(r) for r in ROWS)]
    assert (result.rows, result.pdfs, result.skipped) == (len(ROWS), len(ROWS), ())
    assert result.size == target.stat().st_size
    assert leftovers(tmp_path) == ["export.zip"]


def test_empty_result_gives_a_csv_with_its_header_only(tmp_path: Path) -> None:
    target = tmp_path / "vide.csv"
    result = asyncio.run(export_documents(aiter_of([]), target, fetch_pdf=None))
    assert parse_csv(target.read_bytes()) == [csv_header()]
    assert result.rows == 0


def test_chain_yields_each_agency_after_the_other() -> None:
    async def collect() -> list[Mapping[str, Any]]:
        return [r async for r in chain(aiter_of(ROWS[:3]), aiter_of([]), aiter_of(ROWS[3:5]))]

    assert asyncio.run(collect()) == ROWS[:5]


# ---- what must leave nothing behind ------------------------------------------------------------------


@pytest.mark.parametrize("with_pdfs", [False, True])
def test_cancel_midway_leaves_no_file_and_no_temporary_file(tmp_path: Path, with_pdfs: bool) -> None:
    target = tmp_path / ("export.zip" if with_pdfs else "export.csv")
    fetched: list[int] = []

    async def counting_fetch(document: Mapping[str, Any]) -> bytes:
        fetched.append(int(document["id"]))
        return await fetch(document)

    consumed = 0

    async def rows() -> AsyncIterator[Mapping[str, Any]]:
        nonlocal consumed
        for document in many(8000):
            consumed += 1
            yield document

    with pytest.raises(ExportCancelled) as caught:
        asyncio.run(
            export_documents(
                rows(),
                target,
                fetch_pdf=counting_fetch if with_pdfs else None,
                cancelled=lambda: consumed > 5000,
            )
        )
    assert "annulé" in str(caught.value)
    assert 5000 < consumed < 8000
    assert leftovers(tmp_path) == []


def test_task_cancelled_by_the_event_loop_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "export.zip"

    async def scenario() -> None:
        started = asyncio.Event()

        async def slow_fetch(document: Mapping[str, Any]) -> bytes:
            started.set()
            await asyncio.sleep(0.01)
            return pdf_of(document)

        task = asyncio.ensure_future(export_documents(aiter_of(many(400)), target, fetch_pdf=slow_fetch))
        await started.wait()
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("with_pdfs", "room"), [(False, 2000), (True, 20_000), (True, 0)])
def test_full_disk_gives_a_french_error_and_removes_the_partial_file(
    tmp_path: Path, with_pdfs: bool, room: int
) -> None:
    target = tmp_path / ("export.zip" if with_pdfs else "export.csv")
    with pytest.raises(ExportError) as caught:
        asyncio.run(
            export_documents(
                aiter_of(many(2000)),
                target,
                fetch_pdf=fetch if with_pdfs else None,
                opener=full_disk(room),
            )
        )
    assert str(caught.value) == DISK_FULL
    assert caught.value.errno_code == errno.ENOSPC
    assert leftovers(tmp_path) == []


def test_folder_refusing_writes_is_said_in_french(tmp_path: Path) -> None:
    def refused(path: Path) -> io.FileIO:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    with pytest.raises(ExportError) as caught:
        asyncio.run(export_documents(aiter_of(ROWS), tmp_path / "x.csv", fetch_pdf=None, opener=refused))
    assert str(caught.value).startswith(f"Impossible d'écrire dans ce dossier : {tmp_path}")
    assert leftovers(tmp_path) == []


def test_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        asyncio.run(export_documents(aiter_of(ROWS), tmp_path / "absent" / "x.csv", fetch_pdf=None))


@pytest.mark.parametrize("failure", ["disk", "cancel", "server"])
def test_existing_target_is_untouched_when_the_export_fails(tmp_path: Path, failure: str) -> None:
    target = tmp_path / "export.zip"
    target.write_bytes(b"l'export de la semaine derniere")

    async def unreachable(document: Mapping[str, Any]) -> bytes:
        if document["id"] == 30:
            raise ApiError(503, "unavailable", "Le serveur est momentanément indisponible.")
        return pdf_of(document)

    expected: type[BaseException] = {"disk": ExportError, "cancel": ExportCancelled, "server": ApiError}[
        failure
    ]
    calls = 0

    def cancel_late() -> bool:
        nonlocal calls
        calls += 1
        return failure == "cancel" and calls > 20

    with pytest.raises(expected):
        asyncio.run(
            export_documents(
                aiter_of(ROWS),
                target,
                fetch_pdf=unreachable if failure == "server" else fetch,
                opener=full_disk(30_000) if failure == "disk" else _plain,
                cancelled=cancel_late,
            )
        )
    assert target.read_bytes() == b"l'export de la semaine derniere"
    assert leftovers(tmp_path) == ["export.zip"]


def _plain(path: Path) -> io.FileIO:
    return io.FileIO(path, "w")


def test_existing_target_is_replaced_on_success(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"ancien")
    asyncio.run(export_documents(aiter_of(ROWS), target, fetch_pdf=None))
    assert parse_csv(target.read_bytes())[0] == csv_header()


def test_vanished_pdf_is_skipped_listed_and_its_row_kept(tmp_path: Path) -> None:
    gone = ApiError(410, "document_deleted", "Ce document a été supprimé entre-temps : actualisez la liste.")

    async def flaky(document: Mapping[str, Any]) -> bytes:
        if document["id"] in (7, 12):
            raise (
                gone if document["id"] == 7 else ApiError(404, "document_not_found", "Document introuvable.")
            )
        return pdf_of(document)

    target = tmp_path / "export.zip"
    result = asyncio.run(export_documents(aiter_of(ROWS), target, fetch_pdf=flaky))
    assert [s.document_id for s in result.skipped] == [7, 12]
    assert result.pdfs == len(ROWS) - 2 and result.rows == len(ROWS)
    assert (
        result.skipped_note
        == "2 fichiers PDF n'ont pas pu être ajoutés (voir export-erreurs.txt dans l'export)."
    )
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert zip_member_name(ROWS[6]) not in names and zip_member_name(ROWS[11]) not in names
        report = archive.read(ERRORS_MEMBER).decode("utf-8-sig")
        lines = parse_csv(archive.read(ZIP_CSV_NAME))
    assert "document 7" in report and "supprimé entre-temps" in report
    assert "document 12" in report and "introuvable" in report
    assert len(lines) == len(ROWS) + 1  # their rows stay in the CSV


def test_loop_stays_responsive_while_writing(tmp_path: Path) -> None:
    """Disk work goes to worker threads: the loop keeps running other coroutines between chunks.

    A behaviour, not a timing: the heartbeat runs many times during the export (a blocking writer would
    let it run once, at the end), and the writes go through ``run_blocking``."""

    async def scenario() -> tuple[int, int]:
        beats = 0
        offloaded = 0
        done = False

        async def heartbeat() -> None:
            nonlocal beats
            while not done:
                await asyncio.sleep(0)
                beats += 1

        async def run_blocking(fn: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal offloaded
            offloaded += 1
            return await asyncio.to_thread(fn, *args, **kwargs)

        beat = asyncio.ensure_future(heartbeat())
        await export_documents(
            aiter_of(many(3_000)), tmp_path / "x.zip", fetch_pdf=fetch, run_blocking=run_blocking
        )
        done = True
        await beat
        return beats, offloaded

    beats, offloaded = asyncio.run(scenario())
    assert offloaded > 10 and beats > offloaded


# ---- against the real backend ------------------------------------------------------------------------


async def first(rows: AsyncIterator[Any], count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    async for item in rows:
        found.append(item.to_json())
        if len(found) == count:
            break
    return found


def downloader(docs: DocumentsApi) -> Callable[[Mapping[str, Any]], Any]:
    async def fetch_pdf(document: Mapping[str, Any]) -> bytes:
        data = await docs.download(int(document["id"]))
        assert data is not None
        return data

    return fetch_pdf


def test_zip_of_a_real_search_holds_the_servers_pdfs(server: ServerHarness, tmp_path: Path) -> None:
    target = tmp_path / "export.zip"

    async def scenario() -> tuple[ExportResult, list[dict[str, Any]], dict[int, bytes]]:
        with served(server) as url:
            docs = await logged_in(url)
            try:
                params = SearchParams(agency_id=server.agency_id("PAR11"))
                rows = await first(docs.iterate(params, page_size=5), 60)
                result = await export_documents(aiter_of(rows), target, fetch_pdf=downloader(docs))
                originals = {
                    r["id"]: (await docs.api.request("GET", f"/documents/{r['id']}/file")).content
                    for r in rows
                }
            finally:
                await docs.api.aclose()
        return result, rows, originals

    result, rows, originals = asyncio.run(scenario())
    assert result.pdfs == result.rows == len(rows) >= 10
    with zipfile.ZipFile(target) as archive:
        for document in rows:
            data = archive.read(zip_member_name(document))
            assert data == originals[document["id"]]
            assert data.startswith(b"%PDF")
        lines = parse_csv(archive.read(ZIP_CSV_NAME))
    assert lines[1:] == [csv_row(r) for r in rows]
    assert {r["agency_id"] for r in rows} == {server.agency_id("PAR11")}


def test_csv_over_several_agencies_chains_their_searches(server: ServerHarness, tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    agencies = [server.agency_id("PAR11"), server.agency_id("LYO")]

    async def scenario() -> tuple[ExportResult, int, list[dict[str, Any]]]:
        with served(server) as url:
            docs = await logged_in(url)
            try:
                searches = [SearchParams(agency_id=a, types=(DocumentType.PAYSLIP,)) for a in agencies]
                totals = [await docs.count(p) for p in searches]
                expected = [r.to_json() for p in searches async for r in docs.iterate(p)]
                rows = chain(*(_json(docs.iterate(p)) for p in searches))
                result = await export_documents(rows, target, fetch_pdf=None, total=sum(totals))
            finally:
                await docs.api.aclose()
        return result, sum(totals), expected

    result, total, expected = asyncio.run(scenario())
    assert result.rows == total == len(expected) > 0
    lines = parse_csv(target.read_bytes())
    assert lines[1:] == [csv_row(r) for r in expected]
    agency_names = {line[1] for line in lines[1:]}
    assert len(agency_names) == 2


def test_document_deleted_by_a_colleague_meanwhile_is_skipped(server: ServerHarness, tmp_path: Path) -> None:
    contract = unsigned_contract(server)
    target = tmp_path / "export.zip"

    async def scenario() -> ExportResult:
        with served(server) as url:
            docs = await logged_in(url)
            try:
                params = SearchParams(agency_id=contract.agency_id, types=(DocumentType(contract.doc_type),))
                rows = await first(docs.iterate(params), 10_000)
                assert contract.id in {r["id"] for r in rows}
                await docs.delete(contract.id)  # after the search, before the download
                return await export_documents(aiter_of(rows), target, fetch_pdf=downloader(docs))
            finally:
                await docs.api.aclose()

    result = asyncio.run(scenario())
    assert [s.document_id for s in result.skipped] == [contract.id]
    assert result.pdfs == result.rows - 1
    with zipfile.ZipFile(target) as archive:
        report = archive.read(ERRORS_MEMBER).decode("utf-8-sig")
        lines = parse_csv(archive.read(ZIP_CSV_NAME))
    assert f"document {contract.id}" in report and "supprimé entre-temps" in report
    assert str(contract.id) in {line[0] for line in lines[1:]}


async def _json(rows: AsyncIterator[Any]) -> AsyncIterator[Mapping[str, Any]]:
    async for item in rows:
        yield item.to_json()
