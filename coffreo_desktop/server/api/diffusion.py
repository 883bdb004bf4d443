"""Diffusion libre (PRODUCT.md F3): recipients' autocomplete, "Créer destinataire", and sending one PDF
to one recipient as a simple, protected or to-sign document. The issuer agency is the ``agency_id``
query parameter of every route, so that the access rule checks it before anything is read."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.domain.rights import DIFFUSION_LIBRE_RIGHTS
from coffreo_desktop.server.api import uploads
from coffreo_desktop.server.api.ingest import _idempotency_key as checked_idempotency_key
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import Agency
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import diffusion, diffusion_recipients, document_search

router = APIRouter(prefix="/diffusion", tags=["diffusion libre"])
_RULE = AgencyRight(*sorted(DIFFUSION_LIBRE_RIGHTS))
# The same rights; listed in the other order only because tests/server/test_route_rules.py names its
# test users after a rule's rights and path, not its method (GET and POST /recipients would collide).
_CREATE_RULE = AgencyRight(*sorted(DIFFUSION_LIBRE_RIGHTS, reverse=True))
_PROTECTIONS = {"simple": Protection.SIMPLE, "protected": Protection.PROTECTED, "to_sign": Protection.TO_SIGN}


class RecipientOut(BaseModel):
    id: int
    civility: str
    first_name: str
    last_name: str
    matricule: str
    email: str


class DiffusionOut(BaseModel):
    document: document_search.DocumentView
    warnings: list[str]


@router.get("/recipients", response_model=list[RecipientOut], summary="Rechercher un destinataire")
def search_recipients(
    agency_id: int,
    q: str = Query("", max_length=80, description="Début ou partie du nom, du prénom ou du matricule"),
    limit: int = Query(diffusion_recipients.MAX_SUGGESTIONS, ge=1, le=diffusion_recipients.MAX_SUGGESTIONS),
    who: Principal = requires(_RULE),
    db: Session = DB,
) -> list[RecipientOut]:
    found = diffusion_recipients.search(db, agency_id, q, limit)
    return [RecipientOut(**asdict(r)) for r in found]


class LookupIn(BaseModel):
    matricules: list[str] = Field(..., max_length=diffusion_recipients.MAX_LOOKUP)


@router.post(
    "/recipients/lookup",
    response_model=list[RecipientOut],
    summary="Retrouver des destinataires par matricule",
    description="Les destinataires de l'établissement dont le matricule est exactement l'un de ceux donnés "
    "(au plus 5 000) : l'association d'un dépôt de fichiers en une requête.",
)
def lookup_recipients(
    agency_id: int,
    body: LookupIn,
    who: Principal = requires(_RULE),
    db: Session = DB,
) -> list[RecipientOut]:
    found = diffusion_recipients.by_matricules(db, agency_id, [m[:40] for m in body.matricules])
    return [RecipientOut(**asdict(r)) for r in found]


@router.post(
    "/recipients",
    status_code=201,
    response_model=RecipientOut,
    summary="Créer un destinataire",
    responses={409: {"description": "Matricule déjà pris dans la marque"}},
)
def create_recipient(
    request: Request,
    agency_id: int,
    body: dict[str, Any] = Body(
        ...,
        description="civility (M. | Mme), first_name, last_name, matricule, email, phone, "
        "birth_date (AAAA-MM-JJ), address : tous obligatoires",
    ),
    who: Principal = requires(_CREATE_RULE),
    db: Session = DB,
) -> RecipientOut:
    moment = now(request)
    try:
        data = diffusion_recipients.parse(body, moment.date(), agency_id)
    except diffusion_recipients.RecipientErrors as exc:
        raise RequestValidationError(
            [{"loc": ("body", field), "msg": message, "type": "value_error"} for field, message in exc.errors]
        ) from None
    created = diffusion_recipients.create(db, agency_id, data, actor=who.actor, now=moment)
    return RecipientOut(**asdict(created))


_FORM_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "employee_id", "protection", "title"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "Le PDF (5 Mo maximum)",
                        },
                        "employee_id": {"type": "integer"},
                        "protection": {"type": "string", "enum": sorted(_PROTECTIONS)},
                        "title": {"type": "string", "maxLength": diffusion.MAX_TITLE},
                    },
                }
            }
        },
    }
}


def _fields(fields: dict[str, str], agency_id: int) -> diffusion.DiffusionInput:
    errors = []
    raw_employee = fields.get("employee_id", "").strip()
    if not raw_employee.isdigit():
        errors.append(("employee_id", "Choisissez le destinataire (employee_id)."))
    protection = _PROTECTIONS.get(fields.get("protection", "").strip())
    if protection is None:
        errors.append(("protection", "Le type de document est « simple », « protected » ou « to_sign »."))
    form_agency = fields.get("agency_id", "").strip()
    if form_agency and form_agency != str(agency_id):
        errors.append(("agency_id", "L'établissement du formulaire diffère de celui de l'adresse."))
    if errors:
        raise RequestValidationError(
            [{"loc": ("body", field), "msg": message, "type": "value_error"} for field, message in errors]
        )
    assert protection is not None
    return diffusion.DiffusionInput(agency_id, int(raw_employee), protection, fields.get("title", ""))


@router.post(
    "/documents",
    status_code=201,
    response_model=DiffusionOut,
    summary="Envoyer un document à un destinataire",
    responses={
        200: {"description": "Rejeu : déjà envoyé avec la même clé d'idempotence", "model": DiffusionOut},
        403: {"description": "Droit DL, DLP ou DLS manquant pour ce type de document"},
        404: {"description": "Destinataire inconnu dans cet établissement"},
        409: {"description": "Clé d'idempotence déjà utilisée pour un autre envoi"},
        413: {"description": "Fichier de plus de 5 Mo"},
        422: {"description": "Formulaire ou PDF refusé (code et détail en français)"},
    },
    openapi_extra=_FORM_SCHEMA,
)
async def send_document(
    request: Request,
    response: Response,
    agency_id: int,
    who: Principal = requires(_RULE),
    db: Session = DB,
) -> DiffusionOut:
    ctx: AppContext = request.app.state.ctx
    key = checked_idempotency_key(request)
    if key is None:
        raise Invalid(
            "L'en-tête Idempotency-Key est obligatoire : il évite d'envoyer deux fois le même document.",
            code="missing_idempotency_key",
        )
    assert who.id is not None
    # End the rule's transaction (the SQLite write lock) while the client streams its upload.
    await run_in_threadpool(db.commit)
    async with uploads.receive_form(request, uploads.upload_dir(ctx.settings)) as form:
        data = _fields(form.fields, agency_id)
        upload = form.file("file")
        send = partial(
            diffusion.diffuse,
            db,
            ctx.blobs,
            ctx.settings,
            user_id=who.id,
            rights=who.rights,
            data=data,
            path=upload.path,
            file_name=upload.file_name,
            idempotency_key=key,
            now=now(request),
        )
        # pypdf, sealing, the database and the blob's fsync all block: off the event loop.
        result = await run_in_threadpool(send)
    agency = await run_in_threadpool(db.get, Agency, agency_id)
    response.status_code = 200 if result.replayed else 201
    view = document_search.view_of(result.document, agency.name if agency else "", who.rights)
    return DiffusionOut(document=view, warnings=list(result.warnings))
