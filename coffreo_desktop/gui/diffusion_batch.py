"""The state behind the Diffusion libre page (F3.5–F3.9), without Qt: the files added, what was read in
their names, the recipients they go to, the user's edits (type, title), removals with undo, and the rows
the table shows, rebuilt from all of it with :func:`client.diffusion_plan.plan`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coffreo_desktop.client.diffusion import Recipient
from coffreo_desktop.client.diffusion_plan import (
    FileCheck,
    RowStatus,
    idempotency_key,
    match_matricule,
    plan,
)
from coffreo_desktop.client.diffusion_send import SendItem
from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.domain.nir import contains_nir

#: A row is one file for one recipient (None: no recipient yet, or a refused file).
RowKey = tuple[Path, int | None]
#: The longest title the server takes (server/services/diffusion.py MAX_TITLE).
MAX_TITLE = 200
UNDO_DEPTH = 20


def default_title(file_name: str) -> str:
    """The title a document gets unless renamed: its file name without ".pdf"."""
    return file_name[:-4] if file_name.lower().endswith(".pdf") else file_name


def title_problem(text: str) -> str | None:
    """Why ``text`` cannot be a document's title (French), or None. The server checks again."""
    title = " ".join(text.split())
    if not title:
        return "Le titre ne peut pas être vide."
    if len(title) > MAX_TITLE:
        return f"Le titre compte au plus {MAX_TITLE} caractères."
    if contains_nir(title):
        return "Le titre ne doit pas contenir de numéro de sécurité sociale : retirez-le."
    return None


@dataclass
class FileEntry:
    """A file added to the batch, checked once; ``assigned``: recipients chosen for it by hand."""

    path: Path
    check: FileCheck
    assigned: tuple[Recipient, ...] = ()
    excluded: frozenset[int] = frozenset()  # recipients removed from this file's rows


@dataclass(frozen=True)
class DiffusionRow:
    """One line of the table: a file for a recipient, with its type and title."""

    path: Path
    check: FileCheck  # as plan() sees it: a second copy of a content is refused there
    status: RowStatus
    recipient: Recipient | None
    protection: Protection
    title: str
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> RowKey:
        return (self.path, self.recipient.id if self.recipient is not None else None)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def send_key(self) -> str:
        """The idempotency key the send uses: content, recipient and type."""
        recipient = str(self.recipient.id) if self.recipient is not None else ""
        return idempotency_key(self.check.sha256, recipient, self.protection.value)

    def send_item(self) -> SendItem:
        assert self.recipient is not None and self.status is RowStatus.READY
        return SendItem(
            key=self.send_key,
            path=str(self.path),
            file_name=self.file_name,
            sha256=self.check.sha256,
            size=self.check.size,
            recipient_id=self.recipient.id,
            recipient_label=self.recipient.label,
            protection=self.protection,
            title=self.title,
        )


@dataclass
class _Snapshot:
    files: dict[Path, FileEntry]
    titles: dict[RowKey, str]
    protections: dict[RowKey, Protection]


