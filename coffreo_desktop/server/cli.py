"""``coffreo-server``: serve the API, create the demo group, migrate, verify the audit trail, invite staff,
create integration keys. Errors become a French message on stderr and exit code 2, never a traceback.

This module parses the arguments (argparse, in French) and dispatches; the commands are in ``cli_commands``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from coffreo_desktop.server.cli_commands import (
    EXIT_ERROR,
    EXIT_OK,
    cmd_audit_verify,
    cmd_demo,
    cmd_integration_key,
    cmd_invite,
    cmd_migrate,
    cmd_serve,
)
from coffreo_desktop.server.errors import DataDirError, ProblemError

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
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="adresses des proxys inverses dont les en-têtes X-Forwarded-* sont crus, séparées par des "
        "virgules (défaut : 127.0.0.1) ; ou COFFREO_TRUSTED_PROXIES",
    )
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
