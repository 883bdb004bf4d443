"""Recipients of Diffusion libre (PRODUCT.md F3.3, F3.4): the issuer agency's employees found by name,
first name or matricule (autocomplete), and "Créer destinataire" (every field required, audited)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.domain.search_text import fold
from coffreo_desktop.server.db.models import Agency, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Conflict, NotFound
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

MAX_SUGGESTIONS = 20
CIVILITIES = ("M.", "Mme")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9 .\-()]{8,30}")
_MATRICULE = re.compile(r"[A-Za-z0-9_./-]{1,20}")


@dataclass(frozen=True)
class RecipientView:
    """One suggestion of the autocomplete (and the answer to a creation)."""

    id: int
    civility: str
    first_name: str
    last_name: str
    matricule: str
    email: str


@dataclass(frozen=True)
class RecipientInput:
    civility: str
    first_name: str
    last_name: str
    matricule: str
    email: str
    phone: str
    birth_date: date
    address: str


class RecipientErrors(Exception):
    """Every refused field of a creation at once, each with its French message."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def search(session: Session, agency_id: int, q: str, limit: int = MAX_SUGGESTIONS) -> list[RecipientView]:
    """The agency's employees whose last name, first name or matricule contains ``q`` (case and accents
    ignored), those starting with it first, then in French alphabetical order; at most 20."""
    needle = fold(q.strip())
    rows = session.scalars(
        select(Employee)
        .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
        .where(EmployeeAgency.agency_id == agency_id)
    ).all()
    # Filtered in Python: accent folding is not portable between SQLite and PostgreSQL, and an agency's
    # staff is a few thousand rows at most.
    ranked = []
    for employee in rows:
        words = [fold(employee.last_name), fold(employee.first_name), fold(employee.matricule)]
        if needle and not any(needle in w for w in words):
            continue
        starts = not needle or any(w.startswith(needle) for w in words)
        ranked.append(((not starts, words[0], words[1], employee.matricule), employee))
    ranked.sort(key=lambda pair: pair[0])
    return [view_of(e) for _, e in ranked[: max(1, min(limit, MAX_SUGGESTIONS))]]


#: At most this many matricules per lookup (a drop of a few thousand files).
MAX_LOOKUP = 5000


def by_matricules(session: Session, agency_id: int, matricules: list[str]) -> list[RecipientView]:
    """The agency's employees whose matricule is one of ``matricules`` (exactly): matching a bulk drop's
    file names in one request instead of one search per file."""
    wanted = sorted({m.strip() for m in matricules if m.strip()})
    found: list[RecipientView] = []
    for start in range(0, len(wanted), 500):  # bounded IN lists, for every database
        rows = session.scalars(
            select(Employee)
            .join(EmployeeAgency, EmployeeAgency.employee_id == Employee.id)
            .where(EmployeeAgency.agency_id == agency_id, Employee.matricule.in_(wanted[start : start + 500]))
            .order_by(Employee.matricule, Employee.id)
        ).all()
        found.extend(view_of(e) for e in rows)
    return found


def view_of(employee: Employee) -> RecipientView:
    return RecipientView(
        employee.id,
        employee.civility,
        employee.first_name,
        employee.last_name,
        employee.matricule,
        employee.email,
    )


def _text(raw: dict[str, Any], name: str, label: str, max_len: int, errors: list[tuple[str, str]]) -> str:
    value = raw.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors.append((name, f"{label} est obligatoire."))
    elif len(text) > max_len:
        errors.append((name, f"{label} compte au plus {max_len} caractères."))
    return text


def parse(raw: dict[str, Any], today: date, agency_id: int) -> RecipientInput:
    """The creation form checked field by field; raises RecipientErrors with every refusal.
    ``agency_id`` is the issuer of the request's address: the body may repeat it, not contradict it."""
    errors: list[tuple[str, str]] = []
    if "agency_id" in raw and str(raw["agency_id"]) != str(agency_id):
        errors.append(("agency_id", "L'établissement du formulaire diffère de celui de l'adresse."))
    civility = _text(raw, "civility", "La civilité", 8, errors)
    if civility and civility not in CIVILITIES:
        errors.append(("civility", "La civilité est « M. » ou « Mme »."))
    first_name = _text(raw, "first_name", "Le prénom", 80, errors)
    last_name = _text(raw, "last_name", "Le nom", 80, errors)
    matricule = _text(raw, "matricule", "Le matricule", 20, errors)
    if matricule and not _MATRICULE.fullmatch(matricule):
        errors.append(("matricule", "Le matricule ne contient que des lettres, chiffres et « _ . / - »."))
    email = _text(raw, "email", "L'adresse e-mail", 254, errors)
    if email and not _EMAIL.fullmatch(email):
        errors.append(("email", "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)."))
    phone = _text(raw, "phone", "Le téléphone", 30, errors)
    if phone and not (_PHONE.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 8):
        errors.append(("phone", "Le numéro de téléphone n'est pas valide."))
    birth_text = _text(raw, "birth_date", "La date de naissance", 10, errors)
    birth = today
    if birth_text:
        try:
            birth = date.fromisoformat(birth_text)
        except ValueError:
            errors.append(("birth_date", "La date de naissance s'écrit AAAA-MM-JJ."))
        else:
            if not date(1900, 1, 1) <= birth < today:
                errors.append(("birth_date", "La date de naissance n'est pas plausible."))
    address = _text(raw, "address", "L'adresse", 200, errors)
    if errors:
        raise RecipientErrors(errors)
    return RecipientInput(civility, first_name, last_name, matricule, email.lower(), phone, birth, address)


def create(
    session: Session, agency_id: int, data: RecipientInput, *, actor: Actor, now: datetime
) -> RecipientView:
    """A new employee of the agency's brand, linked to the agency. 409 if the matricule is taken."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("Établissement inconnu.")
    taken = Conflict(
        f"Le matricule « {data.matricule} » est déjà celui d'un salarié de la marque : "
        "cherchez-le parmi les destinataires.",
        code="matricule_taken",
    )
    if session.scalar(
        select(Employee.id).where(Employee.brand_id == agency.brand_id, Employee.matricule == data.matricule)
    ):
        raise taken
    employee = Employee(
        brand_id=agency.brand_id,
        matricule=data.matricule,
        civility=data.civility,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        phone=data.phone,
        birth_date=data.birth_date,
        address=data.address,
        created_at=now,
    )
    employee.agencies.append(EmployeeAgency(agency_id=agency.id, since=now))
    try:
        with session.begin_nested():
            session.add(employee)
            session.flush()
    except IntegrityError:
        raise taken from None  # created meanwhile by someone else
    audit.record(
        session,
        actor,
        "employee.created",
        "employee",
        employee.id,
        agency_id=agency.id,
        details={"matricule": employee.matricule, "origin": "diffusion"},
    )
    return view_of(employee)
