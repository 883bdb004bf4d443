"""Benchmarks run on SQLite inside the suite: they print figures, and every rule they exercise is tested on
both databases in tests/server. Their PostgreSQL figures come with COFFREO_BENCH_POSTGRES=1 (and
COFFREO_TEST_DATABASE_URL), e.g. `COFFREO_BENCH_POSTGRES=1 .venv/bin/pytest -s tests/bench`."""

from __future__ import annotations

import os

import pytest

from tests.conftest import POSTGRES_URL

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
WITH_POSTGRES = os.environ.get("COFFREO_BENCH_POSTGRES") == "1"


@pytest.fixture(params=KINDS if WITH_POSTGRES else KINDS[:1])
def database_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("COFFREO_TEST_DATABASE_URL n'est pas défini (PostgreSQL)")
    return str(request.param)
