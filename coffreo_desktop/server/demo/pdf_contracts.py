"""The demo's contract PDFs: the worker's mission contract and the client's provision contract
(contrat de mise à disposition), which share the terms of the mission."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from coffreo_desktop.server.demo.data_fr import (
    BANKS,
    PENSION_FUNDS,
    POST_RISKS,
    PROTECTIVE_EQUIPMENT,
    WORKING_HOURS,
)
from coffreo_desktop.server.demo.pdf_layout import (
    GREY,
    LEFT,
    WIDTH,
    Party,
    Person,
    Sheet,
    address_lines,
    city_of,
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
    signatures,
)


def _trial_days(start: date, end: date) -> int:
    """Période d'essai of a temp contract (L1251-14): 2 days up to a month, 3 up to two, then 5."""
    days = (end - start).days + 1
    return 2 if days <= 31 else 3 if days <= 62 else 5


def _mission_terms(rng: random.Random, start: date, end: date, motive: str) -> list[tuple[str, str]]:
    return [
        ("Motif de recours", motive),
        ("Début de la mission", long_date(start)),
        ("Terme de la mission", f"{long_date(end)} (durée : {(end - start).days + 1} jours calendaires)"),
        ("Période d'essai", f"{_trial_days(start, end)} jours travaillés"),
        ("Horaires", rng.choice(WORKING_HOURS)),
        ("Caractéristiques du poste", rng.choice(POST_RISKS)),
        ("Équipements de protection", rng.choice(PROTECTIVE_EQUIPMENT)),
    ]


