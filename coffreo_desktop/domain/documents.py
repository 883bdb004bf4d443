"""Document types and states (F2.1, F2.5–F2.7, F3.6) and the limits on files (Rules and numbers)."""

from __future__ import annotations

from enum import StrEnum

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.rights import Right


class DocumentType(StrEnum):
    PAYSLIP = "payslip"
    MISSION_CONTRACT = "mission_contract"  # signed by the worker ("TT")
    PROVISION_CONTRACT = "provision_contract"  # "mise à disposition", signed by the client ("EU")
    INVOICE = "invoice"
    TIMESHEET = "timesheet"
    CERTIFICATE = "certificate"  # attestation / certificat de travail
    DIFFUSED = "diffused"  # sent by Diffusion libre or pilotée

    @property
    def label(self) -> str:
        return DOCUMENT_TYPE_LABELS[self]

    @property
    def recipient(self) -> RecipientKind:
        return RecipientKind.CLIENT if self in CLIENT_DOCUMENT_TYPES else RecipientKind.EMPLOYEE

    @property
    def is_contract(self) -> bool:
        return self in CONTRACT_TYPES


DOCUMENT_TYPE_LABELS: dict[DocumentType, str] = {
    DocumentType.PAYSLIP: QT_TRANSLATE_NOOP("domain", "Bulletin de paie"),
    DocumentType.MISSION_CONTRACT: QT_TRANSLATE_NOOP("domain", "Contrat de mission"),
    DocumentType.PROVISION_CONTRACT: QT_TRANSLATE_NOOP("domain", "Contrat de mise à disposition"),
    DocumentType.INVOICE: QT_TRANSLATE_NOOP("domain", "Facture"),
    DocumentType.TIMESHEET: QT_TRANSLATE_NOOP("domain", "Relevé d'heures"),
    DocumentType.CERTIFICATE: QT_TRANSLATE_NOOP("domain", "Attestation / Certificat de travail"),
    DocumentType.DIFFUSED: QT_TRANSLATE_NOOP("domain", "Document diffusé"),
}

CONTRACT_TYPES: frozenset[DocumentType] = frozenset(
    {DocumentType.MISSION_CONTRACT, DocumentType.PROVISION_CONTRACT}
)
CLIENT_DOCUMENT_TYPES: frozenset[DocumentType] = frozenset(
    {DocumentType.PROVISION_CONTRACT, DocumentType.INVOICE}
)
#: What the payroll/ERP deposit accepts (F7.3).
DEPOSIT_TYPES: frozenset[DocumentType] = frozenset(
    {
        DocumentType.PAYSLIP,
        DocumentType.MISSION_CONTRACT,
        DocumentType.PROVISION_CONTRACT,
        DocumentType.INVOICE,
        DocumentType.CERTIFICATE,
        DocumentType.TIMESHEET,
    }
)


class RecipientKind(StrEnum):
    EMPLOYEE = "employee"
    CLIENT = "client"


class Protection(StrEnum):
    """How a document is delivered (F3.6)."""

    SIMPLE = "simple"
    PROTECTED = "protected"  # PAdES certification seal, no change allowed
    TO_SIGN = "to_sign"  # certified allowing signatures, then signed by the recipient

    @property
    def label(self) -> str:
        return PROTECTION_LABELS[self]


PROTECTION_LABELS: dict[Protection, str] = {
    Protection.SIMPLE: QT_TRANSLATE_NOOP("domain", "Document simple"),
    Protection.PROTECTED: QT_TRANSLATE_NOOP("domain", "Document protégé"),
    Protection.TO_SIGN: QT_TRANSLATE_NOOP("domain", "Document à signer"),
}


#: The right each kind of document needs on the issuer agency (F3.1): the server enforces it, the desktop
#: disables the others and says which right is missing.
PROTECTION_RIGHTS: dict[Protection, Right] = {
    Protection.SIMPLE: Right.DIFFUSION_LIBRE,
    Protection.PROTECTED: Right.DIFFUSION_LIBRE_PROTEGE,
    Protection.TO_SIGN: Right.DIFFUSION_LIBRE_SIGNE,
}


class SignatureState(StrEnum):
    """Signature state of a document that must be signed (contracts, documents "à signer")."""

    NOT_REQUIRED = "not_required"
    UNSIGNED = "unsigned"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return SIGNATURE_LABELS[self]


SIGNATURE_LABELS: dict[SignatureState, str] = {
    SignatureState.NOT_REQUIRED: QT_TRANSLATE_NOOP("domain", "Sans signature"),
    SignatureState.UNSIGNED: QT_TRANSLATE_NOOP("domain", "Non signé"),
    SignatureState.SIGNED: QT_TRANSLATE_NOOP("domain", "Signé"),
}


class InvoiceState(StrEnum):
    """Invoice control from the client side (F2.7)."""

    NOT_DOWNLOADED = "not_downloaded"
    DOWNLOADED = "downloaded"
    VALIDATED = "validated"

    @property
    def label(self) -> str:
        return INVOICE_LABELS[self]


INVOICE_LABELS: dict[InvoiceState, str] = {
    InvoiceState.NOT_DOWNLOADED: QT_TRANSLATE_NOOP("domain", "non téléchargée"),
    InvoiceState.DOWNLOADED: QT_TRANSLATE_NOOP("domain", "téléchargée"),
    InvoiceState.VALIDATED: QT_TRANSLATE_NOOP("domain", "validée"),
}


def invoice_state(downloaded: bool, validated: bool) -> InvoiceState:
    if validated:
        return InvoiceState.VALIDATED
    return InvoiceState.DOWNLOADED if downloaded else InvoiceState.NOT_DOWNLOADED


def can_delete(doc_type: DocumentType, requires_signature: bool, signed: bool) -> bool:
    """F2.6: only a contract not yet signed (by the worker or by the client) may be deleted."""
    return doc_type.is_contract and requires_signature and not signed
