"""Benchmarks of the documents page's client side (issue 3): the result table over a very large result,
scrolled end to end in a real (offscreen) QTableView, with its peak memory; and a cached 300 KB document
opened to its first page painted.

The table is fed by a synthetic page source that answers like the server (keyset pages of 200, the total
on the first page): the figure is the model's and the view's, not the network's. Sizes (environment):
COFFREO_BENCH_ROWS (default 20000; 1000000 for the issue's figure), COFFREO_BENCH_OPENS (default 10).
Run alone: `COFFREO_BENCH_ROWS=1000000 .venv/bin/python -m pytest tests/bench/test_table_model_bench.py -s`.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import resource
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import qasync
from fpdf import FPDF
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.document_cache import DocumentCache
from coffreo_desktop.client.documents import DocumentRow, SearchPage
from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.gui.document_model import DocumentTableModel

ROWS = int(os.environ.get("COFFREO_BENCH_ROWS", "20000"))
OPENS = int(os.environ.get("COFFREO_BENCH_OPENS", "10"))
PAGE = 200
START = date(2026, 11, 1)
CREATED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def synthetic_row(n: int) -> DocumentRow:
    return DocumentRow(
        id=n,
        agency_id=1 + n % 6,
        agency_name=f"Agence {n % 6}",
        doc_type=DocumentType.PAYSLIP,
        title=f"Bulletin de paie n° {n:07d}",
        file_name=f"bulletin-{n:07d}.pdf",
        size=180_000 + n % 5000,
        pages=2,
        document_date=START - timedelta(days=n // 500),
        employee_first_name="Camille",
        employee_last_name=f"Martin{n % 997}",
        matricule=f"{100000 + n % 90000}",
        client_name=None,
        contract_number=None,
        invoice_number=None,
        signature_state=SignatureState.NOT_REQUIRED,
        signed_at=None,
        invoice_state=None,
        can_delete=False,
        created_at=CREATED,
        sha256="",
    )


async def fetch(cursor: str | None) -> SearchPage:
    """Keyset pages as the server gives them: the cursor is the last id seen."""
    start = int(cursor) if cursor else 0
    end = min(start + PAGE, ROWS)
    await asyncio.sleep(0)
    items = [synthetic_row(n) for n in range(start, end)]
    return SearchPage(items, str(end) if end < ROWS else None, ROWS if cursor is None else None)


@pytest.fixture
def loop(qapp: object) -> asyncio.AbstractEventLoop:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    loop._timer.stop()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


def test_table_model_scrolls_a_large_result_end_to_end_in_bounded_memory(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop
) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    view = QTableView()
    model = DocumentTableModel(view)
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    before = current_rss_mb()
    started = time.perf_counter()
    model.set_fetch(fetch)
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    bar = view.verticalScrollBar()
    app = QApplication.instance()
    deadline = time.monotonic() + 3600
    while model.canFetchMore() and time.monotonic() < deadline:
        shown = model.rowCount()
        bar.setValue(bar.maximum())  # a user dragging to the end: the view asks for the next page
        app.processEvents()
        if model.rowCount() == shown and not model.loading:
            model.fetchMore()  # what the view does on its next scroll event
        while model.loading:
            app.processEvents()
    scrolled = time.perf_counter() - started
    assert model.rowCount() == ROWS and model.total == ROWS
    # Back to the top: evicted pages come back from their cursors.
    bar.setValue(0)
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=10_000)
    assert model.row_at(0).id == 0  # type: ignore[union-attr]
    after = current_rss_mb()
    print(
        f"\nmodèle de table : {ROWS} lignes parcourues de bout en bout en {scrolled:.1f} s "
        f"({ROWS / scrolled:,.0f} lignes/s) ; mémoire : {before:.0f} Mo avant, {after:.0f} Mo après, "
        f"pic du processus {rss_mb():.0f} Mo (objectif ≤ 300 Mo pour 1 000 000 lignes)"
    )
    view.hide()


def small_pdf(target_bytes: int = 300_000) -> bytes:
    """A 300 KB PDF: text pages plus an uncompressed filler image, the size of a real payslip scan."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.set_compression(False)
    for page in range(3):
        pdf.add_page()
        for line in range(40):
            pdf.cell(
                0,
                6,
                f"Bulletin de paie - page {page + 1} - ligne {line + 1} - 1 234,56 EUR",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    data = bytes(pdf.output())
    padding = max(0, target_bytes - len(data))
    return data + b"\n%" + b"0" * padding + b"\n"


def has_ink(viewer: object) -> bool:
    """True once the page's text is on screen (QPdfView first paints blank pages, then the rendering)."""
    image = viewer.view.viewport().grab().toImage()  # type: ignore[attr-defined]
    width, height = image.width(), image.height()
    return any(
        image.pixelColor(x, y).lightness() < 100
        for y in range(0, height // 3, 3)
        for x in range(width // 8, width * 7 // 8, 3)
    )


class PaintWatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted += 1
        return False


def test_a_cached_300_kb_document_opens_to_its_first_page_painted(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    from coffreo_desktop.gui.viewer import DocumentViewer

    data = small_pdf()
    row = synthetic_row(7)
    row = DocumentRow(**{**row.__dict__, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    cache = DocumentCache(tmp_path / "cache", os.urandom(32))
    cache.put(row, data)
    viewer = DocumentViewer()  # with its background signature check, as a user gets it
    viewer.resize(900, 1000)
    viewer.show()
    qtbot.waitExposed(viewer)
    watcher = PaintWatcher()
    viewer.view.viewport().installEventFilter(watcher)
    timings = []
    for _ in range(OPENS):
        viewer.clear()
        qtbot.wait(20)
        watcher.painted = 0
        started = time.perf_counter()
        content = cache.get(row.id, row.sha256)
        assert content is not None
        viewer.show_document(content, title=row.title, file_name=row.file_name)
        qtbot.waitUntil(lambda: watcher.painted > 0 and has_ink(viewer), timeout=5_000)
        timings.append((time.perf_counter() - started) * 1000)
    assert io.BytesIO(data).getbuffer().nbytes >= 300_000
    print(
        f"\ndocument en cache de {len(data) // 1024} Ko ouvert, première page peinte : médiane "
        f"{statistics.median(timings):.0f} ms, max {max(timings):.0f} ms sur {OPENS} ouvertures "
        "(objectif ≤ 150 ms)"
    )
    viewer.hide()
