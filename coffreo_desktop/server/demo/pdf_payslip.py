"""The demo's payslip PDF (bulletin de paie), drawn from the figures of ``payroll.compute_payslip``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from coffreo_desktop.server.demo.data_fr import MONTHS
from coffreo_desktop.server.demo.payroll import compute_payslip
from coffreo_desktop.server.demo.pdf_layout import (
    ACCENT,
    GREY,
    LEFT,
    WIDTH,
    Party,
    Person,
    Sheet,
    address_lines,
    fmt_amount,
    fmt_euros,
    fmt_number,
    page_footer,
    page_header,
    party_box,
    short_date,
)


def _rate(value: Decimal) -> str:
    return fmt_number(value, 3) if value else ""


def _cash(value: Decimal) -> str:
    return fmt_amount(value) if value else ""


def payslip_pdf(
    agency: Party,
    employee: Person,
    *,
    period_start: date,
    period_end: date,
    hours: float,
    hourly_rate: Decimal,
    mission_client: str,
    seed: int,
) -> bytes:
    slip = compute_payslip(hours, hourly_rate, seed=seed)
    rng = random.Random(seed * 7919 + 1)
    paid_on = period_end + timedelta(days=rng.choice((5, 6, 8, 10)))
    month = f"{MONTHS[period_end.month - 1]} {period_end.year}"
    sheet = Sheet(
        title=f"Bulletin de paie - {month} - {employee.first_name} {employee.last_name}",
        author=agency.name,
        subject="Bulletin de paie",
        day=period_end,
    )
    y = page_header(
        sheet,
        agency,
        "Bulletin de paie",
        [
            f"Période du {short_date(period_start)} au {short_date(period_end)}",
            f"Paiement le {short_date(paid_on)} par virement",
        ],
    )
    party_box(
        sheet,
        LEFT,
        y,
        96,
        30,
        "Salarié",
        f"{employee.first_name} {employee.last_name}",
        [
            f"Matricule {employee.matricule} - Statut non cadre",
            f"Emploi : {employee.job_title}",
            f"Mission chez {mission_client}",
            "Convention collective : travail temporaire (IDCC 2378)",
        ],
    )
    party_box(sheet, 116, y, 79, 30, "Adressé à", employee.full_name, address_lines(employee.address))
    y += 37
    y = sheet.table(
        y,
        ((90, "L"), (30, "R"), (30, "R"), (30, "R")),
        [
            (
                "Salaire de base",
                fmt_number(slip.hours, 2),
                fmt_number(slip.hourly_rate, 4),
                fmt_amount(slip.base_salary),
            ),
            (
                "Indemnité de fin de mission",
                fmt_amount(slip.base_salary),
                "10,00 %",
                fmt_amount(slip.end_of_mission),
            ),
            (
                "Indemnité compensatrice de congés payés",
                fmt_amount(slip.base_salary + slip.end_of_mission),
                "10,00 %",
                fmt_amount(slip.paid_leave),
            ),
            ("Salaire brut", "", "", fmt_amount(slip.gross)),
        ],
        header=("Rémunération", "Nombre / base", "Taux", "Montant"),
        strong=frozenset({3}),
    )
    rows: list[tuple[str, ...]] = []
    groups: set[int] = set()
    previous = ""
    for line in slip.lines:
        if line.group != previous:
            groups.add(len(rows))
            rows.append((line.group.upper(), "", "", "", "", ""))
            previous = line.group
        rows.append(
            (
                line.label,
                fmt_amount(line.base),
                _rate(line.employee_rate),
                _cash(line.employee_amount),
                _rate(line.employer_rate),
                _cash(line.employer_amount),
            )
        )
    rows.append(
        (
            "Total des cotisations et contributions",
            "",
            "",
            fmt_amount(slip.employee_total),
            "",
            fmt_amount(slip.employer_total),
        )
    )
    cols = ((76, "L"), (22, "R"), (18, "R"), (24, "R"), (18, "R"), (22, "R"))
    y = sheet.table(
        y + 4,
        cols,
        rows,
        header=(
            "Cotisations et contributions",
            "Base",
            "Taux sal.",
            "Part salariale",
            "Taux pat.",
            "Part patronale",
        ),
        row_h=4.3,
        size=7.3,
        strong=frozenset({*groups, len(rows) - 1}),
    )
    y = sheet.table(
        y + 4,
        ((120, "L"), (30, "R"), (30, "R")),
        [
            ("Net à payer avant impôt sur le revenu", "", fmt_amount(slip.net_before_tax)),
            ("Montant net social", "", fmt_amount(slip.net_social)),
            ("Net imposable", "", fmt_amount(slip.taxable)),
            (
                "Impôt sur le revenu prélevé à la source "
                f"(taux personnalisé {fmt_number(slip.tax_rate, 1)} %)",
                fmt_amount(slip.taxable),
                fmt_amount(slip.tax),
            ),
        ],
        header=("Net", "Base", "Montant"),
        strong=frozenset({0}),
    )
    sheet.band(LEFT, y + 2, WIDTH, 8, ACCENT)
    sheet.font(10.5, True, (255, 255, 255))
    sheet.text(LEFT + 2, y + 7.6, "Net payé")
    sheet.text(LEFT, y + 7.6, fmt_euros(slip.net_paid), "R", WIDTH - 2)
    months_before = period_end.month - 1
    factor = Decimal(rng.randint(80, 105)) / 100 * months_before
    y = sheet.table(
        y + 14,
        ((36, "R"),) * 5,
        [
            (
                fmt_number(slip.hours * (1 + factor), 2),
                fmt_amount(slip.gross * (1 + factor)),
                fmt_amount(slip.taxable * (1 + factor)),
                fmt_amount(slip.tax * (1 + factor)),
                fmt_amount((slip.gross + slip.employer_total) * (1 + factor)),
            )
        ],
        header=(
            "Heures (cumul)",
            "Brut (cumul)",
            "Net imposable (cumul)",
            "Impôt (cumul)",
            "Coût employeur (cumul)",
        ),
        size=7.5,
    )
    sheet.font(7.5, False, GREY)
    sheet.text(
        LEFT,
        y + 5,
        f"Coût total employeur du mois : {fmt_euros(slip.gross + slip.employer_total)} - Total des "
        "exonérations et allègements : 0,00 €",
    )
    page_footer(
        sheet,
        agency,
        "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de paie "
        "sans limitation de durée. Il est également disponible dans votre coffre-fort.",
    )
    return sheet.output()
