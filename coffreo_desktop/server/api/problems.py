"""RFC 9457 problem+json responses for every error, with a stable ``code`` and a French ``detail``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coffreo_desktop.server.errors import ProblemError

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://coffreo.example/problems/"

_HTTP_FRENCH = {
    404: ("not_found", "Ressource introuvable."),
    405: ("method_not_allowed", "Méthode non autorisée pour cette ressource."),
    413: ("too_large", "La requête est trop volumineuse."),
}


def problem(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + code,
        "title": detail,
        "status": status,
        "code": code,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "requête"


#: The French name of the fields a person may meet in a message (the API's own names stay in ``field``).
FIELD_LABELS = {
    "email": "adresse e-mail",
    "password": "mot de passe",
    "first_name": "prénom",
    "last_name": "nom",
    "civility": "civilité",
    "rights": "droits",
    "right": "droit",
    "granted": "état voulu",
    "expected": "état vu",
    "agency_id": "établissement",
    "brand_id": "entité",
    "client_ids": "clients",
    "employee_ids": "salariés",
    "matricule": "matricule",
    "title": "titre",
    "comment": "commentaire",
    "reason": "motif",
    "amount": "montant",
    "limit": "nombre de lignes",
    "cursor": "curseur",
    "q": "recherche",
    "status": "statut",
    "name": "nom",
    "after_id": "reprise après le salarié",
    "agency": "établissement",
    "agency_code": "code de l'établissement",
    "agency_ids": "établissements",
    "all_not_activated": "tous les non activés",
    "cadre_filter": "filtre cadres",
    "campaign_id": "campagne",
    "ceiling": "plafond",
    "client": "client",
    "client_filter_id": "client filtré",
    "client_id": "client",
    "code": "code",
    "contract_number": "numéro de contrat",
    "criterion": "critère",
    "date_from": "date de début",
    "date_to": "date de fin",
    "decision": "décision",
    "document_date": "date du document",
    "document_id": "document",
    "employee_id": "salarié",
    "ends_on": "date de fin",
    "export_id": "export",
    "file": "fichier",
    "from": "date de début",
    "include_pdfs": "avec les PDF",
    "invoice_number": "numéro de facture",
    "invoice_state": "état de la facture",
    "is_cadre": "cadre",
    "items": "lignes",
    "kind": "type",
    "matricules": "matricules",
    "message": "message",
    "must_sign": "à signer",
    "net_earned_cents": "net gagné (centimes)",
    "on_contracts": "sur les contrats",
    "on_payslips": "sur les bulletins",
    "order": "ordre de tri",
    "percent": "pourcentage",
    "period": "période",
    "period_end": "fin de période",
    "period_start": "début de période",
    "protection": "protection",
    "refresh_token": "jeton de renouvellement",
    "request_id": "demande",
    "retroactive": "rétroactif",
    "signed": "signé",
    "since": "depuis",
    "sort": "tri",
    "starts_on": "date de début",
    "state": "état",
    "subject": "objet",
    "to": "date de fin",
    "token": "jeton",
    "total": "total",
    "type": "type",
    "types": "types",
    "user_id": "utilisateur",
    "value": "valeur",
    "version": "version",
    "wants_maximum": "montant maximum",
}

#: pydantic's error types in French; ``{label}`` is the field, the other names come from the error's ctx.
_MESSAGES = {
    "missing": "« {label} » est obligatoire",
    "string_too_long": "« {label} » : {max_length} caractères au plus",
    "string_too_short": "« {label} » : {min_length} caractère(s) au moins",
    "too_long": "« {label} » : {max_length} éléments au plus",
    "too_short": "« {label} » : {min_length} élément(s) au moins",
    "int_parsing": "« {label} » doit être un nombre entier",
    "int_type": "« {label} » doit être un nombre entier",
    "int_from_float": "« {label} » doit être un nombre entier",
    "float_parsing": "« {label} » doit être un nombre",
    "decimal_parsing": "« {label} » doit être un nombre",
    "bool_parsing": "« {label} » doit valoir vrai ou faux",
    "bool_type": "« {label} » doit valoir vrai ou faux",
    "string_type": "« {label} » doit être un texte",
    "list_type": "« {label} » doit être une liste",
    "date_parsing": "« {label} » doit être une date (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "« {label} » doit être une date (AAAA-MM-JJ)",
    "datetime_parsing": "« {label} » doit être une date et une heure",
    "datetime_from_date_parsing": "« {label} » doit être une date et une heure",
    "greater_than": "« {label} » doit être supérieur à {gt}",
    "greater_than_equal": "« {label} » doit valoir au moins {ge}",
    "less_than": "« {label} » doit être inférieur à {lt}",
    "less_than_equal": "« {label} » doit valoir au plus {le}",
    "enum": "« {label} » : valeur non reconnue",
    "literal_error": "« {label} » : valeur non reconnue",
    "json_invalid": "le corps de la requête n'est pas un JSON valide",
    "model_attributes_type": "le corps de la requête doit être un objet JSON",
    "dict_type": "« {label} » doit être un objet JSON",
}


def french_message(error: Mapping[str, Any]) -> str:
    """One validation error of pydantic in French, naming the field as a person would."""
    field = _field(error.get("loc", ()))
    last = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), field)
    label = FIELD_LABELS.get(last, field)
    if error.get("type") == "value_error":  # our validators' own French text (pydantic adds a prefix)
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _MESSAGES.get(str(error.get("type", "")), "« {label} » n'est pas valide")
    # Numbers as French writes them: 100 000, not 100000 (a narrow no-break space between thousands).
    ctx = {
        k: f"{v:,}".replace(",", "\u202f") if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in (error.get("ctx") or {}).items()
    }
    try:
        return template.format(label=label, **ctx)
    except (KeyError, IndexError, ValueError):  # a ctx without the expected value: the generic wording
        return f"« {label} » n'est pas valide"


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail, exc.headers or None, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": french_message(e)} for e in exc.errors()]
        messages = " ; ".join(dict.fromkeys(e["message"] for e in errors))  # once each, in order
        return problem(422, "validation_error", f"Requête invalide : {messages}.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, detail = _HTTP_FRENCH.get(exc.status_code, ("http_error", str(exc.detail)))
        return problem(exc.status_code, code, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return problem(500, "internal_error", "Erreur interne du serveur. L'incident a été journalisé.")
