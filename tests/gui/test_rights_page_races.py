"""'Droits et accès' when answers come late or not at all (F6.1), on the real embedded demo backend: a save
answered after another establishment was chosen changes neither the new matrix nor its Ctrl+Z history but
is still reported; a failed load shows the French reason and "Réessayer", never the previous matrix; the
creation dialog cannot be cancelled while saving, asks for an establishment when none is chosen and hands a
session expiry to the application; a redo says what it re-did.

Slow answers are the real server's, delayed by wrapping the page's AdminApi calls."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.client.admin import RightsMatrix, UserRights
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.access_dialog import AccessDialog
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.rights import RETRY_LINK, RightsPage
from coffreo_desktop.gui.rights_model import column_of
from coffreo_desktop.gui.tasks import Task
from coffreo_desktop.server.db.models import OutboxMail, RightGrant, StaffUser
from tests.gui.helpers import WAIT_MS, log_in
from tests.gui.test_rights_page import (
    ADMIN,
    SHOTS,
    agency_id,
    cell_granted,
    click_cell,
    engine_of,
    new_staff,
    open_page,
    rights_on_server,
    settled,
    window,
)

__all__ = ["window"]  # the fixture, shared with test_rights_page


def loaded_with(qtbot: QtBot, page: RightsPage, user_id: int) -> None:
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)


def slow_matrix(page: RightsPage, seconds: float) -> None:
    """The server's matrix, answered ``seconds`` later."""
    real = page.api.matrix

    async def matrix(agency: int) -> RightsMatrix:
        answer = await real(agency)
        await asyncio.sleep(seconds)
        return answer

    page.api.matrix = matrix  # type: ignore[method-assign]


def slow_set_right(page: RightsPage, seconds: float) -> None:
    """Each cell saved on the server at once, its answer (or refusal) delivered ``seconds`` later."""
    real = page.api.set_right

    async def set_right(*args: Any) -> UserRights:
        try:
            return await real(*args)
        finally:
            await asyncio.sleep(seconds)

    page.api.set_right = set_right  # type: ignore[method-assign]


def fill_access_form(qtbot: QtBot, dialog: AccessDialog, email: str) -> None:
    qtbot.keyClicks(dialog.first_name, "Lea")
    qtbot.keyClicks(dialog.last_name, "Garnier")
    qtbot.keyClicks(dialog.email, email)


def outbox_has(server: EmbeddedServer, email: str) -> bool:
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            return s.scalars(select(OutboxMail).where(OutboxMail.to_addr == email)).first() is not None
    finally:
        engine.dispose()


def has_access(server: EmbeddedServer, email: str) -> bool:
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            query = select(RightGrant).join(StaffUser, StaffUser.id == RightGrant.user_id)
            return s.scalars(query.where(StaffUser.email == email)).first() is not None
    finally:
        engine.dispose()


# ---- late answers of a save --------------------------------------------------------------------------
def test_a_save_answered_after_switching_establishment_leaves_the_new_matrix_and_history_alone(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    lyo = agency_id(demo_server, "LYO")
    engine = engine_of(demo_server)
    with Session(engine) as s, s.begin():  # the same person on Lyon, with other rights
        for right in (Right.ACOMPTES, Right.RELEVES_HEURES):
            s.add(RightGrant(user_id=user_id, right=right, agency_id=lyo, created_at=datetime.now(UTC)))
    engine.dispose()
    page = open_page(qtbot, window, demo_server)
    loaded_with(qtbot, page, user_id)
    slow_set_right(page, 0.3)
    slow_matrix(page, 1.0)  # Lyon's list comes after the save's answer

    click_cell(qtbot, page, user_id, Right.DIFFUSION_LIBRE)  # on Paris 11e
    window.agency_selector.select_agency(lyo)  # before the answer
    paris = window.me.agency(agency_id(demo_server, "PAR11"))
    assert paris is not None
    qtbot.waitUntil(lambda: paris.name in page.status.text(), timeout=WAIT_MS)
    assert f"droit DL accordé à {name}" in page.status.text()  # the user still learns it was saved
    qtbot.waitUntil(lambda: page.model.agency_id == lyo and not page.loading, timeout=WAIT_MS)

    assert page.undo_stack.count() == 0  # nothing of Paris 11e to undo from Lyon
    shown = page.model.users[page.model.row_of(user_id) or 0]
    assert shown.user_id == user_id and shown.rights == {Right.ACOMPTES, Right.RELEVES_HEURES}
    assert shown.rights == rights_on_server(demo_server, user_id, "LYO")
    page.undo()
    qtbot.wait(500)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION, Right.DIFFUSION_LIBRE}


