"""Every router of the API, in one list that the app factory mounts under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from coffreo_desktop.server.api import auth, ingest, org, system

ROUTERS: list[APIRouter] = [system.router, auth.router, org.router, ingest.router]
