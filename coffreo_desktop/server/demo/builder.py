"""Builds the demo group: plans everything from the seed, renders the PDFs (two worker processes when
there are many), then writes the organisation, people, documents and activity in one transaction.

Every date derives from ``ctx.clock().date()``: the same seed on the same day gives the same rows
and the same PDF bytes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.periods import months_before
from coffreo_desktop.domain.processes import leave_with_parent, safe_to_spawn
from coffreo_desktop.domain.services import Service
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    BrandService,
    Company,
    Delivery,
    Document,
    RightGrant,
    StaffUser,
)
from coffreo_desktop.server.demo import (
    DEMO_BRAND_CODE,
    DEMO_DOMAIN,
    DEMO_USERS,
    Progress,
    demo_password,
    recipients,
)
from coffreo_desktop.server.demo.activity import (
    ActivityPlan,
    insert_campaigns,
    insert_followers,
    plan_activity,
)
from coffreo_desktop.server.demo.documents import (
    DocPlan,
    Spec,
    note_last_documents,
    plan_documents,
    render_pdf,
)
from coffreo_desktop.server.demo.people import (
    AgencyInfo,
    PeoplePlan,
    bulk_insert,
    insert_people,
    pick,
    plan_people,
)
from coffreo_desktop.server.security import hash_password
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

log = logging.getLogger(__name__)

BRAND = (DEMO_BRAND_CODE, "Alto Intérim")
COMPANIES = (
    (
        "Alto Intérim Île-de-France SAS",
        "812345678",
        (
            ("PAR11", "Paris 11e", "Paris", "42 boulevard Voltaire, 75011 Paris"),
            ("NAN", "Nanterre", "Nanterre", "15 avenue Joliot-Curie, 92000 Nanterre"),
            ("MLV", "Marne-la-Vallée", "Champs-sur-Marne", "8 cours du Danube, 77420 Champs-sur-Marne"),
        ),
    ),
    (
        "Alto Intérim Rhône-Alpes SAS",
        "823456789",
        (
            ("LYO", "Lyon Part-Dieu", "Lyon", "110 rue Garibaldi, 69003 Lyon"),
            ("VIL", "Villeurbanne", "Villeurbanne", "27 cours Émile-Zola, 69100 Villeurbanne"),
            ("GRE", "Grenoble", "Grenoble", "5 place Victor-Hugo, 38000 Grenoble"),
        ),
    ),
)
#: Below this many PDFs, starting worker processes costs more than it saves.
POOL_THRESHOLD = 400
#: Blob writes end with fsync: a few threads overlap the waits (the GIL is released meanwhile).
BLOB_WRITERS = 4
#: How long a terminated PDF worker may take to go before it is killed.
WORKER_EXIT_TIMEOUT = 3.0

# The PDF worker pools running now: a process that is told to stop mid-build (the embedded server,
# which leaves with os._exit) shuts them down first, or their processes would live on without a parent.
_pools: set[ProcessPoolExecutor] = set()
_pools_lock = threading.Lock()


def has_demo(ctx: AppContext) -> bool:
    with ctx.db.reader() as session:
        return session.scalar(select(Brand.id).where(Brand.code == BRAND[0])) is not None


def agency_infos() -> list[AgencyInfo]:
    return [
        AgencyInfo(code, f"Alto {name}", address, f"{siren}{number:05d}", region)
        for region, (_, siren, rows) in enumerate(COMPANIES)
        for number, (code, name, _city, address) in enumerate(rows, start=1)
    ]


def build_demo(ctx: AppContext, *, seed: int, scale: float = 1.0, progress: Progress | None = None) -> None:
    report = progress or (lambda done, total, label: None)
    report(0, 100, "Préparation des salariés, des clients et des missions")
    # Argon2 is slow on purpose and releases the GIL: hash the staff passwords while the PDFs are drawn,
    # and the recipients' in a second thread (in one, they would outlast the drawing of a small demo).
    with ThreadPoolExecutor(2, thread_name_prefix="demo-passwords") as background:
        staff = background.submit(_password_hashes, seed)
        others = background.submit(recipients.password_hashes, seed)
        plan = _plan_and_render(ctx, seed, scale, report)
        password_hashes = staff.result() | others.result()
    report(90, 100, "Enregistrement dans la base de données")
    _write(ctx, plan, seed, scale, password_hashes)
    report(100, 100, "Groupe de démonstration prêt")


def _password_hashes(seed: int) -> dict[str, str]:
    return {
        spec.local_part: hash_password(demo_password(seed, f"{spec.local_part}@{DEMO_DOMAIN}"))
        for spec in DEMO_USERS
    }


@dataclass
class _Plan:
    today: date
    window_start: date
    people: PeoplePlan
    documents: list[DocPlan]
    activity: ActivityPlan


def _plan_and_render(ctx: AppContext, seed: int, scale: float, report: Progress) -> _Plan:
    """Everything planned from the seed, and every PDF drawn and stored."""
    today = ctx.clock().date()
    window_start = months_before(today, 24).replace(day=1)
    infos = agency_infos()
    people = plan_people(seed, scale, today, window_start, infos)
    recipients.assign_addresses(people)
    docs, missions = plan_documents(seed, today, window_start, people, {a.code: a for a in infos})
    activity = plan_activity(seed, today, people, docs, missions)
    everything = docs + activity.campaign_docs
    note_last_documents(people, everything)

    def rendering(done: int, total: int) -> None:
        report(2 + 86 * done // max(total, 1), 100, f"Génération des documents PDF ({done} sur {total})")

    render_documents(ctx, docs, rendering)
    for campaign in activity.campaigns:
        for _title, data, _pages in campaign.notices:
            ctx.blobs.put_bytes(data)
    return _Plan(today, window_start, people, everything, activity)


def _write(ctx: AppContext, plan: _Plan, seed: int, scale: float, password_hashes: dict[str, str]) -> None:
    """One transaction: a failure leaves no half-built demo behind (``has_demo`` stays false)."""
    people, everything, activity, today = plan.people, plan.documents, plan.activity, plan.today
    with ctx.db.writer() as session, session.begin():
        brand_id, agency_ids, staff_ids = _organisation(session, plan.window_start, password_hashes)
        employee_ids, client_ids = insert_people(session, people, brand_id, agency_ids)
        recipients.insert_accounts(session, people, password_hashes)
        campaign_ids = insert_campaigns(
            session, activity, brand_id=brand_id, agency_ids=agency_ids, staff_ids=staff_ids
        )
        document_ids = insert_documents(
            session,
            everything,
            agency_ids=agency_ids,
            employee_ids=employee_ids,
            client_ids=client_ids,
            campaign_ids=campaign_ids,
        )
        insert_followers(
            session,
            activity,
            agency_ids=agency_ids,
            staff_ids=staff_ids,
            employee_ids=employee_ids,
            campaign_ids=campaign_ids,
            document_ids=document_ids,
        )
        audit.record(
            session,
            Actor.system(),
            "demo.created",
            "brand",
            brand_id,
            details={
                "seed": seed,
                "scale": scale,
                "today": today.isoformat(),
                "employees": len(employee_ids),
                "clients": len(client_ids),
                "documents": len(document_ids),
            },
        )


def _organisation(
    session: Session, window_start: date, password_hashes: dict[str, str]
) -> tuple[int, dict[str, int], dict[str, int]]:
    """The brand, its companies and agencies, and the demo staff with their rights."""
    founded = datetime.combine(window_start - timedelta(days=400), time(8, 0), UTC)
    brand = Brand(code=BRAND[0], name=BRAND[1], created_at=founded)
    session.add(brand)
    session.flush()
    session.add_all(BrandService(brand_id=brand.id, service=s, enabled_at=founded) for s in Service)
    agencies: dict[str, Agency] = {}
    for company_name, siren, agency_rows in COMPANIES:
        company = Company(brand_id=brand.id, name=company_name, siren=siren, created_at=founded)
        session.add(company)
        session.flush()
        for index, (code, name, city, address) in enumerate(agency_rows, start=1):
            agency = Agency(
                company_id=company.id,
                brand_id=brand.id,
                code=code,
                name=f"Alto {name}",
                city=city,
                address=address,
                siret=f"{siren}{index:05d}",
                created_at=founded,
            )
            session.add(agency)
            agencies[code] = agency
    session.flush()
    staff: dict[str, int] = {}
    for spec in DEMO_USERS:
        email = f"{spec.local_part}@{DEMO_DOMAIN}"
        user = StaffUser(
            email=email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            password_hash=password_hashes[spec.local_part],
            created_at=founded,
            activated_at=founded,
        )
        session.add(user)
        session.flush()
        staff[spec.local_part] = user.id
        for code, rights in spec.agency_rights.items():
            targets = agencies.values() if code == "*" else [agencies[code]]
            session.add_all(
                RightGrant(user_id=user.id, right=r, agency_id=a.id, created_at=founded)
                for a in targets
                for r in rights
            )
        session.add_all(
            RightGrant(user_id=user.id, right=r, brand_id=brand.id, created_at=founded)
            for r in spec.brand_rights
        )
    session.flush()
    return brand.id, {code: a.id for code, a in agencies.items()}, staff


# -- PDFs ------------------------------------------------------------------------------------------


def render_documents(ctx: AppContext, docs: list[DocPlan], report: Callable[[int, int], None]) -> None:
    """Draw every planned PDF and store it; fills in each document's blob_sha256, size and pages."""
    todo = [d for d in docs if d.spec is not None]
    total = len(todo)
    writes: list[tuple[DocPlan, Future[str]]] = []
    with ThreadPoolExecutor(BLOB_WRITERS, thread_name_prefix="demo-blobs") as writers:
        for done, (doc, (data, pages)) in enumerate(
            zip(todo, _rendered([d.spec for d in todo]), strict=True), 1
        ):
            doc.size, doc.pages = len(data), pages
            writes.append((doc, writers.submit(ctx.blobs.put_bytes, data)))
            if done % 100 == 0 or done == total:
                report(done, total)
        for doc, future in writes:
            doc.blob_sha256 = future.result()


