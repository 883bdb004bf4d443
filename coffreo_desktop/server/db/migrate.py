"""Schema migrations with Alembic, applied at start, refusing a database written by a newer version."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from coffreo_desktop.server.errors import DataDirError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the database to the head revision; returns it. Refuses unknown (newer) revisions untouched."""
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
