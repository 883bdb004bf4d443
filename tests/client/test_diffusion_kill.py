"""Issue 4's crash test: the sending process is killed (SIGKILL) about a third of the way through a
200-file batch, started again, offered the unfinished batch, resumes it, and each document is
delivered exactly once: nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coffreo_desktop.client.diffusion_send import ItemState, SendJournal
from coffreo_desktop.domain.rights import Right
from tests.client.diffusion_backend import delivered, items, recipients, staff
from tests.client.documents_backend import served
from tests.support import ServerHarness

FILES = 200
ROOT = Path(__file__).resolve().parents[2]


def child(url: str, email: str, folder: Path, key: bytes, *mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.client.diffusion_kill_child",
            url,
            email,
            str(folder),
            key.hex(),
            *mode,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_at_a_third_of_200_files_the_resumed_send_delivers_each_exactly_once(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)
    planned = items(tmp_path / "pdf", recipients(server, 10), FILES, "Lot tué")
    listing = tmp_path / "items.json"
    listing.write_text(json.dumps([item.to_json() for item in planned]))
    listing.with_suffix(".agency").write_text(str(server.agency_id("PAR11")))
    folder, key = tmp_path / "journaux", os.urandom(32)

    with served(server) as url:
        first = child(url, email, folder, key, "start", str(listing))
        assert first.stdout is not None
        answered = 0
        for line in first.stdout:  # one line per answer, as the child records it
            answered = int(line.split()[0]) if line.split()[0].isdigit() else answered
            if answered >= FILES // 3:
                break
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        on_server = sum(delivered(server, "Lot tué").values())
        assert FILES // 3 <= on_server < FILES, on_server  # killed part-way, really

        (unfinished,) = SendJournal.unfinished(folder, key)  # what the app offers to resume at start
        assert 0 < len(unfinished.remaining()) <= FILES - FILES // 3

        second = child(url, email, folder, key, "resume")
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, err[-2000:]
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["reason"] == "finished"
        assert summary["counts"]["pending"] == 0 and summary["counts"]["refused"] == 0

    counts = delivered(server, "Lot tué")
    assert len(counts) == FILES and set(counts.values()) == {1}, "a document lost or delivered twice"
    assert counts == {(item.recipient_id, item.title): 1 for item in planned}
    assert SendJournal.unfinished(folder, key) == []
    final = SendJournal._read(next(folder.glob("lot-*")), key)
    assert final is not None
    assert final.counts()[ItemState.SENT] + final.counts()[ItemState.ALREADY_SENT] == FILES
