"""The invitation link of a staff mail (F1.1): a page to choose a password, then log in from the desktop."""

from __future__ import annotations

import html

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from coffreo_desktop.domain import limits
from coffreo_desktop.server.api.rules import DB, Public, now, requires
from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.services import auth

router = APIRouter(include_in_schema=False)
PUBLIC = [requires(Public())]

_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title} — Coffreo</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f6fb; color: #1f2937; margin: 0; }}
main {{ max-width: 28rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 12px;
        box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.4rem; margin-top: 0; }} label {{ display: block; margin: 1rem 0 .3rem; }}
input {{ width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #cbd5e1;
         border-radius: 6px; }}
button {{ margin-top: 1.5rem; width: 100%; padding: .7rem; border: 0; border-radius: 6px; background: #1d4ed8;
          color: #fff; font-weight: 600; cursor: pointer; }}
.error {{ color: #b91c1c; }} .hint {{ color: #64748b; font-size: .9rem; }}
</style></head><body><main><h1>{title}</h1>{body}</main></body></html>"""


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    headers = {"Cache-Control": "no-store", "X-Frame-Options": "DENY"}
    return HTMLResponse(
        _PAGE.format(title=html.escape(title), body=body), status_code=status, headers=headers
    )


def _form(email: str, error: str = "") -> str:
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return (
        "<p>Bienvenue ! Choisissez le mot de passe de votre compte "
        f"<strong>{html.escape(email)}</strong>.</p>"
        f"{message}<form method=post>"
        f'<label for="p1">Mot de passe</label><input id="p1" name="password" type="password" required '
        f'minlength="{limits.MIN_PASSWORD_LENGTH}" autocomplete="new-password">'
        '<label for="p2">Confirmez le mot de passe</label><input id="p2" name="confirmation" type="password" '
        'required autocomplete="new-password">'
        f'<p class="hint">Au moins {limits.MIN_PASSWORD_LENGTH} caractères.</p>'
        "<button type=submit>Enregistrer mon mot de passe</button></form>"
    )


@router.get("/invitation/{token}", dependencies=PUBLIC)
def invitation_page(token: str, request: Request, db: Session = DB) -> HTMLResponse:
    try:
        user = auth.describe_invitation(db, token, now=now(request))
    except ProblemError as exc:
        return page("Invitation", f'<p class="error">{html.escape(exc.detail)}</p>', exc.status)
    return page("Créer votre mot de passe", _form(user.email))


@router.post("/invitation/{token}", dependencies=PUBLIC)
def choose_password(
    token: str,
    request: Request,
    password: str = Form(max_length=1024),
    confirmation: str = Form(max_length=1024),
    db: Session = DB,
) -> HTMLResponse:
    try:
        user = auth.describe_invitation(db, token, now=now(request))
        if password != confirmation:
            return page(
                "Créer votre mot de passe", _form(user.email, "Les deux mots de passe diffèrent."), 422
            )
        auth.accept_invitation(db, token, password, now=now(request))
    except ProblemError as exc:
        if exc.code == "weak_password":
            return page("Créer votre mot de passe", _form(user.email, exc.detail), exc.status)
        return page("Invitation", f'<p class="error">{html.escape(exc.detail)}</p>', exc.status)
    return page(
        "Mot de passe enregistré",
        f"<p>Votre compte <strong>{html.escape(user.email)}</strong> est prêt.</p>"
        "<p>Ouvrez Coffreo Desktop et connectez-vous avec votre adresse e-mail et ce mot de passe.</p>",
    )
