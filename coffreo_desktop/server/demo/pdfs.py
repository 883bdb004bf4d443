"""Real, believable French HR PDFs for the demo group (payslips, contracts, invoices, certificates).

Deterministic: the same inputs give the same bytes. Drawn with fpdf2's core Helvetica in WinAnsi
(cp1252, so accents and € render) through ``text()``: ``cell()`` is ~20 times slower and the demo
makes thousands of these. Never prints a NIR; any NIR-shaped text makes generation fail.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from fpdf import FPDF

from coffreo_desktop.domain.nir import contains_nir

CERTIFICATE_OF_EMPLOYMENT = "Certificat de travail"
EMPLOYER_CERTIFICATE = "Attestation employeur"

_ACCENT = (0, 84, 122)
_GREY = (95, 95, 95)
_LIGHT = (230, 240, 246)
_BLACK = (20, 20, 20)
_LEFT, _RIGHT = 15.0, 195.0
_WIDTH = _RIGHT - _LEFT
_BOTTOM = 272.0
_CENT = Decimal("0.01")
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_BANKS = ("Atradius Crédito y Caución", "Crédit Agricole Corporate", "Société Générale", "BNP Paribas")
_PENSION = ("Malakoff Humanis Agirc-Arrco", "AG2R La Mondiale Agirc-Arrco", "Klesia Agirc-Arrco")
_HOURS = (
    "35 h par semaine, du lundi au vendredi, 8 h - 12 h / 13 h - 16 h",
    "35 h par semaine en équipe alternée, 5 h - 12 h ou 13 h - 20 h",
    "37 h par semaine, du lundi au vendredi, 7 h 30 - 15 h 30 (RTT selon l'entreprise)",
)
_RISKS = (
    "Poste ne figurant pas sur la liste des postes à risques particuliers",
    "Port de charges ponctuel ; conduite d'engins soumise à autorisation (CACES)",
    "Station debout prolongée ; travail en environnement bruyant",
)
_PPE = (
    "Chaussures de sécurité et gants, fournis par l'entreprise utilisatrice",
    "Chaussures de sécurité fournies par l'agence ; gilet haute visibilité fourni sur site",
    "Aucun équipement de protection individuelle particulier",
)


@dataclass(frozen=True)
class Party:
    """An agency or a client company, as printed in a document's header or party box."""

    name: str
    address: str
    siret: str = ""


@dataclass(frozen=True)
class Person:
    civility: str
    first_name: str
    last_name: str
    matricule: str
    address: str
    job_title: str

    @property
    def full_name(self) -> str:
        return f"{self.civility} {self.first_name} {self.last_name}"


# -- formatting ----------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    """French money without the unit: 1 234,56 (non-breaking thousands separator)."""
    text = f"{value.quantize(_CENT, ROUND_HALF_UP):,.2f}"
    return text.replace(",", "\xa0").replace(".", ",")


def _euros(value: Decimal) -> str:
    return f"{_amount(value)} €"


