"""Salary advances (F5): amounts in euros typed by people, the agency's maximum-amount policy,
the pre-filled decision reasons and the sort keys the lists offer. Pure: no I/O, no Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.states import ADVANCE_TRANSITIONS, AdvanceState

DEFAULT_PERCENT = 80
DEFAULT_CEILING_CENTS = 80_000
#: Far above any advance; keeps amounts inside a 32-bit integer column on every backend.
MAX_AMOUNT_CENTS = 100_000_000
MAX_COMMENT = 1000

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

HISTORY_SORTS = (
    "created_at",
    "decided_at",
    "last_name",
    "matricule",
    "agency",
    "amount",
    "granted",
    "state",
    "decided_by",
)
RECIPIENT_SORTS = ("date", "amount", "agency")

ACCEPT_REASONS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("domain", "Demande acceptée. Le montant sera versé sous 48 heures."),
    QT_TRANSLATE_NOOP("domain", "Demande acceptée. L'acompte sera déduit de votre prochaine paie."),
)
PARTIAL_REASONS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP(
        "domain", "Acceptée partiellement : le montant demandé dépasse le maximum possible sur la période."
    ),
    QT_TRANSLATE_NOOP(
        "domain", "Acceptée partiellement : un acompte a déjà été versé sur la période en cours."
    ),
    QT_TRANSLATE_NOOP(
        "domain", "Acceptée partiellement : les heures déclarées ne permettent pas un montant plus élevé."
    ),
)
REFUSE_REASONS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("domain", "Refusée : aucune heure travaillée n'a encore été déclarée sur la période."),
    QT_TRANSLATE_NOOP("domain", "Refusée : le maximum d'acomptes de la période est déjà atteint."),
    QT_TRANSLATE_NOOP(
        "domain", "Refusée : la paie est en cours de clôture, merci de renouveler votre demande."
    ),
)

DecisionKind = Literal["accepted", "partial", "refused"]

DECISION_LABELS: dict[str, str] = {
    "accepted": QT_TRANSLATE_NOOP("domain", "Acceptée"),
    "partial": QT_TRANSLATE_NOOP("domain", "Acceptée partiellement"),
    "refused": QT_TRANSLATE_NOOP("domain", "Refusée"),
}


class AmountError(ValueError):
    """An amount the server refuses; ``code`` is stable for the API, the message is French."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"([+-]?)(\d*)(?:[.,](\d*))?")


def parse_amount(text: str | int | float) -> int:
    """Euros typed by a person ("120", "120.5", "120,50", "1 234,50 €", 120.5) → cents.

    Raises AmountError (a ValueError) with a French message for ≤ 0, not a number, more than two
    decimals, or an absurdly large amount.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise AmountError("amount_invalid", "Le montant doit être un nombre (par exemple 120 ou 120,50).")
    # str(float) is the shortest repr, so 120.5 stays "120.5" and 0.1 never becomes 0.1000000000000000055.
    raw = text if isinstance(text, str) else str(text)
    cleaned = _SPACES.sub("", raw).removesuffix("€").removesuffix("EUR")
    match = _NUMBER.fullmatch(cleaned)
    if match is None or not (match.group(2) or match.group(3)):
        raise AmountError("amount_invalid", "Le montant doit être un nombre (par exemple 120 ou 120,50).")
    sign, units, decimals = match.group(1), match.group(2) or "0", match.group(3) or ""
    if len(decimals.rstrip("0")) > 2:
        raise AmountError("amount_precision", "Le montant ne peut pas avoir plus de deux décimales.")
    try:
        value = Decimal(f"{sign}{units}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise AmountError("amount_invalid", "Le montant doit être un nombre.") from None
    cents = int(value * 100)
    if cents <= 0:
        raise AmountError("amount_not_positive", "Le montant doit être supérieur à zéro.")
    if cents > MAX_AMOUNT_CENTS:
        raise AmountError("amount_too_large", "Le montant est trop élevé.")
    return cents


def format_euros(cents: int) -> str:
    """12345 → "123,45 €"; thousands separated by a narrow no-break space (French typography)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", NARROW_NBSP)
    return f"{sign}{grouped},{rest:02d}{NBSP}€"


