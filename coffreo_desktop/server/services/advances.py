"""Salary advances, staff side (F5.3, F5.4, F5.7): the pending queue and the history of the agencies the
caller holds "DA" on (keyset pages), a request's detail with its maximum, and the decision: one atomic
compare-and-bump, so that of two colleagues only one processes a request and the other is told who did."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import (
    MAX_COMMENT,
    AmountError,
    Maximum,
    check_within_maximum,
    format_euros,
    parse_amount,
    sources_of,
)
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.states import AdvanceState, TransitionError, transition
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import AdvanceRequest
from coffreo_desktop.server.errors import Conflict, Invalid, NotFound
from coffreo_desktop.server.services import advance_mails, audit, search_cursor
from coffreo_desktop.server.services.advance_policy import maximum_for, paris_today
from coffreo_desktop.server.services.advances_sql import (
    HISTORY_STATES,
    JOINED_SORTS,
    ROW_COLUMNS,
    SORT_KEYS,
    Filters,
    after,
    as_view,
    joined,
    ordered,
    where_filters,
)
from coffreo_desktop.server.services.audit import Actor

NOT_FOUND = "Cette demande d'acompte n'existe pas ou ne fait pas partie de votre périmètre."
PAST_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None  # None when not asked for (the CSV reads page after page)


def _count(session: Session, filters: Filters, states: tuple[AdvanceState, ...]) -> int:
    query = where_filters(select(func.count()).select_from(AdvanceRequest), filters, states)
    return int(session.scalar(query) or 0)


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"La taille de page (limit) doit être comprise entre 1 et {MAX_LIMIT}.")
    return limit


def pending(session: Session, filters: Filters, cursor: str | None, limit: int = 100) -> Page:
    """Requests waiting ("Envoyée"), oldest first: the queue is processed in arrival order."""
    return _page(session, filters, (AdvanceState.SENT,), "created_at", "asc", cursor, limit, "pending")


def history(
    session: Session, filters: Filters, sort: str, order: str, cursor: str | None, limit: int = 100
) -> Page:
    """Processed requests (accepted, refused, cancelled), sorted on any offered column, ties by id."""
    if sort not in SORT_KEYS:
        raise Invalid(f"Tri inconnu « {sort} » : choisissez parmi {', '.join(SORT_KEYS)}.")
    if order not in ("asc", "desc"):
        raise Invalid("L'ordre de tri (order) doit être « asc » ou « desc ».")
    return _page(session, filters, HISTORY_STATES, sort, order, cursor, limit, "history")


def _page(
    session: Session,
    filters: Filters,
    states: tuple[AdvanceState, ...],
    sort: str,
    order: str,
    cursor: str | None,
    limit: int,
    kind: str,
    with_total: bool = True,
) -> Page:
    limit = _limit(limit)
    key, key_kind = SORT_KEYS[sort]
    ascending = order == "asc"
    digest = search_cursor.filters_digest({"list": kind, **filters.digest_input()})
    # Two steps: the page's ids from the requests' own index (joined to the worker, agency or decider
    # only when the sort needs them), then the page's rows joined: thousands of rows waiting cost a
    # scan of index entries, not thousands of joins.
    ids = select(AdvanceRequest.id, key.label("sort_key"))
    ids = joined(AdvanceRequest.id, key.label("sort_key")) if sort in JOINED_SORTS else ids
    ids = where_filters(ids, filters, states)
    if cursor:
        last = search_cursor.decode(cursor, key_kind, sort, order, digest)
        ids = ids.where(after(key, last.key, last.id, ascending))
    found = ids.order_by(*ordered(key, ascending)).limit(limit + 1).subquery("page")
    query = joined(*ROW_COLUMNS, found.c.sort_key).join(found, found.c.id == AdvanceRequest.id)
    by_key = (
        (found.c.sort_key.asc(), found.c.id.asc())
        if ascending
        else (found.c.sort_key.desc(), found.c.id.desc())
    )
    rows = session.execute(query.order_by(*by_key)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        tail = rows[-1]
        value = str(tail.sort_key) if key_kind == "str" else tail.sort_key
        next_cursor = search_cursor.encode(search_cursor.Cursor(sort, order, digest, value, tail.id))
    total = _count(session, filters, states) if with_total else None
    return Page([as_view(r) for r in rows], next_cursor, total)


def iter_history(session: Session, filters: Filters, sort: str, order: str) -> Iterator[dict[str, Any]]:
    """Every history row in the list's order, read page by page (the CSV streams it)."""
    cursor: str | None = None
    while True:
        page = _page(session, filters, HISTORY_STATES, sort, order, cursor, MAX_LIMIT, "history", False)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


