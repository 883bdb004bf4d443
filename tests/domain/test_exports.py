"""The export format (F2.8): French headers and labels, Paris dates, formula cells defused, safe ZIP names."""

from __future__ import annotations

import codecs
import csv
import io
import string
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.exports import (
    COLUMNS,
    CSV_DELIMITER,
    CSV_ENCODING,
    CSV_LINE_END,
    csv_header,
    csv_row,
    safe_file_name,
    zip_member_name,
)


def document(**changes: Any) -> dict[str, Any]:
    """A document as the search API returns it (JSON)."""
    base: dict[str, Any] = {
        "id": 4182,
        "agency_id": 3,
        "agency_name": "Agence Lyon Part-Dieu",
        "doc_type": "mission_contract",
        "title": "Contrat de mission n°2026-118",
        "file_name": "contrat-2026-118.pdf",
        "size": 48213,
        "pages": 3,
        "document_date": "2026-03-02",
        "employee_first_name": "Léa",
        "employee_last_name": "Dubois",
        "matricule": "M0001234",
        "client_name": "Boulangerie Lemaire",
        "contract_number": "2026-118",
        "invoice_number": None,
        "signature_state": "signed",
        "signed_at": "2026-03-03T08:15:00Z",
        "invoice_state": None,
        "can_delete": False,
        "created_at": "2026-03-02T16:40:00+00:00",
    }
    return {**base, **changes}


def cells(doc: dict[str, Any]) -> dict[str, str]:
    return dict(zip(csv_header(), csv_row(doc), strict=True))


def test_header_lists_every_column_in_french_in_order() -> None:
    assert csv_header() == [
        "Identifiant",
        "Agence",
        "Type de document",
        "Titre",
        "Date du document",
        "Matricule",
        "Nom",
        "Prénom",
        "Client",
        "Numéro de contrat",
        "Numéro de facture",
        "Signature",
        "Signé le",
        "État de la facture",
        "Pages",
        "Taille (octets)",
        "Déposé le",
        "Fichier",
    ]
    assert len(csv_row(document())) == len(COLUMNS)


def test_csv_is_what_french_spreadsheets_open_without_a_wizard() -> None:
    assert CSV_DELIMITER == ";"
    assert CSV_LINE_END == "\r\n"
    assert "x".encode(CSV_ENCODING) == codecs.BOM_UTF8 + b"x"


def test_row_shows_french_labels_for_types_and_states() -> None:
    row = cells(document())
    assert row["Type de document"] == "Contrat de mission"
    assert row["Signature"] == "Signé"
    assert row["Prénom"] == "Léa"
    assert row["Identifiant"] == "4182"
    assert row["Pages"] == "3" and row["Taille (octets)"] == "48213"
    invoice = cells(document(doc_type="invoice", invoice_state="downloaded", signature_state="not_required"))
    assert invoice["Type de document"] == "Facture"
    assert invoice["État de la facture"] == "téléchargée"
    assert invoice["Signature"] == "Sans signature"
    for kind in DocumentType:
        assert cells(document(doc_type=kind.value))["Type de document"] == kind.label
    for state in InvoiceState:
        assert cells(document(invoice_state=state.value))["État de la facture"] == state.label
    for signature in SignatureState:
        assert cells(document(signature_state=signature.value))["Signature"] == signature.label


def test_missing_values_are_empty_cells() -> None:
    row = cells(document(invoice_number=None, invoice_state=None, signed_at=None, client_name=""))
    assert row["Numéro de facture"] == ""
    assert row["État de la facture"] == ""
    assert row["Signé le"] == ""
    assert row["Client"] == ""
    assert cells({"id": 1})["Agence"] == ""


def test_dates_are_french_and_times_in_paris() -> None:
    # Winter (UTC+1) and summer (UTC+2), and a UTC evening that is already the next day in Paris.
    row = cells(document(signed_at="2026-03-03T08:15:00Z", created_at="2026-07-14T22:30:00+00:00"))
    assert row["Date du document"] == "02/03/2026"
    assert row["Signé le"] == "03/03/2026 09:15"
    assert row["Déposé le"] == "15/07/2026 00:30"
    # Python values (what the server may pass before serialising) give the same text.
    typed = cells(
        document(document_date=date(2026, 3, 2), created_at=datetime(2026, 7, 14, 22, 30, tzinfo=UTC))
    )
    assert typed["Date du document"] == "02/03/2026"
    assert typed["Déposé le"] == "15/07/2026 00:30"


def test_cells_starting_like_a_formula_are_quoted() -> None:
    for dangerous in ('=HYPERLINK("http://x")', "+33 6 12", "-2+3", "@SUM(A1)", "\tcache", "\rretour"):
        row = cells(document(title=dangerous, client_name=dangerous))
        assert row["Titre"] == "'" + dangerous
        assert row["Client"] == "'" + dangerous
    assert cells(document(title="Contrat = accord"))["Titre"] == "Contrat = accord"


def test_row_survives_a_csv_round_trip_with_separators_quotes_and_newlines() -> None:
    tricky = document(title='Avenant ; "urgent"\nligne 2', employee_last_name="D'Almeida")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)
    writer.writerow(csv_row(tricky))
    parsed = next(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=CSV_DELIMITER))
    assert parsed == csv_row(tricky)
    assert parsed[3] == 'Avenant ; "urgent"\nligne 2'


def test_member_name_is_grouped_by_agency_and_readable() -> None:
    assert zip_member_name(document()) == "Agence Lyon Part-Dieu/4182_contrat-2026-118.pdf"
    accented = document(agency_name="Agence Évry: Sud", file_name="bulletin_février.pdf", id=7)
    assert zip_member_name(accented) == "Agence Evry_ Sud/7_bulletin_fevrier.pdf"


def test_member_name_cannot_escape_its_folder() -> None:
    hostile = document(agency_name="../../etc", file_name="..\\..\\windows/system32.pdf", id=9)
    name = zip_member_name(hostile)
    folder, file_name = name.split("/")
    assert ".." not in folder and "\\" not in name
    assert not name.startswith("/")
    assert file_name.startswith("9_") and file_name.endswith(".pdf")
    assert zip_member_name(document(agency_name="", file_name="", id=5)) == "agence/5_document.pdf"


def test_member_names_are_unique_even_for_identical_file_names() -> None:
    docs = [document(id=i, file_name="bulletin.pdf") for i in range(1, 200)]
    names = [zip_member_name(d) for d in docs]
    assert len(set(names)) == len(names)


@given(st.text(max_size=300))
def test_safe_file_name_keeps_only_portable_characters(name: str) -> None:
    safe = safe_file_name(name)
    allowed = set(string.ascii_letters + string.digits + "._- ")
    assert safe and set(safe) <= allowed
    assert len(safe) <= 120
    assert safe not in (".", "..")
    assert not safe.startswith((" ", ".")) and not safe.endswith((" ", "."))
