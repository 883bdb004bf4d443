"""Incremental synchronisation of the offline cache (F2.9): saved lists and cached files follow the server's
change feed; plus opening a document through the cache and pinning a whole result set.

Coroutines for the GUI's event loop; the cache's blocking calls go through ``run_blocking``
(``asyncio.to_thread`` by default, the GUI may pass its STORE lane).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from coffreo_desktop.client.document_cache import DocumentCache, SavedList
from coffreo_desktop.client.documents import Change, DocumentRow, DocumentsApi, SearchParams
from coffreo_desktop.client.errors import ApiError

log = logging.getLogger(__name__)

RunBlocking = Callable[..., Awaitable[Any]]
# Answers to a change token the server no longer knows (expired, foreign, or damaged): start over.
_TOKEN_REFUSED = frozenset({400, 409, 410, 422})
# The document is gone for this user (deleted, or its agency no longer visible).
_GONE = frozenset({404, 410})


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


@dataclass
class SyncReport:
    lists: int = 0  # saved lists brought up to date
    added: int = 0  # rows that entered a list
    updated: int = 0  # rows changed in place
    removed: int = 0  # rows that left a list (deleted, or no longer matching)
    refreshed: int = 0  # pinned files downloaded again because their content changed

    @property
    def summary(self) -> str:
        """One French line for the status bar."""
        parts = [
            _plural(self.added, "document ajouté", "documents ajoutés") if self.added else "",
            _plural(self.updated, "modifié", "modifiés") if self.updated else "",
            _plural(self.removed, "retiré", "retirés") if self.removed else "",
            _plural(self.refreshed, "fichier actualisé", "fichiers actualisés") if self.refreshed else "",
        ]
        done = [part for part in parts if part]
        if not done:
            return "Données hors ligne à jour : aucun changement."
        text = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " et " + done[-1]
        return f"Données hors ligne à jour : {text}."


async def changes_since(api: DocumentsApi, since: str | None) -> tuple[dict[int, Change], str]:
    """Every change after ``since`` (all pages), the latest per document, and the token reached."""
    changes: dict[int, Change] = {}
    token = since
    while True:
        page = await api.changes(token)
        for change in page.items:
            changes[change.id] = change
        if not page.more or page.next == token:
            return changes, page.next
        token = page.next


async def head_token(api: DocumentsApi) -> str:
    return (await api.changes(None)).next


def apply_changes(
    saved: SavedList, changes: Mapping[int, Change], today: date
) -> tuple[list[DocumentRow], SyncReport]:
    """The list after ``changes``: rows kept in their order, changed ones updated or moved, new matching
    ones inserted at their place, deleted and no longer matching ones (period passed too) removed."""
    report = SyncReport()
    params = saved.params
    current = {row.id: row for row in saved.rows}
    leaving: set[int] = set()  # removed, or moved to a new place
    in_place: dict[int, DocumentRow] = {}  # changed without changing place
    arriving: list[DocumentRow] = []  # new, or moved
    for change in changes.values():
        old = current.get(change.id)
        new = change.row
        if new is None or not params.matches(new, today):
            if old is not None:
                report.removed += 1
                leaving.add(change.id)
        elif old is None:
            report.added += 1
            arriving.append(new)
        elif old != new:
            report.updated += 1
            if params.sort_key(old) == params.sort_key(new):
                in_place[change.id] = new
            else:
                leaving.add(change.id)
                arriving.append(new)
    rows: list[DocumentRow] = []
    for row in saved.rows:
        if row.id in leaving:
            continue
        if row.id in in_place:
            rows.append(in_place[row.id])
        elif params.matches(row, today):
            rows.append(row)
        else:
            report.removed += 1  # out of the period now, with no change of its own
    # Both sides in the server's order: one merge places every arriving row (linear, however many).
    merged = heapq.merge(rows, params.sort_rows(arriving), key=params.sort_key, reverse=params.descending)
    return list(merged), report


def _diff(old: Iterable[DocumentRow], new: Iterable[DocumentRow]) -> SyncReport:
    before = {row.id: row for row in old}
    after = {row.id: row for row in new}
    return SyncReport(
        added=len(after.keys() - before.keys()),
        updated=sum(1 for key in after.keys() & before.keys() if after[key] != before[key]),
        removed=len(before.keys() - after.keys()),
    )


async def save_result_list(
    api: DocumentsApi,
    cache: DocumentCache,
    name: str,
    params: SearchParams,
    *,
    run_blocking: RunBlocking = asyncio.to_thread,
) -> SavedList:
    """Keep a whole result set offline as list ``name`` (its rows, not the files: see :func:`pin_rows`).

    The token is taken before the search, so changes made while paging are replayed at the next sync.
    """
    token = await head_token(api)
    rows = [row async for row in api.iterate(params)]
    await run_blocking(cache.save_list, name, params, rows, token)
    saved: SavedList | None = await run_blocking(cache.load_list, name)
    if saved is None:  # written a moment ago: only a disk failing under us gets here
        raise OSError("la liste hors ligne n'a pas pu être relue")
    return saved


async def _refresh_cached(
    api: DocumentsApi, cache: DocumentCache, changes: Mapping[int, Change], run_blocking: RunBlocking
) -> int:
    """Cached files after ``changes``: deleted ones removed, pinned ones whose content changed downloaded
    again (revalidated by ETag), unpinned stale ones dropped (fetched again when opened). Files refreshed."""
    cached: set[int] = await run_blocking(cache.cached_ids)
    refreshed = 0
    for document_id in sorted(cached & changes.keys()):
        row = changes[document_id].row
        if row is None:
            await run_blocking(cache.remove, document_id)
            continue
        held: str | None = await run_blocking(cache.content_sha256, document_id)
        if held is not None and row.sha256 == held:
            await run_blocking(cache.update_row, row)
            continue
        if not await run_blocking(cache.is_pinned, document_id):
            await run_blocking(cache.remove, document_id)
            continue
        try:
            data = await api.download(document_id, etag=held)
        except ApiError as exc:
            if exc.status not in _GONE:
                raise
            await run_blocking(cache.remove, document_id)
            continue
        if data is None:
            await run_blocking(cache.update_row, row)
        else:
            await run_blocking(cache.put, row, data, pinned=True)
            refreshed += 1
    return refreshed


async def _revalidate(
    api: DocumentsApi, cache: DocumentCache, ids: Iterable[int], run_blocking: RunBlocking
) -> int:
    """Ask the server whether each cached file is still current (304), download it otherwise."""
    refreshed = 0
    for document_id in sorted(ids):
        held: str | None = await run_blocking(cache.content_sha256, document_id)
        try:
            data = await api.download(document_id, etag=held)
            if data is None:
                continue
            row = await api.describe(document_id)
        except ApiError as exc:
            if exc.status not in _GONE:
                raise
            await run_blocking(cache.remove, document_id)
            continue
        await run_blocking(cache.put, row, data, pinned=True)
        refreshed += 1
    return refreshed


async def synchronise(
    api: DocumentsApi,
    cache: DocumentCache,
    *,
    today: date,
    skip: Collection[str] = (),
    run_blocking: RunBlocking = asyncio.to_thread,
) -> SyncReport:
    """Bring every saved list and the cached files up to date with what changed on the server.

    ``today`` is the day in Paris (the periods count in the users' days). Lists named in ``skip`` are left
    alone: a list holding only the first rows of a search (the desktop's "dernière recherche") cannot
    take changes in (a new row may belong after its last row), its owner searches again instead.
    Raises ApiError (e.g. ServerUnreachable) when the server cannot be asked; saved lists stay consistent.
    """
    report = SyncReport()
    feeds: dict[str, tuple[dict[int, Change], str]] = {}  # one fetch per distinct token
    seen: dict[int, Change] = {}

    async def feed(token: str) -> tuple[dict[int, Change], str] | None:
        if token not in feeds:
            try:
                feeds[token] = await changes_since(api, token)
            except ApiError as exc:
                if exc.status not in _TOKEN_REFUSED:
                    raise
                log.info("Jeton de synchronisation refusé (%s) : nouvelle lecture complète", exc.code)
                return None
            seen.update(feeds[token][0])
        return feeds[token]

    names: list[str] = await run_blocking(cache.list_names)
    for name in (n for n in names if n not in skip):
        saved: SavedList | None = await run_blocking(cache.load_list, name)
        if saved is None:
            continue
        fetched = await feed(saved.token) if saved.token is not None else None
        if fetched is None:
            token = await head_token(api)
            rows = [row async for row in api.iterate(saved.params)]
            counts = _diff(saved.rows, rows)
        else:
            changes, token = fetched
            rows, counts = apply_changes(saved, changes, today)
        await run_blocking(cache.save_list, name, saved.params, rows, token)
        report.lists += 1
        report.added += counts.added
        report.updated += counts.updated
        report.removed += counts.removed

    cache_token: str | None = await run_blocking(cache.sync_token)
    fetched = await feed(cache_token) if cache_token is not None else None
    if fetched is None:
        # Never synchronised (or the token was refused): revalidate every pinned file by its ETag.
        new_token = await head_token(api)
        pinned: set[int] = await run_blocking(cache.pinned_ids)
        report.refreshed += await _revalidate(api, cache, pinned - seen.keys(), run_blocking)
    else:
        new_token = fetched[1]
    report.refreshed += await _refresh_cached(api, cache, seen, run_blocking)
    await run_blocking(cache.set_sync_token, new_token)
    await run_blocking(cache.evict)
    log.info(
        "Synchronisation : %d listes, +%d ~%d -%d, %d fichiers",
        report.lists,
        report.added,
        report.updated,
        report.removed,
        report.refreshed,
    )
    return report


async def fetch_for_viewing(
    api: DocumentsApi,
    cache: DocumentCache | None,
    row: DocumentRow,
    *,
    run_blocking: RunBlocking = asyncio.to_thread,
) -> bytes:
    """The PDF of ``row`` for the viewer: from the cache when its content is current (no network),
    otherwise downloaded and kept. A document deleted meanwhile raises the server's 410 (French detail)."""
    if cache is not None:
        data: bytes | None = await run_blocking(cache.get, row.id, row.sha256 or None)
        if data is not None:
            return data
    try:
        downloaded = await api.download(row.id)
    except ApiError as exc:
        if cache is not None and exc.status in _GONE:
            await run_blocking(cache.remove, row.id)
        raise
    if downloaded is None:  # no ETag was sent: only a misbehaving proxy answers 304
        raise ApiError(502, "invalid_response", "Le serveur n'a pas envoyé le document : réessayez.")
    if cache is not None:
        try:
            await run_blocking(cache.put, row, downloaded)
            await run_blocking(cache.evict)
        except OSError as exc:  # a full disk costs the offline copy, not the viewing
            log.warning("Document %s non conservé hors ligne (%s)", row.id, type(exc).__name__)
    return downloaded


async def pin_rows(
    api: DocumentsApi,
    cache: DocumentCache,
    rows: list[DocumentRow],
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    run_blocking: RunBlocking = asyncio.to_thread,
) -> int:
    """Make ``rows`` "Disponible hors ligne": files already cached and current are only pinned, the
    others downloaded. Stops between two files when ``should_cancel()``; returns how many are pinned."""
    pinned = 0
    for done, row in enumerate(rows, start=1):
        if should_cancel is not None and should_cancel():
            break
        held: str | None = await run_blocking(cache.content_sha256, row.id)
        if held is not None and row.sha256 == held:
            await run_blocking(cache.pin, row.id)
            pinned += 1
        else:
            try:
                data = await api.download(row.id, etag=held)
            except ApiError as exc:
                if exc.status not in _GONE:
                    raise
                await run_blocking(cache.remove, row.id)  # deleted meanwhile: nothing to keep
                data = b""
            if data is None:
                await run_blocking(cache.update_row, row)
                await run_blocking(cache.pin, row.id)
                pinned += 1
            elif data:
                await run_blocking(cache.put, row, data, pinned=True)
                pinned += 1
        if progress is not None:
            progress(done, len(rows))
    await run_blocking(cache.evict)
    return pinned
