"""Bulk Diffusion libre planning: the hostile-file corpus is refused with its French reason, good
files are matched to recipients by matricule, duplicates are flagged, and the idempotency key is stable."""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from coffreo_desktop.client import diffusion_plan
from coffreo_desktop.client.diffusion_plan import (
    CHECK_FAILED,
    DUPLICATE,
    UNAVAILABLE,
    FileCheck,
    RowStatus,
    check_file,
    check_many,
    idempotency_key,
    match_matricule,
    plan,
)
from coffreo_desktop.domain.limits import MAX_FILE_SIZE
from tests.pdf_corpus import HOSTILE, NIR, blank_pdf, write_hostile


def _pdf(pages: int = 1, *, text: str = "") -> bytes:
    return blank_pdf(pages, text=text)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_refused_with_its_code_and_french_reason(tmp_path: Path, case: str) -> None:
    check = check_file(write_hostile(tmp_path, case))
    assert not check.ok
    assert check.code == HOSTILE[case].code
    assert check.refusal is not None and HOSTILE[case].reason in check.refusal
    if case == "too_large":
        assert check.size == MAX_FILE_SIZE + 1
    if case == "nir_in_name":
        assert "85 05" not in check.refusal  # the NIR is never repeated in the message


def test_a_folder_a_pipe_or_a_missing_file_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "tube.pdf"
    if hasattr(os, "mkfifo"):
        os.mkfifo(pipe)
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    for path in (folder, pipe, tmp_path / "absent.pdf"):
        check = check_file(path)
        assert check.code == UNAVAILABLE and check.refusal == f"« {path.name} » est introuvable ou illisible."


def test_name_with_parent_directory_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.pdf", _pdf())
    check = check_file(path, name="../../etc/passwd.pdf")
    assert check.refusal is not None and "« ../ »" in check.refusal


def test_good_pdf_is_accepted_with_its_pages_and_hash(tmp_path: Path) -> None:
    data = _pdf(4)
    check = check_file(_write(tmp_path, "contrat 001234.pdf", data))
    assert check.ok and check.pages == 4 and check.size == len(data)
    assert check.sha256 == hashlib.sha256(data).hexdigest()
    assert check.warnings == ()


def test_file_above_advised_size_is_accepted_with_a_warning(tmp_path: Path) -> None:
    data = blank_pdf(tweak=lambda w: w.add_metadata({"/Keywords": "x" * 600_000}))
    check = check_file(_write(tmp_path, "lourd.pdf", data))
    assert check.ok and len(check.warnings) == 1 and "conseillés" in check.warnings[0]


def test_matricule_is_read_from_the_file_name_with_the_default_pattern() -> None:
    assert match_matricule("Bulletin_001234_2026-10.pdf") == "001234"
    assert match_matricule("contrat 98765.pdf") == "98765"
    assert match_matricule("sans matricule.pdf") is None
    assert match_matricule(f"{NIR}.pdf") is None
    assert match_matricule("emp-42-x.pdf", r"emp-([0-9]+)") == "42"


def test_plan_groups_ready_unmatched_and_refused_rows(tmp_path: Path) -> None:
    a = _write(tmp_path, "bulletin 001111.pdf", _pdf(text="a"))
    unknown = _write(tmp_path, "bulletin 009999.pdf", _pdf(text="b"))
    bad = _write(tmp_path, "bulletin 002222.pdf", b"not a pdf at all")
    b = _write(tmp_path, "contrat 002222.pdf", _pdf(text="c"))
    rows = plan([bad, unknown, a, b], {"001111": "r1", "002222": "r2"})
    assert [(r.check.path.name, r.status) for r in rows] == [
        ("bulletin 001111.pdf", RowStatus.READY),
        ("contrat 002222.pdf", RowStatus.READY),
        ("bulletin 009999.pdf", RowStatus.UNMATCHED),
        ("bulletin 002222.pdf", RowStatus.REFUSED),
    ]
    assert rows[0].recipient_id == "r1" and rows[1].recipient_id == "r2"
    assert rows[2].matricule == "009999" and rows[2].recipient_id is None


def test_same_content_dropped_twice_is_sent_once(tmp_path: Path) -> None:
    data = _pdf(text="same")
    first = _write(tmp_path, "bulletin 001111.pdf", data)
    copy = _write(tmp_path, "copie 001111.pdf", data)
    rows = plan([first, copy], {"001111": "r1"})
    assert [r.status for r in rows] == [RowStatus.READY, RowStatus.REFUSED]
    assert rows[1].check.refusal is not None and "même contenu" in rows[1].check.refusal
    assert rows[1].check.code == DUPLICATE
    assert rows[0].warnings == ()  # the copy is not counted as a second file for the recipient


def test_two_files_for_the_same_recipient_are_a_warning_not_a_refusal(tmp_path: Path) -> None:
    one = _write(tmp_path, "bulletin 001111.pdf", _pdf(text="1"))
    two = _write(tmp_path, "contrat 001111.pdf", _pdf(text="2"))
    rows = plan([one, two], {"001111": "r1"})
    assert all(r.status is RowStatus.READY for r in rows)
    assert all(any("même destinataire" in w for w in r.warnings) for r in rows)


