"""Builds the demo group: organisation and staff here; people and documents in their own modules."""

from __future__ import annotations

from sqlalchemy import select

from coffreo_desktop.domain.services import Service
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import Agency, Brand, BrandService, Company, RightGrant, StaffUser
from coffreo_desktop.server.demo import DEMO_DOMAIN, DEMO_USERS, Progress, demo_password
from coffreo_desktop.server.security import hash_password
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

BRAND = ("ALTO", "Alto Intérim")
COMPANIES = (
    ("Alto Intérim Île-de-France SAS", "812345678", (
        ("PAR11", "Paris 11e", "Paris", "42 boulevard Voltaire, 75011 Paris"),
        ("NAN", "Nanterre", "Nanterre", "15 avenue Joliot-Curie, 92000 Nanterre"),
        ("MLV", "Marne-la-Vallée", "Champs-sur-Marne", "8 cours du Danube, 77420 Champs-sur-Marne"),
    )),
    ("Alto Intérim Rhône-Alpes SAS", "823456789", (
        ("LYO", "Lyon Part-Dieu", "Lyon", "110 rue Garibaldi, 69003 Lyon"),
        ("VIL", "Villeurbanne", "Villeurbanne", "27 cours Émile-Zola, 69100 Villeurbanne"),
        ("GRE", "Grenoble", "Grenoble", "5 place Victor-Hugo, 38000 Grenoble"),
    )),
)


def has_demo(ctx: AppContext) -> bool:
    with ctx.db.reader() as session:
        return session.scalar(select(Brand.id).where(Brand.code == BRAND[0])) is not None


def build_demo(ctx: AppContext, *, seed: int, scale: float = 1.0, progress: Progress | None = None) -> None:
    report = progress or (lambda done, total, label: None)
    report(0, 100, "Création de l'organisation")
    now = ctx.clock()
    with ctx.db.writer() as session, session.begin():
        brand = Brand(code=BRAND[0], name=BRAND[1], created_at=now)
        session.add(brand)
        session.flush()
        session.add_all(BrandService(brand_id=brand.id, service=s, enabled_at=now) for s in Service)
        agencies: dict[str, Agency] = {}
        for company_name, siren, agency_rows in COMPANIES:
            company = Company(brand_id=brand.id, name=company_name, siren=siren, created_at=now)
            session.add(company)
            session.flush()
            for index, (code, name, city, address) in enumerate(agency_rows, start=1):
                agency = Agency(company_id=company.id, brand_id=brand.id, code=code, name=f"Alto {name}", city=city,
                                address=address, siret=f"{siren}{index:05d}", created_at=now)
                session.add(agency)
                agencies[code] = agency
        session.flush()
        for spec in DEMO_USERS:
            email = f"{spec.local_part}@{DEMO_DOMAIN}"
            user = StaffUser(email=email, first_name=spec.first_name, last_name=spec.last_name,
                             password_hash=hash_password(demo_password(seed, email)), created_at=now,
                             activated_at=now)
            session.add(user)
            session.flush()
            for code, rights in spec.agency_rights.items():
                targets = agencies.values() if code == "*" else [agencies[code]]
                session.add_all(RightGrant(user_id=user.id, right=r, agency_id=a.id, created_at=now)
                                for a in targets for r in rights)
            session.add_all(RightGrant(user_id=user.id, right=r, brand_id=brand.id, created_at=now)
                            for r in spec.brand_rights)
        audit.record(session, Actor.system(), "demo.created", "brand", brand.id, details={"seed": seed, "scale": scale})
    report(100, 100, "Groupe de démonstration prêt")
