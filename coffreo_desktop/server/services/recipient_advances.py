"""A worker's salary advances from their vault (F5.1, F5.2): the employers and agencies they may ask, a
new request (an amount or the maximum), cancelling it while "Envoyée", and the list of their requests.

The account covers every Employee row with its email (one per employer, recipient_auth.employees_of);
a request belongs to the row attached to its agency. Anything outside the account answers 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import (
    AmountError,
    amount_sort_cents,
    check_within_maximum,
    format_euros,
    parse_amount,
    sources_of,
)
from coffreo_desktop.domain.states import AdvanceState, TransitionError, transition
from coffreo_desktop.server.db.models import (
    AdvanceRequest,
    Agency,
    Brand,
    Employee,
    EmployeeAgency,
    RecipientAccount,
)
from coffreo_desktop.server.db.models.recipients import EMPLOYEE
from coffreo_desktop.server.errors import Conflict, Forbidden, Invalid, NotFound
from coffreo_desktop.server.services import advances_scope, audit
from coffreo_desktop.server.services.advance_policy import maximum_for, paris_today
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.recipient_auth import employees_of

AGENCY_NOT_FOUND = "Cette agence ne fait pas partie de vos employeurs."
REQUEST_NOT_FOUND = "Demande d'acompte introuvable."
OPEN_REQUEST_EXISTS = (
    "Vous avez déjà une demande d'acompte en cours auprès de cette agence : attendez sa réponse ou "
    "annulez-la avant d'en envoyer une nouvelle."
)
ALREADY_ANSWERED = "Cette demande a déjà reçu une réponse de l'agence : elle ne peut plus être annulée."
ALREADY_CANCELLED = "Cette demande est déjà annulée."
AMOUNT_AND_MAXIMUM = "Indiquez un montant ou demandez le montant maximum, pas les deux."
SERVICE_OFF = (
    "Cet employeur ne propose pas les demandes d'acompte en ligne : adressez-vous directement à votre agence."
)
NOTHING_POSSIBLE = (
    "Aucun acompte n'est possible pour le moment auprès de cette agence : le maximum possible est de {}."
)

Sort = Literal["date", "amount", "agency"]
Order = Literal["asc", "desc"]


@dataclass(frozen=True)
class AgencyOption:
    agency_id: int
    agency_name: str
    maximum_cents: int
    earnings_known: bool
    open_request_id: int | None


@dataclass(frozen=True)
class EmployerOption:
    brand_id: int
    brand_name: str
    agencies: list[AgencyOption]


@dataclass(frozen=True)
class Options:
    employers: list[EmployerOption]


@dataclass(frozen=True)
class RecipientAdvance:
    """One request as its worker sees it: the staff AdvanceOut without who decided."""

    id: int
    version: int
    state: AdvanceState
    brand_id: int
    brand_name: str
    agency_id: int
    agency_name: str
    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    amount_cents: int | None
    wants_maximum: bool
    comment: str
    created_at: datetime
    granted_cents: int | None
    decision_comment: str
    decided_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class RecipientAdvances:
    items: list[RecipientAdvance]


def _employee_ids(session: Session, account_id: int) -> list[int]:
    account = session.get(RecipientAccount, account_id)
    return [e.id for e in employees_of(session, account)] if account is not None else []


def _attachments(session: Session, employee_ids: Sequence[int]) -> list[tuple[int, int, str, int, str]]:
    """(employee id, agency id, agency name, brand id, brand name) of every agency the rows work for."""
    rows = session.execute(
        select(EmployeeAgency.employee_id, Agency.id, Agency.name, Brand.id, Brand.name)
        .join(Agency, Agency.id == EmployeeAgency.agency_id)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(
            EmployeeAgency.employee_id.in_(employee_ids),
            Agency.brand_id.in_(advances_scope.enabled_brands()),  # employers with the service only
        )
        .order_by(Brand.name, Agency.name, EmployeeAgency.employee_id)
    )
    return [(e, a, an, b, bn) for e, a, an, b, bn in rows]


def _open_requests(session: Session, employee_ids: Sequence[int]) -> dict[int, int]:
    """Open request id per agency."""
    rows = session.execute(
        select(AdvanceRequest.agency_id, AdvanceRequest.id).where(
            AdvanceRequest.employee_id.in_(employee_ids), AdvanceRequest.state == AdvanceState.SENT
        )
    ).all()
    return {agency: request for agency, request in rows}


def options(session: Session, account_id: int, *, today: date) -> Options:
    """The employers and agencies the worker may ask an advance from, with today's maximum at each."""
    ids = _employee_ids(session, account_id)
    opened = _open_requests(session, ids)
    employers: dict[int, EmployerOption] = {}
    seen: set[int] = set()
    for employee_id, agency_id, agency_name, brand_id, brand_name in _attachments(session, ids):
        if agency_id in seen:  # two rows of the worker at one agency: the oldest row speaks for them
            continue
        seen.add(agency_id)
        limit = maximum_for(session, employee_id, agency_id, today)
        employer = employers.setdefault(brand_id, EmployerOption(brand_id, brand_name, []))
        employer.agencies.append(
            AgencyOption(
                agency_id, agency_name, limit.maximum_cents, limit.earnings_known, opened.get(agency_id)
            )
        )
    return Options(list(employers.values()))


