"""The content-addressed blob store: round trips, idempotency, corruption, traversal, concurrency."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from coffreo_desktop.server.storage import BlobCorrupted, BlobError, BlobMissing, BlobStore

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 4000  # ~1 MB, several read chunks


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def test_bytes_round_trip_through_a_sharded_path(store: BlobStore) -> None:
    sha = store.put_bytes(CONTENT)

    assert sha == hashlib.sha256(CONTENT).hexdigest()
    assert store.path(sha) == store.root / sha[:2] / sha[2:4] / sha
    assert store.exists(sha)
    assert store.read_verified(sha) == CONTENT
    with store.open(sha) as handle:
        assert handle.read() == CONTENT


def test_file_round_trip_copies_and_keeps_the_source(store: BlobStore, tmp_path: Path) -> None:
    src = tmp_path / "paie.pdf"
    src.write_bytes(CONTENT)

    sha = store.put_file(src)

    assert sha == hashlib.sha256(CONTENT).hexdigest()
    assert src.read_bytes() == CONTENT
    assert store.read_verified(sha) == CONTENT
    assert not list((store.root / ".incoming").iterdir()), "no temporary file left behind"


def test_move_renames_the_source_into_the_store(store: BlobStore, tmp_path: Path) -> None:
    src = tmp_path / "upload.part"
    src.write_bytes(CONTENT)

    sha = store.put_file(src, move=True)

    assert not src.exists()
    assert store.read_verified(sha) == CONTENT


def test_putting_the_same_content_twice_is_idempotent(store: BlobStore, tmp_path: Path) -> None:
    first = store.put_bytes(CONTENT)
    mtime = store.path(first).stat().st_mtime_ns
    src = tmp_path / "again.pdf"
    src.write_bytes(CONTENT)

    assert store.put_file(src, sha256=first) == first
    assert store.put_bytes(CONTENT) == first
    assert store.path(first).stat().st_mtime_ns == mtime, "an existing blob is not rewritten"
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert files == [store.path(first)]


def test_a_wrong_announced_hash_is_refused(store: BlobStore, tmp_path: Path) -> None:
    src = tmp_path / "doc.pdf"
    src.write_bytes(CONTENT)
    wrong = hashlib.sha256(b"autre chose").hexdigest()

    with pytest.raises(BlobCorrupted):
        store.put_file(src, sha256=wrong)
    assert not store.exists(wrong)


def test_corruption_on_disk_is_detected_when_read(store: BlobStore) -> None:
    sha = store.put_bytes(CONTENT)
    path = store.path(sha)
    os.chmod(path, 0o600)
    damaged = bytearray(path.read_bytes())
    damaged[1000] ^= 0xFF
    path.write_bytes(bytes(damaged))

    with pytest.raises(BlobCorrupted):
        store.read_verified(sha)
    with pytest.raises(BlobCorrupted), store.open(sha) as handle:
        handle.read()


def test_missing_blob_raises_blob_missing(store: BlobStore) -> None:
    sha = hashlib.sha256(b"jamais stocke").hexdigest()

    assert not store.exists(sha)
    with pytest.raises(BlobMissing):
        store.open(sha)
    with pytest.raises(BlobMissing):
        store.read_verified(sha)


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "../" + "a" * 61,
        "A" * 64,  # uppercase is not the canonical form
        "a" * 63,
        "a" * 65,
        "/" + "a" * 63,
        "a" * 62 + "\\x",
        "",
    ],
)
def test_path_traversal_and_malformed_hashes_are_refused(store: BlobStore, bad: str) -> None:
    with pytest.raises(BlobError):
        store.path(bad)
    with pytest.raises(BlobError):
        store.open(bad)
    with pytest.raises(BlobError):
        store.exists(bad)


def test_concurrent_puts_of_the_same_content_are_safe(store: BlobStore, tmp_path: Path) -> None:
    sources = []
    for index in range(8):
        src = tmp_path / f"copy{index}.pdf"
        src.write_bytes(CONTENT)
        sources.append(src)
    barrier = threading.Barrier(len(sources) * 2)
    results: list[str] = []
    errors: list[BaseException] = []

    def put(action: str, src: Path) -> None:
        try:
            barrier.wait()
            results.append(store.put_bytes(CONTENT) if action == "bytes" else store.put_file(src))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=put, args=(a, s)) for s in sources for a in ("bytes", "file")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert set(results) == {hashlib.sha256(CONTENT).hexdigest()}
    assert store.read_verified(results[0]) == CONTENT
    leftovers = [p for p in store.root.rglob("*") if p.is_file() and p != store.path(results[0])]
    assert not leftovers


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_blobs_and_folders_are_private_to_the_user(store: BlobStore) -> None:
    old = os.umask(0o022)
    try:
        sha = store.put_bytes(CONTENT)
    finally:
        os.umask(old)

    path = store.path(sha)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (store.root, path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
