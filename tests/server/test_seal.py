"""Seals and signatures (F3.6, F7.1): a protected payslip and a contract signed by two recipients pass
Debian's pdfsig and qpdf, verify on the desktop with the installation's roots, and report any forbidden
change; keys are made once, kept encrypted and survive a restart; a configured PKCS#12 seals instead."""

from __future__ import annotations

import io
import logging
import os
import re
import statistics
import subprocess
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader, PdfWriter

from coffreo_desktop.client.signatures import AllowedChanges, CheckState, SignatureKind, check_signatures
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.demo.pdfs import mission_contract_pdf, payslip_pdf
from coffreo_desktop.server.pdf.certificates import AUTHORITY_NAME, Entity
from coffreo_desktop.server.pdf.entity_keys import SealKeyError, SealKeys
from coffreo_desktop.server.pdf.seal import (
    SealError,
    SignerSlot,
    certify_for_signing,
    seal_protected,
    sign_as_recipient,
    unsigned_fields,
)
from tests.pdf_signing import append_page, flip_byte, signed_range_offset
from tests.server.test_demo_pdfs import AGENCY, CLIENT, WORKER  # the same realistic parties

LYON = Entity(
    agency_id=7,
    agency_code="LYO",
    agency_name="Intérim Rhône Alpes Lyon Part-Dieu",
    city="Lyon",
    company_name="Intérim Rhône Alpes SAS",
    siren="812345678",
    brand_code="IRA",
    brand_name="Intérim Rhône Alpes",
)
SLOTS = [SignerSlot("Signature_salarie", "Élodie Lefèvre"), SignerSlot("Signature_client", "Paul Girard")]


def payslip(month: int = 3) -> bytes:
    return payslip_pdf(
        AGENCY,
        WORKER,
        period_start=date(2024, month, 1),
        period_end=date(2024, month, 28),
        hours=151.67,
        hourly_rate=Decimal("11.88"),
        mission_client=CLIENT.name,
        seed=month,
    )


