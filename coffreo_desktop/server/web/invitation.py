"""The invitation link of a staff mail (F1.1): a page to choose a password, then log in from the desktop."""

from __future__ import annotations

import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from coffreo_desktop.server.db.models import StaffUser
from coffreo_desktop.server.services import auth
from coffreo_desktop.server.web.password_page import PasswordPage, add_password_page, page, password_form

router = APIRouter(include_in_schema=False)


def _form(user: StaffUser, error: str = "", status: int = 200) -> HTMLResponse:
    intro = (
        "<p>Bienvenue ! Choisissez le mot de passe de votre compte "
        f"<strong>{html.escape(user.email)}</strong>.</p>"
    )
    body = password_form(intro, user.email, "Enregistrer mon mot de passe", error)
    return page("Créer votre mot de passe", body, status)


def _done(user: StaffUser) -> HTMLResponse:
    return page(
        "Mot de passe enregistré",
        f"<p>Votre compte <strong>{html.escape(user.email)}</strong> est prêt.</p>"
        "<p>Ouvrez Coffreo Desktop et connectez-vous avec votre adresse e-mail et ce mot de passe.</p>",
    )


add_password_page(
    router,
    "/invitation/{token}",
    PasswordPage(
        describe=lambda db, token, at: auth.describe_invitation(db, token, now=at),
        accept=lambda db, token, password, at: auth.accept_invitation(db, token, password, now=at),
        form=_form,
        done=_done,
        failure_title="Invitation",
    ),
)
