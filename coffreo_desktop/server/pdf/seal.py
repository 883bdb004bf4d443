"""Seals and signatures on PDFs with pyHanko (PRODUCT.md F3.6, F7.1): the agency's PAdES certification of
a "document protégé" (no change allowed) or of a "document à signer" (only its empty signature fields may
be filled), and each recipient's signature into their field.

Every function here is blocking and CPU-bound: the API runs it in a worker thread. pyHanko is imported on
first use (~0.4 s), not at server start-up.

The recipient's signature is a "cachet serveur au nom du signataire": the server signs, once the person
has proved control of their mailbox with a one-time code, with a one-time key and a certificate in the
person's name issued there and then by the installation's authority. Under eIDAS it is at most an
advanced electronic signature (art. 26), never a qualified one (no qualified certificate, no signature
device in the signer's hands); its weight comes with the evidence record kept apart (identity, code sent
and verified, times, hashes before and after, address).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization

from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.pdf.certificates import Credential, Entity
from coffreo_desktop.server.pdf.entity_keys import SealKeys, seal_keys

if TYPE_CHECKING:
    from coffreo_desktop.server.context import AppContext

log = logging.getLogger(__name__)

#: The name of the certification seal's (invisible) field.
CERTIFICATION_FIELD = "Cachet"
PROTECTED_REASON = "Document protégé : toute modification est interdite"
TO_SIGN_REASON = "Document à signer : seules les signatures prévues peuvent y être ajoutées"
SIGNING_REASON = "Lu et approuvé, signé électroniquement"
# Default places of the signature boxes, in points from the bottom left of the page: a row of boxes
# above the bottom margin, as many per row as fit, rows going up.
_BOX_WIDTH, _BOX_HEIGHT, _MARGIN, _GAP = 170, 56, 40, 10
_BOTTOM = 64  # clear of the usual page footer


class SealError(ProblemError):
    """A PDF that cannot be sealed or signed as asked, with a French reason for the person who sent it."""

    status = 422
    default_code = "pdf_not_sealable"


@dataclass(frozen=True)
class SignerSlot:
    """An empty signature field awaiting one signer; ``box`` (points: x1, y1, x2, y2) defaults to a row
    at the bottom of the page."""

    field_name: str
    signer_name: str
    page: int = -1  # the last page
    box: tuple[int, int, int, int] | None = None


def seal_protected(pdf: bytes, entity: Entity, keys: SealKeys) -> bytes:
    """The agency's certification seal forbidding any later change (DocMDP 1, "document protégé")."""
    from pyhanko.sign import fields

    return _certify(pdf, entity, keys, fields.MDPPerm.NO_CHANGES, PROTECTED_REASON, ())


def certify_for_signing(pdf: bytes, entity: Entity, signers: Sequence[SignerSlot], keys: SealKeys) -> bytes:
    """The agency's certification that allows only form filling and signing (DocMDP 2), with one empty
    visible signature field per expected signer ("document à signer")."""
    from pyhanko.sign import fields

    names = [slot.field_name for slot in signers]
    if not signers or len(set(names)) != len(names) or CERTIFICATION_FIELD in names:
        raise ValueError("one uniquely named field per signer, other than the seal's, is needed")
    if any(not name or "." in name for name in names):
        raise ValueError("a signature field name is not empty and holds no period (PDF partial names)")
    return _certify(pdf, entity, keys, fields.MDPPerm.FILL_FORMS, TO_SIGN_REASON, signers)


def sign_as_recipient(
    pdf: bytes, field_name: str, signer_name: str, signer_email: str, keys: SealKeys
) -> bytes:
    """An approval signature in the recipient's empty field ``field_name``, with a one-time certificate in
    their name (see the module's note on its legal level). Raises SealError if the field is missing or
    already signed, or if the document's certification forbids it."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import read_certification_data
    from pyhanko.stamp import TextStampStyle

    writer = _open(pdf, "signé")
    found = list(fields.enumerate_sig_fields(writer.prev, with_name=field_name))
    if not found:
        raise SealError(f"Ce document n'attend aucune signature « {field_name} ».", code="no_such_signature")
    if any(value is not None for _, value, _ in found):
        raise SealError("Ce document a déjà été signé à cet emplacement.", code="already_signed", status=409)
    certification = read_certification_data(writer.prev)
    if certification is not None and certification.permission is fields.MDPPerm.NO_CHANGES:
        raise SealError(
            "Le cachet de ce document interdit toute modification, signatures comprises.",
            code="signature_forbidden",
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=SIGNING_REASON,
        name=signer_name,
    )
    stamp = TextStampStyle(
        stamp_text="Signé électroniquement par\n%(signer)s\n%(ts)s",
        timestamp_format="le %d/%m/%Y à %H:%M UTC",
    )
    credential = keys.issue_signer(signer_name, signer_email)
    return _sign(writer, meta, credential, "signé", stamp=stamp, recipient=True)


def unsigned_fields(pdf: bytes) -> list[str]:
    """The names of the document's signature fields still empty (the signers still awaited)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    reader = PdfFileReader(io.BytesIO(pdf))
    return [str(name) for name, _, _ in fields.enumerate_sig_fields(reader, filled_status=False)]


