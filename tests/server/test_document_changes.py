"""The documents change feed (F2.9): creations, changes and deletions come through in order, scoped to the
caller; tokens are bound to their scope; and a feed read while writers commit out of order never skips a
change (threads, SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import json
import random
import threading
import time
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import load_rights
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.services import document_changes
from coffreo_desktop.server.services.document_changes import FeedScope
from coffreo_desktop.server.services.document_search import view_of
from tests.support import ServerHarness

URL = "/api/v1/documents"
FEED = f"{URL}/changes"
SCOPE = ("PAR11", "NAN", "LYO")


def caller(server: ServerHarness) -> dict[str, str]:
    server.make_user(
        "synchro@exemple.fr",
        {"PAR11": (Right.ADMIN,), "NAN": (Right.DIFFUSION,), "LYO": (Right.ACOMPTES,)},
    )
    return server.login("synchro@exemple.fr")


def doc_ids(server: ServerHarness, code: str, **where: Any) -> list[int]:
    with server.ctx.db.reader() as s:
        query = select(Document.id).where(
            Document.agency_id == server.agency_id(code), Document.deleted_at.is_(None)
        )
        for name, value in where.items():
            column = getattr(Document, name)
            query = query.where(column.in_(value) if isinstance(value, set) else column == value)
        return list(s.scalars(query.order_by(Document.id)))


def copy_document(session: Any, source_id: int, now: datetime, title: str) -> Document:
    source = session.get(Document, source_id)
    copy = Document(
        agency_id=source.agency_id,
        doc_type=source.doc_type,
        title=title,
        file_name=source.file_name,
        blob_sha256=source.blob_sha256,
        size=source.size,
        pages=source.pages,
        document_date=date(2026, 3, 1),
        created_at=now,
        changed_at=now,
    )
    session.add(copy)
    session.flush()
    return copy


def read_all(
    server: ServerHarness, headers: dict[str, str], since: str, **params: Any
) -> tuple[list[Any], str]:
    items: list[Any] = []
    for _ in range(1000):
        response = server.client.get(FEED, params={"since": since, **params}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        since = body["next"]
        if not body["more"]:
            return items, since
    raise AssertionError("flux sans fin")


def head(server: ServerHarness, headers: dict[str, str], **params: Any) -> str:
    body = server.client.get(FEED, params=params, headers=headers).json()
    assert body["items"] == [] and body["more"] is False
    return str(body["next"])


def test_without_since_the_feed_gives_the_head_and_nothing_before_it(server: ServerHarness) -> None:
    headers = caller(server)
    token = head(server, headers)
    items, again = read_all(server, headers, token)
    assert items == []
    assert again == token


def test_creation_change_and_deletion_come_through_in_commit_order(server: ServerHarness) -> None:
    headers = caller(server)
    token = head(server, headers)
    invoice = doc_ids(server, "NAN", invoice_state={InvoiceState.NOT_DOWNLOADED, InvoiceState.DOWNLOADED})[0]
    contracts = {DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT}
    contract = doc_ids(server, "PAR11", doc_type=contracts, signature_state=SignatureState.UNSIGNED)[0]
    server.clock.advance(minutes=1)
    with server.session() as s, s.begin():
        created = copy_document(s, doc_ids(server, "LYO")[0], server.clock(), "Attestation ajoutée").id
    server.clock.advance(minutes=1)
    with server.session() as s, s.begin():
        s.get(Document, invoice).invoice_state = InvoiceState.VALIDATED  # no changed_at written by hand
    server.clock.advance(minutes=1)
    assert server.client.delete(f"{URL}/{contract}", headers=headers).status_code == 204

    items, _ = read_all(server, headers, token)

    assert [i["id"] for i in items] == [created, invoice, contract]
    assert items[0]["deleted"] is False
    assert items[0]["document"] == server.client.get(f"{URL}/{created}", headers=headers).json()
    assert items[1]["document"]["invoice_state"] == "validated"
    assert items[2] == {"id": contract, "deleted": True, "document": None}


def test_small_pages_give_the_same_changes_as_one_page(server: ServerHarness) -> None:
    headers = caller(server)
    token = head(server, headers)
    sources = doc_ids(server, "PAR11")[:12]
    for n, source in enumerate(sources):
        server.clock.advance(seconds=1)
        with server.session() as s, s.begin():
            s.get(Document, source).title = f"Titre modifié {n}"
    whole, end = read_all(server, headers, token, limit=1000)
    paged, paged_end = read_all(server, headers, token, limit=5)
    assert [i["id"] for i in whole] == sources
    assert paged == whole and paged_end == end


def test_changes_outside_the_callers_agencies_are_never_revealed(server: ServerHarness) -> None:
    server.make_user("paris.seul@exemple.fr", {"PAR11": (Right.DIFFUSION,)})
    headers = server.login("paris.seul@exemple.fr")
    token = head(server, headers)
    paris, lyon = doc_ids(server, "PAR11")[0], doc_ids(server, "LYO")
    with server.session() as s, s.begin():
        s.get(Document, paris).title = "Changé à Paris"
        for doc_id in lyon[:3]:
            s.get(Document, doc_id).title = "Changé à Lyon"
        s.get(Document, lyon[3]).deleted_at = server.clock()
        copy_document(s, lyon[4], server.clock(), "Nouveau à Lyon")
    items, _ = read_all(server, headers, token)
    assert [i["id"] for i in items] == [paris]
    assert (
        server.client.get(FEED, params={"agency_id": server.agency_id("LYO")}, headers=headers).status_code
        == 403
    )


def test_agency_id_narrows_the_feed(server: ServerHarness) -> None:
    headers = caller(server)
    nan = server.agency_id("NAN")
    token = head(server, headers, agency_id=nan)
    changed = [doc_ids(server, "NAN")[0], doc_ids(server, "PAR11")[0]]
    with server.session() as s, s.begin():
        for doc_id in changed:
            s.get(Document, doc_id).title = "Modifié"
    items, _ = read_all(server, headers, token, agency_id=nan)
    assert [i["id"] for i in items] == [changed[0]]


def test_a_token_of_another_scope_or_user_or_tampered_is_refused_in_french(server: ServerHarness) -> None:
    headers = caller(server)
    nan = server.agency_id("NAN")
    token, narrowed = head(server, headers), head(server, headers, agency_id=nan)
    server.make_user("collegue@exemple.fr", {c: (Right.ADMIN,) for c in SCOPE})
    colleague = server.login("collegue@exemple.fr")
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    payload["i"] = "1 OR 1=1"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    for who, bad, params in [
        (colleague, token, {}),  # another user, same agencies
        (headers, narrowed, {}),  # the token of one agency, used for all
        (headers, token, {"agency_id": nan}),
        (headers, forged, {}),
        (headers, "pas-un-jeton!", {}),
    ]:
        response = server.client.get(FEED, params={"since": bad, **params}, headers=who)
        assert response.status_code == 400, (bad, params)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_changes_token"
        assert "synchronisation complète" in response.json()["detail"]


def test_a_right_granted_on_another_agency_asks_for_a_full_synchronisation(server: ServerHarness) -> None:
    """The new agency's older documents are not in the feed: the old token must not be taken silently."""
    headers = caller(server)
    token = head(server, headers)
    server.make_user("autre@exemple.fr", {})
    with server.session() as s, s.begin():
        from coffreo_desktop.server.db.models import RightGrant, StaffUser

        user = s.scalars(select(StaffUser).where(StaffUser.email == "synchro@exemple.fr")).one()
        other = s.scalars(select(Agency.id).where(Agency.code.not_in(SCOPE))).first()
        s.add(RightGrant(user_id=user.id, right=Right.ADMIN, agency_id=other, created_at=server.clock()))
    response = server.client.get(FEED, params={"since": token}, headers=headers)
    assert response.status_code == 400


