"""Demo missions: who works for which agency and client, when, and the hours worked each month.

Drawn from the documents plan's random stream, before any document: the order of the draws is part of
what a seed produces.
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from coffreo_desktop.server.demo.data_fr import LAST
from coffreo_desktop.server.demo.people import ClientPlan, EmployeePlan, PeoplePlan

MOTIVES = (
    "Accroissement temporaire d'activité : hausse saisonnière des commandes",
    "Accroissement temporaire d'activité lié à une commande exceptionnelle",
    "Remplacement de {who}, absent(e) pour congé maladie",
    "Remplacement de {who}, en congé de maternité",
    "Attente de l'entrée en service d'un salarié recruté en CDI",
    "Emploi à caractère saisonnier",
)
MISSION_DAYS = (5, 5, 10, 12, 19, 26, 33, 40, 54, 61, 89, 120)
#: Chance that a worker leaves the group after a mission: those who never open their vault leave sooner.
LEAVE_AFTER_MISSION = (0.42, 0.65)
GAP_DAYS = (3, 90)  # days between two missions


@dataclass
class Mission:
    employee: int
    agency: str
    client: int
    start: date
    end: date
    motive: str
    number: str = ""
    hours: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # per (year, month)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def workday(day: date, step: int = 1) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def _workdays(first: date, last: date) -> int:
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


class _MissionPlanner:
    def __init__(self, rng: random.Random, today: date, window_start: date, people: PeoplePlan) -> None:
        self.rng, self.today, self.window_start = rng, today, window_start
        self.clients_of: dict[str, list[ClientPlan]] = defaultdict(list)
        for client in people.clients:
            for code in client.agencies:
                self.clients_of[code].append(client)

    def missions(self, e: EmployeePlan) -> list[Mission]:
        rng, today = self.rng, self.today
        start = max(
            e.arrival.date() + timedelta(days=rng.randint(1, 3)),
            self.window_start + timedelta(days=rng.randint(0, 45)),
        )
        found: list[Mission] = []
        while (start := workday(start)) < today:
            found.append(self.mission(e, start, rng.choice(MISSION_DAYS)))
            if not e.on_mission_now and rng.random() < LEAVE_AFTER_MISSION[e.activation_delay is None]:
                break  # left the group
            start = found[-1].end + timedelta(days=rng.randint(*GAP_DAYS))
        if e.on_mission_now and (not found or found[-1].end < today):
            begin = workday(today - timedelta(days=rng.randint(3, 40)), -1)
            if found and begin <= found[-1].end + timedelta(days=1):
                found[-1].end = today + timedelta(days=rng.randint(10, 60))  # a renewal
            else:
                found.append(self.mission(e, begin, (today - begin).days + rng.randint(10, 60)))
        return found

    def mission(self, e: EmployeePlan, start: date, days: int) -> Mission:
        rng = self.rng
        agency = e.agencies[0] if len(e.agencies) == 1 or rng.random() < 0.65 else rng.choice(e.agencies[1:])
        motive = rng.choice(MOTIVES).format(who=f"{rng.choice(('M.', 'Mme'))} {rng.choice(LAST)}")
        client = rng.choice(self.clients_of[agency])
        return Mission(e.index, agency, client.index, start, start + timedelta(days=days - 1), motive)

    def hours(self, m: Mission) -> None:
        """Hours worked per month: 7 h per working day, give or take absences and overtime."""
        day = m.start.replace(day=1)
        while day <= m.end and day < self.today:
            first, last = max(m.start, day), min(m.end, month_end(day), self.today - timedelta(days=1))
            worked = _workdays(first, last) * 7 * Decimal(self.rng.randint(88, 106)) / 100
            if worked > 0:
                m.hours[(day.year, day.month)] = worked.quantize(Decimal("0.25"))
            day = month_end(day) + timedelta(days=1)


def plan_missions(
    rng: random.Random, today: date, window_start: date, people: PeoplePlan
) -> tuple[dict[int, list[Mission]], list[Mission]]:
    """Each employee's missions, and all of them by start date, numbered per agency and year, with
    their hours."""
    planner = _MissionPlanner(rng, today, window_start, people)
    missions_of = {e.index: planner.missions(e) for e in people.employees}
    missions = sorted((m for ms in missions_of.values() for m in ms), key=lambda m: (m.start, m.employee))
    numbers: dict[tuple[str, int], int] = defaultdict(int)
    for m in missions:
        numbers[(m.agency, m.start.year)] += 1
        m.number = f"{m.agency}-{m.start.year % 100:02d}{numbers[(m.agency, m.start.year)]:05d}"
        planner.hours(m)
    return missions_of, missions
