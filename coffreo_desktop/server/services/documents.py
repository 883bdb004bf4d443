"""Documents one by one: metadata (F2.5), the verified file for download, and deletion of an unsigned contract
(F2.6). The search and its rows are in :mod:`document_search`.

Every function takes the agencies the caller may see and never reveals anything outside them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.errors import Conflict, Forbidden, Gone, NotFound, ProblemError
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.document_search import DocumentView, deletable, view_of
from coffreo_desktop.server.storage.blobs import BlobCorrupted, BlobMissing, BlobStore

log = logging.getLogger(__name__)

NOT_FOUND = "Document introuvable."
DELETED = "Ce document a été supprimé entre-temps : actualisez la liste."
NO_DELETE_RIGHT = "La suppression d'un document demande le droit « A » sur son établissement."
SIGNED_CONTRACT = "Ce contrat est déjà signé : il ne peut plus être supprimé."
NOT_A_CONTRACT = "Seul un contrat non signé peut être supprimé ; ce document n'en est pas un."


def visible_document(session: Session, document_id: int, visible: Collection[int]) -> Document:
    """The document if its agency is visible to the caller (404 otherwise: existence is not revealed);
    410 if it was deleted."""
    doc = session.get(Document, document_id)
    if doc is None or doc.agency_id not in visible:
        raise NotFound(NOT_FOUND, code="document_not_found")
    if doc.deleted_at is not None:
        raise Gone(DELETED, code="document_deleted")
    return doc


def describe(session: Session, document_id: int, rights: RightSet) -> DocumentView:
    doc = visible_document(session, document_id, rights.visible_agencies())
    agency = session.get(Agency, doc.agency_id)
    assert agency is not None  # foreign key
    return view_of(doc, agency.name, rights)


def verified_blob(blobs: BlobStore, doc: Document) -> Path:
    """The blob's path after checking its SHA-256 (a corrupted file is never served, even partly)."""
    try:
        with blobs.open(doc.blob_sha256) as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(256 * 1024):
                digest.update(chunk)
    except (BlobCorrupted, BlobMissing) as exc:
        log.error("document %s : fichier illisible ou altéré (%s)", doc.id, exc)
        raise ProblemError(
            "Le fichier de ce document est altéré dans le stockage ; l'équipe technique est prévenue.",
            code="blob_corrupted",
            status=500,
        ) from None
    return blobs.path(doc.blob_sha256)


def delete(session: Session, document_id: int, rights: RightSet, actor: Actor, now: datetime) -> None:
    """Soft-delete an unsigned contract (F2.6) for a caller holding "A" on its agency; audited."""
    doc = visible_document(session, document_id, rights.visible_agencies())
    if not rights.has(Right.ADMIN, doc.agency_id):
        raise Forbidden(NO_DELETE_RIGHT)
    if not deletable(doc):
        reason = SIGNED_CONTRACT if doc.doc_type.is_contract else NOT_A_CONTRACT
        raise Conflict(reason, code="not_deletable")
    doc.deleted_at = now
    doc.changed_at = now
    audit.record(
        session,
        actor,
        "document.deleted",
        "document",
        doc.id,
        agency_id=doc.agency_id,
        details={"doc_type": doc.doc_type.value, "title": doc.title},
    )