def test_a_token_beyond_the_head_is_refused(server: ServerHarness) -> None:
    headers = caller(server)
    token = head(server, headers)
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    payload["c"] = "2099-01-01T00:00:00.000000+00:00"
    ahead = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    response = server.client.get(FEED, params={"since": ahead}, headers=headers)
    assert response.status_code == 400 and "restauration" in response.json()["detail"]


def test_a_change_stamped_early_but_committed_late_is_not_skipped(server: ServerHarness) -> None:
    """The race the commit-time position exists for: a request read its clock, a colleague's change
    committed and was read, then the first request commits with its older stamp."""
    headers = caller(server)
    token = head(server, headers)
    early, late = doc_ids(server, "PAR11")[:2]
    stamped_early = server.clock()
    server.clock.advance(seconds=5)
    with server.session() as s, s.begin():
        s.get(Document, late).title = "Validé par un collègue"
        s.get(Document, late).changed_at = server.clock()
    items, token = read_all(server, headers, token)
    assert [i["id"] for i in items] == [late]
    with server.session() as s, s.begin():
        s.get(Document, early).title = "Commis en retard"
        s.get(Document, early).changed_at = stamped_early
    items, _ = read_all(server, headers, token)
    assert [i["id"] for i in items] == [early]
    with server.ctx.db.reader() as s:
        assert s.get(Document, early).changed_at > s.get(Document, late).changed_at  # type: ignore[union-attr]


def test_a_document_changed_again_with_an_older_stamp_never_moves_back(server: ServerHarness) -> None:
    """A reader already past the document's position would miss its new change if it moved back."""
    headers = caller(server)
    token = head(server, headers)
    doc = doc_ids(server, "PAR11")[0]
    older = server.clock()
    server.clock.advance(seconds=5)
    with server.session() as s, s.begin():
        s.get(Document, doc).title = "Premier changement"
        s.get(Document, doc).changed_at = server.clock()
    _, token = read_all(server, headers, token)
    with server.session() as s, s.begin():
        s.get(Document, doc).title = "Second changement"
        s.get(Document, doc).changed_at = older
    items, _ = read_all(server, headers, token)
    assert [(i["id"], i["document"]["title"]) for i in items] == [(doc, "Second changement")]


