"""The log file holds no e-mail address and no token: messages, tracebacks and the embedded server's lines."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from coffreo_desktop import embedded
from coffreo_desktop.gui import errors

EMAIL = "claire.martin@alto-interim.fr"
ACCESS = "at_" + "Xy7-kQ_2" * 6  # the server's tokens: a prefix and 43 URL-safe characters
REFRESH = "rt_" + "pL9_w-Zc" * 6
INVITATION = "inv_" + "Mn3sT-8_" * 6
API_KEY = "ck_" + "a1B2-c3_" * 6
SECRETS = (EMAIL, ACCESS, REFRESH, INVITATION, API_KEY)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The application's logging, set up into a private folder and taken down after the test."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = errors.setup_logging(tmp_path / "logs")
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _written(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text or secret[4:] in text]


def test_traceback_of_an_error_is_written_without_secrets(log_file: Path) -> None:
    try:
        raise RuntimeError(f"refus pour {EMAIL} : Authorization {ACCESS}, jeton {REFRESH}")
    except RuntimeError:
        logging.getLogger("coffreo_desktop.test").exception("échec de la requête")
    text = _written(log_file)
    assert "Traceback (most recent call last)" in text and "RuntimeError: refus pour <e-mail>" in text
    assert _leaks(text) == []


def test_message_arguments_are_redacted(log_file: Path) -> None:
    logging.getLogger("coffreo_desktop.test").warning(
        "invitation %s pour %s, clé %s", INVITATION, EMAIL, API_KEY
    )
    text = _written(log_file)
    assert "invitation inv_*** pour <e-mail>, clé ck_***" in text
    assert _leaks(text) == []


def test_embedded_server_lines_are_redacted_traceback_included(log_file: Path) -> None:
    child_stderr = io.StringIO(
        "ERROR coffreo_desktop.server: Exception in ASGI application\n"
        "Traceback (most recent call last):\n"
        f'  File "app.py", line 1, in refresh\n'
        f"ValueError: jeton {REFRESH} de {EMAIL} refusé\n"
        f"WARNING uvicorn: Bearer {ACCESS}\n"
    )
    embedded._forward_log(child_stderr)
    text = _written(log_file)
    assert "ValueError: jeton rt_*** de <e-mail> refusé" in text
    assert _leaks(text) == []


def test_ordinary_names_are_left_readable() -> None:
    assert (
        errors.redact("contrainte ck_campaigns_one_scope violée")
        == "contrainte ck_campaigns_one_scope violée"
    )
    assert errors.redact("format_at_start") == "format_at_start"