def test_a_refusal_answered_after_switching_establishment_is_reported_with_its_establishment(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server, "NAN")
    claire = next(u for u in page.model.users if u.email == ADMIN)
    slow_set_right(page, 0.5)
    click_cell(qtbot, page, claire.user_id, Right.ADMIN)  # the last administrator: refused
    window.agency_selector.select_agency(agency_id(demo_server, "LYO"))
    qtbot.waitUntil(lambda: "dernier administrateur" in page.status.text(), timeout=WAIT_MS)
    nantes = window.me.agency(agency_id(demo_server, "NAN"))
    assert nantes is not None and nantes.name in page.status.text()
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT_MS)
    assert page.model.agency_id == agency_id(demo_server, "LYO") and page.undo_stack.count() == 0
    assert Right.ADMIN in rights_on_server(demo_server, claire.user_id, "NAN")


# ---- a load that fails -------------------------------------------------------------------------------
def test_a_failed_load_shows_the_reason_and_retry_never_the_previous_establishments_matrix(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    loaded_with(qtbot, page, user_id)
    lyo = agency_id(demo_server, "LYO")
    real_matrix = page.api.matrix

    async def unavailable(_agency: int) -> RightsMatrix:
        raise ApiError(503, "unavailable", "Service indisponible, réessayez dans un instant.")

    page.api.matrix = unavailable  # type: ignore[method-assign]
    window.agency_selector.select_agency(lyo)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT_MS)

    assert page.current_agency_id() == lyo
    assert page.model.rowCount() == 0 and page.model.agency_id is None  # nothing of Paris 11e to click
    assert page.stack.currentWidget() is page.empty_label
    text = page.empty_label.text()
    assert "Service indisponible" in text and "Lyon" in text and f'href="{RETRY_LINK}"' in text
    assert page.undo_stack.count() == 0
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "rights_load_failed.png"))

    page.api.matrix = real_matrix  # type: ignore[method-assign]
    page.empty_label.linkActivated.emit(RETRY_LINK)  # "Réessayer"
    qtbot.waitUntil(lambda: page.model.agency_id == lyo and not page.loading, timeout=WAIT_MS)
    assert page.stack.currentWidget() is page.table
    assert "acomptes@demo.coffreo.fr" in [u.email for u in page.model.users]
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION}


def test_a_click_on_a_matrix_of_another_establishment_than_the_chosen_one_is_refused(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    loaded_with(qtbot, page, user_id)
    page.agency_combo.setCurrentIndex(page.agency_combo.findData(agency_id(demo_server, "LYO")))  # not loaded

    page.toggle(page.model.index(page.model.row_of(user_id) or 0, column_of(Right.ACOMPTES)))
    assert not page.model.has_pending()
    assert page.confirm_remove(page.model.row_of(user_id) or 0) is None
    qtbot.wait(300)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION}


# ---- the creation dialog -----------------------------------------------------------------------------
def test_the_creation_cannot_be_cancelled_while_saving_and_its_answer_reaches_the_page(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)
    real = page.api.create_access

    async def slow_create(*args: Any) -> Any:
        await asyncio.sleep(0.5)
        return await real(*args)

    page.api.create_access = slow_create  # type: ignore[method-assign]
    dialog = page.open_create()
    assert dialog is not None
    email = f"lente.creation{os.getpid()}@exemple.fr"
    fill_access_form(qtbot, dialog, email)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    buttons = dialog.findChild(QDialogButtonBox)
    assert isinstance(buttons, QDialogButtonBox)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert dialog.saving and cancel.text() == "Annuler" and not cancel.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.reject()  # what the title bar's cross does too
    assert dialog.isVisible()

    qtbot.waitUntil(lambda: any(u.email == email for u in page.model.users), timeout=WAIT_MS)
    assert "invitation a été envoyée" in page.status.text()
    assert outbox_has(demo_server, email)


