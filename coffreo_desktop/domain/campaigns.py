"""Rules of a Diffusion pilotée campaign (F4) shared by the server and the desktop wizard: what a draft
and a launch need, the retroactivity bound for a given today, the status shown, the recipients' CSV."""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from coffreo_desktop.domain.exports import CSV_DELIMITER, CSV_LINE_END, safe_cell
from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.limits import CAMPAIGN_FILE_SIZE, CAMPAIGN_RETROACTIVE_MONTHS, DISPLAY_TZ
from coffreo_desktop.domain.states import CampaignState

MAX_NAME = 200
MAX_DOCUMENT_TITLE = 200
MAX_DOCUMENT_SIZE = CAMPAIGN_FILE_SIZE
#: The widest a date picker may go back (3 months are at most 92 days); the exact bound is earliest_start.
MAX_RETROACTIVE_DAYS = 92
CADRE_FILTERS: tuple[str, ...] = ("all", "cadre", "non_cadre")

STATUS_PLANNED = QT_TRANSLATE_NOOP("domain", "Planifiée")
FieldError = tuple[str, str]


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def earliest_start(today: date, retroactive: bool) -> date:
    """The earliest start date allowed: today, or exactly 3 months back with the retroactive option."""
    return months_before(today, CAMPAIGN_RETROACTIVE_MONTHS) if retroactive else today


def paris_today(moment: datetime) -> date:
    """The campaign day of an instant: campaigns run on days of Europe/Paris."""
    return moment.astimezone(ZoneInfo(DISPLAY_TZ)).date()


def is_running(state: CampaignState, starts_on: date | None, ends_on: date | None, day: date) -> bool:
    """A launched campaign runs on ``day`` between its start and its (optional) end, both included."""
    return (
        state is CampaignState.ACTIVE
        and starts_on is not None
        and starts_on <= day
        and (ends_on is None or day <= ends_on)
    )


def status_label(state: CampaignState, starts_on: date | None, today: date) -> str:
    """ "Sauvegardée", "Planifiée" (launched, start to come), "En cours" or "Archivée"."""
    if state is CampaignState.ACTIVE and starts_on is not None and starts_on > today:
        return STATUS_PLANNED
    return state.label


@dataclass(frozen=True, slots=True)
class CampaignSettings:
    """What the wizard edits; ``documents`` is how many PDFs the campaign holds."""

    name: str
    on_payslips: bool
    on_contracts: bool
    retroactive: bool
    cadre_filter: str = "all"
    client_filter_id: int | None = None
    signed: bool = False
    starts_on: date | None = None
    ends_on: date | None = None
    documents: int = 0


def _date_errors(settings: CampaignSettings, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    start, end = settings.starts_on, settings.ends_on
    if settings.retroactive and start is None:
        errors.append(("starts_on", "Indiquez la date de début : l'envoi à une date antérieure en dépend."))
    if start is not None:
        earliest = earliest_start(today, settings.retroactive)
        if start < earliest and settings.retroactive:
            errors.append(
                (
                    "starts_on",
                    f"La date de début ne peut pas précéder de plus de {CAMPAIGN_RETROACTIVE_MONTHS} mois "
                    f"la date du jour (au plus tôt le {earliest:%d/%m/%Y}).",
                )
            )
        elif start < earliest:
            errors.append(
                (
                    "starts_on",
                    "La date de début est passée : choisissez aujourd'hui ou plus tard, ou cochez "
                    "« envoyer à une date antérieure ».",
                )
            )
    if start is not None and end is not None and end < start:
        errors.append(("ends_on", "La date de fin doit suivre la date de début."))
    return errors


def draft_errors(settings: CampaignSettings, today: date) -> list[FieldError]:
    """Why ``settings`` cannot be saved as a draft (field, French message); empty when it can."""
    errors: list[FieldError] = []
    name = settings.name.strip()
    if not name:
        errors.append(("name", "Donnez un nom à la diffusion."))
    elif len(name) > MAX_NAME:
        errors.append(("name", f"Le nom de la diffusion tient en {MAX_NAME} caractères au plus."))
    if not (settings.on_payslips or settings.on_contracts):
        errors.append(("on_payslips", "Choisissez au moins un déclencheur : bulletins de paie ou contrats."))
    if settings.cadre_filter not in CADRE_FILTERS:
        errors.append(("cadre_filter", "Le filtre cadre est « all », « cadre » ou « non_cadre »."))
    if settings.client_filter_id is not None and not settings.on_contracts:
        errors.append(("client_filter_id", "Le filtre par entreprise cliente ne s'applique qu'aux contrats."))
    return errors + _date_errors(settings, today)


def launch_errors(settings: CampaignSettings, today: date) -> list[FieldError]:
    """Why the campaign cannot be launched today; a start in the past needs the retroactive option."""
    errors = draft_errors(settings, today)
    if settings.starts_on is None:
        errors.append(("starts_on", "Indiquez la date de début de la diffusion."))
    if settings.documents < 1:
        errors.append(("documents", "Ajoutez au moins un document à diffuser."))
    return errors


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One recipient of a campaign, as listed in the detail and exported."""

    matricule: str
    last_name: str
    first_name: str
    agency_name: str
    delivered_at: datetime


DELIVERY_HEADERS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("domain", "Matricule"),
    QT_TRANSLATE_NOOP("domain", "Nom"),
    QT_TRANSLATE_NOOP("domain", "Prénom"),
    QT_TRANSLATE_NOOP("domain", "Agence"),
    QT_TRANSLATE_NOOP("domain", "Diffusé le"),
)


def delivery_cells(row: DeliveryRow) -> list[str]:
    shown = row.delivered_at.astimezone(ZoneInfo(DISPLAY_TZ))
    cells = (row.matricule, row.last_name, row.first_name, row.agency_name, f"{shown:%d/%m/%Y %H:%M}")
    return [safe_cell(c) for c in cells]


def _line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END).writerow(cells)
    return out.getvalue()


def deliveries_csv(rows: Iterable[DeliveryRow]) -> Iterable[str]:
    """The recipients' CSV, line by line (the caller encodes with exports.CSV_ENCODING: BOM included)."""
    yield _line(DELIVERY_HEADERS)
    for row in rows:
        yield _line(delivery_cells(row))
