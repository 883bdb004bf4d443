"""Demo employees and client companies: planned in memory from a seed, then bulk-inserted.

Planning needs no database, so the documents can be planned and rendered before the one write
transaction that stores everything.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import ClientAgency, ClientCompany, ClientUser, Employee, EmployeeAgency
from coffreo_desktop.server.demo.data_fr import (
    CADRE_JOBS,
    CLIENTS,
    FEMALE,
    JOBS,
    LAST,
    MAIL_DOMAINS,
    MALE,
    STREETS,
    TOWNS,
    items,
)
from coffreo_desktop.server.demo.pdf_layout import Party, Person

EMPLOYEES_AT_SCALE_1 = 520
CLIENTS_AT_SCALE_1 = 26
#: Share of employees on a mission today; and agencies that always have one (pending advances, campaign).
CURRENT_SHARE = 0.22
WORKING_TODAY = ("PAR11", "LYO", "VIL")


@dataclass(frozen=True)
class AgencyInfo:
    code: str
    name: str
    address: str
    siret: str
    region: int  # index of its company

    @property
    def party(self) -> Party:
        return Party(self.name, self.address, self.siret)


@dataclass
class EmployeePlan:
    index: int
    matricule: str
    civility: str
    first_name: str
    last_name: str
    email: str
    phone: str
    birth_date: date
    address: str
    is_cadre: bool
    job_title: str
    hourly_rate: Decimal
    agencies: list[str]  # the first is the home agency
    arrival: datetime
    activation_delay: timedelta | None  # None: the vault is never activated
    opposition_delay: timedelta | None  # e-delivery opposition, counted from the arrival
    on_mission_now: bool
    # Filled in by the documents plan:
    created_at: datetime | None = None
    vault_activated_at: datetime | None = None
    edelivery_opposed_at: datetime | None = None
    last_document_at: datetime | None = None

    @property
    def vault_created_at(self) -> datetime | None:
        return self.created_at  # the vault is opened when the worker is registered

    @property
    def person(self) -> Person:
        return Person(
            self.civility, self.first_name, self.last_name, self.matricule, self.address, self.job_title
        )


@dataclass
class ClientUserPlan:
    email: str
    civility: str
    first_name: str
    last_name: str
    can_view_contracts: bool
    can_sign_contracts: bool
    can_invoices: bool
    can_timesheets: bool
    activated_at: datetime | None


@dataclass
class ClientPlan:
    index: int
    code: str
    name: str
    siret: str
    address: str
    city: str
    region: int
    agencies: list[str]
    created_at: datetime
    activated_at: datetime | None
    coefficient: Decimal  # billing coefficient applied to the worker's hourly rate
    users: list[ClientUserPlan] = field(default_factory=list)

    @property
    def party(self) -> Party:
        return Party(self.name, self.address, self.siret)

    @property
    def can_sign(self) -> bool:
        return self.activated_at is not None and any(u.can_sign_contracts for u in self.users)


@dataclass
class PeoplePlan:
    employees: list[EmployeePlan]
    clients: list[ClientPlan]


def at_work(day: date, rng: random.Random, first_hour: int = 6, last_hour: int = 16) -> datetime:
    """A time of the working day (UTC, i.e. 7 h to 18 h in Paris) on ``day``."""
    return datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.randint(0, 59)), UTC)


def ascii_slug(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


def luhn_complete(digits: str) -> str:
    """Append the Luhn check digit that SIREN and SIRET numbers carry."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def _address(rng: random.Random, agency: str) -> tuple[str, str]:
    postcode, city = rng.choice(TOWNS[agency])
    return f"{rng.randint(1, 148)} {rng.choice(STREETS)}, {postcode} {city}", city


def _email(rng: random.Random, first: str, last: str, taken: set[str], domain: str | None = None) -> str:
    base = f"{ascii_slug(first)}.{ascii_slug(last.replace(' ', '-').replace(chr(39), ''))}"
    domain = domain or rng.choice(MAIL_DOMAINS)
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


def _pick_agency(rng: random.Random, agencies: list[AgencyInfo]) -> AgencyInfo:
    return rng.choices(agencies, weights=(22, 16, 14, 20, 14, 14)[: len(agencies)])[0]


