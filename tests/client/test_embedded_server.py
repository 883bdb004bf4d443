"""The desktop's launcher of the embedded backend: a child process on loopback, free port, clean stop,
French errors, and a child that never outlives the desktop."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from coffreo_desktop.embedded import EmbeddedServer, EmbeddedServerError, child_command

pytestmark = pytest.mark.embedded_server


def test_embedded_server_listens_on_loopback(embedded_server: EmbeddedServer) -> None:
    assert embedded_server.running
    assert embedded_server.pid is not None and embedded_server.pid != os.getpid(), "a child process"
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


def _run_child(data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    command = child_command(data_dir)
    return subprocess.Popen(
        [*command, *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )


def _wait_for(process: subprocess.Popen[str], key: str, timeout: float = 60.0) -> dict[str, object]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        message = json.loads(line)
        if key in message:
            return message
        assert "error" not in message, message
        assert time.monotonic() < deadline
    pytest.fail(f"le processus s'est arrêté sans « {key} » (code {process.wait()})")


def test_child_announces_ready_only_once_health_answers(tmp_path: Path) -> None:
    process = _run_child(tmp_path / "data")
    try:
        ready = _wait_for(process, "ready")
        url = str(ready["ready"])
        assert url.startswith("http://127.0.0.1:")
        # No retry: the line comes after uvicorn listens, so the very first request is answered.
        assert httpx.get(f"{url}/api/v1/health", trust_env=False, timeout=5).status_code == 200
        assert process.stdin is not None
        process.stdin.write("stop\n")
        process.stdin.flush()
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()


def test_child_ends_when_the_desktop_closes_its_stdin(tmp_path: Path) -> None:
    # What happens when the desktop dies, however it dies: the pipe closes, the child follows.
    process = _run_child(tmp_path / "data")
    try:
        url = str(_wait_for(process, "ready")["ready"])
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/api/v1/health", trust_env=False, timeout=2)
    finally:
        process.kill()


PARENT = """
import sys
from pathlib import Path
from coffreo_desktop.embedded import EmbeddedServer
server = EmbeddedServer(Path(sys.argv[1]))
print(server.start(timeout=60), flush=True)
sys.stdin.read()
"""


def test_child_never_outlives_a_killed_desktop(tmp_path: Path) -> None:
    desktop = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "data")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert desktop.stdout is not None
        url = desktop.stdout.readline().strip()
        assert httpx.get(f"{url}/api/v1/health", trust_env=False).status_code == 200
        desktop.kill()  # no stop(), no clean-up: only the pipes close
        desktop.wait()
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{url}/api/v1/health", trust_env=False, timeout=1)
            except httpx.TransportError:
                break  # the child has closed its port: it is gone
            assert time.monotonic() < deadline, "the embedded server outlived the desktop"
            time.sleep(0.1)
    finally:
        desktop.kill()


def test_child_ends_when_stdin_closes_while_it_prepares(tmp_path: Path) -> None:
    process = _run_child(tmp_path / "data", "--demo", "--demo-scale", "0.05")
    try:
        _wait_for(process, "progress")
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=20)
    finally:
        process.kill()


def test_demo_creation_reports_its_progress(tmp_path: Path) -> None:
    steps: list[tuple[int, int, str]] = []
    server = EmbeddedServer(tmp_path / "data", demo=True, demo_scale=0.02)
    try:
        server.start(timeout=120, progress=lambda done, total, message: steps.append((done, total, message)))
        messages = [message for _, _, message in steps]
        assert "Création du groupe de démonstration…" in messages
        measured = [(done, total) for done, total, _ in steps if total > 0]
        assert measured, "the builder's own steps come through the pipe"
        assert measured[-1][0] == measured[-1][1], "the last step is the end"
        assert server.demo_accounts[0].email == "admin@demo.coffreo.fr"
    finally:
        server.stop()


def test_launch_then_start_waits_for_the_same_child(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data")
    server.launch()
    pid = server.pid
    assert pid is not None and not server.running
    server.launch()  # a second launch keeps the child already on its way
    assert server.pid == pid
    try:
        url = server.start(timeout=60)
        assert server.pid == pid and server.running
        assert server.start() == url
        assert httpx.get(f"{url}/api/v1/health", trust_env=False).status_code == 200
    finally:
        server.stop()
    assert server.pid is None
