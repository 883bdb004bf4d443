"""The staff's advance CSVs: the history as listed (F5.4) and the payroll file of accepted advances of a
period, to deduct on the next pay. French headers, ";" separated, a BOM, formula-safe cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import decision_label
from coffreo_desktop.domain.exports import CSV_DELIMITER, CSV_ENCODING, CSV_LINE_END, safe_cell
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, Agency, Employee
from coffreo_desktop.server.services.advances_sql import ROW_COLUMNS, Filters, as_view, joined, where_filters

HISTORY_HEADERS = (
    "Date de la demande",
    "Matricule",
    "Nom",
    "Prénom",
    "Agence",
    "Montant demandé (€)",
    "Montant accordé (€)",
    "Statut",
    "Date de traitement",
    "Traitée par",
    "Commentaire du salarié",
    "Commentaire de l'agence",
)
PAYROLL_HEADERS = (
    "Matricule",
    "Nom",
    "Prénom",
    "Agence",
    "Code agence",
    "Montant accordé (€)",
    "Date d'acceptation",
)


def euros_cell(cents: int | None) -> str:
    """120,50: a number a French spreadsheet reads (the unit is in the header)."""
    if cents is None:
        return ""
    units, rest = divmod(cents, 100)
    return f"{units},{rest:02d}"


def moment_cell(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y %H:%M")


def status_cell(view: dict[str, Any]) -> str:
    if view["state"] == AdvanceState.CANCELLED:
        return AdvanceState.CANCELLED.label
    if view["state"] == AdvanceState.SENT:
        return AdvanceState.SENT.label
    return decision_label(view["granted_cents"], None if view["wants_maximum"] else view["amount_cents"])


def history_cells(view: dict[str, Any]) -> list[str]:
    asked = "Montant maximum" if view["wants_maximum"] or view["amount_cents"] is None else None
    cells = (
        moment_cell(view["created_at"]),
        view["matricule"],
        view["last_name"],
        view["first_name"],
        view["agency_name"],
        asked or euros_cell(view["amount_cents"]),
        euros_cell(view["granted_cents"]),
        status_cell(view),
        moment_cell(view["decided_at"] or view["cancelled_at"]),
        view["decided_by_name"] or "",
        view["comment"],
        view["decision_comment"],
    )
    return [safe_cell(c) for c in cells]


def payroll_cells(view: dict[str, Any]) -> list[str]:
    decided = view["decided_at"].astimezone(ZoneInfo(DISPLAY_TZ)).strftime("%d/%m/%Y")
    cells = (
        view["matricule"],
        view["last_name"],
        view["first_name"],
        view["agency_name"],
        view["agency_code"],
        euros_cell(view["granted_cents"]),
        decided,
    )
    return [safe_cell(c) for c in cells]


def _line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END).writerow(cells)
    return out.getvalue()


def encoded(headers: Sequence[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """The lines as UTF-8, the first with a byte-order mark (French spreadsheets open it without a wizard)."""
    yield _line(headers).encode(CSV_ENCODING)
    for cells in rows:
        yield _line(cells).encode("utf-8")


def payroll_rows(session: Session, filters: Filters) -> Iterator[dict[str, Any]]:
    """Accepted advances decided in the period (Paris days), by agency, worker, then date."""
    query = where_filters(
        joined(*ROW_COLUMNS), filters, (AdvanceState.ACCEPTED,), on=AdvanceRequest.decided_at
    ).order_by(
        Agency.name, Employee.last_name, Employee.first_name, AdvanceRequest.decided_at, AdvanceRequest.id
    )
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield as_view(row)