def _number(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def _long(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"


def _short(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _lines(address: str) -> list[str]:
    parts = address.replace("\n", ", ").split(", ")
    return [part.strip() for part in parts if part.strip()]


def _city(address: str) -> str:
    last = _lines(address)[-1] if address.strip() else ""
    return last[6:] if last[:5].isdigit() and len(last) > 6 else last


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


# -- drawing -------------------------------------------------------------------------------------


class _Sheet:
    """A one-page-at-a-time A4 canvas over FPDF with right/centre alignment and word wrap."""

    def __init__(self, *, title: str, author: str, subject: str, day: date) -> None:
        pdf = FPDF(unit="mm", format="A4")
        pdf.core_fonts_encoding = "cp1252"  # the font's /WinAnsiEncoding: é, à, œ, € all print
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(datetime.combine(day, time(9, 0), tzinfo=UTC))  # deterministic bytes
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_subject(subject)
        pdf.set_creator("Coffreo Desktop - données de démonstration")
        pdf.set_producer("Coffreo Desktop")
        pdf.set_lang("fr-FR")
        pdf.set_line_width(0.2)
        pdf.add_page()
        self.pdf = pdf
        self._font: tuple[float, bool] | None = None
        self._written: list[str] = [title, author, subject]

    def font(self, size: float, bold: bool = False, color: tuple[int, int, int] = _BLACK) -> None:
        if self._font != (size, bold):
            self.pdf.set_font("helvetica", "B" if bold else "", size)
            self._font = (size, bold)
        self.pdf.set_text_color(*color)

    def width(self, text: str) -> float:
        # Core fonts' widths are keyed by the cp1252 byte read as latin-1 (fpdf2 annotates them as int).
        widths = cast(dict[str, float], self.pdf.current_font.cw)  # type: ignore[union-attr]
        raw = text.encode("cp1252").decode("latin-1")
        return float(sum(widths[c] for c in raw)) * self.pdf.font_size_pt / 1000 / self.pdf.k

    def text(self, x: float, y: float, text: str, align: str = "L", w: float = 0.0) -> None:
        if align == "R":
            x += w - self.width(text)
        elif align == "C":
            x += (w - self.width(text)) / 2
        self._written.append(text)
        self.pdf.text(x, y, text)

    def split(self, text: str, w: float) -> list[str]:
        """``text`` broken into lines of at most ``w`` mm in the current font."""
        lines: list[str] = []
        line = ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and self.width(candidate) > w:
                lines.append(line)
                candidate = word
            line = candidate
        return [*lines, line] if line else lines

    def wrap(self, x: float, y: float, w: float, text: str, leading: float) -> float:
        """Write ``text`` wrapped to ``w`` mm from baseline ``y``; return the next baseline."""
        for line in self.split(text, w):
            self.text(x, y, line)
            y += leading
        return y

    def fit(self, text: str, w: float) -> str:
        """``text`` cut with an ellipsis so that it fits in ``w`` mm (long names, long designations)."""
        if self.width(text) <= w:
            return text
        room = w - self.width("…")
        used = 0.0
        for index, char in enumerate(text):
            used += self.width(char)
            if used > room:
                return text[:index].rstrip() + "…"
        return text

    def box(self, x: float, y: float, w: float, h: float, fill: tuple[int, int, int] | None = None) -> None:
        if fill:
            self.pdf.set_fill_color(*fill)
        self.pdf.set_draw_color(190, 200, 206)
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")

    def band(self, x: float, y: float, w: float, h: float, color: tuple[int, int, int]) -> None:
        self.pdf.set_fill_color(*color)
        self.pdf.rect(x, y, w, h, style="F")

    def table(
        self,
        y: float,
        cols: Sequence[tuple[float, str]],
        rows: Sequence[Sequence[str]],
        *,
        header: Sequence[str],
        row_h: float = 5.0,
        size: float = 8.0,
        strong: frozenset[int] = frozenset(),
    ) -> float:
        """Rows under a shaded header; ``strong`` rows are bold and shaded. Returns the y below."""

        def draw_header(y: float) -> float:
            self.band(_LEFT, y, _WIDTH, row_h + 0.6, _ACCENT)
            self.font(size, True, (255, 255, 255))
            self._cells(y + row_h - 1.4, cols, header)
            return y + row_h + 0.6

        y = draw_header(y)
        for index, row in enumerate(rows):
            if y + row_h > _BOTTOM:  # long invoices continue on a new page, header repeated
                self.pdf.add_page()
                self._font = None
                y = draw_header(20.0)
            if index in strong:
                self.band(_LEFT, y, _WIDTH, row_h, _LIGHT)
            elif index % 2:
                self.band(_LEFT, y, _WIDTH, row_h, (247, 249, 250))
            self.font(size, index in strong)
            self._cells(y + row_h - 1.5, cols, row)
            y += row_h
        self.pdf.set_draw_color(*_ACCENT)
        self.pdf.line(_LEFT, y, _RIGHT, y)
        return y

    def _cells(self, baseline: float, cols: Sequence[tuple[float, str]], values: Sequence[str]) -> None:
        x = _LEFT
        for (w, align), value in zip(cols, values, strict=True):
            if value:
                self.text(x + 1.5, baseline, self.fit(value, w - 3), align, w - 3)
            x += w

    def output(self) -> bytes:
        for text in self._written:
            if contains_nir(text):  # the demo data must never carry a NIR into a document
                raise ValueError("un texte du document a la forme d'un numéro de sécurité sociale")
        return bytes(self.pdf.output())


def _header(sheet: _Sheet, agency: Party, title: str, refs: Sequence[str]) -> float:
    sheet.band(_LEFT, 12, 13, 13, _ACCENT)
    initials = "".join(word[0] for word in agency.name.split()[:2]).upper()
    sheet.font(11, True, (255, 255, 255))
    sheet.text(_LEFT, 20.3, initials, "C", 13)
    sheet.font(11, True, _ACCENT)
    sheet.text(31, 16.5, agency.name)
    sheet.font(7.5, False, _GREY)
    y = 20.5
    for line in [*_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""]:
        if line:
            sheet.text(31, y, line)
            y += 3.4
    sheet.font(15, True, _ACCENT)
    sheet.text(_LEFT, 18, title, "R", _WIDTH)
    sheet.font(8.5, False, _GREY)
    for index, ref in enumerate(refs):
        sheet.text(_LEFT, 24 + index * 4, ref, "R", _WIDTH)
    bottom = max(y, 24 + len(refs) * 4) + 1
    sheet.band(_LEFT, bottom, _WIDTH, 0.8, _ACCENT)
    return bottom + 7


def _footer(sheet: _Sheet, agency: Party, note: str) -> None:
    """The footer of every page, drawn last: a long invoice only knows its page count at the end."""
    ident = " - ".join(
        x
        for x in (agency.name, " ".join(_lines(agency.address)), agency.siret and f"SIRET {agency.siret}")
        if x
    )
    last = sheet.pdf.page
    for page in range(1, last + 1):
        sheet.pdf.page = page  # fpdf2 writes into an earlier page when asked to
        sheet.pdf.set_draw_color(190, 200, 206)
        sheet.pdf.line(_LEFT, 281, _RIGHT, 281)
        sheet.font(6.8, False, _GREY)
        sheet.text(_LEFT, 285, note, "C", _WIDTH)
        sheet.text(_LEFT, 288.5, ident, "C", _WIDTH)
        if last > 1:
            sheet.text(_LEFT, 288.5, f"Page {page}/{last}", "R", _WIDTH)
    sheet.pdf.page = last


def _party_box(
    sheet: _Sheet, x: float, y: float, w: float, h: float, caption: str, name: str, lines: Sequence[str]
) -> None:
    sheet.box(x, y, w, h)
    sheet.font(7, True, _ACCENT)
    sheet.text(x + 3, y + 4.5, caption.upper())
    size = 9.5
    sheet.font(size, True)
    while size > 7 and sheet.width(name) > w - 6:  # a long company name shrinks a little, then is cut
        size -= 0.5
        sheet.font(size, True)
    sheet.text(x + 3, y + 9.5, sheet.fit(name, w - 6))
    sheet.font(8, False, _GREY)
    for index, line in enumerate(line for line in lines if line):
        sheet.text(x + 3, y + 13.8 + index * 3.7, sheet.fit(line, w - 6))


def _key_values(sheet: _Sheet, y: float, pairs: Sequence[tuple[str, str]], label_w: float = 52) -> float:
    """A two-column table of labels and values; long values wrap."""
    for index, (label, value) in enumerate(pairs):
        sheet.font(8.5)
        lines = sheet.split(value, _WIDTH - label_w - 4)
        h = 4.2 * len(lines) + 1.8
        if index % 2 == 0:
            sheet.band(_LEFT, y, _WIDTH, h, (244, 247, 249))
        for number, line in enumerate(lines):
            sheet.text(_LEFT + label_w, y + 4.3 + number * 4.2, line)
        sheet.font(8.5, True, _GREY)
        sheet.text(_LEFT + 2, y + 4.3, label)
        y += h
    return y


def _section(sheet: _Sheet, y: float, title: str) -> float:
    sheet.font(9.5, True, _ACCENT)
    sheet.text(_LEFT, y, title)
    return y + 2.5


def _signatures(
    sheet: _Sheet, y: float, left: tuple[str, str], right: tuple[str, str], place: str, day: date
) -> None:
    sheet.font(8.5)
    sheet.text(_LEFT, y, f"Fait à {place}, le {_long(day)}, en deux exemplaires.")
    for index, (caption, hint) in enumerate((left, right)):
        x = _LEFT + index * (_WIDTH / 2 + 3)
        sheet.box(x, y + 3, _WIDTH / 2 - 3, 28)
        sheet.font(9, True, _ACCENT)
        sheet.text(x + 3, y + 8.5, caption)
        sheet.font(7.5, False, _GREY)
        sheet.text(x + 3, y + 12.5, hint)


# -- payslip -------------------------------------------------------------------------------------

#: 2024 rates in percent: (group, label, base kind, employee rate, employer rate); the employer's
#: work-accident rate is drawn from the seed, as it varies by client activity.
_CONTRIBUTIONS = (
    ("Santé", "Sécurité sociale - maladie, maternité, invalidité, décès", "gross", "0", "7.000"),
    ("Santé", "Complémentaire santé", "gross", "0.850", "0.850"),
    ("Accidents du travail", "Accidents du travail - maladies professionnelles", "gross", "0", "AT"),
    ("Retraite", "Sécurité sociale plafonnée", "capped", "6.900", "8.550"),
    ("Retraite", "Sécurité sociale déplafonnée", "gross", "0.400", "2.020"),
    ("Retraite", "Complémentaire tranche 1", "capped", "3.150", "4.720"),
    ("Retraite", "Contribution d'équilibre général tranche 1", "capped", "0.860", "1.290"),
    ("Famille", "Allocations familiales", "gross", "0", "3.450"),
    ("Assurance chômage", "Chômage", "gross", "0", "4.050"),
    ("Assurance chômage", "AGS (garantie des salaires)", "gross", "0", "0.150"),
    ("Autres", "Autres contributions dues par l'employeur", "gross", "0", "1.230"),
    ("CSG / CRDS", "CSG déductible de l'impôt sur le revenu", "csg", "6.800", "0"),
    ("CSG / CRDS", "CSG/CRDS non déductible de l'impôt sur le revenu", "csg", "2.900", "0"),
)
_MONTHLY_CEILING = Decimal("3864.00")  # plafond mensuel de la sécurité sociale 2024
_LEGAL_MONTHLY_HOURS = Decimal("151.67")
_CSG_BASE = Decimal("0.9825")
_TEN_PERCENT = Decimal("0.10")


@dataclass(frozen=True)
class PayLine:
    group: str
    label: str
    base: Decimal
    employee_rate: Decimal
    employee_amount: Decimal
    employer_rate: Decimal
    employer_amount: Decimal


@dataclass(frozen=True)
class Payslip:
    """Every figure of a temp worker's payslip; net_before_tax = gross - employee_total."""

    hours: Decimal
    hourly_rate: Decimal
    base_salary: Decimal
    end_of_mission: Decimal  # indemnité de fin de mission, 10 %
    paid_leave: Decimal  # indemnité compensatrice de congés payés, 10 %
    gross: Decimal
    lines: tuple[PayLine, ...]
    employee_total: Decimal
    employer_total: Decimal
    net_before_tax: Decimal
    net_social: Decimal
    taxable: Decimal
    tax_rate: Decimal
    tax: Decimal
    net_paid: Decimal


def compute_payslip(hours: float, hourly_rate: Decimal, *, seed: int) -> Payslip:
    """The figures of a payslip; the seed picks the withholding-tax and work-accident rates."""
    rng = random.Random(seed)
    work_accident = Decimal(rng.choice(("1.800", "2.600", "3.400", "4.900")))
    tax_rate = Decimal(rng.choice(("0.0", "1.3", "2.5", "4.1", "5.6", "7.5")))
    worked = Decimal(str(hours)).quantize(_CENT)
    base_salary = _money(worked * hourly_rate)
    end_of_mission = _money(base_salary * _TEN_PERCENT)
    paid_leave = _money((base_salary + end_of_mission) * _TEN_PERCENT)
    gross = base_salary + end_of_mission + paid_leave
    ceiling = _money(_MONTHLY_CEILING * min(Decimal(1), worked / _LEGAL_MONTHLY_HOURS))
    bases = {"gross": gross, "capped": min(gross, ceiling), "csg": _money(gross * _CSG_BASE)}
    lines = []
    for group, label, kind, employee, employer in _CONTRIBUTIONS:
        base = bases[kind]
        employee_rate = Decimal(employee)
        employer_rate = work_accident if employer == "AT" else Decimal(employer)
        lines.append(
            PayLine(
                group,
                label,
                base,
                employee_rate,
                _money(base * employee_rate / 100),
                employer_rate,
                _money(base * employer_rate / 100),
            )
        )
    employee_total = sum((line.employee_amount for line in lines), Decimal(0))
    employer_total = sum((line.employer_amount for line in lines), Decimal(0))
    net_before_tax = gross - employee_total
    csg_lines = [line for line in lines if line.group == "CSG / CRDS"]
    # The employer's share of health insurance and the non-deductible CSG/CRDS are taxable income.
    taxable = net_before_tax + csg_lines[-1].employee_amount + lines[1].employer_amount
    tax = _money(taxable * tax_rate / 100)
    return Payslip(
        hours=worked,
        hourly_rate=hourly_rate,
        base_salary=base_salary,
        end_of_mission=end_of_mission,
        paid_leave=paid_leave,
        gross=gross,
        lines=tuple(lines),
        employee_total=employee_total,
        employer_total=employer_total,
        net_before_tax=net_before_tax,
        net_social=gross - employee_total + sum((line.employee_amount for line in csg_lines), Decimal(0)),
        taxable=taxable,
        tax_rate=tax_rate,
        tax=tax,
        net_paid=net_before_tax - tax,
    )


def _rate(value: Decimal) -> str:
    return _number(value, 3) if value else ""


def _cash(value: Decimal) -> str:
    return _amount(value) if value else ""


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
    month = f"{_MONTHS[period_end.month - 1]} {period_end.year}"
    sheet = _Sheet(
        title=f"Bulletin de paie - {month} - {employee.first_name} {employee.last_name}",
        author=agency.name,
        subject="Bulletin de paie",
        day=period_end,
    )
    y = _header(
        sheet,
        agency,
        "Bulletin de paie",
        [
            f"Période du {_short(period_start)} au {_short(period_end)}",
            f"Paiement le {_short(paid_on)} par virement",
        ],
    )
    _party_box(
        sheet,
        _LEFT,
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
    _party_box(sheet, 116, y, 79, 30, "Adressé à", employee.full_name, _lines(employee.address))
    y += 37
    y = sheet.table(
        y,
        ((90, "L"), (30, "R"), (30, "R"), (30, "R")),
        [
            (
                "Salaire de base",
                _number(slip.hours, 2),
                _number(slip.hourly_rate, 4),
                _amount(slip.base_salary),
            ),
            (
                "Indemnité de fin de mission",
                _amount(slip.base_salary),
                "10,00 %",
                _amount(slip.end_of_mission),
            ),
            (
                "Indemnité compensatrice de congés payés",
                _amount(slip.base_salary + slip.end_of_mission),
                "10,00 %",
                _amount(slip.paid_leave),
            ),
            ("Salaire brut", "", "", _amount(slip.gross)),
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
                _amount(line.base),
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
            _amount(slip.employee_total),
            "",
            _amount(slip.employer_total),
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
            ("Net à payer avant impôt sur le revenu", "", _amount(slip.net_before_tax)),
            ("Montant net social", "", _amount(slip.net_social)),
            ("Net imposable", "", _amount(slip.taxable)),
            (
                f"Impôt sur le revenu prélevé à la source (taux personnalisé {_number(slip.tax_rate, 1)} %)",
                _amount(slip.taxable),
                _amount(slip.tax),
            ),
        ],
        header=("Net", "Base", "Montant"),
        strong=frozenset({0}),
    )
    sheet.band(_LEFT, y + 2, _WIDTH, 8, _ACCENT)
    sheet.font(10.5, True, (255, 255, 255))
    sheet.text(_LEFT + 2, y + 7.6, "Net payé")
    sheet.text(_LEFT, y + 7.6, _euros(slip.net_paid), "R", _WIDTH - 2)
    months_before = period_end.month - 1
    factor = Decimal(rng.randint(80, 105)) / 100 * months_before
    y = sheet.table(
        y + 14,
        ((36, "R"),) * 5,
        [
            (
                _number(slip.hours * (1 + factor), 2),
                _amount(slip.gross * (1 + factor)),
                _amount(slip.taxable * (1 + factor)),
                _amount(slip.tax * (1 + factor)),
                _amount((slip.gross + slip.employer_total) * (1 + factor)),
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
    sheet.font(7.5, False, _GREY)
    sheet.text(
        _LEFT,
        y + 5,
        f"Coût total employeur du mois : {_euros(slip.gross + slip.employer_total)} - Total des "
        "exonérations et allègements : 0,00 €",
    )
    _footer(
        sheet,
        agency,
        "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de paie "
        "sans limitation de durée. Il est également disponible dans votre coffre-fort.",
    )
    return sheet.output()


# -- contracts -----------------------------------------------------------------------------------


def _trial_days(start: date, end: date) -> int:
    """Période d'essai of a temp contract (L1251-14): 2 days up to a month, 3 up to two, then 5."""
    days = (end - start).days + 1
    return 2 if days <= 31 else 3 if days <= 62 else 5


def _mission_terms(rng: random.Random, start: date, end: date, motive: str) -> list[tuple[str, str]]:
    return [
        ("Motif de recours", motive),
        ("Début de la mission", _long(start)),
        ("Terme de la mission", f"{_long(end)} (durée : {(end - start).days + 1} jours calendaires)"),
        ("Période d'essai", f"{_trial_days(start, end)} jours travaillés"),
        ("Horaires", rng.choice(_HOURS)),
        ("Caractéristiques du poste", rng.choice(_RISKS)),
        ("Équipements de protection", rng.choice(_PPE)),
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
    sheet = _Sheet(
        title=f"Contrat de mission n° {number} - {name}",
        author=agency.name,
        subject="Contrat de mission",
        day=start,
    )
    y = _header(
        sheet,
        agency,
        "Contrat de mission",
        [f"Contrat de travail temporaire n° {number}", f"Établi le {_short(start)}"],
    )
    w = (_WIDTH - 8) / 3
    _party_box(
        sheet,
        _LEFT,
        y,
        w,
        27,
        "Entreprise de travail temporaire",
        agency.name,
        [*_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""],
    )
    _party_box(
        sheet,
        _LEFT + w + 4,
        y,
        w,
        27,
        "Salarié intérimaire",
        employee.full_name,
        [*_lines(employee.address), f"Matricule {employee.matricule}"],
    )
    _party_box(
        sheet,
        _LEFT + 2 * (w + 4),
        y,
        w,
        27,
        "Entreprise utilisatrice",
        client.name,
        [*_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    y = _section(sheet, y + 35, "La mission")
    terms = _mission_terms(rng, start, end, motive)
    y = _key_values(
        sheet,
        y,
        [
            ("Mise à disposition", f"Contrat de mise à disposition n° {number} conclu avec {client.name}"),
            ("Qualification", employee.job_title),
            ("Lieu de mission", place),
            *terms,
        ],
    )
    y = _section(sheet, y + 6, "Rémunération et organismes")
    y = _key_values(
        sheet,
        y,
        [
            (
                "Salaire horaire brut",
                f"{_euros(hourly_rate)}, égal à celui d'un salarié de qualification équivalente de "
                "l'entreprise utilisatrice",
            ),
            (
                "Indemnités",
                "Indemnité de fin de mission de 10 % et indemnité compensatrice de congés payés de 10 %, "
                "versées en fin de mission",
            ),
            ("Retraite complémentaire", rng.choice(_PENSION)),
            ("Prévoyance", "Malakoff Humanis Prévoyance - accord de branche du travail temporaire"),
            ("Garantie financière", f"{rng.choice(_BANKS)} (article L1251-49 du Code du travail)"),
        ],
    )
    sheet.font(7.3, False, _GREY)
    y = sheet.wrap(
        _LEFT,
        y + 5,
        _WIDTH,
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
    _signatures(
        sheet,
        y + 4,
        ("Le salarié", "Lu et approuvé, bon pour accord"),
        ("L'agence", f"Pour {agency.name}"),
        _city(agency.address),
        start,
    )
    _footer(
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
    sheet = _Sheet(
        title=f"Contrat de mise à disposition n° {number} - {client.name}",
        author=agency.name,
        subject="Contrat de mise à disposition",
        day=start,
    )
    y = _header(
        sheet, agency, "Contrat de mise à disposition", [f"N° {number}", f"Établi le {_short(start)}"]
    )
    w = (_WIDTH - 6) / 2
    _party_box(
        sheet,
        _LEFT,
        y,
        w,
        27,
        "Entreprise de travail temporaire",
        agency.name,
        [*_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""],
    )
    _party_box(
        sheet,
        _LEFT + w + 6,
        y,
        w,
        27,
        "Entreprise utilisatrice",
        client.name,
        [*_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    y = _section(sheet, y + 35, "Le salarié mis à disposition et la mission")
    terms = _mission_terms(rng, start, end, motive)
    y = _key_values(
        sheet,
        y,
        [
            ("Salarié", f"{employee.full_name} (matricule {employee.matricule})"),
            ("Qualification", employee.job_title),
            ("Lieu de mission", f"{client.name}, {' '.join(_lines(client.address))}"),
            *terms,
        ],
    )
    y = _section(sheet, y + 6, "Conditions financières")
    y = _key_values(
        sheet,
        y,
        [
            (
                "Rémunération de référence",
                f"{_euros(_money(billing_rate / coefficient))} brut de l'heure, celle d'un salarié de "
                "qualification équivalente",
            ),
            ("Coefficient de facturation", _number(coefficient, 2)),
            ("Taux de facturation", f"{_euros(billing_rate)} HT de l'heure, TVA 20 % en sus"),
            ("Paiement", "Facturation mensuelle sur relevé d'heures, à 30 jours date de facture"),
            ("Garantie financière", f"{rng.choice(_BANKS)} (article L1251-49 du Code du travail)"),
        ],
    )
    sheet.font(7.3, False, _GREY)
    y = sheet.wrap(
        _LEFT,
        y + 5,
        _WIDTH,
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
    _signatures(
        sheet,
        y + 4,
        ("L'entreprise utilisatrice", f"Pour {client.name}, cachet et signature"),
        ("L'agence", f"Pour {agency.name}"),
        _city(agency.address),
        start,
    )
    _footer(
        sheet,
        agency,
        "Agence d'emploi - entreprise de travail temporaire titulaire d'une garantie financière. Document "
        "transmis par l'espace client.",
    )
    return sheet.output()


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
    amounts = [_money(quantity * price) for _, quantity, price in lines]
    total = sum(amounts, Decimal(0))
    vat = _money(total * VAT_RATE)
    sheet = _Sheet(
        title=f"Facture n° {number} - {client.name}", author=agency.name, subject="Facture", day=issued
    )
    y = _header(
        sheet, agency, "Facture", [f"N° {number}", f"Date : {_short(issued)}", f"Échéance : {_short(due)}"]
    )
    _party_box(
        sheet,
        _LEFT,
        y,
        85,
        27,
        "Conditions",
        f"Paiement à {PAYMENT_DAYS} jours",
        [
            f"Échéance le {_long(due)}",
            "Règlement par virement bancaire",
            f"Référence client : C{rng.randint(10000, 99999)}",
        ],
    )
    _party_box(
        sheet,
        110,
        y,
        85,
        27,
        "Facturé à",
        client.name,
        [*_lines(client.address), f"SIRET {client.siret}" if client.siret else ""],
    )
    rows = [
        (label, _number(quantity, 2), _amount(price), _amount(amount))
        for (label, quantity, price), amount in zip(lines, amounts, strict=True)
    ]
    y = sheet.table(
        y + 35,
        ((100, "L"), (22, "R"), (28, "R"), (30, "R")),
        rows,
        header=("Désignation", "Quantité", "Prix unitaire HT", "Montant HT"),
        row_h=5.5,
    )
    if y > _BOTTOM - 45:
        sheet.pdf.add_page()
        y = 20.0
    for index, (label, value) in enumerate(
        (("Total HT", total), ("TVA 20 %", vat), ("Total TTC", total + vat))
    ):
        last = index == 2
        if last:
            sheet.band(115, y + 3 + index * 6, 80, 7, _ACCENT)
        sheet.font(9.5 if last else 8.5, last, (255, 255, 255) if last else _BLACK)
        sheet.text(117, y + 7.8 + index * 6, label)
        sheet.text(115, y + 7.8 + index * 6, _euros(value), "R", 78)
    sheet.font(8.5)
    sheet.text(_LEFT, y + 8, f"Net à payer : {_euros(total + vat)}")
    sheet.text(_LEFT, y + 12.5, f"À régler avant le {_long(due)}")
    sheet.font(7.3, False, _GREY)
    y = sheet.wrap(
        _LEFT,
        y + 30,
        _WIDTH,
        (
            f"Règlement par virement - IBAN {_iban(rng)} - BIC AGRIFRPP{rng.randint(100, 999)}. Pas "
            "d'escompte pour paiement anticipé. En cas de retard de paiement, des pénalités au taux de "
            "trois fois le taux d'intérêt légal et une indemnité forfaitaire de 40 € pour frais de "
            "recouvrement sont dues (articles L441-10 et D441-5 du Code de commerce). TVA acquittée sur "
            "les encaissements."
        ),
        3.3,
    )
    _footer(sheet, agency, f"Facture émise par {agency.name} - entreprise de travail temporaire.")
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
    sheet = _Sheet(title=f"{kind} - {name}", author=agency.name, subject=kind, day=issued)
    y = _header(sheet, agency, kind, [f"Délivré le {_short(issued)}"])
    _party_box(
        sheet,
        110,
        y,
        85,
        24,
        "Salarié",
        employee.full_name,
        [*_lines(employee.address), f"Matricule {employee.matricule}"],
    )
    y += 40
    sheet.font(10)
    if kind == CERTIFICATE_OF_EMPLOYMENT:
        paragraphs = [
            f"Je soussigné(e), {signatory}, responsable de l'agence {agency.name}, certifie que "
            f"{employee.full_name}, demeurant {', '.join(_lines(employee.address))}, a été {employed} par "
            f"notre entreprise de travail temporaire du {_long(start)} au {_long(end)}, en qualité de "
            f"{employee.job_title[:1].lower()}{employee.job_title[1:]}, dans le cadre de contrats de "
            "mission.",
            f"{employee.civility} {employee.last_name} nous quitte libre de tout engagement.",
            "Conformément à l'article L911-8 du Code de la sécurité sociale, le salarié peut bénéficier du "
            "maintien à titre gratuit des garanties de complémentaire santé et de prévoyance, pendant une "
            "durée égale à celle de son dernier contrat, dans la limite de douze mois.",
            "Ce certificat est délivré pour servir et valoir ce que de droit.",
        ]
        for paragraph in paragraphs:
            y = sheet.wrap(_LEFT, y, _WIDTH, paragraph, 5.2) + 3
    else:
        y = _section(sheet, y, "Attestation destinée à France Travail")
        y = _key_values(
            sheet,
            y,
            [
                ("Salarié", f"{employee.full_name} (matricule {employee.matricule})"),
                ("Emploi occupé", employee.job_title),
                ("Nature du contrat", "Contrats de mission (travail temporaire)"),
                ("Période d'emploi", f"du {_long(start)} au {_long(end)}"),
                ("Motif de fin de contrat", "Fin de mission"),
                ("Statut", "Non cadre - régime général"),
                ("Caisse de retraite", rng.choice(_PENSION)),
            ],
            label_w=55,
        )
        sheet.font(10)
        y = (
            sheet.wrap(
                _LEFT,
                y + 8,
                _WIDTH,
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
    sheet.text(110, y + 6, f"Fait à {_city(agency.address)}, le {_long(issued)}")
    sheet.box(110, y + 9, 85, 30)
    sheet.font(9, True, _ACCENT)
    sheet.text(113, y + 14.5, "L'agence")
    sheet.font(7.5, False, _GREY)
    sheet.text(113, y + 18.5, f"{signatory}, responsable d'agence")
    _footer(sheet, agency, f"{kind} délivré par {agency.name} - à conserver.")
    return sheet.output()
