"""The campaign (F4) and advance-request (F5) state machines."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP


class TransitionError(ValueError):
    """A transition the state machine does not allow; ``code`` is stable for the API."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class CampaignState(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return CAMPAIGN_STATE_LABELS[self]


CAMPAIGN_STATE_LABELS: dict[CampaignState, str] = {
    CampaignState.DRAFT: QT_TRANSLATE_NOOP("domain", "Sauvegardée"),
    CampaignState.ACTIVE: QT_TRANSLATE_NOOP("domain", "En cours"),
    CampaignState.CLOSED: QT_TRANSLATE_NOOP("domain", "Archivée"),
}

CAMPAIGN_TRANSITIONS: dict[CampaignState, frozenset[CampaignState]] = {
    CampaignState.DRAFT: frozenset({CampaignState.ACTIVE}),
    CampaignState.ACTIVE: frozenset({CampaignState.CLOSED}),
    CampaignState.CLOSED: frozenset(),
}


class AdvanceState(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return ADVANCE_STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self is AdvanceState.SENT


ADVANCE_STATE_LABELS: dict[AdvanceState, str] = {
    AdvanceState.SENT: QT_TRANSLATE_NOOP("domain", "Envoyée"),
    AdvanceState.ACCEPTED: QT_TRANSLATE_NOOP("domain", "Acceptée"),
    AdvanceState.REFUSED: QT_TRANSLATE_NOOP("domain", "Refusée"),
    AdvanceState.CANCELLED: QT_TRANSLATE_NOOP("domain", "Annulée"),
}

ADVANCE_TRANSITIONS: dict[AdvanceState, frozenset[AdvanceState]] = {
    AdvanceState.SENT: frozenset({AdvanceState.ACCEPTED, AdvanceState.REFUSED, AdvanceState.CANCELLED}),
    AdvanceState.ACCEPTED: frozenset(),
    AdvanceState.REFUSED: frozenset(),
    AdvanceState.CANCELLED: frozenset(),
}

S = TypeVar("S", CampaignState, AdvanceState)


def transition(current: S, target: S) -> S:
    """Return ``target`` when the machine allows ``current → target``, else raise TransitionError."""
    table: dict[S, frozenset[S]] = (
        CAMPAIGN_TRANSITIONS if isinstance(current, CampaignState) else ADVANCE_TRANSITIONS  # type: ignore[assignment]
    )
    if target not in table[current]:
        raise TransitionError(
            "invalid_transition",
            f"Impossible de passer de « {current.label} » à « {target.label} ».",
        )
    return target
