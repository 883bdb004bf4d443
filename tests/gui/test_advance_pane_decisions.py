"""The advance pane on the real embedded demo backend, where it could go wrong: a decision's answer that
arrives after the user switched requests (200 and 409), the pre-filled reason of every request in a row,
French reasons under an English UI, server refusals that are not about the amount, a detail that fails to
load, and how the maximum is explained with and without the worker's earnings (F5.3, F5.6, F5.7)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from coffreo_desktop.client.advances import AdvanceRequest, AdvancesApi
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.domain.advances import ACCEPT_REASONS, REFUSE_REASONS, format_euros
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.advance_pane import AdvancePane
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.i18n import domain_text, install_translators
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.advances import AdvancesPage
from coffreo_desktop.server.db.models import Agency, IntegrationKey
from coffreo_desktop.server.security import new_token, token_hash
from tests.gui.helpers import WAIT_MS, log_in, server_call
from tests.gui.test_advances_page import (
    ACOMPTES,
    ADMIN,
    SHOTS,
    new_request,
    open_page,
    open_request,
    reload,
)

NO_EARNINGS = "Aucune donnée de paie pour la période : seul le plafond de l'agence s'applique."


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    window = log_in(qtbot, make_flow(), ACOMPTES, demo_passwords[ACOMPTES])
    window.resize(1500, 880)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(autouse=True)
def say_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)


def row(page: AdvancesPage, request_id: int) -> AdvanceRequest:
    return next(r for r in page.model.rows if r.id == request_id)


def shown(pane: AdvancePane, request_id: int) -> bool:
    return pane.detail is not None and pane.detail.request.id == request_id


def test_while_a_decision_is_on_its_way_the_page_keeps_the_pane_on_its_request(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    first, second = new_request(demo_server, "LYO", 11000), new_request(demo_server, "VIL", 12000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, first)
    pane = page.pane
    with qtbot.waitSignal(pane.processed, timeout=WAIT_MS):
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
        assert pane.submitting and not page.process_button.isEnabled()
        assert page.select_request(second)
        page.process_selected()  # "Traiter la demande" (or Entrée) is ignored meanwhile
        assert pane.shown_id == first
    qtbot.waitUntil(lambda: not pane.submitting, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown(pane, first) and pane.read_only, timeout=WAIT_MS)
    assert page.select_request(second) and page.process_button.isEnabled()
    open_request(qtbot, page, second)


def test_an_acceptance_answered_after_switching_leaves_the_other_request_as_typed(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    first, second = new_request(demo_server, "LYO", 13000), new_request(demo_server, "VIL", 14000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, first)
    pane = page.pane
    with qtbot.waitSignal(pane.processed, timeout=WAIT_MS) as processed:
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
        # Switched anyway (the pane is also reachable directly): the answer must not take it back.
        pane.show_request(row(page, second), read_only=False)
        qtbot.waitUntil(lambda: shown(pane, second) and pane.decision_box.isEnabled(), timeout=WAIT_MS)
        pane.amount_edit.clear()
        qtbot.keyClicks(pane.amount_edit, "50")
    assert processed.args[0].id == first
    qtbot.waitUntil(lambda: not pane.submitting, timeout=WAIT_MS)
    qtbot.wait(200)  # anything the answer might still trigger
    assert shown(pane, second) and pane.shown_id == second and not pane.read_only
    assert pane.decision_box.isVisible() and pane.amount_edit.text() == "50"
    assert pane.submit_button.isEnabled() and not pane.banner.isVisible()
    ids = [r.id for r in page.model.rows]
    assert first not in ids and second in ids


def test_a_conflict_answered_after_switching_names_the_right_request(
    qtbot: QtBot,
    window: MainWindow,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    first, second = new_request(demo_server, "LYO", 15000), new_request(demo_server, "VIL", 16000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, first)

    async def colleague() -> AdvanceRequest:
        api = ApiClient(str(demo_server.base_url))
        try:
            await api.login(ADMIN, demo_passwords[ADMIN])
            advances = AdvancesApi(api)
            version = (await advances.detail(first)).request.version
            return await advances.decide(first, "refuse", None, "Déjà vu", version)
        finally:
            await api.aclose()

    server_call(qt_event_loop, qtbot, colleague())
    pane = page.pane
    with qtbot.waitSignal(pane.stale, timeout=WAIT_MS) as stale:
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
        pane.show_request(row(page, second), read_only=False)
        qtbot.waitUntil(lambda: shown(pane, second) and pane.decision_box.isEnabled(), timeout=WAIT_MS)
        pane.comment_edit.setPlainText("Écrit pour la seconde demande")
    assert stale.args == [first]
    qtbot.waitUntil(lambda: not pane.submitting and not page.model.loading, timeout=WAIT_MS)
    qtbot.wait(200)
    assert shown(pane, second) and not pane.banner.isVisible() and pane.decision_box.isVisible()
    assert pane.comment_edit.toPlainText() == "Écrit pour la seconde demande"
    reload(qtbot, page)
    ids = [r.id for r in page.model.rows]
    assert first not in ids and second in ids


def test_every_request_opened_in_a_row_gets_its_pre_filled_reason(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    requests = [new_request(demo_server, "LYO", 9000), new_request(demo_server, "VIL", 8000)]
    page = open_page(qtbot, window)
    pane = page.pane
    for request_id in requests:
        open_request(qtbot, page, request_id)
        assert pane.comment_edit.toPlainText() == ACCEPT_REASONS[0]
        assert [pane.reason_combo.itemData(n) for n in range(pane.reason_combo.count())] == list(
            ACCEPT_REASONS
        )
        pane.comment_edit.setPlainText("Un mot à moi")  # must not leak into the next request


@pytest.fixture
def english() -> Iterator[None]:
    app = QApplication.instance()
    assert app is not None
    install_translators(app, "en")
    yield
    install_translators(app, "fr")


def test_pre_filled_reasons_go_to_the_worker_in_french_under_an_english_ui(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, english: None
) -> None:
    assert domain_text(REFUSE_REASONS[1]) != REFUSE_REASONS[1]  # the translation is installed
    request_id = new_request(demo_server, "LYO", 7000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    assert pane.reason_combo.itemText(0) == domain_text(ACCEPT_REASONS[0]) != ACCEPT_REASONS[0]
    assert pane.comment_edit.toPlainText() == ACCEPT_REASONS[0]
    pane.refuse_radio.click()
    assert pane.comment_edit.toPlainText() == REFUSE_REASONS[0]
    pane.reason_combo.setCurrentIndex(1)
    pane.reason_combo.activated.emit(1)
    with qtbot.waitSignal(pane.processed, timeout=WAIT_MS) as processed:
        qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
    assert processed.args[0].decision_comment == REFUSE_REASONS[1]


def test_a_refusal_not_about_the_amount_is_said_on_the_panes_line_and_the_comment_is_capped(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    request_id = new_request(demo_server, "LYO", 6000)
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    form = pane.decision_box
    pane.comment_edit.setPlainText("é" * 1200)
    assert len(pane.comment_edit.toPlainText()) == 1000 and "1000" in form.comment_error.text()

    form.max_comment = 5000  # past the field's cap, as another client could: the server's own 422
    pane.amount_edit.setText("40")
    pane.comment_edit.setPlainText("x" * 1500)
    qtbot.mouseClick(pane.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.form_error.isVisible(), timeout=WAIT_MS)
    assert form.form_error.text() and not pane.amount_error.isVisible()
    pane.grab().save(str(SHOTS / "advance_pane_error.png"))
    assert pane.amount_edit.text() == "40" and pane.comment_edit.toPlainText() == "x" * 1500
    qtbot.waitUntil(lambda: pane.submit_button.isEnabled(), timeout=WAIT_MS)
    assert request_id in [r.id for r in page.model.rows]


def test_a_detail_that_fails_to_load_shows_no_field_of_the_previous_request(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    request_id = new_request(demo_server, "LYO", 5000, comment="Pour le loyer")
    page = open_page(qtbot, window)
    open_request(qtbot, page, request_id)
    pane = page.pane
    assert pane.agency_label.text() and pane.comment_label.text() == "Pour le loyer"
    gone = dataclasses.replace(row(page, request_id), id=999_999_999, matricule="ABSENT")
    pane.show_request(gone, read_only=False)
    qtbot.waitUntil(lambda: pane.banner.isVisible(), timeout=WAIT_MS)
    assert "ABSENT" in pane.title.text() and "Impossible d'afficher la demande" in pane.banner.text()
    assert pane.detail is None and not pane.decision_box.isVisible()
    for label in (pane.agency_label, pane.asked_label, pane.maximum_label, pane.comment_label):
        assert label.text() == ""


def deposit_earnings(server: EmbeddedServer, matricule: str, code: str, net_cents: int) -> None:
    """The payroll software's deposit (F7.3) with an integration key of the agency's brand."""
    engine = create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})
    key = new_token("ck_")
    try:
        with Session(engine) as s, s.begin():
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            s.add(
                IntegrationKey(
                    brand_id=agency.brand_id,
                    name="Paie de test",
                    key_hash=token_hash(key),
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        engine.dispose()
    today = date.today()
    item = {
        "matricule": matricule,
        "agency_code": code,
        "period_start": (today - timedelta(days=10)).isoformat(),
        "period_end": (today + timedelta(days=10)).isoformat(),
        "net_earned_cents": net_cents,
    }
    answer = httpx.put(
        f"{server.base_url}/api/v1/ingest/earnings",
        json={"items": [item]},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json() == {"stored": 1}, answer.text


def test_the_maximum_is_explained_with_and_without_the_workers_earnings(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    without, with_pay = new_request(demo_server, "LYO", 4000), new_request(demo_server, "LYO", 3000)
    page = open_page(qtbot, window)
    pane = page.pane
    open_request(qtbot, page, without)
    assert pane.detail is not None
    limit = pane.detail.maximum
    assert not limit.earnings_known and limit.maximum_cents == limit.ceiling_cents
    assert pane.explanation.text().startswith(NO_EARNINGS)
    assert format_euros(limit.ceiling_cents) in pane.explanation.text()

    deposit_earnings(demo_server, row(page, with_pay).matricule, "LYO", 50_000)
    open_request(qtbot, page, with_pay)
    limit = pane.detail.maximum
    share = 50_000 * limit.percent // 100
    assert limit.earnings_known and limit.maximum_cents == min(limit.ceiling_cents, share)
    text = pane.explanation.text()
    assert f"{limit.percent} % du net gagné du " in text and format_euros(50_000) in text
    assert format_euros(share) in text and "déjà accordé sur la période" in text
    assert format_euros(limit.maximum_cents) in pane.maximum_label.text()
    assert not text.startswith(NO_EARNINGS)
