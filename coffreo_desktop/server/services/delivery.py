"""Delivering a stored document to its recipients (F7.1, F7.2): one Delivery row per vault, the employee's
vault dates, and the French "nouveau document" mail. Deposits, Diffusion libre and campaigns all call
``deliver``.

Who *receives* a document is what its Delivery rows say; Document.employee_id and client_id say whom it
concerns (a provision contract names the worker but is delivered to the client company only).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, RecipientKind, SignatureState
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    ClientCompany,
    ClientUser,
    Delivery,
    Document,
    Employee,
    OutboxMail,
)
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.services import recipient_auth

#: Recipient-side pages (F7.1) the mails link to; the recipient portal serves them. An activation link is
#: ``{ACTIVATION_PATH}/{token}``, the token being the one POST /api/v1/recipient/activation/{token} takes.
VAULT_PATH = "/coffre"
VAULT_ACTIVATION_PATH = "/coffre/activation"
CLIENT_SPACE_PATH = "/entreprise"
CLIENT_ACTIVATION_PATH = "/entreprise/activation"

MAIL_NEW_DOCUMENT = "document_new"
MAIL_TO_SIGN = "document_to_sign"
MAIL_VAULT_INVITATION = "vault_invitation"
MAIL_CLIENT_INVITATION = "client_invitation"


@dataclass(frozen=True, slots=True)
class Companion:
    """A campaign document delivered with a triggering one (Diffusion pilotée): what its mail needs."""

    id: int
    title: str
    campaign_id: int
    signature_state: SignatureState


@dataclass
class DeliveryReport:
    """What ``deliver`` did: rows created, mails queued, and French warnings for whoever deposited it."""

    deliveries: list[Delivery] = field(default_factory=list)
    mails: list[OutboxMail] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def deliver(
    session: Session,
    document: Document,
    *,
    settings: ServerSettings,
    now: datetime,
    notify: bool = True,
    companions: Sequence[Companion] = (),
) -> DeliveryReport:
    """Deliver ``document`` (already flushed, with its recipient ids set) to the vault(s) its type calls for.

    ``notify=False`` delivers silently, for documents that travel with another one (campaign documents
    arrive with the triggering payslip, whose mail announces them: ``companions``, already delivered).
    """
    agency = session.get(Agency, document.agency_id)
    if agency is None:
        raise ValueError(f"document {document.id}: agency {document.agency_id} not found")
    brand = session.get(Brand, agency.brand_id)
    sender = _Sender(
        brand.name if brand else "", agency.name, settings.links_base, brand.logo_svg if brand else None
    )
    report = DeliveryReport()
    if document.doc_type.recipient is RecipientKind.CLIENT:
        client = session.get(ClientCompany, document.client_id) if document.client_id is not None else None
        if client is None:
            raise ValueError(f"document {document.id}: a {document.doc_type} needs a client company")
        _to_client(session, document, client, sender, now, notify, report)
    else:
        employee = session.get(Employee, document.employee_id) if document.employee_id is not None else None
        if employee is None:
            raise ValueError(f"document {document.id}: a {document.doc_type} needs an employee")
        _to_employee(session, document, employee, sender, now, notify, report, companions)
    session.flush()
    return report


def _to_employee(
    session: Session,
    document: Document,
    employee: Employee,
    sender: _Sender,
    now: datetime,
    notify: bool,
    report: DeliveryReport,
    companions: Sequence[Companion] = (),
) -> None:
    who = f"{employee.first_name} {employee.last_name} (matricule {employee.matricule})"
    if document.doc_type is DocumentType.PAYSLIP and employee.edelivery_opposed_at is not None:
        # The worker refused electronic payslips (Rules and numbers): the agency keeps it, hands it on paper.
        report.warnings.append(
            f"{who} a refusé la remise électronique de ses bulletins de paie : le bulletin est enregistré "
            "mais pas déposé dans son coffre ; remettez-le-lui sur papier."
        )
        return
    delivery = Delivery(document_id=document.id, employee_id=employee.id, delivered_at=now)
    session.add(delivery)
    report.deliveries.append(delivery)
    # The vault exists from the first document delivered; activation comes when the worker sets a password.
    if employee.vault_created_at is None:
        employee.vault_created_at = now
    if employee.last_document_at is None or employee.last_document_at < now:
        employee.last_document_at = now
    if not notify:
        return
    if not employee.email:
        report.warnings.append(
            f"{who} n'a pas d'adresse e-mail : il n'est pas prévenu de ce nouveau document."
        )
        return
    token = recipient_auth.activation_token(session, employee, now=now)  # None: they can log in already
    report.mails.append(
        sender.queue(
            session,
            document,
            employee.email,
            _name(employee.first_name, employee.last_name),
            activated=token is None,
            space=VAULT_PATH,
            activation=f"{VAULT_ACTIVATION_PATH}/{token}" if token else "",
            now=now,
            can_sign=document.signature_state is SignatureState.UNSIGNED,
            vault=True,
            companions=companions,
        )
    )


def may_receive(user: ClientUser, doc_type: DocumentType) -> bool:
    """Whether a client user's rights (F6.3) let them receive this type of document."""
    if doc_type is DocumentType.INVOICE:
        return user.can_invoices
    if doc_type is DocumentType.TIMESHEET:
        return user.can_timesheets
    return user.can_view_contracts or user.can_sign_contracts


