"""What each ``coffreo-server`` command does; ``cli`` parses the arguments and turns errors into French
messages. A handler returns the exit code, or raises a ``ProblemError`` or ``DataDirError``.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import logging
import re
import sys
import time
from typing import Any

from sqlalchemy import select

from coffreo_desktop.domain.rights import MATRIX_ORDER, Right
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.errors import DataDirError, Invalid, NotFound

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _settings(args: argparse.Namespace, **overrides: object) -> ServerSettings:
    return ServerSettings.from_env(args.data_dir, database_url=args.database_url, **overrides)


def _prepare(settings: ServerSettings, *, must_exist: bool) -> str:
    from coffreo_desktop.server.app import prepare

    if must_exist and settings.database_url is None and not (settings.data_dir / "coffreo.sqlite3").is_file():
        raise DataDirError(
            f"Aucune base Coffreo dans {settings.data_dir} : lancez d'abord "
            "« coffreo-server migrate » (ou « demo ») avec ce dossier."
        )
    return prepare(settings)


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def _check_smtp(settings: ServerSettings) -> None:
    from coffreo_desktop.server.mail.sender import parse_smtp_url

    if settings.smtp_url:
        try:
            parse_smtp_url(settings.smtp_url)
        except ValueError as exc:
            raise Invalid(str(exc), code="invalid_smtp_url") from None


#: Tokens that may travel in a URL path (invitation links) or by mistake in one: never in the access log.
_URL_TOKEN = re.compile(r"(?<![\w-])(inv|act|exp|at|rt|ck|rat|rrt)_[\w-]{16,}")


def redact_tokens(text: str) -> str:
    return _URL_TOKEN.sub(r"\1_***", text)


class RedactTokens(logging.Filter):
    """On "uvicorn.access": masks tokens in the logged request line (GET /invitation/inv_… → inv_***).

    A log file is read by more people, and kept longer, than the invitation link stays valid.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        return True


def serve_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration, with RedactTokens on its access logger."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": f"{__name__}.RedactTokens"}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_tokens"]
    return config