def test_idempotency_key_is_stable_and_depends_on_content_recipient_and_type() -> None:
    key = idempotency_key("ab" * 32, "r1", "simple")
    assert key == idempotency_key("ab" * 32, "r1", "simple")
    # Pinned: a key computed by an older version must still match after an upgrade (resume).
    assert key == "6bffed1c26730c73928165ed1c56cdcac1860d448ccd4d149b33298f18edcd83"
    others = {
        idempotency_key("cd" * 32, "r1", "simple"),
        idempotency_key("ab" * 32, "r2", "simple"),
        idempotency_key("ab" * 32, "r1", "protected"),
    }
    assert key not in others and len(others) == 3


def test_planning_many_files_prints_its_time(tmp_path: Path) -> None:
    """Behaviour, and the time printed (the goal is tracked by tests/bench/test_diffusion_check_bench.py)."""
    paths = [_write(tmp_path, f"bulletin {1000 + i}.pdf", _pdf(2, text=str(i))) for i in range(100)]
    started = time.perf_counter()
    rows = plan(paths, {str(1000 + i): f"r{i}" for i in range(100)})
    elapsed = time.perf_counter() - started
    assert all(r.status is RowStatus.READY for r in rows)
    print(f"100 files planned in {elapsed * 1000:.0f} ms")


def test_pdf_with_thousands_of_pages_is_accepted_with_its_page_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "registre.pdf", _pdf(3000))
    started = time.perf_counter()
    check = check_file(path)
    assert check.ok and check.pages == 3000
    print(f"3000 pages checked in {(time.perf_counter() - started) * 1000:.0f} ms")


# -- check_many: the same checks, spread over processes ---------------------------------------------


def _mixed_drop(tmp_path: Path, good: int) -> list[Path]:
    """``good`` distinct valid PDFs with every hostile file of the corpus in between."""
    paths = [_write(tmp_path, f"bulletin {2000 + i}.pdf", _pdf(text=f"n{i}")) for i in range(good)]
    hostile_dir = tmp_path / "hostile"
    hostile_dir.mkdir()
    for index, case in enumerate(sorted(HOSTILE)):
        paths.insert(index * 3, write_hostile(hostile_dir, case))
    return paths


def test_check_many_in_processes_gives_what_check_file_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diffusion_plan, "_POOL_FROM", 10)  # a smaller drop than a real one is enough
    paths = _mixed_drop(tmp_path, 40)
    progress: list[tuple[int, int]] = []
    workers_seen: list[int] = []

    def on_progress(done: int, total: int) -> None:
        progress.append((done, total))
        workers_seen.append(len(multiprocessing.active_children()))

    found = check_many([*paths, paths[0]], workers=2, on_progress=on_progress)

    assert max(workers_seen) >= 1  # the pool's processes were at work
    assert list(found) == paths  # the drop's order, a path dropped twice checked once
    assert found == {path: check_file(path) for path in paths}
    assert progress[-1] == (len(paths), len(paths))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert {check.code for check in found.values() if not check.ok} == {h.code for h in HOSTILE.values()}


def test_check_many_with_few_files_checks_them_here_with_progress(tmp_path: Path) -> None:
    paths = _mixed_drop(tmp_path, 3)
    progress: list[int] = []
    found = check_many(paths, on_progress=lambda done, total: progress.append(done))
    assert found == {path: check_file(path) for path in paths}
    assert progress == list(range(1, len(paths) + 1))


@pytest.mark.parametrize("workers", [1, 2])
def test_cancelled_check_many_returns_the_files_checked_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(diffusion_plan, "_POOL_FROM", 10)
    paths = [_write(tmp_path, f"bulletin {3000 + i}.pdf", _pdf(text=f"c{i}")) for i in range(300)]
    stop = threading.Event()

    def on_progress(done: int, total: int) -> None:
        if done >= 20:
            stop.set()

    found = check_many(paths, workers=workers, on_progress=on_progress, cancelled=stop.is_set)
    assert 20 <= len(found) < len(paths)
    assert all(check.ok for check in found.values())
    assert list(found) == [path for path in paths if path in found]


def test_check_many_cancelled_before_starting_checks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diffusion_plan, "_POOL_FROM", 10)
    paths = [_write(tmp_path, f"bulletin {4000 + i}.pdf", _pdf(text=f"d{i}")) for i in range(60)]
    assert check_many(paths, workers=2, cancelled=lambda: True) == {}
    assert check_many(paths[:3], cancelled=lambda: True) == {}


def test_files_of_a_worker_that_died_are_refused_not_accepted_unchecked(tmp_path: Path) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    died: Future[list[FileCheck]] = Future()
    died.set_exception(BrokenProcessPool("un processus de vérification s'est arrêté"))
    chunk = [tmp_path / "bulletin 6000.pdf", tmp_path / "bulletin 6001.pdf"]
    result = diffusion_plan._chunk_result(died, chunk)
    assert list(result) == chunk
    assert all(check.code == CHECK_FAILED and not check.ok for check in result.values())
    assert "« bulletin 6000.pdf » n'a pas pu être vérifié" in (result[chunk[0]].refusal or "")
