"""The documents table model (gui/document_model.py) over the real embedded backend's keyset pages: pages are
fetched on demand, only the most recent ones stay in memory, a dropped page is fetched again from its own
cursor when scrolled back to, and no row is ever skipped or repeated."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import DocumentsApi, SearchPage, SearchParams
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.document_model import PLACEHOLDER, DocumentTableModel, column_of
from tests.gui.helpers import WAIT_MS, server_call

ADMIN = "admin@demo.coffreo.fr"
PAGE = 7
KEEP = 3
PARAMS = SearchParams(sort="last_name", order="asc")  # many ties on the sort key: ids break them


@pytest.fixture
def documents(
    qtbot: QtBot,
    qt_event_loop: asyncio.AbstractEventLoop,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
) -> Iterator[DocumentsApi]:
    api = ApiClient(demo_server.base_url or "")
    server_call(qt_event_loop, qtbot, api.login(ADMIN, demo_passwords[ADMIN]))
    yield DocumentsApi(api)
    server_call(qt_event_loop, qtbot, api.aclose())


def every_id(loop: asyncio.AbstractEventLoop, qtbot: QtBot, documents: DocumentsApi) -> list[int]:
    async def read() -> list[int]:
        return [row.id async for row in documents.iterate(PARAMS, page_size=500)]

    return server_call(loop, qtbot, read())  # type: ignore[return-value]


class CountingFetch:
    """The page's fetch, as the documents page sets it, noting each cursor asked for."""

    def __init__(self, documents: DocumentsApi) -> None:
        self.documents = documents
        self.cursors: list[str | None] = []

    async def __call__(self, cursor: str | None) -> SearchPage:
        self.cursors.append(cursor)
        return await self.documents.search(PARAMS, cursor=cursor, limit=PAGE)


def test_pages_come_on_demand_old_ones_are_dropped_and_fetched_again_with_no_row_skipped_or_repeated(
    qtbot: QtBot, qt_event_loop: asyncio.AbstractEventLoop, documents: DocumentsApi
) -> None:
    expected = every_id(qt_event_loop, qtbot, documents)
    assert len(expected) > PAGE * (KEEP + 2)
    model = DocumentTableModel(keep_pages=KEEP)
    fetch = CountingFetch(documents)
    with qtbot.waitSignal(model.first_page_loaded, timeout=WAIT_MS):
        model.set_fetch(fetch)
    assert model.rowCount() == PAGE and fetch.cursors == [None]
    assert model.canFetchMore()  # nothing more until the view asks

    seen: list[int] = []
    while True:  # scrolling down: each page read as it arrives, as a view paints it
        start = len(seen)
        for row in range(start, model.rowCount()):
            document = model.row_at(row)
            assert document is not None, row
            seen.append(document.id)
        if not model.canFetchMore():
            break
        model.fetchMore()
        assert model.loading and not model.canFetchMore()  # one page at a time
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert seen == expected  # every row once, in the server's order
    assert model.rowCount() == len(expected)
    pages = -(-len(expected) // PAGE)
    assert len(fetch.cursors) == pages and len(set(fetch.cursors)) == pages
    # Only the last pages shown stay in memory.
    assert len(model.loaded_rows()) <= KEEP * PAGE
    held = [row.id for row in model.loaded_rows()]
    assert held == expected[-len(held) :]

    # Scrolled back to the top: the first page was dropped, its cells wait ("…") while it is fetched again.
    assert model.row_at(0) is None
    assert model.index(0, column_of("title")).data() == PLACEHOLDER
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=WAIT_MS)
    assert fetch.cursors[-1] is None  # from the first page's own cursor
    again = [model.row_at(r) for r in range(PAGE)]
    assert [row.id for row in again if row is not None] == expected[:PAGE]
    # The third page, fetched again from the cursor it was first read from.
    third = 2 * PAGE
    assert model.row_at(third) is None
    qtbot.waitUntil(lambda: model.row_at(third) is not None, timeout=WAIT_MS)
    assert fetch.cursors[-1] == fetch.cursors[2]
    assert [model.row_at(r).id for r in range(third, third + PAGE)] == expected[third : third + PAGE]  # type: ignore[union-attr]
    assert len(model.loaded_rows()) <= KEEP * PAGE
    assert model.rowCount() == len(expected)  # refetching never adds nor removes rows


def test_a_new_search_drops_the_answers_of_the_old_one(
    qtbot: QtBot, qt_event_loop: asyncio.AbstractEventLoop, documents: DocumentsApi
) -> None:
    model = DocumentTableModel(keep_pages=KEEP)
    old = CountingFetch(documents)
    model.set_fetch(old)  # its first page is on its way when the user searches again
    generation = model.generation
    new = CountingFetch(documents)
    with qtbot.waitSignal(model.first_page_loaded, timeout=WAIT_MS):
        model.set_fetch(new)
    assert model.generation == generation + 1
    qtbot.wait(200)  # the old answer, if late, must not be appended
    assert model.rowCount() == PAGE
    expected = every_id(qt_event_loop, qtbot, documents)[:PAGE]
    assert [model.row_at(r).id for r in range(PAGE)] == expected  # type: ignore[union-attr]
