"""Sending a Diffusion libre batch (F3.8–F3.9): a persistent journal, resumable and exactly-once.

Every file of a batch is a :class:`SendItem` with its idempotency key (content, recipient, type). The
batch is written to a :class:`SendJournal` before the first upload, and each answer is appended as it
arrives. Killed, closed or cut off, the app finds the unfinished journal at its next start and sends
the rest again: an item that reached the server before the crash but whose answer was lost is sent
again with the same key, and the server answers its first result without delivering twice.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.diffusion_journal import (
    ItemOutcome,
    ItemState,
    JournalBusy,
    SendItem,
    SendJournal,
)
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.domain.exports import CSV_DELIMITER, CSV_ENCODING, CSV_LINE_END, safe_cell
from coffreo_desktop.domain.limits import DISPLAY_TZ

__all__ = [
    "ItemOutcome",
    "ItemState",
    "JournalBusy",
    "SendItem",
    "SendJournal",
    "SendProgress",
    "SendReport",
    "StopReason",
    "send_batch",
    "write_summary_csv",
]

# ---- sending -----------------------------------------------------------------------------------------------
RunBlocking = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class SendProgress:
    """Where the batch stands after an event: ``item`` (its key) just changed to ``state``; ``waiting`` is
    a French message while the connection is lost and the sender waits to try again (else "")."""

    done: int
    total: int
    item: str | None
    state: ItemState | None
    sending: frozenset[str]
    waiting: str = ""


class StopReason(StrEnum):
    FINISHED = "finished"  # every item answered
    CANCELLED = "cancelled"  # the user stopped: the rest can be resumed
    INTERRUPTED = "interrupted"  # the connection or the session was lost for good: the rest can be resumed


@dataclass(frozen=True, slots=True)
class SendReport:
    reason: StopReason
    detail: str = ""  # French, for CANCELLED / INTERRUPTED

    @property
    def finished(self) -> bool:
        return self.reason is StopReason.FINISHED


#: Waits between attempts when the server cannot be reached or is overloaded (seconds).
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
#: A file the server keeps failing on (5xx) is refused on its own, unless this many fail in a row: then
#: the server itself is failing and the batch stops, resumable.
FAILING_IN_A_ROW = 3
#: The detail of a pending outcome recorded just before an upload: the answer may have been lost.
ATTEMPTED = "envoi commencé"
FILE_CHANGED = "« {name} » a changé depuis sa vérification : ajoutez-le de nouveau pour l'envoyer."
FILE_MISSING = "« {name} » est introuvable (déplacé ou supprimé) : il n'a pas pu être envoyé."
MAYBE_SENT = (
    " Son envoi avait commencé avant l'interruption : vérifiez dans « Recherche de documents » "
    "s'il a été reçu."
)
SERVER_FAILED = "Le serveur n'a pas pu traiter ce fichier ({detail}) : renvoyez-le plus tard."


def _transient(error: ApiError) -> bool:
    """Worth trying again later: no answer, the server busy or failing, the request timed out, or the
    same key being handled by another request right now (its answer will be a replay)."""
    if error.code == "idempotency_conflict":
        return True
    return error.status == 0 or error.status in (408, 425, 429) or error.status >= 500


def _read_item(item: SendItem) -> bytes | str:
    """The file's bytes, or a French refusal when it is gone or no longer what was checked."""
    try:
        data = Path(item.path).read_bytes()
    except OSError:
        return FILE_MISSING.format(name=item.file_name)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        return FILE_CHANGED.format(name=item.file_name)
    return data


