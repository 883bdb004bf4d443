"""The content-addressed blob store (ARCHITECTURE.md "Data"): every document's bytes under
root/ab/cd/<sha256>, written to a temporary file, fsynced, renamed; verified when read."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, cast

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 256 * 1024
_FILE_MODE = 0o600
_DIR_MODE = 0o700
#: Temporary files of uploads whose hash is not known yet; on the same file system as the shards,
#: so the final os.replace stays an atomic rename.
_INCOMING = ".incoming"


class BlobError(Exception):
    """Base of the blob store's errors."""


class BlobMissing(BlobError):
    """No blob with this hash in the store."""


class BlobCorrupted(BlobError):
    """The bytes on disk (or offered to the store) do not match their SHA-256."""


class BlobStore:
    """Blobs named by their SHA-256; writing the same content twice is harmless."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        _make_private_dir(self.root)

    def path(self, sha256: str) -> Path:
        """Where the blob lives; refuses anything but 64 lowercase hex digits (no path tricks)."""
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise BlobError(f"empreinte SHA-256 invalide : {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self._write(sha256, (data,), expected=sha256)
        return sha256

    def put_file(self, src: Path, *, sha256: str | None = None, move: bool = False) -> str:
        """Store ``src`` and return its SHA-256.

        ``sha256``, when given (e.g. from check_pdf), skips all work if the blob is already there;
        otherwise the copy is hashed on the way and refused with BlobCorrupted if it differs.
        With ``move=True`` the source is renamed into the store (or copied then removed when it lies
        on another file system).
        """
        src = Path(src)
        if sha256 is not None:
            dest = self.path(sha256)
            if dest.is_file():
                if move:
                    src.unlink()
                return sha256
        if move:
            return self._move(src, sha256)
        with src.open("rb") as handle:
            return self._write(None, _chunks(handle), expected=sha256)

    def open(self, sha256: str) -> BinaryIO:
        """A reader that raises BlobCorrupted when it reaches the end of a blob whose hash differs.

        Raises BlobMissing at once if the blob does not exist.
        """
        try:
            handle = self.path(sha256).open("rb")
        except FileNotFoundError as exc:
            raise BlobMissing(f"document introuvable dans le stockage : {sha256}") from exc
        return cast(BinaryIO, io.BufferedReader(_VerifyingReader(handle, sha256), buffer_size=_CHUNK))

    def read_verified(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobMissing(f"document introuvable dans le stockage : {sha256}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(f"document altéré dans le stockage : {sha256}")
        return data

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, sha256: str | None, chunks: Iterable[bytes], *, expected: str | None) -> str:
        """Write ``chunks`` to a private temporary file, fsync it, hash it, rename it into place."""
        temp_dir = self.path(sha256).parent if sha256 else self.root / _INCOMING
        _make_private_dir(temp_dir)
        fd, temp_name = tempfile.mkstemp(dir=temp_dir, prefix=".tmp-")  # mkstemp creates it 0o600
        temp = Path(temp_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            actual = digest.hexdigest()
            if expected is not None and actual != expected:
                raise BlobCorrupted(f"le contenu ne correspond pas à son empreinte annoncée : {expected}")
            self._install(temp, actual)
            return actual
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def _move(self, src: Path, expected: str | None) -> str:
        digest = hashlib.sha256()
        with src.open("rb+") as handle:
            for chunk in _chunks(handle):
                digest.update(chunk)
            os.fsync(handle.fileno())
        actual = digest.hexdigest()
        if expected is not None and actual != expected:
            raise BlobCorrupted(f"le contenu ne correspond pas à son empreinte annoncée : {expected}")
        if self.exists(actual):
            src.unlink()
            return actual
        with contextlib.suppress(OSError):
            os.chmod(src, _FILE_MODE)
        try:
            self._install(src, actual)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            with src.open("rb") as handle:
                self._write(None, _chunks(handle), expected=actual)
            src.unlink()
        return actual

    def _install(self, temp: Path, sha256: str) -> None:
        dest = self.path(sha256)
        _make_private_dir(dest.parent)
        try:
            os.replace(temp, dest)
        except PermissionError:
            # Windows refuses to replace a file another thread has open; same hash, same content.
            if not dest.is_file():
                raise
            return
        _fsync_dir(dest.parent)


class _VerifyingReader(io.RawIOBase):
    """Hashes what is read and checks the hash at the end of the file."""

    def __init__(self, handle: BinaryIO, sha256: str) -> None:
        super().__init__()
        self._handle = handle
        self._sha256 = sha256
        self._digest = hashlib.sha256()
        self._checked = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._handle.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self._digest.update(memoryview(buffer)[:count])
        elif not self._checked:
            self._checked = True
            if self._digest.hexdigest() != self._sha256:
                raise BlobCorrupted(f"document altéré dans le stockage : {self._sha256}")
        return int(count or 0)

    def close(self) -> None:
        self._handle.close()
        super().close()


def _chunks(handle: BinaryIO) -> Iterable[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


def _make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each private to the user (mkdir(parents=True) would
    give the parents the default mode)."""
    missing: list[Path] = []
    while not path.is_dir():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=_DIR_MODE, exist_ok=True)  # exist_ok: another thread may have won
        with contextlib.suppress(OSError):
            os.chmod(folder, _DIR_MODE)  # mkdir's mode is filtered by the umask


def _fsync_dir(path: Path) -> None:
    """Make the rename durable; directories cannot be opened on Windows, where it is not needed."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
