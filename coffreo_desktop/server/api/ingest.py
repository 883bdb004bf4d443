"""The payroll/ERP deposit (F7.3): ``POST /ingest/documents``, a PDF and its metadata in one multipart
form, for an integration key (``Authorization: Bearer ck_...``). The upload streams to disk."""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from coffreo_desktop.domain.documents import DEPOSIT_TYPES, DocumentType
from coffreo_desktop.server.api import uploads
from coffreo_desktop.server.api.rules import DB, Integration, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import ingest

router = APIRouter(prefix="/ingest", tags=["dépôt paie/ERP"])

#: What the caller may put in Idempotency-Key; stored namespaced by key id, within Document's 100 characters.
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,80}")


class DepositForm(BaseModel):
    """The text fields of the form; empty fields count as absent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: str = Field(min_length=1, max_length=40, description="Code de l'agence (ex. PAR11)")
    type: DocumentType = Field(description="payslip, mission_contract, provision_contract, invoice, ...")
    matricule: str | None = Field(
        None, max_length=20, description="Matricule du salarié (documents salariés)"
    )
    client: str | None = Field(
        None, max_length=20, description="Code du client (mise à disposition, facture)"
    )
    title: str | None = Field(
        None, max_length=200, description="Titre ; par défaut d'après le type et la date"
    )
    document_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    contract_number: str | None = Field(None, max_length=40)
    invoice_number: str | None = Field(None, max_length=40)
    must_sign: bool = False
    is_cadre: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("type")
    @classmethod
    def _deposit_type(cls, value: DocumentType) -> DocumentType:
        if value not in DEPOSIT_TYPES:
            raise ValueError("type non accepté par le dépôt paie/ERP")
        return value

    def to_input(self) -> ingest.DepositInput:
        return ingest.DepositInput(
            agency=self.agency,
            doc_type=self.type,
            matricule=self.matricule,
            client=self.client,
            title=self.title,
            document_date=self.document_date,
            period_start=self.period_start,
            period_end=self.period_end,
            contract_number=self.contract_number,
            invoice_number=self.invoice_number,
            must_sign=self.must_sign,
            is_cadre=self.is_cadre,
        )


class DepositOut(BaseModel):
    id: int
    sha256: str
    pages: int
    size: int
    warnings: list[str]


def _form(fields: dict[str, str]) -> ingest.DepositInput:
    try:
        return DepositForm.model_validate(fields).to_input()
    except ValidationError as exc:
        # Same problem+json as FastAPI's own validation errors ("Requête invalide : vérifiez ...").
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None


def _idempotency_key(request: Request) -> str | None:
    value = request.headers.get("idempotency-key")
    if value is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(value):
        raise Invalid(
            "L'en-tête Idempotency-Key doit compter de 1 à 80 caractères ASCII visibles.",
            code="invalid_idempotency_key",
        )
    return value


_FORM_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "agency", "type"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "Le PDF (5 Mo maximum)",
                        },
                        **DepositForm.model_json_schema()["properties"],
                        # Inline: the model's $defs are not part of the OpenAPI document.
                        "type": {"type": "string", "enum": sorted(t.value for t in DEPOSIT_TYPES)},
                    },
                }
            }
        },
    }
}


@router.post(
    "/documents",
    status_code=201,
    response_model=DepositOut,
    summary="Déposer un bulletin, un contrat ou une facture",
    responses={
        200: {
            "description": "Rejeu : ce dépôt a déjà été fait avec la même clé d'idempotence",
            "model": DepositOut,
        },
        409: {"description": "Clé d'idempotence déjà utilisée pour un autre fichier"},
        413: {"description": "Fichier de plus de 5 Mo"},
        422: {"description": "Métadonnées ou PDF refusés (code et détail en français)"},
    },
    openapi_extra=_FORM_SCHEMA,
)
async def deposit_document(
    request: Request, response: Response, who: Principal = requires(Integration()), db: Session = DB
) -> DepositOut:
    ctx: AppContext = request.app.state.ctx
    key = _idempotency_key(request)
    key_id, brand_id = who.id, who.brand_id
    assert key_id is not None and brand_id is not None  # Integration() admits integration keys only
    # The rule's lookup opened a transaction (on SQLite, with the write lock): end it, so that no lock
    # is held while a slow client streams its upload.
    await run_in_threadpool(db.commit)
    async with uploads.receive_form(request, uploads.upload_dir(ctx.settings)) as form:
        data = _form(form.fields)
        upload = form.file("file")
        deposit = partial(
            ingest.deposit,
            db,
            ctx.blobs,
            ctx.settings,
            key_id=key_id,
            brand_id=brand_id,
            data=data,
            path=upload.path,
            file_name=upload.file_name,
            idempotency_key=key,
            now=now(request),
        )
        # Blocking work (pypdf, database, blob fsync) runs off the event loop.
        result = await run_in_threadpool(deposit)
    response.status_code = 200 if result.replayed else 201
    return DepositOut(
        id=result.document_id,
        sha256=result.sha256,
        pages=result.pages,
        size=result.size,
        warnings=list(result.warnings),
    )
