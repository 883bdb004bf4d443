"""The Diffusion libre table (F3.9): the batch's rows grouped "Prêts à envoyer", "Sans destinataire" and
"Refusés", with live counts. A two-level model: the three groups, then their rows.

The whole table is rebuilt at once (one reset per batch of files checked, never one per file), so that a
folder of a thousand PDFs costs a few resets, not a thousand layout passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from coffreo_desktop.client.diffusion_plan import RowStatus, format_size
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.diffusion_batch import DiffusionBatch, DiffusionRow, RowKey
from coffreo_desktop.gui.i18n import domain_text, number, translate

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PROTECTION_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_SIZE = QSize(0, 26)  # the documents table's row height: room for the type and title editors
_NO_PARENT = 0xFFFF  # internal id of a group index (rows carry their group's number)


@dataclass(frozen=True)
class Column:
    key: str
    header: str


COLUMNS: tuple[Column, ...] = (
    Column("file", QT_TRANSLATE_NOOP("DiffusionModel", "Fichier")),
    Column("pages", QT_TRANSLATE_NOOP("DiffusionModel", "Pages")),
    Column("size", QT_TRANSLATE_NOOP("DiffusionModel", "Taille")),
    Column("check", QT_TRANSLATE_NOOP("DiffusionModel", "Vérification")),
    Column("recipient", QT_TRANSLATE_NOOP("DiffusionModel", "Destinataire")),
    Column("type", QT_TRANSLATE_NOOP("DiffusionModel", "Type")),
    Column("title", QT_TRANSLATE_NOOP("DiffusionModel", "Titre")),
)
FILE_COLUMN, PAGES_COLUMN, SIZE_COLUMN, CHECK_COLUMN, RECIPIENT_COLUMN, TYPE_COLUMN, TITLE_COLUMN = range(7)

GROUPS: tuple[RowStatus, ...] = (RowStatus.READY, RowStatus.UNMATCHED, RowStatus.REFUSED)
GROUP_LABELS = {
    RowStatus.READY: QT_TRANSLATE_NOOP("DiffusionModel", "Prêts à envoyer ({count})"),
    RowStatus.UNMATCHED: QT_TRANSLATE_NOOP("DiffusionModel", "Sans destinataire ({count})"),
    RowStatus.REFUSED: QT_TRANSLATE_NOOP("DiffusionModel", "Refusés ({count})"),
}


def _tr(text: str) -> str:
    return translate("DiffusionModel", text)


_NAMED = re.compile(r"^(Le nom )?« [^»]*» ")


def _without_name(message: str) -> str:
    """A message of client/diffusion_plan.py without the file's name: the row already shows it."""
    found = _NAMED.match(message)
    if found is None:
        return message
    rest = message[found.end() :]
    return ("Le nom " if found.group(1) else "Ce fichier ") + rest


def check_text(row: DiffusionRow) -> str:
    """The "Vérification" cell: the refusal, else the first warning, else "OK" (the tooltip has all)."""
    if row.check.refusal is not None:
        return _without_name(row.check.refusal)
    if row.warnings:
        more = len(row.warnings) - 1
        return _without_name(row.warnings[0]) + (
            translate("DiffusionModel", " (+{n})").format(n=more) if more else ""
        )
    return translate("DiffusionModel", "OK")


