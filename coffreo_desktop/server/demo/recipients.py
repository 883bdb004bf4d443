"""The demo's recipient logins (demo_recipient_accounts): the first worker and the first client company's
first user get known addresses and an activated account, so the recipient side can be tried at once."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import RecipientAccount
from coffreo_desktop.server.demo import DEMO_DOMAIN, DEMO_RECIPIENTS, demo_password
from coffreo_desktop.server.demo.people import PeoplePlan
from coffreo_desktop.server.security import hash_password

log = logging.getLogger(__name__)
EMPLOYEE_EMAIL, CLIENT_EMAIL = (f"{local}@{DEMO_DOMAIN}" for local, *_ in DEMO_RECIPIENTS)


def assign_addresses(people: PeoplePlan) -> None:
    """Called once the people are planned (after every random draw, so nothing else of the demo moves).

    The first worker never opts out of e-delivery (their vault shows payslips); the first client is
    always activated and its first user holds every right (people.py), invoices included.
    """
    worker = people.employees[0]
    worker.email, worker.opposition_delay = EMPLOYEE_EMAIL, None
    people.clients[0].users[0].email = CLIENT_EMAIL


def password_hashes(seed: int) -> dict[str, str]:
    """Argon2 hashes of the recipients' demo passwords, by email (computed off the main thread)."""
    return {
        email: hash_password(demo_password(seed, email))
        for email in (f"{local}@{DEMO_DOMAIN}" for local, *_ in DEMO_RECIPIENTS)
    }


def insert_accounts(session: Session, people: PeoplePlan, hashes: dict[str, str]) -> None:
    """The accounts of the two demo recipients, activated when their vault or space was."""
    worker, user = people.employees[0], people.clients[0].users[0]
    rows = [
        ("employee", worker.email, worker.vault_activated_at),
        ("client_user", user.email, user.activated_at),
    ]
    for kind, email, activated in rows:
        if activated is None:  # not with the default seed (a test checks it); another seed may be unlucky
            log.warning("Destinataire de démonstration %s sans accès activé : pas de compte", kind)
            continue
        session.add(
            RecipientAccount(
                kind=kind,
                email=email,
                password_hash=hashes[email],
                created_at=activated,
                activated_at=activated,
            )
        )
    session.flush()
