"""The data folder and the schema: migrations at start, a newer or damaged database refused untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coffreo_desktop.server.app import prepare
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db import migrate
from coffreo_desktop.server.errors import DataDirError


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    assert migrate.alembic_head() == migrate.HEAD_REVISION


def test_prepare_creates_the_schema_then_is_a_no_op(tmp_path: Path) -> None:
    settings = ServerSettings(data_dir=tmp_path / "data")
    assert prepare(settings) == migrate.HEAD_REVISION
    assert prepare(settings) == migrate.HEAD_REVISION
    with sqlite3.connect(settings.data_dir / "coffreo.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "audit_events", "staff_users", "outbox_mails"} <= tables


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    settings = ServerSettings(data_dir=tmp_path / "data")
    prepare(settings)
    path = settings.data_dir / "coffreo.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_futur'")
    before = path.read_bytes()
    with pytest.raises(DataDirError, match="version plus récente"):
        prepare(settings)
    assert path.read_bytes() == before


def test_a_damaged_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "coffreo.sqlite3"
    path.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(DataDirError, match="endommagée"):
        prepare(ServerSettings(data_dir=data_dir))
    assert path.read_bytes() == b"ceci n'est pas une base SQLite" * 100
