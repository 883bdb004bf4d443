"""Diffusion pilotée (F4) campaigns: rights on their scope, the state machine, optimistic concurrency on
``version`` and the audit of every change. Deliveries are read in campaigns_deliveries.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.domain.services import Service
from coffreo_desktop.domain.states import CampaignState, TransitionError, transition
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, AuditEvent, Brand, ClientCompany, StaffUser
from coffreo_desktop.server.db.models.campaigns import Campaign, CampaignDelivery, CampaignDocument
from coffreo_desktop.server.errors import Conflict, Forbidden, Invalid, NotFound
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.org import services_by_brand
from coffreo_desktop.server.storage.blobs import BlobStore

BRAND_FORBIDDEN = "Une diffusion de marque demande le droit « Diffusion pilotée » sur la marque."
AGENCY_FORBIDDEN = "Vous n'avez pas le droit « Diffusion pilotée » sur cet établissement."
NOT_FOUND = "Cette diffusion n'existe pas ou ne fait pas partie de votre périmètre."


@dataclass(frozen=True, slots=True)
class ScopeRef:
    """An agency or a brand: what a campaign targets, and what a list asks for."""

    agency_id: int | None
    brand_id: int | None

    @classmethod
    def of(cls, agency_id: int | None, brand_id: int | None) -> ScopeRef:
        if (agency_id is None) == (brand_id is None):
            raise Invalid("Indiquez soit un établissement (agency_id), soit une marque (brand_id).")
        return cls(agency_id, brand_id)


def check_scope(session: Session, rights: RightSet, scope: ScopeRef) -> None:
    """ "D" on the agency, or "D" granted on the brand itself for a brand campaign (F4.2)."""
    if scope.brand_id is not None:
        if session.get(Brand, scope.brand_id) is None or not rights.has_on_brand(
            Right.DIFFUSION, scope.brand_id
        ):
            raise Forbidden(BRAND_FORBIDDEN)
    elif scope.agency_id is None or not rights.has(Right.DIFFUSION, scope.agency_id):
        raise Forbidden(AGENCY_FORBIDDEN)


def brand_of(session: Session, scope: ScopeRef) -> int:
    if scope.brand_id is not None:
        return scope.brand_id
    brand = session.scalar(select(Agency.brand_id).where(Agency.id == scope.agency_id))
    if brand is None:
        raise NotFound("Établissement inconnu.")
    return brand


def signed_available(session: Session, scope: ScopeRef) -> bool:
    """The "Diffusion signée" option is switched on for the entity (the brand of the agency)."""
    brand = brand_of(session, scope)
    return Service.DIFFUSION_SIGNEE in services_by_brand(session, {brand}).get(brand, set())


def visible_campaign(session: Session, rights: RightSet, campaign_id: int) -> Campaign:
    """The campaign when the caller holds "D" on its scope; 404 otherwise (its existence is not told)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(NOT_FOUND)
    try:
        check_scope(session, rights, ScopeRef(campaign.agency_id, campaign.brand_id))
    except Forbidden:
        raise NotFound(NOT_FOUND) from None
    return campaign


def today_of(now: datetime) -> date:
    return rules.paris_today(now)


def settings_of(campaign: Campaign, documents: int) -> rules.CampaignSettings:
    return rules.CampaignSettings(
        name=campaign.name,
        on_payslips=campaign.on_payslips,
        on_contracts=campaign.on_contracts,
        retroactive=campaign.retroactive_from is not None,
        cadre_filter=campaign.cadre_filter,
        client_filter_id=campaign.client_filter_id,
        signed=campaign.signed,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        documents=documents,
    )


def refuse(errors: list[rules.FieldError], code: str = "invalid_campaign") -> None:
    """Raise a 422 naming every field in error (the first message is the detail)."""
    if errors:
        raise Invalid(
            errors[0][1],
            code=code,
            errors=[{"field": field, "message": message} for field, message in errors],
        )


def check_settings(session: Session, scope: ScopeRef, settings: rules.CampaignSettings, today: date) -> None:
    refuse(rules.draft_errors(settings, today))
    if settings.signed and not signed_available(session, scope):
        refuse([("signed", "L'option « Diffusion signée » n'est pas activée pour cette entité.")])
    if settings.client_filter_id is not None:
        client = session.get(ClientCompany, settings.client_filter_id)
        if client is None or client.brand_id != brand_of(session, scope):
            refuse([("client_filter_id", "Cette entreprise cliente n'appartient pas à la marque.")])


