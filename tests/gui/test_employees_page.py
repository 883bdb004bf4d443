""" "Mes salariés" driven like a user on the real embedded demo backend: a search that answers as you type
(one request for a burst of keys, stale answers dropped), the filters with their counts, a reminder of the
selection and the confirmed "relancer tous" with the result message (24-hour refusal and its date), and the
employee's folder whose document opens in the viewer."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from coffreo_desktop.client.employees import EmployeeStatus
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.employee_model import FOLDER_COLUMN
from coffreo_desktop.gui.i18n import number
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.employees import EmployeesPage
from coffreo_desktop.gui.tasks import running_tasks
from coffreo_desktop.server.db.models import Agency, Employee, EmployeeAgency
from tests.gui.helpers import WAIT_MS

ADMIN = "admin@demo.coffreo.fr"
SHOTS = Path(os.environ.get("COFFREO_SCREENSHOTS", "/tmp"))
_numbers = itertools.count(1)


def engine_of(server: EmbeddedServer) -> Engine:
    return create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})


def add_employees(server: EmbeddedServer, count: int, code: str = "PAR11") -> tuple[int, str]:
    """``count`` employees named "Qzw<n> ..." (a prefix no demo name has), one in two activated."""
    prefix = f"Qzw{os.getpid()}x{next(_numbers)}"
    now = datetime.now(UTC)
    engine = engine_of(server)
    try:
        with Session(engine) as s, s.begin():
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            for i in range(count):
                employee = Employee(
                    brand_id=agency.brand_id,
                    matricule=f"{prefix[-8:]}{i:03d}",
                    first_name="Léa" if i % 2 else "Éric",
                    last_name=f"{prefix}é{i:02d}",
                    email=f"{prefix.lower()}.{i}@exemple.fr",
                    created_at=now,
                    vault_created_at=now,
                    vault_activated_at=now - timedelta(days=1) if i % 2 else None,
                )
                s.add(employee)
                s.flush()
                s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency.id))
            return agency.id, prefix
    finally:
        engine.dispose()


def employee_with_documents(server: EmbeddedServer, agency_id: int) -> Employee:
    engine = engine_of(server)
    try:
        with Session(engine, expire_on_commit=False) as s:
            return s.scalars(
                select(Employee)
                .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
                .where(EmployeeAgency.agency_id == agency_id, Employee.last_document_at.is_not(None))
                .order_by(Employee.last_document_at.desc())
            ).first()  # type: ignore[return-value]
    finally:
        engine.dispose()


def open_page(qtbot: QtBot, window: MainWindow, agency_id: int) -> EmployeesPage:
    window.open_feature(Feature.EMPLOYEES)
    page = window.current_page()
    assert isinstance(page, EmployeesPage)
    page.set_agency(agency_id)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.counts is not None, timeout=WAIT_MS)
    return page


def shown_names(page: EmployeesPage) -> list[str]:
    return [row.last_name for row in page.model.rows]


def hold_first_call(page: EmployeesPage, name: str) -> asyncio.Event:
    """The first call of ``page.api.<name>`` waits for the returned event: its answer arrives when the test
    says, after the answers of later calls."""
    gate = asyncio.Event()
    original = getattr(page.api, name)
    held = [False]

    def call(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        first, held[0] = not held[0], True

        async def answer() -> Any:
            if first:
                await gate.wait()
            return await original(*args, **kwargs)

        return answer()

    setattr(page.api, name, call)
    return gate


def test_search_answers_as_you_type_with_one_request_per_pause(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 12)
    page = open_page(qtbot, window, agency_id)
    before = page.generation

    qtbot.keyClicks(page.search, prefix.upper() + "E0")  # accents and case do not matter

    qtbot.waitUntil(lambda: not page.model.loading and shown_names(page) != [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 10, timeout=WAIT_MS)
    assert page.generation == before + 1  # the burst of keys made one request, after the pause
    assert shown_names(page) == [f"{prefix}é{i:02d}" for i in range(10)]

    # Two requests in flight (a pause, then a key before the answer): the older answer, held back, arrives
    # after the newer one and is dropped.
    gate = hold_first_call(page, "page")
    page.search.setText(prefix + "é0")
    page.reload_list()
    page.search.setText(prefix + "é11")
    page.reload_list()
    qtbot.waitUntil(lambda: shown_names(page) == [f"{prefix}é11"], timeout=WAIT_MS)
    assert running_tasks() == 1  # the older answer is still to come
    gate.set()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)  # both answers are in
    assert shown_names(page) == [f"{prefix}é11"]
    page.window().grab().save(str(SHOTS / "employees_search.png"))


def test_filters_show_counts_and_keep_the_search(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 6)
    page = open_page(qtbot, window, agency_id)
    counts = page.counts
    assert counts is not None and counts.activated + counts.not_activated == counts.total
    waiting = page.filter_buttons[EmployeeStatus.NOT_ACTIVATED].text()
    assert waiting.endswith(f"({number(counts.not_activated)})")
    page.search.setText(prefix)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 6, timeout=WAIT_MS)

    qtbot.mouseClick(page.filter_buttons[EmployeeStatus.ACTIVATED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 3, timeout=WAIT_MS)
    assert all(row.activated for row in page.model.rows)
    qtbot.mouseClick(page.filter_buttons[EmployeeStatus.NOT_ACTIVATED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(not row.activated for row in page.model.rows), timeout=WAIT_MS)
    assert shown_names(page) == [f"{prefix}é{i:02d}" for i in (0, 2, 4)]


def test_reminders_say_who_was_reminded_and_who_must_wait_until_when(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 4)
    page = open_page(qtbot, window, agency_id)
    page.search.setText(prefix)
    qtbot.mouseClick(page.filter_buttons[EmployeeStatus.NOT_ACTIVATED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 2, timeout=WAIT_MS)

    page.table.selectRow(0)
    qtbot.mouseClick(page.remind_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result_label.text() != "", timeout=WAIT_MS)
    assert page.result_label.text() == "1 salarié relancé."

    qtbot.mouseClick(page.remind_all_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    page.result_label.clear()
    first = page.model.rows[0]
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    run = page.reminder_run
    assert run is not None
    qtbot.waitUntil(lambda: page.result_label.text() != "", timeout=WAIT_MS)
    text = page.result_label.text()
    assert "salariés relancés" in text or "salarié relancé" in text
    assert " déjà relancé" in text and "depuis moins de 24 heures, possible à partir du " in text
    assert first.id in {s.id for s in run.outcome.skipped}  # the one reminded above, named if few
    page.window().grab().save(str(SHOTS / "employees_reminders.png"))


def test_the_folder_opens_and_its_document_opens_in_the_viewer(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency_id = add_employees(demo_server, 1)[0]
    employee = employee_with_documents(demo_server, agency_id)
    page = open_page(qtbot, window, agency_id)
    page.search.setText(employee.matricule)
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == [employee.id], timeout=WAIT_MS)

    pane = page.folder_pane
    # The button's width the moment the folder is shown, before Qt handles any posted event: the splitter
    # used to lay the pane out later, and a click in between (a loaded CI machine) hit a zero-width button.
    widths: list[int] = []
    arrived = page._folder_arrived

    def folder_arrived(serial: int, folder: Any) -> None:
        arrived(serial, folder)
        widths.append(pane.open_button.width())

    monkeypatch.setattr(page, "_folder_arrived", folder_arrived)
    rect = page.table.visualRect(page.model.index(0, FOLDER_COLUMN))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: pane.isVisible() and pane.folder is not None, timeout=WAIT_MS)
    assert widths and widths[0] > 0
    assert pane.fields["matricule"].text() == employee.matricule
    assert pane.documents.rowCount() > 0
    page.window().grab().save(str(SHOTS / "employees_folder.png"))

    qtbot.mouseClick(pane.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.viewer is not None and page.viewer.isVisible(), timeout=WAIT_MS)
    assert page.viewer is not None
    assert page.viewer.viewer.document.pageCount() > 0
    assert pane.documents.documents[0].title in page.viewer.windowTitle()
    page.viewer.close()


def test_a_slow_folder_answer_never_replaces_the_newer_one_nor_reopens_after_a_reload(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 2)
    page = open_page(qtbot, window, agency_id)
    page.search.setText(prefix)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 2, timeout=WAIT_MS)
    first, second = page.model.rows[0], page.model.rows[1]
    pane = page.folder_pane

    gate = hold_first_call(page, "folder")
    page.open_folder(0)  # A's answer is slow...
    page.open_folder(1)  # ...B's arrives first
    qtbot.waitUntil(lambda: pane.isVisible() and pane.folder is not None, timeout=WAIT_MS)
    assert pane.folder is not None and pane.folder.id == second.id
    gate.set()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert pane.folder.id == second.id and pane.fields["matricule"].text() == second.matricule

    gate = hold_first_call(page, "folder")
    page.open_folder(0)
    page.reload()  # F5 hides the pane while A's folder is on its way
    qtbot.waitUntil(lambda: not page.model.loading, timeout=WAIT_MS)
    gate.set()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert not pane.isVisible() and pane.folder.id == second.id != first.id
