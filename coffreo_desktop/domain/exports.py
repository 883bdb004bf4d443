"""The documents export format (F2.8), shared by the desktop's export to disk and the server's export job.

A row is the JSON form of a document as the search API returns it (a mapping of field → JSON value), so
that both sides write byte-identical CSV from the same data. The CSV is what French spreadsheets open
without a wizard: UTF-8 with a byte-order mark, ";" between fields, CRLF line ends, French headers and
labels, dates as dd/mm/yyyy, times in Europe/Paris.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.limits import DISPLAY_TZ

CSV_ENCODING = "utf-8-sig"
CSV_DELIMITER = ";"
CSV_LINE_END = "\r\n"
#: The CSV's name inside an export ZIP; the PDFs sit beside it in one folder per agency.
ZIP_CSV_NAME = "documents.csv"


@dataclass(frozen=True)
class Column:
    field: str
    header: str


COLUMNS: tuple[Column, ...] = (
    Column("id", QT_TRANSLATE_NOOP("domain", "Identifiant")),
    Column("agency_name", QT_TRANSLATE_NOOP("domain", "Agence")),
    Column("doc_type", QT_TRANSLATE_NOOP("domain", "Type de document")),
    Column("title", QT_TRANSLATE_NOOP("domain", "Titre")),
    Column("document_date", QT_TRANSLATE_NOOP("domain", "Date du document")),
    Column("matricule", QT_TRANSLATE_NOOP("domain", "Matricule")),
    Column("employee_last_name", QT_TRANSLATE_NOOP("domain", "Nom")),
    Column("employee_first_name", QT_TRANSLATE_NOOP("domain", "Prénom")),
    Column("client_name", QT_TRANSLATE_NOOP("domain", "Client")),
    Column("contract_number", QT_TRANSLATE_NOOP("domain", "Numéro de contrat")),
    Column("invoice_number", QT_TRANSLATE_NOOP("domain", "Numéro de facture")),
    Column("signature_state", QT_TRANSLATE_NOOP("domain", "Signature")),
    Column("signed_at", QT_TRANSLATE_NOOP("domain", "Signé le")),
    Column("invoice_state", QT_TRANSLATE_NOOP("domain", "État de la facture")),
    Column("pages", QT_TRANSLATE_NOOP("domain", "Pages")),
    Column("size", QT_TRANSLATE_NOOP("domain", "Taille (octets)")),
    Column("created_at", QT_TRANSLATE_NOOP("domain", "Déposé le")),
    Column("file_name", QT_TRANSLATE_NOOP("domain", "Fichier")),
)

# A cell starting with one of these is a formula to a spreadsheet ("CSV injection"): it is quoted with '.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def csv_header() -> list[str]:
    return [column.header for column in COLUMNS]


def _parse_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _cell(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    match field:
        case "doc_type":
            return DocumentType(value).label
        case "signature_state":
            return SignatureState(value).label
        case "invoice_state":
            return InvoiceState(value).label
        case "document_date":
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            return day.strftime("%d/%m/%Y")
        case "signed_at" | "created_at":
            moment = value if isinstance(value, datetime) else _parse_datetime(str(value))
            return moment.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y %H:%M")
    return safe_cell(str(value))


def safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula is prefixed with '."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(document: Mapping[str, Any]) -> list[str]:
    """The CSV cells of one document (its search-API JSON), in :data:`COLUMNS` order."""
    return [_cell(column.field, document.get(column.field)) for column in COLUMNS]


def safe_file_name(name: str, fallback: str = "document") -> str:
    """A name any file system and ZIP tool accepts: ASCII letters, digits, ". _ -" and spaces."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE_NAME.sub("_", ascii_name).strip(" ._")
    return cleaned[:120] or fallback


def zip_member_name(document: Mapping[str, Any]) -> str:
    """Where a document's PDF goes in an export ZIP: unique (the id), grouped by agency, readable."""
    agency = safe_file_name(str(document.get("agency_name") or ""), "agence")
    stem = safe_file_name(str(document.get("file_name") or "").removesuffix(".pdf"))
    return f"{agency}/{document['id']}_{stem}.pdf"
