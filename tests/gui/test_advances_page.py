"""'Demandes d'acomptes' driven like a user on the real embedded demo backend (F5.3, F5.4, F5.7): the
requests to process, a partial acceptance and an edited refusal that move to the history, the colleague who
was first (409 named in the pane, the list refreshed), amounts refused under the field, the history sorted
by a header click, the CSV export, and the badge with the notifier's signal when a worker asks."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from coffreo_desktop.client.advances import AdvanceRequest, AdvancesApi
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.domain.advances import PARTIAL_REASONS, REFUSE_REASONS
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.advance_badge import BADGE_ROLE
from coffreo_desktop.gui.advance_model import HistoryModel
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.advances import HISTORY_TAB, AdvancesPage
from coffreo_desktop.server.db.models import AdvanceRequest as AdvanceRow
from coffreo_desktop.server.db.models import Agency, Employee, EmployeeAgency
from coffreo_desktop.server.demo import demo_recipient_accounts
from tests.gui.helpers import WAIT_MS, log_in, server_call

ACOMPTES = "acomptes@demo.coffreo.fr"
ADMIN = "admin@demo.coffreo.fr"
SHOTS = Path(os.environ.get("COFFREO_SCREENSHOTS", "/tmp"))
_numbers = itertools.count(1)


def new_request(server: EmbeddedServer, code: str, amount_cents: int | None, comment: str = "Loyer") -> int:
    """A worker of ``code`` and their request, written into the embedded server's database (what the
    worker's API stores); a fresh worker each time, so no open request is in the way."""
    engine = create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})
    number = next(_numbers)
    now = datetime.now(UTC)
    try:
        with Session(engine) as s, s.begin():
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            employee = Employee(
                brand_id=agency.brand_id,
                matricule=f"GUI{os.getpid() % 1000:03d}{number:03d}",
                first_name="Camille",
                last_name=f"Testeur{number}",
                created_at=now,
            )
            s.add(employee)
            s.flush()
            s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency.id, since=now))
            row = AdvanceRow(
                employee_id=employee.id,
                agency_id=agency.id,
                amount_cents=amount_cents,
                wants_maximum=amount_cents is None,
                comment=comment,
                state=AdvanceState.SENT,
                created_at=now - timedelta(minutes=number),
            )
            s.add(row)
            s.flush()
            return row.id
    finally:
        engine.dispose()


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    window = log_in(qtbot, make_flow(), ACOMPTES, demo_passwords[ACOMPTES])
    window.resize(1500, 880)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The confirmation answered "Oui"; the questions asked are kept."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def open_page(qtbot: QtBot, window: MainWindow) -> AdvancesPage:
    window.open_feature(Feature.ADVANCES)
    page = window.current_page()
    assert isinstance(page, AdvancesPage)
    reload(qtbot, page)
    return page


def reload(qtbot: QtBot, page: AdvancesPage) -> None:
    page.refresh_pending()
    qtbot.waitUntil(lambda: page.model.total is not None and not page.model.loading, timeout=WAIT_MS)
    while page.model.canFetchMore():
        page.model.fetchMore()
        qtbot.waitUntil(lambda: not page.model.loading, timeout=WAIT_MS)


