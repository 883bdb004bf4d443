"""Start from the cached profile (F2.9): the main window opens at once, the session resumes behind it."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import ServerUnreachable
from coffreo_desktop.client.models import Me, Tokens
from coffreo_desktop.client.offline_store import load_profile, save_profile
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.login_dialog import LoginDialog
from coffreo_desktop.gui.main_window import MainWindow
from tests.gui.helpers import WAIT_MS, log_in

ADMIN = "admin@demo.coffreo.fr"
STORED_AS = "serveur-demo"


@pytest.fixture
def held_resume(monkeypatch: pytest.MonkeyPatch) -> Iterator[asyncio.Event]:
    """ApiClient.resume waits for this event before it reaches the server."""
    release = asyncio.Event()
    original = ApiClient.resume

    async def resume(self: ApiClient, refresh_token: str) -> Tokens:
        await release.wait()
        return await original(self, refresh_token)

    monkeypatch.setattr(ApiClient, "resume", resume)
    yield release
    release.set()


def remembered_login(qtbot: QtBot, make_flow: Callable[..., AppFlow], password: str) -> Me:
    flow = make_flow()
    window = log_in(qtbot, flow, ADMIN, password, remember=True)
    assert flow.session is not None and flow.session.credential_id == STORED_AS
    return window.me


def restart(qtbot: QtBot, make_flow: Callable[..., AppFlow]) -> tuple[AppFlow, MainWindow]:
    flow = make_flow(Settings.load(), StartOptions())
    with qtbot.waitSignal(flow.main_window_shown, timeout=WAIT_MS) as shown:
        flow.start()
    window = shown.args[0]
    assert isinstance(window, MainWindow)
    return flow, window


def test_restart_shows_the_cached_profile_before_the_session_is_resumed(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    held_resume: asyncio.Event,
) -> None:
    me = remembered_login(qtbot, make_flow, demo_passwords[ADMIN])
    assert load_profile(CredentialStore(), STORED_AS) == me

    flow, window = restart(qtbot, make_flow)
    assert window.me == me and window.pending and flow.pending
    assert window.pending_label.isVisibleTo(window) and window.pending_label.text() == "connexion…"
    assert not window.is_online() and window.connection_label.text() == "hors ligne"
    assert set(window.home.tiles) == set(me.features)
    qtbot.wait(200)
    assert flow.pending  # still held: the window did not wait for the server

    with qtbot.waitSignal(flow.session_confirmed, timeout=WAIT_MS):
        held_resume.set()
    assert flow.session is not None and flow.session.api.authenticated
    assert window.session is flow.session and window.monitor.api is flow.session.api
    assert not window.pending and not window.pending_label.isVisibleTo(window)
    assert window.is_online()


def test_a_changed_profile_updates_the_open_window_in_place(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    me = remembered_login(qtbot, make_flow, demo_passwords[ADMIN])
    stale = dataclasses.replace(me, first_name="Ancien", agencies=me.agencies[:1], features=me.features[:1])
    assert save_profile(CredentialStore(), STORED_AS, stale)

    flow, window = restart(qtbot, make_flow)
    assert window.user_label.text().startswith("Ancien")
    assert list(window.home.tiles) == list(stale.features)
    with qtbot.waitSignal(flow.session_confirmed, timeout=WAIT_MS):
        pass
    assert window.me == me and flow.main_window is window
    assert window.user_label.text() == me.display_name
    assert list(window.home.tiles) == list(me.features)
    assert set(window.agency_selector.agency_ids()) == {a.id for a in me.agencies}
    assert load_profile(CredentialStore(), STORED_AS) == me  # the new profile is kept


def test_a_refused_token_closes_the_cached_window_and_forgets_the_profile(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    remembered_login(qtbot, make_flow, demo_passwords[ADMIN])
    CredentialStore().save(STORED_AS, ADMIN, "jeton-que-le-serveur-ne-connait-pas")

    flow = make_flow(Settings.load(), StartOptions())
    with (
        qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as shown,
        qtbot.waitSignal(flow.main_window_shown, timeout=WAIT_MS),
    ):
        flow.start()
    dialog = shown.args[0]
    assert isinstance(dialog, LoginDialog)
    assert dialog.ui.errorLabel.text() == "Session expirée, veuillez vous reconnecter."
    assert flow.main_window is None and not flow.pending
    assert load_profile(CredentialStore(), STORED_AS) is None
    assert CredentialStore().load(STORED_AS) is None


def test_an_unreachable_server_keeps_the_window_offline_until_it_answers(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remembered_login(qtbot, make_flow, demo_passwords[ADMIN])
    original = ApiClient.resume
    attempts: list[str] = []

    async def resume(self: ApiClient, refresh_token: str) -> Tokens:
        attempts.append(refresh_token)
        if len(attempts) == 1:
            raise ServerUnreachable(self.base_url)
        return await original(self, refresh_token)

    monkeypatch.setattr(ApiClient, "resume", resume)
    flow, window = restart(qtbot, make_flow)
    qtbot.waitUntil(lambda: len(attempts) == 1 and not flow._resuming, timeout=WAIT_MS)
    assert flow.main_window is window and window.isVisible() and flow.pending
    assert not window.is_online()
    with qtbot.waitSignal(flow.session_confirmed, timeout=WAIT_MS):
        window.monitor.check_now()  # the server answers: the monitor brings the resume again
    assert len(attempts) == 2 and window.is_online() and not window.pending


def test_logout_deletes_the_cached_profile(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    flow = make_flow()
    window = log_in(qtbot, flow, ADMIN, demo_passwords[ADMIN], remember=True)
    assert load_profile(CredentialStore(), STORED_AS) is not None
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS):
        qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)
    assert load_profile(CredentialStore(), STORED_AS) is None


def test_a_login_without_remember_me_leaves_no_profile(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN], remember=False)
    assert load_profile(CredentialStore(), STORED_AS) is None