def test_a_bulk_update_marked_with_touch_moves_up_the_feed(server: ServerHarness) -> None:
    headers = caller(server)
    token = head(server, headers)
    targets = doc_ids(server, "NAN")[:3]
    with server.session() as s, s.begin():
        document_changes.touch(s, targets)
        s.execute(update(Document).where(Document.id.in_(targets)).values(title="Renommé en masse"))
    items, _ = read_all(server, headers, token)
    assert sorted(i["id"] for i in items) == targets
    assert {i["document"]["title"] for i in items} == {"Renommé en masse"}


# -- concurrent writers and readers ----------------------------------------------------------------------


class TickClock:
    """A clock every call of which is later than the previous one, shared by threads."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(milliseconds=1)
            return self._now


def test_readers_never_miss_a_change_while_writers_commit_out_of_order(server: ServerHarness) -> None:
    """Writers read their clock, then wait a little before and inside their transaction, so commits land
    out of stamp order; readers follow the feed from a head token taken before a full listing, as the
    desktop does. At the end each reader's copy equals the database and the union of the pages is every
    change of its scope."""
    clock = TickClock(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    server.ctx.clock = clock
    user_id = server.make_user("fil@exemple.fr", {"PAR11": (Right.ADMIN,), "NAN": (Right.DIFFUSION,)})
    in_scope = frozenset({server.agency_id("PAR11"), server.agency_id("NAN")})
    pool = doc_ids(server, "PAR11")[:15] + doc_ids(server, "NAN")[:15] + doc_ids(server, "LYO")[:15]
    with server.ctx.db.reader() as s:
        rights = load_rights(s, user_id)
        agency_of = dict(
            s.execute(select(Document.id, Document.agency_id).where(Document.id.in_(pool))).all()
        )
    touched: set[int] = set()
    touched_lock = threading.Lock()
    writers_done = threading.Event()
    ready = threading.Barrier(3 + 2)  # 3 writers, 2 readers
    errors: list[BaseException] = []

    def write(seed: int) -> None:
        rng = random.Random(seed)
        ready.wait()
        for n in range(25):
            stamp = clock()
            time.sleep(rng.random() * 0.004)
            with server.ctx.db.writer() as s, s.begin():
                kind = rng.random()
                if kind < 0.25:
                    doc = copy_document(s, rng.choice(pool), stamp, f"Nouveau {seed}-{n}")
                else:
                    doc = s.get(Document, rng.choice(pool))
                    if kind < 0.35:
                        doc.deleted_at = doc.deleted_at or stamp
                    elif kind < 0.7:
                        doc.title = f"Titre {seed}-{n}"
                    else:
                        doc.invoice_state = rng.choice(list(InvoiceState))
                    doc.changed_at = stamp
                s.flush()
                changed = (doc.id, doc.agency_id)
                time.sleep(rng.random() * 0.004)  # commit late: a later stamp may commit first
            with touched_lock:
                touched.add(changed[0])
                agency_of[changed[0]] = changed[1]

    def read(limit: int, results: list[Any]) -> None:
        scope = FeedScope(user_id, in_scope)
        with server.ctx.db.reader() as s:
            token = document_changes.changes(s, scope, rights, None).next
        with server.ctx.db.reader() as s:  # the full listing, after the head token
            docs = s.scalars(
                select(Document).where(Document.agency_id.in_(in_scope), Document.deleted_at.is_(None))
            ).all()
            names = dict(s.execute(select(Agency.id, Agency.name)).all())
            copy = {d.id: asdict(view_of(d, names[d.agency_id], rights)) for d in docs}
        seen: set[int] = set()
        ready.wait()
        while True:
            finished = writers_done.is_set()
            with server.ctx.db.reader() as s:
                page = document_changes.changes(s, scope, rights, token, limit)
            for item in page.items:
                seen.add(item.id)
                if item.deleted:
                    copy.pop(item.id, None)
                else:
                    copy[item.id] = asdict(item.document)
            token = page.next
            if finished and not page.more:
                break
            time.sleep(0.001)
        results.append((copy, seen))

    def guarded(fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            ready.abort()

    outputs: list[list[Any]] = [[], []]
    writers = [threading.Thread(target=guarded, args=(write, seed)) for seed in range(3)]
    readers = [
        threading.Thread(target=guarded, args=(read, limit, out))
        for limit, out in zip((3, 50), outputs, strict=True)
    ]
    for thread in [*writers, *readers]:
        thread.start()
    for thread in writers:
        thread.join(120)
    writers_done.set()
    for thread in readers:
        thread.join(120)
    assert not errors, errors

    with server.ctx.db.reader() as s:
        docs = s.scalars(
            select(Document).where(Document.agency_id.in_(in_scope), Document.deleted_at.is_(None))
        ).all()
        names = dict(s.execute(select(Agency.id, Agency.name)).all())
        truth = {d.id: asdict(view_of(d, names[d.agency_id], rights)) for d in docs}
    expected_seen = {i for i in touched if agency_of[i] in in_scope}
    assert len(touched) > 30 and expected_seen != touched  # the test wrote in and out of the scope
    for copy, seen in (out[0] for out in outputs):
        assert seen == expected_seen
        assert copy == truth
