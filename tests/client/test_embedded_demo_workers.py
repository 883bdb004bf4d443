"""Stopping the desktop while the demo group is being built leaves no PDF worker process behind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from coffreo_desktop.embedded import EmbeddedServer, EmbeddedServerError

pytestmark = [
    pytest.mark.embedded_server,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lit la table des processus dans /proc"),
    pytest.mark.skipif(
        (os.cpu_count() or 1) < 2, reason="le constructeur n'utilise ses processus qu'à 2 cœurs"
    ),
]

#: About 780 PDFs, well above the builder's POOL_THRESHOLD (400): the worker pool is used.
POOL_SCALE = 0.1


def _stat(pid: int) -> tuple[str, int, str] | None:
    """(state, parent pid, start time) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ")".
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), fields[19]


def _descendants(root: int) -> dict[int, str]:
    """Every live process under ``root``, with its start time (so that a reused pid is not mistaken)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] != "Z":
                children.setdefault(stat[1], []).append((int(entry.name), stat[2]))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for pid, started in children.get(todo.pop(), []):
            found[pid] = started
            todo.append(pid)
    return found


def _is_pool_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int, started: str) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z" and stat[2] == started


def test_stopping_during_demo_creation_leaves_no_worker_process(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data", demo=True, demo_scale=POOL_SCALE)
    failure: list[BaseException] = []

    def start() -> None:
        try:
            server.start(timeout=300)
        except EmbeddedServerError as exc:
            failure.append(exc)  # expected: stopped before it served

    starting = threading.Thread(target=start, daemon=True)
    starting.start()
    try:
        deadline = time.monotonic() + 120
        workers: dict[int, str] = {}
        # Until both spawned PDF workers run; multiprocessing's resource tracker is recorded with them.
        while sum(map(_is_pool_worker, workers)) < 2:
            assert time.monotonic() < deadline, "the demo builder never started its worker processes"
            assert starting.is_alive(), f"the build ended before its workers were seen: {failure}"
            pid = server.pid
            workers = _descendants(pid) if pid is not None else {}
            time.sleep(0.05)
    finally:
        server.stop()
        starting.join(30)

    deadline = time.monotonic() + 15
    while left := {pid for pid, started in workers.items() if _alive(pid, started)}:
        if time.monotonic() > deadline:
            pytest.fail(f"processes of the stopped embedded server still alive: {sorted(left)}")
        time.sleep(0.1)
