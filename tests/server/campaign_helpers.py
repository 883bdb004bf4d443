"""Helpers of the campaign tests: a staff user with "D", a campaign body, a draft with one document."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import Agency, AuditEvent
from tests.pdf_corpus import blank_pdf
from tests.support import ServerHarness

URL = "/api/v1/campaigns"


def diffuser(
    server: ServerHarness, email: str, agencies: tuple[str, ...] = ("PAR11",), brands: tuple[int, ...] = ()
) -> dict[str, str]:
    """Log in a new staff user holding "D" on ``agencies`` (and on ``brands``, as the operator grants)."""
    server.make_user(
        email,
        {code: (Right.DIFFUSION,) for code in agencies},
        brand_rights={brand: (Right.DIFFUSION,) for brand in brands},
    )
    return server.login(email)


def brand_id(server: ServerHarness, code: str = "PAR11") -> int:
    with server.ctx.db.reader() as s:
        return int(s.scalars(select(Agency.brand_id).where(Agency.code == code)).one())


def today(server: ServerHarness) -> date:
    return server.clock().date()  # 09:30 UTC: the same day in Paris


def body(scope: dict[str, int], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **scope,
        "name": "Note sécurité 2026",
        "on_payslips": True,
        "on_contracts": False,
        "retroactive": False,
        "cadre_filter": "all",
        "client_filter_id": None,
        "signed": False,
        "starts_on": None,
        "ends_on": None,
    }
    data.update(changes)
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def create(
    server: ServerHarness, headers: dict[str, str], scope: dict[str, int], **changes: Any
) -> dict[str, Any]:
    response = server.client.post(URL, json=body(scope, **changes), headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def add_document(
    server: ServerHarness, headers: dict[str, str], campaign: dict[str, Any], content: bytes | None = None
) -> Any:
    return server.client.post(
        f"{URL}/{campaign['id']}/documents",
        files={
            "file": ("note.pdf", content or blank_pdf(2, text="Consignes de sécurité"), "application/pdf")
        },
        data={"title": "Consignes de sécurité", "version": str(campaign["version"])},
        headers=headers,
    )


def ready_draft(server: ServerHarness, headers: dict[str, str], scope: dict[str, int], **changes: Any) -> Any:
    """A draft with one document, ready to launch."""
    campaign = create(server, headers, scope, **changes)
    response = add_document(server, headers, campaign)
    assert response.status_code == 201, response.text
    return response.json()


def audit_actions(server: ServerHarness, campaign_id: int) -> list[str]:
    with server.ctx.db.reader() as s:
        return list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.target_type == "campaign", AuditEvent.target_id == str(campaign_id))
                .order_by(AuditEvent.id)
            )
        )
