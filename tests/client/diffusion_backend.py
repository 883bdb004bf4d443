"""Helpers of the Diffusion libre send tests: a staff user with chosen rights, recipients of PAR11, PDF
files on disk planned as :class:`SendItem`, and what the server delivered (counted in its database)."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.diffusion_plan import idempotency_key
from coffreo_desktop.client.diffusion_send import SendItem
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import Agency, Document, Employee, EmployeeAgency
from tests.client.documents_backend import pdf_bytes
from tests.support import PASSWORD, ServerHarness

AGENCY = "PAR11"


def staff(server: ServerHarness, *rights: Right) -> str:
    """A new staff user of PAR11 with ``rights``; their e-mail (password: tests.support.PASSWORD)."""
    email = f"envoi-{uuid.uuid4().hex[:10]}@exemple.fr"
    server.make_user(email, {AGENCY: rights})
    return email


async def diffusion_api(base_url: str, email: str) -> DiffusionApi:
    api = ApiClient(base_url)
    await api.login(email, PASSWORD)
    return DiffusionApi(api)


def recipients(server: ServerHarness, count: int) -> list[tuple[int, str]]:
    """``count`` employees of PAR11, made when the demo has fewer: (id, label)."""
    agency_id = server.agency_id(AGENCY)
    with server.session() as s, s.begin():
        found = s.execute(
            select(Employee.id, Employee.last_name, Employee.matricule)
            .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
            .where(EmployeeAgency.agency_id == agency_id)
            .order_by(Employee.id)
            .limit(count)
        ).all()
        people = [(row.id, f"{row.last_name} ({row.matricule})") for row in found]
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.id == agency_id)).one()
        now = server.clock()
        while len(people) < count:
            matricule = f"77{uuid.uuid4().int % 10**6:06d}"
            employee = Employee(
                brand_id=brand_id,
                matricule=matricule,
                civility="M.",
                first_name="Envoi",
                last_name=f"Essai{len(people)}",
                email=f"{matricule}@example.fr",
                created_at=now,
                vault_activated_at=now,
            )
            s.add(employee)
            s.flush()
            s.add(EmployeeAgency(employee_id=employee.id, agency_id=agency_id, since=now))
            people.append((employee.id, f"{employee.last_name} ({matricule})"))
    return people


def items(
    folder: Path,
    people: list[tuple[int, str]],
    files: int,
    tag: str,
    protection: Protection = Protection.SIMPLE,
) -> list[SendItem]:
    """``files`` distinct PDFs written in ``folder``, spread over ``people``, titled "<tag> n"."""
    folder.mkdir(parents=True, exist_ok=True)
    planned = []
    for n in range(files):
        recipient_id, label = people[n % len(people)]
        data = pdf_bytes(f"{tag} - document {n}")
        path = folder / f"{tag}-{n:04d}.pdf"
        path.write_bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        planned.append(
            SendItem(
                key=idempotency_key(sha256, str(recipient_id), protection.value),
                path=str(path),
                file_name=path.name,
                sha256=sha256,
                size=len(data),
                recipient_id=recipient_id,
                recipient_label=label,
                protection=protection,
                title=f"{tag} {n}",
            )
        )
    return planned


def delivered(server: ServerHarness, tag: str) -> Counter[tuple[int | None, str]]:
    """How many live documents the server holds per (recipient, title) for titles starting with ``tag``."""
    with server.session() as s:
        rows = s.execute(
            select(Document.employee_id, Document.title, func.count())
            .where(Document.title.like(f"{tag} %"), Document.deleted_at.is_(None))
            .group_by(Document.employee_id, Document.title)
        ).all()
    return Counter({(row[0], row[1]): row[2] for row in rows})
