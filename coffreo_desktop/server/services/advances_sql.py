"""The SQL of the staff's advance lists: one joined row per request (worker, agency, decider), the sort
keys of the history and the keyset conditions that continue a page after its last row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from coffreo_desktop.domain.advances import HISTORY_SORTS, MAXIMUM_SORTS_AS
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, Agency, Employee, StaffUser
from coffreo_desktop.server.services.advance_policy import paris_day_start

Decider = aliased(StaffUser, name="decider")

#: The processed states, listed by "Historique des demandes".
HISTORY_STATES = (AdvanceState.ACCEPTED, AdvanceState.REFUSED, AdvanceState.CANCELLED)

ROW_COLUMNS: tuple[Any, ...] = (
    AdvanceRequest.id,
    AdvanceRequest.version,
    AdvanceRequest.state,
    AdvanceRequest.agency_id,
    Agency.name.label("agency_name"),
    Agency.code.label("agency_code"),
    AdvanceRequest.employee_id,
    Employee.matricule,
    Employee.first_name,
    Employee.last_name,
    AdvanceRequest.amount_cents,
    AdvanceRequest.wants_maximum,
    AdvanceRequest.comment,
    AdvanceRequest.created_at,
    AdvanceRequest.granted_cents,
    AdvanceRequest.decision_comment,
    AdvanceRequest.decided_at,
    Decider.first_name.label("decider_first_name"),
    Decider.last_name.label("decider_last_name"),
    AdvanceRequest.cancelled_at,
)

#: Each history sort: the SQL key (never NULL, so that keyset comparisons hold) and its cursor kind.
#: "decided_at" of a cancelled request is when the worker cancelled it (when it left the queue);
#: "amount" follows domain.advances.amount_sort_cents (the worker's list sorts the same way): a "montant
#: maximum" request (no amount) by what it was granted, else after every real amount; nothing granted
#: sorts as 0 under "granted"; states sort by value,
#: which is also the order of their French labels (Acceptée, Annulée, Refusée); the decider by the name
#: shown ("Prénom Nom").
SORT_KEYS: dict[str, tuple[Any, str]] = {
    "created_at": (AdvanceRequest.created_at, "datetime"),
    "decided_at": (func.coalesce(AdvanceRequest.decided_at, AdvanceRequest.cancelled_at), "datetime"),
    "last_name": (Employee.last_name, "str"),
    "matricule": (Employee.matricule, "str"),
    "agency": (Agency.name, "str"),
    "amount": (
        func.coalesce(AdvanceRequest.amount_cents, AdvanceRequest.granted_cents, MAXIMUM_SORTS_AS),
        "int",
    ),
    "granted": (func.coalesce(AdvanceRequest.granted_cents, 0), "int"),
    "state": (AdvanceRequest.state, "str"),
    "decided_by": (func.coalesce(Decider.first_name + " " + Decider.last_name, ""), "str"),
}
assert set(SORT_KEYS) == set(HISTORY_SORTS)
#: The sorts on a column of the worker, the agency or the decider: their page query needs the joins.
JOINED_SORTS = frozenset({"last_name", "matricule", "agency", "decided_by"})


@dataclass(frozen=True)
class Filters:
    """What a list asks for: agencies already narrowed to the caller's scope, Paris dates on created_at."""

    agency_ids: frozenset[int]
    date_from: date | None = None
    date_to: date | None = None

    def digest_input(self) -> dict[str, Any]:
        return {"a": sorted(self.agency_ids), "f": self.date_from, "t": self.date_to}


def joined(*columns: Any) -> Select[Any]:
    """SELECT ``columns`` over a request joined to its worker, agency and (if any) decider."""
    return (
        select(*columns)
        .select_from(AdvanceRequest)
        .join(Employee, Employee.id == AdvanceRequest.employee_id)
        .join(Agency, Agency.id == AdvanceRequest.agency_id)
        .outerjoin(Decider, Decider.id == AdvanceRequest.decided_by)
    )


def where_filters(
    query: Select[Any], filters: Filters, states: tuple[AdvanceState, ...], on: Any = None
) -> Select[Any]:
    """Restrict to the states, the agencies and the Paris day range (on created_at unless ``on``)."""
    column = AdvanceRequest.created_at if on is None else on
    query = query.where(AdvanceRequest.agency_id.in_(sorted(filters.agency_ids)))
    query = query.where(
        AdvanceRequest.state == states[0] if len(states) == 1 else AdvanceRequest.state.in_(states)
    )
    if filters.date_from is not None:
        query = query.where(column >= paris_day_start(filters.date_from))
    if filters.date_to is not None:
        query = query.where(column < paris_day_start(filters.date_to + timedelta(days=1)))
    return query


def after(key: ColumnElement[Any], value: Any, row_id: int, ascending: bool) -> ColumnElement[bool]:
    """Rows strictly after (``value``, ``row_id``) in ORDER BY key, id (both ``ascending`` or not)."""
    if ascending:
        return or_(key > value, and_(key == value, AdvanceRequest.id > row_id))
    return or_(key < value, and_(key == value, AdvanceRequest.id < row_id))


def ordered(key: ColumnElement[Any], ascending: bool) -> tuple[Any, Any]:
    if ascending:
        return key.asc(), AdvanceRequest.id.asc()
    return key.desc(), AdvanceRequest.id.desc()


def decider_name(first: str | None, last: str | None) -> str | None:
    if first is None and last is None:
        return None
    return f"{first or ''} {last or ''}".strip()


def as_view(row: Any) -> dict[str, Any]:
    """One joined row as the API's AdvanceOut."""
    return {
        "id": row.id,
        "version": row.version,
        "state": str(row.state),
        "agency_id": row.agency_id,
        "agency_name": row.agency_name,
        "agency_code": row.agency_code,
        "employee_id": row.employee_id,
        "matricule": row.matricule,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "amount_cents": row.amount_cents,
        "wants_maximum": row.wants_maximum,
        "comment": row.comment,
        "created_at": row.created_at,
        "granted_cents": row.granted_cents,
        "decision_comment": row.decision_comment,
        "decided_at": row.decided_at,
        "decided_by_name": decider_name(row.decider_first_name, row.decider_last_name),
        "cancelled_at": row.cancelled_at,
    }
