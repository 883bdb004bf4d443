"""The SQL of the documents search (F2.2–F2.4, F2.7): the sort keys and criteria, and one statement per shape
of search for a page and for the count. :mod:`document_search` runs them.

How a page stays as cheap at 1,000,000 documents as at 1,000, on SQLite and PostgreSQL: every sort has a
partial index (agency_id, sort key, id, filter columns) over live documents (models.documents,
SEARCH_SORT_KEYS). A page takes, for each agency in scope, the next ``limit + 1`` rows of that agency's range
of the index after the cursor, and merges them (UNION ALL, then ORDER BY ... LIMIT): a few index range
reads, never a sort of the whole result. The filters of the simple search are checked in the index; only the
advanced criterion (a "contains" LIKE) reads table rows. On SQLite the index is named (INDEXED BY): with
no statistics its planner would sometimes pick a filter's index and sort everything.

The sort by agency orders by what the user sees, the agency's name (then its id, for equal names). Within one
agency that key is constant, so the order is "agencies by (name, id), each one's documents by id": the search
ranks the agencies in scope for each request, and a page reads each agency's range of the (agency_id, id)
index after that agency's own bound, the ranges merged by rank.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql

from coffreo_desktop.domain.documents import SignatureState
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.db.models.documents import AGENCY_SORT, SIGNATURE_SORT_LETTERS, search_index_name
from coffreo_desktop.server.services import search_cursor


class Signed(StrEnum):
    YES = "yes"
    NO = "no"


class Order(StrEnum):
    ASC = "asc"
    DESC = "desc"


#: The advanced search criteria (F2.3) and the column each one searches.
CRITERIA: dict[str, Any] = {
    "matricule": Document.matricule,
    "last_name": Document.employee_last_name,
    "first_name": Document.employee_first_name,
    "contract_number": Document.contract_number,
    "client": Document.client_name,
    "invoice_number": Document.invoice_number,
    "title": Document.title,
}


def _sql(value: str) -> ColumnElement[str]:
    # Written in the SQL, not bound: SQLite matches an index expression only to the same literal text
    # (models.documents.SEARCH_SORT_KEYS), and a bound parameter is never equal to it.
    return literal_column(f"'{value}'", String())


def _text(column: Any) -> ColumnElement[str]:
    # NULL sorts as '' on both databases (their NULL orders differ), so keyset comparisons never meet NULL.
    return func.coalesce(type_coerce(column, String()), _sql(""))


def _signature_rank(column: Any) -> ColumnElement[str]:
    """The letter of the state's rank in French label order (the index's nested replace())."""
    ranked: ColumnElement[str] = type_coerce(column, String())
    for state, letter in SIGNATURE_SORT_LETTERS:
        ranked = func.replace(ranked, _sql(state), _sql(letter), type_=String())
    return ranked


#: Every sortable column (F2.4): the SQL key and how the cursor stores it. Each key is the expression of its
#: index (models.documents.SEARCH_SORT_KEYS); tests/server/test_documents_search.py checks the plans. The
#: sort by agency has no key over documents (see the module's docstring).
SORTS: dict[str, tuple[Any, search_cursor.KeyKind]] = {
    "document_date": (Document.document_date, "date"),
    "doc_type": (type_coerce(Document.doc_type, String()), "str"),
    "title": (Document.title, "str"),
    "last_name": (_text(Document.employee_last_name), "str"),
    "first_name": (_text(Document.employee_first_name), "str"),
    "matricule": (_text(Document.matricule), "str"),
    "client_name": (_text(Document.client_name), "str"),
    "contract_number": (_text(Document.contract_number), "str"),
    "invoice_number": (_text(Document.invoice_number), "str"),
    "size": (Document.size, "int"),
    "created_at": (Document.created_at, "datetime"),
    "invoice_state": (_text(Document.invoice_state), "str"),
    "signature_state": (_signature_rank(Document.signature_state), "str"),
    AGENCY_SORT: (None, "agency"),
}
_SIGNED_STATE = {Signed.YES: SignatureState.SIGNED, Signed.NO: SignatureState.UNSIGNED}


@dataclass(frozen=True)
class Shape:
    """What a search's SQL depends on, its values aside: the searches of one shape share one statement, built
    once (building and compiling the UNION of many agencies costs far more than running it)."""

    sort: str = "document_date"
    order: Order = Order.DESC
    limit: int = 0
    agencies: int = 0  # with ``lateral``, any number
    lateral: bool = False  # PostgreSQL: the scope is an array the statement runs through
    after: bool = False  # continues after a cursor (the sort by agency: bounds per agency instead)
    types: bool = False
    signed: Signed | None = None
    since: bool = False
    criterion: str | None = None  # when a value is given
    invoice_state: bool = False

    @property
    def fixed_key(self) -> bool:
        """Whether a filter leaves one value of the sort's key: one signature state, sorted by signature."""
        return self.sort == "signature_state" and self.signed is not None

    def filters_only(self) -> Shape:
        return Shape(
            types=self.types,
            signed=self.signed,
            since=self.since,
            criterion=self.criterion,
            invoice_state=self.invoice_state,
        )


