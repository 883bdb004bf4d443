""" "Mes clients" reminding a selection larger than one request, on the real embedded demo backend: the
clients go ``CLIENT_REMINDER_BATCH`` per request behind a progress dialog, "Annuler" stops between two
requests, and starting again completes the selection (the clients already reminded are skipped)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import CLIENT_REMINDER_BATCH
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.client_reminders import ClientReminderRun
from coffreo_desktop.gui.i18n import number
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.clients import ClientsPage
from coffreo_desktop.server.db.models import Agency, ClientAgency, ClientCompany, ClientUser
from tests.gui.helpers import WAIT_MS
from tests.gui.test_clients_page import SHOTS, confirm, engine_of, open_page

RUN_MS = 60_000
#: An establishment no other "Mes clients" test reads: hundreds of clients added here change nobody's list.
BULK = "MLV"


def new_clients(server: EmbeddedServer, count: int, code: str = BULK) -> tuple[int, list[int]]:
    """``count`` clients served by agency ``code``, one user each who has not activated."""
    tag = f"B{os.getpid()}"
    engine = engine_of(server)
    now = datetime.now(UTC)
    try:
        with Session(engine) as s, s.begin():
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            clients = [
                ClientCompany(
                    brand_id=agency.brand_id, code=f"{tag}x{i:04d}", name=f"Lot {tag} {i:04d}", created_at=now
                )
                for i in range(count)
            ]
            s.add_all(clients)
            s.flush()
            s.add_all(ClientAgency(client_id=c.id, agency_id=agency.id) for c in clients)
            s.add_all(
                ClientUser(
                    client_id=c.id,
                    email=f"u{i}.{tag.lower()}@lot.fr",
                    civility="M.",
                    first_name="Paul",
                    last_name=f"Lot{i}",
                    created_at=now,
                )
                for i, c in enumerate(clients)
            )
            return agency.id, [c.id for c in clients]
    finally:
        engine.dispose()


def select_clients(page: ClientsPage, ids: list[int]) -> None:
    selection = QItemSelection()
    last = len(page.model.COLUMNS) - 1
    for client_id in ids:
        row = page.model.row_of(client_id)
        assert row >= 0
        selection.select(page.model.index(row, 0), page.model.index(row, last))
    page.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def hold_second_call(page: ClientsPage, name: str) -> tuple[asyncio.Event, list[int]]:
    """The second call of ``page.api.<name>`` waits for the event; the list counts the calls."""
    gate = asyncio.Event()
    original = getattr(page.api, name)
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        calls.append(len(args[1]))
        held = len(calls) == 2

        async def answer() -> Any:
            if held:
                await gate.wait()
            return await original(*args, **kwargs)

        return answer()

    setattr(page.api, name, call)
    return gate, calls


def start(qtbot: QtBot, page: ClientsPage, ids: list[int]) -> ClientReminderRun:
    select_clients(page, ids)
    assert page.remind_button.text() == f"Relancer ({len(ids)})"
    confirm(qtbot, page.confirm_remind(), "Relancer")
    run = page.reminder_run
    assert run is not None and page.reminding
    return run


def test_a_large_selection_goes_in_chunks_with_progress_and_annuler_stops_between_two(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    count = 2 * CLIENT_REMINDER_BATCH + 50
    agency, ids = new_clients(demo_server, count)
    page = open_page(qtbot, window, agency, ids[-1])
    gate, calls = hold_second_call(page, "remind_clients_chunk")

    run = start(qtbot, page, ids)
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: run.chunks_done == 1, timeout=RUN_MS)
    dialog = run.dialog
    assert dialog is not None
    assert dialog.labelText() == f"Relance en cours… {CLIENT_REMINDER_BATCH} / {count} clients"
    assert (dialog.value(), dialog.maximum()) == (CLIENT_REMINDER_BATCH, count)
    dialog.grab().save(str(SHOTS / "clients_reminder_progress.png"))
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuler"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not page.reminding, timeout=RUN_MS)

    # Stopped after the request under way: two of three sent, each within the server's limit.
    assert calls == [CLIENT_REMINDER_BATCH, CLIENT_REMINDER_BATCH]
    assert run.stopped and run.report.reminded == 2 * CLIENT_REMINDER_BATCH
    text = page.message.text()
    assert text.startswith(
        f"Relance arrêtée à votre demande. {number(2 * CLIENT_REMINDER_BATCH)} clients relancés."
    )
    assert text.endswith("les utilisateurs déjà relancés sont ignorés.")
    qtbot.waitUntil(lambda: not shiboken6.isValid(run), timeout=WAIT_MS)  # nothing of the run stays
    qtbot.waitUntil(lambda: "client" in page.count_label.text(), timeout=WAIT_MS)

    # All over again: the selection completes, nobody mailed twice, the summary names a few.
    run = start(qtbot, page, ids)
    qtbot.waitUntil(lambda: not page.reminding, timeout=RUN_MS)
    assert calls[2:] == [CLIENT_REMINDER_BATCH, CLIENT_REMINDER_BATCH, 50]
    assert not run.stopped and run.error is None
    assert run.report.reminded == 50 and len(run.report.skipped) == 2 * CLIENT_REMINDER_BATCH
    text = page.message.text()
    assert text.startswith("50 clients relancés. Non relancés : Lot ")
    assert text.endswith(f"… et {number(4 * CLIENT_REMINDER_BATCH - 5)} autres.")
    assert len(text) < 1_000
    page.window().grab().save(str(SHOTS / "clients_reminder_chunks.png"))
