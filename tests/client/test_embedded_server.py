"""The desktop's launcher of the embedded backend: loopback only, free port, clean stop, French errors."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import httpx
import pytest

from coffreo_desktop.embedded import EmbeddedServer, EmbeddedServerError

pytestmark = pytest.mark.embedded_server


def test_embedded_server_listens_on_loopback(embedded_server: EmbeddedServer) -> None:
    assert embedded_server.running
    assert embedded_server.base_url is not None
    assert embedded_server.base_url.startswith("http://127.0.0.1:")
    answer = httpx.get(f"{embedded_server.base_url}/api/v1/health", trust_env=False)
    assert answer.json()["mode"] == "embedded"


def test_demo_accounts_are_listed_only_with_the_demo(embedded_server: EmbeddedServer, tmp_path: Path) -> None:
    emails = {account.email for account in embedded_server.demo_accounts}
    assert {"admin@demo.coffreo.fr", "restreint@demo.coffreo.fr"} <= emails
    assert EmbeddedServer(tmp_path, demo=False).demo_accounts == []


def test_server_stops_and_starts_again_on_the_same_data(tmp_path: Path) -> None:
    progress: list[str] = []
    server = EmbeddedServer(tmp_path / "data")
    url = server.start(progress=lambda done, total, message: progress.append(message))
    assert progress, "the launcher reports its steps"
    server.stop()
    assert server.base_url is None and not server.running
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/api/v1/health", trust_env=False, timeout=2)

    again = server.start()
    try:
        assert httpx.get(f"{again}/api/v1/health", trust_env=False).status_code == 200
    finally:
        server.stop()


def test_busy_port_gives_a_french_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EmbeddedServerError) as caught:
            EmbeddedServer(tmp_path / "data", port=port).start(timeout=10)
    assert "ne peut pas écouter" in str(caught.value)


def _database_file(data_dir: Path) -> Path:
    from coffreo_desktop.server.config import ServerSettings

    return Path(ServerSettings(data_dir=data_dir).db_url.removeprefix("sqlite:///"))


def test_data_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = EmbeddedServer(data_dir)
    server.start()
    server.stop()
    database = _database_file(data_dir)
    db = sqlite3.connect(database)
    try:
        with db:
            db.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    finally:
        db.close()
    before = database.read_bytes()

    with pytest.raises(EmbeddedServerError) as caught:
        server.start()
    assert "version plus récente" in str(caught.value)
    assert database.read_bytes() == before
    assert not server.running


def test_damaged_database_is_refused_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = _database_file(data_dir)
    database.write_bytes(b"ceci n'est pas une base SQLite" * 100)

    with pytest.raises(EmbeddedServerError) as caught:
        EmbeddedServer(data_dir).start()
    assert "endommagée" in str(caught.value)
    assert database.read_bytes() == b"ceci n'est pas une base SQLite" * 100
