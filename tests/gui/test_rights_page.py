"""'Droits et accès' driven like a user on the real embedded demo backend (F6.1): the matrix of the agency
chosen in the window, a click and Espace that save a cell at once (checked on the server), "Annuler" and
Ctrl+Z that send the reverse change, a colleague who was first (409: the current state shown), the last
administrator who cannot remove their own "A", an access created (the invitation queued in the outbox)
and an access removed after a confirmation naming the person and the establishment.

The demo backend is shared by the session: every test works on people it adds itself."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, create_engine, delete, select
from sqlalchemy.orm import Session

from coffreo_desktop.client.admin import AdminApi, UserRights
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.rights import RightsPage
from coffreo_desktop.gui.rights_model import ELSEWHERE_COLUMN, GRANTED_ROLE, NAME_COLUMN, column_of
from coffreo_desktop.server.db.models import Agency, OutboxMail, RightGrant, StaffUser
from tests.gui.helpers import WAIT_MS, log_in, server_call

ADMIN = "admin@demo.coffreo.fr"
SHOTS = Path(os.environ.get("COFFREO_SCREENSHOTS", "/tmp"))
_numbers = itertools.count(1)


def engine_of(server: EmbeddedServer) -> Engine:
    return create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})


def new_staff(server: EmbeddedServer, code: str, rights: tuple[Right, ...]) -> tuple[int, str]:
    """A colleague with ``rights`` on agency ``code``, written into the server's database; (id, name)."""
    number = next(_numbers)
    engine = engine_of(server)
    try:
        with Session(engine) as s, s.begin():
            agency_id = s.scalars(select(Agency.id).where(Agency.code == code)).one()
            user = StaffUser(
                email=f"matrice{os.getpid()}.{number}@exemple.fr",
                first_name="Zoé",
                last_name=f"Zzmatrice{number}",
                password_hash=None,
                created_at=datetime.now(UTC),
            )
            s.add(user)
            s.flush()
            s.add_all(
                RightGrant(user_id=user.id, right=r, agency_id=agency_id, created_at=datetime.now(UTC))
                for r in rights
            )
            return user.id, f"Zoé Zzmatrice{number}"
    finally:
        engine.dispose()


def rights_on_server(server: EmbeddedServer, user_id: int, code: str) -> set[Right]:
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            agency_id = s.scalars(select(Agency.id).where(Agency.code == code)).one()
            grants = s.scalars(
                select(RightGrant.right).where(
                    RightGrant.user_id == user_id, RightGrant.agency_id == agency_id
                )
            )
            return {Right(r) for r in grants}
    finally:
        engine.dispose()


def agency_id(server: EmbeddedServer, code: str) -> int:
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            return s.scalars(select(Agency.id).where(Agency.code == code)).one()
    finally:
        engine.dispose()


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    window = log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN])
    window.show()
    qtbot.waitExposed(window)
    return window


def open_page(qtbot: QtBot, window: MainWindow, server: EmbeddedServer, code: str = "PAR11") -> RightsPage:
    window.open_feature(Feature.RIGHTS)
    page = window.current_page()
    assert isinstance(page, RightsPage)
    window.agency_selector.select_agency(agency_id(server, code))
    qtbot.waitUntil(
        lambda: not page.loading and page.model.agency_id == agency_id(server, code), timeout=WAIT_MS
    )
    return page


def row_of(page: RightsPage, user_id: int) -> int:
    row = page.model.row_of(user_id)
    assert row is not None
    return row


def cell_granted(page: RightsPage, user_id: int, right: Right) -> bool:
    return bool(page.model.index(row_of(page, user_id), column_of(right)).data(GRANTED_ROLE))


def click_cell(qtbot: QtBot, page: RightsPage, user_id: int, right: Right) -> None:
    index = page.model.index(row_of(page, user_id), column_of(right))
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def settled(page: RightsPage, user_id: int, right: Right) -> Callable[[], bool]:
    return lambda: not page.model.is_pending(user_id, right)