def test_with_several_establishments_and_none_chosen_the_dialog_asks_for_one(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)
    window.agency_selector.select_agency(None)  # "Toutes mes agences": the admin is "A" everywhere
    qtbot.waitUntil(lambda: page.current_agency_id() is None, timeout=WAIT_MS)
    dialog = page.open_create()
    assert dialog is not None and dialog.agency.count() > 1
    assert dialog.agency.currentIndex() == -1 and dialog.agency.placeholderText().startswith("Choisissez")
    email = f"sans.etablissement{os.getpid()}@exemple.fr"
    fill_access_form(qtbot, dialog, email)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.general_error.isVisible() and "Choisissez un établissement" in dialog.general_error.text()
    assert dialog.isVisible() and not dialog.saving
    qtbot.wait(200)
    assert not has_access(demo_server, email)
    dialog.reject()

    window.agency_selector.select_agency(agency_id(demo_server, "LYO"))
    qtbot.waitUntil(lambda: not page.loading and page.model.agency_id is not None, timeout=WAIT_MS)
    chosen = page.open_create()
    assert chosen is not None and chosen.agency.currentData() == agency_id(demo_server, "LYO")
    chosen.reject()


@pytest.fixture
def flow_window(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> tuple[AppFlow, MainWindow]:
    flow = make_flow()
    main = log_in(qtbot, flow, ADMIN, demo_passwords[ADMIN])
    main.show()
    qtbot.waitExposed(main)
    return flow, main


def test_a_session_expired_while_creating_brings_back_the_login_dialog(
    qtbot: QtBot, flow_window: tuple[AppFlow, MainWindow], demo_server: EmbeddedServer
) -> None:
    flow, main = flow_window
    page = open_page(qtbot, main, demo_server)
    dialog = page.open_create()
    assert dialog is not None
    fill_access_form(qtbot, dialog, f"session.expiree{os.getpid()}@exemple.fr")
    revoked = Task(main, main.session.api.logout()).run()  # the server forgets the session meanwhile
    qtbot.waitUntil(lambda: revoked.done, timeout=WAIT_MS)
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert flow.main_window is None


def test_an_unexpected_error_while_creating_is_shown_as_one(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)

    async def broken(*_args: Any) -> Any:
        raise RuntimeError("bogue simulé")

    page.api.create_access = broken  # type: ignore[method-assign]
    dialog = page.open_create()
    assert dialog is not None
    fill_access_form(qtbot, dialog, f"bogue{os.getpid()}@exemple.fr")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    def unexpected_box() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "unexpectedErrorBox"]
        return next((b for b in boxes if isinstance(b, QMessageBox) and b.isVisible()), None)

    qtbot.waitUntil(lambda: unexpected_box() is not None, timeout=WAIT_MS)
    box = unexpected_box()
    assert box is not None and not dialog.general_error.isVisible()
    box.close()
    dialog.reject()


# ---- redo --------------------------------------------------------------------------------------------
def test_a_redo_says_what_it_did_again(qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer) -> None:
    user_id, name = new_staff(demo_server, "PAR11", (Right.DIFFUSION, Right.DIFFUSION_LIBRE))
    page = open_page(qtbot, window, demo_server)
    loaded_with(qtbot, page, user_id)
    click_cell(qtbot, page, user_id, Right.DIFFUSION_LIBRE)
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)
    page.undo()
    qtbot.waitUntil(lambda: "Annulé" in page.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)

    page.redo()
    qtbot.waitUntil(lambda: "Rétabli" in page.status.text(), timeout=WAIT_MS)
    assert f"droit DL de nouveau retiré à {name}" in page.status.text()
    assert "Annulé" not in page.status.text()
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)
    assert not cell_granted(page, user_id, Right.DIFFUSION_LIBRE)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION}