@dataclass
class DiffusionBatch:
    """Everything the user put together for one issuer; :meth:`rows` is what the table shows."""

    pattern: str = DEFAULT_MATRICULE_PATTERN
    files: dict[Path, FileEntry] = field(default_factory=dict)  # in the order they were added
    known: dict[str, Recipient | None] = field(default_factory=dict)  # matricule → recipient (None: unknown)
    chosen: list[Recipient] = field(default_factory=list)  # "Destinataires choisis"
    allowed: frozenset[Protection] = frozenset(Protection)
    titles: dict[RowKey, str] = field(default_factory=dict)
    protections: dict[RowKey, Protection] = field(default_factory=dict)
    _undo: list[_Snapshot] = field(default_factory=list)

    # ---- adding --------------------------------------------------------------------------------------
    def new_paths(self, paths: Iterable[Path]) -> list[Path]:
        """``paths`` not in the batch yet, each once: the same path dropped twice is ignored."""
        return [p for p in dict.fromkeys(paths) if p not in self.files]

    def add_checks(self, checks: Mapping[Path, FileCheck]) -> None:
        for path, check in checks.items():
            if path not in self.files:
                self.files[path] = FileEntry(path, check)

    def matricules_in(self, names: Iterable[str]) -> list[str]:
        """Matricules read in ``names`` that were not looked up yet for this issuer, each once."""
        found = (match_matricule(name, self.pattern) for name in names)
        return [m for m in dict.fromkeys(found) if m is not None and m not in self.known]

    def unknown_matricules(self) -> list[str]:
        """Matricules of the batch's acceptable files that were not looked up yet for this issuer."""
        return self.matricules_in(path.name for path, entry in self.files.items() if entry.check.ok)

    def learn(self, matricules: Iterable[str], found: Mapping[str, Recipient]) -> None:
        for matricule in matricules:
            self.known[matricule] = found.get(matricule)

    def change_issuer(self, allowed: frozenset[Protection]) -> None:
        """Recipients belong to an agency: another issuer forgets them and every choice made for one."""
        self.known.clear()
        self.chosen.clear()
        self.allowed = allowed
        self.titles = {(path, None): title for (path, _), title in self.titles.items()}
        self.protections = {k: p for k, p in self.protections.items() if k[1] is None and p in allowed}
        for entry in self.files.values():
            entry.assigned, entry.excluded = (), frozenset()

    @property
    def default_protection(self) -> Protection:
        """The first type the user may send from this issuer."""
        return next((p for p in Protection if p in self.allowed), Protection.SIMPLE)

    # ---- rows ----------------------------------------------------------------------------------------
    def rows(self) -> list[DiffusionRow]:
        """The table's rows, in the order the files were added (the model groups them)."""
        matched = {m: str(r.id) for m, r in self.known.items() if r is not None}
        by_id = {str(r.id): r for r in self.known.values() if r is not None}
        checks = {path: entry.check for path, entry in self.files.items()}
        planned = {row.check.path: row for row in plan(list(self.files), matched, self.pattern, checks)}
        rows: list[DiffusionRow] = []
        for path, entry in self.files.items():
            row = planned[path]
            if row.status is RowStatus.REFUSED:
                rows.append(self._row(row.check, RowStatus.REFUSED, None, row.warnings))
                continue
            if row.status is RowStatus.READY and row.recipient_id is not None:
                recipients: Sequence[Recipient] = (by_id[row.recipient_id],)
            else:
                recipients = entry.assigned or self.chosen
            if not recipients:
                rows.append(self._row(row.check, RowStatus.UNMATCHED, None, row.warnings))
                continue
            for recipient in recipients:
                if recipient.id not in entry.excluded:
                    rows.append(self._row(row.check, RowStatus.READY, recipient, row.warnings))
        return rows

    def _row(
        self, check: FileCheck, status: RowStatus, recipient: Recipient | None, warnings: tuple[str, ...]
    ) -> DiffusionRow:
        key: RowKey = (check.path, recipient.id if recipient is not None else None)
        title = self.titles.get(key) or self.titles.get((check.path, None)) or default_title(check.path.name)
        protection = self.protections.get(key) or self.protections.get((check.path, None))
        if protection not in self.allowed:
            protection = self.default_protection
        return DiffusionRow(check.path, check, status, recipient, protection, title, warnings)

    # ---- edits ---------------------------------------------------------------------------------------
    def set_title(self, key: RowKey, title: str) -> str | None:
        """Rename a document; returns the French reason when the title is refused (nothing changes)."""
        problem = title_problem(title)
        if problem is None:
            self.titles[key] = " ".join(title.split())
        return problem

    def set_protection(self, keys: Iterable[RowKey], protection: Protection) -> int:
        """Set the type of the rows ``keys``; a type the user lacks the right for is refused (0 rows)."""
        if protection not in self.allowed:
            return 0
        count = 0
        for key in keys:
            self.protections[key] = protection
            count += 1
        return count

    def assign(self, paths: Iterable[Path], recipient: Recipient) -> None:
        """Send the files ``paths`` (unmatched ones) to ``recipient``."""
        self._save()
        for path in paths:
            entry = self.files.get(path)
            if entry is not None:
                entry.assigned, entry.excluded = (recipient,), frozenset()

    def remove(self, keys: Iterable[RowKey]) -> int:
        """Take rows out of the batch (a file whose last row goes is forgotten); :meth:`undo` brings
        them back. Returns how many rows went."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return 0
        self._save()
        shown = {row.key for row in self.rows()}
        removed = 0
        for path, recipient_id in keys:
            entry = self.files.get(path)
            if entry is None or (path, recipient_id) not in shown:
                continue
            removed += 1
            if recipient_id is None:  # a file without recipient, or refused: the file itself goes
                del self.files[path]
            else:
                entry.excluded = entry.excluded | {recipient_id}
        remaining = {row.path for row in self.rows()}
        for path, _ in keys:
            if path not in remaining:
                self.files.pop(path, None)
        return removed

    def forget_sent(self, send_keys: set[str]) -> int:
        """After a send: the rows whose idempotency key is in ``send_keys`` leave the batch for good."""
        sent = [row.key for row in self.rows() if row.recipient is not None and row.send_key in send_keys]
        if not sent:
            return 0
        count = self.remove(sent)
        self._undo.clear()  # a delivered document must not come back into the batch with an undo
        return count

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        snapshot = self._undo.pop()
        self.files, self.titles, self.protections = snapshot.files, snapshot.titles, snapshot.protections
        return True

    def clear(self) -> None:
        self._save()
        self.files = {}

    def _save(self) -> None:
        files = {path: dataclasses.replace(entry) for path, entry in self.files.items()}
        self._undo.append(_Snapshot(files, dict(self.titles), dict(self.protections)))
        del self._undo[:-UNDO_DEPTH]
