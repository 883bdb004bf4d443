"""Settings saved as JSON under the config dir, tolerant of damage; every path from platformdirs."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import platformdirs
import pytest

from coffreo_desktop.client import paths
from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN, Settings


def test_settings_round_trip_through_the_config_dir(desktop_home: Path) -> None:
    chosen = Settings(
        mode="remote",
        demo=False,
        server_url="https://serveur.exemple.fr",
        last_email="marie.durand@exemple.fr",
        remember_me=True,
        language="en",
        matricule_pattern=r"M([0-9]{6})",
    )
    chosen.save()

    assert (desktop_home / "config" / "settings.json").is_file()
    assert Settings.load() == chosen


def test_missing_settings_give_the_defaults(desktop_home: Path) -> None:
    settings = Settings.load()
    assert settings == Settings()
    assert (
        settings.mode == "local" and settings.demo and settings.matricule_pattern == DEFAULT_MATRICULE_PATTERN
    )


@pytest.mark.parametrize(
    "content", ['{"mode": "remote", "server_url": "https://ser', "[1, 2]", "\x00\xff", ""]
)
def test_damaged_settings_file_gives_defaults_and_a_warning(
    desktop_home: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = paths.config_dir() / "settings.json"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="coffreo_desktop.client.settings"):
        assert Settings.load() == Settings()
    assert caplog.records, "a damaged file must be reported in the log"


def test_one_wrong_value_falls_back_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "mode": "cloud",
                "demo": "oui",
                "server_url": "https://serveur.exemple.fr",
                "language": "de",
                "matricule_pattern": "([0-9]",
                "remember_me": True,
                "unknown_key": 1,
            }
        ),
        encoding="utf-8",
    )
    settings = Settings.load(path)
    assert settings.mode == "local"
    assert settings.demo is True
    assert settings.language == "fr"
    assert settings.matricule_pattern == DEFAULT_MATRICULE_PATTERN
    assert settings.server_url == "https://serveur.exemple.fr"
    assert settings.remember_me is True


def test_save_replaces_the_file_without_leaving_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    Settings(last_email="a@exemple.fr").save(path)
    Settings(last_email="b@exemple.fr").save(path)
    assert Settings.load(path).last_email == "b@exemple.fr"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_settings_hold_no_secret_field() -> None:
    names = set(Settings.__dataclass_fields__)
    assert not {n for n in names if "token" in n or "password" in n or "secret" in n}


def test_home_override_puts_every_folder_under_one_root(desktop_home: Path) -> None:
    folders = [paths.data_dir(), paths.config_dir(), paths.cache_dir(), paths.log_dir()]
    assert len(set(folders)) == 4
    for folder in folders:
        assert folder.is_dir()
        assert folder.parent == desktop_home
    assert paths.embedded_data_dir(demo=False) == paths.data_dir() / "serveur-local"
    assert paths.embedded_data_dir(demo=True) == paths.data_dir() / "serveur-demo"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG variables redirect platformdirs on Linux only")
def test_without_override_paths_come_from_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    # Redirect the XDG roots so that the test never touches the real home (Linux CI).
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    dirs = platformdirs.PlatformDirs("Coffreo Desktop", "Coffreo")
    assert paths.data_dir() == dirs.user_data_path
    assert paths.config_dir() == dirs.user_config_path
    assert paths.cache_dir() == dirs.user_cache_path
    assert paths.log_dir() == dirs.user_log_path
    assert str(paths.data_dir()).startswith(str(tmp_path))
