""" "Mes clients" in its edge states, on the real embedded demo backend: another establishment or a failed
load leaves nothing of the previous list on screen (the reason and "Réessayer" instead), a session expired
or a bug goes to the usual error handling, the wizard cannot be closed while it saves, the answers of a
previous client are not shown over the next one, a cell being saved or a reminder on its way is not sent
twice, and the counts and the empty lists read as French sentences."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.client_models import ClientUsersModel
from coffreo_desktop.gui.client_user_dialog import ClientUserDialog
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.clients import ClientsPage
from coffreo_desktop.gui.tasks import running_tasks
from coffreo_desktop.server.db.models import Agency, ClientAgency, RecipientAccount
from tests.gui.helpers import WAIT_MS
from tests.gui.test_clients_page import (
    SHOTS,
    cell,
    choose,
    engine_of,
    hold_first_call,
    new_client,
    open_page,
    user_on_server,
)

INVOICES = ClientUsersModel.FIRST_RIGHT + 2


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """What reaches ``errors.show_error`` (the re-login for a session expired, the log for a bug)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, exc: seen.append(exc))
    return seen


def agency_of(server: EmbeddedServer, code: str) -> int:
    engine = engine_of(server)
    try:
        with Session(engine) as s:
            return s.scalars(select(Agency.id).where(Agency.code == code)).one()
    finally:
        engine.dispose()