def _view(session: Session, row_ids: Sequence[int]) -> list[RecipientAdvance]:
    rows = session.execute(
        select(AdvanceRequest, Employee, Agency.name, Brand.id, Brand.name)
        .join(Employee, Employee.id == AdvanceRequest.employee_id)
        .join(Agency, Agency.id == AdvanceRequest.agency_id)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(AdvanceRequest.id.in_(row_ids))
    ).all()
    return [
        RecipientAdvance(
            id=r.id,
            version=r.version,
            state=r.state,
            brand_id=brand_id,
            brand_name=brand_name,
            agency_id=r.agency_id,
            agency_name=agency_name,
            employee_id=e.id,
            matricule=e.matricule,
            first_name=e.first_name,
            last_name=e.last_name,
            amount_cents=r.amount_cents,
            wants_maximum=r.wants_maximum,
            comment=r.comment,
            created_at=r.created_at,
            granted_cents=r.granted_cents,
            decision_comment=r.decision_comment,
            decided_at=r.decided_at,
            cancelled_at=r.cancelled_at,
        )
        for r, e, agency_name, brand_id, brand_name in rows
    ]


def _one(session: Session, request_id: int) -> RecipientAdvance:
    (found,) = _view(session, [request_id])
    return found


def _amount(amount: str | int | float | None, wants_maximum: bool) -> int | None:
    """Cents asked, None for "le montant maximum possible"; 422 for what parse_amount refuses."""
    if amount is None or (isinstance(amount, str) and not amount.strip() and wants_maximum):
        return None
    if wants_maximum:
        raise Invalid(AMOUNT_AND_MAXIMUM, code="amount_and_maximum")
    try:
        return parse_amount(amount)
    except AmountError as error:
        raise Invalid(str(error), code=error.code) from None


