"""The PDFs of a campaign draft: checked like every upload (the shared PDF checks, 2 MB here), stored
by hash, attached and removed under the campaign's version, audited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models.campaigns import Campaign, CampaignDocument
from coffreo_desktop.server.errors import Conflict, NotFound
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.campaigns import audit_change, claim, refuse
from coffreo_desktop.server.services.ingest import checked_pdf
from coffreo_desktop.server.storage.blobs import BlobStore


def _editable_draft(campaign: Campaign) -> None:
    if campaign.state is not CampaignState.DRAFT:
        raise Conflict(
            "Les documents d'une diffusion lancée ne changent plus : dupliquez-la.", code="not_draft"
        )


def add_document(
    session: Session,
    blobs: BlobStore,
    actor: Actor,
    campaign: Campaign,
    *,
    path: Path,
    file_name: str,
    title: str,
    version: int | None,
    now: datetime,
) -> CampaignDocument:
    """Check the PDF like every upload (shared checks, 2 MB here), store it, attach it to the draft."""
    _editable_draft(campaign)
    title = title.strip() or Path(file_name).stem
    if len(title) > rules.MAX_DOCUMENT_TITLE:
        refuse([("title", f"Le titre tient en {rules.MAX_DOCUMENT_TITLE} caractères au plus.")])
    report = checked_pdf(path, file_name=file_name, title=title)
    if version is not None:
        claim(session, campaign, version, now)
    else:  # a wizard uploading several files at once: each one still moves the version on
        session.execute(
            update(Campaign).where(Campaign.id == campaign.id).values(version=Campaign.version + 1)
        )
        session.refresh(campaign)
    blobs.put_file(path, sha256=report.sha256, move=True)
    doc = CampaignDocument(
        campaign_id=campaign.id,
        title=title,
        file_name=file_name,
        blob_sha256=report.sha256,
        size=report.size,
        pages=report.pages,
    )
    session.add(doc)
    session.flush()
    audit_change(
        session, actor, "document_add", campaign, document_id=doc.id, title=title, sha256=report.sha256
    )
    return doc


def remove_document(
    session: Session, actor: Actor, campaign: Campaign, document_id: int, version: int | None, now: datetime
) -> None:
    doc = session.get(CampaignDocument, document_id)
    if doc is None or doc.campaign_id != campaign.id:
        raise NotFound("Ce document ne fait pas partie de la diffusion.")
    _editable_draft(campaign)
    claim(session, campaign, version, now)
    audit_change(session, actor, "document_remove", campaign, document_id=doc.id, title=doc.title)
    session.delete(doc)
    session.flush()


def campaign_document(session: Session, campaign: Campaign, document_id: int) -> CampaignDocument:
    doc = session.get(CampaignDocument, document_id)
    if doc is None or doc.campaign_id != campaign.id:
        raise NotFound("Ce document ne fait pas partie de la diffusion.")
    return doc
