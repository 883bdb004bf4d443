"""The browser page behind the activation link of a delivery mail (F7.1): the link read from the real mail
of an ERP deposit, a French form, its errors, the activation, then a recipient login with that password."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from coffreo_desktop.server.db.models import OutboxMail, RecipientAccount
from tests.server import recipient_helpers as rh
from tests.support import PASSWORD, ServerHarness

EMAIL = "elodie.lefevre@example.fr"
CLIENT_EMAIL = "compta@client.fr"
TYPED = "Un-essai-qui-ne-doit-pas-revenir-42"


@pytest.fixture
def erp(server: ServerHarness) -> dict[str, str]:
    server.close_campaigns()  # each deposit here delivers just its payslip
    return server.integration_key(rh.brand_id(server))


def mailed_link(server: ServerHarness, email: str) -> str:
    """The path of the activation link in the last mail to ``email``, as a browser would open it."""
    with server.session() as s:
        body = s.scalars(
            select(OutboxMail.body_text).where(OutboxMail.to_addr == email).order_by(OutboxMail.id.desc())
        ).first()
    assert body is not None, f"aucun e-mail pour {email}"
    found = re.search(re.escape(server.settings.links_base) + r"/\S+/activation/act_[\w-]+", body)
    assert found, body
    return urlsplit(found.group(0)).path


@pytest.fixture
def vault_link(server: ServerHarness, erp: dict[str, str]) -> str:
    """A new worker's first payslip, deposited by the ERP: the path of the link in the mail they get."""
    rh.add_employee(server, "TST-0001", EMAIL)
    rh.payslip(server, erp, "TST-0001")
    return mailed_link(server, EMAIL)


def post(server: ServerHarness, link: str, password: str, confirmation: str) -> httpx.Response:
    return server.client.post(link, data={"password": password, "confirmation": confirmation})


def said(response: httpx.Response) -> str:
    """The page as the person reads it (apostrophes and the like unescaped)."""
    return html.unescape(response.text)


def accounts(server: ServerHarness, email: str = EMAIL) -> int:
    """Recipient accounts of ``email`` (the demo has accounts of its own)."""
    with server.session() as s:
        found = s.scalar(select(func.count()).where(RecipientAccount.email == email))
        return int(found or 0)


def has_form(text: str) -> bool:
    return 'name="password"' in text and 'name="confirmation"' in text and "<form" in text


def test_the_vault_link_of_the_mail_opens_a_french_form_with_the_first_name_and_the_rules(
    server: ServerHarness, vault_link: str
) -> None:
    assert vault_link.startswith("/coffre/activation/act_")

    shown = server.client.get(vault_link)

    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    assert "Activer votre coffre-fort" in shown.text and "Bonjour Élodie" in shown.text
    assert EMAIL in shown.text and "Au moins 12 caractères" in shown.text
    assert has_form(shown.text) and shown.text.count('type="password"') == 2
    assert shown.headers["cache-control"] == "no-store"


def test_the_page_loads_nothing_from_elsewhere_and_its_policy_allows_only_its_own_style(
    server: ServerHarness, vault_link: str
) -> None:
    shown = server.client.get(vault_link)

    policy = shown.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy and "unsafe-inline" not in policy
    (style,) = re.findall(r"<style>(.*?)</style>", shown.text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy  # else the browser would drop the page's look
    assert not re.search(r"""(src|href|action)\s*=""", shown.text), "aucune ressource ni cible externe"
    assert "<script" not in shown.text


def test_mismatched_passwords_show_the_french_error_keep_the_form_and_activate_nothing(
    server: ServerHarness, vault_link: str
) -> None:
    mismatch = post(server, vault_link, TYPED, TYPED + "x")

    assert mismatch.status_code == 422
    assert "Les deux mots de passe diffèrent." in mismatch.text
    assert has_form(mismatch.text) and TYPED not in mismatch.text
    assert accounts(server) == 0
    refused = server.client.post(
        f"{rh.RECIPIENT}/token", json={"email": EMAIL, "password": TYPED, "kind": "employee"}
    )
    assert refused.status_code == 401
    assert server.client.get(vault_link).status_code == 200  # the link still works


def test_a_weak_password_is_refused_in_french_with_the_form_kept(
    server: ServerHarness, vault_link: str
) -> None:
    weak = post(server, vault_link, "123456789012345", "123456789012345")

    assert weak.status_code == 422
    assert "uniquement de chiffres" in weak.text and has_form(weak.text)
    assert "123456789012345" not in weak.text
    assert accounts(server) == 0


def test_a_valid_password_activates_the_vault_then_logs_in_and_the_link_is_then_used(
    server: ServerHarness, vault_link: str
) -> None:
    done = post(server, vault_link, PASSWORD, PASSWORD)

    assert done.status_code == 200
    text = said(done)
    assert "Votre coffre-fort est activé" in text and EMAIL in text and PASSWORD not in text
    assert not has_form(text)
    headers = rh.login(server, EMAIL, "employee")
    assert [i["doc_type"] for i in rh.all_documents(server, headers)] == ["payslip"]

    again = server.client.get(vault_link)
    assert again.status_code == 410 and "lien d'activation a déjà été utilisé" in said(again)
    assert not has_form(again.text)
    replay = post(server, vault_link, "Un-autre-mot-de-passe-2026", "Un-autre-mot-de-passe-2026")
    assert replay.status_code == 410 and "déjà été utilisé" in replay.text
    rh.login(server, EMAIL, "employee")  # the first password still holds


def test_a_client_user_link_activates_the_company_space(server: ServerHarness, erp: dict[str, str]) -> None:
    rh.add_client(server, "CLT-9", [{"email": CLIENT_EMAIL, "can_invoices": True}])
    rh.invoice(server, erp, "CLT-9", "F-2026-001")
    link = mailed_link(server, CLIENT_EMAIL)
    assert link.startswith("/entreprise/activation/act_")

    shown = server.client.get(link)
    assert shown.status_code == 200
    assert "Activer votre espace entreprise" in shown.text and "Bonjour Paul" in shown.text
    done = post(server, link, PASSWORD, PASSWORD)

    assert done.status_code == 200
    assert "Votre espace entreprise est activé" in done.text
    items = rh.all_documents(server, rh.login(server, CLIENT_EMAIL, "client_user"))
    assert [i["doc_type"] for i in items] == ["invoice"]


def test_unknown_and_expired_links_say_why_in_french_without_a_form(
    server: ServerHarness, vault_link: str
) -> None:
    unknown = server.client.get("/coffre/activation/act_pas-un-vrai-lien")
    assert unknown.status_code == 404 and "lien d'activation est inconnu" in said(unknown)
    assert not has_form(unknown.text)
    unknown_client = server.client.get("/entreprise/activation/act_pas-un-vrai-lien")
    assert unknown_client.status_code == 404 and "Activer votre espace entreprise" in unknown_client.text

    server.clock.advance(days=31)
    expired = server.client.get(vault_link)
    assert expired.status_code == 410 and "a expiré" in expired.text and not has_form(expired.text)
    late = post(server, vault_link, PASSWORD, PASSWORD)
    assert late.status_code == 410 and accounts(server) == 0
