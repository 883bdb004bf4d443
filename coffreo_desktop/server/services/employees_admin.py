"""Administration "Mes salariés" (F6.2): the employees of one establishment with their vault state, counts,
a search as you type, reminders to activate the vault (in batches; 24-hour rule per mailbox:
services/reminders.py) and the employee's folder. The caller holds "A" on the establishment
(api/employees_admin.py checks it).

The search compares prefixes of accent- and case-free keys stored with each employee (domain/search_text.py,
migration 0006): each of last name, first name and matricule is an index range, and the list is read in
(last name, first name, id) order with a keyset cursor, so a keystroke costs a few index probes whatever
the size of the establishment.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType
from coffreo_desktop.domain.limits import REMINDER_BATCH
from coffreo_desktop.domain.search_text import search_key
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, Brand, Delivery, Document, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Invalid, NotFound
from coffreo_desktop.server.mail import outbox
from coffreo_desktop.server.services import delivery, recipient_auth, reminders
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.search_cursor import INVALID_CURSOR

TARGET = "employee"
MAX_LIMIT = 200
#: Above every character a key holds: ``key < prefix + TOP`` closes the prefix range.
TOP = "\uffff"
#: Ids are BIGINT: a cursor's id must be below this.
MAX_ID = 2**63
NOT_FOUND = "Ce salarié n'est pas rattaché à cet établissement."
TOO_MANY = f"{REMINDER_BATCH} salariés au plus par demande : envoyez la suite dans une autre demande."
SAME_MAILBOX = "Un rappel part déjà à la même adresse e-mail pour un autre salarié."


class Status(StrEnum):
    ALL = "tous"
    ACTIVATED = "actives"
    NOT_ACTIVATED = "non_actives"


class EmployeeRow(BaseModel):
    id: int
    matricule: str
    first_name: str
    last_name: str
    activated: bool
    created_at: datetime  # the vault's creation (first document), else the employee's record
    activated_at: datetime | None
    last_document_at: datetime | None


class EmployeesPage(BaseModel):
    items: list[EmployeeRow]
    next_cursor: str | None


class EmployeeCounts(BaseModel):
    total: int
    created: int  # vaults created (a first document was delivered)
    activated: int
    not_activated: int


class SkippedOut(BaseModel):
    id: int
    name: str
    until: datetime


class NotSentOut(BaseModel):
    id: int
    name: str
    reason: str


class ReminderOut(BaseModel):
    reminded: int
    reminded_ids: list[int]
    skipped: list[SkippedOut]
    not_sent: list[NotSentOut]
    #: "Relancer tous": the last id this batch looked at when more may follow, else None (and always None
    #: for a selection); ``remaining``: the not-activated employees after it.
    next_after_id: int | None = None
    remaining: int = 0


class AgencyOut(BaseModel):
    id: int
    name: str


class FolderDocument(BaseModel):
    id: int
    title: str
    doc_type: DocumentType
    document_date: date
    delivered_at: datetime


class EmployeeFolder(BaseModel):
    id: int
    matricule: str
    civility: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    birth_date: date | None
    created_at: datetime
    vault_created_at: datetime | None
    vault_activated_at: datetime | None
    edelivery_opposed: bool
    edelivery_opposed_at: datetime | None
    last_document_at: datetime | None
    agencies: list[AgencyOut]
    documents: list[FolderDocument]


def _in_agency(agency_id: int) -> ColumnElement[bool]:
    # A correlated EXISTS (one probe of the (employee_id, agency_id) unique index per candidate), not IN: with
    # IN, SQLite reads the agency's whole membership first and sorts every employee, ~50 ms at 100,000.
    return (
        select(EmployeeAgency.id)
        .where(EmployeeAgency.employee_id == Employee.id, EmployeeAgency.agency_id == agency_id)
        .exists()
    )


def _status(status: Status) -> ColumnElement[bool] | None:
    if status is Status.ACTIVATED:
        return Employee.vault_activated_at.is_not(None)
    if status is Status.NOT_ACTIVATED:
        return _waiting()
    return None


def _waiting() -> ColumnElement[bool]:
    """ "Non activé": the vault exists (a first document was delivered) and was not activated. An employee
    without a vault has nothing to activate: neither counted, nor listed, nor reminded by "relancer tous"."""
    return and_(Employee.vault_created_at.is_not(None), Employee.vault_activated_at.is_(None))


def _prefix(column: Any, key: str) -> ColumnElement[bool]:
    return and_(column >= key, column < key + TOP)


def _matching(query: str) -> ColumnElement[bool] | None:
    key = search_key(query)
    if not key:
        return None
    return or_(
        _prefix(Employee.search_last, key),
        _prefix(Employee.search_first, key),
        _prefix(Employee.search_matricule, key),
    )


def _encode(row: Employee) -> str:
    raw = json.dumps([row.search_last, row.search_first, row.id], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> tuple[str, str, int]:
    try:
        last, first, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise Invalid(INVALID_CURSOR, code="invalid_cursor") from exc
    # bool is an int to Python, and an id past BIGINT would fail in the database (a 500), not here.
    valid_id = isinstance(row_id, int) and not isinstance(row_id, bool) and 0 < row_id < MAX_ID
    if not (isinstance(last, str) and isinstance(first, str) and valid_id):
        raise Invalid(INVALID_CURSOR, code="invalid_cursor")
    return last, first, row_id


def _row(e: Employee) -> EmployeeRow:
    return EmployeeRow(
        id=e.id,
        matricule=e.matricule,
        first_name=e.first_name,
        last_name=e.last_name,
        activated=e.vault_activated_at is not None,
        created_at=e.vault_created_at or e.created_at,
        activated_at=e.vault_activated_at,
        last_document_at=e.last_document_at,
    )


def _selection(agency_id: int, status: Status, query: str) -> Select[tuple[Employee]]:
    stmt = select(Employee).where(_in_agency(agency_id))
    for condition in (_status(status), _matching(query)):
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def list_employees(
    session: Session,
    agency_id: int,
    *,
    status: Status = Status.ALL,
    query: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> EmployeesPage:
    """One page of the establishment's employees, by last name, first name and id."""
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = _selection(agency_id, status, query)
    if cursor:
        key = _decode(cursor)
        stmt = stmt.where(tuple_(Employee.search_last, Employee.search_first, Employee.id) > tuple_(*key))
    order = (Employee.search_last, Employee.search_first, Employee.id)
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return EmployeesPage(items=[_row(e) for e in rows], next_cursor=_encode(rows[-1]) if more else None)


