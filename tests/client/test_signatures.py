"""The signature check of the viewer (F2.5) on real PDFs sealed and signed by pyHanko in the test,
cross-checked with poppler's pdfsig where it is installed."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.fields import MDPPerm

from coffreo_desktop.client.signatures import (
    AllowedChanges,
    CheckState,
    SignatureKind,
    check_signatures,
    format_moment,
)
from tests import pdf_signing
from tests.pdf_signing import SigningIdentity


@pytest.fixture(scope="module")
def agency() -> SigningIdentity:
    return pdf_signing.make_identity("Marie Martin", "Agence Lyon Intérim")


@pytest.fixture(scope="module")
def client_signer() -> SigningIdentity:
    return pdf_signing.make_identity("Jean Dupont", "Client SA")


@pytest.fixture(scope="module")
def sealed(agency: SigningIdentity) -> bytes:
    return pdf_signing.certify(pdf_signing.make_pdf(2), agency, MDPPerm.NO_CHANGES)


@pytest.fixture(scope="module")
def signed_contract(agency: SigningIdentity, client_signer: SigningIdentity) -> bytes:
    """A contract certified "form filling allowed" by the agency, then signed by the client."""
    certified = pdf_signing.certify(pdf_signing.make_pdf(2, "Contrat"), agency, MDPPerm.FILL_FORMS)
    return pdf_signing.sign(certified, client_signer)


def test_certification_seal_is_valid_and_trusted_with_its_root(
    sealed: bytes, agency: SigningIdentity
) -> None:
    report = check_signatures(sealed, [agency.certificate_der])
    assert report.state is CheckState.VALID
    (seal,) = report.signatures
    assert seal.kind is SignatureKind.CERTIFICATION
    assert seal.allowed_changes is AllowedChanges.NONE
    assert (seal.signer_name, seal.organisation) == ("Marie Martin", "Agence Lyon Intérim")
    assert seal.intact and seal.trusted and seal.covers_whole_file
    assert seal.signed_at is not None and abs((datetime.now(UTC) - seal.signed_at).total_seconds()) < 600
    assert report.summary == "Cachet valide."
    assert "Le document n'a pas été modifié depuis cette signature" in report.details


def test_detail_line_names_the_signer_and_the_paris_time(sealed: bytes, agency: SigningIdentity) -> None:
    report = check_signatures(sealed, [agency.certificate_der])
    signed_at = report.signatures[0].signed_at
    assert signed_at is not None
    paris = signed_at.astimezone(ZoneInfo("Europe/Paris"))
    expected = (
        "Cachet de certification apposé par Marie Martin (Agence Lyon Intérim) "
        f"le {paris:%d/%m/%Y} à {paris:%H:%M} (heure de Paris)"
    )
    assert report.details[0] == expected


def test_paris_time_follows_summer_time() -> None:
    assert format_moment(datetime(2026, 3, 12, 9, 14, tzinfo=UTC)) == "le 12/03/2026 à 10:14 (heure de Paris)"
    assert format_moment(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == "le 01/07/2026 à 10:00 (heure de Paris)"
    assert format_moment(None) == "à une date inconnue"


def test_seal_without_its_root_is_intact_but_untrusted(sealed: bytes) -> None:
    report = check_signatures(sealed)
    assert report.state is CheckState.UNTRUSTED
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert "autorité reconnue" in report.summary


def test_root_given_as_pem_is_accepted_and_a_bad_root_ignored(sealed: bytes, agency: SigningIdentity) -> None:
    pem = x509.load_der_x509_certificate(agency.certificate_der).public_bytes(serialization.Encoding.PEM)
    assert check_signatures(sealed, [b"not a certificate", pem]).state is CheckState.VALID


def test_approval_signature_on_a_form_filling_certified_file_is_valid(
    signed_contract: bytes, agency: SigningIdentity, client_signer: SigningIdentity
) -> None:
    report = check_signatures(signed_contract, [agency.certificate_der, client_signer.certificate_der])
    assert report.state is CheckState.VALID
    seal, signature = report.signatures
    assert seal.kind is SignatureKind.CERTIFICATION and seal.allowed_changes is AllowedChanges.FORM_FILLING
    assert not seal.covers_whole_file and seal.changes_allowed
    assert signature.kind is SignatureKind.APPROVAL and signature.covers_whole_file
    assert signature.signer_name == "Jean Dupont"
    assert report.summary == "Les 2 signatures sont valides."
    assert any(line.startswith("Signé par Jean Dupont (Client SA) le ") for line in report.details)


def test_one_untrusted_signer_makes_the_document_untrusted(
    signed_contract: bytes, agency: SigningIdentity
) -> None:
    report = check_signatures(signed_contract, [agency.certificate_der])
    assert report.state is CheckState.UNTRUSTED
    assert [info.trusted for info in report.signatures] == [True, False]


def test_byte_flipped_inside_the_signed_range_breaks_the_seal(sealed: bytes, agency: SigningIdentity) -> None:
    tampered = pdf_signing.flip_byte(sealed, pdf_signing.signed_range_offset(sealed))
    report = check_signatures(tampered, [agency.certificate_der])
    assert report.state is CheckState.INVALID
    assert not report.signatures[0].intact
    assert "La signature est rompue : le contenu signé a été altéré" in report.details


def test_page_appended_after_a_no_changes_seal_is_a_change(sealed: bytes, agency: SigningIdentity) -> None:
    changed = pdf_signing.append_page(sealed)
    report = check_signatures(changed, [agency.certificate_der])
    assert report.state is CheckState.CHANGED
    assert report.signatures[0].intact and not report.signatures[0].changes_allowed
    assert report.summary == "Attention : le document a été modifié après la signature."
    assert "Le document a été modifié après la signature" in report.details


def test_page_appended_after_a_signed_contract_is_a_change(
    signed_contract: bytes, agency: SigningIdentity, client_signer: SigningIdentity
) -> None:
    changed = pdf_signing.append_page(signed_contract)
    report = check_signatures(changed, [agency.certificate_der, client_signer.certificate_der])
    assert report.state is CheckState.CHANGED
    assert report.modified_after_last_signature


def test_unsigned_pdf_has_no_signature() -> None:
    report = check_signatures(pdf_signing.make_pdf(1))
    assert report.state is CheckState.NONE
    assert report.signatures == () and report.reason is None
    assert report.summary == "Ce document ne porte aucune signature électronique."


@pytest.mark.parametrize("data", [b"", b"garbage \x00\xff" * 50, b"%PDF-1.7\n1 0 obj <<"])
def test_garbage_gives_a_french_reason_and_no_exception(data: bytes) -> None:
    report = check_signatures(data)
    assert report.state is CheckState.NONE
    assert report.reason is not None and "illisible" in report.reason
    assert report.summary == report.reason and report.details == [report.reason]


def test_truncated_signed_file_is_invalid_not_unsigned(sealed: bytes) -> None:
    report = check_signatures(sealed[: sealed.index(b"/ByteRange") + 200])
    assert report.state is CheckState.INVALID
    assert report.reason is not None


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_poppler_agrees_with_the_check(
    tmp_path: Path, sealed: bytes, signed_contract: bytes, agency: SigningIdentity
) -> None:
    """An independent implementation reads our test files the same way: the helpers make real PAdES."""

    def pdfsig(data: bytes) -> str:
        path = tmp_path / "file.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout

    sealed_out = pdfsig(sealed)
    assert "Signer Certificate Common Name: Marie Martin" in sealed_out
    assert "Signature is Valid." in sealed_out and "Total document signed" in sealed_out
    contract_out = pdfsig(signed_contract)
    assert contract_out.count("Signature is Valid.") == 2 and "Jean Dupont" in contract_out
    tampered = pdfsig(pdf_signing.flip_byte(sealed, pdf_signing.signed_range_offset(sealed)))
    assert "Digest Mismatch" in tampered
    assert "Not total document signed" in pdfsig(pdf_signing.append_page(sealed))


def test_check_works_from_inside_a_running_event_loop(sealed: bytes, agency: SigningIdentity) -> None:
    """pyHanko's blocking API calls asyncio.run(): the check must still answer from a coroutine."""

    async def inside() -> CheckState:
        return check_signatures(sealed, [agency.certificate_der]).state

    assert asyncio.run(inside()) is CheckState.VALID