def _rendered(specs: list[Spec | None]) -> Iterator[tuple[bytes, int]]:
    """The PDFs in order: in two worker processes when there are many, else (or on failure) here."""
    ready = [s for s in specs if s is not None]
    workers = min(2, os.cpu_count() or 1)
    produced = 0
    if len(ready) >= POOL_THRESHOLD and workers > 1 and safe_to_spawn():
        try:
            # "spawn": the desktop calls this from a worker thread of a Qt process, which must not fork.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=leave_with_parent) as pool:
                with _pools_lock:
                    _pools.add(pool)
                try:
                    for result in pool.map(render_pdf, ready, chunksize=32):
                        produced += 1
                        yield result
                finally:
                    with _pools_lock:
                        _pools.discard(pool)
        except (BrokenProcessPool, OSError):
            log.warning("Génération parallèle des PDF impossible, poursuite dans ce processus", exc_info=True)
    yield from map(render_pdf, ready[produced:])


def shutdown_workers() -> None:
    """Stop every PDF worker now (pending work cancelled, busy workers terminated), before an os._exit."""
    with _pools_lock:
        pools = list(_pools)
        _pools.clear()
    for pool in pools:
        # Python 3.11 has no public way to reach the worker processes (terminate_workers is 3.14).
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(WORKER_EXIT_TIMEOUT)
            if process.is_alive():
                process.kill()