def test_matrix_lists_the_agencys_users_with_read_only_rights_elsewhere(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)
    emails = [u.email for u in page.model.users]
    assert ADMIN in emails and "diffusion@demo.coffreo.fr" in emails
    assert "acomptes@demo.coffreo.fr" not in emails  # no right on Paris 11e
    claire = page.model.users[emails.index(ADMIN)]
    assert cell_granted(page, claire.user_id, Right.ADMIN)
    assert "Marque" in page.model.index(emails.index(ADMIN), ELSEWHERE_COLUMN).data()  # brand "D", read-only
    assert page.stack.currentWidget() is page.table and "accès" in page.count_label.text()
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "rights_matrix.png"))


def test_a_click_saves_the_cell_at_once_and_annuler_restores_it_on_the_server(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, name = new_staff(demo_server, "PAR11", (Right.DIFFUSION, Right.DIFFUSION_LIBRE))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)

    click_cell(qtbot, page, user_id, Right.DIFFUSION_LIBRE)
    assert page.model.is_pending(user_id, Right.DIFFUSION_LIBRE)
    click_cell(qtbot, page, user_id, Right.DIFFUSION_LIBRE)  # no second toggle while saving
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION}
    assert not cell_granted(page, user_id, Right.DIFFUSION_LIBRE)
    assert f"Droit DL retiré à {name}" in page.status.text() and "Annuler" in page.status.text()
    page.grab().save(str(SHOTS / "rights_toggled.png"))

    page.status.linkActivated.emit("undo")  # the "Annuler" link
    qtbot.waitUntil(lambda: cell_granted(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION, Right.DIFFUSION_LIBRE}
    assert "Annulé" in page.status.text()


def test_space_toggles_the_current_cell_and_ctrl_z_sends_the_reverse_change(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.RELEVES_HEURES,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    page.table.setFocus()
    page.table.setCurrentIndex(
        page.model.index(row_of(page, user_id), column_of(Right.DIFFUSION_LIBRE_SIGNE))
    )
    qtbot.keyClick(page.table, Qt.Key.Key_Left)  # the arrows move from cell to cell: now on DLP
    assert page.table.currentIndex().column() == column_of(Right.DIFFUSION_LIBRE_PROTEGE)

    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: cell_granted(page, user_id, Right.DIFFUSION_LIBRE_PROTEGE), timeout=WAIT_MS)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Entrée toggles too: back off
    qtbot.waitUntil(lambda: not cell_granted(page, user_id, Right.DIFFUSION_LIBRE_PROTEGE), timeout=WAIT_MS)
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE_PROTEGE), timeout=WAIT_MS)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.RELEVES_HEURES}

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: cell_granted(page, user_id, Right.DIFFUSION_LIBRE_PROTEGE), timeout=WAIT_MS)
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE_PROTEGE), timeout=WAIT_MS)
    assert rights_on_server(demo_server, user_id, "PAR11") == {
        Right.RELEVES_HEURES,
        Right.DIFFUSION_LIBRE_PROTEGE,
    }


def test_a_colleague_first_shows_the_message_and_the_current_state(
    qtbot: QtBot,
    window: MainWindow,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    par11 = agency_id(demo_server, "PAR11")

    async def colleague() -> UserRights:
        api = ApiClient(str(demo_server.base_url))
        try:
            await api.login(ADMIN, demo_passwords[ADMIN])
            admin = AdminApi(api)
            await admin.set_right(par11, user_id, Right.ACOMPTES, True, False)
            return await admin.set_right(par11, user_id, Right.RELEVES_HEURES, True, False)
        finally:
            await api.aclose()

    assert isinstance(server_call(qt_event_loop, qtbot, colleague()), UserRights)
    assert not cell_granted(page, user_id, Right.ACOMPTES)  # the page still shows the old state

    click_cell(qtbot, page, user_id, Right.ACOMPTES)  # meant to grant DA: the colleague already did
    qtbot.waitUntil(settled(page, user_id, Right.ACOMPTES), timeout=WAIT_MS)
    assert "modifié" in page.status.text()
    # The row is the server's now: DA and the RH the colleague added, nothing written twice.
    assert cell_granted(page, user_id, Right.ACOMPTES) and cell_granted(page, user_id, Right.RELEVES_HEURES)
    assert rights_on_server(demo_server, user_id, "PAR11") == {
        Right.DIFFUSION,
        Right.ACOMPTES,
        Right.RELEVES_HEURES,
    }


def test_all_my_agencies_asks_for_an_establishment_where_the_user_is_admin(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)
    window.agency_selector.select_agency(None)  # "Toutes mes agences"
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT_MS)
    assert page.stack.currentWidget() is page.empty_label and "Choisissez" in page.empty_label.text()
    assert page.agency_combo.count() == len(window.me.agencies)  # the admin is "A" everywhere
    page.agency_combo.setCurrentIndex(page.agency_combo.findData(agency_id(demo_server, "LYO")))
    page.agency_combo.activated.emit(page.agency_combo.currentIndex())
    qtbot.waitUntil(lambda: page.model.agency_id == agency_id(demo_server, "LYO"), timeout=WAIT_MS)
    assert "acomptes@demo.coffreo.fr" in [u.email for u in page.model.users]


