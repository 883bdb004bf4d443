"""Helpers shared by the test suite: a controllable clock, an in-memory keyring, a server harness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import keyring.backend
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.app import create_app, prepare
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import Agency, IntegrationKey, RightGrant, StaffUser
from coffreo_desktop.server.db.models.campaigns import Campaign
from coffreo_desktop.server.security import hash_password, new_token, token_hash


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A secure-looking keyring that lives in memory only (tests never touch the real OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@dataclass
class Clock:
    """The server's clock in tests: starts at a fixed time, moves only when told."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 16, 9, 30, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


PASSWORD = "Mot-de-passe-solide-2026"


@dataclass
class ServerHarness:
    """A real backend (same app as in production) on a fresh database, driven in-process."""

    settings: ServerSettings
    ctx: AppContext
    app: FastAPI
    client: TestClient
    clock: Clock

    @classmethod
    def start(cls, settings: ServerSettings, clock: Clock | None = None) -> ServerHarness:
        prepare(settings)
        ctx = AppContext.build(settings)
        clock = clock or Clock()
        ctx.clock = clock
        app = create_app(settings, ctx=ctx)
        return cls(settings, ctx, app, TestClient(app, raise_server_exceptions=False), clock)

    def close(self) -> None:
        self.client.close()
        self.ctx.db.dispose()

    def session(self) -> Any:
        return self.ctx.db.writer()

    def agency_id(self, code: str) -> int:
        with self.ctx.db.reader() as s:
            return s.scalars(select(Agency.id).where(Agency.code == code)).one()

    def make_user(
        self,
        email: str,
        grants: dict[str, tuple[Right, ...]] | None = None,
        password: str | None = PASSWORD,
        brand_rights: dict[int, tuple[Right, ...]] | None = None,
    ) -> int:
        """A staff user with rights per agency code (and per brand id)."""
        now = self.clock()
        with self.session() as s, s.begin():
            user = StaffUser(
                email=email,
                first_name="Test",
                last_name=email.split("@")[0].title(),
                password_hash=hash_password(password) if password else None,
                created_at=now,
            )
            s.add(user)
            s.flush()
            for code, rights in (grants or {}).items():
                agency = s.scalars(select(Agency.id).where(Agency.code == code)).one()
                s.add_all(
                    RightGrant(user_id=user.id, right=r, agency_id=agency, created_at=now) for r in rights
                )
            for brand, rights in (brand_rights or {}).items():
                s.add_all(
                    RightGrant(user_id=user.id, right=r, brand_id=brand, created_at=now) for r in rights
                )
            return user.id

    def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def close_campaigns(self) -> None:
        """Close the demo's running campaigns: a test about something else then sees a deposit deliver
        just its own document (campaign deliveries are tested in tests/server/test_campaign_triggers.py)."""
        with self.session() as s, s.begin():
            s.execute(
                update(Campaign)
                .where(Campaign.state == CampaignState.ACTIVE)
                .values(state=CampaignState.CLOSED, closed_at=self.clock())
            )

    def integration_key(self, brand_id: int) -> dict[str, str]:
        key = new_token("ck_")
        with self.session() as s, s.begin():
            s.add(
                IntegrationKey(
                    brand_id=brand_id, name="ERP de test", key_hash=token_hash(key), created_at=self.clock()
                )
            )
        return {"Authorization": f"Bearer {key}"}