def _to_client(
    session: Session,
    document: Document,
    client: ClientCompany,
    sender: _Sender,
    now: datetime,
    notify: bool,
    report: DeliveryReport,
) -> None:
    # The company's own row carries what belongs to the company (invoice downloaded, validated: F2.7).
    company_delivery = Delivery(document_id=document.id, client_id=client.id, delivered_at=now)
    session.add(company_delivery)
    report.deliveries.append(company_delivery)
    users = session.scalars(
        select(ClientUser).where(ClientUser.client_id == client.id).order_by(ClientUser.id)
    )
    receivers = [u for u in users if may_receive(u, document.doc_type)]
    if not receivers:
        report.warnings.append(
            f"Aucun utilisateur de {client.name} n'a le droit de recevoir ce document : il est déposé dans "
            "l'espace de l'entreprise, sans notification."
        )
    for user in receivers:
        delivery = Delivery(
            document_id=document.id, client_id=client.id, client_user_id=user.id, delivered_at=now
        )
        session.add(delivery)
        report.deliveries.append(delivery)
        if notify:
            token = recipient_auth.activation_token(session, user, now=now)
            report.mails.append(
                sender.queue(
                    session,
                    document,
                    user.email,
                    _name(user.first_name, user.last_name),
                    activated=token is None,
                    space=CLIENT_SPACE_PATH,
                    activation=f"{CLIENT_ACTIVATION_PATH}/{token}" if token else "",
                    now=now,
                    vault=False,
                    can_sign=document.signature_state is SignatureState.UNSIGNED and user.can_sign_contracts,
                )
            )


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


@dataclass(frozen=True)
class _Sender:
    """The French mails of a delivery, in the name of the agency and its brand."""

    brand: str
    agency: str
    links_base: str
    logo_svg: str | None = None  # the brand's logo (uploaded by the operator), shown atop the mail

    def queue(
        self,
        session: Session,
        document: Document,
        to: str,
        name: str,
        *,
        activated: bool,
        space: str,
        activation: str,
        can_sign: bool,
        vault: bool,
        now: datetime,
        companions: Sequence[Companion] = (),
    ) -> OutboxMail:
        issuer = f"{self.agency} ({self.brand})" if self.brand else self.agency
        what = f"« {document.title} » ({document.doc_type.label})"
        where = "votre coffre-fort numérique" if vault else "l'espace de votre entreprise"
        paragraphs = [f"{issuer} a déposé un nouveau document dans {where} : {what}."]
        if companions:
            # Diffusion pilotée (F4.8): the campaign documents arrive with it and are announced with it.
            titles = ", ".join(f"« {d.title} »" for d in companions)
            paragraphs.append(
                f"Il est accompagné de {len(companions)} document{'s' if len(companions) > 1 else ''} "
                f"d'information : {titles}."
            )
            if any(d.signature_state is SignatureState.UNSIGNED for d in companions):
                paragraphs.append(
                    "Ces documents doivent être signés : ouvrez-les dans votre coffre et suivez les étapes ; "
                    "un code à usage unique vous sera envoyé par e-mail pour valider votre signature."
                )
        if activated:
            kind = MAIL_TO_SIGN if can_sign else MAIL_NEW_DOCUMENT
            subject = "Un document à signer vous attend" if can_sign else "Un nouveau document vous attend"
            link_label, link = "Consulter le document", f"{self.links_base}{space}/documents/{document.id}"
        else:
            kind = MAIL_VAULT_INVITATION if vault else MAIL_CLIENT_INVITATION
            subject = (
                "Activez votre coffre-fort numérique : un document vous attend"
                if vault
                else "Activez votre accès : un document attend votre entreprise"
            )
            paragraphs.append(
                "Pour le consulter, activez votre coffre-fort numérique, gratuit et personnel : "
                "vos documents y restent disponibles, même si vous changez d'employeur."
                if vault
                else "Pour le consulter, activez votre accès à l'espace de votre entreprise."
            )
            link_label, link = (
                "Activer mon coffre-fort" if vault else "Activer mon accès",
                self.links_base + activation,
            )
        if can_sign:
            paragraphs.append(
                "Ce document doit être signé : ouvrez-le et suivez les étapes ; un code à usage unique "
                "vous sera envoyé par e-mail pour valider votre signature."
            )
        if vault and document.doc_type is DocumentType.PAYSLIP:
            paragraphs.append("Vos bulletins de paie sont conservés 50 ans, ou jusqu'à vos 75 ans.")
        prefix = f"{self.brand} — " if self.brand else ""
        text, body_html = render_mail(self.brand, name, paragraphs, link_label, link, self.logo_svg)
        return outbox.queue(
            session, kind=kind, to=to, subject=prefix + subject, text=text, html=body_html, now=now
        )


_FOOTER = "Ce message vous est envoyé automatiquement, merci de ne pas y répondre."


def render_mail(
    brand: str, name: str, paragraphs: list[str], link_label: str, link: str, logo_svg: str | None = None
) -> tuple[str, str]:
    """The same message as plain text and as simple HTML (every interpolated value escaped)."""
    greeting = f"Bonjour {name}," if name else "Bonjour,"
    text = "\n\n".join([greeting, *paragraphs, f"{link_label} : {link}", _FOOTER]) + "\n"
    e = html.escape
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs)
    page = (
        '<!DOCTYPE html><html lang="fr"><body style="font-family:Arial,sans-serif;color:#1f2937">'
        + (f"<p>{templates.logo_html(templates.MailBrand(brand, logo_svg))}</p>" if logo_svg else "")
        + (f'<h2 style="color:#0b4f8a">{e(brand)}</h2>' if brand else "")
        + f"<p>{e(greeting)}</p>{body}"
        + f'<p><a href="{e(link, quote=True)}" style="background:#0b4f8a;color:#fff;padding:10px 16px;'
        f'text-decoration:none;border-radius:4px">{e(link_label)}</a></p>'
        + f'<p style="color:#6b7280;font-size:12px">{e(_FOOTER)}</p></body></html>'
    )
    return text, page
