"""The rights matrix on the desktop (issue 7, F6.1): 500 users with rights on one agency (and elsewhere),
timed from the request to the matrix model filled and the view painted: GET over real HTTP on loopback
(the backend served by uvicorn), JSON decoded into ``UserRights``, ``RightsMatrixModel.set_matrix``, the
column sizing the page does, and ``view.grab()`` (a full paint of the visible cells). Goal ≤ 200 ms; the
figures are printed (split into request+decoding and model+paint), nothing is asserted on time.

As the desktop does once its window is up, ``gc.freeze()`` runs first (gui/qt_runtime).
Size: COFFREO_BENCH_ADMIN_USERS (default 500). `.venv/bin/pytest tests/bench/test_rights_matrix_bench.py -s`
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time

import pytest
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.admin import AdminApi
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.gui.rights_delegate import RightsMatrixView
from coffreo_desktop.gui.rights_model import (
    ELSEWHERE_COLUMN,
    FIRST_RIGHT_COLUMN,
    NAME_COLUMN,
    RightsMatrixModel,
)
from tests.bench.test_admin_rights_bench import USERS, _fill
from tests.client.documents_backend import PASSWORDS, served
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

ADMIN = "admin@demo.coffreo.fr"
RUNS = 30
GOAL_MS = 200.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_rights_matrix_of_500_users_requested_filled_and_painted(server: ServerHarness, qtbot: QtBot) -> None:
    agency_id = server.agency_id("PAR11")
    _fill(server, agency_id)
    model = RightsMatrixModel()
    view = RightsMatrixView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    loop = asyncio.new_event_loop()
    totals: list[float] = []
    fetches: list[float] = []
    with served(server) as url:
        api = ApiClient(url)
        admin = AdminApi(api)
        try:
            loop.run_until_complete(api.login(ADMIN, PASSWORDS[ADMIN]))
            loop.run_until_complete(admin.matrix(agency_id))  # warm-up: connection, first queries
            gc.collect()
            gc.freeze()
            for _ in range(RUNS):
                model.clear()
                start = time.perf_counter()
                matrix = loop.run_until_complete(admin.matrix(agency_id))
                fetched = time.perf_counter()
                model.set_matrix(matrix)
                view.resizeColumnToContents(NAME_COLUMN)
                view.resizeColumnToContents(NAME_COLUMN + 1)
                for column in range(FIRST_RIGHT_COLUMN, ELSEWHERE_COLUMN):
                    view.horizontalHeader().resizeSection(column, 46)
                view.grab()
                end = time.perf_counter()
                fetches.append((fetched - start) * 1000)
                totals.append((end - start) * 1000)
        finally:
            loop.run_until_complete(api.aclose())
            loop.close()
            gc.unfreeze()
    assert model.rowCount() >= USERS  # every row there (the demo's own users too)
    paint = [t - f for t, f in zip(totals, fetches, strict=True)]
    print(
        f"\nrights matrix, {model.rowCount()} rows, {RUNS} runs (goal ≤ {GOAL_MS:.0f} ms):"
        f"\n  request→painted  p50 {statistics.median(totals):.1f} ms  p95 {_percentile(totals, 0.95):.1f} ms"
        f"\n  request+decode   p50 {statistics.median(fetches):.1f} ms"
        f"  p95 {_percentile(fetches, 0.95):.1f} ms"
        f"\n  model+paint      p50 {statistics.median(paint):.1f} ms  p95 {_percentile(paint, 0.95):.1f} ms"
    )