def counts(session: Session, agency_id: int) -> EmployeeCounts:
    created = func.sum(case((Employee.vault_created_at.is_not(None), 1), else_=0))
    activated = func.sum(case((Employee.vault_activated_at.is_not(None), 1), else_=0))
    waiting = func.sum(case((_waiting(), 1), else_=0))
    total, n_created, n_activated, n_waiting = session.execute(
        select(func.count(Employee.id), created, activated, waiting)
        .select_from(EmployeeAgency)
        .join(Employee, Employee.id == EmployeeAgency.employee_id)
        .where(EmployeeAgency.agency_id == agency_id)
    ).one()
    # not_activated is the "non activés" filter's own condition, so the count and the list agree; as an
    # activated vault was created first, it is created - activated.
    return EmployeeCounts(
        total=total,
        created=int(n_created or 0),
        activated=int(n_activated or 0),
        not_activated=int(n_waiting or 0),
    )


def _employee(session: Session, agency_id: int, employee_id: int) -> Employee:
    employee = session.scalars(
        select(Employee).where(Employee.id == employee_id, _in_agency(agency_id))
    ).first()
    if employee is None:
        raise NotFound(NOT_FOUND, code="employee_not_found")
    return employee


def _name(e: Employee) -> str:
    return f"{e.first_name} {e.last_name}".strip()


def _waiting_batch(session: Session, agency_id: int, after_id: int | None) -> list[Employee]:
    """The next REMINDER_BATCH not-activated employees of the establishment after ``after_id``, by id."""
    stmt = select(Employee).where(_in_agency(agency_id), _waiting())
    if after_id is not None:
        stmt = stmt.where(Employee.id > after_id)
    return list(session.scalars(stmt.order_by(Employee.id).limit(REMINDER_BATCH)))


def _waiting_after(session: Session, agency_id: int, after_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Employee.id)).where(_in_agency(agency_id), _waiting(), Employee.id > after_id)
        )
        or 0
    )


def remind(
    session: Session,
    agency_id: int,
    *,
    employee_ids: list[int] | None,
    actor: Actor,
    settings: ServerSettings,
    now: datetime,
    after_id: int | None = None,
) -> ReminderOut:
    """Send the vault activation mail again to these employees (at most REMINDER_BATCH), or with None to
    the next batch of not-activated employees after ``after_id``: the caller commits each batch, and
    ``next_after_id`` says where the following one starts (None: this one was the last)."""
    batch: list[Employee] = []
    if employee_ids is None:
        batch = _waiting_batch(session, agency_id, after_id)
        people = {e.id: e for e in batch}
    else:
        wanted = set(employee_ids)
        if len(wanted) > REMINDER_BATCH:
            raise Invalid(TOO_MANY, code="too_many_employees")
        scope = select(Employee).where(_in_agency(agency_id))
        # Chunked although REMINDER_BATCH ids fit one IN clause: every statement of a reminder stays under
        # reminders.IN_CHUNK parameters, whatever that bound (tests/server/test_admin_fixes.py lowers it).
        people = {
            e.id: e
            for part in reminders.chunks(sorted(wanted))
            for e in session.scalars(scope.where(Employee.id.in_(part)))
        }
        if wanted - people.keys():
            raise NotFound(NOT_FOUND, code="employee_not_found")
    reasons: dict[int, str] = {}
    mailer = _Reminder(session, agency_id, settings, now)

    def send(employee_id: int) -> bool:
        employee = people[employee_id]
        reason = mailer.send(employee)
        if reason:
            reasons[employee_id] = reason
        return not reason

    result = reminders.remind(
        session, target_kind=TARGET, targets={i: e.email for i, e in people.items()}, now=now, actor=actor,
        send=send, agency_id=agency_id,
    )  # fmt: skip
    reasons.update(dict.fromkeys(result.same_mailbox, SAME_MAILBOX))
    next_after_id, remaining = None, 0
    if len(batch) == REMINDER_BATCH:
        # Counted after this batch: a reminder may activate another row of the same person (the vault joins
        # an existing account). A full last batch answers remaining 0 and no next batch.
        remaining = _waiting_after(session, agency_id, batch[-1].id)
        next_after_id = batch[-1].id if remaining else None
    not_sent = sorted(result.failed + result.same_mailbox)
    return ReminderOut(
        reminded=len(result.reminded),
        reminded_ids=result.reminded,
        skipped=[SkippedOut(id=i, name=_name(people[i]), until=until) for i, until in result.skipped],
        not_sent=[NotSentOut(id=i, name=_name(people[i]), reason=reasons[i]) for i in not_sent],
        next_after_id=next_after_id,
        remaining=remaining,
    )


