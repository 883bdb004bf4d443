"""Engine and session factories: SQLite in WAL mode with foreign keys on, or PostgreSQL through psycopg.

SQLite takes its write lock at the first write of a transaction, and a transaction that has read
an older snapshot then fails at once with "database is locked". Write requests therefore begin
with BEGIN IMMEDIATE (``writer`` factory) so that concurrent writers queue instead of failing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

IMMEDIATE = "coffreo_sqlite_immediate"


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Error messages (logs, tracebacks, CLI errors) must not carry the bound values: emails, names,
    # mail bodies with links, token hashes. The SQL text stays, which is what debugging needs.
    kwargs.setdefault("hide_parameters", True)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # 64 MiB of page cache per connection (default 2 MiB): a deposit updates some twenty indexes of
        # the documents table, whose pages then stay in memory instead of being read back at each insert.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """The engine with a reader and a writer session factory (the writer locks early on SQLite)."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        self.is_sqlite = url.startswith("sqlite")
        self.reader: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self.writer: sessionmaker[Session] = sessionmaker(
            self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )

    def dispose(self) -> None:
        self.engine.dispose()