def open_request(qtbot: QtBot, page: AdvancesPage, request_id: int) -> None:
    assert page.select_request(request_id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # "Entrée" processes the selected request
    qtbot.waitUntil(
        lambda: page.pane.detail is not None and page.pane.detail.request.id == request_id, timeout=WAIT_MS
    )
    assert page.pane.isVisible() and page.pane.decision_box.isVisible()


def history_ids(qtbot: QtBot, page: AdvancesPage) -> list[int]:
    page.tabs.setCurrentIndex(HISTORY_TAB)
    model = page.history.model
    page.history.refresh()
    qtbot.waitUntil(lambda: model.total is not None and not model.loading, timeout=WAIT_MS)
    return [r.id for r in model.rows]


def test_pending_requests_are_listed_and_a_partial_acceptance_moves_to_the_history(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, say_yes: list[str]
) -> None:
    request_id = new_request(demo_server, "LYO", 30000, comment="Réparation de ma voiture")
    page = open_page(qtbot, window)
    rows = page.model.rows
    assert page.model.total == len(rows) >= 2  # the demo's own pending requests, and this one
    assert {r.agency_id for r in rows} <= {a.id for a in window.me.agencies_with(Right.ACOMPTES)}
    assert all(r.state == AdvanceState.SENT for r in rows)
    assert "à traiter" in page.count_label.text()
    page.grab().save(str(SHOTS / "advances_pending.png"))

    open_request(qtbot, page, request_id)
    pane = page.pane
    assert "300,00" in pane.asked_label.text()
    assert pane.explanation.text()
    assert not pane.partial_label.isVisible()
    pane.amount_edit.clear()
    qtbot.keyClicks(pane.amount_edit, "120,50")
    assert pane.partial_label.isVisible() and pane.partial_label.text() == "Acceptation partielle"
    assert pane.comment_edit.toPlainText() == PARTIAL_REASONS[0]
    assert pane.submit_button.text() == "Accepter partiellement"
    page.grab().save(str(SHOTS / "advances_pane.png"))

    with qtbot.waitSignal(pane.processed, timeout=WAIT_MS) as processed:
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
        # No double submit: a second click while the first is on its way sends nothing.
        assert not pane.submit_button.isEnabled()
        pane.submit()
    decided = processed.args[0]
    assert isinstance(decided, AdvanceRequest)
    assert decided.granted_cents == 12050 and decided.decision == "partial"
    assert len(say_yes) == 1 and "120,50" in say_yes[0]
    assert request_id not in [r.id for r in page.model.rows]
    assert "acceptée partiellement" in page.message.text()
    assert request_id in history_ids(qtbot, page)


def test_a_refusal_with_an_edited_reason_is_sent_as_written(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, say_yes: list[str]
) -> None:
    request_id = new_request(demo_server, "VIL", None, comment="")
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    assert pane.asked_label.text() == "Montant maximum"
    pane.refuse_radio.click()
    assert not pane.amount_edit.isEnabled()
    pane.reason_combo.setCurrentIndex(1)
    pane.reason_combo.activated.emit(1)
    assert pane.comment_edit.toPlainText() == REFUSE_REASONS[1]
    pane.comment_edit.moveCursor(pane.comment_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(pane.comment_edit, " Revenez vers nous lundi.")
    with qtbot.waitSignal(pane.processed, timeout=WAIT_MS) as processed:
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
    decided = processed.args[0]
    assert decided.state == AdvanceState.REFUSED
    assert decided.decision_comment == REFUSE_REASONS[1] + " Revenez vers nous lundi."
    assert request_id not in [r.id for r in page.model.rows]
    assert request_id in history_ids(qtbot, page)


def test_a_colleague_who_processed_first_is_named_and_the_list_refreshes(
    qtbot: QtBot,
    window: MainWindow,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
    qt_event_loop: asyncio.AbstractEventLoop,
    say_yes: list[str],
) -> None:
    request_id = new_request(demo_server, "LYO", 15000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)

    async def colleague() -> AdvanceRequest:
        api = ApiClient(str(demo_server.base_url))
        try:
            await api.login(ADMIN, demo_passwords[ADMIN])
            advances = AdvancesApi(api)
            detail = await advances.detail(request_id)
            return await advances.decide(request_id, "accept", None, "Accordé", detail.request.version)
        finally:
            await api.aclose()

    first = server_call(qt_event_loop, qtbot, colleague())
    assert isinstance(first, AdvanceRequest) and first.decided_by_name
    with qtbot.waitSignal(page.pane.stale, timeout=WAIT_MS):
        qtbot.mouseClick(page.pane.submit_button, Qt.MouseButton.LeftButton)
    pane = page.pane
    qtbot.waitUntil(lambda: pane.banner.isVisible(), timeout=WAIT_MS)
    assert "déjà traitée par" in pane.banner.text() and first.decided_by_name in pane.banner.text()
    qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.request.state == AdvanceState.ACCEPTED)
    assert not pane.decision_box.isVisible()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=WAIT_MS)
    assert request_id not in [r.id for r in page.model.rows]
    page.grab().save(str(SHOTS / "advances_conflict.png"))


