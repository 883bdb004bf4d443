"""The recipient's signature (F7.1, issue 4): the documents awaiting the caller's signature, a one-time code
mailed to them, and on the right code their signature in their field of the PDF with an evidence record.

Who signs where. A worker signs the field ``EMPLOYEE_FIELD`` of a document delivered to them; a client
user allowed to sign contracts (F6.3) signs ``CLIENT_FIELD`` of their company's provision contracts. The
code that certifies a "document à signer" (server/pdf/seal.certify_for_signing) names the fields so.

The code. Six digits, valid ``CODE_TTL``, kept as an argon2id hash (security.hash_password), never in
clear: the installation has no server-wide secret for an HMAC, and an argon2 hash makes trying the
million codes against a copy of the database cost hours of CPU, while a code lives ten minutes. One live
code per signer and document (a new one ends the former), ``MAX_REQUESTS`` per signer and hour,
``MAX_ATTEMPTS`` wrong answers and the code is dead. Wrong answers are committed before the refusal.

Two signatures of one document at once: the document's row is locked (PostgreSQL; SQLite's writer lock
serialises writers already) and the update is conditional on the file signed being still the current one;
the loser gets 409 and keeps its code.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.domain.emails import normalize_email
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    ClientUser,
    Delivery,
    Document,
    Employee,
    RecipientAccount,
    SignatureEvidence,
    SigningCode,
)
from coffreo_desktop.server.db.models.recipients import CLIENT_USER, EMPLOYEE
from coffreo_desktop.server.errors import Conflict, Forbidden, Gone, Invalid, NotFound, Throttled
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.pdf.entity_keys import SealKeys
from coffreo_desktop.server.pdf.seal import sign_as_recipient, unsigned_fields
from coffreo_desktop.server.security import hash_password, verify_password
from coffreo_desktop.server.services import audit, document_changes, recipient_documents
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.recipient_auth import client_users_of, employees_of
from coffreo_desktop.server.storage.blobs import BlobStore

EMPLOYEE_FIELD = "Signature_salarie"
CLIENT_FIELD = "Signature_client"
CODE_TTL = timedelta(minutes=10)
CODE_TTL_TEXT = "10 minutes"
MAX_ATTEMPTS = 5
MAX_REQUESTS = 5
REQUEST_WINDOW = timedelta(hours=1)
MAIL_KIND = "signing_code"

NOT_AWAITED = "Ce document n'attend pas (ou plus) votre signature."
NO_SIGNING_RIGHT = (
    "Votre accès ne comprend pas la signature des contrats de cette entreprise : "
    "demandez ce droit à l'administrateur de votre espace."
)
TOO_MANY_REQUESTS = (
    "Vous avez demandé trop de codes de signature en une heure. Réessayez dans {minutes} minute(s)."
)
NO_CODE = "Aucun code de signature n'est en cours pour ce document : demandez un code."
EXPIRED = "Ce code de signature a expiré. Demandez un nouveau code."
USED = "Ce code de signature a déjà servi. Demandez un nouveau code."
DEAD = (
    "Ce code a été saisi trop de fois de manière erronée : il n'est plus valable. Demandez un nouveau code."
)
WRONG = "Code de signature erroné. Il vous reste {left} essai(s)."
RACE = "Ce document vient d'être modifié par une autre signature. Rechargez-le puis réessayez."


@dataclass(frozen=True)
class Signer:
    """Who signs for the caller, and where: an Employee or ClientUser row and its field in the PDF."""

    kind: str
    person: Employee | ClientUser
    field_name: str

    @property
    def stored_kind(self) -> str:
        return self.kind  # "employee" | "client_user" (migration 0005 made room for the latter)

    @property
    def name(self) -> str:
        return f"{self.person.first_name} {self.person.last_name}".strip()

    @property
    def email(self) -> str:
        return normalize_email(self.person.email or "")


@dataclass(frozen=True)
class CodeSent:
    """The answer to a code request: where it went and until when it is valid."""

    email: str
    expires_at: datetime


# -- which fields a file still awaits (content-addressed: a blob never changes) ---------------------------

_FIELDS: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_FIELDS_LOCK = Lock()
_FIELDS_MAX = 4096


def awaited_fields(blobs: BlobStore, sha256: str) -> tuple[str, ...]:
    """The empty signature fields of a stored file, cached by its hash; none when unreadable."""
    with _FIELDS_LOCK:
        if sha256 in _FIELDS:
            _FIELDS.move_to_end(sha256)
            return _FIELDS[sha256]
    try:
        found = tuple(unsigned_fields(blobs.read_verified(sha256)))
    except Exception:
        found = ()
    with _FIELDS_LOCK:
        _FIELDS[sha256] = found
        while len(_FIELDS) > _FIELDS_MAX:
            _FIELDS.popitem(last=False)
    return found


# -- listing ----------------------------------------------------------------------------------------------


def _account(session: Session, account_id: int) -> RecipientAccount:
    account = session.get(RecipientAccount, account_id)
    if account is None:
        raise NotFound(recipient_documents.NOT_FOUND, code="document_not_found")
    return account


def awaiting(
    session: Session, blobs: BlobStore, account_id: int
) -> list[recipient_documents.RecipientDocument]:
    """The caller's documents still awaiting their signature, newest delivered first."""
    account = _account(session, account_id)
    where: ColumnElement[bool] | None
    if account.kind == EMPLOYEE:
        ids = [e.id for e in employees_of(session, account)]
        where = Delivery.employee_id.in_(ids) if ids else None
        field = EMPLOYEE_FIELD
    else:
        companies = [u.client_id for u in client_users_of(session, account) if u.can_sign_contracts]
        where = (
            and_(
                Delivery.client_id.in_(companies),
                Delivery.client_user_id.is_(None),
                Document.doc_type == DocumentType.PROVISION_CONTRACT,
            )
            if companies
            else None
        )
        field = CLIENT_FIELD
    if where is None:
        return []
    rows = session.execute(
        select(Document.id, Document.blob_sha256)
        .join(Delivery, Delivery.document_id == Document.id)
        .where(where, Document.deleted_at.is_(None), Document.signature_state == SignatureState.UNSIGNED)
        .order_by(Delivery.delivered_at.desc(), Document.id.desc())
    ).all()
    seen: set[int] = set()
    wanted = []
    for doc_id, sha in rows:
        if doc_id not in seen and field in awaited_fields(blobs, sha):
            seen.add(doc_id)
            wanted.append(doc_id)
    return [recipient_documents.describe(session, account_id, doc_id) for doc_id in wanted]


