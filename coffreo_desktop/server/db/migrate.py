"""Schema migrations with Alembic, applied at start, refusing a database written by a newer version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from coffreo_desktop.server.errors import DataDirError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest revision in migrations/versions. A test checks it against Alembic's own head, and it lets
#: an up-to-date database start without loading Alembic at all (a tenth of a second of every start).
HEAD_REVISION = "0008"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read with one query; None when there is none."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (DatabaseError, OperationalError):
        return None


def upgrade(engine: Engine) -> str:
    """Bring the database to the head revision; returns it. Refuses unknown (newer) revisions untouched."""
    if _stored_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        current = current_revision(engine)
        tables = set(inspect(engine).get_table_names())
    except (DatabaseError, OperationalError) as exc:
        raise DataDirError(
            f"La base de données est illisible ou endommagée ({exc.__class__.__name__}). "
            "Rien n'a été modifié ; restaurez une sauvegarde ou choisissez un autre dossier."
        ) from exc
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DataDirError(
            f"Ces données ont été enregistrées par une version plus récente de Coffreo (révision {current}). "
            "Mettez l'application à jour ; rien n'a été modifié."
        )
    if current is None and tables - {"alembic_version"}:
        raise DataDirError(
            "La base de données contient des tables inconnues de Coffreo. Rien n'a été modifié ; "
            "choisissez un dossier vide ou une base Coffreo."
        )
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()