def test_amounts_the_server_would_refuse_are_said_under_the_field_and_nothing_is_sent(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, say_yes: list[str]
) -> None:
    request_id = new_request(demo_server, "VIL", 10000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    for text, expected in (("12,345", "deux décimales"), ("abc", "nombre"), ("0", "supérieur à zéro")):
        pane.amount_edit.setText(text)
        assert pane.amount_error.isVisible() and expected in pane.amount_error.text()
    assert pane.detail is not None
    above = pane.detail.maximum.maximum_cents // 100 + 1
    pane.amount_edit.setText(str(above))
    assert "maximum" in pane.amount_error.text()
    pane.comment_edit.setPlainText("Mon commentaire")
    pane.submit()
    assert say_yes == []  # nothing confirmed, nothing sent
    assert pane.amount_edit.text() == str(above) and pane.comment_edit.toPlainText() == "Mon commentaire"
    assert request_id in [r.id for r in page.model.rows]


def grant_meanwhile(server: EmbeddedServer, request_id: int, granted_cents: int) -> None:
    """Another advance of the same worker and agency accepted just now (another tool, a colleague): it
    lowers the maximum the open pane still shows."""
    engine = create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})
    now = datetime.now(UTC)
    try:
        with Session(engine) as s, s.begin():
            open_row = s.get(AdvanceRow, request_id)
            assert open_row is not None
            s.add(
                AdvanceRow(
                    employee_id=open_row.employee_id,
                    agency_id=open_row.agency_id,
                    amount_cents=granted_cents,
                    comment="",
                    state=AdvanceState.ACCEPTED,
                    granted_cents=granted_cents,
                    decided_at=now,
                    created_at=now - timedelta(days=1),
                )
            )
    finally:
        engine.dispose()


def test_a_422_from_the_server_is_said_under_the_amount_and_nothing_typed_is_lost(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, say_yes: list[str]
) -> None:
    request_id = new_request(demo_server, "LYO", 20000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    assert pane.detail is not None
    limit = pane.detail.maximum.maximum_cents
    grant_meanwhile(demo_server, request_id, limit - 5000)  # 50 € left, the pane still says more
    pane.amount_edit.setText("150")
    pane.comment_edit.setPlainText("Accord partiel, voir avec l'agence")
    assert not pane.amount_error.isVisible()
    qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.amount_error.isVisible(), timeout=WAIT_MS)
    assert "maximum" in pane.amount_error.text() and "50,00" in pane.amount_error.text()
    assert pane.amount_edit.text() == "150"
    assert pane.comment_edit.toPlainText() == "Accord partiel, voir avec l'agence"
    qtbot.waitUntil(lambda: pane.submit_button.isEnabled(), timeout=WAIT_MS)
    assert request_id in [r.id for r in page.model.rows]


def test_empty_filter_says_so_and_shortcuts_refresh_and_focus_the_filter(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_page(qtbot, window)
    bar = page.filter_bar
    bar.date_from.setDate(QDate(2001, 1, 1))
    bar.date_to.setDate(QDate(2001, 1, 31))
    qtbot.waitUntil(lambda: page.model.total == 0 and not page.model.loading, timeout=WAIT_MS)
    assert page.list_stack.currentWidget() is page.empty_label
    assert page.empty_label.text() == "Aucune demande à traiter."
    assert not page.process_button.isEnabled()
    bar.clear_dates()
    qtbot.waitUntil(lambda: bool(page.model.total), timeout=WAIT_MS)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.agency_combo.hasFocus()
    generation = page.model._generation
    qtbot.keyClick(bar.agency_combo, Qt.Key.Key_F5)
    assert page.model._generation == generation + 1


def test_history_sorts_by_header_click_and_exports_the_csv(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, window)
    history_ids(qtbot, page)
    tab = page.history
    column = HistoryModel.SORTS.index("amount")
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: tab.model.sort_key == "amount" and tab.model.total is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT_MS)
    amounts = [r.amount_cents for r in tab.model.rows if not r.wants_maximum and r.amount_cents]
    assert len(amounts) >= 2
    assert amounts == sorted(amounts, reverse=tab.model.order == "desc")
    tab.sort_by("last_name")
    qtbot.waitUntil(lambda: tab.model.sort_key == "last_name" and not tab.model.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tab.model.total is not None, timeout=WAIT_MS)
    names = [r.last_name.casefold() for r in tab.model.rows]
    assert names == sorted(names)

    # The eye opens the read-only detail.
    qtbot.mouseClick(
        tab.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tab.table.visualRect(tab.model.index(0, HistoryModel.EYE_COLUMN)).center(),
    )
    qtbot.waitUntil(lambda: tab.pane.detail is not None, timeout=WAIT_MS)
    assert tab.pane.isVisible() and not tab.pane.decision_box.isVisible()
    page.grab().save(str(SHOTS / "advances_history.png"))

    target = tmp_path / "historique.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Fichier enregistré" in tab.message.text(), timeout=WAIT_MS)
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert "Matricule" in lines[0] and len(lines) == len(tab.model.rows) + 1

    payroll = tmp_path / "paie.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(payroll), ""))
    qtbot.mouseClick(tab.payroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: payroll.exists(), timeout=WAIT_MS)
    assert payroll.read_bytes().decode("utf-8-sig").startswith("Matricule;Nom;Prénom;Agence;Code agence")