def two_page_payslip() -> bytes:
    """A payslip with its second page (two months' layouts joined by pypdf, as payroll exports often are)."""
    writer = PdfWriter()
    for month in (3, 4):
        writer.append(PdfReader(io.BytesIO(payslip(month))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def contract() -> bytes:
    return mission_contract_pdf(
        AGENCY,
        WORKER,
        CLIENT,
        number="CM-2024-004512",
        start=date(2024, 3, 4),
        end=date(2024, 4, 26),
        motive="Accroissement temporaire d'activité",
        hourly_rate=Decimal("11.88"),
        place="Entrepôt de Meyzieu, quai 4",
        seed=1,
    )


@pytest.fixture
def keys(tmp_path: Path) -> SealKeys:
    return SealKeys(ServerSettings(data_dir=tmp_path / "data", mode="embedded"))


def pdfsig(data: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """pdfsig's report, one dict per signature (field name, validation line, coverage line)."""
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    signatures = []
    for block in re.split(r"^Signature #\d+:$", result.stdout, flags=re.M)[1:]:
        lines = [line.strip().removeprefix("- ") for line in block.strip().splitlines()]
        signatures.append(
            {
                "field": next(x.split(": ", 1)[1] for x in lines if x.startswith("Signature Field Name")),
                "validation": next(
                    x.split(": ", 1)[1] for x in lines if x.startswith("Signature Validation")
                ),
                "coverage": next(x for x in lines if "document signed" in x),
            }
        )
    return signatures


def qpdf_check(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


# -- document protégé ---------------------------------------------------------------------------------


def test_protected_payslip_passes_pdfsig_and_qpdf_and_covers_the_whole_file(
    keys: SealKeys, tmp_path: Path
) -> None:
    sealed = seal_protected(two_page_payslip(), LYON, keys)

    (seal,) = pdfsig(sealed, tmp_path)
    assert seal["field"] == "Cachet"
    assert seal["validation"] == "Signature is Valid."
    assert seal["coverage"] == "Total document signed"
    qpdf_check(sealed, tmp_path)
    assert len(PdfReader(io.BytesIO(sealed)).pages) == 2


def test_protected_seal_is_valid_for_the_desktop_with_the_installation_roots(keys: SealKeys) -> None:
    sealed = seal_protected(payslip(), LYON, keys)

    report = check_signatures(sealed, keys.trust_roots())
    assert report.state is CheckState.VALID, report.details
    (info,) = report.signatures
    assert info.kind is SignatureKind.CERTIFICATION
    assert info.allowed_changes is AllowedChanges.NONE
    assert (info.signer_name, info.organisation) == (
        "Intérim Rhône Alpes Lyon Part-Dieu",
        "Intérim Rhône Alpes SAS",
    )
    assert info.covers_whole_file
    # Without the installation's authority the seal is intact but from an unknown issuer.
    assert check_signatures(sealed).state is CheckState.UNTRUSTED


def test_sealed_document_rejects_changes(keys: SealKeys) -> None:
    sealed = seal_protected(payslip(), LYON, keys)
    roots = keys.trust_roots()

    changed = check_signatures(append_page(sealed), roots)
    assert changed.state is CheckState.CHANGED
    assert not changed.signatures[0].changes_allowed
    tampered = check_signatures(flip_byte(sealed, signed_range_offset(sealed)), roots)
    assert tampered.state is CheckState.INVALID


def test_a_protected_document_cannot_be_signed_afterwards(keys: SealKeys) -> None:
    sealed = seal_protected(payslip(), LYON, keys)

    with pytest.raises(SealError) as refused:
        sign_as_recipient(sealed, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)
    assert refused.value.code == "no_such_signature"


def test_an_already_signed_or_broken_pdf_is_refused_with_a_french_reason(keys: SealKeys) -> None:
    sealed = seal_protected(payslip(), LYON, keys)
    with pytest.raises(SealError) as twice:
        seal_protected(sealed, LYON, keys)
    assert twice.value.code == "already_signed_pdf"
    assert "déjà une signature" in twice.value.detail

    with pytest.raises(SealError) as truncated:
        seal_protected(payslip()[:1500], LYON, keys)
    assert truncated.value.code == "pdf_not_sealable"
    assert "n'a pas pu être scellé" in truncated.value.detail


# -- document à signer ---------------------------------------------------------------------------------


def test_document_to_sign_signed_by_two_recipients_is_valid_and_lists_both(
    keys: SealKeys, tmp_path: Path
) -> None:
    roots = keys.trust_roots()
    certified = certify_for_signing(contract(), LYON, SLOTS, keys)
    assert unsigned_fields(certified) == ["Signature_salarie", "Signature_client"]
    first = check_signatures(certified, roots)
    assert first.state is CheckState.VALID
    assert first.signatures[0].allowed_changes is AllowedChanges.FORM_FILLING

    once = sign_as_recipient(certified, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)
    assert unsigned_fields(once) == ["Signature_client"]
    assert check_signatures(once, roots).state is CheckState.VALID
    twice = sign_as_recipient(once, "Signature_client", "Paul Girard", "paul.girard@exemple.fr", keys)
    assert unsigned_fields(twice) == []

    report = check_signatures(twice, roots)
    assert report.state is CheckState.VALID, report.details
    assert [(s.signer_name, s.kind) for s in report.signatures] == [
        ("Intérim Rhône Alpes Lyon Part-Dieu", SignatureKind.CERTIFICATION),
        ("Élodie Lefèvre", SignatureKind.APPROVAL),
        ("Paul Girard", SignatureKind.APPROVAL),
    ]
    assert report.signatures[-1].covers_whole_file
    checked = pdfsig(twice, tmp_path)
    assert {s["field"] for s in checked} == {"Cachet", "Signature_salarie", "Signature_client"}
    assert all(s["validation"] == "Signature is Valid." for s in checked)
    assert [s["coverage"] for s in checked if s["field"] == "Signature_client"] == ["Total document signed"]
    qpdf_check(twice, tmp_path)


def test_each_recipient_certificate_names_the_signer_and_chains_to_the_installation(keys: SealKeys) -> None:
    certified = certify_for_signing(contract(), LYON, SLOTS[:1], keys)
    signed = sign_as_recipient(certified, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)

    certificates = [x509.load_der_x509_certificate(c.dump()) for c in _embedded_signer_certs(signed)]
    recipient = certificates[-1]
    assert recipient.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Élodie Lefèvre"
    assert recipient.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)[0].value == "elodie@exemple.fr"
    recipient.verify_directly_issued_by(keys.authority().certificate)
    assert not (keys.folder / "signers").exists()
    assert sorted(p.name for p in keys.folder.iterdir()) == ["agency-7.pem", "authority.pem", "secret"]


def _embedded_signer_certs(data: bytes) -> list[object]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return [s.signer_cert for s in PdfFileReader(io.BytesIO(data)).embedded_signatures]


def test_a_signature_field_is_signed_once_and_only_if_expected(keys: SealKeys) -> None:
    certified = certify_for_signing(contract(), LYON, SLOTS, keys)
    once = sign_as_recipient(certified, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)

    with pytest.raises(SealError) as again:
        sign_as_recipient(once, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)
    assert (again.value.status, again.value.code) == (409, "already_signed")
    with pytest.raises(SealError) as unknown:
        sign_as_recipient(once, "Signature_inconnue", "Inconnu", "x@exemple.fr", keys)
    assert unknown.value.code == "no_such_signature"
    with pytest.raises(ValueError):
        certify_for_signing(contract(), LYON, [SLOTS[0], SLOTS[0]], keys)


def test_a_page_added_after_the_signatures_is_reported_as_a_change(keys: SealKeys) -> None:
    certified = certify_for_signing(contract(), LYON, SLOTS[:1], keys)
    signed = sign_as_recipient(certified, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)

    assert check_signatures(append_page(signed), keys.trust_roots()).state is CheckState.CHANGED


# -- keys ---------------------------------------------------------------------------------------------


def test_keys_survive_a_restart_and_are_not_stored_in_clear(tmp_path: Path) -> None:
    settings = ServerSettings(data_dir=tmp_path / "data", mode="embedded")
    before = SealKeys(settings)
    sealed = seal_protected(payslip(), LYON, before)
    seal_before = before.entity_seal(LYON).certificate

    after = SealKeys(settings)  # a new process: nothing in memory
    assert after.entity_seal(LYON).certificate == seal_before
    assert after.authority().certificate == before.authority().certificate
    assert after.trust_roots() == before.trust_roots()
    assert (
        check_signatures(seal_protected(payslip(4), LYON, after), before.trust_roots()).state
        is CheckState.VALID
    )
    assert check_signatures(sealed, after.trust_roots()).state is CheckState.VALID

    for name in ("agency-7.pem", "authority.pem"):
        stored = (after.folder / name).read_bytes()
        assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in stored
        assert b"-----BEGIN PRIVATE KEY-----" not in stored and b"EC PRIVATE KEY" not in stored
        key_pem = stored[: stored.index(b"-----END ENCRYPTED PRIVATE KEY-----") + 35]
        with pytest.raises(TypeError):  # a password is required
            serialization.load_pem_private_key(key_pem, password=None)
        with pytest.raises(ValueError):
            serialization.load_pem_private_key(key_pem, password=b"devine")
        if os.name == "posix":
            assert (after.folder / name).stat().st_mode & 0o077 == 0
    if os.name == "posix":
        assert after.folder.stat().st_mode & 0o077 == 0
        assert (after.folder / "secret").stat().st_mode & 0o077 == 0


def test_concurrent_first_uses_agree_on_one_key(tmp_path: Path) -> None:
    settings = ServerSettings(data_dir=tmp_path / "data", mode="embedded")
    stores = [SealKeys(settings) for _ in range(6)]  # as many processes sharing the data folder
    seen: list[bytes] = []
    barrier = threading.Barrier(len(stores))

    def first_use(store: SealKeys) -> None:
        barrier.wait()
        seen.append(store.entity_seal(LYON).certificate.fingerprint(hashes.SHA256()))

    threads = [threading.Thread(target=first_use, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == len(stores) and len(set(seen)) == 1
    assert not [p for p in stores[0].folder.iterdir() if p.name.endswith(".tmp")]


def test_a_renamed_agency_is_recertified_with_the_same_key(keys: SealKeys) -> None:
    old = keys.entity_seal(LYON)
    sealed_before = seal_protected(payslip(), LYON, keys)
    renamed = Entity(**{**LYON.__dict__, "agency_name": "Intérim Rhône Alpes Lyon Confluence"})

    new = keys.entity_seal(renamed)
    assert new.certificate != old.certificate
    assert new.certificate.public_key() == old.certificate.public_key()
    assert "Confluence" in new.certificate.subject.rfc4514_string()
    report = check_signatures(seal_protected(payslip(), renamed, keys), keys.trust_roots())
    assert report.signatures[0].signer_name == "Intérim Rhône Alpes Lyon Confluence"
    assert check_signatures(sealed_before, keys.trust_roots()).state is CheckState.VALID


# -- remote mode: a configured PKCS#12 ----------------------------------------------------------------


def _pkcs12(folder: Path, name: str, organisation: str, password: bytes) -> tuple[Path, x509.Certificate]:
    """A seal certificate (RSA-3072) issued by a group CA, packed with its chain in a PKCS#12 file."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"AC {organisation}")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Cachet {organisation}"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=730))
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    path = folder / name
    encryption = serialization.BestAvailableEncryption(password)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"cachet", key, certificate, [ca], encryption))
    return path, ca


def test_a_configured_group_pkcs12_seals_every_agency(tmp_path: Path) -> None:
    path, group_ca = _pkcs12(tmp_path, "groupe.p12", "Groupe Intérim Rhône Alpes", b"s3cret-pkcs12")
    settings = ServerSettings(
        data_dir=tmp_path / "data", seal_pkcs12_path=path, seal_pkcs12_password="s3cret-pkcs12"
    )
    keys = SealKeys(settings)

    sealed = seal_protected(payslip(), LYON, keys)
    roots = keys.trust_roots()
    assert group_ca.public_bytes(serialization.Encoding.PEM) in roots
    report = check_signatures(sealed, roots)
    assert report.state is CheckState.VALID, report.details
    assert report.signatures[0].signer_name == "Cachet Groupe Intérim Rhône Alpes"
    assert (
        check_signatures(sealed, [group_ca.public_bytes(serialization.Encoding.PEM)]).state
        is CheckState.VALID
    )
    assert not (keys.folder / "agency-7.pem").exists()
    # Recipients still sign with one-time certificates from the installation's authority, also trusted.
    certified = certify_for_signing(contract(), LYON, SLOTS[:1], keys)
    signed = sign_as_recipient(certified, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)
    assert check_signatures(signed, roots).state is CheckState.VALID


def test_a_pkcs12_folder_gives_each_agency_or_brand_its_own_seal(tmp_path: Path) -> None:
    folder = tmp_path / "cachets"
    folder.mkdir()
    _pkcs12(folder, "LYO.p12", "Agence de Lyon", b"pw")
    _pkcs12(folder, "IRA.p12", "Marque Intérim Rhône Alpes", b"pw")
    keys = SealKeys(
        ServerSettings(data_dir=tmp_path / "data", seal_pkcs12_path=folder, seal_pkcs12_password="pw")
    )
    nantes = Entity(**{**LYON.__dict__, "agency_id": 8, "agency_code": "NAN", "agency_name": "Nantes"})
    elsewhere = Entity(**{**nantes.__dict__, "brand_code": "AUTRE"})

    assert keys.entity_seal(LYON).certificate.subject.rfc4514_string().endswith("CN=Cachet Agence de Lyon")
    assert "Marque" in keys.entity_seal(nantes).certificate.subject.rfc4514_string()
    with pytest.raises(SealKeyError) as missing:
        seal_protected(payslip(), elsewhere, keys)
    assert missing.value.status == 503 and "Nantes" in missing.value.detail
    assert len(keys.trust_roots()) == 3  # two configured roots and the installation's authority


def test_a_wrong_pkcs12_password_is_a_clear_error_that_logs_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, _ = _pkcs12(tmp_path, "groupe.p12", "Groupe", b"le-bon-mot-de-passe")
    settings = ServerSettings(
        data_dir=tmp_path / "data", seal_pkcs12_path=path, seal_pkcs12_password="mauvais"
    )
    keys = SealKeys(settings)
    with caplog.at_level(logging.DEBUG), pytest.raises(SealKeyError) as refused:
        seal_protected(payslip(), LYON, keys)
    assert refused.value.status == 503
    assert "administrateur" in refused.value.detail
    assert "mauvais" not in caplog.text and "mauvais" not in repr(settings)
    assert "mauvais" not in refused.value.detail


def test_settings_read_the_pkcs12_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFREO_SEAL_PKCS12", str(tmp_path / "groupe.p12"))
    monkeypatch.setenv("COFFREO_SEAL_PKCS12_PASSWORD", "secret")
    settings = ServerSettings.from_env(tmp_path)
    assert (settings.seal_pkcs12_path, settings.seal_pkcs12_password) == (tmp_path / "groupe.p12", "secret")
    monkeypatch.delenv("COFFREO_SEAL_PKCS12")
    assert ServerSettings.from_env(tmp_path).seal_pkcs12_path is None


def test_the_installation_authority_is_named_for_people(keys: SealKeys) -> None:
    authority = keys.authority().certificate
    assert authority.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == AUTHORITY_NAME
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


# -- cost ---------------------------------------------------------------------------------------------


def test_sealing_a_two_page_payslip_takes_milliseconds(keys: SealKeys) -> None:
    document = two_page_payslip()
    seal_protected(document, LYON, keys)  # the first use makes the keys and imports pyHanko
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        seal_protected(document, LYON, keys)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"\nseal of a 2-page payslip ({len(document) // 1024} KB): median {median * 1000:.1f} ms")
    assert median < 0.5


def test_a_document_locked_by_its_certification_refuses_a_signature_even_in_an_empty_field(
    keys: SealKeys,
) -> None:
    from pyhanko.sign import fields

    from coffreo_desktop.server.pdf import seal

    # A certification forbidding all changes over an empty field: what a foreign tool might produce.
    locked = seal._certify(contract(), LYON, keys, fields.MDPPerm.NO_CHANGES, "Verrouillé", SLOTS[:1])
    assert unsigned_fields(locked) == ["Signature_salarie"]

    with pytest.raises(SealError) as refused:
        sign_as_recipient(locked, "Signature_salarie", "Élodie Lefèvre", "elodie@exemple.fr", keys)
    assert refused.value.code == "signature_forbidden"