def trust_roots(ctx: AppContext) -> list[bytes]:
    """The PEM certificates a viewer should trust for this server's seals and signatures."""
    return seal_keys(ctx.settings).trust_roots()


# -- internals ---------------------------------------------------------------------------------------


def _certify(
    pdf: bytes,
    entity: Entity,
    keys: SealKeys,
    permission: Any,
    reason: str,
    slots: Sequence[SignerSlot],
) -> bytes:
    from pyhanko.sign import fields, signers

    writer = _open(pdf, "scellé")
    if writer.prev.embedded_signatures:
        # A certification must be the document's first signature (ISO 32000-1, 12.8.2.2).
        raise SealError(
            "Ce document porte déjà une signature électronique : il ne peut pas recevoir le cachet "
            "de l'agence. Envoyez-le en « Document simple ».",
            code="already_signed_pdf",
        )
    credential = keys.entity_seal(entity)  # before any writing: a key problem leaves nothing half done
    try:
        for index, slot in enumerate(slots):
            spec = fields.SigFieldSpec(
                slot.field_name,
                on_page=slot.page,
                box=slot.box or _default_box(writer, slot.page, index),
                empty_field_appearance=True,
                readable_field_name=f"Signature de {slot.signer_name}",
            )
            fields.append_signature_field(writer, spec)
    except _pdf_faults() as exc:
        raise _refusal(exc, "scellé") from None
    meta = signers.PdfSignatureMetadata(
        field_name=CERTIFICATION_FIELD,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=permission,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=entity.agency_name,
        location=entity.city or None,
    )
    return _sign(writer, meta, credential, "scellé")


def _sign(
    writer: Any, meta: Any, credential: Credential, action: str, *, stamp: Any = None, recipient: bool = False
) -> bytes:
    from pyhanko.sign import signers

    try:
        pdf_signer = signers.PdfSigner(meta, signer=_signer(credential), stamp_style=stamp)
        # A recipient signs only in an existing field, where the agency's certification expects them.
        out = pdf_signer.sign_pdf(writer, existing_fields_only=recipient)
    except _pdf_faults() as exc:
        raise _refusal(exc, action) from None
    return bytes(out.getvalue())


def _signer(credential: Credential) -> Any:
    from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def certificate(cert: Any) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key_der = credential.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signing_cert = certificate(credential.certificate)
    return signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [signing_cert, *(certificate(c) for c in credential.chain)]
        ),
    )


def _open(pdf: bytes, action: str) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    except _pdf_faults() as exc:  # pyHanko's reader raises many kinds on a malformed file
        raise _refusal(exc, action) from None
    if writer.prev.encrypted:
        raise SealError(f"Ce PDF est chiffré : il ne peut pas être {action}.", code="pdf_encrypted")
    return writer


def _pdf_faults() -> tuple[type[Exception], ...]:
    """What a malformed or unsuitable PDF makes pyHanko raise (its own errors derive from these)."""
    from pyhanko.pdf_utils.misc import PdfError

    return (PdfError, ValueError, KeyError, TypeError, IndexError)


def _refusal(exc: Exception, action: str) -> Exception:
    """pyHanko's errors name objects and offsets, not what the sender should do: one French reason."""
    from pyhanko.sign.general import UnacceptableSignerError

    if isinstance(exc, UnacceptableSignerError):
        return exc  # our certificate does not suit pyHanko: a fault of ours, not of the document
    log.info("PDF not %s: %s: %.200s", "sealed" if action == "scellé" else "signed", type(exc).__name__, exc)
    return SealError(
        f"Ce PDF n'a pas pu être {action} : sa structure est endommagée ou non standard. "
        "Enregistrez-le de nouveau en PDF puis réessayez."
    )


def _default_box(writer: Any, page: int, index: int) -> tuple[int, int, int, int]:
    page_ref, _ = writer.find_page_for_modification(page)
    node = page_ref.get_object()
    while "/MediaBox" not in node and "/Parent" in node:  # inheritable (ISO 32000-1, 7.7.3.4)
        node = node["/Parent"]
    try:
        x0, y0, x1, _ = (float(v) for v in node["/MediaBox"])
    except (KeyError, TypeError, ValueError):
        x0, y0, x1 = 0.0, 0.0, 595.0  # A4
    per_row = max(1, int((x1 - x0 - 2 * _MARGIN + _GAP) // (_BOX_WIDTH + _GAP)))
    row, column = divmod(index, per_row)
    left = int(x1) - _MARGIN - (column + 1) * _BOX_WIDTH - column * _GAP  # filled from the right
    bottom = int(y0) + _BOTTOM + row * (_BOX_HEIGHT + _GAP)
    return (left, bottom, left + _BOX_WIDTH, bottom + _BOX_HEIGHT)