class DiffusionModel(QAbstractItemModel):
    """The grouped rows of a :class:`DiffusionBatch`. Edits (type, title) go to the batch."""

    counts_changed = Signal()
    title_refused = Signal(str)  # the French reason a rename was refused

    def __init__(self, batch: DiffusionBatch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.batch = batch
        self.groups: dict[RowStatus, list[DiffusionRow]] = {status: [] for status in GROUPS}

    # ---- content -------------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Show the batch's rows again (after files were added, removed, matched or assigned)."""
        self.beginResetModel()
        self.groups = {status: [] for status in GROUPS}
        for row in self.batch.rows():
            self.groups[row.status].append(row)
        self.endResetModel()
        self.counts_changed.emit()

    def count(self, status: RowStatus) -> int:
        return len(self.groups[status])

    def all_rows(self) -> list[DiffusionRow]:
        return [row for status in GROUPS for row in self.groups[status]]

    def row_at(self, index: AnyIndex) -> DiffusionRow | None:
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        rows = self.groups[GROUPS[index.internalId()]]
        return rows[index.row()] if 0 <= index.row() < len(rows) else None

    def index_of(self, key: RowKey, column: int = FILE_COLUMN) -> QModelIndex:
        for group, status in enumerate(GROUPS):
            for position, row in enumerate(self.groups[status]):
                if row.key == key:
                    return self.createIndex(position, column, group)
        return QModelIndex()

    def group_index(self, status: RowStatus) -> QModelIndex:
        return self.createIndex(GROUPS.index(status), 0, _NO_PARENT)

    def set_protection(self, keys: list[RowKey], protection: Protection) -> int:
        """Apply a type to rows; the cells change in place (no reset: the selection stays)."""
        wanted = set(keys)
        editable = [k for status in GROUPS[:2] for row in self.groups[status] if (k := row.key) in wanted]
        changed = self.batch.set_protection(editable, protection)
        if changed:
            self._refresh_rows(set(editable))
        return changed

    def _refresh_rows(self, keys: set[RowKey]) -> None:
        """The batch changed these rows' type or title: replace them in place and repaint."""
        fresh = {row.key: row for row in self.batch.rows() if row.key in keys}
        for group, status in enumerate(GROUPS):
            rows = self.groups[status]
            touched = [i for i, row in enumerate(rows) if row.key in fresh]
            for i in touched:
                rows[i] = fresh[rows[i].key]
            if touched:
                first = self.createIndex(min(touched), TYPE_COLUMN, group)
                last = self.createIndex(max(touched), TITLE_COLUMN, group)
                self.dataChanged.emit(first, last)

    # ---- QAbstractItemModel --------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _NO_PARENT)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(GROUPS)
        if parent.internalId() == _NO_PARENT and parent.column() == 0:
            return len(self.groups[GROUPS[parent.row()]])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section].header)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled
        if index.internalId() == _NO_PARENT:
            return base
        flags = base | Qt.ItemFlag.ItemIsSelectable
        row = self.row_at(index)
        if (
            row is not None
            and row.status is not RowStatus.REFUSED
            and index.column() in (TYPE_COLUMN, TITLE_COLUMN)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == _NO_PARENT:
            return self._group_data(index, role)
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == PROTECTION_ROLE:
            return row.protection
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == CHECK_COLUMN:
            return self._check_colour(row)
        if role == Qt.ItemDataRole.SizeHintRole:
            return ROW_SIZE
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PAGES_COLUMN, SIZE_COLUMN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _group_data(self, index: AnyIndex, role: int) -> object:
        status = GROUPS[index.row()]
        if role == GROUP_ROLE:
            return status
        if index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(GROUP_LABELS[status]).format(count=number(self.count(status)))
        if role == Qt.ItemDataRole.SizeHintRole:
            return ROW_SIZE  # the view's rows are uniform: the first one, a group, sets their height
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: DiffusionRow, column: int, editing: bool) -> str:
        refused = row.status is RowStatus.REFUSED
        match column:
            case 0:
                return row.file_name
            case 1:
                return number(row.check.pages) if row.check.pages else ""
            case 2:
                return format_size(row.check.size) if row.check.size else ""
            case 3:
                return check_text(row)
            case 4:
                if row.recipient is not None:
                    return row.recipient.label
                return "" if refused else translate("DiffusionModel", "Sans destinataire")
            case 5:
                return "" if refused else domain_text(row.protection.label)
            case _:
                return "" if refused and not editing else row.title

    def _tooltip(self, row: DiffusionRow, column: int) -> str | None:
        if column == CHECK_COLUMN:
            lines = ([row.check.refusal] if row.check.refusal else []) + list(row.warnings)
            return "\n".join(lines) or QCoreApplication.translate(
                "DiffusionModel", "Fichier PDF vérifié : lisible, non chiffré, sans contenu actif."
            )
        if column == FILE_COLUMN:
            return str(row.path)
        if column == TITLE_COLUMN and row.status is not RowStatus.REFUSED:
            return QCoreApplication.translate(
                "DiffusionModel", "Cliquez sur le crayon ou appuyez sur F2 pour renommer le document."
            )
        return None

    @staticmethod
    def _check_colour(row: DiffusionRow) -> QColor | None:
        current = theme.current()
        if row.check.refusal is not None:
            return current.color("danger") if current else QColor("#b91c1c")
        if row.warnings:
            return QColor("#f2c14e") if current and current.dark else QColor("#9a6700")  # amber, readable
        return current.color("success") if current else QColor("#15803d")

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.EditRole or row.status is RowStatus.REFUSED:
            return False
        if index.column() == TYPE_COLUMN:
            return self.set_protection([row.key], Protection(str(value))) > 0
        if index.column() == TITLE_COLUMN:
            problem = self.batch.set_title(row.key, str(value))
            if problem is not None:
                self.title_refused.emit(problem)
                return False
            self._refresh_rows({row.key})
            return True
        return False
