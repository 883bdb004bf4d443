"""Every router of the app: the API (mounted under /api/v1) and the few browser pages (at the root)."""

from __future__ import annotations

from fastapi import APIRouter

from coffreo_desktop.server.api import (
    admin_rights,
    advances,
    auth,
    campaigns,
    clients_admin,
    diffusion,
    documents,
    employees_admin,
    exports,
    ingest,
    ingest_earnings,
    org,
    recipient,
    recipient_advances,
    system,
    trust,
)
from coffreo_desktop.server.web import activation, invitation

API_PREFIX = "/api/v1"
ROUTERS: list[APIRouter] = [
    system.router,
    auth.router,
    org.router,
    ingest.router,
    ingest_earnings.router,
    diffusion.router,
    campaigns.router,
    advances.router,
    documents.router,
    exports.router,
    recipient.router,
    recipient_advances.router,
    trust.router,
    admin_rights.router,
    clients_admin.router,
    employees_admin.router,
]
WEB_ROUTERS: list[APIRouter] = [invitation.router, activation.router]
