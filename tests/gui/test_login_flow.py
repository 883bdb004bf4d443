"""Logging in through the real dialogs against the embedded demo backend: errors, keyring, restart, logout."""

from __future__ import annotations

from collections.abc import Callable

import keyring
import keyring.backends.fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.login_dialog import LoginDialog
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.tasks import Task
from tests.gui.helpers import WAIT_MS, log_in, open_login, submit_login

ADMIN = "admin@demo.coffreo.fr"
NO_KEYRING_NOTICE = "Aucun trousseau sécurisé n'est disponible : la session sera gardée en mémoire seulement."


def test_wrong_password_is_refused_in_french_and_the_button_comes_back(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    flow = make_flow()
    dialog = open_login(qtbot, flow)
    submit_login(qtbot, dialog, ADMIN, "pas-le-bon-mot-de-passe")
    assert not dialog.ui.loginButton.isEnabled()  # no double submit while the request runs
    qtbot.waitUntil(lambda: dialog.ui.errorLabel.isVisible(), timeout=WAIT_MS)
    assert dialog.ui.errorLabel.text() == "Adresse e-mail ou mot de passe incorrect."
    qtbot.waitUntil(dialog.ui.loginButton.isEnabled, timeout=WAIT_MS)
    assert dialog.isVisible() and flow.main_window is None


def test_login_button_waits_for_both_fields(qtbot: QtBot, make_flow: Callable[..., AppFlow]) -> None:
    dialog = open_login(qtbot, make_flow())
    dialog.ui.emailEdit.clear()
    assert not dialog.ui.loginButton.isEnabled()
    qtbot.keyClicks(dialog.ui.emailEdit, ADMIN)
    assert not dialog.ui.loginButton.isEnabled()
    qtbot.keyClicks(dialog.ui.passwordEdit, "x")
    assert dialog.ui.loginButton.isEnabled()


def test_demo_accounts_fill_in_the_form(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_login(qtbot, make_flow())
    combo = dialog.ui.demoCombo
    assert dialog.ui.demoBox.isVisibleTo(dialog)
    assert combo.count() == len(demo_passwords) + 1
    index = next(i for i in range(combo.count()) if "acomptes@demo.coffreo.fr" in combo.itemText(i))
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert dialog.ui.emailEdit.text() == "acomptes@demo.coffreo.fr"
    assert dialog.ui.passwordEdit.text() == demo_passwords["acomptes@demo.coffreo.fr"]


def test_remember_me_then_restart_logs_in_from_the_keyring_without_any_dialog(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    first = make_flow()
    window = log_in(qtbot, first, ADMIN, demo_passwords[ADMIN], remember=True)
    assert window.me.email == ADMIN
    assert first.session is not None and first.session.remembered
    assert Settings.load().remember_me
    assert CredentialStore().load(first.session.credential_id) is not None

    restarted = make_flow(Settings.load(), StartOptions())
    dialogs: list[object] = []
    restarted.login_dialog_shown.connect(dialogs.append)
    restarted.connection_dialog_shown.connect(dialogs.append)
    with qtbot.waitSignal(restarted.main_window_shown, timeout=WAIT_MS) as shown:
        restarted.start()
    assert isinstance(shown.args[0], MainWindow)
    assert shown.args[0].me.email == ADMIN
    assert dialogs == []


def test_logout_forgets_the_stored_session_and_returns_to_login(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    flow = make_flow()
    window = log_in(qtbot, flow, ADMIN, demo_passwords[ADMIN], remember=True)
    assert flow.session is not None
    stored_as = flow.session.credential_id
    assert CredentialStore().load(stored_as) is not None
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as shown:
        qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)
    assert isinstance(shown.args[0], LoginDialog)
    assert CredentialStore().load(stored_as) is None
    assert not Settings.load().remember_me
    assert flow.main_window is None

    # A later start shows the login again: nothing is left to resume from.
    restarted = make_flow(Settings.load(), StartOptions(demo=True))
    open_login(qtbot, restarted)


def test_reset_session_option_forgets_the_stored_session(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    first = make_flow()
    log_in(qtbot, first, ADMIN, demo_passwords[ADMIN], remember=True)
    assert first.session is not None
    stored_as = first.session.credential_id
    assert CredentialStore().load(stored_as) is not None
    restarted = make_flow(Settings.load(), StartOptions(reset_session=True))
    dialog = open_login(qtbot, restarted)  # no resume: the login dialog, and nothing left in the keyring
    assert dialog.ui.emailEdit.text() == ADMIN
    assert CredentialStore().load(stored_as) is None


def test_without_a_secure_keyring_remember_me_is_off_and_the_notice_is_said_once(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    flow = make_flow()
    dialog = open_login(qtbot, flow)
    assert dialog.ui.noticeLabel.isVisibleTo(dialog)
    assert dialog.ui.noticeLabel.text() == NO_KEYRING_NOTICE
    assert not dialog.ui.rememberCheck.isEnabled()

    with qtbot.waitSignal(flow.main_window_shown, timeout=WAIT_MS) as shown:
        submit_login(qtbot, dialog, ADMIN, demo_passwords[ADMIN], remember=True)
    assert flow.session is not None and not flow.session.remembered
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as again:
        shown.args[0].request_logout()
    second: LoginDialog = again.args[0]
    assert not second.ui.noticeLabel.isVisibleTo(second)  # said once
    assert not second.ui.rememberCheck.isEnabled()
    assert second.ui.rememberCheck.toolTip() == NO_KEYRING_NOTICE


def test_an_expired_session_brings_back_the_login_with_a_french_message(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    flow = make_flow()
    window = log_in(qtbot, flow, ADMIN, demo_passwords[ADMIN])
    api = window.session.api
    revoked = Task(window, api.logout()).run()  # the server forgets the session behind the window's back
    qtbot.waitUntil(lambda: revoked.done)
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as shown:
        Task(window, api.me()).run()  # any request of a page, with its default failure handling
    dialog: LoginDialog = shown.args[0]
    assert dialog.ui.errorLabel.text() == "Session expirée, veuillez vous reconnecter."
    assert flow.main_window is None


def test_login_dialog_can_go_back_to_the_connection_choice(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    flow = make_flow()
    dialog = open_login(qtbot, flow)
    quits: list[bool] = []
    flow.quit_requested.connect(lambda: quits.append(True))
    with qtbot.waitSignal(flow.connection_dialog_shown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ui.changeConnectionButton, Qt.MouseButton.LeftButton)
    assert quits == []