class _Reminder:
    """The reminder mail: the vault invitation of delivery.py, with a fresh activation link."""

    def __init__(self, session: Session, agency_id: int, settings: ServerSettings, now: datetime) -> None:
        self.session, self.settings, self.now = session, settings, now
        agency = session.get(Agency, agency_id)
        brand = session.get(Brand, agency.brand_id) if agency else None
        self.agency = agency.name if agency else ""
        self.brand = brand.name if brand else ""
        self.logo = brand.logo_svg if brand else None

    def send(self, employee: Employee) -> str:
        """Queue the mail; the French reason when it cannot be sent, else ""."""
        if employee.vault_activated_at is not None:
            return "Son coffre-fort est déjà activé."
        if employee.vault_created_at is None:
            return "Son coffre-fort n'est pas encore créé : il le sera avec son premier document."
        if not reminders.mailbox(employee.email):  # none, or only spaces: no mailbox, no 24-hour slot
            return "Aucune adresse e-mail n'est enregistrée pour ce salarié."
        token = recipient_auth.activation_token(self.session, employee, now=self.now)
        if token is None:  # an account exists for this address: the vault has just joined it
            return "Son coffre-fort est déjà activé."
        issuer = f"{self.agency} ({self.brand})" if self.brand else self.agency
        paragraphs = [
            f"{issuer} vous rappelle que vos documents vous attendent dans votre coffre-fort numérique.",
            "Activez-le, il est gratuit et personnel : vos documents y restent disponibles, même si vous "
            "changez d'employeur.",
        ]
        link = f"{self.settings.links_base}{delivery.VAULT_ACTIVATION_PATH}/{token}"
        text, body_html = delivery.render_mail(
            self.brand, _name(employee), paragraphs, "Activer mon coffre-fort", link, self.logo
        )
        prefix = f"{self.brand} — " if self.brand else ""
        outbox.queue(
            self.session,
            kind=delivery.MAIL_VAULT_INVITATION,
            to=employee.email,
            subject=f"{prefix}Rappel : activez votre coffre-fort numérique",
            text=text,
            html=body_html,
            now=self.now,
        )
        return ""


def folder(
    session: Session, agency_id: int, employee_id: int, visible_agencies: Collection[int]
) -> EmployeeFolder:
    """The employee's folder: profile, agencies, e-delivery opposition and the documents of this
    establishment delivered to their vault, newest first. Only the agencies the caller may see are listed
    (``visible_agencies``, as the rights matrix does): other establishments are not theirs to know."""
    e = _employee(session, agency_id, employee_id)
    agencies = session.execute(
        select(Agency.id, Agency.name)
        .join(EmployeeAgency, EmployeeAgency.agency_id == Agency.id)
        .where(EmployeeAgency.employee_id == e.id, Agency.id.in_(list(visible_agencies)))
        .order_by(Agency.name)
    )
    docs = session.execute(
        select(Document.id, Document.title, Document.doc_type, Document.document_date, Delivery.delivered_at)
        .join(Delivery, Delivery.document_id == Document.id)
        .where(Delivery.employee_id == e.id, Document.agency_id == agency_id, Document.deleted_at.is_(None))
        .order_by(Delivery.delivered_at.desc(), Document.id.desc())
    )
    return EmployeeFolder(
        id=e.id,
        matricule=e.matricule,
        civility=e.civility,
        first_name=e.first_name,
        last_name=e.last_name,
        email=e.email,
        phone=e.phone,
        address=e.address,
        birth_date=e.birth_date,
        created_at=e.created_at,
        vault_created_at=e.vault_created_at,
        vault_activated_at=e.vault_activated_at,
        edelivery_opposed=e.edelivery_opposed_at is not None,
        edelivery_opposed_at=e.edelivery_opposed_at,
        last_document_at=e.last_document_at,
        agencies=[AgencyOut(id=i, name=n) for i, n in agencies],
        documents=[
            FolderDocument(id=i, title=t, doc_type=d, document_date=dd, delivered_at=at)
            for i, t, d, dd, at in docs
        ],
    )
