"""Period presets (F2.2), the campaign and advance state machines (F4, F5), the NIR rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coffreo_desktop.domain.nir import contains_nir
from coffreo_desktop.domain.periods import Period, months_before
from coffreo_desktop.domain.states import AdvanceState, CampaignState, TransitionError, transition

TODAY = date(2026, 5, 31)


@pytest.mark.parametrize(
    ("period", "since"),
    [
        (Period.DAYS_7, date(2026, 5, 24)),
        (Period.MONTH_1, date(2026, 4, 30)),
        (Period.MONTHS_3, date(2026, 2, 28)),
        (Period.MONTHS_6, date(2025, 11, 30)),
        (Period.YEAR_1, date(2025, 5, 31)),
        (Period.ALL, None),
    ],
)
def test_period_presets(period: Period, since: date | None) -> None:
    assert period.since(TODAY) == since


def test_period_labels_are_the_product_words() -> None:
    assert [p.label for p in Period] == ["depuis 7 jours", "1 mois", "3 mois", "6 mois", "1 an", "tous"]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 600))
def test_months_before_never_goes_forward_and_lands_in_the_right_month(day: date, months: int) -> None:
    earlier = months_before(day, months)
    assert earlier <= day
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day <= day.day


def test_campaign_state_machine() -> None:
    assert transition(CampaignState.DRAFT, CampaignState.ACTIVE) is CampaignState.ACTIVE
    assert transition(CampaignState.ACTIVE, CampaignState.CLOSED) is CampaignState.CLOSED
    with pytest.raises(TransitionError) as closed_twice:
        transition(CampaignState.CLOSED, CampaignState.CLOSED)
    assert "Archivée" in str(closed_twice.value)
    with pytest.raises(TransitionError):
        transition(CampaignState.DRAFT, CampaignState.CLOSED)


@pytest.mark.parametrize("target", [AdvanceState.ACCEPTED, AdvanceState.REFUSED, AdvanceState.CANCELLED])
def test_a_sent_advance_request_can_be_answered_or_cancelled_once(target: AdvanceState) -> None:
    assert transition(AdvanceState.SENT, target) is target
    for after in AdvanceState:
        with pytest.raises(TransitionError):
            transition(target, after)


@pytest.mark.parametrize(
    "text",
    [
        "bulletin 1 85 05 78 006 084 36.pdf",
        "185057800608436",
        "2-69-12-2A-123-456",
        "paie_185057800608436_mai.pdf",
    ],
)
def test_nir_is_detected(text: str) -> None:
    assert contains_nir(text)


@pytest.mark.parametrize(
    "text",
    ["bulletin 2026-05 matricule 004512.pdf", "Facture F2026-000123", "contrat 12345678", "3850578006084"],
)
def test_ordinary_names_are_not_taken_for_a_nir(text: str) -> None:
    assert not contains_nir(text)