def serve_settings(args: argparse.Namespace) -> ServerSettings:
    return _settings(
        args,
        mode="remote",
        host=args.host,
        port=args.port,
        smtp_url=args.smtp_url,
        public_url=args.public_url,
        trusted_proxies=args.forwarded_allow_ips,
    )


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """Keyword arguments of ``uvicorn.run`` for ``serve``.

    X-Forwarded-For and -Proto are honoured from ``settings.trusted_proxies`` only (see ServerSettings):
    behind a TLS proxy on another host this is how clients keep their own address.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "log_config": serve_log_config(),
        "proxy_headers": True,
        "forwarded_allow_ips": settings.trusted_proxies,
    }


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from coffreo_desktop.server.app import create_app

    settings = serve_settings(args)
    _check_smtp(settings)
    if not 0 < settings.port < 65536:
        raise Invalid(f"Port invalide : {settings.port}.")
    revision = _prepare(settings, must_exist=False)
    print(
        f"Coffreo écoute sur http://{settings.host}:{settings.port} (données : {settings.data_dir}, "
        f"schéma {revision}).",
        file=sys.stderr,
    )
    app = create_app(settings)
    # What is alive now (modules, the app, its routes and models) lives as long as the process: out of the
    # cyclic collector's sight, a full collection walks only what requests made since (without it, one
    # request in ten paid 100–150 ms for it: tests/bench/test_admin_rights_bench.py).
    gc.freeze()
    uvicorn.run(app, **uvicorn_options(settings))
    return EXIT_OK


def _accounts_table(rows: list[tuple[str, str, str, str]], last: str = "Droits") -> str:
    header = ("Profil", "Adresse e-mail", "Mot de passe", last)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3]
        )
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * len(header[3]))
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from coffreo_desktop.server.demo import demo_accounts, demo_recipient_accounts, ensure_demo

    settings = _settings(args)
    started = time.perf_counter()
    _prepare(settings, must_exist=False)
    last_label = [""]

    def progress(done: int, total: int, label: str) -> None:
        if label != last_label[0]:
            last_label[0] = label
            print(f"{label}…" if done < total else label, file=sys.stderr)

    created = ensure_demo(settings, seed=args.seed, scale=args.scale, progress=progress)
    elapsed = time.perf_counter() - started
    accounts = demo_accounts(args.seed)
    # Kept apart from the staff logins: a recipient logs into their vault or company space, not the desktop.
    recipients = demo_recipient_accounts(args.seed)
    if args.json:
        payload = {
            "accounts": [
                {"email": a.email, "password": a.password, "label": a.label, "rights": a.summary}
                for a in accounts
            ],
            "recipient_accounts": [
                {
                    "email": r.email,
                    "password": r.password,
                    "kind": r.kind,
                    "label": r.label,
                    "access": r.summary,
                }
                for r in recipients
            ],
            "created": created,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("Comptes du groupe de démonstration :\n")
        print(_accounts_table([(a.label, a.email, a.password, a.summary) for a in accounts]))
        print("\nComptes destinataires (coffre salarié, espace entreprise) :")
        print("Ils se connectent à leur coffre-fort ou à l'espace de leur entreprise, pas à Coffreo Desktop.")
        print()
        print(_accounts_table([(r.label, r.email, r.password, r.summary) for r in recipients], "Accès"))
    done = "créé" if created else "déjà présent, rien n'a été modifié"
    print(f"Groupe de démonstration {done} ({_seconds(elapsed)}).", file=sys.stderr)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    revision = _prepare(_settings(args), must_exist=False)
    print(f"Base de données à jour : révision {revision}.")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from coffreo_desktop.server.db.engine import Database
    from coffreo_desktop.server.services import audit

    settings = _settings(args)
    _prepare(settings, must_exist=True)
    db = Database(settings.db_url)
    try:
        with db.reader() as session:
            result = audit.verify(session)
    finally:
        db.dispose()
    if result.ok:
        plural = "s" if result.checked > 1 else ""
        print(f"Journal d'audit intègre : {result.checked} événement{plural} vérifié{plural}.")
        return EXIT_OK
    print(
        f"Journal d'audit altéré : première ligne en défaut n° {result.first_bad_id} ({result.reason}). "
        f"{result.checked} événement(s) intègre(s) avant elle."
    )
    return EXIT_FAILED


def _parse_rights(text: str) -> list[Right]:
    rights = []
    for part in filter(None, (p.strip().upper() for p in text.split(","))):
        try:
            rights.append(Right(part))
        except ValueError:
            raise Invalid(
                f"Droit inconnu : « {part} ». Droits possibles : {', '.join(MATRIX_ORDER)}.",
                code="unknown_right",
            ) from None
    return rights


def cmd_invite(args: argparse.Namespace) -> int:
    from coffreo_desktop.server.db.engine import Database
    from coffreo_desktop.server.db.models import Agency, Brand, utcnow
    from coffreo_desktop.server.mail.sender import MailSender
    from coffreo_desktop.server.services import staff
    from coffreo_desktop.server.services.audit import Actor

    settings = _settings(args, smtp_url=args.smtp_url, public_url=args.public_url)
    _check_smtp(settings)
    rights_lists = [_parse_rights(r) for r in args.rights or [",".join(MATRIX_ORDER)]]
    if len(rights_lists) not in (1, len(args.agency)):
        raise Invalid(
            "Donnez un seul --rights pour toutes les agences, ou un --rights par --agency, dans l'ordre."
        )
    _prepare(settings, must_exist=True)
    db = Database(settings.db_url)
    try:
        with db.writer() as session, session.begin():
            grants: dict[int, list[Right]] = {}
            for index, code in enumerate(args.agency):
                agency_id = session.scalar(select(Agency.id).where(Agency.code == code))
                if agency_id is None:
                    raise NotFound(f"Agence inconnue : « {code} ».", code="unknown_agency")
                grants[agency_id] = rights_lists[0 if len(rights_lists) == 1 else index]
            brand_grants: dict[int, list[Right]] = {}
            if args.brand_rights:
                brand_id = session.scalar(select(Brand.id).where(Brand.code == args.brand))
                if brand_id is None:
                    raise NotFound(f"Marque inconnue : « {args.brand} ».", code="unknown_brand")
                brand_grants[brand_id] = _parse_rights(args.brand_rights)
            invited = staff.invite_staff(
                session,
                actor=Actor.system(),
                email=args.email,
                first_name=args.first_name,
                last_name=args.last_name,
                grants=grants,
                brand_grants=brand_grants,
                settings=settings,
                now=utcnow(),
            )
            email, link, mail_id = invited.user.email, invited.link, invited.mail_id
        report = MailSender(db, settings, utcnow).flush(ids=[mail_id], force=True)
    finally:
        db.dispose()
    print(link)
    if report.sent:
        where = "par SMTP" if settings.smtp_url else f"dans {settings.outbox_dir}"
        print(f"Invitation de {email} créée ; e-mail envoyé {where}.", file=sys.stderr)
    else:
        print(
            f"Invitation de {email} créée ; l'e-mail n'a pas pu partir "
            f"({report.transport_error or 'refusé'}), "
            "le serveur réessaiera.",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_integration_key(args: argparse.Namespace) -> int:
    from coffreo_desktop.server.db.engine import Database
    from coffreo_desktop.server.db.models import Brand, IntegrationKey, utcnow
    from coffreo_desktop.server.security import new_token, token_hash
    from coffreo_desktop.server.services import audit
    from coffreo_desktop.server.services.audit import Actor

    name = " ".join(args.name.split())
    if not name or len(name) > 80:
        raise Invalid("Le nom de la clé est obligatoire (80 caractères au plus).", code="invalid_name")
    settings = _settings(args)
    _prepare(settings, must_exist=True)
    key = new_token("ck_")
    db = Database(settings.db_url)
    try:
        with db.writer() as session, session.begin():
            brand = session.scalars(select(Brand).where(Brand.code == args.brand)).first()
            if brand is None:
                raise NotFound(f"Marque inconnue : « {args.brand} ».", code="unknown_brand")
            row = IntegrationKey(brand_id=brand.id, name=name, key_hash=token_hash(key), created_at=utcnow())
            session.add(row)
            session.flush()
            audit.record(
                session,
                Actor.system(),
                "integration_key.created",
                "integration_key",
                row.id,
                details={"brand_id": brand.id, "name": name},
            )
            brand_name = brand.name
    finally:
        db.dispose()
    print(key)
    print(
        f"Clé d'intégration « {name} » créée pour {brand_name}. Conservez-la maintenant : elle ne sera plus "
        "affichée (seule son empreinte est enregistrée).",
        file=sys.stderr,
    )
    return EXIT_OK
