"""GUI test set-up: a qasync loop per test, one embedded demo backend for the session, app-flow helpers.

The GUI talks to a real embedded server on loopback (small demo group), never to mocked HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.settings import Settings
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.main_window import MainWindow
from tests.gui.helpers import WAIT_MS, log_in

DEMO_ADMIN = "admin@demo.coffreo.fr"

GUI_DEMO_SCALE = 0.02


@pytest.fixture(autouse=True)
def qt_event_loop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop marked as running: its callbacks run whenever qtbot lets Qt process events."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    # Not loop.stop(): it calls QApplication.exit(), which would end the event processing of later tests.
    loop._timer.stop()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture(scope="session", autouse=True)
def close_every_window_at_the_end(qapp: QApplication) -> Iterator[None]:
    """Windows hidden by the tests (viewers, dialogs) are deleted while Qt still runs: a PDF view left to
    the interpreter's exit may still hold its rendering thread, and Qt aborts the process over it."""
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(
        tmp_path_factory.mktemp("embedded") / "data", demo=True, demo_scale=GUI_DEMO_SCALE
    )
    server.start(timeout=120)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_passwords(demo_server: EmbeddedServer) -> dict[str, str]:
    return {account.email: account.password for account in demo_server.demo_accounts}


@pytest.fixture
def make_flow(
    qtbot: QtBot, demo_server: EmbeddedServer, qt_event_loop: asyncio.AbstractEventLoop
) -> Iterator[Callable[..., AppFlow]]:
    """Builds application flows on the shared demo backend; closes their windows and clients after."""
    flows: list[AppFlow] = []

    def make(
        settings: Settings | None = None, options: StartOptions | None = None, **kwargs: object
    ) -> AppFlow:
        flow = AppFlow(
            settings or Settings.load(),
            options or StartOptions(demo=True),
            embedded=kwargs.pop("embedded", demo_server),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        flows.append(flow)
        return flow

    yield make
    for flow in flows:
        for widget in (flow.main_window, flow.login_dialog, flow.connection_dialog):
            if widget is not None and shiboken6.isValid(widget):
                widget.hide()
                widget.deleteLater()
        closing = asyncio.ensure_future(flow.aclose(), loop=qt_event_loop)
        qtbot.waitUntil(closing.done, timeout=WAIT_MS)
        flow.stop_backend()


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    """The demo administrator logged in, the window shown at a size where every page's columns fit
    (a test file defines its own ``window`` for another account)."""
    window = log_in(qtbot, make_flow(), DEMO_ADMIN, demo_passwords[DEMO_ADMIN])
    window.resize(1400, 800)
    window.show()
    qtbot.waitExposed(window)
    return window
