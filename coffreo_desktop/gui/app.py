"""Desktop entry point (``coffreo-desktop``, ``python -m coffreo_desktop``): logging, Qt, qasync, the flow.

coffreo-desktop [--demo | --local | --server URL] [--lang fr|en] [--reset-session]

Qt and the GUI are imported inside :func:`main`, after the embedded backend's process is launched: the two
stacks then load at the same time, on two cores. A frozen build started with ``--embedded-server`` is
that backend process, and imports no Qt at all.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coffreo_desktop import __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from coffreo_desktop.client.settings import Settings
    from coffreo_desktop.embedded import EmbeddedServer
    from coffreo_desktop.gui.flow import AppFlow

log = logging.getLogger(__name__)

ORGANIZATION = "Coffreo"
APPLICATION = "Coffreo Desktop"
#: The interface languages (gui.i18n.SUPPORTED), repeated here: the arguments are parsed before Qt loads.
LANGUAGES = ("fr", "en")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coffreo-desktop", description="Coffreo Desktop")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--demo", action="store_true", help="serveur local avec le groupe de démonstration")
    where.add_argument("--local", action="store_true", help="serveur local (sans choix de connexion)")
    where.add_argument("--server", metavar="URL", help="serveur distant à cette adresse")
    parser.add_argument("--lang", choices=LANGUAGES, help="langue de l'interface")
    parser.add_argument("--theme", choices=("light", "dark"), help="forcer le thème clair ou sombre")
    parser.add_argument("--reset-session", action="store_true", help="oublier la session enregistrée")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def create_application(argv: Sequence[str]) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from coffreo_desktop.gui import theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("coffreo-desktop")
    app.setStyle("Fusion")  # the stylesheet is written for Fusion: same look on every OS
    # The flow moves between dialogs and windows; it alone decides when the application ends.
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(theme.app_icon())
    return app


#: Set by the start-up benchmark: print a line once the main window is painted, another once the server
#: has confirmed the session (the window may come first, from the cached profile), then quit.
STARTUP_PROBE = "COFFREO_STARTUP_PROBE"


def _install_startup_probe(app: QApplication, flow: AppFlow) -> None:
    from PySide6.QtCore import QTimer

    def ready() -> None:
        print("coffreo-ready", flush=True)

    def confirmed() -> None:
        print("coffreo-session", flush=True)
        app.quit()

    # After the first paint: the window's contents (home tiles) are on screen, not just constructed.
    # Both through the event loop, so that "ready" always comes first.
    flow.main_window_shown.connect(lambda _window: QTimer.singleShot(0, ready))
    flow.session_confirmed.connect(lambda _me: QTimer.singleShot(0, confirmed))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    from coffreo_desktop.embedded import CHILD_FLAG  # standard library only

    if arguments[:1] == [CHILD_FLAG]:  # the frozen executable, started as the embedded backend
        from coffreo_desktop.embedded import run_child

        return run_child(arguments[1:])
    args, settings, embedded = early_start(arguments)
    try:
        return _run(args, settings, embedded)
    finally:
        if embedded is not None:
            embedded.stop()  # already done by the flow, unless the start failed before it existed


def early_start(arguments: Sequence[str]) -> tuple[argparse.Namespace, Settings, EmbeddedServer | None]:
    """Everything before Qt: the arguments, the settings and, for a local start, the backend's launch."""
    args = parse_args(arguments)
    from coffreo_desktop.client.settings import Settings

    settings = Settings.load()
    embedded = launch_embedded_early(args, settings)
    return args, settings, embedded


def starts_locally(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether this start goes straight to the embedded backend (the flow's own choice, made early)."""
    if args.demo or args.local:
        return True
    return not args.server and settings.mode == "local" and settings.remember_me


def launch_embedded_early(args: argparse.Namespace, settings: Settings) -> EmbeddedServer | None:
    """Spawn the embedded backend's process now, so that it loads while this one loads Qt."""
    if not starts_locally(args, settings):
        return None
    from coffreo_desktop.client.paths import embedded_data_dir
    from coffreo_desktop.embedded import EmbeddedServer, EmbeddedServerError

    demo = args.demo or settings.demo
    server = EmbeddedServer(embedded_data_dir(demo=demo), demo=demo)
    try:
        server.launch()
    except EmbeddedServerError:
        return None  # the flow tries again and shows the error where the user can act on it
    return server


def _run(args: argparse.Namespace, settings: Settings, embedded: EmbeddedServer | None) -> int:
    import asyncio

    # PySide6 before qasync: qasync picks the Qt binding that is already imported.
    from PySide6.QtCore import Qt

    import qasync  # isort: skip

    from coffreo_desktop.client.paths import log_dir
    from coffreo_desktop.gui import errors, i18n, tasks, theme
    from coffreo_desktop.gui.flow import AppFlow, StartOptions

    log_file = errors.setup_logging(log_dir())
    errors.install_exception_hook()
    log.info("Coffreo Desktop %s starting (log: %s)", __version__, log_file.name)

    app = create_application(sys.argv[:1])
    language = i18n.choose_language(args.lang, settings.language if args.lang is None else None)
    i18n.install_translators(app, language)
    forced = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(args.theme or "")
    theme.install(app, forced)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    errors.install_loop_exception_handler(loop)

    options = StartOptions(
        demo=args.demo, local=args.local, server=args.server, reset_session=args.reset_session
    )
    flow = AppFlow(settings, options, embedded=embedded, owns_embedded=True)
    flow.quit_requested.connect(app.quit)
    if os.environ.get(STARTUP_PROBE):
        _install_startup_probe(app, flow)
    loop.call_soon(flow.start)
    try:
        with loop:
            loop.run_forever()
            loop.run_until_complete(flow.aclose())
    finally:
        flow.stop_backend()
        tasks.shutdown_executors()
        log.info("Coffreo Desktop stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