def plan_people(
    seed: int, scale: float, today: date, window_start: date, agencies: list[AgencyInfo]
) -> PeoplePlan:
    rng = random.Random(f"{seed}:people")
    by_code = {a.code: a for a in agencies}
    count = max(8, round(EMPLOYEES_AT_SCALE_1 * scale))
    matricules = rng.sample(range(100000, 1000000), count)
    taken: set[str] = set()
    window_days = (today - window_start).days
    employees = []
    for index in range(count):
        # One employee per agency first, so that every agency has people even at a tiny scale.
        home = agencies[index] if index < len(agencies) else _pick_agency(rng, agencies)
        woman = rng.random() < 0.46
        first = rng.choice(FEMALE if woman else MALE)
        last = rng.choice(LAST)
        ordinary = len(JOBS) - CADRE_JOBS
        job = rng.randrange(ordinary) if rng.random() < 0.93 else ordinary + rng.randrange(CADRE_JOBS)
        (masculine, feminine, rate), cadre = JOBS[job], job >= ordinary
        codes = [home.code]
        if rng.random() < 0.13 or index == len(agencies):
            same_region = [a for a in agencies if a.region == home.region and a.code != home.code]
            other = rng.choice(
                same_region if rng.random() < 0.8 else [a for a in agencies if a.code != home.code]
            )
            codes.append(other.code)
        # Those who must be working today (advances, campaigns) joined recently: it keeps tiny demos small.
        forced = index < len(agencies) and home.code in WORKING_TODAY
        if forced:
            arrival_day = today - timedelta(days=rng.randint(60, 300))
        elif rng.random() < 0.25:  # worked for the group before the two years of documents
            arrival_day = window_start - timedelta(days=rng.randint(30, 1500))
        else:
            arrival_day = window_start + timedelta(days=rng.randint(0, window_days - 3))
        never = rng.random() < 0.28 or index == count - 1
        employees.append(
            EmployeePlan(
                index=index,
                matricule=str(matricules[index]),
                civility="Mme" if woman else "M.",
                first_name=first,
                last_name=last,
                email="" if rng.random() < 0.07 else _email(rng, first, last, taken),
                phone=f"0{rng.choice('67')} " + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
                birth_date=today - timedelta(days=rng.randint(18 * 365 + 5, 62 * 365)),
                address=_address(rng, home.code)[0],
                is_cadre=cadre,
                job_title=feminine if woman else masculine,
                hourly_rate=(Decimal(rate) * Decimal(rng.randint(100, 112)) / 100).quantize(Decimal("0.01")),
                agencies=codes,
                arrival=at_work(arrival_day, rng),
                activation_delay=None
                if never and index != 0
                else timedelta(days=rng.choice((0, 0, 1, 2, 5, 12, 30)), hours=rng.randint(1, 20)),
                opposition_delay=timedelta(days=rng.randint(20, 300))
                if rng.random() < 0.02 or index == 2
                else None,
                on_mission_now=forced or rng.random() < CURRENT_SHARE,
            )
        )
    return PeoplePlan(employees, _plan_clients(rng, scale, window_start, by_code))