def test_the_last_administrator_cannot_remove_their_own_a(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server, "NAN")
    claire = next(u for u in page.model.users if u.email == ADMIN)
    click_cell(qtbot, page, claire.user_id, Right.ADMIN)
    qtbot.waitUntil(lambda: "dernier administrateur" in page.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(settled(page, claire.user_id, Right.ADMIN), timeout=WAIT_MS)
    assert cell_granted(page, claire.user_id, Right.ADMIN)
    assert Right.ADMIN in rights_on_server(demo_server, claire.user_id, "NAN")
    assert page.undo_stack.count() == 0  # nothing to undo


def test_create_an_access_with_rights_clicked_off_queues_the_invitation(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.access_dialog
    assert dialog is not None and dialog.isVisible()
    assert all(check.isChecked() for check in dialog.right_boxes.values())  # every right on by default
    email = f"nouvel.acces{os.getpid()}@exemple.fr"
    qtbot.keyClicks(dialog.first_name, "Nina")
    qtbot.keyClicks(dialog.last_name, "Rousseau")
    qtbot.keyClicks(dialog.email, "pas-une-adresse")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.email_error.isVisible(), timeout=WAIT_MS)
    assert "invalide" in dialog.email_error.text() and dialog.first_name.text() == "Nina"  # nothing lost
    dialog.grab().save(str(SHOTS / "rights_create_error.png"))

    dialog.email.clear()
    qtbot.keyClicks(dialog.email, email)
    for right in (Right.ADMIN, Right.ACOMPTES):
        qtbot.mouseClick(dialog.right_boxes[right], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.created, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(u.email == email for u in page.model.users), timeout=WAIT_MS)
    assert "invitation a été envoyée" in page.status.text()
    new = next(u for u in page.model.users if u.email == email)
    assert new.rights == set(Right) - {Right.ADMIN, Right.ACOMPTES}
    engine = engine_of(demo_server)
    try:
        with Session(engine) as s:
            assert s.scalars(select(OutboxMail).where(OutboxMail.to_addr == email)).first() is not None
    finally:
        engine.dispose()

    window.activateWindow()  # the offscreen platform does not give the window back its activation
    qtbot.waitUntil(lambda: page.table.hasFocus(), timeout=WAIT_MS)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the same email again
    again = page.access_dialog
    assert again is not None and again is not dialog
    qtbot.keyClicks(again.first_name, "Nina")
    qtbot.keyClicks(again.last_name, "Rousseau")
    qtbot.keyClicks(again.email, email)
    qtbot.mouseClick(again.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.email_error.isVisible(), timeout=WAIT_MS)
    assert "déjà un accès" in again.email_error.text() and again.isVisible()
    again.reject()


def test_remove_an_access_after_a_confirmation_naming_person_and_establishment(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row_of(page, user_id), NAME_COLUMN))

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    assert name in box.text() and "Paris 11" in box.text()
    removal = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.mouseClick(removal, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.row_of(user_id) is None, timeout=WAIT_MS)
    assert rights_on_server(demo_server, user_id, "PAR11") == set()
    assert "supprimé" in page.status.text()


