"""Bulk Diffusion libre planning: the hostile-file corpus is refused with its French reason, good
files are matched to recipients by matricule, duplicates are flagged, and the idempotency key is stable."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from coffreo_desktop.client.diffusion_plan import (
    RowStatus,
    check_file,
    idempotency_key,
    match_matricule,
    plan,
)
from coffreo_desktop.domain.limits import MAX_FILE_SIZE


def _pdf(pages: int = 1, *, tweak: object = None, text: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Subject": text})  # makes contents differ
    if callable(tweak):
        tweak(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _open_action_launch(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _javascript_in_names(writer: PdfWriter) -> None:
    # The document-level /Names /JavaScript tree, run when the file opens (pypdf 7 dropped add_js).
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


HOSTILE = {
    "not_pdf": ("facture.pdf", lambda: b"PK\x03\x04 this is a zip, not a PDF" * 10, "n'est pas un PDF"),
    "truncated": ("coupe.pdf", lambda: _pdf(3)[:400], "n'est pas un PDF lisible"),
    "encrypted_user": (
        "chiffre.pdf",
        lambda: _pdf(tweak=lambda w: w.encrypt("secret", "owner")),
        "protégé par un mot de passe",
    ),
    "encrypted_owner_only": (
        "proprio.pdf",
        lambda: _pdf(tweak=lambda w: w.encrypt("", "owner")),
        "protégé par un mot de passe",
    ),
    "javascript": ("js.pdf", lambda: _pdf(tweak=_javascript_in_names), "JavaScript"),
    "open_action": ("lance.pdf", lambda: _pdf(tweak=_open_action_launch), "lance un programme"),
    "embedded": (
        "joint.pdf",
        lambda: _pdf(tweak=lambda w: w.add_attachment("virus.exe", b"MZ...")),
        "fichier joint",
    ),
    "empty": ("vide.pdf", lambda: b"", "est vide"),
    "too_large": ("gros.pdf", lambda: b"%PDF-1.7\n" + b"0" * (MAX_FILE_SIZE + 1 - 9), "5 Mo maximum"),
    "nir": ("bulletin 1 85 05 78 006 084 36.pdf", _pdf, "numéro de sécurité sociale"),
    "control": ("bul\x07letin.pdf", _pdf, "caractères de contrôle"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_refused_with_its_french_reason(tmp_path: Path, case: str) -> None:
    name, make, reason = HOSTILE[case]
    path = _write(tmp_path, name, make())
    check = check_file(path)
    assert not check.ok
    assert check.refusal is not None and reason in check.refusal
    if case == "too_large":
        assert check.size == MAX_FILE_SIZE + 1
    if case == "nir":
        assert "85 05" not in check.refusal  # the NIR is never repeated in the message


def test_name_with_parent_directory_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.pdf", _pdf())
    check = check_file(path, name="../../etc/passwd.pdf")
    assert check.refusal is not None and "« ../ »" in check.refusal


def test_good_pdf_is_accepted_with_its_pages_and_hash(tmp_path: Path) -> None:
    import hashlib

    data = _pdf(4)
    check = check_file(_write(tmp_path, "contrat 001234.pdf", data))
    assert check.ok and check.pages == 4 and check.size == len(data)
    assert check.sha256 == hashlib.sha256(data).hexdigest()
    assert check.warnings == ()


def test_file_above_advised_size_is_accepted_with_a_warning(tmp_path: Path) -> None:
    data = _pdf(tweak=lambda w: w.add_metadata({"/Keywords": "x" * 600_000}))
    check = check_file(_write(tmp_path, "lourd.pdf", data))
    assert check.ok and len(check.warnings) == 1 and "conseillés" in check.warnings[0]


def test_matricule_is_read_from_the_file_name_with_the_default_pattern() -> None:
    assert match_matricule("Bulletin_001234_2026-10.pdf") == "001234"
    assert match_matricule("contrat 98765.pdf") == "98765"
    assert match_matricule("sans matricule.pdf") is None
    assert match_matricule("1 85 05 78 006 084 36.pdf") is None
    assert match_matricule("emp-42-x.pdf", r"emp-([0-9]+)") == "42"


def test_plan_groups_ready_unmatched_and_refused_rows(tmp_path: Path) -> None:
    a = _write(tmp_path, "bulletin 001111.pdf", _pdf(text="a"))
    unknown = _write(tmp_path, "bulletin 009999.pdf", _pdf(text="b"))
    bad = _write(tmp_path, "bulletin 002222.pdf", b"not a pdf at all")
    b = _write(tmp_path, "contrat 002222.pdf", _pdf(text="c"))
    rows = plan([bad, unknown, a, b], {"001111": "r1", "002222": "r2"})
    assert [(r.check.path.name, r.status) for r in rows] == [
        ("bulletin 001111.pdf", RowStatus.READY),
        ("contrat 002222.pdf", RowStatus.READY),
        ("bulletin 009999.pdf", RowStatus.UNMATCHED),
        ("bulletin 002222.pdf", RowStatus.REFUSED),
    ]
    assert rows[0].recipient_id == "r1" and rows[1].recipient_id == "r2"
    assert rows[2].matricule == "009999" and rows[2].recipient_id is None


def test_same_content_dropped_twice_is_sent_once(tmp_path: Path) -> None:
    data = _pdf(text="same")
    first = _write(tmp_path, "bulletin 001111.pdf", data)
    copy = _write(tmp_path, "copie 001111.pdf", data)
    rows = plan([first, copy], {"001111": "r1"})
    assert [r.status for r in rows] == [RowStatus.READY, RowStatus.REFUSED]
    assert rows[1].check.refusal is not None and "même contenu" in rows[1].check.refusal
    assert rows[0].warnings == ()  # the copy is not counted as a second file for the recipient


def test_two_files_for_the_same_recipient_are_a_warning_not_a_refusal(tmp_path: Path) -> None:
    one = _write(tmp_path, "bulletin 001111.pdf", _pdf(text="1"))
    two = _write(tmp_path, "contrat 001111.pdf", _pdf(text="2"))
    rows = plan([one, two], {"001111": "r1"})
    assert all(r.status is RowStatus.READY for r in rows)
    assert all(any("même destinataire" in w for w in r.warnings) for r in rows)


def test_idempotency_key_is_stable_and_depends_on_content_recipient_and_type() -> None:
    key = idempotency_key("ab" * 32, "r1", "simple")
    assert key == idempotency_key("ab" * 32, "r1", "simple")
    # Pinned: a key computed by an older version must still match after an upgrade (resume).
    assert key == "6bffed1c26730c73928165ed1c56cdcac1860d448ccd4d149b33298f18edcd83"
    others = {
        idempotency_key("cd" * 32, "r1", "simple"),
        idempotency_key("ab" * 32, "r2", "simple"),
        idempotency_key("ab" * 32, "r1", "protected"),
    }
    assert key not in others and len(others) == 3


def test_checking_many_files_stays_fast(tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"bulletin {1000 + i}.pdf", _pdf(2, text=str(i))) for i in range(100)]
    started = time.perf_counter()
    rows = plan(paths, {str(1000 + i): f"r{i}" for i in range(100)})
    elapsed = time.perf_counter() - started
    assert all(r.status is RowStatus.READY for r in rows)
    assert elapsed < 5.0, f"100 files planned in {elapsed:.2f} s"


def test_pdf_with_thousands_of_pages_is_checked_quickly(tmp_path: Path) -> None:
    path = _write(tmp_path, "registre.pdf", _pdf(3000))
    started = time.perf_counter()
    check = check_file(path)
    assert check.ok and check.pages == 3000
    assert time.perf_counter() - started < 3.0
