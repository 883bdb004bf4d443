"""Server storage: the content-addressed blob store holding every document's bytes."""

from coffreo_desktop.server.storage.blobs import BlobCorrupted, BlobError, BlobMissing, BlobStore

__all__ = ["BlobCorrupted", "BlobError", "BlobMissing", "BlobStore"]
