"""The documents result table (F2.2–F2.4): pages fetched on demand with the server's keyset cursors.

Rows arrive page by page through ``fetchMore`` as the view scrolls. To scroll through a million rows in
bounded memory, only the most recently shown pages keep their rows; an evicted page keeps the cursor it
started from and is fetched again when it comes back into view (its cells show "…" meanwhile).
Sorting asks the server (every column, any period); the model never sorts locally.
"""

from __future__ import annotations

import bisect
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon

from coffreo_desktop.client.documents import DocumentRow, SearchPage
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.tasks import Task

log = logging.getLogger(__name__)

#: Fetch the page that follows ``cursor`` (None: the first page).
Fetch = Callable[[str | None], Awaitable[SearchPage]]
AnyIndex = QModelIndex | QPersistentModelIndex

PLACEHOLDER = "…"
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str | None  # the server's sort name


COLUMNS: tuple[Column, ...] = (
    Column("open", QT_TRANSLATE_NOOP("DocumentTableModel", "Voir"), None),
    Column("doc_type", QT_TRANSLATE_NOOP("DocumentTableModel", "Type"), "doc_type"),
    Column("title", QT_TRANSLATE_NOOP("DocumentTableModel", "Titre"), "title"),
    Column("document_date", QT_TRANSLATE_NOOP("DocumentTableModel", "Date"), "document_date"),
    Column("matricule", QT_TRANSLATE_NOOP("DocumentTableModel", "Matricule"), "matricule"),
    Column("employee_last_name", QT_TRANSLATE_NOOP("DocumentTableModel", "Nom"), "last_name"),
    Column("employee_first_name", QT_TRANSLATE_NOOP("DocumentTableModel", "Prénom"), "first_name"),
    Column("client_name", QT_TRANSLATE_NOOP("DocumentTableModel", "Client"), "client_name"),
    Column("contract_number", QT_TRANSLATE_NOOP("DocumentTableModel", "N° de contrat"), "contract_number"),
    Column("invoice_number", QT_TRANSLATE_NOOP("DocumentTableModel", "N° de facture"), "invoice_number"),
    Column("signature_state", QT_TRANSLATE_NOOP("DocumentTableModel", "Signature"), "signature_state"),
    Column("invoice_state", QT_TRANSLATE_NOOP("DocumentTableModel", "Facture"), "invoice_state"),
    Column("agency_name", QT_TRANSLATE_NOOP("DocumentTableModel", "Agence"), "agency"),
    Column("size", QT_TRANSLATE_NOOP("DocumentTableModel", "Taille"), "size"),
    Column("created_at", QT_TRANSLATE_NOOP("DocumentTableModel", "Déposé le"), "created_at"),
    Column("delete", QT_TRANSLATE_NOOP("DocumentTableModel", "Supprimer"), None),
)
OPEN_COLUMN = 0
DELETE_COLUMN = len(COLUMNS) - 1


def column_of(sort: str) -> int:
    return next(i for i, column in enumerate(COLUMNS) if column.sort == sort)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def cell_text(row: DocumentRow, key: str) -> str:
    """What a cell shows: French labels, dates as dd/mm/yyyy, times in Paris."""
    match key:
        case "doc_type":
            return domain_text(row.doc_type.label)
        case "signature_state":
            return domain_text(row.signature_state.label)
        case "invoice_state":
            return domain_text(row.invoice_state.label) if row.invoice_state is not None else ""
        case "document_date":
            return row.document_date.strftime("%d/%m/%Y")
        case "created_at":
            return row.created_at.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y %H:%M")
        case "size":
            return human_size(row.size)
        case "open" | "delete":
            return ""
    value = getattr(row, key)
    return "" if value is None else str(value)


@dataclass
class _Page:
    cursor: str | None  # the cursor this page starts after (None: the first page)
    count: int
    rows: list[DocumentRow] | None  # None: evicted, fetched again when shown


class DocumentTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    total_changed = Signal(object)  # int | None
    fetch_failed = Signal(object)  # BaseException
    first_page_loaded = Signal()

    def __init__(self, parent: QObject | None = None, *, keep_pages: int = 50) -> None:
        super().__init__(parent)
        self.keep_pages = keep_pages
        self._fetch: Fetch | None = None
        self._pages: list[_Page] = []
        self._starts: list[int] = []  # first row of each page
        self._rows = 0
        self._next_cursor: str | None = None
        self._more = False
        self._loading = False
        self._refetching: set[int] = set()
        self._recent: OrderedDict[int, None] = OrderedDict()  # loaded pages, least recently shown first
        self._generation = 0
        self.total: int | None = None
        self.error: BaseException | None = None
        self._icons: dict[str, QIcon] = {}  # a paint asks for hundreds: looked up once per theme
        theme.on_theme_changed(self._forget_icons)

    def _forget_icons(self, _dark: bool) -> None:
        self._icons.clear()

    def _icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = theme.icon(name)
        return self._icons[name]

    # ---- sources -------------------------------------------------------------------------------------
    def set_fetch(self, fetch: Fetch) -> None:
        """Show a new server search: forget every row and ask for the first page."""
        self._reset(fetch)
        self._request(None, append=True)

    def set_rows(self, rows: list[DocumentRow]) -> None:
        """Show a fixed list (a list kept for offline work): no further pages."""
        self._reset(None)
        self.beginResetModel()
        self._append_page(None, rows)
        self.endResetModel()
        self.total = len(rows)
        self.total_changed.emit(self.total)

    @property
    def generation(self) -> int:
        """Which search the model shows: an answer for an older one is dropped."""
        return self._generation

    def set_total(self, total: int, generation: int) -> None:
        """The count, asked apart from the first page (it takes longer on very large results)."""
        if generation == self._generation:
            self.total = total
            self.total_changed.emit(total)

    def clear(self) -> None:
        self._reset(None)
        self.total_changed.emit(None)

    def _reset(self, fetch: Fetch | None) -> None:
        self._generation += 1  # answers to older requests are dropped
        self.beginResetModel()
        self._fetch = fetch
        self._pages, self._starts, self._rows = [], [], 0
        self._next_cursor, self._more = None, fetch is not None
        self._refetching.clear()
        self._recent.clear()
        self.total = None
        self.error = None
        self.endResetModel()
        self._set_loading(False)

    @property
    def loading(self) -> bool:
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # ---- paging --------------------------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._loading and self.error is None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._request(self._next_cursor, append=True)

    def retry(self) -> None:
        """After a failed page: ask for it again."""
        if self.error is not None and self._fetch is not None:
            self.error = None
            self._request(self._next_cursor, append=True)

    def _request(self, cursor: str | None, *, append: bool, page: int | None = None) -> None:
        assert self._fetch is not None
        generation = self._generation
        if append:
            self._set_loading(True)
        Task(self, self._fetch(cursor)).on_success(
            lambda result: self._arrived(generation, result, append=append, page=page)
        ).on_failure(lambda exc: self._failed(generation, exc, page)).run()

    def _arrived(self, generation: int, result: SearchPage, *, append: bool, page: int | None) -> None:
        if generation != self._generation:
            return
        if page is not None:  # an evicted page came back
            self._refill(page, result.items)
            return
        if result.total is not None:
            self.total = result.total
            self.total_changed.emit(self.total)
        if result.items:
            first = self._rows
            self.beginInsertRows(QModelIndex(), first, first + len(result.items) - 1)
            self._append_page(self._next_cursor, result.items)
            self.endInsertRows()
        first_page = len(self._pages) <= 1
        self._next_cursor = result.next_cursor
        self._more = result.next_cursor is not None
        self._set_loading(False)
        if first_page:
            self.first_page_loaded.emit()

    def _failed(self, generation: int, exc: BaseException, page: int | None) -> None:
        if generation != self._generation:
            return
        if page is not None:
            self._refetching.discard(page)
            return  # the placeholders stay; the next paint asks again
        self.error = exc
        self._set_loading(False)
        self.fetch_failed.emit(exc)

    def _append_page(self, cursor: str | None, rows: list[DocumentRow]) -> None:
        self._starts.append(self._rows)
        self._pages.append(_Page(cursor, len(rows), list(rows)))
        self._rows += len(rows)
        self._touch(len(self._pages) - 1)

    def _touch(self, index: int) -> None:
        self._recent[index] = None
        self._recent.move_to_end(index)
        while len(self._recent) > self.keep_pages:
            oldest, _ = self._recent.popitem(last=False)
            self._pages[oldest].rows = None

    def _refill(self, index: int, rows: list[DocumentRow]) -> None:
        self._refetching.discard(index)
        page = self._pages[index]
        # The server's data may have moved meanwhile: the page keeps its size, missing rows stay "…".
        page.rows = list(rows[: page.count])
        self._touch(index)
        first = self._starts[index]
        self.dataChanged.emit(self.index(first, 0), self.index(first + page.count - 1, len(COLUMNS) - 1))

    def _locate(self, row: int) -> tuple[int, int]:
        page = bisect.bisect_right(self._starts, row) - 1
        return page, row - self._starts[page]

    def row_at(self, row: int) -> DocumentRow | None:
        """The document of a row, or None while its page is being fetched again."""
        if not 0 <= row < self._rows:
            return None
        index, offset = self._locate(row)
        page = self._pages[index]
        if page.rows is None:
            if index not in self._refetching and self._fetch is not None:
                self._refetching.add(index)
                self._request(page.cursor, append=False, page=index)
            return None
        if index != next(reversed(self._recent)):
            self._touch(index)
        return page.rows[offset] if offset < len(page.rows) else None

    def loaded_rows(self) -> list[DocumentRow]:
        """The rows held in memory, in order (what a list kept for offline work saves)."""
        return [row for page in self._pages if page.rows is not None for row in page.rows]

    def find(self, document_id: int) -> int | None:
        for index, page in enumerate(self._pages):
            if page.rows is None:
                continue
            for offset, row in enumerate(page.rows):
                if row.id == document_id:
                    return self._starts[index] + offset
        return None

    def remove_document(self, document_id: int) -> bool:
        """Take a deleted document out of the list (by us or by a colleague)."""
        row = self.find(document_id)
        if row is None:
            return False
        index, offset = self._locate(row)
        self.beginRemoveRows(QModelIndex(), row, row)
        page = self._pages[index]
        assert page.rows is not None
        del page.rows[offset]
        page.count -= 1
        self._rows -= 1
        for later in range(index + 1, len(self._starts)):
            self._starts[later] -= 1
        self.endRemoveRows()
        if self.total is not None:
            self.total -= 1
            self.total_changed.emit(self.total)
        return True

    def replace_document(self, document: DocumentRow) -> None:
        """Show a document's fresh state (its row stays where it is)."""
        row = self.find(document.id)
        if row is None:
            return
        index, offset = self._locate(row)
        rows = self._pages[index].rows
        assert rows is not None
        rows[offset] = document
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ---- Qt model ------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        text = QCoreApplication.translate("DocumentTableModel", column.header)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section in (OPEN_COLUMN, DELETE_COLUMN) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return text
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                PLACEHOLDER
                if row is None and column.sort is not None
                else (cell_text(row, column.key) if row is not None else "")
            )
        if row is None:
            return None
        if role == DOCUMENT_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole:
            if column.key == "open":
                return self._icon("view")
            if column.key == "delete" and row.can_delete:
                return self._icon("delete")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "open":
                return QCoreApplication.translate("DocumentTableModel", "Ouvrir le document (Entrée)")
            if column.key == "delete" and row.can_delete:
                return QCoreApplication.translate(
                    "DocumentTableModel", "Supprimer ce contrat non signé (Suppr)"
                )
            return cell_text(row, column.key) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "size":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.FontRole
            and column.key == "invoice_state"
            and row.invoice_state is not None
        ):
            font = QFont()
            font.setBold(row.invoice_state.value == "not_downloaded")
            return font
        return None
