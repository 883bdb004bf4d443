"""Diffusion libre sending benchmark (issue 4): N PDFs of ~300 KB sent through the real send dialog to the
embedded backend (a child process, as in the app), as "Document simple" (goal: 1,000 delivered ≤ 30 s)
and as "Document protégé" (sealed by the server; goal: 1,000 ≤ 60 s). During both, the UI thread's
longest stall is measured as the lateness of a 5 ms timer (goal ≤ 100 ms).

Size: COFFREO_BENCH_DIFFUSION_FILES (default 40; the goal's size is 1000). Full size, by hand:
`COFFREO_BENCH_DIFFUSION_FILES=1000 .venv/bin/python -m pytest tests/bench/test_diffusion_send_bench.py -s`.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from fpdf import FPDF
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.diffusion_plan import idempotency_key
from coffreo_desktop.client.diffusion_send import ItemState, SendItem
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.diffusion_send_dialog import SendDialog
from coffreo_desktop.gui.qt_runtime import keep_gc_pauses_short

pytestmark = pytest.mark.bench

FILES = int(os.environ.get("COFFREO_BENCH_DIFFUSION_FILES", "40"))
PDF_SIZE = 300 * 1024
GOALS = {Protection.SIMPLE: 30.0, Protection.PROTECTED: 60.0}  # seconds for 1,000 files
ADMIN = "admin@demo.coffreo.fr"


@pytest.fixture
def loop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    loop._timer.stop()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("bench-envoi") / "data", demo=True, demo_scale=0.02)
    server.start(timeout=120)
    yield server
    server.stop()


def base_pdf() -> bytes:
    """A two-page payslip-like PDF of ~300 KB: text, and an image of noise (incompressible, as scans are)."""
    from PySide6.QtGui import QImage

    side = 300
    noise = QImage(os.urandom(side * side * 3), side, side, side * 3, QImage.Format.Format_RGB888)
    png = io.BytesIO()
    buffer = noise.copy()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    raw = QByteArray()
    device = QBuffer(raw)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    buffer.save(device, "PNG")
    png.write(bytes(raw.data()))
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(2):
        pdf.add_page()
        for line in range(40):
            pdf.cell(
                0, 6, f"Bulletin de paie - ligne {line} - page {page + 1}", new_x="LMARGIN", new_y="NEXT"
            )
    png.seek(0)
    pdf.image(png, x=20, y=200, w=80)
    return bytes(pdf.output())


def variants(folder: Path, count: int) -> list[tuple[Path, bytes]]:
    """``count`` distinct files from one base: a different document title in the Info dictionary."""
    from pypdf import PdfWriter

    base = base_pdf()
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(count):
        writer = PdfWriter(clone_from=io.BytesIO(base))
        writer.add_metadata({"/Title": f"Bulletin {n}"})
        out = io.BytesIO()
        writer.write(out)
        path = folder / f"bulletin-{n:04d}.pdf"
        path.write_bytes(out.getvalue())
        made.append((path, out.getvalue()))
    return made


class StallProbe:
    """The UI thread's longest delay: a 5 ms timer that should fire every 5 ms; lateness is a stall."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.stalls: list[tuple[float, int]] = []  # (seconds from the start, milliseconds late) over 40 ms
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = self._started = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = now - self._last - 0.005
        if late > 0.04:
            self.stalls.append((round(now - self._started, 2), round(late * 1000)))
        self.worst = max(self.worst, late)
        self._last = now


@pytest.mark.parametrize("protection", [Protection.SIMPLE, Protection.PROTECTED])
def test_sending_files_through_the_dialog(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    backend: EmbeddedServer,
    tmp_path: Path,
    protection: Protection,
) -> None:
    password = next(a.password for a in backend.demo_accounts if a.email == ADMIN)
    assert backend.base_url is not None
    api = ApiClient(backend.base_url, timeout=60)
    session = Session(api, CredentialStore(), server_url=backend.base_url)

    def run(coroutine: object) -> object:
        future = asyncio.ensure_future(coroutine, loop=loop)  # type: ignore[arg-type]
        qtbot.waitUntil(future.done, timeout=60_000)
        return future.result()

    me = run(session.login(ADMIN, password, remember=False))
    agency = me.agencies[0]  # type: ignore[attr-defined]
    people = run(DiffusionApi(api).search_recipients(agency.id, ""))
    assert isinstance(people, list) and people
    files = variants(tmp_path / "pdf", FILES)
    items = []
    for n, (path, data) in enumerate(files):
        person = people[n % len(people)]
        digest = hashlib.sha256(data).hexdigest()
        key = idempotency_key(digest, str(person.id), protection.value)
        items.append(
            SendItem(
                key, str(path), path.name, digest, len(data), person.id, person.label, protection, f"Banc {n}"
            )
        )
    size_kb = sum(len(data) for _, data in files) // len(files) // 1024

    keep_gc_pauses_short()  # as the app does once its main window is up (gui/flow.py)
    dialog = SendDialog(session, f"bench|{protection.value}")
    dialog.show()
    probe = StallProbe()
    probe.start()
    started = time.perf_counter()
    dialog.start_new(agency.id, agency.name, items)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=600_000)
    seconds = time.perf_counter() - started
    probe.stop()
    assert dialog.report is not None and dialog.report.finished
    assert dialog.journal is not None
    counts = dialog.journal.counts()
    assert counts[ItemState.SENT] == FILES, counts
    per_1000 = seconds / FILES * 1000
    print(
        f"\n{FILES} PDF de {size_kb} Ko envoyés en « {protection.label} » au serveur embarqué : "
        f"{seconds:.1f} s ({FILES / seconds:.0f} fichiers/s ; soit {per_1000:.0f} s pour 1 000, "
        f"objectif ≤ {GOALS[protection]:.0f} s) ; plus longue pause du fil de l'interface : "
        f"{probe.worst * 1000:.0f} ms (objectif ≤ 100 ms) ; "
        f"pauses de plus de 40 ms (s depuis le début, ms) : {probe.stalls[:12]}"
    )
    dialog.close()
    run(api.aclose())
