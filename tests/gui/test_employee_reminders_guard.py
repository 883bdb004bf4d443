""" "Relancer" on "Mes salariés" kept to one establishment and one page, on the real embedded demo backend:
the page deleted mid-run takes its progress dialog along (the window is not left blocked), the
establishment cannot be changed on the page while a run goes on and a summary for another one names it,
a finished run leaves no object behind, and after a change of establishment the previous one's counts are
never offered in the confirmation."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.employees import EmployeeStatus
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.i18n import number
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.employees import EmployeesPage
from tests.gui.helpers import WAIT_MS
from tests.gui.test_employee_reminders import dialog_of, hold, wait_end
from tests.gui.test_employees_page import SHOTS, add_employees, hold_first_call, open_page


def select_added(qtbot: QtBot, page: EmployeesPage, prefix: str, waiting: int) -> None:
    """The not-activated employees made with ``prefix``, all selected."""
    page.search.setText(prefix)
    qtbot.mouseClick(page.filter_buttons[EmployeeStatus.NOT_ACTIVATED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == waiting and not page.model.loading, timeout=WAIT_MS)
    page.table.selectAll()
    assert len(page.selected_ids()) == waiting


def other_agency(page: EmployeesPage, agency_id: int) -> tuple[int, str]:
    other = next(a for a in page.agencies if a.id != agency_id)
    return other.id, other.name


def test_the_progress_dialog_goes_with_a_page_deleted_mid_run(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 6)
    page = open_page(qtbot, window, agency_id)
    select_added(qtbot, page, prefix, 3)
    gate, calls = hold(page, "remind_chunk", which=0)
    qtbot.mouseClick(page.remind_button, Qt.MouseButton.LeftButton)
    run = page.reminder_run
    assert run is not None
    dialog = dialog_of(qtbot, run)
    assert QApplication.activeModalWidget() is dialog

    window.update_me(window.me)  # a resumed session brought a changed profile: every page rebuilt
    qtbot.waitUntil(lambda: not shiboken6.isValid(page), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT_MS)
    assert not shiboken6.isValid(run)
    assert QApplication.activeModalWidget() is None  # the window answers again
    gate.set()  # the batch held back is heard by nobody
    qtbot.wait(200)
    assert len(calls) == 1
    assert isinstance(window.current_page(), EmployeesPage) and window.current_page() is not page


def test_the_establishment_is_locked_during_a_run_and_a_summary_for_another_names_it(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, prefix = add_employees(demo_server, 6)
    page = open_page(qtbot, window, agency_id)
    name = page.agency_combo.currentText()
    other_id, _other_name = other_agency(page, agency_id)
    select_added(qtbot, page, prefix, 3)
    gate, _calls = hold(page, "remind_chunk", which=0)
    qtbot.mouseClick(page.remind_button, Qt.MouseButton.LeftButton)
    run = page.reminder_run
    assert run is not None
    assert not page.agency_combo.isEnabled()  # from the click on, before the dialog shows

    page.set_agency(other_id)  # the window's selector still moves the page
    qtbot.waitUntil(lambda: not page.model.loading, timeout=WAIT_MS)
    gate.set()
    wait_end(qtbot, page, run)

    assert page.agency_combo.isEnabled()
    assert page.result_label.text() == f"Pour l'établissement {name} : 3 salariés relancés."
    page.window().grab().save(str(SHOTS / "employees_reminder_other_establishment.png"))
    qtbot.waitUntil(lambda: not shiboken6.isValid(run), timeout=WAIT_MS)  # nothing of the run stays


def test_counts_of_the_previous_establishment_are_never_offered_after_a_change(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency_id, _prefix = add_employees(demo_server, 4)
    page = open_page(qtbot, window, agency_id)
    assert page.counts is not None and page.counts.not_activated > 0
    other_id, _name = other_agency(page, agency_id)
    gate = hold_first_call(page, "counts")

    page.set_agency(other_id)  # its counts held back: not known yet
    assert page.counts_label.text() == ""
    assert page.filter_buttons[EmployeeStatus.NOT_ACTIVATED].text() == "Non activés"
    qtbot.mouseClick(page.remind_all_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    assert box.text() == "Relancer tous les salariés qui n'ont pas activé leur coffre ?"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    gate.set()
    qtbot.waitUntil(lambda: page.counts_of(other_id) is not None, timeout=WAIT_MS)
    counts = page.counts_of(other_id)
    assert counts is not None and page.counts_of(agency_id) is None
    qtbot.mouseClick(page.remind_all_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None
    assert box.text() == (
        f"Relancer les {number(counts.not_activated)} salariés qui n'ont pas activé leur coffre ?"
    )
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
