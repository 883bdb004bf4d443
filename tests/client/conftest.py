"""Fixtures of the client tests: keyrings (in memory, failing), a throw-away home, a real embedded server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError

from coffreo_desktop.embedded import EmbeddedServer

EMBEDDED_MARK = "embedded_server"


@pytest.fixture
def database_kind() -> str:
    """Client tests run on SQLite only: the desktop's client code speaks HTTP, and the embedded backend it
    ships with always runs on SQLite; every server rule is tested on both databases in tests/server."""
    return "sqlite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{EMBEDDED_MARK}: runs against a real embedded backend on loopback")


class MemoryKeyring(KeyringBackend):
    """A keyring held in a dict: secure in the eyes of CredentialStore (priority 1), gone with the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("absent")
        del self.entries[(service, username)]


@contextmanager
def _installed(backend: KeyringBackend) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    with _installed(backend):
        yield backend


@pytest.fixture
def failing_keyring() -> Iterator[KeyringBackend]:
    """keyring's own "no backend" keyring: what a headless Linux without Secret Service gets."""
    backend = fail.Keyring()
    with _installed(backend):
        yield backend


@pytest.fixture
def null_keyring() -> Iterator[KeyringBackend]:
    backend = null.Keyring()
    with _installed(backend):
        yield backend


@pytest.fixture
def desktop_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every platformdirs folder of the desktop under a fresh tmp root."""
    root = tmp_path / "home"
    monkeypatch.setenv("COFFREO_DESKTOP_HOME", str(root))
    return root


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens (the port was free a moment ago and is released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """One real embedded backend with a small demo group, shared by the session's server tests."""
    server = EmbeddedServer(tmp_path_factory.mktemp("embedded") / "data", demo=True, demo_scale=0.02)
    server.start(timeout=60)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def server_url(embedded_server: EmbeddedServer) -> str:
    assert embedded_server.base_url is not None
    return embedded_server.base_url


@pytest.fixture(scope="session")
def demo_passwords(embedded_server: EmbeddedServer) -> dict[str, str]:
    """Demo logins by email, from the server's own list (passwords derive from the seed)."""
    return {a.email: a.password for a in embedded_server.demo_accounts}
