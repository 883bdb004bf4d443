"""The desktop launches its embedded backend before it loads Qt; a frozen build serves as that backend."""

from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import httpx
import pytest

from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.app import starts_locally

pytestmark = pytest.mark.embedded_server

EARLY_START = """
import json, sys
from coffreo_desktop.gui.app import early_start
args, settings, server = early_start(sys.argv[1:])
launched = server is not None and server.pid is not None
url = server.start(timeout=60) if server is not None else None
heavy = [name for name in ("PySide6", "qasync", "fastapi", "sqlalchemy") if name in sys.modules]
print(json.dumps({"heavy": heavy, "launched": launched, "url": url}), flush=True)
if server is not None:
    server.stop()
"""


def _args(*argv: str) -> Namespace:
    from coffreo_desktop.gui.app import parse_args

    return parse_args(list(argv))


def test_the_local_start_is_foreseen_from_the_arguments_and_settings() -> None:
    resuming = Settings(mode="local", remember_me=True)
    assert starts_locally(_args("--demo"), Settings(mode="remote"))
    assert starts_locally(_args("--local"), Settings(mode="remote"))
    assert starts_locally(_args(), resuming)
    assert not starts_locally(_args("--server", "https://coffreo.exemple.fr"), resuming)
    assert not starts_locally(_args(), Settings(mode="local", remember_me=False)), "the dialog comes first"
    assert not starts_locally(_args(), Settings(mode="remote", remember_me=True))


def test_the_backend_is_launched_before_qt_and_runs_in_its_own_process() -> None:
    Settings(mode="remote", demo=False).save()  # --local wins over the mode; no demo group to build
    command = [sys.executable, "-c", EARLY_START, "--local"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["launched"]
    assert report["heavy"] == [], "no Qt before the launch, no server code in the desktop"
    assert report["url"].startswith("http://127.0.0.1:")


def test_a_remote_start_launches_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-c", EARLY_START, "--server", "https://coffreo.exemple.fr"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"heavy": [], "launched": False, "url": None}


def test_the_desktop_entry_point_serves_as_the_backend_when_asked(tmp_path: Path) -> None:
    # What the frozen executable does when the desktop starts it with --embedded-server.
    command = [
        sys.executable,
        "-c",
        "import sys; from coffreo_desktop.gui.app import main; raise SystemExit(main())",
        "--embedded-server",
        "--data-dir",
        str(tmp_path / "data"),
    ]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None and process.stdin is not None
        for line in process.stdout:
            message = json.loads(line)
            assert "error" not in message, message
            if "ready" in message:
                break
        else:
            pytest.fail(f"pas de ligne « ready » (code {process.wait()})")
        assert httpx.get(f"{message['ready']}/api/v1/health", trust_env=False).status_code == 200
        process.stdin.write("stop\n")
        process.stdin.close()
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
