"""The wheel's package list (pyproject.toml) names every folder of coffreo_desktop/ and of resources/,
so that a plain `pip install .` ships all the code, the migrations, the templates and the resources."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _folders(root: Path, prefix: str) -> set[str]:
    found = {prefix}
    for folder in root.rglob("*"):
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.iterdir()):
            found.add(".".join([prefix, *folder.relative_to(root).parts]))
    return found


def test_every_package_and_resource_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    assert config["package-dir"] == {"coffreo_desktop.resources": "resources"}
    on_disk = _folders(ROOT / "coffreo_desktop", "coffreo_desktop") | _folders(
        ROOT / "resources", "coffreo_desktop.resources"
    )
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == set(), "these listed packages no longer exist"
