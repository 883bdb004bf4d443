"""The incremental change feed of documents (F2.9: the desktop's lists synchronise "only what changed").

A page lists the documents of the caller's scope whose position ``(changed_at, id)`` lies after the
token, in that order; a deleted one comes as ``deleted=True`` with no content.

Why a page can never skip a change. The app clock stamps ``changed_at`` before the transaction commits,
and transactions commit in any order: a request that took ``now`` first may commit last (on PostgreSQL
freely; on SQLite too, since a request reads its clock before it waits for the write lock). A reader
that had moved its token past that later-committed stamp would never see it. So the stamp is not
trusted as written: it is *re-assigned at commit*, under a lock, to a value above every position already
committed, the changed rows' own former positions included (``_stamp_at_commit`` below, a SQLAlchemy
``before_commit`` hook that sees every Document the session inserted or changed). Positions therefore
grow in commit order, and:

- the rows a reader sees (one statement, one snapshot) are a prefix of the commit order, hence every
  position at or below the highest visible one is already visible;
- a change committed after that snapshot gets a position above everything the snapshot held.

A page reads the head (highest position) first, then the rows in ``(token, head]``: any change it did
not return has a position above the ``next`` it hands out, so a later page returns it (or a later change
of the same document). On PostgreSQL the lock is a transaction advisory lock, released only once the
commit is visible to all, taken last (after the audit chain's lock: no lock-order cycle); sessions run at
READ COMMITTED, so the statement after the lock sees every commit stamped before. On SQLite the
database's single writer lock already serialises commits. We chose this over a settle window (only
handing out rows older than N seconds) because a window is only safe if no transaction ever takes longer
than N and every server's clock agrees; this holds whatever the durations and clocks.

The stamp stays the writer's ``now`` unless a commit already used a later value (then it is that value
plus one microsecond). Writers that change documents with a bulk ``UPDATE`` bypass the unit of work and
must call :func:`touch` with the ids they change.

Tokens are base64 JSON of the position and a digest of the scope (user and agencies) they were issued
for; another scope's token is refused (400), and so is one beyond the head (a restored database): the
desktop then synchronises in full.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, event, func, inspect, literal, select, tuple_, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import RightSet
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.db.models.base import UTCDateTime
from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.services.document_search import DocumentView, view_of

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
INVALID_TOKEN = (
    "Jeton de synchronisation invalide ou émis pour un autre périmètre (utilisateur ou agences) : "
    "une synchronisation complète est nécessaire."
)
TOKEN_AHEAD = (
    "Ce jeton de synchronisation est plus récent que les données du serveur (restauration ?) : "
    "une synchronisation complète est nécessaire."
)
#: The smallest step of a timestamp on both databases.
TICK = timedelta(microseconds=1)
#: The documents inserted or changed by the session's current transaction, in ``Session.info``.
_PENDING = "coffreo.documents_changes"
#: The PostgreSQL advisory lock that orders the commits of document changes (a stable 64-bit number).
CHANGE_LOCK = int.from_bytes(hashlib.sha256(b"coffreo.documents.changed_at").digest()[:8], "big", signed=True)
_CHUNK = 5000  # ids per IN (...): far below every database's bound-parameter limit


@dataclass(frozen=True)
class Position:
    """Where a row stands in the feed; ``changed_at`` None is the start, before any document."""

    changed_at: datetime | None
    id: int

    def not_after(self, other: Position) -> bool:
        if self.changed_at is None:
            return True
        if other.changed_at is None:
            return False
        return (self.changed_at, self.id) <= (other.changed_at, other.id)


@dataclass(frozen=True)
class FeedScope:
    """Whose feed it is: a token only continues the feed of the same user over the same agencies."""

    user_id: int | None
    agency_ids: frozenset[int]

    @property
    def digest(self) -> str:
        text = json.dumps(["changes", self.user_id, sorted(self.agency_ids)], separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DocumentChange:
    id: int
    deleted: bool
    document: DocumentView | None


@dataclass(frozen=True)
class ChangesPage:
    items: list[DocumentChange]
    next: str
    more: bool


# -- tokens ----------------------------------------------------------------------------------------------


def encode_token(position: Position, scope: FeedScope) -> str:
    moment = None if position.changed_at is None else position.changed_at.isoformat(timespec="microseconds")
    payload = {"v": 1, "c": moment, "i": position.id, "s": scope.digest}
    data = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def invalid_token(detail: str = INVALID_TOKEN) -> ProblemError:
    return ProblemError(detail, code="invalid_changes_token", status=400)


def decode_token(text: str, scope: FeedScope) -> Position:
    try:
        payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if not isinstance(payload, dict) or payload.get("v") != 1 or payload.get("s") != scope.digest:
            raise ValueError("another scope")
        row_id, moment = payload["i"], payload["c"]
        if type(row_id) is not int:
            raise ValueError("id")
        if moment is None:
            return Position(None, 0)
        changed_at = datetime.fromisoformat(moment)
        if changed_at.tzinfo is None:
            raise ValueError("naive")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid_token() from None
    return Position(changed_at, row_id)


# -- reading ---------------------------------------------------------------------------------------------


def _position_column() -> Any:
    return tuple_(Document.changed_at, Document.id)


def _bound(position: Position) -> Any:
    return tuple_(literal(position.changed_at, type_=UTCDateTime()), literal(position.id))


def head(session: Session) -> Position:
    """The highest position of all documents (index ix_documents_changed, read backwards)."""
    row = session.execute(
        select(Document.changed_at, Document.id)
        .order_by(Document.changed_at.desc(), Document.id.desc())
        .limit(1)
    ).first()
    return Position(None, 0) if row is None else Position(row[0], row[1])


def changes(
    session: Session,
    scope: FeedScope,
    rights: RightSet,
    since: str | None,
    limit: int = DEFAULT_LIMIT,
) -> ChangesPage:
    """One page of the scope's changes after ``since``; without ``since``, no items and the head token
    (taken *before* a full search, it makes the search plus the feed miss nothing)."""
    top = head(session)
    if since is None:
        return ChangesPage([], encode_token(top, scope), False)
    after = decode_token(since, scope)
    if not after.not_after(top):
        raise invalid_token(TOKEN_AHEAD)
    if top.changed_at is None or not scope.agency_ids:
        return ChangesPage([], encode_token(top, scope), False)
    where: list[ColumnElement[bool]] = [
        Document.agency_id.in_(sorted(scope.agency_ids)),
        _position_column() <= _bound(top),
    ]
    if after.changed_at is not None:
        where.append(_position_column() > _bound(after))
    rows = session.execute(
        select(Document, Agency.name)
        .join(Agency, Agency.id == Document.agency_id)
        .where(*where)
        .order_by(Document.changed_at, Document.id)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    # A full page stops at its last row; otherwise everything up to the head was seen (scope included:
    # other agencies' rows are passed over for good, never rescanned).
    last = Position(rows[-1][0].changed_at, rows[-1][0].id) if more else top
    items = [
        DocumentChange(doc.id, True, None)
        if doc.deleted_at is not None
        else DocumentChange(doc.id, False, view_of(doc, name, rights))
        for doc, name in rows
    ]
    return ChangesPage(items, encode_token(last, scope), more)


# -- writing: positions assigned at commit ---------------------------------------------------------------


@dataclass
class _Pending:
    """What the session's transaction changed, kept in ``Session.info`` until it commits."""

    ids: set[int] = field(default_factory=set)
    # The highest position our changed rows had before this transaction: a row must never move back,
    # or a reader whose token passed its old position would miss its change.
    previous: datetime | None = None
    # Rows flushed with their former position not loaded: their value at commit counts as the former.
    opaque: set[int] = field(default_factory=set)

    def saw(self, moment: datetime) -> None:
        self.previous = moment if self.previous is None else max(self.previous, moment)


