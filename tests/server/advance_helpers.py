"""Helpers of the staff-side advance tests: fresh workers attached to an agency, requests written straight
into the database (any state, any time), the staff's API calls, the worker's cancellation through their
own API, the service switch and the earnings deposit."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Service
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import (
    AdvanceRequest,
    Agency,
    BrandService,
    Employee,
    EmployeeAgency,
    RecipientAccount,
)
from coffreo_desktop.server.security import hash_password
from tests.support import PASSWORD, ServerHarness

URL = "/api/v1/advances"
EARNINGS_URL = "/api/v1/ingest/earnings"
_numbers = itertools.count(1)


def new_worker(server: ServerHarness, *codes: str, last_name: str | None = None) -> tuple[int, str]:
    """A worker of the agencies' brand attached to each agency of ``codes``: (employee id, matricule)."""
    number = next(_numbers)
    matricule = f"T{number:06d}"
    with server.session() as s, s.begin():
        agencies = [s.scalars(select(Agency).where(Agency.code == c)).one() for c in codes]
        employee = Employee(
            brand_id=agencies[0].brand_id,
            matricule=matricule,
            first_name="Prénom",
            last_name=last_name or f"Testeur{number:04d}",
            email=f"salarie{number}@exemple.fr",
            created_at=server.clock(),
        )
        s.add(employee)
        s.flush()
        s.add_all(
            EmployeeAgency(employee_id=employee.id, agency_id=a.id, since=server.clock()) for a in agencies
        )
        return employee.id, matricule


def add_request(
    server: ServerHarness,
    employee_id: int,
    code: str,
    *,
    amount_cents: int | None = 20000,
    wants_maximum: bool = False,
    created_at: datetime | None = None,
    state: AdvanceState = AdvanceState.SENT,
    **fields: Any,
) -> int:
    """A request as the worker's API would have stored it (plus, for history, its outcome)."""
    agency_id = server.agency_id(code)
    with server.session() as s, s.begin():
        row = AdvanceRequest(
            employee_id=employee_id,
            agency_id=agency_id,
            amount_cents=None if wants_maximum else amount_cents,
            wants_maximum=wants_maximum,
            comment=fields.pop("comment", "Merci"),
            state=state,
            created_at=created_at or server.clock() - timedelta(hours=1),
            **fields,
        )
        s.add(row)
        s.flush()
        return row.id


RECIPIENT_URL = "/api/v1/recipient/advances"


def worker_login(server: ServerHarness, employee_id: int) -> dict[str, str]:
    """The worker's vault headers: an activated recipient account for the employee's email."""
    with server.session() as s, s.begin():
        employee = s.get(Employee, employee_id)
        assert employee is not None
        email = employee.email
        employee.vault_activated_at = server.clock()
        exists = s.scalar(select(RecipientAccount.id).where(RecipientAccount.email == email))
        if exists is None:
            s.add(
                RecipientAccount(
                    kind="employee",
                    email=email,
                    password_hash=hash_password(PASSWORD),
                    created_at=server.clock(),
                    activated_at=server.clock(),
                )
            )
    response = server.client.post(
        "/api/v1/recipient/token", json={"email": email, "password": PASSWORD, "kind": "employee"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def cancel_as_worker(server: ServerHarness, headers: dict[str, str], request_id: int) -> Any:
    """The worker's cancellation through the real route (services/recipient_advances.cancel)."""
    return server.client.post(f"{RECIPIENT_URL}/{request_id}/cancel", json={}, headers=headers)


def set_service(server: ServerHarness, brand_id: int, enabled: bool) -> None:
    """Switch the "Demandes d'acomptes" service on or off for the brand."""
    with server.session() as s, s.begin():
        s.execute(
            delete(BrandService).where(
                BrandService.brand_id == brand_id, BrandService.service == Service.ACOMPTES
            )
        )
        if enabled:
            s.add(BrandService(brand_id=brand_id, service=Service.ACOMPTES, enabled_at=server.clock()))


def request_row(server: ServerHarness, request_id: int) -> AdvanceRequest:
    with server.ctx.db.reader() as s:
        row = s.get(AdvanceRequest, request_id)
        assert row is not None
        s.expunge(row)
        return row


def decide(server: ServerHarness, headers: dict[str, str], request_id: int, **body: Any) -> Any:
    if "version" not in body:
        body["version"] = request_row(server, request_id).version
    body.setdefault("comment", "")
    return server.client.post(f"{URL}/{request_id}/decision", json=body, headers=headers)


def deposit_earnings(server: ServerHarness, key: dict[str, str], items: list[dict[str, Any]]) -> Any:
    payload = [{k: str(v) if k.startswith("period") else v for k, v in item.items()} for item in items]
    return server.client.put(EARNINGS_URL, json={"items": payload}, headers=key)


def da_user(server: ServerHarness, email: str, *codes: str) -> dict[str, str]:
    server.make_user(email, {code: (Right.ACOMPTES,) for code in codes})
    return server.login(email)


def brand_of(server: ServerHarness, code: str) -> int:
    with server.ctx.db.reader() as s:
        return s.scalars(select(Agency.brand_id).where(Agency.code == code)).one()


def all_pages(
    server: ServerHarness, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    total = None
    for _ in range(1000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = server.client.get(f"{URL}/{path}", params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= params.get("limit", 100)
        total = body["total"] if total is None else total
        assert body["total"] == total
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            assert len(items) == total
            return items
    raise AssertionError("pagination sans fin")
