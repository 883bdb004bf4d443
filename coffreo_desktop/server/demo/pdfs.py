"""Real, believable French HR PDFs for the demo group: every generator is importable from here.

Invoices, certificates and campaign notices are drawn in this module; payslips and contracts in
``pdf_payslip`` and ``pdf_contracts``, on the primitives of ``pdf_layout``. Deterministic: the same
inputs give the same bytes. Never prints a NIR; any NIR-shaped text makes generation fail.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from fpdf import FPDF

from coffreo_desktop.server.demo.data_fr import PENSION_FUNDS
from coffreo_desktop.server.demo.pdf_contracts import mission_contract_pdf, provision_contract_pdf
from coffreo_desktop.server.demo.pdf_layout import (
    ACCENT,
    BLACK,
    BOTTOM,
    GREY,
    LEFT,
    WIDTH,
    Party,
    Person,
    Sheet,
    address_lines,
    city_of,
    fmt_amount,
    fmt_euros,
    fmt_number,
    key_values,
    long_date,
    page_footer,
    page_header,
    party_box,
    round_cents,
    section,
    short_date,
)
from coffreo_desktop.server.demo.pdf_payslip import payslip_pdf

# Payslips and contracts are drawn in their own modules; callers find every generator here.
__all__ = [
    "CERTIFICATE_OF_EMPLOYMENT",
    "EMPLOYER_CERTIFICATE",
    "certificate_pdf",
    "invoice_pdf",
    "mission_contract_pdf",
    "notice_pdf",
    "payslip_pdf",
    "provision_contract_pdf",
]

CERTIFICATE_OF_EMPLOYMENT = "Certificat de travail"
EMPLOYER_CERTIFICATE = "Attestation employeur"

# -- invoice and certificates --------------------------------------------------------------------

VAT_RATE = Decimal("0.20")
PAYMENT_DAYS = 30


def _iban(rng: random.Random) -> str:
    # Every group starts with 3-9, so no run of digits can take the shape of a NIR.
    groups = [
        "".join([rng.choice("3456789"), *(rng.choice("0123456789") for _ in range(3))]) for _ in range(5)
    ]
    return f"FR76 {' '.join(groups)} {rng.choice('3456789')}{rng.randint(10, 99)}"


def invoice_pdf(
    agency: Party,
    client: Party,
    *,
    number: str,
    issued: date,
    lines: list[tuple[str, Decimal, Decimal]],
    seed: int,
) -> bytes:
    """An invoice; ``lines`` are (designation, quantity, unit price before tax)."""
    rng = random.Random(seed)
    due = issued + timedelta(days=PAYMENT_DAYS)
    amounts = [round_cents(quantity * price) for _, quantity, price in lines]
    total = sum(amounts, Decimal(0))
    vat = round_cents(total * VAT_RATE)
    sheet = Sheet(
        title=f"Facture n° {number} - {client.name}", author=agency.name, subject="Facture", day=issued
    )
    y = page_header(
        sheet,
        agency,
        "Facture",
        [f"N° {number}", f"Date : {short_date(issued)}", f"Échéance : {short_date(due)}"],
    )
    party_box(
        sheet,
        LEFT,
        y,
        85,
        27,
        "Conditions",
        f"Paiement à {PAYMENT_DAYS} jours",
        [
            f"Échéance le {long_date(due)}",
            "Règlement par virement bancaire",
            f"Référence client : C{rng.randint(10000, 99999)}",
        ],
    )
    party_box(
        sheet,
        110,
        y,
        85,
        27,
        "Facturé à",
        client.name,
        [*address_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    rows = [
        (label, fmt_number(quantity, 2), fmt_amount(price), fmt_amount(amount))
        for (label, quantity, price), amount in zip(lines, amounts, strict=True)
    ]
    y = sheet.table(
        y + 35,
        ((100, "L"), (22, "R"), (28, "R"), (30, "R")),
        rows,
        header=("Désignation", "Quantité", "Prix unitaire HT", "Montant HT"),
        row_h=5.5,
    )
    if y > BOTTOM - 45:
        sheet.pdf.add_page()
        y = 20.0
    for index, (label, value) in enumerate(
        (("Total HT", total), ("TVA 20 %", vat), ("Total TTC", total + vat))
    ):
        last = index == 2
        if last:
            sheet.band(115, y + 3 + index * 6, 80, 7, ACCENT)
        sheet.font(9.5 if last else 8.5, last, (255, 255, 255) if last else BLACK)
        sheet.text(117, y + 7.8 + index * 6, label)
        sheet.text(115, y + 7.8 + index * 6, fmt_euros(value), "R", 78)
    sheet.font(8.5)
    sheet.text(LEFT, y + 8, f"Net à payer : {fmt_euros(total + vat)}")
    sheet.text(LEFT, y + 12.5, f"À régler avant le {long_date(due)}")
    sheet.font(7.3, False, GREY)
    y = sheet.wrap(
        LEFT,
        y + 30,
        WIDTH,
        (
            f"Règlement par virement - IBAN {_iban(rng)} - BIC AGRIFRPP{rng.randint(100, 999)}. Pas "
            "d'escompte pour paiement anticipé. En cas de retard de paiement, des pénalités au taux de "
            "trois fois le taux d'intérêt légal et une indemnité forfaitaire de 40 € pour frais de "
            "recouvrement sont dues (articles L441-10 et D441-5 du Code de commerce). TVA acquittée sur "
            "les encaissements."
        ),
        3.3,
    )
    page_footer(sheet, agency, f"Facture émise par {agency.name} - entreprise de travail temporaire.")
    return sheet.output()


def certificate_pdf(
    agency: Party, employee: Person, *, kind: str, issued: date, start: date, end: date, seed: int
) -> bytes:
    """``kind`` is CERTIFICATE_OF_EMPLOYMENT ("Certificat de travail") or EMPLOYER_CERTIFICATE."""
    if kind not in (CERTIFICATE_OF_EMPLOYMENT, EMPLOYER_CERTIFICATE):
        raise ValueError(f"type d'attestation inconnu : {kind}")
    rng = random.Random(seed)
    signatory = rng.choice(("Claire Martin", "Nicolas Bernard", "Sophie Garnier", "Karim Benali"))
    name = f"{employee.first_name} {employee.last_name}"
    employed = "employée" if employee.civility in ("Mme", "Mlle") else "employé"
    sheet = Sheet(title=f"{kind} - {name}", author=agency.name, subject=kind, day=issued)
    y = page_header(sheet, agency, kind, [f"Délivré le {short_date(issued)}"])
    party_box(
        sheet,
        110,
        y,
        85,
        24,
        "Salarié",
        employee.full_name,
        [*address_lines(employee.address), f"Matricule {employee.matricule}"],
    )
    y += 40
    sheet.font(10)
    if kind == CERTIFICATE_OF_EMPLOYMENT:
        paragraphs = [
            f"Je soussigné(e), {signatory}, responsable de l'agence {agency.name}, certifie que "
            f"{employee.full_name}, demeurant {', '.join(address_lines(employee.address))}, a été "
            f"{employed} par notre entreprise de travail temporaire du {long_date(start)} au "
            f"{long_date(end)}, en qualité de "
            f"{employee.job_title[:1].lower()}{employee.job_title[1:]}, dans le cadre de contrats de "
            "mission.",
            f"{employee.civility} {employee.last_name} nous quitte libre de tout engagement.",
            "Conformément à l'article L911-8 du Code de la sécurité sociale, le salarié peut bénéficier du "
            "maintien à titre gratuit des garanties de complémentaire santé et de prévoyance, pendant une "
            "durée égale à celle de son dernier contrat, dans la limite de douze mois.",
            "Ce certificat est délivré pour servir et valoir ce que de droit.",
        ]
        for paragraph in paragraphs:
            y = sheet.wrap(LEFT, y, WIDTH, paragraph, 5.2) + 3
    else:
        y = section(sheet, y, "Attestation destinée à France Travail")
        y = key_values(
            sheet,
            y,
            [
                ("Salarié", f"{employee.full_name} (matricule {employee.matricule})"),
                ("Emploi occupé", employee.job_title),
                ("Nature du contrat", "Contrats de mission (travail temporaire)"),
                ("Période d'emploi", f"du {long_date(start)} au {long_date(end)}"),
                ("Motif de fin de contrat", "Fin de mission"),
                ("Statut", "Non cadre - régime général"),
                ("Caisse de retraite", rng.choice(PENSION_FUNDS)),
            ],
            label_w=55,
        )
        sheet.font(10)
        y = (
            sheet.wrap(
                LEFT,
                y + 8,
                WIDTH,
                (
                    f"Je soussigné(e), {signatory}, responsable de l'agence, certifie l'exactitude des "
                    "renseignements ci-dessus. Les salaires des douze derniers mois sont transmis à France "
                    "Travail par la déclaration sociale nominative."
                ),
                5.2,
            )
            + 3
        )
    sheet.font(9)
    sheet.text(110, y + 6, f"Fait à {city_of(agency.address)}, le {long_date(issued)}")
    sheet.box(110, y + 9, 85, 30)
    sheet.font(9, True, ACCENT)
    sheet.text(113, y + 14.5, "L'agence")
    sheet.font(7.5, False, GREY)
    sheet.text(113, y + 18.5, f"{signatory}, responsable d'agence")
    page_footer(sheet, agency, f"{kind} délivré par {agency.name} - à conserver.")
    return sheet.output()


# -- campaign notices ----------------------------------------------------------------------------


def notice_pdf(title: str, issuer: str, paragraphs: tuple[str, ...], day: date) -> tuple[bytes, int]:
    """A one-page information notice of a campaign; deterministic like the other demo PDFs."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_creation_date(datetime.combine(day, time(9, 0), tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author(issuer)
    pdf.set_creator("Coffreo Desktop - données de démonstration")
    pdf.set_lang("fr-FR")
    pdf.add_page()
    pdf.set_fill_color(0, 84, 122)
    pdf.rect(15, 12, 180, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("helvetica", "B", 14)
    pdf.text(20, 22.5, issuer)
    pdf.set_text_color(0, 84, 122)
    pdf.set_font("helvetica", "B", 17)
    pdf.set_xy(15, 38)
    pdf.multi_cell(180, 8, title)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("helvetica", "", 10.5)
    for paragraph in paragraphs:
        pdf.set_x(15)
        pdf.multi_cell(180, 5.6, paragraph)
        pdf.ln(3)
    pdf.set_font("helvetica", "", 8)
    pdf.set_text_color(95, 95, 95)
    pdf.text(
        15, 285, f"{issuer} - document d'information remis avec votre bulletin de paie ou votre contrat."
    )
    data = bytes(pdf.output())
    return data, pdf.page
