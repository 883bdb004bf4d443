"""The embedded backend ("Mode local"): the server, in a background thread of the desktop, on loopback.

The only module outside ``server/`` that imports it, and lazily: a remote-mode start loads no server code.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    import uvicorn

    from coffreo_desktop.server.demo import DemoAccount

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
Progress = Callable[[int, int, str], None]


class EmbeddedServerError(RuntimeError):
    """The embedded server could not start; the message is French and shown to the user as is."""


class EmbeddedServer:
    """Prepares a data dir, optionally fills it with the demo group, and serves the API on 127.0.0.1.

    ``progress(done, total, message)`` reports each step; ``total == 0`` means "no measure, please wait".
    """

    def __init__(self, data_dir: Path, *, demo: bool = False, demo_scale: float = 1.0, port: int = 0) -> None:
        self.data_dir = Path(data_dir)
        self.demo = demo
        self.demo_scale = demo_scale
        self.port = port
        self.base_url: str | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def demo_accounts(self) -> list[DemoAccount]:
        """The demo logins (email, password, label, summary) when this server holds the demo group."""
        if not self.demo:
            return []
        from coffreo_desktop.server.demo import demo_accounts

        return demo_accounts()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 60.0, progress: Progress | None = None) -> str:
        """Migrate, seed the demo if asked, serve; return the base URL once /api/v1/health answers.

        Blocking (migrations, demo generation): the GUI calls it from a worker thread.
        """
        if self.running:
            assert self.base_url is not None
            return self.base_url
        report = progress or (lambda done, total, message: None)
        try:
            import uvicorn

            from coffreo_desktop.server.app import create_app, prepare
            from coffreo_desktop.server.config import ServerSettings
            from coffreo_desktop.server.errors import DataDirError
        except ImportError as exc:
            log.exception("Serveur local indisponible")
            raise EmbeddedServerError(
                f"Le serveur local est indisponible dans cette installation ({exc})."
            ) from exc

        sock = self._bind()
        port = sock.getsockname()[1]
        try:
            settings = ServerSettings(data_dir=self.data_dir, mode="embedded", host=HOST, port=port)
            report(0, 0, "Préparation des données locales…")
            try:
                prepare(settings)
            except DataDirError as exc:
                raise EmbeddedServerError(str(exc)) from exc
            if self.demo:
                from coffreo_desktop.server.demo import ensure_demo

                report(0, 0, "Création du groupe de démonstration…")
                ensure_demo(settings, scale=self.demo_scale, progress=progress)
            report(0, 0, "Démarrage du serveur local…")
            app = create_app(settings)
            config = uvicorn.Config(
                app,
                host=HOST,
                port=port,
                log_level="warning",
                lifespan="on",
                access_log=False,
                log_config=None,  # keep the desktop's logging set-up untouched
            )
            self._server = uvicorn.Server(config)
        except EmbeddedServerError:
            sock.close()
            raise
        except Exception as exc:
            sock.close()
            log.exception("Préparation du serveur local échouée")
            raise EmbeddedServerError(f"Le serveur local n'a pas pu démarrer : {exc}") from exc

        self._failure = None
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name="coffreo-embedded", daemon=True
        )
        self._thread.start()
        base_url = f"http://{HOST}:{port}"
        self._wait_healthy(base_url, timeout)
        self.base_url = base_url
        log.info("Serveur local démarré sur %s", base_url)
        return base_url

    def stop(self, timeout: float = 10.0) -> None:
        """Ask uvicorn to finish its requests and stop, then wait for the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("Le serveur local ne s'est pas arrêté dans les %s s", timeout)
        self._thread = None
        self._server = None
        self.base_url = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @staticmethod
    def _bind_port(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((HOST, port))
        except OSError:
            sock.close()
            raise
        return sock

    def _bind(self) -> socket.socket:
        # We bind the socket ourselves and hand it to uvicorn: no window in which another program could
        # take the "free" port between choosing it and listening on it.
        try:
            return self._bind_port(self.port)
        except OSError as exc:
            raise EmbeddedServerError(
                f"Le serveur local ne peut pas écouter sur le port {self.port} : {exc.strerror or exc}."
            ) from exc

    def _serve(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # uvicorn exits with SystemExit on a failed start-up
            self._failure = exc
            log.exception("Le serveur local s'est arrêté sur une erreur")
        finally:
            sock.close()

    def _wait_healthy(self, base_url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last: Any = None
        with httpx.Client(timeout=2.0, trust_env=False) as http:
            while time.monotonic() < deadline:
                if self._thread is None or not self._thread.is_alive():
                    self.stop()
                    raise EmbeddedServerError(
                        f"Le serveur local s'est arrêté au démarrage : {self._failure or 'cause inconnue'}."
                    )
                if self._server is not None and self._server.started:
                    try:
                        if http.get(f"{base_url}/api/v1/health").status_code == 200:
                            return
                    except httpx.HTTPError as exc:
                        last = exc
                time.sleep(0.02)
        self.stop()
        raise EmbeddedServerError(
            f"Le serveur local n'a pas répondu dans les {timeout:g} secondes ({last or 'pas de réponse'})."
        )
