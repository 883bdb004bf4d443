"""The activation link of a delivery mail (F7.1): a worker's vault (/coffre/activation/…) or a client user's
company space (/entreprise/activation/…); the person chooses a password, then logs in with their e-mail."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models.recipients import CLIENT_USER, EMPLOYEE
from coffreo_desktop.server.services import delivery, recipient_auth
from coffreo_desktop.server.services.recipient_auth import ActivationView
from coffreo_desktop.server.web.password_page import PasswordPage, add_password_page, page, password_form

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Space:
    """The words of one kind of recipient space."""

    title: str
    what: str  # completes "Choisissez le mot de passe de …"
    button: str
    done_title: str
    done: str
    next_steps: str


SPACES = {
    EMPLOYEE: Space(
        title="Activer votre coffre-fort",
        what="votre coffre-fort numérique, gratuit et personnel",
        button="Activer mon coffre-fort",
        done_title="Coffre-fort activé",
        done="Votre coffre-fort est activé.",
        next_steps=(
            "Vous y retrouvez le document annoncé par e-mail, et chaque nouveau document de vos employeurs "
            "y sera déposé ; un e-mail vous préviendra. Vos documents y restent disponibles, même si vous "
            "changez d'employeur."
        ),
    ),
    CLIENT_USER: Space(
        title="Activer votre espace entreprise",
        what="votre accès à l'espace de votre entreprise",
        button="Activer mon accès",
        done_title="Espace entreprise activé",
        done="Votre espace entreprise est activé.",
        next_steps=(
            "Vous y retrouvez le document annoncé par e-mail : factures à consulter et à valider, contrats "
            "à signer ; un e-mail vous préviendra de chaque nouveau document."
        ),
    ),
}


def _form(view: ActivationView, error: str = "", status: int = 200) -> HTMLResponse:
    space = SPACES[view.kind]
    hello = f"Bonjour {view.first_name} !" if view.first_name else "Bonjour !"
    intro = (
        f"<p>{html.escape(hello)} Choisissez le mot de passe de {html.escape(space.what)}, lié à votre "
        f"adresse <strong>{html.escape(view.email)}</strong>.</p>"
    )
    return page(space.title, password_form(intro, view.email, space.button, error), status)


def _done(view: ActivationView) -> HTMLResponse:
    space = SPACES[view.kind]
    return page(
        space.done_title,
        f"<p><strong>{html.escape(space.done)}</strong></p>"
        "<p>Connectez-vous désormais avec votre adresse e-mail "
        f"<strong>{html.escape(view.email)}</strong> et le mot de passe que vous venez de choisir.</p>"
        f"<p>{html.escape(space.next_steps)}</p>",
    )


def _describe(db: Session, token: str, at: datetime) -> ActivationView:
    return recipient_auth.describe_activation(db, token, now=at)


def _activate(db: Session, token: str, password: str, at: datetime) -> None:
    recipient_auth.activate(db, token, password, now=at)


# The words follow the kind of the link's person, not the path: the token alone decides whose account it
# activates; the path only titles the page of a link that can no longer be used.
for _path, _kind in (
    (delivery.VAULT_ACTIVATION_PATH, EMPLOYEE),
    (delivery.CLIENT_ACTIVATION_PATH, CLIENT_USER),
):
    add_password_page(
        router,
        _path + "/{token}",
        PasswordPage(_describe, _activate, _form, _done, failure_title=SPACES[_kind].title),
    )