def mission_contract_pdf(
    agency: Party,
    employee: Person,
    client: Party,
    *,
    number: str,
    start: date,
    end: date,
    motive: str,
    hourly_rate: Decimal,
    place: str,
    seed: int,
) -> bytes:
    rng = random.Random(seed)
    name = f"{employee.first_name} {employee.last_name}"
    sheet = Sheet(
        title=f"Contrat de mission n° {number} - {name}",
        author=agency.name,
        subject="Contrat de mission",
        day=start,
    )
    y = page_header(
        sheet,
        agency,
        "Contrat de mission",
        [f"Contrat de travail temporaire n° {number}", f"Établi le {short_date(start)}"],
    )
    w = (WIDTH - 8) / 3
    party_box(
        sheet,
        LEFT,
        y,
        w,
        27,
        "Entreprise de travail temporaire",
        agency.name,
        [*address_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""],
    )
    party_box(
        sheet,
        LEFT + w + 4,
        y,
        w,
        27,
        "Salarié intérimaire",
        employee.full_name,
        [*address_lines(employee.address), f"Matricule {employee.matricule}"],
    )
    party_box(
        sheet,
        LEFT + 2 * (w + 4),
        y,
        w,
        27,
        "Entreprise utilisatrice",
        client.name,
        [*address_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    y = section(sheet, y + 35, "La mission")
    terms = _mission_terms(rng, start, end, motive)
    y = key_values(
        sheet,
        y,
        [
            ("Mise à disposition", f"Contrat de mise à disposition n° {number} conclu avec {client.name}"),
            ("Qualification", employee.job_title),
            ("Lieu de mission", place),
            *terms,
        ],
    )
    y = section(sheet, y + 6, "Rémunération et organismes")
    y = key_values(
        sheet,
        y,
        [
            (
                "Salaire horaire brut",
                f"{fmt_euros(hourly_rate)}, égal à celui d'un salarié de qualification équivalente de "
                "l'entreprise utilisatrice",
            ),
            (
                "Indemnités",
                "Indemnité de fin de mission de 10 % et indemnité compensatrice de congés payés de 10 %, "
                "versées en fin de mission",
            ),
            ("Retraite complémentaire", rng.choice(PENSION_FUNDS)),
            ("Prévoyance", "Malakoff Humanis Prévoyance - accord de branche du travail temporaire"),
            ("Garantie financière", f"{rng.choice(BANKS)} (article L1251-49 du Code du travail)"),
        ],
    )
    sheet.font(7.3, False, GREY)
    y = sheet.wrap(
        LEFT,
        y + 5,
        WIDTH,
        (
            "Contrat conclu en application des articles L1251-1 et suivants du Code du travail. L'embauche "
            "du salarié par l'entreprise utilisatrice à l'issue de la mission n'est pas interdite. Sauf "
            "dans les cas prévus à l'article L1251-33, le salarié perçoit à la fin de la mission une "
            "indemnité de fin de mission destinée à compenser la précarité de sa situation. Le salarié a "
            "accès aux prestations du FASTT (Fonds d'action sociale du travail temporaire). Le présent "
            "contrat est remis au salarié au plus tard dans les deux jours ouvrables suivant sa mise à "
            "disposition (article L1251-17)."
        ),
        3.3,
    )
    signatures(
        sheet,
        y + 4,
        ("Le salarié", "Lu et approuvé, bon pour accord"),
        ("L'agence", f"Pour {agency.name}"),
        city_of(agency.address),
        start,
    )
    page_footer(
        sheet,
        agency,
        "Agence d'emploi - entreprise de travail temporaire titulaire d'une garantie financière. Document "
        "transmis par le coffre-fort électronique du salarié.",
    )
    return sheet.output()


def provision_contract_pdf(
    agency: Party,
    client: Party,
    employee: Person,
    *,
    number: str,
    start: date,
    end: date,
    motive: str,
    billing_rate: Decimal,
    seed: int,
) -> bytes:
    rng = random.Random(seed)
    coefficient = Decimal(rng.choice(("1.85", "1.92", "1.98", "2.05", "2.10")))
    sheet = Sheet(
        title=f"Contrat de mise à disposition n° {number} - {client.name}",
        author=agency.name,
        subject="Contrat de mise à disposition",
        day=start,
    )
    y = page_header(
        sheet, agency, "Contrat de mise à disposition", [f"N° {number}", f"Établi le {short_date(start)}"]
    )
    w = (WIDTH - 6) / 2
    party_box(
        sheet,
        LEFT,
        y,
        w,
        27,
        "Entreprise de travail temporaire",
        agency.name,
        [*address_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""],
    )
    party_box(
        sheet,
        LEFT + w + 6,
        y,
        w,
        27,
        "Entreprise utilisatrice",
        client.name,
        [*address_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    y = section(sheet, y + 35, "Le salarié mis à disposition et la mission")
    terms = _mission_terms(rng, start, end, motive)
    y = key_values(
        sheet,
        y,
        [
            ("Salarié", f"{employee.full_name} (matricule {employee.matricule})"),
            ("Qualification", employee.job_title),
            ("Lieu de mission", f"{client.name}, {' '.join(address_lines(client.address))}"),
            *terms,
        ],
    )
    y = section(sheet, y + 6, "Conditions financières")
    y = key_values(
        sheet,
        y,
        [
            (
                "Rémunération de référence",
                f"{fmt_euros(round_cents(billing_rate / coefficient))} brut de l'heure, celle d'un salarié "
                "de qualification équivalente",
            ),
            ("Coefficient de facturation", fmt_number(coefficient, 2)),
            ("Taux de facturation", f"{fmt_euros(billing_rate)} HT de l'heure, TVA 20 % en sus"),
            ("Paiement", "Facturation mensuelle sur relevé d'heures, à 30 jours date de facture"),
            ("Garantie financière", f"{rng.choice(BANKS)} (article L1251-49 du Code du travail)"),
        ],
    )
    sheet.font(7.3, False, GREY)
    y = sheet.wrap(
        LEFT,
        y + 5,
        WIDTH,
        (
            "Contrat conclu en application des articles L1251-42 et L1251-43 du Code du travail. Pendant "
            "la mission, l'entreprise utilisatrice est responsable des conditions d'exécution du travail : "
            "durée du travail, travail de nuit, repos hebdomadaire et jours fériés, santé et sécurité au "
            "travail (article L1251-21). Elle s'engage à accueillir le salarié et à l'informer des risques "
            "du poste. Le présent contrat est conclu au plus tard dans les deux jours ouvrables suivant la "
            "mise à disposition."
        ),
        3.3,
    )
    signatures(
        sheet,
        y + 4,
        ("L'entreprise utilisatrice", f"Pour {client.name}, cachet et signature"),
        ("L'agence", f"Pour {agency.name}"),
        city_of(agency.address),
        start,
    )
    page_footer(
        sheet,
        agency,
        "Agence d'emploi - entreprise de travail temporaire titulaire d'une garantie financière. Document "
        "transmis par l'espace client.",
    )
    return sheet.output()
