"""Drawing primitives and French formatting shared by the demo's generated PDFs.

Drawn with fpdf2's core Helvetica in WinAnsi (cp1252, so accents and € render) through ``text()``:
``cell()`` is ~20 times slower and the demo makes thousands of these. ``Sheet.output`` refuses any
NIR-shaped text, so no generated document can carry one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from fpdf import FPDF

from coffreo_desktop.domain.nir import contains_nir
from coffreo_desktop.server.demo.data_fr import MONTHS

ACCENT = (0, 84, 122)
GREY = (95, 95, 95)
LIGHT = (230, 240, 246)
BLACK = (20, 20, 20)
LEFT, RIGHT = 15.0, 195.0
WIDTH = RIGHT - LEFT
BOTTOM = 272.0
CENT = Decimal("0.01")


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


def fmt_amount(value: Decimal) -> str:
    """French money without the unit: 1 234,56 (non-breaking thousands separator)."""
    text = f"{value.quantize(CENT, ROUND_HALF_UP):,.2f}"
    return text.replace(",", "\xa0").replace(".", ",")


def fmt_euros(value: Decimal) -> str:
    return f"{fmt_amount(value)} €"


def fmt_number(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def long_date(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def address_lines(address: str) -> list[str]:
    parts = address.replace("\n", ", ").split(", ")
    return [part.strip() for part in parts if part.strip()]


def city_of(address: str) -> str:
    last = address_lines(address)[-1] if address.strip() else ""
    return last[6:] if last[:5].isdigit() and len(last) > 6 else last


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


# -- drawing -------------------------------------------------------------------------------------


class Sheet:
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

    def font(self, size: float, bold: bool = False, color: tuple[int, int, int] = BLACK) -> None:
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
            self.band(LEFT, y, WIDTH, row_h + 0.6, ACCENT)
            self.font(size, True, (255, 255, 255))
            self._cells(y + row_h - 1.4, cols, header)
            return y + row_h + 0.6

        y = draw_header(y)
        for index, row in enumerate(rows):
            if y + row_h > BOTTOM:  # long invoices continue on a new page, header repeated
                self.pdf.add_page()
                self._font = None
                y = draw_header(20.0)
            if index in strong:
                self.band(LEFT, y, WIDTH, row_h, LIGHT)
            elif index % 2:
                self.band(LEFT, y, WIDTH, row_h, (247, 249, 250))
            self.font(size, index in strong)
            self._cells(y + row_h - 1.5, cols, row)
            y += row_h
        self.pdf.set_draw_color(*ACCENT)
        self.pdf.line(LEFT, y, RIGHT, y)
        return y

    def _cells(self, baseline: float, cols: Sequence[tuple[float, str]], values: Sequence[str]) -> None:
        x = LEFT
        for (w, align), value in zip(cols, values, strict=True):
            if value:
                self.text(x + 1.5, baseline, self.fit(value, w - 3), align, w - 3)
            x += w

    def output(self) -> bytes:
        for text in self._written:
            if contains_nir(text):  # the demo data must never carry a NIR into a document
                raise ValueError("un texte du document a la forme d'un numéro de sécurité sociale")
        return bytes(self.pdf.output())


def page_header(sheet: Sheet, agency: Party, title: str, refs: Sequence[str]) -> float:
    sheet.band(LEFT, 12, 13, 13, ACCENT)
    initials = "".join(word[0] for word in agency.name.split()[:2]).upper()
    sheet.font(11, True, (255, 255, 255))
    sheet.text(LEFT, 20.3, initials, "C", 13)
    sheet.font(11, True, ACCENT)
    sheet.text(31, 16.5, agency.name)
    sheet.font(7.5, False, GREY)
    y = 20.5
    for line in [*address_lines(agency.address), f"SIRET {agency.siret}" if agency.siret else ""]:
        if line:
            sheet.text(31, y, line)
            y += 3.4
    sheet.font(15, True, ACCENT)
    sheet.text(LEFT, 18, title, "R", WIDTH)
    sheet.font(8.5, False, GREY)
    for index, ref in enumerate(refs):
        sheet.text(LEFT, 24 + index * 4, ref, "R", WIDTH)
    bottom = max(y, 24 + len(refs) * 4) + 1
    sheet.band(LEFT, bottom, WIDTH, 0.8, ACCENT)
    return bottom + 7


def page_footer(sheet: Sheet, agency: Party, note: str) -> None:
    """The footer of every page, drawn last: a long invoice only knows its page count at the end."""
    ident = " - ".join(
        x
        for x in (
            agency.name,
            " ".join(address_lines(agency.address)),
            agency.siret and f"SIRET {agency.siret}",
        )
        if x
    )
    last = sheet.pdf.page
    for page in range(1, last + 1):
        sheet.pdf.page = page  # fpdf2 writes into an earlier page when asked to
        sheet.pdf.set_draw_color(190, 200, 206)
        sheet.pdf.line(LEFT, 281, RIGHT, 281)
        sheet.font(6.8, False, GREY)
        sheet.text(LEFT, 285, note, "C", WIDTH)
        sheet.text(LEFT, 288.5, ident, "C", WIDTH)
        if last > 1:
            sheet.text(LEFT, 288.5, f"Page {page}/{last}", "R", WIDTH)
    sheet.pdf.page = last


def party_box(
    sheet: Sheet, x: float, y: float, w: float, h: float, caption: str, name: str, lines: Sequence[str]
) -> None:
    sheet.box(x, y, w, h)
    sheet.font(7, True, ACCENT)
    sheet.text(x + 3, y + 4.5, caption.upper())
    size = 9.5
    sheet.font(size, True)
    while size > 7 and sheet.width(name) > w - 6:  # a long company name shrinks a little, then is cut
        size -= 0.5
        sheet.font(size, True)
    sheet.text(x + 3, y + 9.5, sheet.fit(name, w - 6))
    sheet.font(8, False, GREY)
    for index, line in enumerate(line for line in lines if line):
        sheet.text(x + 3, y + 13.8 + index * 3.7, sheet.fit(line, w - 6))


def key_values(sheet: Sheet, y: float, pairs: Sequence[tuple[str, str]], label_w: float = 52) -> float:
    """A two-column table of labels and values; long values wrap."""
    for index, (label, value) in enumerate(pairs):
        sheet.font(8.5)
        lines = sheet.split(value, WIDTH - label_w - 4)
        h = 4.2 * len(lines) + 1.8
        if index % 2 == 0:
            sheet.band(LEFT, y, WIDTH, h, (244, 247, 249))
        for number, line in enumerate(lines):
            sheet.text(LEFT + label_w, y + 4.3 + number * 4.2, line)
        sheet.font(8.5, True, GREY)
        sheet.text(LEFT + 2, y + 4.3, label)
        y += h
    return y


def section(sheet: Sheet, y: float, title: str) -> float:
    sheet.font(9.5, True, ACCENT)
    sheet.text(LEFT, y, title)
    return y + 2.5


def signatures(
    sheet: Sheet, y: float, left: tuple[str, str], right: tuple[str, str], place: str, day: date
) -> None:
    sheet.font(8.5)
    sheet.text(LEFT, y, f"Fait à {place}, le {long_date(day)}, en deux exemplaires.")
    for index, (caption, hint) in enumerate((left, right)):
        x = LEFT + index * (WIDTH / 2 + 3)
        sheet.box(x, y + 3, WIDTH / 2 - 3, 28)
        sheet.font(9, True, ACCENT)
        sheet.text(x + 3, y + 8.5, caption)
        sheet.font(7.5, False, GREY)
        sheet.text(x + 3, y + 12.5, hint)
