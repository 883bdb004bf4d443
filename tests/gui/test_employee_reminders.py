""" "Relancer" on "Mes salariés" over thousands of people, on the real embedded demo backend: "relancer tous"
walks every batch behind a determinate progress dialog and sums them up, "Annuler" stops after the batch
under way (and starting again skips who was reminded), an error mid-way says how many were reminded and
that starting again is safe, and a selection larger than a batch goes in chunks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.client.employees import EmployeeStatus
from coffreo_desktop.client.errors import ServerUnreachable
from coffreo_desktop.domain.limits import REMINDER_BATCH
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.employee_reminders import ReminderProgress, ReminderRun
from coffreo_desktop.gui.i18n import NAMES_SHOWN, number
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.employees import EmployeesPage
from coffreo_desktop.gui.tasks import Task
from coffreo_desktop.server.db.models import Employee
from tests.gui.helpers import WAIT_MS
from tests.gui.test_employees_page import SHOTS, add_employees, engine_of, open_page

RUN_MS = 120_000  # a few thousand reminders on a shared, loaded CI machine
# Establishments no other GUI test reads: thousands of employees added here change nobody else's counts.
BULK, FRESH = "MLV", "GRE"


def intercept(
    page: EmployeesPage, name: str, on_call: Callable[[int], Coroutine[Any, Any, None]]
) -> list[int]:
    """Before each call of ``page.api.<name>``, awaits ``on_call(n)`` (n from 0); returns the call log."""
    original = getattr(page.api, name)
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        n = len(calls)
        calls.append(n)

        async def answer() -> Any:
            await on_call(n)
            return await original(*args, **kwargs)

        return answer()

    setattr(page.api, name, call)
    return calls


def hold(page: EmployeesPage, name: str, which: int) -> tuple[asyncio.Event, list[int]]:
    """Call number ``which`` of ``page.api.<name>`` waits for the returned event."""
    gate = asyncio.Event()

    async def on_call(n: int) -> None:
        if n == which:
            await gate.wait()

    return gate, intercept(page, name, on_call)


def confirm_remind_all(qtbot: QtBot, page: EmployeesPage) -> ReminderRun:
    qtbot.mouseClick(page.remind_all_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    run = page.reminder_run
    assert run is not None and run.running
    return run


def dialog_of(qtbot: QtBot, run: ReminderRun) -> ReminderProgress:
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=WAIT_MS)
    assert run.dialog is not None
    return run.dialog


def wait_end(qtbot: QtBot, page: EmployeesPage, run: ReminderRun) -> None:
    qtbot.waitUntil(lambda: not run.running and page.reminder_run is None, timeout=RUN_MS)
    qtbot.waitUntil(lambda: not page.model.loading, timeout=WAIT_MS)


def waiting_ids(server: EmbeddedServer, prefix: str) -> list[int]:
    """The not-activated employees ``add_employees`` made with ``prefix``, by id."""
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            return list(
                s.scalars(
                    select(Employee.id)
                    .where(Employee.last_name.startswith(prefix), Employee.vault_activated_at.is_(None))
                    .order_by(Employee.id)
                )
            )
    finally:
        engine.dispose()


def remind_now(qtbot: QtBot, page: EmployeesPage, agency_id: int, ids: list[int]) -> None:
    done: list[object] = []
    Task(page, page.api.remind_chunk(agency_id, ids)).on_success(done.append).run()
    qtbot.waitUntil(lambda: bool(done), timeout=RUN_MS)


def test_remind_all_walks_every_batch_with_progress_and_sums_them_up(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 2 * REMINDER_BATCH + 200, BULK)  # 600 more waiting
    page = open_page(qtbot, window, agency_id)
    # A few reminded just before: the summary then names some of the skipped people and counts the rest.
    early = waiting_ids(demo_server, prefix)[: NAMES_SHOWN + 2]
    remind_now(qtbot, page, agency_id, early)
    assert page.counts is not None
    waiting = page.counts.not_activated
    assert waiting > REMINDER_BATCH
    gate, calls = hold(page, "remind_all_batch", which=1)

    async def nothing(_n: int) -> None:
        pass

    counts_asked, generation = intercept(page, "counts", nothing), page.generation
    run = confirm_remind_all(qtbot, page)
    dialog = dialog_of(qtbot, run)
    qtbot.waitUntil(lambda: run.batches == 1, timeout=RUN_MS)
    # Held in the second batch: the first one is counted, the total comes from the server's "remaining".
    assert dialog.labelText() == f"Relance en cours… {number(REMINDER_BATCH)} / {number(waiting)}"
    assert (dialog.value(), dialog.maximum()) == (REMINDER_BATCH, waiting)
    assert not page.remind_all_button.isEnabled() and not page.remind_button.isEnabled()
    page.remind_all()  # a second start while one runs does nothing
    assert page.reminder_run is run and len(calls) == 2
    dialog.grab().save(str(SHOTS / "employees_reminder_progress.png"))
    gate.set()
    wait_end(qtbot, page, run)

    assert run.batches == len(calls) == -(-waiting // REMINDER_BATCH)
    assert run.outcome.handled == waiting and not run.stopped and run.error is None
    text = page.result_label.text()
    reminded = run.outcome.reminded
    assert reminded >= 600 - len(early)  # the others added here had never been reminded
    skipped = {s.id for s in run.outcome.skipped}
    assert set(early) <= skipped and len(skipped) > NAMES_SHOWN
    assert text.startswith(f"{number(reminded)} salariés relancés.")
    assert f"… et {number(len(skipped) - NAMES_SHOWN)} autre" in text
    assert page.remind_all_button.isEnabled()
    assert len(counts_asked) == 1 and page.generation == generation + 1  # counts and list asked again
    page.window().grab().save(str(SHOTS / "employees_reminder_summary.png"))

    # All over again: nobody is mailed twice, the summary names a few and counts the others.
    run = confirm_remind_all(qtbot, page)
    wait_end(qtbot, page, run)
    again = page.result_label.text()
    assert run.outcome.reminded == 0 and len(run.outcome.skipped) >= reminded
    assert again.startswith(
        f"0 salarié relancé. {number(len(run.outcome.skipped))} déjà relancés depuis moins de 24 heures, "
        "possible à partir du "
    )
    assert f"… et {number(len(run.outcome.skipped) - 5)} autres." in again
    assert len(again) < 1_000
    page.result_label.grab().save(str(SHOTS / "employees_reminder_skipped.png"))


def test_cancel_stops_after_the_batch_under_way_and_starting_again_continues(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, _prefix = add_employees(demo_server, 2 * REMINDER_BATCH + 200, FRESH)
    page = open_page(qtbot, window, agency_id)
    gate, calls = hold(page, "remind_all_batch", which=0)

    run = confirm_remind_all(qtbot, page)
    dialog = dialog_of(qtbot, run)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuler"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.labelText() == "Arrêt après le lot en cours…"
    assert not cancel.isEnabled()
    gate.set()
    wait_end(qtbot, page, run)

    assert run.stopped and run.batches == len(calls) == 1 and run.outcome.next_after_id is not None
    first = run.outcome
    assert first.reminded > 0
    text = page.result_label.text()
    assert text.startswith("Relance arrêtée à votre demande. ")
    assert f" {number(first.reminded)} salarié" in text and "continue sans risque" in text

    run = confirm_remind_all(qtbot, page)
    wait_end(qtbot, page, run)
    assert not run.stopped and run.outcome.next_after_id is None
    assert set(first.reminded_ids) <= {s.id for s in run.outcome.skipped}
    assert not set(first.reminded_ids) & set(run.outcome.reminded_ids)


def test_an_error_mid_way_says_how_many_were_reminded_and_that_starting_again_is_safe(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, _prefix = add_employees(demo_server, 2 * REMINDER_BATCH + 200, BULK)
    page = open_page(qtbot, window, agency_id)

    async def drop_after_some_were_reminded(n: int) -> None:
        # The employees added here come last, over two batches: a call follows one that reminded people
        # (earlier tests may have reminded everyone before them).
        run = page.reminder_run
        if run is not None and run.outcome.reminded > 0:
            raise ServerUnreachable(page.api._api.base_url)

    calls = intercept(page, "remind_all_batch", drop_after_some_were_reminded)
    run = confirm_remind_all(qtbot, page)
    wait_end(qtbot, page, run)

    assert run.batches == len(calls) - 1 and run.outcome.reminded > 0
    assert isinstance(run.error, ServerUnreachable) and run.outcome.next_after_id is not None
    box = run.error_box
    assert box is not None and box.isVisible()
    reminded = number(run.outcome.reminded)
    assert box.text() == f"La relance s'est arrêtée sur une erreur, après {reminded} salarié" + (
        "s relancés." if run.outcome.reminded > 1 else " relancé."
    )
    assert "relancer de nouveau sans risque" in box.informativeText()
    assert "Le serveur est injoignable" in box.informativeText()
    assert page.result_label.text().startswith(f"Relance interrompue par une erreur. {reminded} salarié")
    box.grab().save(str(SHOTS / "employees_reminder_error.png"))
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert page.remind_all_button.isEnabled()


def test_a_selection_larger_than_a_batch_goes_in_chunks(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 2 * REMINDER_BATCH + 200, BULK)
    page = open_page(qtbot, window, agency_id)
    page.search.setText(prefix)
    qtbot.mouseClick(page.filter_buttons[EmployeeStatus.NOT_ACTIVATED], Qt.MouseButton.LeftButton)

    def all_loaded() -> bool:
        page.fetch_more()
        return page.model.rowCount() > 0 and page.model.next_cursor is None and not page.model.loading

    qtbot.waitUntil(all_loaded, timeout=RUN_MS)
    assert page.model.rowCount() == REMINDER_BATCH + 100
    page.table.selectAll()
    gate, calls = hold(page, "remind_chunk", which=1)

    qtbot.mouseClick(page.remind_button, Qt.MouseButton.LeftButton)
    run = page.reminder_run
    assert run is not None
    dialog = dialog_of(qtbot, run)
    qtbot.waitUntil(lambda: run.batches == 1, timeout=RUN_MS)
    assert (
        dialog.labelText() == f"Relance en cours… {number(REMINDER_BATCH)} / {number(REMINDER_BATCH + 100)}"
    )
    gate.set()
    wait_end(qtbot, page, run)

    assert len(calls) == 2 and run.outcome.reminded == REMINDER_BATCH + 100
    assert page.result_label.text() == f"{number(REMINDER_BATCH + 100)} salariés relancés."
