"""Around the advances page on the real embedded demo backend: the notifier follows the user's rights and
the window (stopped, badge cleared, tray hidden), the date filters reload once the typing pauses and the
calendar opens on today, and "Règles de l'agence…" for an administrator (F5.6)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.advances import AdvancesApi, AgencyPolicy
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui.advance_notifier import AdvanceNotifier
from coffreo_desktop.gui.advance_policy import AdvancePolicyDialog
from coffreo_desktop.gui.advance_widgets import DATE_DEBOUNCE_MS
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from tests.gui.helpers import WAIT_MS, log_in, server_call
from tests.gui.test_advances_page import ACOMPTES, ADMIN, SHOTS, open_page


@pytest.fixture
def login(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> Callable[[str], MainWindow]:
    def open_window(email: str) -> MainWindow:
        window = log_in(qtbot, make_flow(), email, demo_passwords[email])
        window.resize(1500, 880)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_window


def live_notifier(qtbot: QtBot, window: MainWindow) -> AdvanceNotifier:
    notifier = window.advance_notifier
    assert isinstance(notifier, AdvanceNotifier)
    qtbot.waitUntil(lambda: notifier.count is not None, timeout=WAIT_MS)
    return notifier


def test_the_notifier_follows_the_users_rights_and_stops_with_the_window(
    qtbot: QtBot, login: Callable[[str], MainWindow]
) -> None:
    window = login(ADMIN)
    me = window.me
    first = live_notifier(qtbot, window)
    assert first.count is not None and window._badges[Feature.ADVANCES] == first.count.total > 0

    without_da = dataclasses.replace(
        me, agencies=tuple(dataclasses.replace(a, rights=a.rights - {Right.ACOMPTES}) for a in me.agencies)
    )
    window.update_me(without_da)
    assert window.advance_notifier is None
    assert not first._running and not first._timer.isActive()
    assert first.tray is not None and not first.tray.shown
    assert window._badges.get(Feature.ADVANCES, 0) == 0
    polls = first.polls
    qtbot.wait(300)
    assert first.polls == polls  # no poll after the stop

    window.update_me(me)  # DA given back: a new notifier, the badge painted again
    second = live_notifier(qtbot, window)
    assert second is not first and second.count is not None
    qtbot.waitUntil(lambda: window._badges.get(Feature.ADVANCES) == second.count.total, timeout=WAIT_MS)

    window.close()
    assert window.advance_notifier is None and not second._running
    assert second.tray is not None and not second.tray.shown


def test_typed_dates_reload_once_the_typing_pauses_and_a_calendar_pick_at_once(
    qtbot: QtBot, login: Callable[[str], MainWindow]
) -> None:
    page = open_page(qtbot, login(ACOMPTES))
    bar = page.filter_bar
    generation = page.model._generation
    for day in (1, 12, 15):  # what keystrokes in the day section amount to
        bar.date_from.setDate(QDate(2026, 3, day))
    assert page.model._generation == generation
    qtbot.wait(DATE_DEBOUNCE_MS + 300)
    assert page.model._generation == generation + 1
    assert page.filter_bar.filters().date_from is not None

    # The calendar of an empty bound opens on the current month, not on 01/2000.
    edit = bar.date_to
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible, timeout=WAIT_MS)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.setSelectedDate(today)
    calendar.clicked.emit(today)
    assert page.model._generation == generation + 2  # a picked day reloads at once
    calendar.window().hide()
    qtbot.wait(DATE_DEBOUNCE_MS + 300)
    assert page.model._generation == generation + 2  # and only once
    bar.clear_dates()
    assert page.model._generation == generation + 3


def policy_of(
    qt_event_loop: asyncio.AbstractEventLoop, qtbot: QtBot, window: MainWindow, agency_id: int
) -> AgencyPolicy:
    result = server_call(qt_event_loop, qtbot, AdvancesApi(window.session.api).policy(agency_id))
    assert isinstance(result, AgencyPolicy)
    return result


def test_an_administrator_sets_the_agencys_rules_and_refused_values_are_said_in_the_dialog(
    qtbot: QtBot, login: Callable[[str], MainWindow], qt_event_loop: asyncio.AbstractEventLoop
) -> None:
    clerk = open_page(qtbot, login(ACOMPTES))
    assert not [a for a in clerk.agencies if Right.ADMIN in a.rights]  # DA only: no rules to change
    for index in range(clerk.filter_bar.agency_combo.count()):
        clerk.filter_bar.agency_combo.setCurrentIndex(index)
        assert not clerk.policy_button.isEnabled()

    window = login(ADMIN)
    page = open_page(qtbot, window)
    agency = next(a for a in page.agencies if Right.ADMIN in a.rights)
    assert not page.policy_button.isEnabled()  # "Toutes mes agences": which one?
    assert page.filter_bar.select_agency(agency.id) and page.policy_button.isEnabled()
    before = policy_of(qt_event_loop, qtbot, window, agency.id)
    try:
        dialog = page.open_policy()
        assert isinstance(dialog, AdvancePolicyDialog)
        qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
        assert dialog.percent_spin.value() == before.percent

        dialog.percent_spin.setValue(65)
        dialog.ceiling_edit.setText("beaucoup")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=WAIT_MS)
        assert dialog.isVisible() and dialog.error_label.text()
        assert dialog.percent_spin.value() == 65 and dialog.ceiling_edit.text() == "beaucoup"
        assert dialog.save_button.isEnabled()
        dialog.grab().save(str(SHOTS / "advance_policy.png"))

        dialog.ceiling_edit.setText("650,50")
        with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.saved == AgencyPolicy(agency.id, 65, 65050)
        assert policy_of(qt_event_loop, qtbot, window, agency.id) == dialog.saved
        assert page.message.text() == "Règles de l'agence enregistrées."

        again = page.open_policy()
        assert again is not None
        qtbot.waitUntil(lambda: again.loaded, timeout=WAIT_MS)
        assert again.percent_spin.value() == 65 and again.ceiling_edit.text() == "650,50"
        again.reject()
    finally:  # the demo backend is shared by the session's tests
        api = AdvancesApi(window.session.api)
        ceiling = f"{before.ceiling_cents // 100},{before.ceiling_cents % 100:02d}"
        server_call(qt_event_loop, qtbot, api.set_policy(agency.id, before.percent, ceiling))
