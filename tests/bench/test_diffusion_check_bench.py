"""Bulk drop benchmark (issue 4): N realistic PDFs of ~300 KB checked (domain.pdf_checks, in worker
processes) and matched to recipients by matricule; goal for 1,000 files: ≤ 3 s on the 2-core machine.
Prints the same files' SHA-256 time (read and hash, one thread) as the floor, and the ratio.

Size (environment): COFFREO_BENCH_CHECK_PDFS (default 200; the goal's size is 1000). Full size, by hand:
`COFFREO_BENCH_CHECK_PDFS=1000 .venv/bin/python -m pytest tests/bench/test_diffusion_check_bench.py -s`.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from types import ModuleType

import pytest

from coffreo_desktop.client.diffusion_plan import PlanRow, RowStatus, check_many, match_matricule, plan
from tests.pdf_corpus import write_realistic_pdfs

resource: ModuleType | None
try:
    import resource
except ImportError:  # Windows
    resource = None

pytestmark = pytest.mark.bench

PDFS = int(os.environ.get("COFFREO_BENCH_CHECK_PDFS", "200"))
GOAL_SECONDS_PER_1000 = 3.0
MB = 1024 * 1024


def _sha256_all(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        hashlib.sha256(path.read_bytes()).hexdigest()
    return time.perf_counter() - started


def _cpu_seconds() -> float:
    """This process's CPU time and its ended children's (the pool's workers), where the OS tells it."""
    if resource is None:
        return time.process_time()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _check_and_match(
    paths: list[Path], recipients: dict[str, str], workers: int | None
) -> tuple[float, float, list[PlanRow]]:
    """Wall time, CPU time (a loaded shared machine stretches the first, not the second), rows."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    checks = check_many(paths, workers=workers)
    rows = plan(paths, recipients, checks=checks)
    return time.perf_counter() - started, _cpu_seconds() - cpu, rows


def _load() -> str:
    # Other work on a shared machine stretches wall times: say how busy it was.
    return " / ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def test_dropping_many_pdfs_is_checked_and_matched_quickly(tmp_path: Path) -> None:
    paths = write_realistic_pdfs(tmp_path, PDFS)
    recipients = {match_matricule(path.name) or "": f"r{index}" for index, path in enumerate(paths)}
    megabytes = sum(path.stat().st_size for path in paths) / MB

    sha_seconds = _sha256_all(paths)  # also brings every file into the page cache, for both
    pooled, pooled_cpu, rows = _check_and_match(paths, recipients, workers=None)
    single, single_cpu, _ = _check_and_match(paths, recipients, workers=1)

    assert len(rows) == PDFS and all(row.status is RowStatus.READY for row in rows)
    assert all(row.check.pages == 3 and row.check.ok for row in rows)
    goal = GOAL_SECONDS_PER_1000 * PDFS / 1000
    print(
        f"\n{PDFS} PDF ({megabytes:.0f} Mo, {megabytes * 1024 / PDFS:.0f} Ko chacun), {os.cpu_count()} cœurs"
        f"\n  vérifiés et rapprochés : {pooled:.2f} s (objectif ≤ {goal:.1f} s),"
        f" {pooled / PDFS * 1000:.2f} ms par fichier, {pooled_cpu:.2f} s de CPU (processus de calcul compris)"
        f"\n  dans un seul processus : {single:.2f} s, {single_cpu:.2f} s de CPU"
        f"\n  SHA-256 seul (plancher) : {sha_seconds:.2f} s ; rapport {pooled / sha_seconds:.1f}×"
        f"\n  charge de la machine : {_load()}"
    )