def filters(shape: Shape) -> list[ColumnElement[bool]]:
    """Every condition but the scope and the cursor; values are named parameters (document_search._values)."""
    # Written as the search indexes' own condition, so that both planners may use them (partial indexes).
    where: list[ColumnElement[bool]] = [Document.deleted_at.is_(None)]
    if shape.types:
        where.append(Document.doc_type.in_(bindparam("types", expanding=True)))
    if shape.fixed_key and shape.signed is not None:
        # Sorted by signature, the filter is one value of the sort's key: the index is read from that state's
        # entries on, not through the other states' (most documents need no signature). And only so: given
        # signature_state = ?, SQLite would put the value in place of the column in the key, which would then
        # no longer be the index's expression.
        letter = dict(SIGNATURE_SORT_LETTERS)[_SIGNED_STATE[shape.signed].value]
        where.append(_equal(shape, SORTS["signature_state"][0], _sql(letter)))
    elif shape.signed is not None:
        where.append(Document.signature_state == _SIGNED_STATE[shape.signed])
    if shape.since:
        where.append(Document.document_date >= bindparam("since"))
    if shape.criterion is not None:
        column = CRITERIA[shape.criterion]
        where.append(func.lower(column).like(bindparam("pattern"), escape="\\"))
    if shape.invoice_state:
        where.append(Document.invoice_state == bindparam("invoice_state"))
    return where


