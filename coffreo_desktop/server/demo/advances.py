"""Demo salary advances (F5.6): each agency's policy, this month's net earnings to date, and the
requests, pending and processed. Rows are keyed by plan indexes and agency codes, not ids."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.demo.missions import Mission, month_end
from coffreo_desktop.server.demo.people import PeoplePlan, at_work

NET_RATIO = Decimal("0.78")  # net pay of a temp worker, roughly, per euro of gross
#: (agency, percent of the net earned, ceiling in cents) — the policy is configuration (F5.6).
POLICIES = {
    "PAR11": (70, 80000),
    "NAN": (60, 60000),
    "MLV": (50, 50000),
    "LYO": (80, 100000),
    "VIL": (80, 80000),
    "GRE": (70, 70000),
}
PENDING_AT = {"LYO": 6, "VIL": 5, "PAR11": 1, "GRE": 1}  # pending requests at scale 1 (at least one each)
WORKER_COMMENTS = (
    "",
    "",
    "Réparation de ma voiture pour aller sur le site",
    "Loyer à payer avant le 5",
    "Frais de rentrée scolaire",
    "Facture d'électricité en retard",
    "Caution pour un appartement",
    "Avance pour payer le permis CACES",
)
DECISIONS = {
    AdvanceState.ACCEPTED: (
        "Acompte accordé sur les heures déclarées de la période.",
        "Accordé : versement par virement sous 48 heures.",
    ),
    "partial": (
        "Accord partiel : le montant demandé dépasse le maximum possible sur les heures déclarées.",
        "Accord partiel dans la limite du plafond de l'agence.",
    ),
    AdvanceState.REFUSED: (
        "Refusé : aucune heure déclarée sur la période en cours.",
        "Refusé : un acompte a déjà été versé cette semaine.",
        "Refusé : la paie du mois est en cours de calcul, elle vous sera versée sous peu.",
    ),
}
HISTORY_STATES = (AdvanceState.ACCEPTED, AdvanceState.REFUSED, "partial", AdvanceState.CANCELLED)


def plan_earnings(today: date, people: PeoplePlan, missions: list[Mission]) -> list[dict[str, Any]]:
    """Net earned this month to date, per worker and agency, as the payroll deposits it each night."""
    key = (today.year, today.month)
    earned: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for m in missions:
        if key in m.hours:
            earned[(m.employee, m.agency)] += m.hours[key]
    period = {
        "period_start": today.replace(day=1),
        "period_end": month_end(today),
        "deposited_at": datetime.combine(today - timedelta(days=1), time(2, 15), UTC),
    }
    return [
        {
            **period,
            "employee": e,
            "agency": code,
            "net_earned_cents": int(hours * people.employees[e].hourly_rate * NET_RATIO * 100),
        }
        for (e, code), hours in sorted(earned.items())
    ]


def plan_requests(
    rng: random.Random, today: date, people: PeoplePlan, missions: list[Mission], cutoff: datetime
) -> list[dict[str, Any]]:
    """Pending requests of workers on a mission today (one per worker and agency), then a history of
    processed and cancelled ones over the last eight months."""
    scale = len(people.employees) / 520
    requests: list[dict[str, Any]] = []
    current = sorted({(m.employee, m.agency) for m in missions if m.start < today <= m.end})
    for code, count in PENDING_AT.items():
        workers = [e for e, agency in current if agency == code]
        for e in rng.sample(workers, min(len(workers), max(1, round(count * scale)))):
            maximum = rng.random() < 0.3
            sent = min(at_work(today - timedelta(days=rng.randint(1, 4)), rng), cutoff - timedelta(minutes=5))
            amount = None if maximum else rng.randint(5, 40) * 1000
            requests.append(
                {
                    "employee": e,
                    "agency": code,
                    "state": AdvanceState.SENT,
                    "created_at": sent,
                    "wants_maximum": maximum,
                    "amount_cents": amount,
                    "comment": rng.choice(WORKER_COMMENTS),
                }
            )
    since, until = today - timedelta(days=240), today - timedelta(days=2)
    past = [m for m in missions if m.end >= since and m.start < until]
    for number in range(max(len(HISTORY_STATES), round(90 * scale)) if past else 0):
        m = rng.choice(past)
        # The first ones cover every state, so that even a tiny demo shows them all.
        state = (
            HISTORY_STATES[number]
            if number < len(HISTORY_STATES)
            else rng.choices(HISTORY_STATES, (6, 2, 2, 1))[0]
        )
        day = m.start + timedelta(days=rng.randint(0, max(0, (min(m.end, until) - m.start).days)))
        created, amount = at_work(day, rng), rng.randint(5, 40) * 1000
        row = {
            "employee": m.employee,
            "agency": m.agency,
            "amount_cents": amount,
            "created_at": created,
            "comment": rng.choice(WORKER_COMMENTS),
        }
        if state is AdvanceState.CANCELLED:
            row.update(state=state, cancelled_at=created + timedelta(hours=rng.randint(1, 20)))
        else:
            granted = {AdvanceState.ACCEPTED: amount, "partial": amount // 2000 * 1000}.get(state)
            row.update(
                state=AdvanceState.ACCEPTED if granted else AdvanceState.REFUSED,
                granted_cents=granted,
                decided_at=min(created + timedelta(hours=rng.randint(2, 30)), cutoff - timedelta(minutes=1)),
                decision_comment=rng.choice(DECISIONS[state]),
                decider="acomptes" if m.agency in ("LYO", "VIL") and rng.random() < 0.7 else "admin",
            )
        requests.append(row)
    return requests