def test_removing_an_access_deleted_meanwhile_says_so_and_reloads(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    engine = engine_of(demo_server)
    try:
        with Session(engine) as s, s.begin():  # a colleague removed it first
            s.execute(delete(RightGrant).where(RightGrant.user_id == user_id))
    finally:
        engine.dispose()

    box = page.confirm_remove(row_of(page, user_id))
    assert box is not None
    removal = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.mouseClick(removal, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.row_of(user_id) is None, timeout=WAIT_MS)
    assert page.status.text()  # the server's French detail


def test_the_last_administrator_cannot_remove_their_own_access(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    page = open_page(qtbot, window, demo_server, "NAN")
    claire = next(u for u in page.model.users if u.email == ADMIN)
    box = page.confirm_remove(row_of(page, claire.user_id))
    assert box is not None and "Claire Moreau" in box.text()
    removal = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.mouseClick(removal, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "dernier administrateur" in page.status.text(), timeout=WAIT_MS)
    assert page.model.row_of(claire.user_id) is not None
    assert Right.ADMIN in rights_on_server(demo_server, claire.user_id, "NAN")


def test_an_undo_the_server_refuses_clears_the_history_and_shows_the_servers_state(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    click_cell(qtbot, page, user_id, Right.DIFFUSION_LIBRE)
    qtbot.waitUntil(settled(page, user_id, Right.DIFFUSION_LIBRE), timeout=WAIT_MS)
    assert page.undo_stack.count() == 1
    engine = engine_of(demo_server)  # a colleague takes D away: DL is now the last right
    with Session(engine) as s, s.begin():
        s.execute(
            delete(RightGrant).where(RightGrant.user_id == user_id, RightGrant.right == Right.DIFFUSION)
        )
    engine.dispose()

    page.undo()  # the reverse change would remove the last right: refused (last_right)
    qtbot.waitUntil(lambda: "dernier droit" in page.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: not page.loading and not cell_granted(page, user_id, Right.DIFFUSION), timeout=WAIT_MS
    )
    assert page.undo_stack.count() == 0 and not page.undo_stack.canRedo()  # no stale change to resend
    assert cell_granted(page, user_id, Right.DIFFUSION_LIBRE)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION_LIBRE}


def test_the_undo_history_does_not_follow_to_another_establishment(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION,))
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    click_cell(qtbot, page, user_id, Right.RELEVES_HEURES)
    qtbot.waitUntil(settled(page, user_id, Right.RELEVES_HEURES), timeout=WAIT_MS)
    assert page.undo_stack.count() == 1

    window.agency_selector.select_agency(agency_id(demo_server, "LYO"))
    qtbot.waitUntil(lambda: page.model.agency_id == agency_id(demo_server, "LYO"), timeout=WAIT_MS)
    assert page.undo_stack.count() == 0
    page.undo()  # Ctrl+Z here must not change PAR11, no longer shown
    qtbot.wait(300)
    assert rights_on_server(demo_server, user_id, "PAR11") == {Right.DIFFUSION, Right.RELEVES_HEURES}


def test_the_persons_name_is_shown_as_text_in_the_status_line(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    user_id, _name = new_staff(demo_server, "PAR11", (Right.DIFFUSION, Right.ACOMPTES))
    engine = engine_of(demo_server)
    with Session(engine) as s, s.begin():
        s.get_one(StaffUser, user_id).first_name = "<b>Zoé</b> & Cie"
    engine.dispose()
    page = open_page(qtbot, window, demo_server)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.row_of(user_id) is not None, timeout=WAIT_MS)
    click_cell(qtbot, page, user_id, Right.ACOMPTES)
    qtbot.waitUntil(settled(page, user_id, Right.ACOMPTES), timeout=WAIT_MS)
    assert "&lt;b&gt;Zoé&lt;/b&gt; &amp; Cie" in page.status.text()
    page.undo()
    qtbot.waitUntil(lambda: "Annulé" in page.status.text(), timeout=WAIT_MS)
    assert "&lt;b&gt;Zoé&lt;/b&gt; &amp; Cie" in page.status.text()
