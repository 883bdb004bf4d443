"""Table models of the advances page: requests to process and processed ones, fetched page by page from
the server as the view scrolls (``canFetchMore``/``fetchMore``); the history sorts on the server by the
clicked header. Also a plain model for the worker's past requests in the pane."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.advances import AdvanceFilters, AdvancePage, AdvanceRequest, AdvancesApi, Order
from coffreo_desktop.domain.advances import format_euros
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.advance_widgets import asked_text, paris_text, state_text
from coffreo_desktop.gui.i18n import translate
from coffreo_desktop.gui.tasks import Task

Index = QModelIndex | QPersistentModelIndex
REQUEST_ROLE = Qt.ItemDataRole.UserRole + 1
CONTEXT = "AdvanceModel"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


Column = tuple[str, Callable[[AdvanceRequest], str]]


class AdvanceModel(QAbstractTableModel):
    """Requests in columns; subclasses say which columns and how to fetch a page."""

    COLUMNS: tuple[Column, ...] = ()
    #: Columns whose text is an amount (right-aligned).
    AMOUNTS: frozenset[int] = frozenset()

    def __init__(self, rows: Sequence[AdvanceRequest] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AdvanceRequest] = list(rows)

    def request(self, row: int) -> AdvanceRequest | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def set_rows(self, rows: Sequence[AdvanceRequest]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        request = self.request(index.row()) if index.isValid() else None
        if request is None:
            return None
        if role == REQUEST_ROLE:
            return request
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[index.column()][1](request)
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[index.column()][0] == "Commentaire":
            return request.comment or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.AMOUNTS:
            return _RIGHT
        return None


class PastRequestsModel(AdvanceModel):
    """The worker's other requests, in the pane (a handful: no paging)."""

    COLUMNS = (
        (QT_TRANSLATE_NOOP("AdvanceModel", "Date"), lambda r: paris_text(r.created_at, False)),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Agence"), lambda r: r.agency_name),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Demandé"), asked_text),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Accordé"), lambda r: _granted(r)),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Décision"), state_text),
    )
    AMOUNTS = frozenset({2, 3})


def _granted(request: AdvanceRequest) -> str:
    return "" if request.granted_cents is None else format_euros(request.granted_cents)


class PagedAdvanceModel(AdvanceModel):
    """A server list read one keyset page at a time; answers for an older query are ignored."""

    #: The total once the first page arrived.
    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, api: AdvancesApi, owner: QWidget) -> None:
        super().__init__(parent=owner)
        self._owner = owner
        self.api = api
        self.filters = AdvanceFilters()
        self.total: int | None = None
        self._cursor: str | None = None
        self._more = False
        self._loading = False
        self._generation = 0

    def page(self, cursor: str | None) -> Coroutine[Any, Any, AdvancePage]:
        raise NotImplementedError

    @property
    def loading(self) -> bool:
        return self._loading

    def load(self, filters: AdvanceFilters | None = None) -> None:
        """Start again from the first page (new filters, a refresh); pages still on their way are dropped."""
        if filters is not None:
            self.filters = filters
        self._generation += 1
        self.beginResetModel()
        self.rows, self.total, self._cursor, self._more = [], None, None, False
        self.endResetModel()
        self._fetch()

    def _fetch(self) -> None:
        generation = self._generation
        self._loading = True
        Task(self._owner, self.page(self._cursor)).on_success(
            lambda page: self._arrived(generation, page)
        ).on_failure(lambda exc: self._failed(generation, exc)).run()

    def _arrived(self, generation: int, page: AdvancePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        first = self.total is None
        known = {row.id for row in self.rows}
        # A row may move between pages while the list changes underneath (a colleague's decision).
        items = [item for item in page.items if item.id not in known]
        if items:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(items) - 1)
            self.rows.extend(items)
            self.endInsertRows()
        self.total, self._cursor, self._more = page.total, page.next_cursor, page.next_cursor is not None
        if first:
            self.loaded.emit(page.total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed.emit(exc)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch()

    def remove(self, request_id: int) -> None:
        """Drop a row at once (it was processed here), without waiting for the next refresh."""
        for row, request in enumerate(self.rows):
            if request.id == request_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                self.endRemoveRows()
                if self.total:
                    self.total -= 1
                return


class PendingModel(PagedAdvanceModel):
    """ "Demandes à traiter": oldest first, as the server orders them."""

    COLUMNS = (
        (QT_TRANSLATE_NOOP("AdvanceModel", "Date"), lambda r: paris_text(r.created_at)),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Matricule"), lambda r: r.matricule),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Nom"), lambda r: r.last_name.upper()),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Prénom"), lambda r: r.first_name),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Agence"), lambda r: r.agency_name),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Montant demandé"), asked_text),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Commentaire"), lambda r: " ".join(r.comment.split())),
    )
    AMOUNTS = frozenset({5})

    def page(self, cursor: str | None) -> Coroutine[Any, Any, AdvancePage]:
        return self.api.pending(self.filters, cursor)


class HistoryModel(PagedAdvanceModel):
    """ "Historique des demandes": every column sorts on the server (keyset, so no cap); column 0 is the
    eye that opens the detail."""

    COLUMNS = (
        ("", lambda r: ""),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Demandée le"), lambda r: paris_text(r.created_at)),
        (
            QT_TRANSLATE_NOOP("AdvanceModel", "Traitée le"),
            lambda r: paris_text(r.decided_at or r.cancelled_at),
        ),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Salarié"), lambda r: f"{r.last_name.upper()} {r.first_name}"),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Matricule"), lambda r: r.matricule),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Agence"), lambda r: r.agency_name),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Montant demandé"), asked_text),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Montant accordé"), _granted),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Décision"), state_text),
        (QT_TRANSLATE_NOOP("AdvanceModel", "Traitée par"), lambda r: r.decided_by_name or ""),
    )
    #: The server's sort key (domain.advances.HISTORY_SORTS) of each column; None: not sortable.
    SORTS: tuple[str | None, ...] = (
        None,
        "created_at",
        "decided_at",
        "last_name",
        "matricule",
        "agency",
        "amount",
        "granted",
        "state",
        "decided_by",
    )
    AMOUNTS = frozenset({6, 7})
    EYE_COLUMN = 0
    DEFAULT_SORT = (2, Qt.SortOrder.DescendingOrder)
    #: The sort in force changed (column, order): the view moves its header indicator.
    sort_changed = Signal(int, object)

    def __init__(self, api: AdvancesApi, owner: QWidget) -> None:
        super().__init__(api, owner)
        self.sort_key = "decided_at"
        self.order: Order = "desc"
        self.sort_column = self.DEFAULT_SORT[0]

    def page(self, cursor: str | None) -> Coroutine[Any, Any, AdvancePage]:
        return self.api.history(self.filters, self.sort_key, self.order, cursor)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORTS[column] if 0 <= column < len(self.SORTS) else None
        if key is None:
            # The eye column: keep the sort in force and put the header indicator back on it.
            self.sort_changed.emit(self.sort_column, self._qt_order())
            return
        new_order: Order = "desc" if order == Qt.SortOrder.DescendingOrder else "asc"
        if (key, new_order) == (self.sort_key, self.order) and self.total is not None:
            return
        self.sort_key, self.order, self.sort_column = key, new_order, column
        self.load()

    def _qt_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.order == "desc" else Qt.SortOrder.AscendingOrder

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self.EYE_COLUMN:
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon("view")
            if role == Qt.ItemDataRole.ToolTipRole:
                return translate("AdvanceModel", "Voir le détail")
        return super().data(index, role)
