"""Generated PDFs for the tests of the shared PDF checks: the hostile-file corpus of issue 4 ("Bad
input"), each case with its file name, its refusal code and a piece of its French reason, and realistic
~300 KB documents for the bulk benchmark. Built with pypdf's writer, fpdf2 or by hand, never stored."""

from __future__ import annotations

import io
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from coffreo_desktop.domain.limits import MAX_FILE_SIZE

NIR = "1 85 05 78 006 084 36"


def blank_pdf(pages: int = 1, *, tweak: Callable[[PdfWriter], object] | None = None, text: str = "") -> bytes:
    """A PDF of blank A4 pages from pypdf's writer; ``text`` makes the bytes differ, ``tweak`` adds harm."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Subject": text})
    if tweak is not None:
        tweak(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def launch_open_action(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def javascript_in_names(writer: PdfWriter) -> None:
    # The document-level /Names /JavaScript tree, run when the file opens (pypdf 7 dropped add_js).
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _content() -> bytes:
    return b"<< /Length 49 >>\nstream\nBT /F1 12 Tf 72 700 Td (Contrat de mission) Tj ET\nendstream"


def _page_objects(catalog_extra: bytes = b"", page_extra: bytes = b"") -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        + page_extra
        + b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        4: _content(),
    }


def raw_pdf(objects: dict[int, bytes]) -> bytes:
    """A hand-written PDF with a classic xref table (object 1 is the catalog), for shapes no writer makes."""
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def page_pdf(
    catalog_extra: bytes = b"", extra: dict[int, bytes] | None = None, page_extra: bytes = b""
) -> bytes:
    """One page written by hand: ``catalog_extra`` and ``page_extra`` added to those dictionaries,
    objects of ``extra`` (numbered from 5, object 4 is the page's contents) added or replaced."""
    return raw_pdf({**_page_objects(catalog_extra, page_extra), **(extra or {})})


def object_stream_pdf(catalog_extra: bytes = b"", extra: dict[int, bytes] | None = None) -> bytes:
    """A PDF 1.5 file as modern writers make it: every dictionary compressed in an object stream, found
    through an xref stream. Active content there is invisible in the raw bytes."""
    plain = _page_objects(catalog_extra)
    content = plain.pop(4)
    packed = {**plain, **(extra or {})}
    header, body = bytearray(), bytearray()
    for number in sorted(packed):
        header += b"%d %d " % (number, len(body))
        body += packed[number] + b"\n"
    stream_number, xref_number = max(packed) + 2, max(packed) + 3
    data = zlib.compress(bytes(header + body))
    objects = {
        4: content,
        stream_number: b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\n"
        % (len(packed), len(header), len(data))
        + b"stream\n%s\nendstream" % data,
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    offsets[xref_number] = len(out)
    rows = bytearray()
    index = {number: position for position, number in enumerate(sorted(packed))}
    for number in range(xref_number + 1):
        if number in index:
            rows += bytes([2]) + stream_number.to_bytes(4, "big") + index[number].to_bytes(2, "big")
        elif number in offsets:
            rows += bytes([1]) + offsets[number].to_bytes(4, "big") + bytes(2)
        else:
            rows += bytes([0]) + bytes(4) + (65535 if number == 0 else 0).to_bytes(2, "big")
    xref = zlib.compress(bytes(rows))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d /Filter /FlateDecode >>\n"
        % (
            xref_number,
            xref_number + 1,
            len(xref),
        )
    )
    out += b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (xref, offsets[xref_number])
    return bytes(out)


_JS_ACTION = {5: b"<< /S /JavaScript /JS (app.alert(1);) >>"}


def xfa_form(script: bool) -> bytes:
    """A page with an XFA form (/AcroForm /XFA), its template running a script or not."""
    script_element = b'<script contentType="application/x-javascript">app.alert(1)</script>'
    event = b'<event activity="initialize">%s</event>' % script_element if script else b""
    template = b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
    template += b'<subform name="f">%s</subform></template>' % event
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(template), template)
    return page_pdf(b"/AcroForm << /Fields [] /XFA [(template) 5 0 R] >>", {5: stream})


_EMBEDDED = {
    5: b"<< /Type /Filespec /F (virus.exe) /EF << /F 6 0 R >> >>",
    6: b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nMZ...\nendstream",
}


@dataclass(frozen=True)
class Hostile:
    """One file of the corpus: its name on disk, its content, the refusal code and a piece of the reason."""

    name: str
    make: Callable[[], bytes]
    code: str
    reason: str


