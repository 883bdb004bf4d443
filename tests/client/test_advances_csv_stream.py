"""The advances CSV files are streamed from the socket to disk (client/advances.py over ApiClient.stream):
the saved file is byte for byte the server's CSV, progress comes while the download is under way, and a
cancel (the callback, or the task cancelled as the GUI's "Annuler" does) or a server refusal leaves
nothing on disk."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from coffreo_desktop.client.advances import AdvanceFilters, AdvancesApi
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.export import ExportCancelled
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest
from tests.client.documents_backend import PASSWORDS, served
from tests.client.test_advances_client import ACOMPTES, run
from tests.server.advance_helpers import new_worker
from tests.support import ServerHarness

#: Enough processed requests for a history CSV of several hundred kilobytes (many network chunks).
ROWS = 1500


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def fill_history(server: ServerHarness) -> None:
    worker, _ = new_worker(server, "LYO")
    agency_id = server.agency_id("LYO")
    now = server.clock()
    with server.session() as s, s.begin():
        s.add_all(
            AdvanceRequest(
                employee_id=worker,
                agency_id=agency_id,
                amount_cents=10000 + n,
                wants_maximum=False,
                comment=f"Demande {n} " + "x" * 120,
                state=AdvanceState.REFUSED,
                decision_comment=f"Refusée {n} " + "y" * 120,
                decided_at=now - timedelta(minutes=n),
                created_at=now - timedelta(minutes=n, hours=1),
            )
            for n in range(ROWS)
        )


def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"  # beside the harness's "server/" folder
    folder.mkdir()
    return folder


async def server_csv(api: AdvancesApi) -> bytes:
    params = {"sort": "amount", "order": "asc"}
    return (await api.api.request("GET", "/advances/history.csv", params=params)).content


def test_a_saved_history_is_the_servers_csv_byte_for_byte_with_progress_during_the_download(
    server: ServerHarness, base_url: str, tmp_path: Path
) -> None:
    fill_history(server)
    folder = exports(tmp_path)
    target = folder / "historique.csv"
    target.write_bytes(b"ancien contenu")  # replaced only once the new file is complete
    written: list[int] = []

    async def scenario(api: AdvancesApi) -> tuple[int, bytes]:
        size = await api.save_history_csv(AdvanceFilters(), "amount", "asc", target, progress=written.append)
        return size, await server_csv(api)

    size, expected = run(base_url, scenario)
    assert len(expected) > 200_000
    assert target.read_bytes() == expected and size == len(expected)
    assert len(written) >= 3 and written == sorted(written) and written[0] < size and written[-1] == size
    assert os.listdir(folder) == ["historique.csv"]  # no ".part" left beside it


def test_a_cancel_during_the_download_leaves_nothing_on_disk(
    server: ServerHarness, base_url: str, tmp_path: Path
) -> None:
    fill_history(server)
    folder = exports(tmp_path)
    by_callback, by_task = folder / "rappel.csv", folder / "tache.csv"
    seen: list[int] = []

    async def scenario(api: AdvancesApi) -> None:
        # The save checks its callback between chunks: cancelled once the first bytes are on disk.
        with pytest.raises(ExportCancelled):
            await api.save_history_csv(
                AdvanceFilters(),
                "amount",
                "asc",
                by_callback,
                progress=seen.append,
                cancelled=lambda: bool(seen),
            )
        assert len(seen) == 1 and list(folder.iterdir()) == []

        # The GUI's "Annuler" cancels the task itself, wherever it waits (socket or disk thread).
        started = asyncio.Event()
        task = asyncio.ensure_future(
            api.save_history_csv(AdvanceFilters(), "amount", "asc", by_task, progress=lambda _: started.set())
        )
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(base_url, scenario)
    assert list(folder.iterdir()) == []


def test_a_refused_download_raises_the_servers_french_error_and_leaves_nothing(
    server: ServerHarness, base_url: str, tmp_path: Path
) -> None:
    folder = exports(tmp_path)
    target = folder / "paie.csv"
    backwards = AdvanceFilters(
        date_from=server.clock().date(), date_to=server.clock().date() - timedelta(days=3)
    )

    async def scenario(api: AdvancesApi) -> ApiError:
        with pytest.raises(ApiError) as caught:
            await api.save_payroll_csv(backwards, target)
        return caught.value

    error = run(base_url, scenario)
    assert error.status == 422 and "date de début" in str(error)
    assert list(folder.iterdir()) == []


def test_a_stream_renews_an_expired_access_token_once(server: ServerHarness, base_url: str) -> None:
    async def scenario() -> bytes:
        api = ApiClient(base_url)
        try:
            await api.login(ACOMPTES, PASSWORDS[ACOMPTES])
            api._access_token = "expired"  # what an access token past its lifetime amounts to
            async with api.stream("GET", "/advances/payroll.csv") as response:
                return await response.aread()
        finally:
            await api.aclose()

    body = asyncio.run(scenario())
    assert body.decode("utf-8-sig").startswith("Matricule;Nom")
