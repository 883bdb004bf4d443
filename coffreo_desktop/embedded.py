"""The embedded backend ("Mode local"): the server in a child process of the desktop, on loopback.

The child (``coffreo_desktop.server.embedded_child``) loads the server stack on its own core while the
desktop loads Qt, and never takes the UI thread's GIL. This module imports only the standard library:
the desktop may launch the child before anything heavy is imported.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)
#: The child's own log lines (stderr): warnings and errors at their level, the rest at debug.
child_log = logging.getLogger("coffreo_desktop.embedded.child")

HOST = "127.0.0.1"
#: Argument that makes a frozen (PyInstaller) executable run the child instead of the desktop.
CHILD_FLAG = "--embedded-server"
STOP_LINE = "stop"
Progress = Callable[[int, int, str], None]


class EmbeddedServerError(RuntimeError):
    """The embedded server could not start; the message is French and shown to the user as is."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo login (the server's ``DemoAccount``, received from the child)."""

    email: str
    password: str
    label: str
    summary: str


def child_command(data_dir: Path, *, demo: bool = False, demo_scale: float = 1.0, port: int = 0) -> list[str]:
    """The command line of the child: ``python -m ...`` from a checkout, the executable itself when frozen."""
    args = ["--data-dir", str(data_dir)]
    if demo:
        args += ["--demo", "--demo-scale", repr(demo_scale)]
    if port:
        args += ["--port", str(port)]
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, *args]
    return [sys.executable, "-m", "coffreo_desktop.server.embedded_child", *args]


def run_child(argv: Sequence[str]) -> int:
    """The child's main, for the frozen executable's ``--embedded-server`` dispatch (gui/app.py)."""
    from coffreo_desktop.server.embedded_child import main

    return main(list(argv))


class EmbeddedServer:
    """Prepares a data dir, optionally fills it with the demo group, and serves the API on 127.0.0.1.

    ``launch()`` spawns the child and returns at once; ``start()`` waits for it (launching it if needed).
    ``progress(done, total, message)`` reports each step; ``total == 0`` means "no measure, please wait".
    """

    def __init__(self, data_dir: Path, *, demo: bool = False, demo_scale: float = 1.0, port: int = 0) -> None:
        self.data_dir = Path(data_dir)
        self.demo = demo
        self.demo_scale = demo_scale
        self.port = port
        self.base_url: str | None = None
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._readers: list[threading.Thread] = []
        self._accounts: list[DemoAccount] | None = None

    @property
    def demo_accounts(self) -> list[DemoAccount]:
        """The demo logins (email, password, label, summary) when this server holds the demo group."""
        if not self.demo:
            return []
        if self._accounts is not None:
            return list(self._accounts)
        # Not started yet: compute them here (pure, but it loads part of the server).
        from coffreo_desktop.server.demo import demo_accounts

        return [DemoAccount(a.email, a.password, a.label, a.summary) for a in demo_accounts()]

    @property
    def running(self) -> bool:
        """True once the child serves (``base_url`` set) and while it lives."""
        process = self._process
        return self.base_url is not None and process is not None and process.poll() is None

    @property
    def pid(self) -> int | None:
        """The child's process id, from launch() to stop()."""
        process = self._process
        return process.pid if process is not None else None

    def launch(self) -> None:
        """Spawn the child now and return at once; a child already alive is kept."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self._reset()
            command = child_command(
                self.data_dir.resolve(), demo=self.demo, demo_scale=self.demo_scale, port=self.port
            )
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    bufsize=1,
                    env=_child_environment(),
                    creationflags=_NO_WINDOW,
                )
            except OSError as exc:
                log.exception("Serveur local non lancé")
                raise EmbeddedServerError(f"Le serveur local n'a pas pu être lancé : {exc}.") from exc
            self._process = process
            assert process.stdout is not None and process.stderr is not None
            self._readers = [
                threading.Thread(
                    target=_read_messages,
                    args=(process.stdout, self._messages),
                    name="coffreo-embedded-out",
                    daemon=True,
                ),
                threading.Thread(
                    target=_forward_log, args=(process.stderr,), name="coffreo-embedded-log", daemon=True
                ),
            ]
            for reader in self._readers:
                reader.start()
            log.info("Serveur local lancé (processus %s)", process.pid)

    def start(self, timeout: float = 60.0, progress: Progress | None = None) -> str:
        """Launch the child if needed; return the base URL once it serves /api/v1/health.

        Blocking (migrations, demo generation): the GUI calls it from a worker thread.
        """
        if self.running:
            assert self.base_url is not None
            return self.base_url
        report = progress or (lambda done, total, message: None)
        self.launch()
        with self._lock:
            process, messages = self._process, self._messages
        assert process is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = messages.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                self._stop_if_current(process)
                raise EmbeddedServerError(
                    f"Le serveur local n'a pas répondu dans les {timeout:g} secondes."
                ) from None
            if message is None:  # stdout closed: the child is gone (or stop() was called meanwhile)
                code = process.wait()
                self._stop_if_current(process)
                raise EmbeddedServerError(f"Le serveur local s'est arrêté au démarrage (code {code}).")
            if "progress" in message:
                done, total, text = message["progress"]
                report(int(done), int(total), str(text))
            elif "accounts" in message:
                self._accounts = [DemoAccount(**account) for account in message["accounts"]]
            elif "error" in message:
                self._stop_if_current(process)
                raise EmbeddedServerError(str(message["error"]))
            elif "ready" in message:
                self.base_url = str(message["ready"])
                log.info("Serveur local démarré sur %s", self.base_url)
                return self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the child to finish its requests and quit; terminate it, then kill it, if it lingers."""
        with self._lock:
            process = self._process
            if process is not None:
                _ask_to_stop(process, timeout)
                for reader in self._readers:
                    reader.join(2.0)
            self._reset()

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _stop_if_current(self, process: subprocess.Popen[str]) -> None:
        # A failed start cleans up its own child only, never one launched since by another caller.
        if self._process is process:
            self.stop()

    def _reset(self) -> None:
        self._process = None
        self._readers = []
        self._messages = queue.Queue()
        self.base_url = None


