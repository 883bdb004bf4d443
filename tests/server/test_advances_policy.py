"""The advance policy (F5.6), property-based: amounts typed in euros parse to the right cents or are
refused with a French reason; the maximum is min(ceiling, ⌊net × percent⌋) − granted, never negative;
maximum_for reads the deposited earnings of the period containing today and the advances granted in it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffreo_desktop.domain.advances import (
    MAX_AMOUNT_CENTS,
    NARROW_NBSP,
    AmountError,
    Policy,
    decision_label,
    decision_state,
    format_euros,
    maximum,
    parse_amount,
)
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvancePolicy
from coffreo_desktop.server.services.advance_policy import maximum_for
from tests.server.advance_helpers import add_request, deposit_earnings, new_worker
from tests.support import ServerHarness

PARIS = ZoneInfo("Europe/Paris")
cents = st.integers(min_value=1, max_value=MAX_AMOUNT_CENTS)


@given(cents)
def test_every_way_of_typing_an_amount_parses_to_its_cents(value: int) -> None:
    euros, rest = divmod(value, 100)
    assert parse_amount(f"{euros},{rest:02d}") == value
    assert parse_amount(f"{euros}.{rest:02d}") == value
    assert parse_amount(f" {euros},{rest:02d} € ") == value
    assert parse_amount(value / 100) == value  # a JSON number
    assert parse_amount(format_euros(value)) == value  # what the desktop shows, pasted back
    if rest == 0:
        assert parse_amount(str(euros)) == value
        assert parse_amount(euros) == value
    if rest % 10 == 0:
        assert parse_amount(f"{euros},{rest // 10}") == value


@given(cents, st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_refused(value: int, third: int) -> None:
    euros, rest = divmod(value, 100)
    with pytest.raises(AmountError) as error:
        parse_amount(f"{euros},{rest:02d}{third}")
    assert error.value.code == "amount_precision"
    assert "deux décimales" in str(error.value)
    # Trailing zeros are not a third decimal.
    assert parse_amount(f"{euros},{rest:02d}0") == value


@given(st.integers(min_value=-MAX_AMOUNT_CENTS, max_value=0))
def test_zero_and_negative_amounts_are_refused(value: int) -> None:
    for typed in (str(value / 100), f"{value // 100}", value / 100):
        with pytest.raises(AmountError) as error:
            parse_amount(typed)
        assert error.value.code in ("amount_not_positive", "amount_invalid")


@given(st.text(max_size=12))
def test_any_text_parses_to_a_positive_amount_or_a_french_refusal(text: str) -> None:
    try:
        value = parse_amount(text)
    except ValueError as error:
        assert isinstance(error, AmountError)
        assert str(error).startswith("Le montant")
    else:
        assert 0 < value <= MAX_AMOUNT_CENTS


@pytest.mark.parametrize("typed", ["abc", "", "12€50", "1e3", "1,2,3", "--5", "nan", "inf", True, None, [1]])
def test_what_is_not_a_number_is_refused_as_such(typed: object) -> None:
    with pytest.raises(AmountError) as error:
        parse_amount(typed)  # type: ignore[arg-type]
    assert error.value.code == "amount_invalid"


def test_amounts_are_shown_the_french_way() -> None:
    assert format_euros(123450) == f"1{NARROW_NBSP}234,50\u00a0€"
    assert format_euros(31240) == "312,40\u00a0€"
    assert format_euros(5) == "0,05\u00a0€"
    assert format_euros(100_000_000) == f"1{NARROW_NBSP}000{NARROW_NBSP}000,00\u00a0€"


policies = st.builds(
    Policy, percent=st.integers(min_value=0, max_value=100), ceiling_cents=st.integers(0, 2_000_000)
)
earned = st.none() | st.integers(min_value=0, max_value=10_000_000)
granted_so_far = st.integers(min_value=0, max_value=3_000_000)


@given(policies, earned, granted_so_far)
def test_the_maximum_is_the_capped_share_minus_what_was_granted(
    policy: Policy, net: int | None, granted: int
) -> None:
    result = maximum(policy, net, granted)
    if net is None:
        allowed = policy.ceiling_cents
    else:
        allowed = min(policy.ceiling_cents, int(Fraction(net * policy.percent, 100)))  # exact, floored
    assert result.maximum_cents == max(0, allowed - granted)
    assert 0 <= result.maximum_cents <= policy.ceiling_cents
    assert result.earnings_known == (net is not None)
    assert (result.percent, result.ceiling_cents, result.granted_cents) == (
        policy.percent,
        policy.ceiling_cents,
        granted,
    )


@given(policies, st.integers(0, 10_000_000), st.integers(0, 10_000_000), granted_so_far, granted_so_far)
def test_the_maximum_grows_with_earnings_and_shrinks_with_grants(
    policy: Policy, net: int, more: int, granted: int, extra: int
) -> None:
    assert maximum(policy, net + more, granted).maximum_cents >= maximum(policy, net, granted).maximum_cents
    assert maximum(policy, net, granted + extra).maximum_cents <= maximum(policy, net, granted).maximum_cents
    # Knowing the earnings never allows more than the ceiling alone.
    assert maximum(policy, net, granted).maximum_cents <= maximum(policy, None, granted).maximum_cents


@pytest.mark.parametrize(
    ("granted", "asked", "state", "label"),
    [
        (None, 10000, "refused", "Refusée"),
        (10000, 10000, "accepted", "Acceptée"),
        (5000, 10000, "partial", "Acceptée partiellement"),
        (31240, None, "accepted", "Acceptée"),  # asked for the maximum
    ],
)
def test_a_decision_reads_as_accepted_partial_or_refused(
    granted: int | None, asked: int | None, state: str, label: str
) -> None:
    assert decision_state(granted, asked) == state
    assert decision_label(granted, asked) == label


def paris_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), PARIS).astimezone(UTC)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    percent=st.integers(30, 100),
    ceiling=st.integers(10_000, 150_000),
    net=st.none() | st.integers(0, 300_000),
    grants=st.lists(st.tuples(st.integers(-40, 40), st.integers(1, 30_000)), max_size=4),
)
def test_maximum_for_reads_the_deposit_and_the_grants_of_its_period(
    server: ServerHarness, percent: int, ceiling: int, net: int | None, grants: list[tuple[int, int]]
) -> None:
    today = server.clock().astimezone(PARIS).date()  # 16 March 2026
    period_start, period_end = date(2026, 3, 9), date(2026, 3, 22)  # a fortnightly pay period
    agency = server.agency_id("GRE")
    with server.session() as s, s.begin():
        s.merge(AdvancePolicy(agency_id=agency, percent=percent, ceiling_cents=ceiling))
    worker, matricule = new_worker(server, "GRE", "VIL")
    if net is not None:
        key = server.integration_key(brand_id=1)
        older = {"period_start": date(2026, 2, 23), "period_end": date(2026, 3, 8), "net_earned_cents": 999}
        current = {"period_start": period_start, "period_end": period_end, "net_earned_cents": net}
        lines = [{"matricule": matricule, "agency_code": "GRE", **p} for p in (older, current)]
        assert deposit_earnings(server, key, lines).status_code == 200
    first, last = (period_start, period_end) if net is not None else (date(2026, 3, 1), date(2026, 3, 31))
    expected_granted = 0
    for offset, amount in grants:
        day = today + timedelta(days=offset)
        decided = paris_noon(day)
        add_request(
            server, worker, "GRE", state=AdvanceState.ACCEPTED, granted_cents=amount, decided_at=decided
        )
        # Refused ones and another agency's grants never count.
        add_request(server, worker, "GRE", state=AdvanceState.REFUSED, decided_at=decided)
        add_request(
            server, worker, "VIL", state=AdvanceState.ACCEPTED, granted_cents=amount, decided_at=decided
        )
        expected_granted += amount if first <= day <= last else 0
    with server.ctx.db.reader() as s:
        found = maximum_for(s, worker, agency, today)
    assert found.granted_cents == expected_granted
    assert found.maximum_cents == maximum(Policy(percent, ceiling), net, expected_granted).maximum_cents
    assert (found.period_start, found.period_end) == (
        (period_start, period_end) if net is not None else (None, None)
    )


def test_a_grant_decided_just_before_midnight_in_paris_counts_in_that_paris_day(
    server: ServerHarness,
) -> None:
    worker, matricule = new_worker(server, "GRE")
    key = server.integration_key(brand_id=1)
    line = {"matricule": matricule, "agency_code": "GRE", "net_earned_cents": 100_000}
    assert (
        deposit_earnings(
            server, key, [{**line, "period_start": date(2026, 3, 1), "period_end": date(2026, 3, 15)}]
        ).status_code
        == 200
    )
    # 22:30 UTC on 15 March is 23:30 in Paris: still in the period; 23:30 UTC is 16 March in Paris.
    add_request(
        server,
        worker,
        "GRE",
        state=AdvanceState.ACCEPTED,
        granted_cents=1000,
        decided_at=datetime(2026, 3, 15, 22, 30, tzinfo=UTC),
    )
    add_request(
        server,
        worker,
        "GRE",
        state=AdvanceState.ACCEPTED,
        granted_cents=2000,
        decided_at=datetime(2026, 3, 15, 23, 30, tzinfo=UTC),
    )
    with server.ctx.db.reader() as s:
        assert maximum_for(s, worker, server.agency_id("GRE"), date(2026, 3, 15)).granted_cents == 1000
