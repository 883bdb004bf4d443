"""The shared PDF checks (domain.pdf_checks) on bytes: what the fast path may skip and what it must not,
the strict decoding of page contents, the decompression budget, and how names are shown."""

from __future__ import annotations

import zlib

import pytest

from coffreo_desktop.domain import pdf_checks
from coffreo_desktop.domain.limits import MAX_FILE_SIZE, MB
from coffreo_desktop.domain.pdf_checks import PdfRefusal, check_data, check_name, check_size, quoted_name
from tests.pdf_corpus import HOSTILE, NIR, object_stream_pdf, page_pdf, xfa_form


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def _code(data: bytes) -> str:
    with pytest.raises(PdfRefusal) as refused:
        check_data(data, "essai.pdf")
    return refused.value.code


def test_a_pdf_whose_dictionaries_sit_in_an_object_stream_is_read() -> None:
    assert check_data(object_stream_pdf(), "moderne.pdf").pages == 1


def test_active_names_inside_stream_data_are_not_active_content() -> None:
    # Binary data (an image, a font) may hold the bytes "/JS" or "/Launch": the walk then runs and
    # finds no such dictionary, so the file is accepted.
    image = _stream(
        b"\x00/JS\xff/Launch\x10/EF#45" * 50, b"/Type /XObject /Subtype /Image /Width 1 /Height 1"
    )
    data = page_pdf(extra={5: image})
    assert b"/JS" in data
    assert check_data(data, "image.pdf").pages == 1


@pytest.mark.parametrize(
    "spelling",
    [
        b"/S /JavaScript",
        b"/S /J#61v#61Script",
        b"/#4AS (x)",
        b"/#4a#53 (x)",
        b"/J#53 (x)",
        b"/S /#4C#61unch",
        b"/EF << >>",
    ],
)
def test_every_spelling_of_an_active_name_is_caught(spelling: bytes) -> None:
    data = page_pdf(b"/OpenAction << " + spelling + b" >>")
    assert _code(data) in {"javascript", "launch_action", "embedded_file"}


def test_a_name_that_only_looks_like_an_active_one_is_accepted() -> None:
    # /J#73 is /Js, not /JS: PDF names are case sensitive, and so is the walk.
    assert check_data(page_pdf(b"/OpenAction << /S /GoTo /J#73 (x) /D [3 0 R /Fit] >>"), "a.pdf").pages == 1


def test_an_xfa_form_without_scripts_is_accepted() -> None:
    assert check_data(xfa_form(script=False), "formulaire.pdf").pages == 1


def test_a_corrupt_page_stream_is_unreadable_even_though_pypdf_would_recover_it() -> None:
    corrupt = _stream(b"x\x9c" + bytes(range(200)), b"/Filter /FlateDecode")
    assert _code(page_pdf(extra={4: corrupt})) == "unreadable"


def test_bytes_after_the_end_of_a_flate_stream_are_tolerated_as_viewers_do() -> None:
    content = zlib.compress(b"BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET") + b"\r\n\r\n"
    assert check_data(page_pdf(extra={4: _stream(content, b"/Filter /FlateDecode")}), "a.pdf").pages == 1


def test_page_contents_inflating_beyond_the_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_checks, "_DECODED_BUDGET", 1 * MB)
    bomb = _stream(zlib.compress(b" " * (2 * MB)), b"/Filter /FlateDecode")
    with pytest.raises(PdfRefusal) as refused:
        check_data(page_pdf(extra={4: bomb}), "bombe.pdf")
    assert refused.value.code == "unreadable"
    assert "démesuré" in refused.value.detail


def test_a_file_just_over_the_limit_says_more_than_five_megabytes() -> None:
    with pytest.raises(PdfRefusal) as refused:
        check_size("gros.pdf", MAX_FILE_SIZE + 1)
    assert refused.value.detail == "« gros.pdf » pèse plus de 5 Mo : 5 Mo maximum."
    with pytest.raises(PdfRefusal) as refused:
        check_size("gros.pdf", 7 * MB)
    assert "pèse 7 Mo : 5 Mo maximum" in refused.value.detail


def test_names_are_shown_without_their_nir_nor_control_characters() -> None:
    assert quoted_name("paie.pdf") == "« paie.pdf »"
    assert NIR not in quoted_name(f"paie {NIR}.pdf") and "•" in quoted_name(f"paie {NIR}.pdf")
    assert quoted_name("a\x1bb.pdf") == "« a?b.pdf »"


@pytest.mark.parametrize("name", ["../x.pdf", "..\\x.pdf", "..", "a\nb.pdf"])
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(PdfRefusal) as refused:
        check_name(name)
    assert refused.value.code == "unsafe_name"


def test_a_nir_in_the_title_is_refused_like_one_in_the_name() -> None:
    with pytest.raises(PdfRefusal) as refused:
        check_name("paie.pdf", title=f"Paie {NIR}")
    assert refused.value.code == "nir_in_name" and "titre" in refused.value.detail


def test_a_caller_may_accept_attachments_but_never_scripts() -> None:
    attached = HOSTILE["embedded_file"].make()
    assert check_data(attached, "facture.pdf", allow_embedded_files=True).pages == 1
    scripted = HOSTILE["javascript_names"].make()
    with pytest.raises(PdfRefusal) as refused:
        check_data(scripted, "facture.pdf", allow_embedded_files=True)
    assert refused.value.code == "javascript"