# -- the signer of a document -----------------------------------------------------------------------------


def signer_of(
    session: Session, blobs: BlobStore, account_id: int, document_id: int
) -> tuple[Document, Signer]:
    """The document if it awaits the caller's signature, and who signs; 404 when it is not theirs, 403
    without the right to sign, 409 when it awaits no (more) signature of theirs."""
    account = _account(session, account_id)
    found = recipient_documents.find(session, account_id, document_id)
    doc = found.document
    signer: Signer
    if account.kind == CLIENT_USER:
        user = found.client_user
        assert user is not None
        if doc.doc_type is not DocumentType.PROVISION_CONTRACT:
            raise Conflict(NOT_AWAITED, code="signature_not_awaited")
        if not user.can_sign_contracts:
            raise Forbidden(NO_SIGNING_RIGHT, code="no_signing_right")
        signer = Signer(CLIENT_USER, user, CLIENT_FIELD)
    else:
        employee_id = session.scalar(select(Delivery.employee_id).where(Delivery.id == found.delivery_ids[0]))
        employee = session.get(Employee, employee_id) if employee_id is not None else None
        assert employee is not None  # find() matched this delivery on the caller's Employee rows
        signer = Signer(EMPLOYEE, employee, EMPLOYEE_FIELD)
    if doc.signature_state is not SignatureState.UNSIGNED or signer.field_name not in awaited_fields(
        blobs, doc.blob_sha256
    ):
        raise Conflict(NOT_AWAITED, code="signature_not_awaited")
    return doc, signer


# -- the code ---------------------------------------------------------------------------------------------


def _codes_of(signer: Signer, document_id: int) -> list[ColumnElement[bool]]:
    return [
        SigningCode.document_id == document_id,
        SigningCode.signer_kind == signer.stored_kind,
        SigningCode.signer_id == signer.person.id,
    ]


def _brand(session: Session, doc: Document) -> templates.MailBrand:
    brand = session.scalar(
        select(Brand).join(Agency, Agency.brand_id == Brand.id).where(Agency.id == doc.agency_id)
    )
    return templates.MailBrand(brand.name, brand.logo_svg) if brand else templates.MailBrand()