@dataclass(frozen=True)
class Policy:
    """An agency's policy: ``percent`` of the net earned in the period, capped by ``ceiling_cents``."""

    percent: int = DEFAULT_PERCENT
    ceiling_cents: int = DEFAULT_CEILING_CENTS


@dataclass(frozen=True)
class Maximum:
    """The maximum a worker may be granted now, with what it was computed from (the pane shows it)."""

    maximum_cents: int
    percent: int
    ceiling_cents: int
    net_earned_cents: int | None
    granted_cents: int
    period_start: date | None
    period_end: date | None

    @property
    def earnings_known(self) -> bool:
        return self.net_earned_cents is not None


def maximum(
    policy: Policy,
    net_earned_cents: int | None,
    granted_cents: int,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Maximum:
    """min(ceiling, ⌊net × percent / 100⌋) − already granted, never below 0.

    Without earnings data the ceiling alone applies (F5.6; the pane says so).
    """
    ceiling = max(0, policy.ceiling_cents)
    if net_earned_cents is None:
        allowed = ceiling
    else:
        # Integer arithmetic: a float would round 0.8 × 29 999 to the wrong cent.
        share = max(0, net_earned_cents) * max(0, policy.percent) // 100
        allowed = min(ceiling, share)
    return Maximum(
        maximum_cents=max(0, allowed - max(0, granted_cents)),
        percent=policy.percent,
        ceiling_cents=policy.ceiling_cents,
        net_earned_cents=net_earned_cents,
        granted_cents=granted_cents,
        period_start=period_start,
        period_end=period_end,
    )


def check_within_maximum(cents: int, limit: Maximum) -> None:
    """Raise AmountError naming the maximum when ``cents`` exceeds it."""
    if cents > limit.maximum_cents:
        raise AmountError(
            "amount_above_maximum",
            f"Le montant dépasse le maximum possible ({format_euros(limit.maximum_cents)}).",
        )


def decision_state(granted_cents: int | None, asked_cents: int | None) -> DecisionKind:
    """How a decided request reads: refused (nothing granted), partial (less than asked), accepted.

    ``asked_cents`` None means the worker asked for the maximum: whatever was granted is a full acceptance.
    """
    if granted_cents is None:
        return "refused"
    if asked_cents is not None and granted_cents < asked_cents:
        return "partial"
    return "accepted"


def decision_label(granted_cents: int | None, asked_cents: int | None) -> str:
    """ "Acceptée", "Acceptée partiellement" or "Refusée" (untranslated; the GUI translates)."""
    return DECISION_LABELS[decision_state(granted_cents, asked_cents)]


#: Where a "montant maximum" request with nothing granted sorts among amounts: after any real amount.
MAXIMUM_SORTS_AS = MAX_AMOUNT_CENTS + 1


def amount_sort_cents(amount_cents: int | None, granted_cents: int | None) -> int:
    """The amount a request sorts by, on both lists (the staff's history and the worker's own list).

    A request for an amount sorts by that amount. A request for "le montant maximum" (no amount) sorts by
    what it was granted once accepted, the one figure that says how much "the maximum" was; while nothing
    is granted (waiting, refused, cancelled) it reads as the largest amount, after every real one.
    """
    if amount_cents is not None:
        return amount_cents
    return granted_cents if granted_cents is not None else MAXIMUM_SORTS_AS


def sources_of(target: AdvanceState) -> frozenset[AdvanceState]:
    """The states from which the advance state machine (ADVANCE_TRANSITIONS) may move to ``target``:
    the condition of the compare-and-set that moves a request there."""
    return frozenset(s for s, targets in ADVANCE_TRANSITIONS.items() if target in targets)
