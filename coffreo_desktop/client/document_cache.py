"""The encrypted offline cache of documents and saved result lists (F2.9), on top of EncryptedStore.

Layout, all under offline_dir()/"documents", every file AES-GCM encrypted and named opaquely:
``m-<hmac(id)>`` a document's metadata (its row, content SHA-256, size, pinned, last opened),
``d-<hmac(id, sha)>`` its PDF, ``l-<hmac(list name)>`` a saved list's header (name, search, token) and
``r-<random>`` that list's rows. Names are HMACs under a key derived from the keyring's cache key, so the
folder tells neither which documents nor which people it holds; only the number and sizes of files show.

Two instances of the app may share the folder. There is no lock file: every entry is written whole
(temp file + fsync + replace), so a reader sees the old version or the new one, never a mix, and two
writers of one entry end with the last one's (a valid state either way). Entries point to others by
names that never change meaning — a content name includes its SHA-256, a rows name is random — so a
header or a metadata entry always points to complete data; what a race leaves unreferenced is swept by
:meth:`DocumentCache.evict`. Every method blocks (disk, decryption): the GUI calls them off the UI thread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.documents import DocumentRow, SearchParams
from coffreo_desktop.client.json_fields import format_datetime, parse_datetime
from coffreo_desktop.client.offline_store import EncryptedStore, derive_key, offline_dir

log = logging.getLogger(__name__)

DOCUMENTS_FOLDER = "documents"
#: The default cap of :meth:`DocumentCache.evict`: pinned documents stay even beyond it.
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
#: What the GUI says when :meth:`DocumentCache.open` returns None.
NO_KEYRING_MESSAGE = (
    "Le cache hors ligne est désactivé : aucun trousseau sécurisé n'est disponible sur ce poste pour "
    "protéger sa clé. Les documents ne seront pas consultables sans connexion."
)
# A file unreferenced for this long is an orphan, not a write of another instance still under way.
ORPHAN_AGE_NS = 120 * 1_000_000_000
_STATE = "etat-synchronisation"


@dataclass(frozen=True)
class SavedList:
    """A result list kept for offline use, with the change-feed token it is up to date with."""

    name: str
    params: SearchParams
    rows: list[DocumentRow]
    token: str | None
    saved_at: datetime


@dataclass(frozen=True)
class _Meta:
    row: DocumentRow
    sha256: str  # of the cached content (what get() checks)
    size: int
    content: str  # entry name of the content
    pinned: bool
    opened_at: float  # time.time() of the last opening, for eviction

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row.to_json(),
            "sha256": self.sha256,
            "size": self.size,
            "content": self.content,
            "pinned": self.pinned,
            "opened_at": self.opened_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Meta:
        return cls(
            DocumentRow.from_json(data["row"]),
            str(data["sha256"]),
            int(data["size"]),
            str(data["content"]),
            bool(data["pinned"]),
            float(data["opened_at"]),
        )


class DocumentCache:
    """Cached PDFs (opened or pinned "Disponible hors ligne") and saved lists, encrypted at rest."""

    def __init__(
        self, folder: Path, key: bytes, *, scope: str = "", max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        if scope:  # one server account's cache cannot read another's, even with the same keyring key
            key = derive_key(key, f"coffreo-desktop/documents/compte/{scope}")
        self._store = EncryptedStore(folder, derive_key(key, "coffreo-desktop/documents/contenu"))
        self._name_key = derive_key(key, "coffreo-desktop/documents/noms")
        # Decrypted metadata by entry name, valid while the file keeps its (inode, mtime, size).
        self._metas: dict[str, tuple[tuple[int, int, int], _Meta]] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, credentials: CredentialStore, *, scope: str = "", create: bool = True
    ) -> DocumentCache | None:
        """The cache of one account (``scope``: the server and the user, e.g. "serveur-demo|12"): two
        users of one workstation, or one user on two servers, never see each other's documents or lists.
        None without a secure keyring (or without a key yet and ``create`` off)."""
        key = credentials.cache_key(create=create)
        if key is None:
            return None
        parent = offline_dir()
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(parent, 0o700)  # mkdir's mode is masked by the umask, and an older folder may be wider
        folder = parent / DOCUMENTS_FOLDER
        if scope:
            tag = hmac.new(
                derive_key(key, "coffreo-desktop/documents/comptes"), scope.encode(), hashlib.sha256
            )
            folder = folder / tag.hexdigest()[:32]
        return cls(folder, key, scope=scope)

    # ---- names -----------------------------------------------------------------------------------------
    def _hashed(self, kind: str, text: str) -> str:
        digest = hmac.new(self._name_key, f"{kind}:{text}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:32]}"

    def _meta_name(self, document_id: int) -> str:
        return self._hashed("m", str(document_id))

    def _content_name(self, document_id: int, sha256: str) -> str:
        return self._hashed("d", f"{document_id}:{sha256}")

    def _list_name(self, name: str) -> str:
        return self._hashed("l", name)

    # ---- metadata --------------------------------------------------------------------------------------
    def _load_meta(self, name: str) -> _Meta | None:
        data = self._store.get(name)
        if data is None:
            return None
        try:
            return _Meta.from_json(json.loads(data))
        except (ValueError, KeyError, TypeError):
            log.warning("Métadonnées illisibles dans le cache hors ligne (%s) : supprimées", name)
            self._store.delete(name)
            return None

    def _write_meta(self, meta: _Meta) -> None:
        self._store.put(self._meta_name(meta.row.id), json.dumps(meta.to_json()).encode())

    def _all_metas(self) -> dict[str, _Meta]:
        """Every document's metadata; only entries changed since the last call are decrypted again."""
        found: dict[str, _Meta] = {}
        with self._lock:
            known = dict(self._metas)
        fresh: dict[str, tuple[tuple[int, int, int], _Meta]] = {}
        for entry in self._store.entries("m-"):
            identity = (entry.inode, entry.mtime_ns, entry.size)
            cached = known.get(entry.name)
            meta = cached[1] if cached is not None and cached[0] == identity else self._load_meta(entry.name)
            if meta is not None:
                fresh[entry.name] = (identity, meta)
                found[entry.name] = meta
        with self._lock:
            self._metas = fresh
        return found

    def _drop(self, meta: _Meta) -> None:
        self._store.delete(self._meta_name(meta.row.id))
        self._store.delete(meta.content)

    # ---- documents -------------------------------------------------------------------------------------
    def get(self, document_id: int, sha256: str | None = None) -> bytes | None:
        """The cached PDF, or None. Content that fails its own SHA-256 is dropped; content that differs from
        the expected ``sha256`` (a newer version exists) answers None and is dropped unless pinned (the
        pinned copy stays until its new version is put). Offline, ask without ``sha256``."""
        meta = self._load_meta(self._meta_name(document_id))
        if meta is None:
            return None
        if sha256 and sha256 != meta.sha256:
            if meta.pinned:
                # A newer version exists: the pinned copy stays readable offline until the new one replaces
                # it (put keeps the pin).
                log.info("Document %s du cache hors ligne périmé : gardé (épinglé)", document_id)
                return None
            log.info("Document %s du cache hors ligne périmé : supprimé", document_id)
            self._drop(meta)
            return None
        data = self._store.get(meta.content)
        if data is None:
            # Another instance may have just replaced the document: its new metadata names new content.
            again = self._load_meta(self._meta_name(document_id))
            if again is not None and again.content != meta.content:
                meta, data = again, self._store.get(again.content)
        if data is None or hashlib.sha256(data).hexdigest() != meta.sha256:
            log.warning("Document %s du cache hors ligne altéré ou absent : supprimé", document_id)
            self._drop(meta)
            return None
        try:
            self._write_meta(replace(meta, opened_at=time.time()))
        except OSError as exc:  # a full or read-only disk must not keep the user from reading
            log.warning("Date d'ouverture non enregistrée (%s)", type(exc).__name__)
        return data

    def put(self, row: DocumentRow, data: bytes, *, pinned: bool = False) -> None:
        """Keep ``data`` as the PDF of ``row``. ``pinned`` pins it; False leaves an existing pin as is."""
        sha256 = hashlib.sha256(data).hexdigest()
        if row.sha256 and row.sha256 != sha256:
            log.info("Document %s : contenu plus récent que sa ligne", row.id)
        old = self._load_meta(self._meta_name(row.id))
        content = self._content_name(row.id, sha256)
        self._store.put(content, data)
        keep_pin = pinned or (old is not None and old.pinned)
        self._write_meta(_Meta(row, sha256, len(data), content, keep_pin, time.time()))
        if old is not None and old.content != content:
            self._store.delete(old.content)

    def pin(self, document_id: int, pinned: bool = True) -> bool:
        """Pin ("Disponible hors ligne") or unpin a cached document; False when it is not cached."""
        meta = self._load_meta(self._meta_name(document_id))
        if meta is None:
            return False
        if meta.pinned != pinned:
            self._write_meta(replace(meta, pinned=pinned))
        return True

    def is_pinned(self, document_id: int) -> bool:
        meta = self._load_meta(self._meta_name(document_id))
        return meta is not None and meta.pinned

    def pinned_ids(self) -> set[int]:
        return {meta.row.id for meta in self._all_metas().values() if meta.pinned}

    def cached_ids(self) -> set[int]:
        return {meta.row.id for meta in self._all_metas().values()}

    def row(self, document_id: int) -> DocumentRow | None:
        """The row a cached document was stored with (to show it offline), or None."""
        meta = self._load_meta(self._meta_name(document_id))
        return None if meta is None else meta.row

    def content_sha256(self, document_id: int) -> str | None:
        """The SHA-256 of the cached content (the ETag to revalidate it with), or None."""
        meta = self._load_meta(self._meta_name(document_id))
        return None if meta is None else meta.sha256

    def update_row(self, row: DocumentRow) -> bool:
        """Refresh the stored row of a cached document (its content unchanged); False if not cached."""
        meta = self._load_meta(self._meta_name(row.id))
        if meta is None:
            return False
        if meta.row != row:
            self._write_meta(replace(meta, row=row))
        return True

    def remove(self, document_id: int) -> None:
        name = self._meta_name(document_id)
        meta = self._load_meta(name)
        if meta is not None:
            self._store.delete(meta.content)
        self._store.delete(name)

    def size_bytes(self) -> int:
        return sum(entry.size for entry in self._store.entries())

    def evict(self, max_bytes: int | None = None) -> int:
        """Remove orphans, then the least recently opened unpinned documents until the cache holds at
        most ``max_bytes`` (default :attr:`max_bytes`); returns the bytes freed. Pinned ones always stay."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        metas = self._all_metas()
        freed = self._sweep_orphans(metas)
        total = self.size_bytes()
        sizes = {entry.name: entry.size for entry in self._store.entries()}
        for name, meta in sorted(metas.items(), key=lambda item: item[1].opened_at):
            if total <= limit:
                break
            if meta.pinned:
                continue
            size = sizes.get(name, 0) + sizes.get(meta.content, 0)
            self._drop(meta)
            total -= size
            freed += size
        return freed

    def _sweep_orphans(self, metas: dict[str, _Meta]) -> int:
        referenced = {meta.content for meta in metas.values()}
        referenced |= {header["rows"] for header in self._headers().values()}
        old = time.time_ns() - ORPHAN_AGE_NS
        freed = 0
        for entry in self._store.entries():
            if entry.name[:2] in ("d-", "r-") and entry.name not in referenced and entry.mtime_ns < old:
                self._store.delete(entry.name)
                freed += entry.size
        return freed

    # ---- saved lists -----------------------------------------------------------------------------------
    def _headers(self) -> dict[str, dict[str, Any]]:
        headers: dict[str, dict[str, Any]] = {}
        for entry in self._store.entries("l-"):
            data = self._store.get(entry.name)
            if data is None:
                continue
            try:
                header = json.loads(data)
                if isinstance(header.get("name"), str) and isinstance(header.get("rows"), str):
                    headers[entry.name] = header
                    continue
            except (ValueError, AttributeError):
                pass
            log.warning("Liste hors ligne illisible (%s) : supprimée", entry.name)
            self._store.delete(entry.name)
        return headers

    def save_list(self, name: str, params: SearchParams, rows: list[DocumentRow], token: str | None) -> None:
        """Keep (or replace) the list ``name``: its search, every row, the change token it matches."""
        if not name.strip():
            raise ValueError("Donnez un nom à la liste à conserver hors ligne.")
        rows_name = "r-" + secrets.token_hex(16)
        payload = json.dumps([row.to_json() for row in rows], separators=(",", ":")).encode()
        self._store.put(rows_name, zlib.compress(payload, 6))
        header_name = self._list_name(name)
        previous = self._store.get(header_name)
        header = {
            "name": name,
            "params": params.to_json(),
            "token": token,
            "saved_at": format_datetime(datetime.now(UTC)),
            "count": len(rows),
            "rows": rows_name,
        }
        self._store.put(header_name, json.dumps(header).encode())
        if previous is not None:
            try:
                old_rows = json.loads(previous).get("rows")
            except (ValueError, AttributeError):
                old_rows = None
            if isinstance(old_rows, str) and old_rows != rows_name:
                self._store.delete(old_rows)

    def load_list(self, name: str) -> SavedList | None:
        """The saved list, or None (never saved, or unreadable: then it is removed)."""
        header_name = self._list_name(name)
        data = self._store.get(header_name)
        for _attempt in range(3):
            if data is None:
                return None
            try:
                return self._read_list(data)
            except (ValueError, KeyError, TypeError, zlib.error):
                # Another instance may have just saved the list again (new header, its old rows deleted):
                # read the new header rather than removing a list that is fine.
                again = self._store.get(header_name)
                if again == data:
                    break
                data = again
        log.warning("Liste hors ligne illisible (%s) : supprimée", header_name)
        if self._store.get(header_name) == data:
            self._store.delete(header_name)
        return None

    def _read_list(self, data: bytes) -> SavedList:
        header = json.loads(data)
        packed = self._store.get(str(header["rows"]))
        if packed is None:
            raise ValueError("lignes absentes")
        rows = [DocumentRow.from_json(item) for item in json.loads(zlib.decompress(packed))]
        token = header.get("token")
        return SavedList(
            str(header["name"]),
            SearchParams.from_json(header["params"]),
            rows,
            token if isinstance(token, str) else None,
            parse_datetime(str(header["saved_at"])),
        )

    def list_names(self) -> list[str]:
        return sorted((str(h["name"]) for h in self._headers().values()), key=str.casefold)

    def delete_list(self, name: str) -> None:
        header_name = self._list_name(name)
        data = self._store.get(header_name)
        self._store.delete(header_name)
        if data is not None:
            try:
                rows = json.loads(data).get("rows")
            except (ValueError, AttributeError):
                rows = None
            if isinstance(rows, str):
                self._store.delete(rows)

    # ---- synchronisation state of the cached files ----------------------------------------------------
    def sync_token(self) -> str | None:
        """The change-feed token the cached documents are up to date with (None: never synchronised)."""
        data = self._store.get(_STATE)
        if data is None:
            return None
        try:
            token = json.loads(data).get("token")
        except (ValueError, AttributeError):
            return None
        return token if isinstance(token, str) else None

    def set_sync_token(self, token: str) -> None:
        self._store.put(_STATE, json.dumps({"token": token}).encode())

    def clear(self) -> None:
        """Forget every document and list (at logout, or when the user empties the cache)."""
        self._store.clear()
        with self._lock:
            self._metas.clear()
