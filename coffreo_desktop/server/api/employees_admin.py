"""Administration "Mes salariés" (F6.2): the establishment's employees, counts, search as you type, reminders
and the employee's folder; "A" on the establishment named by the query parameter agency_id for everything."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import REMINDER_BATCH
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import employees_admin as service

router = APIRouter(prefix="/admin/employees", tags=["administration"])
ADMIN = AgencyRight(Right.ADMIN)
AFTER_ID_ALONE = "« after_id » ne s'emploie qu'avec « all_not_activated » (relancer tous les non activés)."
BOTH = (
    "Choisissez entre une sélection de salariés (« employee_ids ») et tous les non activés "
    "(« all_not_activated ») : pas les deux dans la même demande."
)


class ReminderIn(BaseModel):
    # No max_length of REMINDER_BATCH here: pydantic's message would be English; the service says it in
    # French (422 too_many_employees). This bound only keeps a body from being absurd.
    employee_ids: list[int] | None = Field(
        default=None,
        max_length=100_000,
        description=f"Les salariés à relancer, {REMINDER_BATCH} au plus (sans all_not_activated).",
    )
    all_not_activated: bool = Field(
        default=False,
        description=(
            "Relancer le prochain lot de salariés non activés, par identifiant croissant (next_after_id). "
            "Un salarié devenu non activé pendant le parcours avec un identifiant déjà dépassé n'y entre "
            "pas : un nouveau parcours (after_id absent) le relancera, les déjà relancés étant ignorés."
        ),
    )
    after_id: int | None = Field(
        default=None,
        ge=0,
        description="Avec all_not_activated : reprendre après ce salarié (le next_after_id de la réponse).",
    )


@router.get(
    "", response_model=service.EmployeesPage, summary="Salariés de l'établissement (recherche, filtre)"
)
def list_employees(
    agency_id: int,
    status: service.Status = service.Status.ALL,
    q: str = Query(default="", max_length=80),
    cursor: str | None = Query(default=None, max_length=1000),
    limit: int = Query(default=50, ge=1, le=service.MAX_LIMIT),
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> service.EmployeesPage:
    return service.list_employees(db, agency_id, status=status, query=q, cursor=cursor, limit=limit)


@router.get("/counts", response_model=service.EmployeeCounts, summary="Coffres créés, activés, non activés")
def counts(agency_id: int, who: Principal = requires(ADMIN), db: Session = DB) -> service.EmployeeCounts:
    return service.counts(db, agency_id)


@router.post(
    "/reminders", response_model=service.ReminderOut, summary="Relancer des salariés non activés (par lots)"
)
def remind(
    request: Request, agency_id: int, body: ReminderIn, who: Principal = requires(ADMIN), db: Session = DB
) -> service.ReminderOut:
    ctx: AppContext = request.app.state.ctx
    if body.after_id is not None and not body.all_not_activated:
        raise Invalid(AFTER_ID_ALONE, code="after_id_without_all")
    if body.all_not_activated and body.employee_ids:
        raise Invalid(BOTH, code="selection_and_all")
    ids = None if body.all_not_activated else (body.employee_ids or [])
    return service.remind(
        db, agency_id, employee_ids=ids, actor=who.actor, settings=ctx.settings, now=now(request),
        after_id=body.after_id,
    )  # fmt: skip


@router.get("/{employee_id}", response_model=service.EmployeeFolder, summary="Dossier d'un salarié")
def folder(
    employee_id: int, agency_id: int, who: Principal = requires(ADMIN), db: Session = DB
) -> service.EmployeeFolder:
    return service.folder(db, agency_id, employee_id, who.rights.visible_agencies())
