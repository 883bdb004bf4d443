"""The demo group: deterministic from a seed, so its logins can be shown without reading the database."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Brand

DEMO_SEED = 2026
DEMO_BRAND_CODE = "ALTO"
DEMO_DOMAIN = "demo.coffreo.fr"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    label: str
    summary: str


@dataclass(frozen=True)
class DemoUserSpec:
    """Who the demo staff are: rights per agency code ("*" = every agency) and brand rights."""

    local_part: str
    first_name: str
    last_name: str
    label: str
    summary: str
    agency_rights: dict[str, tuple[Right, ...]]
    brand_rights: tuple[Right, ...] = ()


ALL = tuple(Right)
DEMO_USERS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec(
        "admin",
        "Claire",
        "Moreau",
        "Administratrice du groupe",
        "Tous les droits sur toutes les agences, et « D » sur la marque",
        {"*": ALL},
        (Right.DIFFUSION,),
    ),
    DemoUserSpec(
        "diffusion",
        "Julien",
        "Bertrand",
        "Chargé de diffusion",
        "DL, DLP, DLS et D sur Paris 11e et Nanterre",
        {
            "PAR11": (
                Right.DIFFUSION_LIBRE,
                Right.DIFFUSION_LIBRE_PROTEGE,
                Right.DIFFUSION_LIBRE_SIGNE,
                Right.DIFFUSION,
            ),
            "NAN": (
                Right.DIFFUSION_LIBRE,
                Right.DIFFUSION_LIBRE_PROTEGE,
                Right.DIFFUSION_LIBRE_SIGNE,
                Right.DIFFUSION,
            ),
        },
    ),
    DemoUserSpec(
        "acomptes",
        "Sofia",
        "Lefebvre",
        "Gestionnaire paie",
        "DA (demandes d'acomptes) sur Lyon Part-Dieu et Villeurbanne",
        {"LYO": (Right.ACOMPTES,), "VIL": (Right.ACOMPTES,)},
    ),
    DemoUserSpec(
        "restreint",
        "Thomas",
        "Garnier",
        "Collaborateur d'agence",
        "DL et RH sur Paris 11e seulement ; aucun droit sur les autres agences",
        {"PAR11": (Right.DIFFUSION_LIBRE, Right.RELEVES_HEURES)},
    ),
)


@dataclass(frozen=True)
class DemoRecipient:
    """A login of the recipient side (POST /api/v1/recipient/token with ``kind``), not of the desktop."""

    email: str
    password: str
    kind: str  # "employee" | "client_user"
    label: str
    summary: str


#: (local part, kind, label, summary) of the demo's recipient logins; demo/recipients.py gives the first
#: worker and the first client company's first user these addresses.
DEMO_RECIPIENTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "salarie",
        "employee",
        "Salarié intérimaire (coffre-fort)",
        "Son coffre-fort : bulletins de paie, contrats de mission, documents de l'agence",
    ),
    (
        "client",
        "client_user",
        "Utilisateur d'une entreprise cliente",
        "Tous les droits de l'entreprise : contrats de mise à disposition, factures à télécharger et valider",
    ),
)


def demo_password(seed: int, email: str) -> str:
    digest = hashlib.sha256(f"coffreo-demo:{seed}:{email}".encode()).digest()
    return "Demo-" + base64.b32encode(digest).decode()[:12].lower()


def demo_accounts(seed: int = DEMO_SEED) -> list[DemoAccount]:
    """The demo logins; pure and instant (no database)."""
    accounts = []
    for spec in DEMO_USERS:
        email = f"{spec.local_part}@{DEMO_DOMAIN}"
        accounts.append(DemoAccount(email, demo_password(seed, email), spec.label, spec.summary))
    return accounts


def demo_recipient_accounts(seed: int = DEMO_SEED) -> list[DemoRecipient]:
    """The demo's recipient logins; pure and instant like ``demo_accounts`` (kept apart from it: the
    desktop's login lists those, and a recipient cannot log into the desktop)."""
    recipients = []
    for local_part, kind, label, summary in DEMO_RECIPIENTS:
        email = f"{local_part}@{DEMO_DOMAIN}"
        recipients.append(DemoRecipient(email, demo_password(seed, email), kind, label, summary))
    return recipients


def ensure_demo(
    settings: ServerSettings, *, seed: int = DEMO_SEED, scale: float = 1.0, progress: Progress | None = None
) -> bool:
    """Create the demo group unless the database already has one. True when it was created now."""
    from coffreo_desktop.server.context import AppContext

    ctx = AppContext.build(settings)
    try:
        with ctx.db.reader() as session:
            if session.scalar(select(Brand.id).where(Brand.code == DEMO_BRAND_CODE)) is not None:
                return False
        # Imported only when building: the PDF generators cost ~0.4 s of every start otherwise.
        from coffreo_desktop.server.demo.builder import build_demo

        build_demo(ctx, seed=seed, scale=scale, progress=progress)
        return True
    finally:
        ctx.db.dispose()
