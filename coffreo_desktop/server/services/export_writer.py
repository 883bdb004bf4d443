"""Writes one server-side export file: the search's rows as the export CSV (domain.exports), alone or in a
ZIP with every PDF copied from the blob store after checking its SHA-256.

The layout is the desktop's (client/export.py): PDFs stored as they are in one folder per agency, the CSV
spooled aside and added last, deflated. The rows come from ``document_search.search`` in keyset pages, each
read in its own short transaction, so that a long export holds no snapshot open.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import logging
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from coffreo_desktop.domain.exports import (
    CSV_DELIMITER,
    CSV_ENCODING,
    CSV_LINE_END,
    ZIP_CSV_NAME,
    csv_header,
    csv_row,
    zip_member_name,
)
from coffreo_desktop.domain.rights import RightSet
from coffreo_desktop.server.services import document_search
from coffreo_desktop.server.storage.blobs import BlobCorrupted, BlobMissing, BlobStore

log = logging.getLogger(__name__)

#: Rows per search page (the search's own maximum).
PAGE = document_search.MAX_LIMIT
#: The ZIP member listing the PDFs that could not be added (the desktop's name for it).
ERRORS_MEMBER = "export-erreurs.txt"

QueryFor = Callable[[str | None, int], document_search.SearchQuery]


class Interrupted(Exception):
    """The server is stopping: the export stops and is queued again."""


@dataclass
class Written:
    rows: int = 0
    total: int | None = None
    pdfs: int = 0
    size: int = 0
    skipped: list[int] = field(default_factory=list)


@cache
def _json() -> TypeAdapter[document_search.DocumentView]:
    return TypeAdapter(document_search.DocumentView)


def as_json(view: document_search.DocumentView) -> dict[str, Any]:
    """A row exactly as GET /documents returns it, so that the CSV equals the desktop's."""
    data: dict[str, Any] = _json().dump_python(view, mode="json")
    return data


def open_for_writing(path: Path) -> IO[bytes]:
    return open(path, "wb")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class ExportWriter:
    """One export file being written at ``path`` (a temporary name: the caller renames it when done)."""

    def __init__(
        self,
        path: Path,
        blobs: BlobStore,
        include_pdfs: bool,
        stamp: datetime,
        opener: Callable[[Path], IO[bytes]] | None = None,
    ) -> None:
        self.path = path
        self.blobs = blobs
        self.out = (opener or open_for_writing)(path)
        self.written = Written()
        self.zip: zipfile.ZipFile | None = None
        self.spool: IO[bytes] | None = None
        self.stamp = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        if include_pdfs:
            # Unnamed: nothing to clean up even if the process is killed.
            self.spool = tempfile.TemporaryFile("w+b", suffix=".part", dir=path.parent)  # noqa: SIM115 (closed by _close or abandon)
            self.zip = zipfile.ZipFile(
                self.out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True
            )
        self.csv_out: IO[bytes] = self.spool if self.spool is not None else self.out
        self._encoder = codecs.getincrementalencoder(CSV_ENCODING)()  # the BOM once, first
        self._text = io.StringIO()
        self._csv = csv.writer(self._text, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)

    def write_all(
        self,
        sessions: Callable[[], Session],
        query_for: QueryFor,
        today: date,
        rights: RightSet,
        *,
        stopping: Callable[[], bool],
        progress: Callable[[int, int | None], None],
        every: float,
    ) -> Written:
        """Every page of the search into the file, then close it (fsynced). ``progress`` runs at most
        every ``every`` seconds; ``stopping()`` true raises Interrupted."""
        self._csv.writerow(csv_header())
        self._flush_csv()
        cursor: str | None = None
        last = time.monotonic()
        while True:
            if stopping():
                raise Interrupted()
            with sessions() as session:
                page = document_search.search(session, query_for(cursor, PAGE), today, rights)
            if self.written.total is None:
                self.written.total = page.total
            rows = [as_json(item) for item in page.items]
            self._csv.writerows(csv_row(row) for row in rows)
            self._flush_csv()
            self.written.rows += len(rows)
            if self.zip is not None:
                for row in rows:
                    self._add_pdf(row)
                    if stopping():
                        raise Interrupted()
            if time.monotonic() - last >= every:
                last = time.monotonic()
                progress(self.written.rows, self.written.total)
            cursor = page.next_cursor
            if cursor is None:
                break
        return self._close()

    def _flush_csv(self) -> None:
        self.csv_out.write(self._encoder.encode(self._text.getvalue()))
        self._text.seek(0)
        self._text.truncate()

    def _add_pdf(self, row: dict[str, Any]) -> None:
        assert self.zip is not None
        try:
            data = self.blobs.read_verified(row["sha256"])
        except (BlobMissing, BlobCorrupted) as exc:
            # One broken file must not fail an export of thousands: its row stays, the ZIP says why.
            log.error("export : PDF du document %s absent ou altéré (%s)", row["id"], exc)
            self.written.skipped.append(row["id"])
            return
        info = zipfile.ZipInfo(zip_member_name(row), date_time=self.stamp)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16  # personal data: readable by its owner once extracted
        self.zip.writestr(info, data)
        self.written.pdfs += 1

    def _errors_text(self) -> str:
        lines = [
            "Les fichiers PDF suivants n'ont pas pu être ajoutés à l'export (absents ou altérés dans le "
            f"stockage) ; leurs lignes restent dans {ZIP_CSV_NAME}."
        ]
        lines += [f"- document {doc_id}" for doc_id in self.written.skipped]
        return CSV_LINE_END.join(lines) + CSV_LINE_END

    def _close(self) -> Written:
        if self.zip is not None and self.spool is not None:
            if self.written.skipped:
                self.zip.writestr(ERRORS_MEMBER, self._errors_text().encode("utf-8-sig"))
            size = self.spool.tell()
            self.spool.seek(0)
            with self.zip.open(ZIP_CSV_NAME, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as member:
                shutil.copyfileobj(self.spool, member, 1024 * 1024)
            self.zip.close()
            self.spool.close()
        self.out.flush()
        with contextlib.suppress(io.UnsupportedOperation):
            os.fsync(self.out.fileno())  # a full disk may only show here
        self.out.close()
        self.written.size = self.path.stat().st_size
        return self.written

    def abandon(self) -> None:
        """Close everything after a failure; the caller removes the file."""
        for closing in (self.zip, self.spool, self.out):
            if closing is not None:
                with contextlib.suppress(Exception):  # a full disk fails the final writes too
                    closing.close()
