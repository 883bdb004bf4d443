"""The certificates the desktop viewer trusts when it checks this server's seals and signatures (F2.5)."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from fastapi import APIRouter, Request
from pydantic import BaseModel

from coffreo_desktop.server.api.rules import Authenticated, requires
from coffreo_desktop.server.pdf.seal import trust_roots

router = APIRouter(tags=["confiance"])


class TrustedCertificateOut(BaseModel):
    pem: str
    subject: str
    sha256: str  # the fingerprint, in hexadecimal, for a person comparing it with another source
    not_after: str  # ISO 8601, UTC


class TrustCertificatesOut(BaseModel):
    certificates: list[TrustedCertificateOut]


@router.get(
    "/trust/certificates", response_model=TrustCertificatesOut, dependencies=[requires(Authenticated())]
)
def trust_certificates(request: Request) -> TrustCertificatesOut:
    """PEM certificates: the installation's authority (created on first use) and any configured chain.

    A plain function: FastAPI runs it in a worker thread, as creating the authority writes key files.
    """
    items = []
    for pem in trust_roots(request.app.state.ctx):
        certificate = x509.load_pem_x509_certificate(pem)
        items.append(
            TrustedCertificateOut(
                pem=pem.decode("ascii"),
                subject=certificate.subject.rfc4514_string(),
                sha256=certificate.fingerprint(hashes.SHA256()).hex(),
                not_after=certificate.not_valid_after_utc.isoformat(),
            )
        )
    return TrustCertificatesOut(certificates=items)
