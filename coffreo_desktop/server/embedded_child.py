"""The embedded backend's process ("Mode local"), started by the desktop: prepare, seed the demo, serve.

Talks to the desktop in JSON lines on stdout ({"progress": [done, total, text]}, {"accounts": [...]},
then {"ready": url} or {"error": French text}); logs go to stderr. It stops on a "stop" line or at the
end of stdin, which is also what happens when the desktop dies: the child never outlives it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("coffreo_desktop.server.embedded")

HOST = "127.0.0.1"
STOP_LINE = "stop"


class Channel:
    """The JSON lines to the desktop. Locked: the demo builder may report from several threads."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, **message: Any) -> None:
        line = json.dumps(message) + "\n"  # ASCII only: no encoding trouble on any OS
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (OSError, ValueError):
                pass  # the desktop is gone; the lifeline ends this process

    def progress(self, done: int, total: int, message: str) -> None:
        self.send(progress=[done, total, message])


class Lifeline:
    """Watches stdin: "stop" or EOF ends the process, gracefully once uvicorn serves."""

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._stopping = False
        # Held while migrating: SQLite's DDL is not transactional, a migration must not be cut short.
        self.migrating = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._watch, name="coffreo-lifeline", daemon=True).start()

    def serve_with(self, server: uvicorn.Server) -> bool:
        """Hand over the server to stop; False when a stop came first (then do not serve)."""
        with self._lock:
            if self._stopping:
                return False
            self._server = server
            return True

    def _watch(self) -> None:
        try:
            if self._stream is not None:
                for line in self._stream:
                    if line.strip() == STOP_LINE:
                        break
        except (OSError, ValueError):
            pass
        with self._lock:
            self._stopping = True
            server = self._server
        if server is None:
            # Still preparing: leave once any migration is done. The demo group is written in one
            # transaction, so an interrupted start loses its work in progress and nothing else.
            log.info("Arrêt demandé pendant la préparation")
            with self.migrating:
                _stop_demo_workers()
                os._exit(0)
        server.should_exit = True


def _stop_demo_workers() -> None:
    """os._exit runs no clean-up: the demo builder's PDF worker processes must be stopped by hand."""
    # Looked up, not imported: when the builder was never loaded, no worker can exist.
    builder = sys.modules.get("coffreo_desktop.server.demo.builder")
    if builder is None:
        return
    try:
        builder.shutdown_workers()
    except Exception:
        log.exception("Arrêt des processus de génération des PDF échoué")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coffreo-embedded-server")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--demo-scale", type=float, default=1.0)
    parser.add_argument("--port", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if sys.stdout is None:  # started without pipes (by hand, from a windowed build): nobody to talk to
        return 2
    channel = Channel(sys.stdout)
    # Stray prints of any library go to the log, never into the protocol.
    sys.stdout = sys.stderr
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s", force=True
    )
    lifeline = Lifeline(sys.stdin)
    lifeline.start()
    # Bound here and handed to uvicorn: no window in which another program could take the port.
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets whose proto says TCP; with the
    # default proto 0, Nagle and the client's delayed ACK add ~40 ms to every answer.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind((HOST, args.port))
    except OSError as exc:
        sock.close()
        channel.send(
            error=f"Le serveur local ne peut pas écouter sur le port {args.port} : {exc.strerror or exc}."
        )
        return 1
    try:
        return _prepare_and_serve(args, sock, channel, lifeline)
    finally:
        sock.close()


def _prepare_and_serve(
    args: argparse.Namespace, sock: socket.socket, channel: Channel, lifeline: Lifeline
) -> int:
    try:
        import uvicorn

        from coffreo_desktop.server.app import create_app, prepare
        from coffreo_desktop.server.config import ServerSettings
        from coffreo_desktop.server.errors import DataDirError
    except ImportError as exc:
        log.exception("Serveur local indisponible")
        channel.send(error=f"Le serveur local est indisponible dans cette installation ({exc}).")
        return 1

    port = sock.getsockname()[1]
    base_url = f"http://{HOST}:{port}"
    try:
        settings = ServerSettings(data_dir=args.data_dir, mode="embedded", host=HOST, port=port)
        channel.progress(0, 0, "Préparation des données locales…")
        try:
            with lifeline.migrating:
                prepare(settings)
        except DataDirError as exc:
            channel.send(error=str(exc))
            return 1
        if args.demo:
            from coffreo_desktop.server.demo import demo_accounts, ensure_demo

            channel.progress(0, 0, "Création du groupe de démonstration…")
            ensure_demo(settings, scale=args.demo_scale, progress=channel.progress)
            channel.send(accounts=[asdict(account) for account in demo_accounts()])
        channel.progress(0, 0, "Démarrage du serveur local…")
        config = uvicorn.Config(
            create_app(settings),
            host=HOST,
            port=port,
            log_level="warning",
            lifespan="on",
            access_log=False,
            log_config=None,  # the logging set up above: plain lines on stderr
        )

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets=sockets)
                if self.started and not self.should_exit:
                    # Listening, and the loop is free to answer /api/v1/health right after this line.
                    channel.send(ready=base_url)

        server = Server(config)
    except Exception as exc:
        log.exception("Préparation du serveur local échouée")
        channel.send(error=f"Le serveur local n'a pas pu démarrer : {exc}")
        return 1

    if not lifeline.serve_with(server):
        return 0
    try:
        server.run(sockets=[sock])
    except BaseException as exc:  # uvicorn exits with SystemExit on a failed start-up
        log.exception("Le serveur local s'est arrêté sur une erreur")
        if not server.started:
            channel.send(error=f"Le serveur local s'est arrêté au démarrage : {exc or 'cause inconnue'}.")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