#: No console window for the child on Windows (the desktop is a windowed application).
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0x08000000) if os.name == "nt" else 0


def _child_environment() -> dict[str, str]:
    # The child must import this very checkout (or installation), whatever its working directory.
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _read_messages(stream: IO[str], messages: queue.Queue[dict[str, Any] | None]) -> None:
    """The child's stdout: one JSON object a line; anything else is logged, never obeyed."""
    try:
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if isinstance(message, dict):
                messages.put(message)
            elif line.strip():
                child_log.debug("%s", line.rstrip())
    except (OSError, ValueError):  # the pipe was closed under us by stop()
        pass
    finally:
        messages.put(None)


def _forward_log(stream: IO[str]) -> None:
    """The child logs "LEVEL name: message" lines: warnings and errors (with their traceback lines)
    reach the desktop's log file at their own level; the rest at debug."""
    level = logging.DEBUG
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            if not line.strip():
                continue
            head = line.split(" ", 1)[0]
            if head in _LEVELS:
                level = _LEVELS[head]
            child_log.log(level, "%s", line.rstrip())


_LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.DEBUG,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}


def _ask_to_stop(process: subprocess.Popen[str], timeout: float) -> None:
    if process.stdin is not None:
        # "stop" then EOF: either one is enough for the child, which stops uvicorn gracefully.
        with contextlib.suppress(OSError, ValueError):
            process.stdin.write(STOP_LINE + "\n")
            process.stdin.flush()
        with contextlib.suppress(OSError, ValueError):
            process.stdin.close()
    try:
        process.wait(timeout)
        return
    except subprocess.TimeoutExpired:
        log.warning("Le serveur local ne s'est pas arrêté dans les %s s : arrêt forcé", timeout)
    process.terminate()
    try:
        process.wait(3.0)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
