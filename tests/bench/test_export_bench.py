"""Export benchmark (issue 3, F2.8): N synthetic rows to CSV (goal: 100,000 in ≤ 3 s), and a ZIP of M PDFs
of ~300 KB (goal: ≥ 100 MB/s). The PDFs come from memory through a fake ``fetch_pdf``: this measures the
writer, not the network. Also prints the longest stall of the event loop during each export.

Sizes (environment): COFFREO_BENCH_EXPORT_ROWS (default 10000; the goal's size is 100000) and
COFFREO_BENCH_EXPORT_PDFS (default 100; the goal's size is 1000). Full size, by hand:
`COFFREO_BENCH_EXPORT_ROWS=100000 COFFREO_BENCH_EXPORT_PDFS=1000 .venv/bin/python -m pytest
tests/bench/test_export_bench.py -s`.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from coffreo_desktop.client.export import ExportResult, export_documents
from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.exports import ZIP_CSV_NAME

pytestmark = pytest.mark.bench

ROWS = int(os.environ.get("COFFREO_BENCH_EXPORT_ROWS", "10000"))
PDFS = int(os.environ.get("COFFREO_BENCH_EXPORT_PDFS", "100"))
PDF_SIZE = 300 * 1024
CSV_GOAL_SECONDS_PER_100K = 3.0
ZIP_GOAL_MB_S = 100.0
MB = 1024 * 1024
T = TypeVar("T")

LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
FIRST_NAMES = ["Camille", "Léa", "Hugo", "Lucas", "Chloé", "Inès", "Nathan", "Manon", "Jules"]
CLIENTS = ["Boulangerie Lemaire", "Transports Girard", "BTP Morel", "Logistique Faure", "Hôtel Mercier"]
AGENCIES = ["Agence Lyon Part-Dieu", "Agence Nantes Centre", "Agence Lille Grand Place"]


def synthetic_row(index: int, rng: random.Random) -> dict[str, Any]:
    """One document as the search API returns it (JSON), every column filled as a real one would be."""
    doc_type = rng.choice(list(DocumentType))
    day = date(2026, 3, 16) - timedelta(days=rng.randrange(3650))
    created = datetime(2026, 3, 16, tzinfo=UTC) - timedelta(minutes=rng.randrange(5_000_000))
    signed = doc_type.is_contract and rng.random() < 0.5
    return {
        "id": index + 1,
        "agency_id": 1 + index % len(AGENCIES),
        "agency_name": AGENCIES[index % len(AGENCIES)],
        "doc_type": doc_type.value,
        "title": f"{doc_type.label} {day:%m/%Y} n°{index}",
        "file_name": f"document-{index}.pdf",
        "size": rng.randrange(20_000, 900_000),
        "pages": rng.randrange(1, 6),
        "document_date": day.isoformat(),
        "employee_first_name": rng.choice(FIRST_NAMES),
        "employee_last_name": rng.choice(LAST_NAMES),
        "matricule": f"M{index:07d}",
        "client_name": rng.choice(CLIENTS),
        "contract_number": f"C-{index:08d}" if doc_type.is_contract else None,
        "invoice_number": f"F-{index:08d}" if doc_type is DocumentType.INVOICE else None,
        "signature_state": (SignatureState.SIGNED if signed else SignatureState.NOT_REQUIRED).value,
        "signed_at": created.isoformat() if signed else None,
        "invoice_state": InvoiceState.DOWNLOADED.value if doc_type is DocumentType.INVOICE else None,
        "can_delete": False,
        "created_at": created.isoformat(),
    }


async def _rows(rows: list[dict[str, Any]]) -> AsyncIterator[Mapping[str, Any]]:
    for row in rows:
        yield row


async def _streamed_rows(count: int, rng: random.Random) -> AsyncIterator[Mapping[str, Any]]:
    """Rows made as they are consumed, like pages arriving from the server: an export never holds the
    whole result in memory (and a list of 100,000 rows held by the test would only time the GC)."""
    templates = [synthetic_row(i, rng) for i in range(min(count, 1000))]
    for index in range(count):
        yield {**templates[index % len(templates)], "id": index + 1, "matricule": f"M{index:07d}"}


async def _timed(work: Awaitable[T]) -> tuple[T, float, float]:
    """Run ``work``; return its result, its duration and the longest gap between two loop heartbeats."""
    longest = 0.0
    stop = False

    async def heartbeat() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not stop:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    beat = asyncio.ensure_future(heartbeat())
    start = time.perf_counter()
    result = await work
    elapsed = time.perf_counter() - start
    stop = True
    await beat
    return result, elapsed, longest


def _run(work: Callable[[], Awaitable[T]]) -> tuple[T, float, float]:
    async def scenario() -> tuple[T, float, float]:
        return await _timed(work())

    return asyncio.run(scenario())


def test_csv_export_of_synthetic_rows(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    result, seconds, stall = _run(
        lambda: export_documents(_streamed_rows(ROWS, random.Random(7)), target, fetch_pdf=None)
    )
    assert isinstance(result, ExportResult)
    assert result.rows == ROWS
    assert target.stat().st_size == result.size
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in handle) == ROWS + 1
    per_100k = seconds * 100_000 / ROWS
    print(
        f"\nexport CSV : {ROWS} lignes en {seconds:.2f} s ({result.size / MB:.1f} Mo), "
        f"soit {per_100k:.2f} s pour 100 000 lignes (objectif ≤ {CSV_GOAL_SECONDS_PER_100K} s) ; "
        f"plus longue pause de la boucle : {stall * 1000:.0f} ms"
    )


def test_zip_export_of_synthetic_pdfs(tmp_path: Path) -> None:
    rng = random.Random(11)
    rows = [synthetic_row(i, rng) for i in range(PDFS)]
    # Distinct, incompressible bytes per document (as real PDFs' compressed streams are).
    pool = os.urandom(PDF_SIZE + 4096)
    payloads = {row["id"]: b"%PDF-1.7\n" + pool[row["id"] % 4096 :][: PDF_SIZE - 9] for row in rows}

    async def fetch_pdf(row: Mapping[str, Any]) -> bytes:
        return payloads[row["id"]]

    target = tmp_path / "export.zip"
    result, seconds, stall = _run(lambda: export_documents(_rows(rows), target, fetch_pdf=fetch_pdf))
    assert result.pdfs == PDFS and not result.skipped
    pdf_bytes = sum(len(p) for p in payloads.values())
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert ZIP_CSV_NAME in names and len(names) == PDFS + 1
    rate = result.size / MB / seconds
    print(
        f"\nexport ZIP : {PDFS} PDF de {PDF_SIZE // 1024} Ko ({pdf_bytes / MB:.0f} Mo) écrits en "
        f"{seconds:.2f} s, soit {rate:.0f} Mo/s (objectif ≥ {ZIP_GOAL_MB_S:.0f} Mo/s) ; "
        f"plus longue pause de la boucle : {stall * 1000:.0f} ms"
    )
