"""The journal of a Diffusion libre batch (F3.9): what to send, and each answer as it arrives.

Written before the first upload and appended to after each answer, it lets the next start of the app
offer to resume a batch cut by a crash, a closed app or a lost connection (see diffusion_send.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.json_fields import format_datetime, parse_datetime
from coffreo_desktop.client.offline_store import derive_key
from coffreo_desktop.client.paths import data_dir
from coffreo_desktop.domain.documents import Protection

log = logging.getLogger(__name__)

JOURNAL_FOLDER = "envois"
_SUFFIX = ".journal"
_NONCE = 12
_SYNC_EVERY = 16  # answers lost in a crash are only replayed (same key): no need to fsync each one
_BINARY = getattr(os, "O_BINARY", 0)
_LOCK_OFFSET = 2**31 - 2


@dataclass(frozen=True, slots=True)
class SendItem:
    """One file to one recipient, as planned on the page. ``key`` is the idempotency key."""

    key: str
    path: str
    file_name: str
    sha256: str
    size: int
    recipient_id: int
    recipient_label: str
    protection: Protection
    title: str

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "path": self.path,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "size": self.size,
            "recipient_id": self.recipient_id,
            "recipient_label": self.recipient_label,
            "protection": self.protection.value,
            "title": self.title,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SendItem:
        return cls(
            key=str(data["key"]),
            path=str(data["path"]),
            file_name=str(data["file_name"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            recipient_id=int(data["recipient_id"]),
            recipient_label=str(data["recipient_label"]),
            protection=Protection(data["protection"]),
            title=str(data["title"]),
        )


class ItemState(StrEnum):
    """Where one item stands. Only PENDING items are sent (again) on resume."""

    PENDING = "pending"
    SENT = "sent"  # delivered now
    ALREADY_SENT = "already_sent"  # the server had it from an earlier attempt (same key): not delivered twice
    REFUSED = "refused"  # the server refused it for good (a French reason): not retried


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """The answer recorded for one item (``detail`` in French, shown in the summary)."""

    key: str
    state: ItemState
    detail: str = ""
    document_id: int | None = None
    at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "state": self.state.value,
            "detail": self.detail,
            "document_id": self.document_id,
            "at": None if self.at is None else format_datetime(self.at),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemOutcome:
        at = data.get("at")
        document_id = data.get("document_id")
        return cls(
            key=str(data["key"]),
            state=ItemState(data["state"]),
            detail=str(data.get("detail") or ""),
            document_id=None if document_id is None else int(document_id),
            at=None if at is None else parse_datetime(str(at)),
        )


class JournalClosed(Exception):
    """An answer came after the journal was closed: it could not be kept (the item stays to send)."""


class JournalBusy(Exception):
    """Another window or instance of the app is sending this batch right now."""

    def __init__(self) -> None:
        super().__init__("Cet envoi est déjà en cours dans une autre fenêtre de Coffreo Desktop.")


class SendJournal:
    """One batch on disk: a header line (issuer, items) then one line per answer, appended as they come.

    Each line is ``base64(nonce || AES-GCM(json))`` with the batch id as associated data: the journal
    names people and files, so it is encrypted like the offline cache (its key comes from the keyring).
    A crash mid-line leaves a last line that does not decrypt: it is ignored (that item is sent again,
    which its idempotency key makes harmless). Without a key (no secure keyring) the journal lives in
    memory only: sending works, but a closed app cannot offer to resume (``persistent`` is False).
    While a journal is open it holds an OS lock on its file, so two instances never send one batch.
    """

    def __init__(
        self,
        batch_id: str,
        agency_id: int,
        agency_name: str,
        items: list[SendItem],
        created_at: datetime,
        *,
        path: Path | None,
        key: bytes | None,
    ) -> None:
        self.batch_id = batch_id
        self.agency_id = agency_id
        self.agency_name = agency_name
        self.items = items
        self.created_at = created_at
        self.path = path
        self.outcomes: dict[str, ItemOutcome] = {}
        self._aead = AESGCM(key) if key is not None else None
        self._file: BinaryIO | None = None
        self._lock = threading.Lock()
        self._unsynced = 0
        self._answered = 0

    # ---- creation, discovery ---------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        folder: Path | None,
        key: bytes | None,
        agency_id: int,
        agency_name: str,
        items: list[SendItem],
        *,
        now: datetime | None = None,
    ) -> SendJournal:
        """Write a new batch's journal (durably) before anything is sent. ``folder`` None or ``key`` None:
        in memory only. Items with the same key (the same file for the same recipient and type) count once."""
        unique = list({item.key: item for item in items}.values())
        batch_id = uuid.uuid4().hex
        created = now or datetime.now(UTC)
        persistent = folder is not None and key is not None
        path = folder / f"lot-{batch_id}{_SUFFIX}" if persistent and folder is not None else None
        journal = cls(batch_id, agency_id, agency_name, unique, created, path=path, key=key)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            journal._open_file(create=True)
            journal._append(
                {
                    "batch": batch_id,
                    "agency_id": agency_id,
                    "agency_name": agency_name,
                    "created_at": format_datetime(created),
                    "items": [item.to_json() for item in unique],
                },
                sync=True,
            )
        return journal

    @classmethod
    def unfinished(cls, folder: Path, key: bytes | None) -> list[SendJournal]:
        """The batches of ``folder`` with items still to send, oldest first, NOT locked (see :meth:`open`).

        Journals with nothing left to send (their summary was shown, or the app ended just after the last
        answer) and journals this key cannot read (a keyring reset) are removed on the way, under their
        lock: one another window is still sending is left alone.
        """
        if key is None or not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob(f"lot-*{_SUFFIX}")):
            journal = cls._read(path, key)
            if journal is not None and journal.remaining():
                found.append(journal)
            elif journal is not None or cls._unreadable(path):
                cls._remove(path, key)
        return sorted(found, key=lambda j: j.created_at)

    @classmethod
    def _unreadable(cls, path: Path) -> bool:
        try:
            return path.stat().st_size > 0 and path.is_file()
        except OSError:
            return False  # gone, or held by another instance (Windows): not ours to judge

    @classmethod
    def _remove(cls, path: Path, key: bytes) -> None:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | _BINARY)
        except OSError:
            return
        with os.fdopen(fd, "ab") as handle:
            if not _try_lock(handle):
                return  # another window sends it right now
            log.info("Journal d'envoi %s terminé ou illisible : supprimé", path.name)
            path.unlink(missing_ok=True)

    @classmethod
    def open(cls, path: Path, key: bytes) -> SendJournal:
        """Open a journal to resume it: read again under the lock (JournalBusy if another instance has it)."""
        journal = cls(uuid.uuid4().hex, 0, "", [], datetime.now(UTC), path=path, key=key)
        journal._open_file(create=False)
        read = cls._read(path, key)
        if read is None:
            journal.close()
            raise ValueError("journal d'envoi illisible")
        journal.batch_id, journal.agency_id, journal.agency_name = (
            read.batch_id,
            read.agency_id,
            read.agency_name,
        )
        journal.items, journal.created_at, journal.outcomes = read.items, read.created_at, read.outcomes
        journal._answered = read._answered
        return journal

    @classmethod
    def _read(cls, path: Path, key: bytes) -> SendJournal | None:
        try:
            lines = path.read_bytes().splitlines()
        except OSError:
            return None
        aead = AESGCM(key)
        batch_id = path.name.removeprefix("lot-").removesuffix(_SUFFIX)
        records = []
        for line in lines:
            try:
                blob = base64.b64decode(line, validate=True)
                data = aead.decrypt(blob[:_NONCE], blob[_NONCE:], batch_id.encode())
                records.append(json.loads(data))
            except (InvalidTag, ValueError, binascii.Error):
                continue  # a line cut by a crash, or a foreign one: its item is sent again
        if not records or records[0].get("batch") != batch_id:
            log.warning("Journal d'envoi illisible (%s) : ignoré", path.name)
            return None
        header = records[0]
        try:
            journal = cls(
                batch_id,
                int(header["agency_id"]),
                str(header["agency_name"]),
                [SendItem.from_json(item) for item in header["items"]],
                parse_datetime(str(header["created_at"])),
                path=path,
                key=key,
            )
            for record in records[1:]:
                outcome = ItemOutcome.from_json(record)
                journal.outcomes[outcome.key] = outcome
        except (KeyError, ValueError, TypeError):
            log.warning("Journal d'envoi illisible (%s) : ignoré", path.name)
            return None
        journal._answered = len(journal.items) - len(journal.remaining())
        return journal

    # ---- state -------------------------------------------------------------------------------------------
    @property
    def persistent(self) -> bool:
        return self.path is not None

    def outcome(self, key: str) -> ItemOutcome:
        return self.outcomes.get(key) or ItemOutcome(key, ItemState.PENDING)

    def remaining(self) -> list[SendItem]:
        """Items not answered yet (never sent, sent without an answer, or interrupted)."""
        return [item for item in self.items if self.outcome(item.key).state is ItemState.PENDING]

    def counts(self) -> dict[ItemState, int]:
        counts = dict.fromkeys(ItemState, 0)
        for item in self.items:
            counts[self.outcome(item.key).state] += 1
        return counts

    def record(self, outcome: ItemOutcome) -> None:
        """Keep one item's answer (blocking: disk). Flushed at once, made durable every few records.
        Written to the file first: what the summary counts is what a resume will find."""
        with self._lock:
            if self.path is not None:
                if self._file is None:
                    raise JournalClosed()
                self._append(outcome.to_json(), sync=False)
            before = self.outcome(outcome.key).state
            self.outcomes[outcome.key] = outcome
            if before is ItemState.PENDING and outcome.state is not ItemState.PENDING:
                self._answered += 1

    @property
    def answered(self) -> int:
        """How many items have their answer (kept as answers come: no walk over the items)."""
        return self._answered

    # ---- file --------------------------------------------------------------------------------------------
    def _open_file(self, *, create: bool) -> None:
        assert self.path is not None
        if create:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _BINARY, 0o600)
        else:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | _BINARY)
        handle = os.fdopen(fd, "ab")
        if not _try_lock(handle):
            handle.close()
            raise JournalBusy()
        self._file = handle

    def _append(self, record: dict[str, Any], *, sync: bool) -> None:
        assert self._aead is not None and self._file is not None
        nonce = os.urandom(_NONCE)
        blob = nonce + self._aead.encrypt(nonce, json.dumps(record).encode(), self.batch_id.encode())
        # A line cut by an earlier crash has no newline: start on a fresh line so this one stays whole.
        self._file.write(b"\n" + base64.b64encode(blob) + b"\n")
        self._file.flush()
        self._unsynced += 1
        if sync or self._unsynced >= _SYNC_EVERY:
            os.fsync(self._file.fileno())
            self._unsynced = 0

    def close(self) -> None:
        """Make what was recorded durable and release the lock (the file stays for a resume)."""
        with self._lock:
            if self._file is not None:
                try:
                    self._file.flush()
                    os.fsync(self._file.fileno())
                finally:
                    self._file.close()  # closing releases the OS lock
                    self._file = None

    def discard(self) -> None:
        """Forget the batch (finished and summarised, or abandoned by the user)."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _try_lock(handle: BinaryIO) -> bool:
    """An exclusive, non-blocking OS lock on the open journal; the OS releases it if the process dies."""
    try:
        if sys.platform == "win32":
            import msvcrt

            # Windows enforces byte locks against every handle, the reader's too: lock a byte far past the
            # end, which no read or append ever touches.
            handle.seek(_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def journal_place(credentials: CredentialStore, scope: str) -> tuple[Path, bytes | None]:
    """The folder of one account's journals (``scope``: server and user) and their key; the key is None
    without a secure keyring (then journals stay in memory). Blocking (keyring)."""
    key = credentials.cache_key(create=True)
    tag = hashlib.sha256(f"coffreo-desktop/diffusion/{scope}".encode()).hexdigest()[:24]
    folder = data_dir() / JOURNAL_FOLDER / tag
    return folder, None if key is None else derive_key(key, f"coffreo-desktop/diffusion/journal/{scope}")
