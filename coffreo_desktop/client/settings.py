"""The desktop's settings: one small typed object saved as JSON in ``config_dir()/settings.json``.

No secret ever goes here (tokens live in the keyring). A damaged or foreign file gives the defaults back
with a warning in the log, so a bad file can never keep the application from starting.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coffreo_desktop.client import paths

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
#: A matricule is 4 to 10 digits not glued to other digits ("0042137_bulletin.pdf"), F3.9.
DEFAULT_MATRICULE_PATTERN = r"(?<![0-9])([0-9]{4,10})(?![0-9])"
LANGUAGES = ("fr", "en")


def default_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


@dataclass
class Settings:
    mode: Literal["local", "remote"] = "local"
    demo: bool = True
    server_url: str = ""
    last_email: str = ""
    remember_me: bool = False
    language: str = "fr"
    matricule_pattern: str = DEFAULT_MATRICULE_PATTERN

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the settings; a missing file gives the defaults, a damaged one too (with a warning)."""
        path = path or default_path()
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            log.warning("Réglages illisibles (%s) : valeurs par défaut utilisées", exc)
            return cls()
        try:
            data = json.loads(raw)
        except ValueError:
            log.warning("Fichier de réglages endommagé (%s) : valeurs par défaut utilisées", path)
            return cls()
        if not isinstance(data, dict):
            log.warning("Fichier de réglages inattendu (%s) : valeurs par défaut utilisées", path)
            return cls()
        return cls._from_dict(data)

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Settings:
        # Field by field: one wrong value falls back alone, the others are kept.
        settings = cls()
        for field in dataclasses.fields(cls):
            if field.name not in data:
                continue
            value = data[field.name]
            if _valid(field.name, value):
                setattr(settings, field.name, value)
            else:
                log.warning("Réglage « %s » incorrect : valeur par défaut utilisée", field.name)
        return settings

    def save(self, path: Path | None = None) -> None:
        """Write atomically (temporary file, fsync, rename): a crash leaves the old file or the new one."""
        path = path or default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2) + "\n"
        fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                tmp.write(text)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise


def _valid(name: str, value: Any) -> bool:
    if name == "mode":
        return value in ("local", "remote")
    if name in ("demo", "remember_me"):
        return isinstance(value, bool)
    if name == "language":
        return value in LANGUAGES
    if name == "matricule_pattern":
        return isinstance(value, str) and _compiles(value)
    return isinstance(value, str)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