def apply_settings(campaign: Campaign, settings: rules.CampaignSettings) -> None:
    campaign.name = settings.name.strip()
    campaign.on_payslips, campaign.on_contracts = settings.on_payslips, settings.on_contracts
    campaign.cadre_filter, campaign.client_filter_id = settings.cadre_filter, settings.client_filter_id
    campaign.signed = settings.signed
    campaign.starts_on, campaign.ends_on = settings.starts_on, settings.ends_on
    # The option's meaning, kept in the one column the model has for it: deliver back to the start date.
    campaign.retroactive_from = settings.starts_on if settings.retroactive else None


def audit_change(session: Session, actor: Actor, action: str, campaign: Campaign, **details: object) -> None:
    audit.record(
        session,
        actor,
        f"campaign.{action}",
        "campaign",
        campaign.id,
        agency_id=campaign.agency_id,
        details={"name": campaign.name, "version": campaign.version, **details},
    )


def _last_change(session: Session, campaign_id: int) -> str:
    """ "par Prénom Nom le 16/03/2026 à 10:30" from the audit trail, which records every change."""
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == "campaign", AuditEvent.target_id == str(campaign_id))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None:
        return ""
    who = "le système"
    if event.actor_kind == "staff" and event.actor_id is not None:
        user = session.get(StaffUser, event.actor_id)
        who = f"{user.first_name} {user.last_name}".strip() if user else "un collaborateur"
    when = event.at.astimezone(ZoneInfo(DISPLAY_TZ))
    return f" par {who} le {when:%d/%m/%Y} à {when:%H:%M}"


