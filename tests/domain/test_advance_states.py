"""The advance-request state machine (F5): "Envoyée" moves to "Acceptée", "Refusée" or "Annulée", and
nothing leaves a final state; ``sources_of`` gives the states each compare-and-set moves from."""

from __future__ import annotations

import pytest

from coffreo_desktop.domain.advances import MAXIMUM_SORTS_AS, amount_sort_cents, sources_of
from coffreo_desktop.domain.states import ADVANCE_TRANSITIONS, AdvanceState, TransitionError, transition

FINAL = (AdvanceState.ACCEPTED, AdvanceState.REFUSED, AdvanceState.CANCELLED)


@pytest.mark.parametrize("target", FINAL)
def test_a_sent_request_can_be_accepted_refused_or_cancelled(target: AdvanceState) -> None:
    assert transition(AdvanceState.SENT, target) is target


@pytest.mark.parametrize("current", FINAL)
@pytest.mark.parametrize("target", tuple(AdvanceState))
def test_nothing_leaves_a_final_state(current: AdvanceState, target: AdvanceState) -> None:
    with pytest.raises(TransitionError) as error:
        transition(current, target)
    assert error.value.code == "invalid_transition"
    assert str(error.value).startswith(f"Impossible de passer de « {current.label} »")


def test_a_sent_request_cannot_be_sent_again() -> None:
    with pytest.raises(TransitionError):
        transition(AdvanceState.SENT, AdvanceState.SENT)


def test_every_state_has_its_transitions_and_only_sent_is_open() -> None:
    assert set(ADVANCE_TRANSITIONS) == set(AdvanceState)
    assert [s for s in AdvanceState if s.is_open] == [AdvanceState.SENT]
    assert all(not ADVANCE_TRANSITIONS[s] for s in FINAL)


@pytest.mark.parametrize("target", FINAL)
def test_decisions_and_cancellations_move_from_sent_only(target: AdvanceState) -> None:
    assert sources_of(target) == {AdvanceState.SENT}
    assert sources_of(AdvanceState.SENT) == frozenset()


def test_a_maximum_request_sorts_by_its_granted_amount_else_after_every_amount() -> None:
    assert amount_sort_cents(12_000, None) == 12_000
    assert amount_sort_cents(12_000, 5_000) == 12_000  # a request for an amount: the amount asked
    assert amount_sort_cents(None, 30_000) == 30_000  # "montant maximum", accepted: what it was
    assert amount_sort_cents(None, None) == MAXIMUM_SORTS_AS  # waiting, refused or cancelled
    assert amount_sort_cents(None, None) > amount_sort_cents(100_000_000, None)