def _plan_clients(
    rng: random.Random, scale: float, window_start: date, agencies: dict[str, AgencyInfo]
) -> list[ClientPlan]:
    count = min(len(CLIENTS), max(4, round(CLIENTS_AT_SCALE_1 * scale)))
    regions = [[c for c in CLIENTS if int(c[1]) == r] for r in (0, 1)]
    chosen = [regions[i % 2][i // 2] for i in range(count)]  # alternate regions so both are served
    clients = []
    for index, (name, region_text, domain) in enumerate(chosen):
        region = int(region_text)
        local = [a for a in agencies.values() if a.region == region]
        served = rng.sample(local, rng.choice((1, 1, 2, 2, 3)))
        address, city = _address(rng, served[0].code)
        created = at_work(window_start - timedelta(days=rng.randint(10, 900)), rng)
        activated = (
            created + timedelta(days=rng.randint(1, 60))
            if (rng.random() < 0.75 or index == 0) and index != 1
            else None
        )
        siren = luhn_complete(f"{rng.randint(30000000, 99999999)}")
        client = ClientPlan(
            index=index,
            code=f"C{index + 1:04d}",
            name=name,
            siret=luhn_complete(f"{siren}{rng.randint(1, 99):04d}"),
            address=address,
            city=city,
            region=region,
            agencies=[a.code for a in served],
            created_at=created,
            activated_at=activated,
            coefficient=Decimal(rng.choice(("1.85", "1.92", "1.98", "2.05", "2.10"))),
        )
        client.users = _plan_client_users(rng, client, domain)
        clients.append(client)
    # Every agency serves at least one client, or its employees would have nowhere to work.
    for code, agency in agencies.items():
        if not any(code in c.agencies for c in clients):
            local = [c for c in clients if c.region == agency.region]
            min(local, key=lambda c: (len(c.agencies), c.index)).agencies.append(code)
    return clients


#: Typical client users: (can_view_contracts, can_sign_contracts, can_invoices, can_timesheets)
USER_PROFILES = (
    (True, True, True, True),
    (True, True, False, False),
    (False, False, True, False),
    (True, False, False, True),
    (True, False, True, False),
)


def _plan_client_users(rng: random.Random, client: ClientPlan, domain: str) -> list[ClientUserPlan]:
    taken: set[str] = set()
    users = []
    for number in range(rng.randint(1, 4)):
        woman = rng.random() < 0.5
        first, last = rng.choice(FEMALE if woman else MALE), rng.choice(LAST)
        rights = USER_PROFILES[0] if number == 0 else rng.choice(USER_PROFILES)
        activated = None
        if client.activated_at is not None and (number == 0 or rng.random() < 0.7):
            activated = client.activated_at + timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
        users.append(
            ClientUserPlan(
                _email(rng, first, last, taken, domain),
                "Mme" if woman else "M.",
                first,
                last,
                *rights,
                activated_at=activated,
            )
        )
    return users


def pick(obj: object, names: str) -> dict[str, object]:
    """The attributes named in ``names`` (comma-separated) as a row for a bulk insert."""
    return {name: getattr(obj, name) for name in items(names)}


EMPLOYEE_COLUMNS = (
    "matricule, civility, first_name, last_name, email, phone, birth_date, address, is_cadre, created_at, "
    "vault_created_at, vault_activated_at, edelivery_opposed_at, last_document_at"
)
CLIENT_USER_COLUMNS = (
    "email, civility, first_name, last_name, activated_at, "
    "can_view_contracts, can_sign_contracts, can_invoices, can_timesheets"
)


def insert_people(
    session: Session, plan: PeoplePlan, brand_id: int, agency_ids: dict[str, int]
) -> tuple[list[int], list[int]]:
    """Insert employees, clients and client users, and who works for or serves which agency.

    Returns the ids of the employees and of the clients, in plan order.
    """
    rows = [{**pick(e, EMPLOYEE_COLUMNS), "brand_id": brand_id} for e in plan.employees]
    employee_ids = bulk_insert(session, Employee, rows)
    links = [
        {"employee_id": employee_ids[e.index], "agency_id": agency_ids[code], "since": e.created_at}
        for e in plan.employees
        for code in e.agencies
    ]
    bulk_insert(session, EmployeeAgency, links, returning=False)
    columns = "code, name, siret, address, created_at, activated_at"
    client_ids = bulk_insert(
        session, ClientCompany, [{**pick(c, columns), "brand_id": brand_id} for c in plan.clients]
    )
    served = [
        {"client_id": client_ids[c.index], "agency_id": agency_ids[a]}
        for c in plan.clients
        for a in c.agencies
    ]
    bulk_insert(session, ClientAgency, served, returning=False)
    users = [
        {**pick(u, CLIENT_USER_COLUMNS), "client_id": client_ids[c.index], "created_at": c.created_at}
        for c in plan.clients
        for u in c.users
    ]
    bulk_insert(session, ClientUser, users, returning=False)
    return employee_ids, client_ids


def bulk_insert(
    session: Session, model: type, rows: list[dict[str, object]], *, returning: bool = True, batch: int = 2000
) -> list[int]:
    """Bulk INSERT in batches; with ``returning``, the new ids in the order of ``rows``."""
    ids: list[int] = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        if returning:
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
            ids.extend(session.scalars(statement, chunk).all())
        else:
            session.execute(insert(model), chunk)
    return ids
