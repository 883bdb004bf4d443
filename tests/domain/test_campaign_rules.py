"""Campaign rules shared by the server and the wizard: the 3-month retroactivity bound for a given
today (month ends included), what a draft and a launch need, the status shown, the recipients' CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from coffreo_desktop.domain.campaigns import (
    CampaignSettings,
    DeliveryRow,
    deliveries_csv,
    draft_errors,
    earliest_start,
    is_running,
    launch_errors,
    months_before,
    paris_today,
    status_label,
)
from coffreo_desktop.domain.states import CampaignState

TODAY = date(2026, 3, 16)
READY = CampaignSettings("Note sécurité", True, False, False, starts_on=TODAY, documents=1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 16), date(2025, 12, 16)),
        (date(2026, 5, 31), date(2026, 2, 28)),  # February has no 31st: its last day
        (date(2024, 5, 31), date(2024, 2, 29)),
        (date(2026, 1, 15), date(2025, 10, 15)),
    ],
)
def test_three_months_back_is_the_same_day_or_the_months_last(today: date, expected: date) -> None:
    assert months_before(today, 3) == expected
    assert earliest_start(today, retroactive=True) == expected
    assert earliest_start(today, retroactive=False) == today


def test_a_start_exactly_three_months_back_is_allowed_only_with_the_option() -> None:
    bound = date(2025, 12, 16)
    assert launch_errors(replace(READY, retroactive=True, starts_on=bound), TODAY) == []
    late = launch_errors(replace(READY, retroactive=True, starts_on=date(2025, 12, 15)), TODAY)
    assert [f for f, _ in late] == ["starts_on"] and "16/12/2025" in late[0][1]
    past = launch_errors(replace(READY, starts_on=date(2026, 3, 15)), TODAY)
    assert [f for f, _ in past] == ["starts_on"] and "date antérieure" in past[0][1]


def test_a_draft_needs_a_name_and_a_trigger_but_no_document() -> None:
    assert draft_errors(replace(READY, documents=0, starts_on=None), TODAY) == []
    nameless = draft_errors(replace(READY, name="  ", on_payslips=False), TODAY)
    assert [f for f, _ in nameless] == ["name", "on_payslips"]
    assert [f for f, _ in draft_errors(replace(READY, name="x" * 201), TODAY)] == ["name"]


def test_a_launch_needs_a_document_a_start_and_an_end_after_it() -> None:
    assert [f for f, _ in launch_errors(replace(READY, documents=0), TODAY)] == ["documents"]
    assert [f for f, _ in launch_errors(replace(READY, starts_on=None), TODAY)] == ["starts_on"]
    assert [f for f, _ in launch_errors(replace(READY, ends_on=date(2026, 3, 15)), TODAY)] == ["ends_on"]
    assert launch_errors(replace(READY, ends_on=TODAY), TODAY) == []


def test_the_client_filter_only_goes_with_contracts() -> None:
    assert [f for f, _ in draft_errors(replace(READY, client_filter_id=4), TODAY)] == ["client_filter_id"]
    assert draft_errors(replace(READY, on_contracts=True, client_filter_id=4), TODAY) == []


def test_status_labels_and_running_days() -> None:
    active = CampaignState.ACTIVE
    assert status_label(CampaignState.DRAFT, TODAY, TODAY) == "Sauvegardée"
    assert status_label(active, date(2026, 3, 17), TODAY) == "Planifiée"
    assert status_label(active, TODAY, TODAY) == "En cours"
    assert status_label(CampaignState.CLOSED, TODAY, TODAY) == "Archivée"
    assert is_running(active, TODAY, TODAY, TODAY)
    assert not is_running(active, TODAY, TODAY, date(2026, 3, 17))
    assert not is_running(active, date(2026, 3, 17), None, TODAY)
    assert not is_running(CampaignState.DRAFT, TODAY, None, TODAY)


def test_the_campaign_day_is_the_paris_day() -> None:
    assert paris_today(datetime(2026, 3, 15, 23, 30, tzinfo=UTC)) == date(2026, 3, 16)


def test_the_recipients_csv_quotes_and_defuses_cells() -> None:
    rows = [
        DeliveryRow("M001", "Dupont; fils", "=Jean", "Alto Paris", datetime(2026, 7, 1, 6, 5, tzinfo=UTC)),
    ]
    text = "".join(deliveries_csv(rows))
    assert text.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert parsed == [
        ["Matricule", "Nom", "Prénom", "Agence", "Diffusé le"],
        ["M001", "Dupont; fils", "'=Jean", "Alto Paris", "01/07/2026 08:05"],
    ]
