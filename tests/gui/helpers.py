"""Helpers of the GUI tests: open the login dialog of a flow, type credentials, wait for the main window."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pypdf import PdfWriter
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
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


def make_pdf(path: Path, padding: int = 0) -> Path:
    """A real one-page PDF; its file name in the metadata makes every content different, ``padding``
    bytes of metadata make it as heavy as wanted."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": path.name, "/Subject": "x" * padding})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer.write(out)
    return path


def drop(widget: QWidget, paths: list[Path]) -> bool:
    """What a drag from the file manager delivers: a drag enter, then the drop, with file URLs."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPointF(40, 40), action, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    dropped = QDropEvent(QPointF(40, 40), action, mime, buttons, modifiers)
    QApplication.sendEvent(widget, dropped)
    return dropped.isAccepted()