async def send_batch(
    api: DiffusionApi,
    journal: SendJournal,
    *,
    on_progress: Callable[[SendProgress], None] | None = None,
    cancelled: asyncio.Event | None = None,
    concurrency: int = 3,
    run_blocking: RunBlocking = asyncio.to_thread,
    retry_delays: tuple[float, ...] = RETRY_DELAYS,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SendReport:
    """Send every pending item of ``journal`` (a few at a time) and record each answer in it.

    Refusals (rights, PDF, unknown recipient…) are recorded and the batch goes on. A lost connection or
    an overloaded server is tried again after :data:`RETRY_DELAYS`; past the last delay, or when the
    session has expired, the batch stops INTERRUPTED with the rest pending (a file the server alone keeps
    failing on is refused by itself). ``cancelled`` stops it CANCELLED: uploads under way are abandoned
    and stay pending (a resume sends them with the same key, so one that reached the server is not
    delivered twice). Every journal write has ended when this returns: the journal may then be closed.
    """
    cancelled = cancelled or asyncio.Event()
    pending = journal.remaining()
    total = len(journal.items)
    sending: set[str] = set()
    writes: set[asyncio.Future[Any]] = set()
    stop: SendReport | None = None
    waiting = ""
    failing_in_a_row = 0

    def report(item: str | None, state: ItemState | None) -> None:
        if on_progress is not None:
            on_progress(SendProgress(journal.answered, total, item, state, frozenset(sending), waiting))

    async def record(outcome: ItemOutcome) -> None:
        # Shielded: a cancel must not leave the write running after the journal is closed.
        write = asyncio.ensure_future(run_blocking(journal.record, outcome))
        writes.add(write)
        await asyncio.shield(write)

    async def refuse(item: SendItem, detail: str, *, local: bool = False) -> None:
        if local and journal.outcome(item.key).detail == ATTEMPTED:
            detail += MAYBE_SENT  # the answer to an upload before the interruption was never recorded
        await record(ItemOutcome(item.key, ItemState.REFUSED, detail, at=now()))
        report(item.key, ItemState.REFUSED)

    async def send_one(item: SendItem) -> None:
        nonlocal stop, waiting, failing_in_a_row
        read = await run_blocking(_read_item, item)
        if isinstance(read, str):
            await refuse(item, read, local=True)
            return
        if journal.persistent and journal.outcome(item.key).detail != ATTEMPTED:
            await record(ItemOutcome(item.key, ItemState.PENDING, ATTEMPTED, at=now()))
        attempt = 0
        while True:
            try:
                sent = await api.send_document(
                    journal.agency_id,
                    recipient_id=item.recipient_id,
                    protection=item.protection,
                    title=item.title,
                    file_name=item.file_name,
                    data=read,
                    idempotency_key=item.key,
                )
            except SessionExpired as exc:
                stop = stop or SendReport(StopReason.INTERRUPTED, str(exc))
                return
            except ApiError as exc:
                if not _transient(exc):
                    await refuse(item, exc.detail)
                    return
                if attempt >= len(retry_delays):
                    if exc.status >= 500 and failing_in_a_row + 1 < FAILING_IN_A_ROW:
                        failing_in_a_row += 1
                        waiting = ""
                        await refuse(item, SERVER_FAILED.format(detail=exc.detail.rstrip(". ")))
                    else:
                        stop = stop or SendReport(StopReason.INTERRUPTED, exc.detail)
                    return
                delay = max(retry_delays[attempt], exc.retry_after or 0.0)
                attempt += 1
                waiting = f"{exc.detail} Nouvel essai dans {delay:.0f} s…"
                report(item.key, None)
                await asyncio.sleep(delay)
                if stop is not None or cancelled.is_set():
                    return
                continue
            waiting = ""
            failing_in_a_row = 0
            state = ItemState.ALREADY_SENT if sent.replayed else ItemState.SENT
            await record(ItemOutcome(item.key, state, " ".join(sent.warnings), sent.document.id, now()))
            report(item.key, state)
            return

    async def worker(queue: asyncio.Queue[SendItem]) -> None:
        while stop is None and not cancelled.is_set():
            try:
                item = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            sending.add(item.key)
            report(item.key, ItemState.PENDING)
            try:
                await send_one(item)
            finally:
                sending.discard(item.key)

    queue: asyncio.Queue[SendItem] = asyncio.Queue()
    for item in pending:
        queue.put_nowait(item)
    workers = [asyncio.ensure_future(worker(queue)) for _ in range(max(1, min(concurrency, len(pending))))]

    async def watch_cancel() -> None:
        await cancelled.wait()
        for task in workers:
            task.cancel()  # uploads under way are abandoned: they stay pending

    watcher = asyncio.ensure_future(watch_cancel())
    try:
        results = await asyncio.gather(*workers, return_exceptions=True)
    finally:
        watcher.cancel()
        # The answers being written when a cancel came: wait for them (the caller closes the journal next).
        await asyncio.gather(*writes, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
    left = total - journal.answered
    if cancelled.is_set() and left:
        return SendReport(StopReason.CANCELLED, f"Envoi arrêté : {left} document(s) restent à envoyer.")
    if stop is not None:
        return stop
    if left:
        return SendReport(StopReason.INTERRUPTED, "L'envoi s'est arrêté avant la fin.")
    return SendReport(StopReason.FINISHED)


# ---- the summary ---------------------------------------------------------------------------------------
STATE_LABELS: dict[ItemState, str] = {
    ItemState.PENDING: "Non envoyé",
    ItemState.SENT: "Envoyé",
    ItemState.ALREADY_SENT: "Déjà envoyé (pas de doublon)",
    ItemState.REFUSED: "Refusé",
}
SUMMARY_HEADER = ["Fichier", "Destinataire", "Type", "Titre", "Résultat", "Détail", "N° du document", "Date"]


def summary_rows(journal: SendJournal) -> list[list[str]]:
    """One row per item of the batch, in its order: what the summary table and its CSV show."""
    rows = []
    for item in journal.items:
        outcome = journal.outcome(item.key)
        at = (
            ""
            if outcome.at is None
            else outcome.at.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y %H:%M")
        )
        rows.append(
            [
                item.file_name,
                item.recipient_label,
                item.protection.label,
                item.title,
                STATE_LABELS[outcome.state],
                outcome.detail,
                "" if outcome.document_id is None else str(outcome.document_id),
                at,
            ]
        )
    return rows


def write_summary_csv(journal: SendJournal, path: Path) -> None:
    """The summary as a CSV file for a spreadsheet (UTF-8 with BOM, ";"), written whole or not at all."""
    temp = path.with_name(f".{path.name}.partiel")
    try:
        with temp.open("w", encoding=CSV_ENCODING, newline="") as out:
            writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)
            writer.writerow(SUMMARY_HEADER)
            writer.writerows([safe_cell(cell) for cell in row] for row in summary_rows(journal))
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
