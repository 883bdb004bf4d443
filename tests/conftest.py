"""Test setup: Qt offscreen before Qt loads, an in-memory keyring, private folders, server fixtures.

Server fixtures run every server test on SQLite, and again on PostgreSQL when
COFFREO_TEST_DATABASE_URL is set (as .ci/run does). The demo organisation is built once per database
kind and copied for each test (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_API", "pyside6")

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from coffreo_desktop.server.app import prepare
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.demo import DEMO_SEED
from coffreo_desktop.server.demo.builder import build_demo
from tests.support import Clock, MemoryKeyring, ServerHarness

POSTGRES_URL = os.environ.get("COFFREO_TEST_DATABASE_URL")
DEMO_SCALE = 0.02


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def desktop_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every desktop path (settings, cache, logs, embedded data) under a private temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COFFREO_DESKTOP_HOME", str(home))
    return home


def _admin_url(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def _recreate_database(url: str, template: str | None = None) -> None:
    """Drop and create the database of ``url`` (from ``template`` when given), through the maintenance db."""
    name = make_url(url).database
    engine = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    suffix = f' TEMPLATE "{template}"' if template else ""
    try:
        for attempt in range(5):
            try:
                with engine.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
                return
            except (OperationalError, ProgrammingError):
                # An autovacuum worker still on the template or the database: wait for it to finish.
                if attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))
    finally:
        engine.dispose()


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _build_demo(settings: ServerSettings) -> None:
    prepare(settings)
    ctx = AppContext.build(settings)
    ctx.clock = Clock()
    try:
        build_demo(ctx, seed=DEMO_SEED, scale=DEMO_SCALE)
    finally:
        ctx.db.dispose()


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str | None]]:
    """Lazily built demo data per database kind: (data dir with blobs, template database name)."""
    return {}


def _template(
    kind: str, templates: dict[str, tuple[Path, str | None]], factory: pytest.TempPathFactory
) -> tuple[Path, str | None]:
    if kind not in templates:
        data_dir = factory.mktemp(f"demo-{kind}")
        if kind == "sqlite":
            _build_demo(ServerSettings(data_dir=data_dir))
            templates[kind] = (data_dir, None)
        else:
            assert POSTGRES_URL
            template_name = f"{make_url(POSTGRES_URL).database}_demo"
            template_url = _with_database(POSTGRES_URL, template_name)
            _recreate_database(template_url)
            _build_demo(ServerSettings(data_dir=data_dir, database_url=template_url))
            templates[kind] = (data_dir, template_name)
    return templates[kind]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("COFFREO_TEST_DATABASE_URL n'est pas défini (PostgreSQL)")
    return str(request.param)


@pytest.fixture
def server(
    database_kind: str,
    tmp_path: Path,
    demo_templates: dict[str, tuple[Path, str | None]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ServerHarness]:
    """A fresh backend holding the demo group (small scale), on SQLite and on PostgreSQL."""
    template_dir, template_db = _template(database_kind, demo_templates, tmp_path_factory)
    data_dir = tmp_path / "server"
    shutil.copytree(template_dir, data_dir)
    database_url = None
    if template_db is not None:
        assert POSTGRES_URL
        _recreate_database(POSTGRES_URL, template=template_db)
        database_url = POSTGRES_URL
    harness = ServerHarness.start(ServerSettings(data_dir=data_dir, database_url=database_url), Clock())
    yield harness
    harness.close()


@pytest.fixture
def empty_server(database_kind: str, tmp_path: Path) -> Iterator[ServerHarness]:
    """A fresh backend with no data at all."""
    database_url = None
    if database_kind == "postgresql":
        assert POSTGRES_URL
        _recreate_database(POSTGRES_URL)
        database_url = POSTGRES_URL
    harness = ServerHarness.start(
        ServerSettings(data_dir=tmp_path / "server", database_url=database_url), Clock()
    )
    yield harness
    harness.close()


@pytest.fixture
def database_url(database_kind: str) -> str | None:
    """A freshly emptied database for the kind under test: None means SQLite in the data dir."""
    if database_kind == "sqlite":
        return None
    assert POSTGRES_URL
    _recreate_database(POSTGRES_URL)
    return POSTGRES_URL
