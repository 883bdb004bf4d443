"""The pages the mails link to (staff invitation, recipient activation): their look and security headers,
and the GET/POST pair where the person of a one-time link chooses a password. Self-contained, French."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from coffreo_desktop.domain import limits
from coffreo_desktop.server.api.rules import DB, Public, now, requires
from coffreo_desktop.server.errors import ProblemError

#: The form fields' upper bound, as the routes declare it (Form(max_length=...)).
MAX_PASSWORD_INPUT = 1024
PASSWORD_RULES = (
    f"Au moins {limits.MIN_PASSWORD_LENGTH} caractères, sans espace au début ni à la fin, "
    "et pas uniquement des chiffres."
)
MISMATCH = "Les deux mots de passe diffèrent."

_STYLE = """
body { font-family: system-ui, sans-serif; background: #f4f6fb; color: #1f2937; margin: 0; }
main { max-width: 28rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 12px;
       box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.4rem; margin-top: 0; } label { display: block; margin: 1rem 0 .3rem; }
input { width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #cbd5e1; border-radius: 6px; }
button { margin-top: 1.5rem; width: 100%; padding: .7rem; border: 0; border-radius: 6px; background: #1d4ed8;
         color: #fff; font-weight: 600; cursor: pointer; }
.error { color: #b91c1c; } .hint { color: #64748b; font-size: .9rem; }
"""
_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title} — Coffreo</title>
<style>{style}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>"""

# The page carries a secret token in its URL: nothing may load from elsewhere, run, frame it or post it
# anywhere but back here. The one inline style is allowed by its hash rather than by 'unsafe-inline'.
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    """A full page; ``body`` is HTML whose variable parts the caller has escaped."""
    return HTMLResponse(
        _PAGE.format(title=html.escape(title), style=_STYLE, body=body), status_code=status, headers=_HEADERS
    )


def message_page(title: str, message: str, status: int) -> HTMLResponse:
    """A page that only says why the link cannot be used (unknown, used, expired)."""
    return page(title, f'<p class="error" role="alert">{html.escape(message)}</p>', status)


def password_form(intro: str, email: str, button: str, error: str = "") -> str:
    """The two password fields, the rules and the error if any; never pre-filled with what was typed.

    ``intro`` is HTML. The read-only e-mail field lets a password manager file the password under the
    address the person will log in with.
    """
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    size = f'minlength="{limits.MIN_PASSWORD_LENGTH}" maxlength="{MAX_PASSWORD_INPUT}"'
    return (
        f"{intro}{message}<form method=post>"
        f'<input name="username" type="email" value="{html.escape(email)}" autocomplete="username" '
        "readonly hidden>"
        f'<label for="p1">Mot de passe</label><input id="p1" name="password" type="password" required {size} '
        'autocomplete="new-password" aria-describedby="rules">'
        '<label for="p2">Confirmez le mot de passe</label><input id="p2" name="confirmation" '
        f'type="password" required {size} autocomplete="new-password">'
        f'<p class="hint" id="rules">{html.escape(PASSWORD_RULES)}</p>'
        f"<button type=submit>{html.escape(button)}</button></form>"
    )


Who = TypeVar("Who")
PUBLIC = [requires(Public())]


@dataclass(frozen=True)
class PasswordPage(Generic[Who]):
    """One kind of link: who it is for, how the password is taken, and the pages around the form.

    ``describe`` and ``accept`` are the service's (session, token, now) and (session, token, password, now);
    they raise a ProblemError when the link cannot be used (unknown, used, expired) or the password is weak.
    """

    describe: Callable[[Session, str, datetime], Who]
    accept: Callable[[Session, str, str, datetime], object]
    form: Callable[[Who, str, int], HTMLResponse]  # (who, error or "", status)
    done: Callable[[Who], HTMLResponse]
    failure_title: str


def add_password_page(router: APIRouter, path: str, spec: PasswordPage[Who]) -> None:
    """GET ``path`` shows the form; POST takes it (form-encoded ``password`` and ``confirmation``).

    The POST checks the link first (it may have been used since the page was shown), then the two fields,
    then the service's rules. A weak or mismatched password shows the form again with the error; a link
    that can no longer be used shows why, without the form. Nothing typed is ever sent back.

    No CSRF token: the secret token in the URL is what authorises the post, and a third-party site that
    knew it could use it directly; ``form-action 'self'`` and ``frame-ancestors 'none'`` cover the rest.
    No throttling either: the token has 256 random bits, there is nothing to guess.
    """

    def show(token: str, request: Request, db: Session = DB) -> HTMLResponse:
        try:
            who = spec.describe(db, token, now(request))
        except ProblemError as exc:
            return message_page(spec.failure_title, exc.detail, exc.status)
        return spec.form(who, "", 200)

    def submit(
        token: str,
        request: Request,
        password: str = Form(max_length=MAX_PASSWORD_INPUT),
        confirmation: str = Form(max_length=MAX_PASSWORD_INPUT),
        db: Session = DB,
    ) -> HTMLResponse:
        at = now(request)
        try:
            who = spec.describe(db, token, at)
            if password != confirmation:
                return spec.form(who, MISMATCH, 422)
            spec.accept(db, token, password, at)
        except ProblemError as exc:
            if exc.code == "weak_password":
                return spec.form(who, exc.detail, exc.status)
            return message_page(spec.failure_title, exc.detail, exc.status)
        return spec.done(who)

    router.add_api_route(path, show, methods=["GET"], dependencies=PUBLIC)
    router.add_api_route(path, submit, methods=["POST"], dependencies=PUBLIC)