def counting(page: ClientsPage, name: str) -> list[tuple[Any, ...]]:
    """Records the calls of ``page.api.<name>`` (after any hold already put on it)."""
    calls: list[tuple[Any, ...]] = []
    original = getattr(page.api, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    setattr(page.api, name, call)
    return calls


def failing_once(page: ClientsPage, name: str, error: BaseException) -> None:
    """The next call of ``page.api.<name>`` raises ``error``; the following ones reach the server."""
    original = getattr(page.api, name)
    pending = [True]

    def call(*args: Any, **kwargs: Any) -> Any:
        if pending.pop() if pending else False:

            async def refused() -> Any:
                raise error

            return refused()
        return original(*args, **kwargs)

    setattr(page.api, name, call)


def click_cell(qtbot: QtBot, page: ClientsPage, row: int, column: int) -> None:
    table = page.pane.table
    rect = table.visualRect(page.pane.model.index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_another_establishment_empties_the_list_and_the_pane_at_once(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    par11, client, _users = new_client(demo_server, [False])
    lyo, lyon_client, _others = new_client(demo_server, [False], code="LYO")
    page = open_page(qtbot, window, par11, client)
    choose(qtbot, page, client)
    gate = hold_first_call(page, "clients")

    window.agency_selector.select_agency(lyo)

    # While Lyon's list is on its way, nothing of PAR11 can be seen or acted on.
    assert page.model.rowCount() == 0 and page.count_label.text() == "Chargement…"
    assert page.pane.client is None and not page.pane.add_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: page.model.row_of(lyon_client) >= 0, timeout=WAIT_MS)
    assert page.pane.client is None and page.pane.agency_id == lyo
    assert not page.pane.add_button.isEnabled()


def test_f5_after_the_chosen_client_left_the_list_clears_the_pane(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    engine = engine_of(demo_server)  # the establishment no longer serves the client
    with Session(engine) as s, s.begin():
        s.execute(delete(ClientAgency).where(ClientAgency.client_id == client))
    engine.dispose()

    page.reload()

    qtbot.waitUntil(lambda: page.model.row_of(client) < 0, timeout=WAIT_MS)
    assert page.pane.client is None and not page.pane.add_button.isEnabled()
    assert page.pane.model.rowCount() == 0


def test_a_failed_load_shows_the_reason_and_retry_brings_the_list_back(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    par11, client, _users = new_client(demo_server, [False])
    lyo, lyon_client, _others = new_client(demo_server, [False], code="LYO")
    page = open_page(qtbot, window, par11, client)
    choose(qtbot, page, client)
    failing_once(page, "clients", ApiError(503, "unavailable", "Service momentanément indisponible."))

    window.agency_selector.select_agency(lyo)

    qtbot.waitUntil(lambda: page.retry_button.isVisible(), timeout=WAIT_MS)
    assert page.model.rowCount() == 0 and page.pane.client is None
    assert page.count_label.text() == "Liste des clients indisponible"
    assert page.list_stack.currentWidget() is page.empty
    assert page.empty_text.text() == "Service momentanément indisponible.\nRéessayez (F5) dans un instant."
    page.grab().save(str(SHOTS / "clients_load_failed.png"))

    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    assert page.empty_text.text() == "Chargement…" and not page.retry_button.isVisible()
    qtbot.waitUntil(lambda: page.model.row_of(lyon_client) >= 0, timeout=WAIT_MS)
    assert page.list_stack.currentWidget() is page.table
    assert re.fullmatch(r"\d+ clients?, dont \d+ activés?", page.count_label.text())


def test_a_session_expired_or_a_bug_goes_to_the_usual_error_handling(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer, shown_errors: list[BaseException]
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)

    failing_once(page, "clients", SessionExpired())
    page.reload()
    qtbot.waitUntil(lambda: len(shown_errors) == 1, timeout=WAIT_MS)
    assert isinstance(shown_errors[0], SessionExpired)
    assert page.empty_text.text().startswith("La liste des clients n'a pas pu être chargée.")

    page.reload()
    qtbot.waitUntil(lambda: page.model.row_of(client) >= 0, timeout=WAIT_MS)
    choose(qtbot, page, client)
    failing_once(page, "set_right", RuntimeError("bogue"))
    click_cell(qtbot, page, 0, INVOICES)
    qtbot.waitUntil(lambda: len(shown_errors) == 2, timeout=WAIT_MS)
    assert isinstance(shown_errors[1], RuntimeError)
    assert page.pane.message.text() == ""  # not "Action impossible." with nothing logged
    assert not page.pane.model.busy  # the cell can be tried again

    failing_once(page, "add_user", SessionExpired())
    dialog = fill_wizard(qtbot, page, f"expired.{client}@client.fr")
    qtbot.waitUntil(lambda: len(shown_errors) == 3, timeout=WAIT_MS)
    assert isinstance(shown_errors[2], SessionExpired)
    assert dialog.isVisible() and dialog.first_name.text() == "Hugo"
    dialog.reject()


def fill_wizard(qtbot: QtBot, page: ClientsPage, email: str) -> ClientUserDialog:
    page.pane.open_add()
    dialog = page.pane.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.first_name, "Hugo")
    qtbot.keyClicks(dialog.last_name, "Lemaire")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog


def test_the_wizard_cannot_be_closed_while_it_saves_and_keeps_to_the_servers_limits(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    gate = hold_first_call(page, "add_user")
    email = f"held.{client}@client.fr"
    dialog = fill_wizard(qtbot, page, email)
    (cancel,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "Annuler"]
    assert dialog.saving and not cancel.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert shiboken6.isValid(dialog) and dialog.isVisible()  # its answer would be lost with it

    gate.set()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(u.email == email for u in page.pane.model.users), timeout=WAIT_MS)
    assert page.pane.message.text() == (
        f"Hugo Lemaire a été ajouté : une invitation à activer son accès est envoyée à {email}."
    )

    page.pane.open_add()
    dialog = page.pane.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.email, "a" * 300)
    assert len(dialog.email.text()) == 254  # the server's column; no English 422 to meet
    assert (dialog.first_name.maxLength(), dialog.last_name.maxLength()) == (80, 80)
    dialog.reject()


def test_an_address_with_a_client_space_account_is_told_of_the_new_access(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [True])
    email = f"known.{client}@client.fr"
    engine = engine_of(demo_server)  # the address already logs in to the client space
    with Session(engine) as s, s.begin():
        now = datetime.now(UTC)
        s.add(
            RecipientAccount(
                kind="client_user", email=email, password_hash="x", created_at=now, activated_at=now
            )
        )
    engine.dispose()
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)

    fill_wizard(qtbot, page, email)

    qtbot.waitUntil(lambda: "ajouté" in page.pane.message.text(), timeout=WAIT_MS)
    assert page.pane.message.text() == (
        f"Hugo Lemaire a été ajouté : son adresse {email} a déjà un accès à l'espace client, un e-mail "
        "l'informe de ce nouvel accès."
    )


def test_the_envelope_sends_one_reminder_while_it_is_on_its_way(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [False])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    gate = hold_first_call(page, "remind_user")
    calls = counting(page, "remind_user")
    table = page.pane.table
    table.setFocus()
    table.setCurrentIndex(page.pane.model.index(0, ClientUsersModel.REMIND))

    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.keyClick(table, Qt.Key.Key_Space)  # impatient
    gate.set()

    qtbot.waitUntil(lambda: page.pane.message.text() != "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert len(calls) == 1 and page.pane.message.text() == "1 utilisateur relancé."


def test_a_reload_does_not_free_a_cell_being_saved(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, (user,) = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, client)
    choose(qtbot, page, client)
    gate = hold_first_call(page, "set_right")
    saves = counting(page, "set_right")
    loads = counting(page, "users")
    click_cell(qtbot, page, 0, INVOICES)

    page.pane.reload()  # e.g. after a deletion, while the cell is saved
    qtbot.waitUntil(lambda: len(loads) == 1 and running_tasks() == 1, timeout=WAIT_MS)
    click_cell(qtbot, page, 0, INVOICES)
    gate.set()

    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert len(saves) == 1 and cell(page, 0, INVOICES)
    assert user_on_server(demo_server, user).can_invoices  # type: ignore[union-attr]


def test_a_toggle_answered_after_another_client_was_chosen_is_not_shown_over_it(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, first, _users = new_client(demo_server, [True])
    _agency, second, _others = new_client(demo_server, [True])
    page = open_page(qtbot, window, agency, first)
    qtbot.waitUntil(lambda: page.model.row_of(second) >= 0, timeout=WAIT_MS)
    choose(qtbot, page, first)
    gate = hold_first_call(page, "set_right")
    click_cell(qtbot, page, 0, INVOICES)
    choose(qtbot, page, second)

    gate.set()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    assert page.pane.client is not None and page.pane.client.id == second
    assert page.pane.message.text() == "" and not cell(page, 0, INVOICES)

    choose(qtbot, page, first)  # shown again: as saved
    qtbot.waitUntil(lambda: cell(page, 0, INVOICES), timeout=WAIT_MS)


def test_counts_agree_in_number_and_empty_lists_say_so(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    agency, client, _users = new_client(demo_server, [], code="NAN")
    page = open_page(qtbot, window, agency, client)
    activated = sum(1 for c in page.model.clients if c.status == "activé")
    total = page.model.rowCount()
    assert activated <= 1 < total  # the demo's NAN: one activated client, and the one added here
    assert page.count_label.text() == f"{total} clients, dont {activated} activé"
    choose_without_users(qtbot, page, client)
    assert page.pane.stack.currentWidget() is page.pane.empty
    assert page.pane.empty.text().startswith("Ce client n'a encore aucun utilisateur.")
    page.grab().save(str(SHOTS / "clients_no_user.png"))

    gre = agency_of(demo_server, "GRE")
    engine = engine_of(demo_server)  # the establishment serves no client for a moment
    with Session(engine) as s:
        served = s.scalars(select(ClientAgency.client_id).where(ClientAgency.agency_id == gre)).all()
    try:
        with Session(engine) as s, s.begin():
            s.execute(delete(ClientAgency).where(ClientAgency.agency_id == gre))
        window.agency_selector.select_agency(gre)
        qtbot.waitUntil(lambda: page.count_label.text() == "Aucun client", timeout=WAIT_MS)
        assert page.list_stack.currentWidget() is page.empty and not page.retry_button.isVisible()
        assert page.empty_text.text() == "Aucune entreprise cliente n'est rattachée à cet établissement."
        page.grab().save(str(SHOTS / "clients_none.png"))
    finally:
        with Session(engine) as s, s.begin():
            s.add_all(ClientAgency(client_id=c, agency_id=gre) for c in served)
        engine.dispose()


def choose_without_users(qtbot: QtBot, page: ClientsPage, client_id: int) -> None:
    page.table.selectRow(page.model.row_of(client_id))
    qtbot.waitUntil(lambda: page.pane.loaded and page.pane.client is not None, timeout=WAIT_MS)
    assert page.pane.client is not None and page.pane.client.id == client_id
