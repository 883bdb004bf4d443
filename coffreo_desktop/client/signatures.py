"""Checks the electronic signatures and seals of a PDF (PRODUCT.md F2.5) with pyHanko, offline, and says
in French whether each is intact, who signed and when, and whether the file changed after signing."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from coffreo_desktop.domain.limits import DISPLAY_TZ

log = logging.getLogger(__name__)

_UNREADABLE = "Les signatures n'ont pas pu être vérifiées : le fichier PDF est illisible ou endommagé."
_UNKNOWN_SIGNER = "signataire inconnu"


class CheckState(StrEnum):
    """The verdict on a whole document, worst signature first (INVALID > CHANGED > UNTRUSTED > VALID)."""

    NONE = "none"  # no signature at all
    VALID = "valid"  # every signature intact, from a trusted certificate, no change it forbids
    UNTRUSTED = "untrusted"  # intact, but a certificate does not chain to a known authority
    CHANGED = "changed"  # modified after signing, in a way a signature forbids
    INVALID = "invalid"  # a signature is broken: the signed bytes were altered, or it cannot be read


#: Order of gravity, used to pick the document's state from its signatures'.
_GRAVITY = (CheckState.NONE, CheckState.VALID, CheckState.UNTRUSTED, CheckState.CHANGED, CheckState.INVALID)


class SignatureKind(StrEnum):
    CERTIFICATION = "certification"  # a PAdES certification seal ("Document protégé")
    APPROVAL = "approval"  # an ordinary signature (a recipient signing a contract)


class AllowedChanges(StrEnum):
    """The DocMDP level a certification seal sets for later revisions."""

    NONE = "none"
    FORM_FILLING = "form_filling"  # filling forms and adding signatures
    ANNOTATIONS = "annotations"  # the above, plus comments


@dataclass(frozen=True)
class SignatureInfo:
    """One signature of the document, as checked."""

    field_name: str
    signer_name: str
    organisation: str | None
    signed_at: datetime | None  # as the signer claims it (no timestamp authority), aware, UTC
    kind: SignatureKind
    allowed_changes: AllowedChanges | None  # for a certification seal
    intact: bool  # the signed bytes hash to what was signed and the signature value is right
    covers_whole_file: bool  # nothing was appended after this signature
    changes_allowed: bool  # what was appended (if anything) is allowed by the DocMDP rules in force
    trusted: bool  # the certificate chains to one of the given trust roots
    problem: str | None = None  # a French reason when the signature could not be checked at all

    @property
    def state(self) -> CheckState:
        if not self.intact or self.problem is not None:
            return CheckState.INVALID
        if not self.changes_allowed:
            return CheckState.CHANGED
        return CheckState.VALID if self.trusted else CheckState.UNTRUSTED

    @property
    def lines(self) -> list[str]:
        """French detail lines: who and when, then integrity, changes and trust."""
        who = self.signer_name + (f" ({self.organisation})" if self.organisation else "")
        when = format_moment(self.signed_at)
        if self.kind is SignatureKind.CERTIFICATION:
            lines = [f"Cachet de certification apposé par {who} {when}"]
        else:
            lines = [f"Signé par {who} {when}"]
        if self.problem is not None:
            return [*lines, self.problem]
        if not self.intact:
            lines.append("La signature est rompue : le contenu signé a été altéré")
            return lines
        if self.covers_whole_file:
            lines.append("Le document n'a pas été modifié depuis cette signature")
        elif self.changes_allowed:
            lines.append(
                "Le document a été complété ensuite (signatures ou formulaires), ce qui est autorisé"
            )
        else:
            lines.append("Le document a été modifié après la signature")
        if self.allowed_changes is AllowedChanges.NONE:
            lines.append("Le cachet interdit toute modification du document")
        elif self.allowed_changes is not None:
            lines.append("Le cachet n'autorise que le remplissage de formulaires et les signatures")
        if self.trusted:
            lines.append("Certificat émis par une autorité de confiance")
        else:
            lines.append("Certificat non reconnu : il n'émane pas d'une autorité de confiance connue")
        return lines


@dataclass(frozen=True)
class SignatureReport:
    """The verdict on a document: its state, each signature, a French summary and detail lines."""

    state: CheckState
    signatures: tuple[SignatureInfo, ...] = ()
    reason: str | None = None  # why the file could not be checked, in French

    @property
    def modified_after_last_signature(self) -> bool:
        """Revisions no signature covers were appended (allowed or not): worth a word of caution."""
        return bool(self.signatures) and not self.signatures[-1].covers_whole_file

    @property
    def summary(self) -> str:
        if self.reason is not None:
            return self.reason
        count = len(self.signatures)
        if self.state is CheckState.NONE:
            return "Ce document ne porte aucune signature électronique."
        if self.state is CheckState.INVALID:
            return "Signature invalide : le document a été altéré ou la signature est endommagée."
        if self.state is CheckState.CHANGED:
            return "Attention : le document a été modifié après la signature."
        if self.state is CheckState.UNTRUSTED:
            return (
                "Signature intacte, mais le certificat n'émane pas d'une autorité reconnue."
                if count == 1
                else "Signatures intactes, mais un certificat n'émane pas d'une autorité reconnue."
            )
        if self.modified_after_last_signature:
            return "Signatures valides ; le document a été complété ensuite, ce qui est autorisé."
        if count == 1:
            kind = self.signatures[0].kind
            return "Cachet valide." if kind is SignatureKind.CERTIFICATION else "Signature valide."
        return f"Les {count} signatures sont valides."

    @property
    def details(self) -> list[str]:
        lines: list[str] = []
        for info in self.signatures:
            lines.extend(info.lines)
        if self.reason is not None and not lines:
            lines.append(self.reason)
        return lines


def format_moment(moment: datetime | None) -> str:
    """'le 12/03/2026 à 10:14 (heure de Paris)'; a naive moment is taken as UTC."""
    if moment is None:
        return "à une date inconnue"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(DISPLAY_TZ))
    return local.strftime("le %d/%m/%Y à %H:%M (heure de Paris)")


def check_signatures(data: bytes, trust_roots: Sequence[bytes] = ()) -> SignatureReport:
    """Check every signature of ``data`` against ``trust_roots`` (DER or PEM certificates).

    Blocking and CPU-bound: run it in an executor. Never raises on a bad file: an unreadable PDF gives
    an INVALID report when it looks signed, NONE otherwise, each with a French ``reason``.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _check_safely(data, trust_roots)
    # pyHanko's blocking API calls asyncio.run(), which fails under a running loop (a coroutine, the
    # qasync UI thread): then the check runs on a thread of its own.
    with ThreadPoolExecutor(1, thread_name_prefix="coffreo-signatures") as pool:
        return pool.submit(_check_safely, data, trust_roots).result()


