"""The mails of salary advances (F5.2, F5.5, F7.2): the worker's "Réponse à votre demande d'acompte" and the
body of the 11:00 digest to staff holding "DA". Both go through the outbox inside the caller's transaction."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import decision_state, format_euros
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import AdvanceRequest, Agency, Brand, Employee, OutboxMail
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.services import recipient_auth
from coffreo_desktop.server.services.delivery import MAIL_VAULT_INVITATION, VAULT_ACTIVATION_PATH, VAULT_PATH

MAIL_ANSWERED = "advance_answered"
MAIL_DIGEST = "advance_digest"
ANSWERED_SUBJECT = "Réponse à votre demande d'acompte"
#: The worker's page of advances in their vault (F7.1); the request's own page is ``…/{id}``.
ADVANCES_PATH = f"{VAULT_PATH}/acomptes"
ANSWER_LINK_LABEL = "Je consulte la réponse !"
NO_COMMENT = "L'agence n'a pas laissé de commentaire."
READ_IN_VAULT = "Retrouvez cette réponse et toutes vos demandes dans votre coffre-fort numérique."
ACTIVATE_TO_READ = (
    "Pour la consulter, activez votre coffre-fort numérique, gratuit et personnel : vos demandes d'acompte "
    "et vos documents y restent disponibles, même si vous changez d'employeur."
)
#: Stands for the per-agency list while the template renders: the list needs markup the renderer would escape.
_LIST_SLOT = "ADVANCEDIGESTLISTSLOT"


def answer_link(settings: ServerSettings, request_id: int) -> str:
    return f"{settings.links_base}{ADVANCES_PATH}/{request_id}"


def paris_date(at: datetime) -> str:
    return at.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y")


def _decision_sentence(row: AdvanceRequest, agency: str) -> str:
    asked = "le montant maximum possible" if row.amount_cents is None else format_euros(row.amount_cents)
    if row.state is AdvanceState.REFUSED or not row.granted_cents:
        return f"{agency} a refusé votre demande d'acompte ({asked})."
    granted = format_euros(row.granted_cents)
    if decision_state(row.granted_cents, row.amount_cents) == "partial":
        return (
            f"{agency} a accepté partiellement votre demande d'acompte : "
            f"{granted} accordés sur {asked} demandés."
        )
    return f"{agency} a accepté votre demande d'acompte : {granted} vous sont accordés."


def answered(
    settings: ServerSettings,
    row: AdvanceRequest,
    *,
    first_name: str,
    agency_name: str,
    brand: templates.MailBrand | None = None,
    activation: str | None = None,
) -> templates.RenderedMail:
    """The mail telling the worker the agency's answer to a request (accepted, partially, or refused).

    ``activation`` (a token) when the worker has no access to their vault yet: the link then opens it."""
    comment = row.decision_comment.strip()
    return templates.render(
        "advance_answered",
        subject=ANSWERED_SUBJECT,
        settings=settings,
        brand=brand,
        first_name=first_name,
        asked_on=paris_date(row.created_at),
        decision=_decision_sentence(row, agency_name),
        comment=f"Commentaire de l'agence : « {comment} »" if comment else NO_COMMENT,
        access=ACTIVATE_TO_READ if activation else READ_IN_VAULT,
        link=f"{settings.links_base}{VAULT_ACTIVATION_PATH}/{activation}"
        if activation
        else answer_link(settings, row.id),
        link_label=ANSWER_LINK_LABEL,
    )


def queue_answered(
    session: Session, settings: ServerSettings, request_row: AdvanceRequest, now: datetime
) -> OutboxMail | None:
    """Queue the answer mail to the worker (in the decision's transaction: it leaves only if the decision
    commits). None when the worker has no email address: the answer stays visible in their space."""
    employee = session.get(Employee, request_row.employee_id)
    found = session.execute(
        select(Agency.name, Brand.name, Brand.logo_svg)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(Agency.id == request_row.agency_id)
    ).first()
    if employee is None or found is None or not employee.email.strip():
        return None
    agency_name, brand_name, logo = found
    # Like a delivery mail: a worker who never opened their vault gets a link that activates it; that
    # mail carries a one-time token, so it goes as a vault invitation (the token is removed once sent).
    token = recipient_auth.activation_token(session, employee, now=now)
    mail = answered(
        settings,
        request_row,
        first_name=employee.first_name,
        agency_name=agency_name,
        brand=templates.MailBrand(brand_name, logo),
        activation=token,
    )
    return outbox.queue(
        session,
        kind=MAIL_VAULT_INVITATION if token else MAIL_ANSWERED,
        to=employee.email.strip(),
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class AgencyCount:
    """One line of the digest: requests waiting at an agency."""

    name: str
    pending: int


def _requests(n: int) -> str:
    return f"{n} demande{'s' if n > 1 else ''}"


def digest_subject(total: int) -> str:
    return f"{_requests(total)} d'acompte à traiter"


def digest(
    settings: ServerSettings,
    *,
    first_name: str,
    counts: Sequence[AgencyCount],
    brand: templates.MailBrand | None = None,
) -> templates.RenderedMail:
    """The 11:00 digest (F5.5): requests waiting, per agency and in all, for one staff user."""
    total = sum(c.pending for c in counts)
    mail = templates.render(
        "advance_digest",
        subject=digest_subject(total),
        settings=settings,
        brand=brand,
        first_name=first_name,
        total=_requests(total),
        waiting="attend" if total == 1 else "attendent",
        agencies=_LIST_SLOT,
    )
    lines = "\n".join(f"- {c.name} : {_requests(c.pending)}" for c in counts)
    items = "".join(
        f"<li>{html.escape(c.name)} : <strong>{_requests(c.pending)}</strong></li>" for c in counts
    )
    return templates.RenderedMail(
        mail.subject,
        mail.text.replace(_LIST_SLOT, lines),
        mail.html.replace(_LIST_SLOT, f'<ul style="padding-left:20px;">{items}</ul>'),
    )