def _pending(session: Session) -> _Pending:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = _Pending()
    return pending


def touch(session: Session, ids: Iterable[int]) -> None:
    """Mark documents changed outside the unit of work (a bulk ``update(Document)``): they move up the
    feed at commit. Call it before the UPDATE, which reads their positions so that none moves back (after
    it is fine too as long as the UPDATE wrote a ``changed_at`` no older than the former one)."""
    wanted = set(ids)
    if not wanted:
        return
    pending = _pending(session)
    pending.ids |= wanted
    former = _max_changed_at(session, wanted)
    if former is not None:
        pending.saw(former)


@event.listens_for(Session, "after_flush")
def _track_flushed_documents(session: Session, _context: Any) -> None:
    # After a flush the session still lists what it flushed (new, dirty) with its history; ids are known.
    for obj in session.new:
        if isinstance(obj, Document):
            _pending(session).ids.add(obj.id)
    for obj in session.dirty:
        if not isinstance(obj, Document) or not session.is_modified(obj, include_collections=False):
            continue
        pending = _pending(session)
        pending.ids.add(obj.id)
        history = inspect(obj).attrs.changed_at.history
        former = history.deleted or history.unchanged
        if former and former[0] is not None:
            pending.saw(former[0])
        else:
            pending.opaque.add(obj.id)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the whole transaction ended (committed or rolled back)
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "before_commit")
def _stamp_at_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer commit stamps
        return
    session.flush()  # the commit's own flush comes after this hook: flush now to see every change
    pending = session.info.pop(_PENDING, None)
    if pending is not None and pending.ids:
        stamp(session, pending)


def _max_changed_at(session: Session, ids: Iterable[int]) -> datetime | None:
    found = []
    ordered = sorted(ids)
    for n in range(0, len(ordered), _CHUNK):
        chunk = ordered[n : n + _CHUNK]
        found.append(session.scalar(select(func.max(Document.changed_at)).where(Document.id.in_(chunk))))
    return max((f for f in found if f is not None), default=None)


def stamp(session: Session, pending: _Pending) -> None:
    """Give the changed rows one position above every committed one, within the committing transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Held until the commit is visible: the next stamping transaction sees this one's positions.
        session.execute(select(func.pg_advisory_xact_lock(CHANGE_LOCK)))
    ours = pending.ids
    # The highest committed position of another row: among the top len+1 rows at most len are ours.
    top = session.execute(
        select(Document.changed_at, Document.id)
        .order_by(Document.changed_at.desc(), Document.id.desc())
        .limit(len(ours) + 1)
    ).all()
    floors = [next((changed for changed, row_id in top if row_id not in ours), None), pending.previous]
    if pending.opaque:
        floors.append(_max_changed_at(session, pending.opaque))
    floor = max((f for f in floors if f is not None), default=None)
    value = _max_changed_at(session, ours)
    if value is None:  # rolled back inside a savepoint: nothing of ours remains
        return
    if floor is not None and value <= floor:
        value = floor + TICK
    ordered = sorted(ours)
    for n in range(0, len(ordered), _CHUNK):
        session.execute(
            update(Document)
            .where(Document.id.in_(ordered[n : n + _CHUNK]))
            .values(changed_at=value)
            .execution_options(synchronize_session="evaluate")
        )