def _check_safely(data: bytes, trust_roots: Sequence[bytes]) -> SignatureReport:
    try:
        return _check(data, trust_roots)
    except Exception as exc:  # a malformed file can break the parser anywhere
        log.info("signature check failed: %s", type(exc).__name__)
        looks_signed = b"/ByteRange" in data
        return SignatureReport(CheckState.INVALID if looks_signed else CheckState.NONE, reason=_UNREADABLE)


def _check(data: bytes, trust_roots: Sequence[bytes]) -> SignatureReport:
    # pyHanko costs ~0.4 s to import: only documents actually opened pay for it, not the app start-up.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    _silence_pyhanko_logs()
    reader = PdfFileReader(io.BytesIO(data))
    roots = list(_load_roots(trust_roots))
    infos: list[SignatureInfo] = []
    for embedded in reader.embedded_signatures:
        if str(embedded.sig_object_type) != "/Sig":
            continue  # a document timestamp (long-term validation) signs nobody's intent
        # One context per signature: it caches paths and revocation data from the previous check.
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        infos.append(_check_one(embedded, context))
    if not infos:
        return SignatureReport(CheckState.NONE)
    state = max((info.state for info in infos), key=_GRAVITY.index)
    return SignatureReport(state, tuple(infos))


def _check_one(embedded: Any, context: Any) -> SignatureInfo:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    field_name = str(embedded.field_name or "")
    kind, allowed = _kind(embedded)
    signer_name, organisation = _UNKNOWN_SIGNER, None
    try:
        signer_name, organisation = _names(embedded.signer_cert.subject.native)
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:
        log.info("one signature could not be validated: %s", type(exc).__name__)
        return SignatureInfo(
            field_name, signer_name, organisation, None, kind, allowed,
            intact=False, covers_whole_file=False, changes_allowed=False, trusted=False,
            problem="Cette signature n'a pas pu être lue : elle est endommagée ou d'un format inconnu",
        )  # fmt: skip
    level = status.modification_level
    covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,  # validation data appended later: not a change of content
    )
    # Coverage below "entire revision" means the byte range skips more than the signature itself.
    sane_coverage = status.coverage is not None and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
    return SignatureInfo(
        field_name=field_name,
        signer_name=signer_name,
        organisation=organisation,
        signed_at=_as_utc(status.signer_reported_dt),
        kind=kind,
        allowed_changes=allowed,
        intact=bool(status.intact and status.valid and sane_coverage),
        covers_whole_file=covers_whole_file,
        changes_allowed=covers_whole_file or status.docmdp_ok is True,
        trusted=bool(status.trusted) and not status.revoked,
    )


def _kind(embedded: Any) -> tuple[SignatureKind, AllowedChanges | None]:
    """A certification seal carries a /DocMDP transform in its signature dictionary (ISO 32000-1 12.8.2.2)."""
    try:
        references = embedded.sig_object.get("/Reference") or []
        for reference in references:
            reference = reference.get_object()
            if str(reference.get("/TransformMethod")) == "/DocMDP":
                permission = int(reference["/TransformParams"].get("/P", 2))
                allowed = {1: AllowedChanges.NONE, 3: AllowedChanges.ANNOTATIONS}.get(
                    permission, AllowedChanges.FORM_FILLING
                )
                return SignatureKind.CERTIFICATION, allowed
    except Exception:  # an odd reference array: treat the signature as an approval, others judge it
        log.info("unreadable /Reference in a signature dictionary")
    return SignatureKind.APPROVAL, None


def _names(subject: dict[str, Any]) -> tuple[str, str | None]:
    """The signer's common name and organisation from a certificate subject (values may be lists)."""

    def first(value: Any) -> str | None:
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if value is None:
            return None
        return str(value).strip() or None

    organisation = first(subject.get("organization_name"))
    name = first(subject.get("common_name")) or organisation or _UNKNOWN_SIGNER
    return name, organisation if organisation != name else None


def _as_utc(moment: Any) -> datetime | None:
    if not isinstance(moment, datetime):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _load_roots(trust_roots: Iterable[bytes]) -> Iterable[Any]:
    from pyhanko.keys import load_certs_from_pemder_data

    for data in trust_roots:
        try:
            for cert in load_certs_from_pemder_data(data):
                _ = cert.subject  # asn1crypto parses lazily: fail here, not in the middle of a check
                yield cert
        except Exception as exc:
            log.warning("a trust root could not be read: %s", type(exc).__name__)


def _silence_pyhanko_logs() -> None:
    # pyHanko logs every untrusted certificate with its subject (a person's name) and a traceback;
    # our logs hold no personal data (ARCHITECTURE.md, Security), and the report says it all.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
