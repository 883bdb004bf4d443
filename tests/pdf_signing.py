"""Test helpers that make real signed PDFs: generated pages, a self-signed identity, PAdES certification
seals and approval signatures with pyHanko, incremental updates and tampering. Shared by every test that
needs a signed document (client signature check, viewer banner)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def make_pdf(pages: int = 3, title: str = "Bulletin de paie") -> bytes:
    """A small real PDF, one heading and a numbered line per page."""
    pdf = FPDF()
    pdf.set_title(title)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 20)
        pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 14)
        pdf.cell(0, 10, f"Page {number} sur {pages}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@dataclass(frozen=True)
class SigningIdentity:
    """A self-signed certificate and its key, in the forms the tests and pyHanko want."""

    common_name: str
    organisation: str
    certificate_der: bytes
    signer: signers.SimpleSigner


def make_identity(
    common_name: str = "Marie Martin", organisation: str = "Agence Lyon Intérim"
) -> SigningIdentity:
    """A self-signed signing certificate (EC P-256) valid from yesterday for a year."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: pyHanko's default requirement
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    cert = asn1_x509.Certificate.load(der)
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key_info, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    return SigningIdentity(common_name, organisation, der, signer)


def _sign(data: bytes, identity: SigningIdentity, meta: signers.PdfSignatureMetadata) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.sign_pdf(writer, meta, signer=identity.signer)
    return bytes(out.getvalue())


def certify(
    data: bytes,
    identity: SigningIdentity,
    permissions: fields.MDPPerm = fields.MDPPerm.NO_CHANGES,
    field_name: str = "Cachet",
) -> bytes:
    """A PAdES certification seal (the "Document protégé" of F3.6) with the given DocMDP level."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        certify=True,
        docmdp_permissions=permissions,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Document protégé",
    )
    return _sign(data, identity, meta)


def sign(data: bytes, identity: SigningIdentity, field_name: str = "Signature") -> bytes:
    """An approval signature, added in an incremental update (a recipient signing a contract)."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, reason="Lu et approuvé"
    )
    return _sign(data, identity, meta)


def append_page(data: bytes) -> bytes:
    """An incremental update after the signatures that adds a blank page: a change no DocMDP level allows."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    root = writer.root
    pages = root["/Pages"]
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/Parent"): root.raw_get("/Pages"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(
                [
                    generic.NumberObject(0),
                    generic.NumberObject(0),
                    generic.NumberObject(595),
                    generic.NumberObject(842),
                ]
            ),
        }
    )
    page_ref = writer.add_object(page)
    pages["/Kids"].append(page_ref)
    pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
    writer.update_container(pages)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_range_offset(data: bytes) -> int:
    """An offset inside the first signed byte range: a few bytes into the first page's content stream."""
    byte_range = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", data)
    assert byte_range is not None, "no signature in this file"
    offset = data.index(b"stream") + len(b"stream") + 8
    assert offset < int(byte_range.group(2)), "the page content should come before the signature value"
    return offset


def flip_byte(data: bytes, offset: int) -> bytes:
    """The same file with one byte changed: what a forger or a broken disk does."""
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)