HOSTILE: dict[str, Hostile] = {
    "not_pdf": Hostile(
        "facture.pdf", lambda: b"PK\x03\x04 this is a zip, not a PDF" * 10, "not_pdf", "n'est pas un PDF"
    ),
    "text_renamed": Hostile(
        "notes.pdf", lambda: "Notes de la réunion.\n".encode().ljust(900, b"."), "not_pdf", "n'est pas un PDF"
    ),
    "truncated": Hostile("coupe.pdf", lambda: blank_pdf(3)[:400], "unreadable", "n'est pas un PDF lisible"),
    "no_pages": Hostile(
        "sans-page.pdf",
        lambda: raw_pdf(
            {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
        ),
        "unreadable",
        "aucune page",
    ),
    "corrupt_page_stream": Hostile(
        "abime.pdf",
        lambda: page_pdf(
            extra={4: b"<< /Length 12 /Filter /FlateDecode >>\nstream\nnot zlib!!!!\nendstream"}
        ),
        "unreadable",
        "n'est pas un PDF lisible",
    ),
    "encrypted_user": Hostile(
        "chiffre.pdf",
        lambda: blank_pdf(tweak=lambda w: w.encrypt("secret", "owner")),
        "encrypted",
        "mot de passe",
    ),
    "encrypted_owner_only": Hostile(
        "proprio.pdf", lambda: blank_pdf(tweak=lambda w: w.encrypt("", "owner")), "encrypted", "mot de passe"
    ),
    "javascript_names": Hostile(
        "js.pdf", lambda: blank_pdf(tweak=javascript_in_names), "javascript", "JavaScript"
    ),
    "javascript_open_action": Hostile(
        "ouverture.pdf", lambda: page_pdf(b"/OpenAction 5 0 R", _JS_ACTION), "javascript", "JavaScript"
    ),
    "javascript_escaped_names": Hostile(
        "masque.pdf",
        lambda: page_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "javascript",
        "JavaScript",
    ),
    "javascript_in_object_stream": Hostile(
        "compresse.pdf",
        lambda: object_stream_pdf(b"/OpenAction 5 0 R", _JS_ACTION),
        "javascript",
        "JavaScript",
    ),
    "javascript_in_xfa_form": Hostile(
        "formulaire.pdf", lambda: xfa_form(script=True), "javascript", "JavaScript"
    ),
    "launch_open_action": Hostile(
        "lance.pdf", lambda: blank_pdf(tweak=launch_open_action), "launch_action", "lance un programme"
    ),
    "launch_behind_reference": Hostile(
        "renvoi.pdf",
        lambda: page_pdf(b"/OpenAction << /S 5 0 R /F (cmd.exe) >>", {5: b"/Launch"}),
        "launch_action",
        "lance un programme",
    ),
    "embedded_file": Hostile(
        "joint.pdf",
        lambda: blank_pdf(tweak=lambda w: w.add_attachment("virus.exe", b"MZ...")),
        "embedded_file",
        "fichier joint",
    ),
    "embedded_file_in_annotation": Hostile(
        "annotation.pdf",
        lambda: page_pdf(
            extra=_EMBEDDED, page_extra=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] /FS 5 0 R >>]"
        ),
        "embedded_file",
        "fichier joint",
    ),
    "embedded_file_in_object_stream": Hostile(
        "cache.pdf",
        lambda: object_stream_pdf(b"/Names << /EmbeddedFiles << /Names [(a) 5 0 R] >> >>", {5: _EMBEDDED[5]}),
        "embedded_file",
        "fichier joint",
    ),
    "empty": Hostile("vide.pdf", lambda: b"", "empty", "est vide"),
    "too_large": Hostile(
        "gros.pdf", lambda: b"%PDF-1.7\n" + b"0" * (MAX_FILE_SIZE + 1 - 9), "too_large", "5 Mo maximum"
    ),
    "nir_in_name": Hostile(f"bulletin {NIR}.pdf", blank_pdf, "nir_in_name", "numéro de sécurité sociale"),
    "control_in_name": Hostile("bul\x07letin.pdf", blank_pdf, "unsafe_name", "caractères de contrôle"),
}


def write_hostile(directory: Path, case: str) -> Path:
    """The file of ``case`` written in ``directory`` under its hostile name."""
    hostile = HOSTILE[case]
    path = directory / hostile.name
    path.write_bytes(hostile.make())
    return path


# -- realistic documents for the benchmark -------------------------------------------------------------

_PLACEHOLDER = b"#########"  # in the document's /Title: replaced by a number, the offsets stay right


def realistic_pdf(seed: int, size: int = 300 * 1024) -> bytes:
    """A payslip-like PDF of about ``size`` bytes: three pages of text and a scanned-looking JPEG."""
    rng = random.Random(seed)
    side = int((size / 0.27) ** 0.5)  # this noisy JPEG at quality 85: ~0.4 byte per pixel
    noise = Image.effect_noise((side, side * 2 // 3), 30 + seed % 20).convert("RGB")
    picture = Image.blend(noise, Image.linear_gradient("L").resize(noise.size).convert("RGB"), 0.5)
    jpeg = io.BytesIO()
    picture.save(jpeg, "JPEG", quality=85)
    pdf = FPDF()
    pdf.set_title(f"Bulletin de paie {_PLACEHOLDER.decode()}")
    pdf.core_fonts_encoding = "cp1252"  # WinAnsi: é, à and € print
    pdf.set_font("Helvetica", size=9)
    for page in range(3):
        pdf.add_page()
        top = 20
        if page == 0:
            pdf.image(io.BytesIO(jpeg.getvalue()), x=10, y=10, w=90)
            top = 80
        for line in range((270 - top) // 5):
            amount = f"{rng.uniform(10, 3000):.2f}".replace(".", ",")
            pdf.text(
                15, top + line * 5, f"Ligne {line + 1} — rubrique {rng.randint(1000, 9999)} : {amount} €"
            )
    return bytes(pdf.output())


def write_realistic_pdfs(directory: Path, count: int, *, templates: int = 8) -> list[Path]:
    """``count`` distinct realistic PDFs named with a matricule ("bulletin 100042.pdf"), from a few
    templates whose title is numbered: cheap to make, and no two files have the same SHA-256."""
    made = [realistic_pdf(seed) for seed in range(templates)]
    assert all(data.count(_PLACEHOLDER) == 1 for data in made)
    paths = []
    for index in range(count):
        path = directory / f"bulletin {100000 + index}.pdf"
        path.write_bytes(made[index % templates].replace(_PLACEHOLDER, b"%09d" % index))
        paths.append(path)
    return paths
