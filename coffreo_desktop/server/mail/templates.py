"""French mail templates: a text body and an HTML alternative wrapped in a layout with the brand's logo.

Template files live in ``templates/`` next to this module (``<name>.txt`` and ``<name>.html``) and use
``string.Template`` placeholders; values are HTML-escaped for the HTML part, never for the text part.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib.resources import files
from string import Template

from coffreo_desktop.domain import limits
from coffreo_desktop.server.config import ServerSettings

PRODUCT = "Coffreo"


@dataclass(frozen=True, slots=True)
class MailBrand:
    """Who the mail speaks for: the brand's name and, when the operator uploaded one, its SVG logo."""

    name: str = PRODUCT
    logo_svg: str | None = None


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@cache
def _template(filename: str) -> Template:
    return Template(files("coffreo_desktop.server.mail").joinpath("templates", filename).read_text("utf-8"))


def logo_html(brand: MailBrand) -> str:
    """The brand's logo as an <img> (its name in bold when the operator uploaded none)."""
    name = html.escape(brand.name)
    if brand.logo_svg:
        # Inline <svg> is stripped by many mail clients; an <img> with a data URI survives in most of them.
        data = base64.b64encode(brand.logo_svg.encode()).decode()
        return f'<img src="data:image/svg+xml;base64,{data}" alt="{name}" height="48" style="display:block;">'
    return f'<span style="font-size:22px;font-weight:bold;color:#1d4ed8;">{name}</span>'


def _footer(settings: ServerSettings, brand: MailBrand) -> tuple[str, str]:
    sender = PRODUCT if brand.name == PRODUCT else f"{brand.name} via {PRODUCT}"
    text = (
        f"Ce message vous est envoyé automatiquement par {sender} ; merci de ne pas y répondre.\n"
        f"Besoin d'aide ? {settings.support_email} — {settings.support_phone}, {settings.support_hours}."
    )
    return text, html.escape(text).replace("\n", "<br>")


def render(
    name: str, *, subject: str, settings: ServerSettings, brand: MailBrand | None = None, **values: str
) -> RenderedMail:
    """Render ``<name>.txt`` and ``<name>.html`` with ``values``; the HTML goes into the branded layout."""
    brand = brand or MailBrand()
    footer_text, footer_html = _footer(settings, brand)
    text = _template(f"{name}.txt").substitute(values).rstrip() + "\n\n-- \n" + footer_text + "\n"
    content = _template(f"{name}.html").substitute({k: html.escape(v) for k, v in values.items()})
    page = _template("layout.html").substitute(
        title=html.escape(subject), logo=logo_html(brand), content=content, footer=footer_html
    )
    return RenderedMail(subject, text, page)


def french_duration(delta: timedelta) -> str:
    days = delta.days
    if days >= 1 and delta == timedelta(days=days):
        return f"{days} jour{'s' if days > 1 else ''}"
    hours = max(1, round(delta.total_seconds() / 3600))
    return f"{hours} heure{'s' if hours > 1 else ''}"


def invitation_link(settings: ServerSettings, token: str) -> str:
    return f"{settings.links_base}/invitation/{token}"


def invitation(
    settings: ServerSettings,
    *,
    email: str,
    first_name: str,
    token: str,
    brand: MailBrand | None = None,
    inviter: str | None = None,
) -> RenderedMail:
    """ "Bienvenue sur Coffreo": the link to choose a password (F1.1), and the token for the desktop app."""
    brand = brand or MailBrand()
    own_brand = brand.name != PRODUCT
    return render(
        "invitation",
        subject=f"Bienvenue sur {PRODUCT} — {brand.name}" if own_brand else f"Bienvenue sur {PRODUCT}",
        settings=settings,
        brand=brand,
        first_name=first_name,
        inviter=inviter or "Votre administrateur",
        brand_clause=f" pour {brand.name}" if own_brand else "",
        link=invitation_link(settings, token),
        token=token,
        validity=french_duration(limits.INVITATION_TTL),
        email=email,
    )


EXPORT_READY_SUBJECT = "Votre export de documents est prêt"


def export_link(settings: ServerSettings, job_id: int, token: str) -> str:
    return f"{settings.links_base}/api/v1/exports/{job_id}/file?token={token}"


def export_ready(
    settings: ServerSettings,
    *,
    first_name: str,
    link: str,
    summary: str,
    validity: timedelta,
    expires: str,
    brand: MailBrand | None = None,
) -> RenderedMail:
    """ "Votre export de documents est prêt" (F2.8, F7.2): what it holds and the download link."""
    return render(
        "export_ready",
        subject=EXPORT_READY_SUBJECT,
        settings=settings,
        brand=brand,
        first_name=first_name,
        summary=summary,
        link=link,
        validity=french_duration(validity),
        expires=expires,
    )


SIGNING_CODE_SUBJECT = "Votre code de signature"


def signing_code(
    settings: ServerSettings,
    *,
    first_name: str,
    code: str,
    title: str,
    validity: str,
    brand: MailBrand | None = None,
) -> RenderedMail:
    """ "Votre code de signature" (F7.1, F7.2): the one-time code that signs a document from the vault. The
    code follows the words "code de signature : " so that the outbox can strip it once sent."""
    return render(
        "signing_code",
        subject=SIGNING_CODE_SUBJECT,
        settings=settings,
        brand=brand,
        first_name=first_name,
        code=code,
        title=title,
        validity=validity,
    )
