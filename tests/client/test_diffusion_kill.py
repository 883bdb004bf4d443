"""Issue 4's crash test: the sending process is killed (SIGKILL) about a third of the way through a
200-file batch, started again, offered the unfinished batch, resumes it, and each document is
delivered exactly once: nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coffreo_desktop.client.diffusion_send import SendJournal
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


def settled_count(server: ServerHarness) -> int:
    """Documents of the batch on the server, once the count has not moved for half a second."""
    count, stable_since = -1, time.monotonic()
    while time.monotonic() - stable_since < 0.5:
        now = sum(delivered(server, "Lot tué").values())
        if now != count:
            count, stable_since = now, time.monotonic()
        time.sleep(0.05)
    return count


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
        on_server = settled_count(server)  # uploads in flight at the kill may still be landing
        assert FILES // 3 <= on_server < FILES, on_server  # killed part-way, really

        (unfinished,) = SendJournal.unfinished(folder, key)  # what the app offers to resume at start
        left = len(unfinished.remaining())
        assert 0 < left <= FILES - FILES // 3
        # Uploads the server had taken but whose answer the killed process never wrote down: the resume
        # sends them again with the same key and must be answered "already sent", not delivered again.
        lost_answers = on_server - (FILES - left)
        assert lost_answers >= 0

        second = child(url, email, folder, key, "resume")
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, err[-2000:]
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["reason"] == "finished"
        assert summary["counts"]["pending"] == 0 and summary["counts"]["refused"] == 0
        assert summary["counts"]["already_sent"] == lost_answers
        assert summary["counts"]["sent"] + summary["counts"]["already_sent"] == FILES

    counts = delivered(server, "Lot tué")
    assert len(counts) == FILES and set(counts.values()) == {1}, "a document lost or delivered twice"
    assert counts == {(item.recipient_id, item.title): 1 for item in planned}
    assert SendJournal.unfinished(folder, key) == []
    assert not list(folder.glob("lot-*")), "a finished journal is removed at the next look"