def _equal(shape: Shape, key: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
    """key = value, for one tie of the sort's key. PostgreSQL gets it as key >= value AND key <= value: given
    "=", it would take the key for a constant and drop it from the order, which the (agency_id, id) index of
    the sort by agency then also serves; it sometimes picks that one, reading the agency's whole range."""
    if shape.lateral:
        return and_(key >= value, key <= value)
    return key == value


def _ranges(shape: Shape) -> list[tuple[tuple[ColumnElement[bool], ...], bool]]:
    """The rows after the cursor as index ranges, each with whether it is one tie of the key: the cursor's
    key with the ids beyond, then the keys beyond (no cursor: the whole range; one tie where a filter fixes
    the key).

    Written so, not as (key, id) > (k, i): SQLite seeks a row value on its first column at most (on none for
    an expression), and would then step through every tie of the key (most documents have no invoice state).
    """
    if not shape.after:
        return [((), shape.fixed_key)]
    key, _ = SORTS[shape.sort]
    # The cursor's key binds with the key's own type (dates and timestamps as the column stores them).
    bound, row = bindparam("after_key", type_=key.type), bindparam("after_id", type_=Document.id.type)
    ascending = shape.order is Order.ASC
    tie = (_equal(shape, key, bound), Document.id > row if ascending else Document.id < row)
    # With one value of the key, no key lies beyond: SQLite would read the others' entries to find none.
    return (
        [(tie, True)]
        if shape.fixed_key
        else [(tie, True), ((key > bound if ascending else key < bound,), False)]
    )


def _agency_page(
    shape: Shape, agency: ColumnElement[Any], span: tuple[ColumnElement[bool], ...], tie: bool
) -> Select[Any]:
    """The next rows of one agency in one range: a range of the sort's index read in order, no sort."""
    key, _ = SORTS[shape.sort]
    # Within a tie the order is the id's alone on SQLite: it would sort the whole tie for an ORDER BY on its
    # (constant) expression. PostgreSQL keeps the key (see _equal).
    row_order = Document.id.asc() if shape.order is Order.ASC else Document.id.desc()
    if tie and not shape.lateral:
        ordering: tuple[Any, ...] = (row_order,)
    else:
        ordering = search_cursor.ordering((key, Document.id), shape.order is Order.ASC)
    return (
        select(key.label("sort_key"), Document.id.label("id"))
        .with_hint(Document, f"INDEXED BY {search_index_name(shape.sort)}", "sqlite")
        .where(Document.agency_id == agency, *filters(shape), *span)
        .order_by(*ordering)
        .limit(shape.limit + 1)
    )


def _ranked_agency_page(
    shape: Shape, agency: ColumnElement[Any], rank: ColumnElement[Any], bound: ColumnElement[Any]
) -> Select[Any]:
    """The sort by agency: the next rows of one agency, its range of the (agency_id, id) index after ``bound``
    read in order; ``rank`` (the agency's by name) is their sort key."""
    ascending = shape.order is Order.ASC
    in_agency = Document.agency_id == agency
    ordering: tuple[Any, ...] = (Document.id,)
    if shape.lateral:
        # The primary key reads ids in order too, and PostgreSQL takes it on a small table, or where it
        # guesses the agency's rows are many: then an agency with no row left to show reads the whole table
        # (300 ms for 1,000,000 documents). Ordered by (agency_id, id), only the agency's index serves;
        # written "= ANY(ARRAY[...])", as with "=" PostgreSQL drops the order of a column equal to one value.
        in_agency = Document.agency_id == any_(postgresql.array([agency]))
        ordering = (Document.agency_id, Document.id)
    return (
        select(rank.label("sort_key"), Document.id.label("id"))
        .with_hint(Document, f"INDEXED BY {search_index_name(AGENCY_SORT)}", "sqlite")
        .where(in_agency, *filters(shape), Document.id > bound if ascending else Document.id < bound)
        .order_by(*(column.asc() if ascending else column.desc() for column in ordering))
        .limit(shape.limit + 1)
    )


def _array(name: str) -> Any:
    return bindparam(name, type_=postgresql.ARRAY(BigInteger))


@functools.lru_cache(maxsize=256)
def page_statement(shape: Shape) -> Select[Any]:
    """One page: per agency and range, the next rows of the sort's index, merged; then their documents."""
    ascending = shape.order is Order.ASC
    by_agency = shape.sort == AGENCY_SORT
    if shape.lateral:
        # PostgreSQL runs one per-agency query for each agency of an array (a LATERAL join): planned once,
        # whatever the number of agencies, where a UNION of hundreds of them takes longer to plan than to run.
        if by_agency:  # the agencies come ranked; each with its bound, its place (from 1) is its rank
            scope = (
                func.unnest(_array("agencies"), _array("bounds"))
                .table_valued("agency_id", "bound", with_ordinality="rank")
                .render_derived(name="scope")
            )
            arms = [_ranked_agency_page(shape, scope.c.agency_id, scope.c.rank, scope.c.bound)]
        else:
            scope = func.unnest(_array("agencies")).table_valued("agency_id").render_derived(name="scope")
            arms = [_agency_page(shape, scope.c.agency_id, span, tie) for span, tie in _ranges(shape)]
        rows = (arms[0] if len(arms) == 1 else union_all(*arms)).lateral("rows")
        columns = (rows.c.sort_key, rows.c.id)
        merged = (
            select(*columns)
            .select_from(scope)
            .join(rows, true())
            .order_by(*search_cursor.ordering(columns, ascending))
            .limit(shape.limit + 1)
        )
    else:
        if by_agency:
            parts = [
                _ranked_agency_page(
                    shape,
                    bindparam(f"agency_{number}"),
                    literal_column(str(number)),
                    bindparam(f"bound_{number}", type_=Document.id.type),
                )
                for number in range(shape.agencies)
            ]
        else:
            parts = [
                _agency_page(shape, bindparam(f"agency_{number}"), span, tie)
                for number in range(shape.agencies)
                for span, tie in _ranges(shape)
            ]
        merged = search_cursor.merged(parts, ascending, shape.limit + 1)
    page = merged.subquery("page")
    return (
        select(Document, Agency.name, page.c.sort_key)
        .select_from(page)
        .join(Document, Document.id == page.c.id)
        .join(Agency, Agency.id == Document.agency_id)
        .order_by(*search_cursor.ordering((page.c.sort_key, page.c.id), ascending))
    )


@functools.lru_cache(maxsize=64)
def count_statement(shape: Shape) -> Select[Any]:
    # Every search index holds the filter columns; the doc_type one serves the types as ranges, the
    # document_date one the period. A "contains" criterion alone reads every row of the scope: a plain scan
    # of the table costs less than reaching each row from an index (a tenth of it on SQLite).
    if shape.criterion is not None and not shape.since:
        hint = "NOT INDEXED"
    else:
        hint = f"INDEXED BY {search_index_name('doc_type' if shape.types else 'document_date')}"
    return (
        select(func.count())
        .select_from(Document)
        .with_hint(Document, hint, "sqlite")
        .where(Document.agency_id.in_(bindparam("agencies", expanding=True)), *filters(shape))
    )
