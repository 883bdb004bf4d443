"""Helpers of the GUI tests: open the login dialog of a flow, type credentials, wait for the main window."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.login_dialog import LoginDialog
from coffreo_desktop.gui.main_window import MainWindow

WAIT_MS = 20_000


def open_login(qtbot: QtBot, flow: AppFlow) -> LoginDialog:
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as shown:
        flow.start()
    dialog = shown.args[0]
    assert isinstance(dialog, LoginDialog)
    return dialog


def submit_login(
    qtbot: QtBot, dialog: LoginDialog, email: str, password: str, *, remember: bool = False
) -> None:
    dialog.ui.emailEdit.clear()
    qtbot.keyClicks(dialog.ui.emailEdit, email)
    dialog.ui.passwordEdit.clear()
    qtbot.keyClicks(dialog.ui.passwordEdit, password)
    if dialog.ui.rememberCheck.isEnabled():
        dialog.ui.rememberCheck.setChecked(remember)
    qtbot.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)


def log_in(qtbot: QtBot, flow: AppFlow, email: str, password: str, *, remember: bool = False) -> MainWindow:
    dialog = open_login(qtbot, flow)
    with qtbot.waitSignal(flow.main_window_shown, timeout=WAIT_MS) as shown:
        submit_login(qtbot, dialog, email, password, remember=remember)
    window = shown.args[0]
    assert isinstance(window, MainWindow)
    return window


def server_call(loop: asyncio.AbstractEventLoop, qtbot: QtBot, coroutine: object) -> object:
    """Run a client coroutine on the test's qasync loop and wait for its result (Qt keeps running)."""
    future = asyncio.ensure_future(coroutine, loop=loop)  # type: ignore[arg-type]
    qtbot.waitUntil(future.done, timeout=WAIT_MS)
    return future.result()