def _throttle(session: Session, account: RecipientAccount, signer: Signer, now: datetime) -> None:
    # Counted over every row of the person (one per employer or client company): one mailbox, one budget.
    rows = employees_of(session, account) if signer.kind == EMPLOYEE else client_users_of(session, account)
    ids = [r.id for r in rows] or [signer.person.id]
    since = now - REQUEST_WINDOW
    sent = session.scalars(
        select(SigningCode.sent_at)
        .where(
            SigningCode.signer_kind == signer.stored_kind,
            SigningCode.signer_id.in_(ids),
            SigningCode.sent_at > since,
        )
        .order_by(SigningCode.sent_at)
    ).all()
    if len(sent) >= MAX_REQUESTS:
        wait = max(1, int((sent[-MAX_REQUESTS] + REQUEST_WINDOW - now).total_seconds()))
        raise Throttled(
            TOO_MANY_REQUESTS.format(minutes=-(-wait // 60)), retry_after=wait, code="too_many_signing_codes"
        )


def send_code(
    session: Session,
    settings: ServerSettings,
    blobs: BlobStore,
    account_id: int,
    document_id: int,
    *,
    now: datetime,
) -> CodeSent:
    """A new six-digit code for the caller's signature of the document, mailed in French; the former live
    code of this signer and document stops working."""
    doc, signer = signer_of(session, blobs, account_id, document_id)
    _throttle(session, _account(session, account_id), signer, now)
    session.execute(
        update(SigningCode)
        .where(*_codes_of(signer, doc.id), SigningCode.verified_at.is_(None), SigningCode.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    row = SigningCode(
        document_id=doc.id,
        signer_kind=signer.stored_kind,
        signer_id=signer.person.id,
        code_hash=hash_password(code),
        sent_at=now,
        expires_at=now + CODE_TTL,
    )
    session.add(row)
    mail = templates.signing_code(
        settings,
        first_name=signer.person.first_name,
        code=code,
        title=doc.title,
        validity=CODE_TTL_TEXT,
        brand=_brand(session, doc),
    )
    outbox.queue(
        session,
        kind=MAIL_KIND,
        to=signer.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        now=now,
    )
    session.flush()
    audit.record(
        session,
        Actor(signer.kind, signer.person.id),
        "signature.code_sent",
        "document",
        doc.id,
        agency_id=doc.agency_id,
        details={"signing_code_id": row.id},
    )
    return CodeSent(signer.email, row.expires_at)


def _check_code(session: Session, signer: Signer, document_id: int, code: str, now: datetime) -> SigningCode:
    """The signer's live code if ``code`` is it; a wrong answer is counted (and committed) before refusing."""
    row = session.scalars(
        select(SigningCode)
        .where(*_codes_of(signer, document_id))
        .order_by(SigningCode.id.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise Gone(NO_CODE, code="signing_code_missing")
    if row.verified_at is not None:
        raise Gone(USED, code="signing_code_used")
    if row.attempts >= MAX_ATTEMPTS:
        raise Gone(DEAD, code="signing_code_dead")
    if row.expires_at <= now:
        raise Gone(EXPIRED, code="signing_code_expired")
    if verify_password(row.code_hash, code.replace(" ", "").strip()):
        return row
    row.attempts += 1
    left = MAX_ATTEMPTS - row.attempts
    session.commit()  # the attempt must be kept although the request fails
    if left <= 0:
        raise Gone(DEAD, code="signing_code_dead")
    raise Invalid(WRONG.format(left=left), code="signing_code_wrong", attempts_left=left)


# -- the signature ----------------------------------------------------------------------------------------


def sign(
    session: Session,
    blobs: BlobStore,
    keys: SealKeys,
    account_id: int,
    document_id: int,
    code: str,
    *,
    address: str,
    now: datetime,
) -> recipient_documents.RecipientDocument:
    """On the right code, the caller's signature in their field; the document is "signé" once no field
    awaits a signer any more. Evidence and audit are written in the same transaction."""
    # Lock the document first (PostgreSQL): a concurrent signature waits, then sees this one's result.
    session.execute(select(Document.id).where(Document.id == document_id).with_for_update()).first()
    doc, signer = signer_of(session, blobs, account_id, document_id)
    session.refresh(doc)
    row = _check_code(session, signer, doc.id, code, now)
    row.verified_at = now
    before = doc.blob_sha256
    signed = sign_as_recipient(
        blobs.read_verified(before), signer.field_name, signer.name, signer.email, keys
    )
    after = blobs.put_bytes(signed)
    complete = not unsigned_fields(signed)
    document_changes.touch(session, [doc.id])  # a bulk UPDATE: the change feed is told explicitly
    changed = session.execute(
        update(Document)
        .where(Document.id == doc.id, Document.blob_sha256 == before, Document.deleted_at.is_(None))
        .values(
            blob_sha256=after,
            size=len(signed),
            signature_state=SignatureState.SIGNED if complete else SignatureState.UNSIGNED,
            signed_at=now if complete else None,
            changed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(RACE, code="signature_race")
    evidence = SignatureEvidence(
        document_id=doc.id,
        signer_kind=signer.stored_kind,
        signer_id=signer.person.id,
        signer_name=signer.name[:200],
        signer_email=signer.email,
        sha256_before=before,
        sha256_after=after,
        code_sent_at=row.sent_at,
        code_verified_at=now,
        signed_at=now,
        client_address=address[:64],
    )
    session.add(evidence)
    session.flush()
    audit.record(
        session,
        Actor(signer.kind, signer.person.id),
        "document.signed",
        "document",
        doc.id,
        agency_id=doc.agency_id,
        details={
            "field": signer.field_name,
            "sha256_before": before,
            "sha256_after": after,
            "evidence_id": evidence.id,
            "complete": complete,
        },
    )
    return recipient_documents.describe(session, account_id, doc.id)


def evidence_of(session: Session, document_id: int) -> list[SignatureEvidence]:
    return list(
        session.scalars(
            select(SignatureEvidence)
            .where(SignatureEvidence.document_id == document_id)
            .order_by(SignatureEvidence.id)
        )
    )
