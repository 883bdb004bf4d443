"""Test setup: Qt offscreen before Qt loads, an in-memory keyring, private folders, server fixtures.

Server fixtures run every server test on SQLite, and again on PostgreSQL when
COFFREO_TEST_DATABASE_URL is set (as .ci/run does).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_API", "pyside6")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from coffreo_desktop.server.config import ServerSettings  # noqa: E402
from coffreo_desktop.server.demo import ensure_demo  # noqa: E402
from tests.support import Clock, MemoryKeyring, ServerHarness  # noqa: E402

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


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    if request.param == "sqlite":
        return None  # the default: SQLite in the data dir
    if not POSTGRES_URL:
        pytest.skip("COFFREO_TEST_DATABASE_URL n'est pas défini (PostgreSQL)")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def server(database_url: str | None, tmp_path: Path) -> Iterator[ServerHarness]:
    """A fresh backend with the demo organisation (small scale), on SQLite and on PostgreSQL."""
    settings = ServerSettings(data_dir=tmp_path / "server", database_url=database_url)
    harness = ServerHarness.start(settings, Clock())
    ensure_demo(settings, scale=DEMO_SCALE)
    yield harness
    harness.close()


@pytest.fixture
def empty_server(database_url: str | None, tmp_path: Path) -> Iterator[ServerHarness]:
    """A fresh backend with no data at all."""
    harness = ServerHarness.start(ServerSettings(data_dir=tmp_path / "server", database_url=database_url), Clock())
    yield harness
    harness.close()