@dataclass(frozen=True)
class PendingCount:
    total: int
    by_agency: dict[int, int]
    latest_id: int | None

    @property
    def etag(self) -> str:
        """Changes whenever a request arrives or leaves the queue (the desktop polls with If-None-Match)."""
        payload = json.dumps([self.total, sorted(self.by_agency.items()), self.latest_id])
        return '"' + hashlib.sha256(payload.encode()).hexdigest()[:24] + '"'


def pending_count(session: Session, agency_ids: frozenset[int]) -> PendingCount:
    rows = session.execute(
        select(AdvanceRequest.agency_id, func.count(), func.max(AdvanceRequest.id))
        .where(AdvanceRequest.agency_id.in_(sorted(agency_ids)), AdvanceRequest.state == AdvanceState.SENT)
        .group_by(AdvanceRequest.agency_id)
    ).all()
    by_agency = {agency: int(n) for agency, n, _ in rows}
    return PendingCount(sum(by_agency.values()), by_agency, max((m for *_, m in rows), default=None))


def _row(session: Session, request_id: int) -> Any:
    return session.execute(joined(*ROW_COLUMNS).where(AdvanceRequest.id == request_id)).first()


def visible(session: Session, agency_ids: frozenset[int], request_id: int) -> dict[str, Any]:
    """The request as AdvanceOut when it belongs to ``agency_ids``; 404 otherwise (not told it exists)."""
    row = _row(session, request_id)
    if row is None or row.agency_id not in agency_ids:
        raise NotFound(NOT_FOUND, code="advance_not_found")
    return as_view(row)


def past_requests(
    session: Session, agency_ids: frozenset[int], request: dict[str, Any]
) -> list[dict[str, Any]]:
    """The same worker's other requests at agencies the caller has "DA" on, newest first."""
    rows = session.execute(
        joined(*ROW_COLUMNS)
        .where(
            AdvanceRequest.employee_id == request["employee_id"],
            AdvanceRequest.agency_id.in_(sorted(agency_ids)),
            AdvanceRequest.id != request["id"],
        )
        .order_by(AdvanceRequest.created_at.desc(), AdvanceRequest.id.desc())
        .limit(PAST_LIMIT)
    ).all()
    return [as_view(r) for r in rows]


def maximum_of(session: Session, request: dict[str, Any], now: datetime) -> Maximum:
    return maximum_for(session, request["employee_id"], request["agency_id"], paris_today(now))


def _when(moment: datetime) -> str:
    shown = moment.astimezone(ZoneInfo(DISPLAY_TZ))
    return f"le {shown:%d/%m/%Y} à {shown:%H:%M}"


def already_processed(view: dict[str, Any]) -> Conflict:
    """The 409 of a request no longer waiting: who processed it and when, in French."""
    state = view["state"]
    if state == AdvanceState.CANCELLED and view["cancelled_at"] is not None:
        detail = f"Demande annulée par le salarié {_when(view['cancelled_at'])}."
    elif state in (AdvanceState.ACCEPTED, AdvanceState.REFUSED) and view["decided_at"] is not None:
        who = view["decided_by_name"] or "un collègue"
        detail = f"Demande déjà traitée par {who} {_when(view['decided_at'])}."
    else:
        detail = "Demande modifiée entre-temps : rechargez-la avant de la traiter."
    moment = view["decided_at"] or view["cancelled_at"]
    return Conflict(
        detail,
        code="already_processed",
        state=state,
        decided_by_name=view["decided_by_name"],
        decided_at=moment.isoformat() if moment is not None else None,
        version=view["version"],
    )


@dataclass(frozen=True)
class Decision:
    decision: str  # "accept" | "refuse"
    amount: str | int | float | None
    comment: str
    version: int


