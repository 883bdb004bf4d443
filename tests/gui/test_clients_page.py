""" "Mes clients" driven like a user on the real embedded demo backend: the clients with their status, a
confirmed reminder and its result (then refused inside 24 hours), the users' rights toggled by a click and
by Espace, a colleague's change shown (409), a user added through the wizard (bad and duplicate email kept
in the dialog), reminded with the envelope and deleted with the bin."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, delete, select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.services import Feature
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.client_models import ClientUsersModel
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.clients import ClientsPage
from coffreo_desktop.gui.tasks import running_tasks
from coffreo_desktop.server.db.models import Agency, ClientAgency, ClientCompany, ClientUser
from tests.gui.helpers import WAIT_MS

ADMIN = "admin@demo.coffreo.fr"
SHOTS = Path(os.environ.get("COFFREO_SCREENSHOTS", "/tmp"))
_numbers = itertools.count(1)


def engine_of(server: EmbeddedServer):  # type: ignore[no-untyped-def]
    return create_engine(f"sqlite:///{server.data_dir / 'coffreo.sqlite3'}", connect_args={"timeout": 30})


def new_client(server: EmbeddedServer, users: list[bool], code: str = "PAR11") -> tuple[int, int, list[int]]:
    """A client served by agency ``code``, one user per flag (activated or not); (agency, client, users)."""
    number = f"{os.getpid()}{next(_numbers)}"
    engine = engine_of(server)
    now = datetime.now(UTC)
    try:
        with Session(engine) as s, s.begin():
            agency = s.scalars(select(Agency).where(Agency.code == code)).one()
            client = ClientCompany(
                brand_id=agency.brand_id, code=f"T{number}"[:20], name=f"Aaa Test {number}", created_at=now
            )
            s.add(client)
            s.flush()
            s.add(ClientAgency(client_id=client.id, agency_id=agency.id))
            rows = [
                ClientUser(
                    client_id=client.id,
                    email=f"u{i}.{number}@client.fr",
                    civility="Mme",
                    first_name="Inès",
                    last_name=f"Test{i}",
                    created_at=now,
                    activated_at=now if on else None,
                )
                for i, on in enumerate(users)
            ]
            s.add_all(rows)
            s.flush()
            return agency.id, client.id, [u.id for u in rows]
    finally:
        engine.dispose()


def user_on_server(server: EmbeddedServer, user_id: int) -> ClientUser | None:
    engine = engine_of(server)
    try:
        with Session(engine, expire_on_commit=False) as s:
            return s.get(ClientUser, user_id)
    finally:
        engine.dispose()


def open_page(qtbot: QtBot, window: MainWindow, agency_id: int, client_id: int) -> ClientsPage:
    window.open_feature(Feature.CLIENTS)
    page = window.current_page()
    assert isinstance(page, ClientsPage)
    window.agency_selector.select_agency(agency_id)
    page.set_agency(agency_id)
    qtbot.waitUntil(lambda: page.model.row_of(client_id) >= 0, timeout=WAIT_MS)
    return page


def choose(qtbot: QtBot, page: ClientsPage, client_id: int) -> None:
    page.table.selectRow(page.model.row_of(client_id))
    qtbot.waitUntil(
        lambda: page.pane.client is not None and page.pane.client.id == client_id, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: page.pane.model.rowCount() > 0, timeout=WAIT_MS)


def status_shown(page: ClientsPage, client_id: int) -> str:
    return str(page.model.index(page.model.row_of(client_id), 2).data())


def confirm(qtbot: QtBot, box: QMessageBox | None, label: str) -> None:
    assert box is not None
    (button,) = [
        b
        for b in box.buttons()
        if b.text() == label and box.buttonRole(b) != QMessageBox.ButtonRole.RejectRole
    ]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_confirmed_reminder_says_who_was_reminded_and_a_second_one_is_refused_until_tomorrow(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [False])
    page = open_page(qtbot, window, agency, client)
    assert status_shown(page, client) == "Non activé"
    assert page.model.index(page.model.row_of(client), 3).data() == datetime.now(UTC).astimezone().strftime(
        "%d/%m/%Y"
    )
    choose(qtbot, page, client)

    confirm(qtbot, page.confirm_remind(), "Relancer")
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=WAIT_MS)
    assert page.message.text() == "1 client relancé."
    qtbot.waitUntil(lambda: status_shown(page, client) == "Invité", timeout=WAIT_MS)

    page.message.clear()
    page.confirm_box = None
    window.activateWindow()  # shortcuts follow the keyboard focus, as for a user
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(
        page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    confirm(qtbot, page.confirm_box, "Relancer")
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=WAIT_MS)
    assert page.message.text().startswith("0 client relancé. Non relancés : Aaa Test")
    assert "déjà relancé : possible à partir du" in page.message.text()
    qtbot.waitUntil(lambda: "client" in page.count_label.text(), timeout=WAIT_MS)
    assert page.pane.summary.text().startswith("Invité — créé le ")
    page.grab().save(str(SHOTS / "clients_page.png"))


def cell(page: ClientsPage, row: int, right_column: int) -> bool:
    index = page.pane.model.index(row, right_column)
    return index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_rights_toggle_by_click_and_space_and_a_colleagues_change_shows_the_current_state(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, (user,) = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    invoices = ClientUsersModel.FIRST_RIGHT + 2
    table = page.pane.table
    rect = table.visualRect(page.pane.model.index(0, invoices))

    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: cell(page, 0, invoices), timeout=WAIT_MS)
    assert user_on_server(demo_server, user).can_invoices  # type: ignore[union-attr]
    assert page.pane.message.text() == "« Factures » accordé à Inès Test0."

    table.setFocus()
    table.setCurrentIndex(page.pane.model.index(0, invoices))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not cell(page, 0, invoices), timeout=WAIT_MS)
    assert not user_on_server(demo_server, user).can_invoices  # type: ignore[union-attr]

    engine = engine_of(demo_server)  # a colleague grants it meanwhile
    with Session(engine) as s, s.begin():
        s.execute(update(ClientUser).where(ClientUser.id == user).values(can_invoices=True))
    engine.dispose()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: "entre-temps" in page.pane.message.text(), timeout=WAIT_MS)
    assert cell(page, 0, invoices)  # the current state is shown, nothing was written over it


def test_the_wizard_adds_a_user_and_keeps_the_fields_when_the_email_is_refused(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    existing = page.pane.model.users[0].email

    def fill(email: str) -> None:
        page.pane.open_add()
        dialog = page.pane.dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.email, "pas une adresse")
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        assert dialog.error.text() == "Adresse e-mail invalide : « pas une adresse »."
        dialog.email.clear()
        qtbot.keyClicks(dialog.email, email)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        dialog.civility.setCurrentText("M.")
        qtbot.keyClicks(dialog.first_name, "Hugo")
        qtbot.keyClicks(dialog.last_name, "Lemaire")
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        dialog.rights["invoices"].setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    fill(existing)
    dialog = page.pane.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "déjà utilisateur" in dialog.error.text(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.steps.currentIndex() == 0  # back at the email, nothing lost
    assert dialog.first_name.text() == "Hugo"
    dialog.reject()

    fill(f"hugo.{client}@client.fr")
    qtbot.waitUntil(lambda: page.pane.model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.pane.model.users[0].last_name == "Lemaire", timeout=WAIT_MS)  # reloaded
    added = next(u for u in page.pane.model.users if u.first_name == "Hugo")
    assert added.rights == {"view_contracts", "invoices"} and not added.activated

    row = next(r for r, u in enumerate(page.pane.model.users) if u.id == added.id)
    envelope = page.pane.table.visualRect(page.pane.model.index(row, ClientUsersModel.REMIND))
    qtbot.mouseClick(page.pane.table.viewport(), Qt.MouseButton.LeftButton, pos=envelope.center())
    qtbot.waitUntil(lambda: "relancé" in page.pane.message.text(), timeout=WAIT_MS)
    assert page.pane.message.text() == "1 utilisateur relancé."

    window.activateWindow()
    page.pane.table.setFocus()
    qtbot.waitUntil(page.pane.table.hasFocus, timeout=WAIT_MS)
    row = next(r for r, u in enumerate(page.pane.model.users) if u.id == added.id)  # reloaded: re-sorted
    page.pane.table.setCurrentIndex(page.pane.model.index(row, ClientUsersModel.NAME))
    qtbot.keyClick(page.pane.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(
        lambda: page.pane.confirm_box is not None and page.pane.confirm_box.isVisible(), timeout=WAIT_MS
    )
    confirm(qtbot, page.pane.confirm_box, "Supprimer")
    qtbot.waitUntil(lambda: page.pane.model.rowCount() == 1, timeout=WAIT_MS)
    assert user_on_server(demo_server, added.id) is None


def test_a_user_deleted_meanwhile_is_said_and_dropped_from_the_matrix(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, (user,) = new_client(demo_server, [False])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    engine = engine_of(demo_server)  # a colleague deletes the user while it is shown
    with Session(engine) as s, s.begin():
        s.execute(delete(ClientUser).where(ClientUser.id == user))
    engine.dispose()

    rect = page.pane.table.visualRect(page.pane.model.index(0, ClientUsersModel.FIRST_RIGHT + 1))
    qtbot.mouseClick(page.pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: page.pane.model.rowCount() == 0, timeout=WAIT_MS)
    assert page.pane.message.text().startswith("Cet utilisateur n'existe plus")


def test_a_client_gone_meanwhile_clears_the_pane_and_reloads_the_list_once(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    calls = {"users": 0, "clients": 0}
    for name in calls:  # count the requests: a 404 must not be asked again and again
        original = getattr(page.api, name)

        def counting(*args: object, _original: Callable[..., object] = original, _name: str = name) -> object:
            calls[_name] += 1
            return _original(*args)

        setattr(page.api, name, counting)
    engine = engine_of(demo_server)  # the establishment no longer serves this client
    with Session(engine) as s, s.begin():
        s.execute(delete(ClientAgency).where(ClientAgency.client_id == client))
    engine.dispose()

    rect = page.pane.table.visualRect(page.pane.model.index(0, ClientUsersModel.FIRST_RIGHT + 1))
    qtbot.mouseClick(page.pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: page.model.row_of(client) < 0, timeout=WAIT_MS)
    qtbot.wait(500)
    assert calls == {"users": 0, "clients": 1}
    assert page.pane.client is None and page.pane.model.rowCount() == 0
    assert page.pane.message.text() != ""


def hold_first_call(
    page: ClientsPage, name: str, change: Callable[[tuple[Any, ...]], tuple[Any, ...]] = lambda a: a
) -> asyncio.Event:
    """The first call of ``page.api.<name>`` (its arguments through ``change``) waits for the event."""
    gate = asyncio.Event()
    original = getattr(page.api, name)
    held = [False]

    def call(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        first, held[0] = not held[0], True

        async def answer() -> Any:
            if first:
                await gate.wait()
                return await original(*change(args), **kwargs)
            return await original(*args, **kwargs)

        return answer()

    setattr(page.api, name, call)
    return gate


def test_no_second_reminder_while_one_is_on_its_way(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [False])
    _agency, other, _others = new_client(demo_server, [False])
    page = open_page(qtbot, window, agency, client)
    qtbot.waitUntil(lambda: page.model.row_of(other) >= 0, timeout=WAIT_MS)
    choose(qtbot, page, client)
    gate = hold_first_call(page, "remind_clients_chunk")
    confirm(qtbot, page.confirm_remind(), "Relancer")
    assert page.reminding and not page.remind_button.isEnabled()

    page.table.selectRow(page.model.row_of(other))  # another selection does not re-enable "Relancer"
    assert not page.remind_button.isEnabled()
    page.confirm_box = None
    window.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(
        page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert page.confirm_box is None  # Ctrl+Maj+R asks nothing while the reminder is on its way

    gate.set()
    qtbot.waitUntil(lambda: page.message.text() == "1 client relancé.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert not page.reminding and page.remind_button.isEnabled()


def test_a_failure_of_an_older_load_is_not_shown_over_the_newer_list(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [False])
    page = open_page(qtbot, window, agency, client)
    # The older load asks for an establishment that does not exist: a real refusal, held back.
    gate = hold_first_call(page, "clients", lambda _args: (10**6,))
    page.reload()
    page.reload()
    qtbot.waitUntil(lambda: "client" in page.count_label.text(), timeout=WAIT_MS)
    gate.set()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert page.message.text() == "" and page.model.row_of(client) >= 0