def claim(session: Session, campaign: Campaign, version: int | None, now: datetime) -> None:
    """Take the change for ``version``: one atomic compare-and-bump, so that of two colleagues editing
    the same campaign the second gets 409 naming who changed it and when."""
    if version is None:
        raise Invalid(
            "Indiquez la version lue (version) : elle évite d'écraser la modification d'un collègue."
        )
    bumped = session.execute(
        update(Campaign)
        .where(Campaign.id == campaign.id, Campaign.version == version)
        .values(version=Campaign.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(campaign)
        raise Conflict(
            f"La diffusion « {campaign.name} » a été modifiée{_last_change(session, campaign.id)} ; "
            "rechargez-la avant de la modifier.",
            code="stale_campaign",
            version=campaign.version,
        )
    session.refresh(campaign)


def document_count(session: Session, campaign_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(CampaignDocument)
            .where(CampaignDocument.campaign_id == campaign_id)
        )
        or 0
    )


def create(
    session: Session, actor: Actor, scope: ScopeRef, settings: rules.CampaignSettings, now: datetime
) -> Campaign:
    check_settings(session, scope, settings, today_of(now))
    assert actor.id is not None
    campaign = Campaign(
        agency_id=scope.agency_id,
        brand_id=scope.brand_id,
        name="",
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    apply_settings(campaign, settings)
    session.add(campaign)
    session.flush()
    audit_change(session, actor, "create", campaign, scope="brand" if scope.brand_id else "agency")
    return campaign


def update_settings(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    settings: rules.CampaignSettings,
    version: int | None,
    now: datetime,
) -> Campaign:
    """A draft changes freely; a launched one only its name and end date; an archived one not at all."""
    scope = ScopeRef(campaign.agency_id, campaign.brand_id)
    current = settings_of(campaign, 0)
    if campaign.state is CampaignState.CLOSED:
        claim(session, campaign, version, now)
        raise Conflict("Une diffusion archivée ne se modifie plus.", code="campaign_closed")
    if campaign.state is CampaignState.ACTIVE:
        changed = replace(settings, name=current.name, ends_on=current.ends_on, documents=0)
        if changed != current:
            raise Invalid(
                "Une diffusion lancée ne change plus que de nom et de date de fin.", code="campaign_active"
            )
        today = today_of(now)
        if settings.ends_on is not None and settings.ends_on < max(today, campaign.starts_on or today):
            refuse([("ends_on", "La date de fin d'une diffusion lancée ne peut pas être passée.")])
        refuse([e for e in rules.draft_errors(replace(current, name=settings.name), today) if e[0] == "name"])
    else:
        check_settings(session, scope, settings, today_of(now))
    claim(session, campaign, version, now)
    before = {"name": campaign.name, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on}
    if campaign.state is CampaignState.ACTIVE:
        campaign.name, campaign.ends_on = settings.name.strip(), settings.ends_on
    else:
        apply_settings(campaign, settings)
    audit_change(session, actor, "update", campaign, before=before)
    return campaign


def delete(session: Session, actor: Actor, campaign: Campaign, version: int | None, now: datetime) -> None:
    claim(session, campaign, version, now)
    if campaign.state is not CampaignState.DRAFT:
        raise Conflict(
            "Seule une diffusion sauvegardée (brouillon) se supprime ; clôturez-la plutôt.", code="not_draft"
        )
    audit_change(session, actor, "delete", campaign)
    session.delete(campaign)
    session.flush()


def launch(
    session: Session,
    blobs: BlobStore,
    actor: Actor,
    campaign: Campaign,
    version: int | None,
    now: datetime,
    *,
    settings: ServerSettings | None = None,
) -> int:
    """Draft → active. With the retroactive option (a start today or up to 3 months back) the employees
    who already received a triggering document since the start get it at once; returns how many."""
    claim(session, campaign, version, now)
    _transition(campaign, CampaignState.ACTIVE)
    today = today_of(now)
    start = campaign.starts_on
    errors = rules.launch_errors(settings_of(campaign, document_count(session, campaign.id)), today)
    refuse(errors, code="start_in_past" if start is not None and start < today else "invalid_campaign")
    campaign.state, campaign.activated_at = CampaignState.ACTIVE, now
    session.flush()
    delivered = 0
    if campaign.retroactive_from is not None and start is not None and start <= today:
        # The trigger engine (services/campaign_triggers.py) owns deliveries; imported here only, since
        # it imports the deposit, which imports much of the server.
        from coffreo_desktop.server.services import campaign_triggers

        # A signed campaign certifies each copy with the agency's seal: the keys come from the settings.
        delivered = campaign_triggers.deliver_retroactively(session, blobs, campaign, now, settings=settings)
    audit_change(session, actor, "launch", campaign, retroactive_deliveries=delivered)
    return delivered


def close(session: Session, actor: Actor, campaign: Campaign, version: int | None, now: datetime) -> None:
    if campaign.state is CampaignState.CLOSED:
        raise Conflict("Cette diffusion est déjà clôturée.", code="already_closed")
    claim(session, campaign, version, now)
    _transition(campaign, CampaignState.CLOSED)
    campaign.state, campaign.closed_at = CampaignState.CLOSED, now
    audit_change(session, actor, "close", campaign)


def _transition(campaign: Campaign, target: CampaignState) -> None:
    try:
        transition(campaign.state, target)
    except TransitionError as exc:
        raise Conflict(str(exc), code=exc.code) from None


def duplicate(session: Session, actor: Actor, source: Campaign, now: datetime) -> Campaign:
    """A new draft with the same configuration and documents, named "Copie de …", dates cleared."""
    assert actor.id is not None
    copy = Campaign(
        agency_id=source.agency_id,
        brand_id=source.brand_id,
        name=f"Copie de {source.name}"[: rules.MAX_NAME],
        on_payslips=source.on_payslips,
        on_contracts=source.on_contracts,
        cadre_filter=source.cadre_filter,
        client_filter_id=source.client_filter_id,
        signed=source.signed,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(copy)
    session.flush()
    for doc in documents_of(session, source.id):
        session.add(
            CampaignDocument(
                campaign_id=copy.id,
                title=doc.title,
                file_name=doc.file_name,
                blob_sha256=doc.blob_sha256,
                size=doc.size,
                pages=doc.pages,
            )
        )
    session.flush()
    audit_change(session, actor, "duplicate", copy, source_id=source.id)
    return copy


def documents_of(session: Session, campaign_id: int) -> list[CampaignDocument]:
    return list(
        session.scalars(
            select(CampaignDocument)
            .where(CampaignDocument.campaign_id == campaign_id)
            .order_by(CampaignDocument.id)
        )
    )


def delivery_counts(session: Session, campaign_ids: list[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = session.execute(
        select(CampaignDelivery.campaign_id, func.count())
        .where(CampaignDelivery.campaign_id.in_(campaign_ids))
        .group_by(CampaignDelivery.campaign_id)
    )
    return {cid: count for cid, count in rows}


def listed(session: Session, scope: ScopeRef, state: CampaignState | None) -> list[Campaign]:
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
    if scope.brand_id is not None:
        query = query.where(Campaign.brand_id == scope.brand_id)
    else:
        query = query.where(Campaign.agency_id == scope.agency_id)
    if state is not None:
        query = query.where(Campaign.state == state)
    return list(session.scalars(query))


def clients_of(session: Session, scope: ScopeRef) -> list[ClientCompany]:
    brand = brand_of(session, scope)
    return list(
        session.scalars(
            select(ClientCompany).where(ClientCompany.brand_id == brand).order_by(ClientCompany.name)
        )
    )