def _granted(session: Session, view: dict[str, Any], decision: Decision, now: datetime) -> int:
    """The amount an acceptance grants, checked against the maximum and the amount asked."""
    limit = maximum_of(session, view, now)
    try:
        if decision.amount is not None and not (
            isinstance(decision.amount, str) and not decision.amount.strip()
        ):
            cents = parse_amount(decision.amount)
        elif view["amount_cents"] is not None and not view["wants_maximum"]:
            cents = view["amount_cents"]
        else:
            cents = limit.maximum_cents
            if cents <= 0:
                raise AmountError(
                    "maximum_zero", "Le maximum possible est nul sur la période : refusez la demande."
                )
        check_within_maximum(cents, limit)
    except AmountError as error:
        raise Invalid(str(error), code=error.code, maximum_cents=limit.maximum_cents) from None
    asked = view["amount_cents"]
    if asked is not None and not view["wants_maximum"] and cents > asked:
        raise Invalid(
            f"Le montant accordé ne peut pas dépasser le montant demandé ({format_euros(asked)}).",
            code="amount_above_asked",
        )
    return cents


def _target(decision: Decision, comment: str) -> AdvanceState:
    if len(comment) > MAX_COMMENT:
        raise Invalid(f"Le commentaire dépasse {MAX_COMMENT} caractères.", code="comment_too_long")
    if decision.decision == "refuse":
        if not comment:
            raise Invalid("Indiquez le motif du refus (commentaire).", code="comment_required")
        return AdvanceState.REFUSED
    if decision.decision == "accept":
        return AdvanceState.ACCEPTED
    raise Invalid("La décision doit être « accept » ou « refuse ».", code="invalid_decision")


def _allowed(view: dict[str, Any], target: AdvanceState) -> bool:
    try:
        transition(AdvanceState(view["state"]), target)
    except TransitionError:
        return False
    return True


def decide(
    session: Session,
    settings: ServerSettings,
    actor: Actor,
    agency_ids: frozenset[int],
    request_id: int,
    decision: Decision,
    now: datetime,
) -> dict[str, Any]:
    """Accept (fully or partly) or refuse a waiting request; 409 ``already_processed`` when a colleague or
    the worker got there first, whatever the order in which the two transactions run."""
    view = visible(session, agency_ids, request_id)
    # Early answer for the common case (the desktop showed an old version), before checking the body:
    # the colleague who lost wants to know who processed the request, not that a comment is missing.
    wanted = AdvanceState.REFUSED if decision.decision == "refuse" else AdvanceState.ACCEPTED
    if not _allowed(view, wanted) or view["version"] != decision.version:
        raise already_processed(view)
    return apply_decision(session, settings, actor, agency_ids, view, decision, now)


def apply_decision(
    session: Session,
    settings: ServerSettings,
    actor: Actor,
    agency_ids: frozenset[int],
    view: dict[str, Any],
    decision: Decision,
    now: datetime,
) -> dict[str, Any]:
    """Write the decision on ``view`` (the request as read, possibly already stale): the compare-and-bump
    alone decides whether it still applies. ``decide`` calls it; tests call it with a stale view."""
    request_id = view["id"]
    comment = decision.comment.strip()
    target = _target(decision, comment)
    if not _allowed(view, target):  # the state machine, on the state as read
        raise already_processed(view)
    granted = _granted(session, view, decision, now) if target is AdvanceState.ACCEPTED else None
    # The one write that decides who wins: a colleague's decision or the worker's cancellation that
    # committed first changed the version and left the states the machine moves from, so this matches
    # no row (PostgreSQL re-reads the row after the other transaction commits; SQLite runs writers alone).
    bumped = session.execute(
        update(AdvanceRequest)
        .where(
            AdvanceRequest.id == request_id,
            AdvanceRequest.version == decision.version,
            AdvanceRequest.state.in_(sorted(sources_of(target))),
        )
        .values(
            state=target,
            granted_cents=granted,
            decision_comment=comment,
            decided_by=actor.id,
            decided_at=now,
            version=AdvanceRequest.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        session.expire_all()
        raise already_processed(visible(session, agency_ids, request_id))
    row = session.get(AdvanceRequest, request_id)
    assert row is not None
    session.refresh(row)
    audit.record(
        session,
        actor,
        f"advance.{target.value}",
        "advance_request",
        request_id,
        agency_id=view["agency_id"],
        details={
            "employee_id": view["employee_id"],
            "amount_cents": view["amount_cents"],
            "wants_maximum": view["wants_maximum"],
            "granted_cents": granted,
            "version": row.version,
        },
    )
    advance_mails.queue_answered(session, settings, row, now)
    return visible(session, agency_ids, request_id)
