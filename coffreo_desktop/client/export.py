"""The desktop's export of documents to disk (F2.8): one CSV, or one ZIP holding the CSV and every PDF.

Written to a temporary file beside the target and renamed onto it only once complete, so that a cancel,
a full disk or a failure leaves nothing behind and never damages an existing file. No Qt.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import csv
import errno
import io
import logging
import os
import shutil
import tempfile
import time
import zipfile
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.safe_files import discard, sync_and_close, temp_beside
from coffreo_desktop.domain.exports import (
    CSV_DELIMITER,
    CSV_ENCODING,
    CSV_LINE_END,
    ZIP_CSV_NAME,
    csv_header,
    csv_row,
    zip_member_name,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``progress(rows_done, total_rows_or_None, bytes_written)``, called on the caller's event loop.
Progress = Callable[[int, int | None, int], None]
FetchPdf = Callable[[Mapping[str, Any]], Awaitable[bytes]]
RunBlocking = Callable[..., Awaitable[Any]]
#: Opens the temporary file for writing: the seam through which tests simulate a failing disk.
Opener = Callable[[Path], IO[bytes]]

#: The ZIP member listing the PDFs that could not be added.
ERRORS_MEMBER = "export-erreurs.txt"
DISK_FULL = "Le disque est plein : l'export a été interrompu et le fichier partiel supprimé."
CANCELLED = "Export annulé : aucun fichier n'a été laissé."

#: Rows formatted per trip to a worker thread: enough to amortise the hop, few enough that the loop and
#: a cancel are never kept waiting more than a few milliseconds.
CSV_BATCH_ROWS = 2000
#: Progress is reported at least this often while rows arrive slowly (pages fetched over the network).
PROGRESS_INTERVAL = 0.2
#: PDFs downloaded ahead of the writer, so that the network and the disk work at the same time.
PDF_PREFETCH = 4
# A PDF that is gone, no longer visible or broken on the server is skipped, not fatal: the export of
# thousands of rows must not fail because a colleague deleted one document meanwhile. Anything else
# (server unreachable, session expired, overload) stops the export.
_SKIPPED_STATUSES = frozenset({403, 404, 410})
_SKIPPED_CODES = frozenset({"blob_corrupted", "download_corrupted"})
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})
_NO_WRITE_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class ExportError(Exception):
    """The export failed and its partial file was removed; ``str()`` is a French sentence for the user."""

    def __init__(self, message: str, *, errno_code: int | None = None) -> None:
        super().__init__(message)
        self.errno_code = errno_code

    @classmethod
    def from_os_error(cls, exc: OSError, folder: Path) -> ExportError:
        code = exc.errno
        if code in _DISK_FULL_ERRNOS:
            return cls(DISK_FULL, errno_code=code)
        if code in _NO_WRITE_ERRNOS or isinstance(exc, PermissionError):
            return cls(
                f"Impossible d'écrire dans ce dossier : {folder}. Choisissez un autre emplacement.",
                errno_code=code,
            )
        if code == errno.ENOENT:
            return cls(
                f"Le dossier {folder} n'existe plus : choisissez un autre emplacement.", errno_code=code
            )
        # The system's own text is in the system's language: the number is what support needs.
        return cls(
            f"L'export a échoué (erreur système {code}) : le fichier partiel a été supprimé.",
            errno_code=code,
        )


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was left on disk."""

    def __init__(self) -> None:
        super().__init__(CANCELLED)


@dataclass(frozen=True, slots=True)
class SkippedPdf:
    """A row whose PDF could not be added (it stays in the CSV)."""

    document_id: Any
    member: str
    reason: str


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    pdfs: int
    size: int
    skipped: tuple[SkippedPdf, ...] = ()

    @property
    def skipped_note(self) -> str | None:
        """A French note on the PDFs left out, or None when every PDF is in the ZIP."""
        count = len(self.skipped)
        if count == 0:
            return None
        if count == 1:
            return f"1 fichier PDF n'a pas pu être ajouté (voir {ERRORS_MEMBER} dans l'export)."
        return f"{count} fichiers PDF n'ont pas pu être ajoutés (voir {ERRORS_MEMBER} dans l'export)."


async def chain(*iterators: AsyncIterator[T]) -> AsyncIterator[T]:
    """The items of each iterator in turn: one export over several agencies, searched one by one."""
    for iterator in iterators:
        async for item in iterator:
            yield item


def open_for_writing(path: Path) -> IO[bytes]:
    return open(path, "wb")


