"""``coffreo-server``: serve the API, create the demo group, migrate, verify the audit trail, invite staff,
create integration keys. Errors become a French message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from coffreo_desktop.domain.rights import MATRIX_ORDER, Right
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.errors import DataDirError, Invalid, NotFound, ProblemError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

# argparse speaks English; its common messages are translated here rather than by patching the module.
_ARGPARSE_FRENCH = (
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"argument \1 : choix invalide \2 (possibles : \3)",
    ),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argument \1 : valeur invalide \3"),
    (r"argument (\S+): expected one argument", r"argument \1 : une valeur est attendue"),
)


class FrenchFormatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: object, groups: object, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)  # type: ignore[arg-type]


class FrenchParser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", FrenchFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._optionals.title = "options"
        self._positionals.title = "commandes"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        for pattern, french in _ARGPARSE_FRENCH:
            message = re.sub(pattern, french, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog} : erreur : {message}\n")


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


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from coffreo_desktop.server.app import create_app

    settings = _settings(
        args,
        mode="remote",
        host=args.host,
        port=args.port,
        smtp_url=args.smtp_url,
        public_url=args.public_url,
    )
    _check_smtp(settings)
    if not 0 < settings.port < 65536:
        raise Invalid(f"Port invalide : {settings.port}.")
    revision = _prepare(settings, must_exist=False)
    print(
        f"Coffreo écoute sur http://{settings.host}:{settings.port} (données : {settings.data_dir}, "
        f"schéma {revision}).",
        file=sys.stderr,
    )
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return EXIT_OK


def _accounts_table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("Profil", "Adresse e-mail", "Mot de passe", "Droits")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3]
        )
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * len(header[3]))
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from coffreo_desktop.server.demo import demo_accounts, ensure_demo

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
    if args.json:
        payload = {
            "accounts": [
                {"email": a.email, "password": a.password, "label": a.label, "rights": a.summary}
                for a in accounts
            ],
            "created": created,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("Comptes du groupe de démonstration :\n")
        print(_accounts_table([(a.label, a.email, a.password, a.summary) for a in accounts]))
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


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        required=True,
        metavar="DOSSIER",
        help="dossier des données (base SQLite, documents, boîte d'envoi)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="base PostgreSQL (postgresql+psycopg://…) au lieu de SQLite ; ou COFFREO_DATABASE_URL",
    )


def _mail_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--smtp-url",
        metavar="URL",
        help="serveur d'envoi smtp://utilisateur:mdp@hôte:port ou smtps://… ; "
        "sans lui, les e-mails sont des fichiers .eml dans DOSSIER/outbox",
    )
    parser.add_argument(
        "--public-url", metavar="URL", help="adresse publique du serveur, base des liens des e-mails"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="coffreo-server", description="Serveur Coffreo : API, données et outils d'exploitation."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMANDE", parser_class=FrenchParser
    )

    serve = commands.add_parser("serve", help="lancer le serveur HTTP (mode distant)")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port d'écoute (défaut : 8765)")
    _mail_options(serve)
    serve.set_defaults(handler=cmd_serve)

    demo = commands.add_parser("demo", help="créer le groupe de démonstration et afficher ses comptes")
    _common(demo)
    demo.add_argument("--json", action="store_true", help="afficher les comptes en JSON")
    demo.add_argument(
        "--scale", type=float, default=1.0, help="taille relative du jeu de données (défaut : 1)"
    )
    demo.add_argument(
        "--seed", type=int, default=None, help="graine du générateur (défaut : celle de la démo)"
    )
    demo.set_defaults(handler=cmd_demo)

    migrate = commands.add_parser("migrate", help="mettre la base de données au dernier schéma")
    _common(migrate)
    migrate.set_defaults(handler=cmd_migrate)

    audit = commands.add_parser("audit", help="journal d'audit")
    audit_commands = audit.add_subparsers(
        dest="audit_command", required=True, metavar="COMMANDE", parser_class=FrenchParser
    )
    verify = audit_commands.add_parser(
        "verify", help="vérifier qu'aucun événement n'a été modifié ou supprimé"
    )
    _common(verify)
    verify.set_defaults(handler=cmd_audit_verify)

    invite = commands.add_parser("invite", help="créer un utilisateur et lui envoyer son invitation")
    _common(invite)
    invite.add_argument("--email", required=True, help="adresse e-mail, identifiant de connexion")
    invite.add_argument("--first-name", required=True, metavar="PRÉNOM")
    invite.add_argument("--last-name", required=True, metavar="NOM")
    invite.add_argument(
        "--agency", action="append", required=True, metavar="CODE", help="code d'agence (répétable)"
    )
    invite.add_argument(
        "--rights",
        action="append",
        metavar="A,D,DL",
        help="droits sur l'agence de même rang, ou sur toutes si donné une fois (défaut : tous)",
    )
    invite.add_argument("--brand", metavar="CODE", help="marque pour --brand-rights")
    invite.add_argument("--brand-rights", metavar="D", help="droits sur la marque (réservé à l'opérateur)")
    _mail_options(invite)
    invite.set_defaults(handler=cmd_invite)

    key = commands.add_parser(
        "integration-key", help="créer une clé d'API pour le dépôt paie/ERP d'une marque"
    )
    _common(key)
    key.add_argument("--brand", required=True, metavar="CODE", help="code de la marque")
    key.add_argument("--name", required=True, metavar="NOM", help="nom de la clé (ex. « Paie Silae »)")
    key.set_defaults(handler=cmd_integration_key)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from coffreo_desktop.server.demo import DEMO_SEED

        args.seed = DEMO_SEED
    if getattr(args, "brand_rights", None) and not args.brand:
        print("coffreo-server : erreur : --brand-rights demande --brand CODE.", file=sys.stderr)
        return EXIT_ERROR
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (DataDirError, ProblemError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
    except (OperationalError, ArgumentError, DBAPIError) as exc:
        print(
            f"Erreur : base de données inaccessible ({type(exc).__name__} : {_first_line(exc)}).",
            file=sys.stderr,
        )
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush from failing again
        return EXIT_OK
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    return EXIT_ERROR


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
