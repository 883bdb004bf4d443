"""A keyring backend for the start-up benchmark only: it must outlive one process, so it is a JSON file
in the benchmark's temporary folder. Selected with PYTHON_KEYRING_BACKEND; never used by the app itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend


class BenchKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["COFFREO_BENCH_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}\n{username}", None)
        self._path.write_text(json.dumps(data))