def recipient_request(server: EmbeddedServer) -> tuple[int, int]:
    """The demo worker asks an advance through the recipient API (their own route, as from their vault).
    One open request per agency: one already waiting is cancelled first, as the worker would. Returns the
    new request's id and how much the pending count moves (1, or 0 after a cancel)."""
    (account,) = [a for a in demo_recipient_accounts() if a.kind == "employee"]
    with httpx.Client(base_url=f"{server.base_url}/api/v1", timeout=30) as http:
        token = http.post(
            "/recipient/token",
            json={"email": account.email, "password": account.password, "kind": "employee"},
        )
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        options = http.get("/recipient/advances/options", headers=headers).json()
        agency = next(a for employer in options["employers"] for a in employer["agencies"])
        moved = 1
        if agency["open_request_id"] is not None:
            cancelled = http.post(
                f"/recipient/advances/{agency['open_request_id']}/cancel", headers=headers, json={}
            )
            assert cancelled.status_code == 200, cancelled.text
            moved = 0
        created = http.post(
            "/recipient/advances",
            headers=headers,
            json={"agency_id": agency["agency_id"], "amount": "10", "comment": "Essence"},
        )
        assert created.status_code == 201, created.text
        return int(created.json()["id"]), moved


@pytest.fixture
def admin_window(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> MainWindow:
    return log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN])


def test_badge_shows_the_count_and_the_notifier_signals_a_workers_new_request(
    qtbot: QtBot,
    admin_window: MainWindow,
    demo_server: EmbeddedServer,
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    window = admin_window  # DA on every agency: sees the demo worker's request wherever they ask
    notifier = window.advance_notifier
    assert notifier is not None
    qtbot.waitUntil(lambda: notifier.count is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]
    row = window.navigation_features().index(Feature.ADVANCES)
    item = window.ui.navigation.item(row)
    total = notifier.count.total  # type: ignore[attr-defined]
    assert item.data(BADGE_ROLE) == total > 0 and item.text() == "Demandes d'acomptes"
    polls = notifier.polls  # type: ignore[attr-defined]
    etag, count = notifier._etag, notifier.count  # type: ignore[attr-defined]
    assert etag
    notifier.check_now()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: notifier.polls == polls + 1, timeout=WAIT_MS)  # type: ignore[attr-defined]
    # A 304, not a 200 with the same figures: the ETag stays and the count object was not replaced.
    assert notifier._etag == etag and notifier.count is count  # type: ignore[attr-defined]
    unchanged = server_call(qt_event_loop, qtbot, AdvancesApi(window.session.api).pending_count(etag))
    assert unchanged == (None, etag)

    # Offline, the notifier does not poll (it would only fail); back online it polls at once.
    notifier.set_online(False)  # type: ignore[attr-defined]
    notifier.check_now()  # type: ignore[attr-defined]
    assert notifier.polls == polls + 1 and not notifier._polling  # type: ignore[attr-defined]
    notifier.set_online(True)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: notifier.polls == polls + 2, timeout=WAIT_MS)  # type: ignore[attr-defined]

    created, moved = recipient_request(demo_server)
    with qtbot.waitSignal(notifier.new_requests, timeout=WAIT_MS) as signalled:  # type: ignore[attr-defined]
        notifier.check_now()  # type: ignore[attr-defined]
    assert signalled.args == [1]
    assert notifier.count.latest_id == created  # type: ignore[attr-defined]
    assert item.data(BADGE_ROLE) == total + moved
    assert notifier.tray.messages[-1] == "1 nouvelle demande d'acompte"  # type: ignore[attr-defined]
    window.ui.navigation.grab().save(str(SHOTS / "advances_badge.png"))