# -- documents -------------------------------------------------------------------------------------


DOCUMENT_COLUMNS = (
    "doc_type, title, file_name, blob_sha256, size, pages, document_date, period_start, period_end, "
    "contract_number, invoice_number, client_name, protection, signature_state, signed_at, invoice_state, "
    "is_cadre, origin"
)
DELIVERY_COLUMNS = "delivered_at, first_opened_at, first_downloaded_at, validated_at"


def insert_documents(
    session: Session,
    docs: list[DocPlan],
    *,
    agency_ids: dict[str, int],
    employee_ids: list[int],
    client_ids: list[int],
    campaign_ids: list[int],
) -> list[int]:
    """Insert the documents and one delivery each (none for a payslip sent on paper); return the ids."""
    rows = []
    for d in docs:
        last, first, matricule = d.names or (None, None, None)
        recipient = {
            "employee_id": None if d.employee is None else employee_ids[d.employee],
            "client_id": None if d.client is None else client_ids[d.client],
        }
        rows.append(
            {
                **pick(d, DOCUMENT_COLUMNS),
                **recipient,
                "agency_id": agency_ids[d.agency],
                "employee_last_name": last,
                "employee_first_name": first,
                "matricule": matricule,
                "campaign_id": None if d.campaign is None else campaign_ids[d.campaign],
                "created_at": d.delivered_at,
                "changed_at": max(t for t in (d.delivered_at, d.signed_at, d.validated_at) if t is not None),
            }
        )
    ids = bulk_insert(session, Document, rows)
    deliveries = [
        {
            **pick(d, DELIVERY_COLUMNS),
            "document_id": ids[n],
            "employee_id": row["employee_id"],
            "client_id": row["client_id"],
        }
        for n, (d, row) in enumerate(zip(docs, rows, strict=True))
        if d.delivered
    ]
    bulk_insert(session, Delivery, deliveries, returning=False)
    return ids