def skippable(exc: BaseException) -> bool:
    """Whether a failed PDF download only skips that PDF (see ``_SKIPPED_STATUSES``)."""
    return isinstance(exc, ApiError) and (exc.status in _SKIPPED_STATUSES or exc.code in _SKIPPED_CODES)


async def export_documents(
    rows: AsyncIterator[Mapping[str, Any]],
    target: Path,
    *,
    fetch_pdf: FetchPdf | None,
    progress: Progress | None = None,
    total: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    run_blocking: RunBlocking = asyncio.to_thread,
    opener: Opener = open_for_writing,
) -> ExportResult:
    """Write ``rows`` (search-API JSON) to ``target``: a CSV, or with ``fetch_pdf`` a ZIP with the PDFs.

    Raises :class:`ExportCancelled` when ``cancelled()`` turns true, :class:`ExportError` on a disk
    failure; in both cases, and on any other error, the temporary file is removed and ``target`` is
    left as it was. Disk work runs through ``run_blocking`` so that the event loop stays responsive.
    """
    job = _ExportJob(target, fetch_pdf, progress, total, cancelled, run_blocking, opener)
    return await job.run(rows)


# ---- writers: called in a worker thread, one call at a time ------------------------------------------


class _CsvWriter:
    """Formats rows as the export CSV (BOM once, ";" and CRLF) onto a binary file."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._encoder = codecs.getincrementalencoder(CSV_ENCODING)()  # the BOM comes out once, first
        self._text = io.StringIO()
        self._csv = csv.writer(self._text, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)
        self.size = 0

    def write_header(self) -> int:
        self._csv.writerow(csv_header())
        return self._flush()

    def write_rows(self, rows: Sequence[Mapping[str, Any]]) -> int:
        self._csv.writerows(csv_row(row) for row in rows)
        return self._flush()

    def _flush(self) -> int:
        data = self._encoder.encode(self._text.getvalue())
        self._text.seek(0)
        self._text.truncate()
        self._out.write(data)
        self.size += len(data)
        return self.size


class _ZipWriter:
    """The ZIP: PDFs stored as they are (already compressed), the CSV spooled aside and added last."""

    def __init__(self, out: IO[bytes], spool: IO[bytes]) -> None:
        self._out = out
        self._spool = spool
        # Text members are deflated at level 1: a CSV still shrinks about tenfold, several times faster
        # than at the default level. PDFs pass a ZipInfo of their own, stored.
        self._zip = zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True
        )
        now = time.localtime()
        self._stamp = (now.tm_year, now.tm_mon, now.tm_mday, now.tm_hour, now.tm_min, now.tm_sec)
        self.csv = _CsvWriter(spool)

    def write_pdf(self, name: str, data: bytes) -> int:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16  # personal data: readable by its owner once extracted
        self._zip.writestr(info, data)
        return self._out.tell()

    def finish(self, errors_text: str | None) -> int:
        if errors_text is not None:
            self._zip.writestr(ERRORS_MEMBER, errors_text.encode("utf-8-sig"))
        size = self._spool.tell()
        self._spool.seek(0)
        with self._zip.open(ZIP_CSV_NAME, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as member:
            shutil.copyfileobj(self._spool, member, 1024 * 1024)
        self._zip.close()
        return self._out.tell()

    def abandon(self) -> None:
        # Closing writes the central directory into a file about to be deleted; on a full disk it fails,
        # which no longer matters. Without it, ZipFile.__del__ would try again later.
        with contextlib.suppress(Exception):
            self._zip.close()


def _make_spool(folder: Path) -> IO[bytes]:
    # Unnamed (or deleted on close): nothing to clean up even if the application is killed.
    return tempfile.TemporaryFile("w+b", suffix=".part", dir=folder)


def _errors_text(skipped: Sequence[SkippedPdf]) -> str:
    lines = [
        "Les fichiers PDF suivants n'ont pas pu être ajoutés à l'export ; leurs lignes restent dans "
        f"{ZIP_CSV_NAME}."
    ]
    lines += [f"- document {s.document_id} ({s.member}) : {s.reason}" for s in skipped]
    return CSV_LINE_END.join(lines) + CSV_LINE_END


# ---- the job ----------------------------------------------------------------------------------------


@dataclass
class _ExportJob:
    """One export's state: the files being written, the rows and PDFs in flight, what was skipped."""

    target: Path
    fetch_pdf: FetchPdf | None
    progress: Progress | None
    total: int | None
    cancelled: Callable[[], bool] | None
    run_blocking: RunBlocking
    opener: Opener
    temp: Path | None = None
    out: IO[bytes] | None = None
    spool: IO[bytes] | None = None
    zip: _ZipWriter | None = None
    csv: _CsvWriter | None = None
    batch: list[Mapping[str, Any]] = field(default_factory=list)
    pending: deque[tuple[Mapping[str, Any], asyncio.Future[bytes]]] = field(default_factory=deque)
    skipped: list[SkippedPdf] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    rows: int = 0  # rows formatted into the CSV
    done: int = 0  # rows complete, PDF included
    size: int = 0
    last_report: float = 0.0

    async def blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` in a worker; if this coroutine is cancelled meanwhile, still wait for the worker,
        which would otherwise go on writing into a file being closed and removed."""
        future = asyncio.ensure_future(self.run_blocking(fn, *args))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                await asyncio.wait([future])
            raise

    async def run(self, rows: AsyncIterator[Mapping[str, Any]]) -> ExportResult:
        folder = self.target.parent
        try:
            self.temp = await self.blocking(temp_beside, self.target)
            self.out = await self.blocking(self.opener, self.temp)
            if self.fetch_pdf is None:
                self.csv = _CsvWriter(self.out)
            else:
                self.spool = await self.blocking(_make_spool, folder)
                self.zip = _ZipWriter(self.out, self.spool)
                self.csv = self.zip.csv
            await self.blocking(self.csv.write_header)
            async for row in rows:
                self.check_cancelled()
                self.batch.append(row)
                if self.fetch_pdf is not None:
                    self.pending.append((row, asyncio.ensure_future(self.fetch_pdf(row))))
                    if len(self.pending) >= PDF_PREFETCH:
                        await self.write_next_pdf()
                if len(self.batch) >= CSV_BATCH_ROWS or self.report_due():
                    await self.flush_csv()
            while self.pending:
                self.check_cancelled()
                await self.write_next_pdf()
            await self.flush_csv()
            self.check_cancelled()
            return await self.finish()
        except OSError as exc:
            self.abandon()
            log.warning("export interrompu : %s (errno %s)", type(exc).__name__, exc.errno)
            raise ExportError.from_os_error(exc, folder) from exc
        except BaseException:
            self.abandon()
            raise

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled()

    def report_due(self) -> bool:
        return time.monotonic() - self.last_report >= PROGRESS_INTERVAL

    def report(self) -> None:
        self.last_report = time.monotonic()
        if self.progress is not None:
            self.progress(self.done, self.total, self.size)

    async def flush_csv(self) -> None:
        assert self.csv is not None
        if self.batch:
            batch, self.batch = self.batch, []
            written = await self.blocking(self.csv.write_rows, batch)
            self.rows += len(batch)
            if self.zip is None:
                self.size, self.done = written, self.rows
        self.report()

    async def write_next_pdf(self) -> None:
        assert self.zip is not None
        row, download = self.pending.popleft()
        member = zip_member_name(row)
        try:
            data = await download
        except Exception as exc:
            if not skippable(exc):
                raise
            self.skipped.append(SkippedPdf(row.get("id"), member, str(exc)))
            log.info("export : PDF du document %s ignoré (%s)", row.get("id"), getattr(exc, "code", ""))
        else:
            # The same document met twice (agencies chained by hand) is stored once: a ZIP with two
            # members of one name confuses extraction tools.
            if member not in self.members:
                self.members.add(member)
                self.size = await self.blocking(self.zip.write_pdf, member, data)
        self.done += 1
        if self.report_due():
            self.report()

    async def finish(self) -> ExportResult:
        assert self.out is not None and self.temp is not None
        if self.zip is not None:
            errors = _errors_text(self.skipped) if self.skipped else None
            self.size = await self.blocking(self.zip.finish, errors)
        out, self.out = self.out, None
        try:
            await self.blocking(sync_and_close, out)
        except BaseException:
            self.out = out  # closed again (quietly) and removed by abandon()
            raise
        if self.spool is not None:
            self.spool.close()
        await self.blocking(os.replace, self.temp, self.target)
        self.temp = None
        self.report()
        pdfs = len(self.members)
        return ExportResult(self.target, self.rows, pdfs, self.size, tuple(self.skipped))

    def abandon(self) -> None:
        for _, download in self.pending:
            download.cancel()
        for _, download in self.pending:
            # Retrieve the outcome so that asyncio does not log "exception was never retrieved".
            download.add_done_callback(lambda f: f.cancelled() or f.exception())
        self.pending.clear()
        if self.zip is not None:
            self.zip.abandon()
        discard(self.out, self.temp)
        self.out = self.temp = None
        if self.spool is not None:
            with contextlib.suppress(Exception):
                self.spool.close()
