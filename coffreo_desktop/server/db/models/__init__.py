"""Every table of the backend, importable from one place (Alembic autogenerate reads Base.metadata)."""

from coffreo_desktop.server.db.models.advances import AdvancePolicy, AdvanceRequest, Earning
from coffreo_desktop.server.db.models.auth import AuthSession, AuthToken, Invitation, LoginAttempt
from coffreo_desktop.server.db.models.base import Base, utcnow
from coffreo_desktop.server.db.models.campaigns import Campaign, CampaignDelivery, CampaignDocument
from coffreo_desktop.server.db.models.documents import Delivery, Document, SignatureEvidence, SigningCode
from coffreo_desktop.server.db.models.ops import (
    AuditEvent,
    AuditHead,
    ExportJob,
    JobRun,
    OutboxMail,
    RateEvent,
    Reminder,
    ReminderSlot,
    SchemaInfo,
)
from coffreo_desktop.server.db.models.org import (
    Agency,
    Brand,
    BrandService,
    Company,
    IntegrationKey,
    RightGrant,
    StaffUser,
)
from coffreo_desktop.server.db.models.people import (
    ClientAgency,
    ClientCompany,
    ClientUser,
    Employee,
    EmployeeAgency,
)
from coffreo_desktop.server.db.models.recipients import (
    RecipientAccount,
    RecipientActivation,
    RecipientSession,
    RecipientToken,
)

__all__ = [
    "AdvancePolicy",
    "AdvanceRequest",
    "Agency",
    "AuditEvent",
    "AuditHead",
    "AuthSession",
    "AuthToken",
    "Base",
    "Brand",
    "BrandService",
    "Campaign",
    "CampaignDelivery",
    "CampaignDocument",
    "ClientAgency",
    "ClientCompany",
    "ClientUser",
    "Company",
    "Delivery",
    "Document",
    "Earning",
    "Employee",
    "EmployeeAgency",
    "ExportJob",
    "IntegrationKey",
    "Invitation",
    "JobRun",
    "LoginAttempt",
    "OutboxMail",
    "RateEvent",
    "RecipientAccount",
    "RecipientActivation",
    "RecipientSession",
    "RecipientToken",
    "Reminder",
    "ReminderSlot",
    "RightGrant",
    "SchemaInfo",
    "SignatureEvidence",
    "SigningCode",
    "StaffUser",
    "utcnow",
]