def create(
    session: Session,
    account_id: int,
    *,
    agency_id: int,
    amount: str | int | float | None,
    wants_maximum: bool,
    comment: str,
    now: datetime,
) -> RecipientAdvance:
    """A new request ("Envoyée") of the worker at the agency; at most one open per worker and agency."""
    ids = _employee_ids(session, account_id)
    employee_id = session.scalar(
        select(EmployeeAgency.employee_id)
        .where(EmployeeAgency.employee_id.in_(ids), EmployeeAgency.agency_id == agency_id)
        .order_by(EmployeeAgency.employee_id)
        .limit(1)
    )
    if employee_id is None:
        raise NotFound(AGENCY_NOT_FOUND, code="agency_not_found")
    if not advances_scope.with_service(session, [agency_id]):
        raise Forbidden(SERVICE_OFF, code="service_disabled")
    cents = _amount(amount, wants_maximum)
    # Two requests sent at once must not both pass the check below: on PostgreSQL the employee row is
    # locked until the end of the transaction; on SQLite the writer transaction (BEGIN IMMEDIATE) already
    # runs alone.
    session.execute(select(Employee.id).where(Employee.id.in_(ids)).order_by(Employee.id).with_for_update())
    opened = _open_requests(session, ids).get(agency_id)
    if opened is not None:
        raise Conflict(OPEN_REQUEST_EXISTS, code="open_request_exists", open_request_id=opened)
    limit = maximum_for(session, employee_id, agency_id, paris_today(now))
    if cents is None and limit.maximum_cents <= 0:
        raise Invalid(NOTHING_POSSIBLE.format(format_euros(0)), code="amount_above_maximum")
    if cents is not None:
        try:
            check_within_maximum(cents, limit)
        except AmountError as error:
            raise Invalid(str(error), code=error.code, maximum_cents=limit.maximum_cents) from None
    row = AdvanceRequest(
        employee_id=employee_id,
        agency_id=agency_id,
        amount_cents=cents,
        wants_maximum=cents is None,
        comment=comment.strip(),
        state=AdvanceState.SENT,
        created_at=now,
        version=1,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        Actor(EMPLOYEE, employee_id),
        "advance.requested",
        "advance_request",
        row.id,
        agency_id=agency_id,
        details={"amount_cents": cents, "wants_maximum": cents is None, "maximum_cents": limit.maximum_cents},
    )
    return _one(session, row.id)


def _owned(session: Session, account_id: int, request_id: int) -> AdvanceRequest:
    row = session.get(AdvanceRequest, request_id)
    if row is None or row.employee_id not in _employee_ids(session, account_id):
        raise NotFound(REQUEST_NOT_FOUND, code="advance_not_found")
    return row


def _not_cancellable(row: AdvanceRequest) -> Conflict:
    cancelled = row.state is AdvanceState.CANCELLED
    return Conflict(
        ALREADY_CANCELLED if cancelled else ALREADY_ANSWERED, code="already_answered", state=row.state
    )


def cancel(session: Session, account_id: int, request_id: int, *, now: datetime) -> RecipientAdvance:
    """Cancel the worker's request while it waits ("Envoyée"); 409 ``already_answered`` otherwise."""
    row = _owned(session, account_id, request_id)
    target = AdvanceState.CANCELLED
    try:
        transition(row.state, target)  # the state machine: only "Envoyée" may be cancelled
    except TransitionError:
        raise _not_cancellable(row) from None
    # Compare-and-set on the states the machine cancels from, like the agency's decision: whichever of
    # the two commits first wins, the other matches no row.
    result = session.execute(
        update(AdvanceRequest)
        .where(AdvanceRequest.id == request_id, AdvanceRequest.state.in_(sorted(sources_of(target))))
        .values(state=target, cancelled_at=now, version=AdvanceRequest.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise _not_cancellable(row)
    session.refresh(row)
    audit.record(
        session,
        Actor(EMPLOYEE, row.employee_id),
        "advance.cancelled",
        "advance_request",
        row.id,
        agency_id=row.agency_id,
    )
    return _one(session, row.id)


def _sort_key(sort: Sort, item: RecipientAdvance) -> tuple[object, ...]:
    if sort == "amount":
        # The staff's history sorts the same way (domain.advances.amount_sort_cents): "le montant maximum"
        # by what it was granted once accepted, else as the largest amount.
        return (amount_sort_cents(item.amount_cents, item.granted_cents), item.created_at, item.id)
    if sort == "agency":
        return (item.agency_name.casefold(), item.agency_name, item.created_at, item.id)
    return (item.created_at, item.id)


def list_requests(
    session: Session, account_id: int, *, sort: Sort = "date", order: Order = "desc"
) -> RecipientAdvances:
    """Every request of the worker, at every employer. A worker's list is short: sorted here."""
    ids = _employee_ids(session, account_id)
    row_ids = session.scalars(select(AdvanceRequest.id).where(AdvanceRequest.employee_id.in_(ids))).all()
    items = sorted(_view(session, row_ids), key=lambda i: _sort_key(sort, i), reverse=order == "desc")
    return RecipientAdvances(items)
