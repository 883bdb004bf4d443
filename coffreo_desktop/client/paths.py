"""Every folder the desktop writes to, from platformdirs; ``COFFREO_DESKTOP_HOME`` puts all under one root.

The override serves tests and development: a throw-away root keeps a developer's real data untouched.
Folders are created on first use, private to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Coffreo Desktop"
APP_AUTHOR = "Coffreo"
HOME_ENV = "COFFREO_DESKTOP_HOME"


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _override() -> Path | None:
    root = os.environ.get(HOME_ENV, "").strip()
    return Path(root).expanduser() if root else None


def _dirs() -> platformdirs.PlatformDirs:
    return platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)


def data_dir() -> Path:
    """Durable user data: the embedded server's database and blobs, the offline cache."""
    root = _override()
    return _ensure(root / "data" if root else _dirs().user_data_path)


def config_dir() -> Path:
    """Small settings files (settings.json); never a secret."""
    root = _override()
    return _ensure(root / "config" if root else _dirs().user_config_path)


def cache_dir() -> Path:
    """What can be rebuilt: thumbnails, temporary downloads."""
    root = _override()
    return _ensure(root / "cache" if root else _dirs().user_cache_path)


def log_dir() -> Path:
    """Rotating log files (no personal data, no secret)."""
    root = _override()
    return _ensure(root / "logs" if root else _dirs().user_log_path)


def embedded_data_dir(*, demo: bool) -> Path:
    """The data dir of the embedded ("Mode local") server: SQLite database, blobs, mail outbox.

    The demo group has its own folder: its accounts, whose passwords are published, must never reach
    a real local database, and "Mode local" without the demo must not serve them.
    """
    return data_dir() / ("serveur-demo" if demo else "serveur-local")
