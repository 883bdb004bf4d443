"""The certificates behind seals and signatures: who they name (an agency with its company and brand, a
recipient), and how the installation's own authority issues them. Pure functions over keys in memory;
where keys are kept is entity_keys' business."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import Agency, Brand, Company
from coffreo_desktop.server.errors import NotFound

AUTHORITY_NAME = "Coffreo Desktop – autorité locale"
# Without a timestamp authority a signature is checked against its certificate's validity today: long
# lives keep old payslips verifiable. A qualified timestamp with LTV data would be the proper cure.
AUTHORITY_LIFE = timedelta(days=30 * 365)
SEAL_LIFE = timedelta(days=10 * 365)
SIGNER_LIFE = timedelta(days=10 * 365)
RENEW_BEFORE = timedelta(days=180)
_BACKDATE = timedelta(minutes=5)  # tolerates clocks a little behind on the checking desktop


@dataclass(frozen=True)
class Entity:
    """Who seals: an agency, named in its seal certificate with its company and brand."""

    agency_id: int
    agency_code: str
    agency_name: str
    city: str
    company_name: str
    siren: str
    brand_code: str
    brand_name: str

    def subject(self) -> x509.Name:
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, self.agency_name[:64] or self.agency_code)]
        for oid, value in (
            (NameOID.ORGANIZATION_NAME, self.company_name),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, self.brand_name),
        ):
            if value:
                attributes.append(x509.NameAttribute(oid, value[:64]))
        if re.fullmatch(r"\d{9}", self.siren):
            # ETSI EN 319 412-1: a legal person identified by its national trade register number.
            attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRFR-{self.siren}"))
        if self.city:
            attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, self.city[:128]))
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"))
        return x509.Name(attributes)


def entity_of(session: Session, agency_id: int) -> Entity:
    row = session.execute(
        select(Agency, Company, Brand)
        .join(Company, Company.id == Agency.company_id)
        .join(Brand, Brand.id == Agency.brand_id)
        .where(Agency.id == agency_id)
    ).first()
    if row is None:
        raise NotFound("Établissement inconnu.")
    agency, company, brand = row
    return Entity(
        agency.id, agency.code, agency.name, agency.city, company.name, company.siren, brand.code, brand.name
    )


@dataclass(frozen=True)
class Credential:
    """A private key, its certificate, and the issuers above it (up to the root when known)."""

    key: CertificateIssuerPrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def __repr__(self) -> str:  # never the key, even in a traceback's locals
        return f"Credential({self.certificate.subject.rfc4514_string()})"


def new_authority() -> Credential:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, AUTHORITY_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Coffreo Desktop"),
            # Two installations' authorities must never be taken for one another by a path builder.
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Installation {secrets.token_hex(6)}"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )
    now = datetime.now(UTC)
    usage = _key_usage(signing=False, issuing=True)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + AUTHORITY_LIFE)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credential(key, certificate)


def new_seal(entity: Entity, authority: Credential) -> Credential:
    return issue_seal(ec.generate_private_key(ec.SECP256R1()), entity, authority)


def issue_seal(key: CertificateIssuerPrivateKeyTypes, entity: Entity, authority: Credential) -> Credential:
    certificate = _issue(authority, entity.subject(), key, SEAL_LIFE)
    return Credential(key, certificate, (authority.certificate,))


def issue_signer(authority: Credential, name: str, email: str) -> Credential:
    """A fresh key and a certificate in a recipient's name and address, issued now by ``authority``."""
    if not name.strip():
        raise ValueError("a signer has a name")
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name.strip()[:64])]
    alt_name = None
    if email.isascii():  # IA5String in the certificate; an internationalised address stays in the evidence
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email[:128]))
        alt_name = x509.SubjectAlternativeName([x509.RFC822Name(email)])
    certificate = _issue(authority, x509.Name(attributes), key, SIGNER_LIFE, alt_name)
    return Credential(key, certificate, (authority.certificate,))


def _issue(
    authority: Credential,
    subject: x509.Name,
    key: CertificateIssuerPrivateKeyTypes,
    life: timedelta,
    alt_name: x509.SubjectAlternativeName | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    issuer_key = authority.key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(min(now + life, authority.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True, issuing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
    )
    if alt_name is not None:
        builder = builder.add_extension(alt_name, critical=False)
    return builder.sign(authority.key, hashes.SHA256())


def _key_usage(*, signing: bool, issuing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # non-repudiation: what PDF signers and validators look for
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=issuing,
        crl_sign=issuing,
        encipher_only=False,
        decipher_only=False,
    )


def is_current(credential: Credential, entity: Entity, authority: Credential) -> bool:
    """The seal certificate still names the agency as it is, is far from its end, and chains to today's
    authority (a lost authority file means a new root: every seal is re-certified under it)."""
    certificate = credential.certificate
    if certificate.subject != entity.subject():
        return False
    if certificate.not_valid_after_utc - datetime.now(UTC) < RENEW_BEFORE:
        return False
    try:
        certificate.verify_directly_issued_by(authority.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def anchor(credential: Credential) -> x509.Certificate:
    """The top of a credential's chain: a self-signed root, or the highest certificate present."""
    by_subject = {c.subject: c for c in credential.chain}
    current = credential.certificate
    for _ in range(len(credential.chain) + 1):
        if current.issuer == current.subject or current.issuer not in by_subject:
            return current
        current = by_subject[current.issuer]
    return current
