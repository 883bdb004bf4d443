"""Start-up benchmark (issue 2): process start → main window painted with the home page filled (from the
encrypted cached profile, F2.9), and → session confirmed by the embedded demo backend, logged in from the
keyring; the same for a bare PySide6 window; the demo group's creation.

Prints its figures; asserts only that each start reached the main window. Sizes (environment):
COFFREO_BENCH_RUNS (default 3), COFFREO_BENCH_DEMO_SCALE (default 0.05; 1 for the full demo group),
COFFREO_BENCH_PYTHON (the interpreter of the measured starts; default: this one).
Run alone: `.venv/bin/python -m pytest tests/bench -s`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore, embedded_credential_id
from coffreo_desktop.client.offline_store import load_profile
from coffreo_desktop.client.paths import embedded_data_dir
from coffreo_desktop.client.session import Session
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.embedded import EmbeddedServer
from tests.bench.bench_keyring import BenchKeyring

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("COFFREO_BENCH_RUNS", "3"))
DEMO_SCALE = float(os.environ.get("COFFREO_BENCH_DEMO_SCALE", "0.05"))
#: The interpreter of the measured starts: by default this one (the test environment, whose extras,
#: e.g. rich for import-linter, make httpx's import heavier); COFFREO_BENCH_PYTHON=<venv>/bin/python
#: measures an installation made with the README's first command (`pip install -e .`).
PYTHON = os.environ.get("COFFREO_BENCH_PYTHON", sys.executable)
READY = "coffreo-ready"
SESSION = "coffreo-session"

BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
window = QLabel("Bonjour")
window.resize(1180, 760)
window.show()
def ready():
    print("coffreo-ready", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

pytestmark = pytest.mark.bench


def time_until(
    command: list[str], env: dict[str, str], lines: tuple[str, ...] = (READY,), timeout: float = 60.0
) -> list[float]:
    """Wall times from the process start to each of ``lines``, in order (the process is then left to quit)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    times: list[float] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if len(times) < len(lines) and line.strip() == lines[len(times)]:
                times.append(time.perf_counter() - started)
                if len(times) == len(lines):
                    process.wait(timeout=timeout)
                    return times
        _, errors = process.communicate(timeout=timeout)
        pytest.fail(f"{' '.join(command[-2:])} n'a pas atteint {lines[len(times)]} :\n{errors[-3000:]}")
    finally:
        if process.poll() is None:
            process.kill()
    raise AssertionError("unreachable")


def time_until_ready(command: list[str], env: dict[str, str], timeout: float = 60.0) -> float:
    return time_until(command, env, (READY,), timeout)[0]


def test_startup_from_keyring_to_home_page(desktop_home: Path, tmp_path: Path) -> None:
    keyring_file = tmp_path / "keyring.json"
    os.environ["COFFREO_BENCH_KEYRING"] = str(keyring_file)
    keyring.set_keyring(BenchKeyring())

    # The demo group, created as the first start in "Mode local" would create it.
    server = EmbeddedServer(embedded_data_dir(demo=True), demo=True, demo_scale=DEMO_SCALE)
    started = time.perf_counter()
    base_url = server.start(timeout=600)
    demo_seconds = time.perf_counter() - started
    admin = server.demo_accounts[0]

    async def remember_login() -> None:
        api = ApiClient(base_url)
        session = Session(
            api, CredentialStore(), server_url=base_url, credential_id=embedded_credential_id(demo=True)
        )
        await session.login(admin.email, admin.password, remember=True)
        session.close()
        await api.aclose()

    asyncio.run(remember_login())
    server.stop()
    Settings(mode="local", demo=True, remember_me=True, last_email=admin.email).save()
    assert keyring_file.exists()
    # What the previous start left for this one: the encrypted profile the window opens from.
    assert load_profile(CredentialStore(), embedded_credential_id(demo=True)) is not None

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "tests.bench.bench_keyring.BenchKeyring",
        "PYTHONPATH": str(ROOT),
        "COFFREO_STARTUP_PROBE": "1",
    }
    runs = [time_until([PYTHON, "-m", "coffreo_desktop"], env, (READY, SESSION)) for _ in range(RUNS)]
    app = [ready for ready, _ in runs]
    confirmed = [session for _, session in runs]
    bare = [time_until_ready([PYTHON, "-c", BARE_WINDOW], env) for _ in range(RUNS)]
    app_median, bare_median = statistics.median(app), statistics.median(bare)
    print(
        f"\n[bench] création du groupe de démonstration (échelle {DEMO_SCALE}) : {demo_seconds:.2f} s"
        f"\n[bench] démarrage jusqu'à l'accueil, session du trousseau, serveur local : "
        f"médiane {app_median:.3f} s sur {RUNS} (min {min(app):.3f}, max {max(app):.3f}) — objectif ≤ 1,0 s"
        f"\n[bench] démarrage jusqu'à la session confirmée par le serveur : médiane "
        f"{statistics.median(confirmed):.3f} s (min {min(confirmed):.3f}, max {max(confirmed):.3f})"
        f"\n[bench] fenêtre PySide6 nue : médiane {bare_median:.3f} s "
        f"(min {min(bare):.3f}, max {max(bare):.3f})"
        f"\n[bench] rapport : {app_median / bare_median:.1f}× — objectif ≤ 4×"
    )
