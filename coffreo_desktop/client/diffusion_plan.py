"""Bulk Diffusion libre, before sending: check each dropped file, match it to a recipient by the
matricule in its name, and group the rows (ready / unmatched / refused). Pure, no Qt; blocking I/O."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN
from coffreo_desktop.domain import pdf_checks
from coffreo_desktop.domain.limits import MAX_FILE_SIZE
from coffreo_desktop.domain.nir import contains_nir
from coffreo_desktop.domain.pdf_checks import PdfRefusal
from coffreo_desktop.domain.processes import leave_with_parent, safe_to_spawn

#: Refusal codes of the desktop's own, beside the shared ones of domain.pdf_checks.
UNAVAILABLE = "unavailable"
DUPLICATE = "duplicate"
CHECK_FAILED = "check_failed"

#: From this many files check_many spreads them over processes. A check costs ~1.2 ms of CPU for a
#: 300 KB file, starting two workers ~0.2 s: below ~300 files one process is as fast; from 200 on, the
#: GIL that the UI thread needs is worth more than the difference.
_POOL_FROM = 200
#: Workers by default: one per core, up to this (each costs ~0.2 s of CPU and ~60 MB to start).
_MAX_WORKERS = 8
#: Files per task sent to a worker: few enough for a smooth progress, enough to pay for the round trip.
_CHUNK_MAX = 16
#: How often check_many looks at ``cancelled`` while waiting for the workers.
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class FileCheck:
    """The result of checking one file: ``refusal`` (French) is None when the file can be sent."""

    path: Path
    size: int
    pages: int = 0
    sha256: str = ""
    refusal: str | None = None
    warnings: tuple[str, ...] = ()
    #: The stable code of the refusal (domain.pdf_checks' or UNAVAILABLE, DUPLICATE, CHECK_FAILED).
    code: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


class RowStatus(Enum):
    READY = "ready"
    UNMATCHED = "unmatched"
    REFUSED = "refused"


@dataclass(frozen=True)
class PlanRow:
    """One file of the table: its check, the matricule read in its name and the matched recipient."""

    check: FileCheck
    status: RowStatus
    matricule: str | None = None
    recipient_id: str | None = None
    warnings: tuple[str, ...] = field(default=())


def format_size(size: int) -> str:
    """A size as the interface shows it: "812 Ko", "5 Mo", "5,2 Mo"."""
    return pdf_checks.format_size(size)


def check_file(path: Path, name: str | None = None) -> FileCheck:
    """Check the file at ``path`` (shown as ``name``, its file name by default). Blocking.

    The checks are domain.pdf_checks', the server's own: a file accepted here is accepted there.
    """
    name = path.name if name is None else name
    try:
        pdf_checks.check_name(name)
    except PdfRefusal as refusal:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        return FileCheck(path, size, refusal=refusal.detail, code=refusal.code)
    unavailable = f"{pdf_checks.quoted_name(name)} est introuvable ou illisible."
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a folder, a pipe or a device: opening may never return
            raise OSError(f"not a regular file: {path}")
        size = status.st_size
        pdf_checks.check_size(name, size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)  # a file growing meanwhile is read no further
    except PdfRefusal as refusal:
        return FileCheck(path, size, refusal=refusal.detail, code=refusal.code)
    except OSError:
        return FileCheck(path, 0, refusal=unavailable, code=UNAVAILABLE)
    size, sha256 = len(data), hashlib.sha256(data).hexdigest()  # what was read is what counts
    try:
        facts = pdf_checks.check_data(data, name)
    except PdfRefusal as refusal:
        return FileCheck(path, size, sha256=sha256, refusal=refusal.detail, code=refusal.code)
    return FileCheck(path, size, facts.pages, sha256, warnings=facts.warnings)


def check_many(
    paths: Iterable[Path],
    *,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[Path, FileCheck]:
    """check_file on every path, in worker processes when there are many. Blocking: call it from a
    worker thread. ``on_progress(done, total)`` runs in the calling thread; once ``cancelled()`` is
    true the files not yet checked are left out (the result keeps the order of ``paths``).

    Processes, not threads: parsing a PDF is pure Python and holds the GIL, which the UI thread and
    the embedded backend need. They are spawned (never forked from a threaded Qt process), which
    costs ~0.2 s: a small drop is checked in the calling thread instead, and so is every drop in a
    frozen app (see domain.processes.safe_to_spawn).
    """
    unique = list(dict.fromkeys(paths))
    total = len(unique)
    workers = max(1, workers if workers is not None else min(os.cpu_count() or 1, _MAX_WORKERS))
    if cancelled is not None and cancelled():
        return {}
    if workers == 1 or total < _POOL_FROM or not safe_to_spawn():
        return _check_here(unique, on_progress, cancelled)
    size = max(1, min(_CHUNK_MAX, total // (workers * 8)))
    chunks = [unique[start : start + size] for start in range(0, total, size)]
    found: dict[Path, FileCheck] = {}
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context, initializer=leave_with_parent)
    try:
        pending = {pool.submit(_check_chunk, chunk): chunk for chunk in chunks}
    except OSError:  # no process could be started (limits, a sandbox): check here instead
        pool.shutdown(wait=False, cancel_futures=True)
        return _check_here(unique, on_progress, cancelled)
    try:
        while pending:
            if cancelled is not None and cancelled():
                break
            done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                found.update(_chunk_result(future, pending.pop(future)))
                if on_progress is not None:
                    on_progress(len(found), total)
    finally:
        # A running chunk ends within milliseconds; the queued ones are dropped.
        pool.shutdown(wait=True, cancel_futures=True)
    return {path: found[path] for path in unique if path in found}


def _check_here(
    paths: list[Path],
    on_progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> dict[Path, FileCheck]:
    found: dict[Path, FileCheck] = {}
    for path in paths:
        if cancelled is not None and cancelled():
            break
        found[path] = check_file(path)
        if on_progress is not None:
            on_progress(len(found), len(paths))
    return found


def _check_chunk(paths: list[Path]) -> list[FileCheck]:
    """Run in a worker process: module-level, so that it is found by name there."""
    return [check_file(path) for path in paths]


def _chunk_result(future: Future[list[FileCheck]], chunk: list[Path]) -> dict[Path, FileCheck]:
    try:
        return {check.path: check for check in future.result()}
    except Exception:
        # A worker that died (out of memory, killed) or failed: these files are not accepted unchecked.
        return {
            path: FileCheck(
                path,
                0,
                refusal=f"{pdf_checks.quoted_name(path.name)} n'a pas pu être vérifié : réessayez.",
                code=CHECK_FAILED,
            )
            for path in chunk
        }


def match_matricule(file_name: str, pattern: str = DEFAULT_MATRICULE_PATTERN) -> str | None:
    """The matricule read in ``file_name`` (first group of ``pattern``, or the whole match), else None.

    A NIR-shaped name never yields a matricule: part of it would match a random recipient.
    """
    stem = file_name.rsplit(".", 1)[0] if file_name.lower().endswith(".pdf") else file_name
    if contains_nir(stem):
        return None
    found = re.search(pattern, stem)
    if found is None:
        return None
    value = found.group(1) if found.re.groups else found.group(0)
    return value or None


def plan(
    paths: Iterable[Path],
    recipients_by_matricule: Mapping[str, str],
    pattern: str = DEFAULT_MATRICULE_PATTERN,
    checks: Mapping[Path, FileCheck] | None = None,
) -> list[PlanRow]:
    """Check (or reuse ``checks``) and match every path; rows come grouped ready, unmatched, refused.

    The same content dropped twice: the later copies are refused. Two files for the same recipient:
    a warning on each, not a refusal (a payslip and a contract may go together).
    """
    rows: list[PlanRow] = []
    seen_content: dict[str, Path] = {}
    for path in paths:
        check = checks[path] if checks and path in checks else check_file(path)
        if check.ok and check.sha256 in seen_content:
            shown, first = (pdf_checks.quoted_name(p.name) for p in (path, seen_content[check.sha256]))
            check = FileCheck(
                check.path, check.size, check.pages, check.sha256,
                f"{shown} a le même contenu que {first} : il n'est envoyé qu'une fois.",
                check.warnings, DUPLICATE,
            )  # fmt: skip
        elif check.ok:
            seen_content[check.sha256] = path
        matricule = match_matricule(path.name, pattern)
        recipient = recipients_by_matricule.get(matricule) if matricule else None
        if not check.ok:
            status = RowStatus.REFUSED
        elif recipient is None:
            status = RowStatus.UNMATCHED
        else:
            status = RowStatus.READY
        rows.append(PlanRow(check, status, matricule, recipient, check.warnings))

    per_recipient = Counter(row.recipient_id for row in rows if row.status is RowStatus.READY)
    order = {RowStatus.READY: 0, RowStatus.UNMATCHED: 1, RowStatus.REFUSED: 2}
    result = []
    for row in rows:
        count = per_recipient.get(row.recipient_id, 0) if row.status is RowStatus.READY else 0
        if count > 1:
            note = f"{count} fichiers pour le même destinataire (matricule {row.matricule}) : vérifiez."
            row = PlanRow(row.check, row.status, row.matricule, row.recipient_id, (*row.warnings, note))
        result.append(row)
    return sorted(result, key=lambda row: order[row.status])  # stable: keeps the drop order within a group


def idempotency_key(sha256: str, recipient_id: str, protection: str) -> str:
    """A stable key from the content, the recipient and the type: resending the same triple is a no-op."""
    return hashlib.sha256(
        f"diffusion-libre\x1f{sha256}\x1f{recipient_id}\x1f{protection}".encode()
    ).hexdigest()
