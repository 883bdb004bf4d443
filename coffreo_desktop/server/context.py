"""What every request and job needs, built once per app: settings, database, blob store, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.engine import Database
from coffreo_desktop.server.db.models import utcnow

# Registers the commit hook that stamps every changed document for the change feed: whoever builds a
# context (the app, the CLI, the demo, the jobs) writes documents through it.
from coffreo_desktop.server.services import document_changes  # noqa: F401  isort: skip
from coffreo_desktop.server.storage.blobs import BlobStore


@dataclass
class AppContext:
    settings: ServerSettings
    db: Database
    blobs: BlobStore
    # Replaced by tests that need to move time (throttling, token expiry, scheduled jobs).
    clock: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    def build(cls, settings: ServerSettings) -> AppContext:
        return cls(settings=settings, db=Database(settings.db_url), blobs=BlobStore(settings.blob_dir))
