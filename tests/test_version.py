"""One version: pyproject.toml's, as installed, printed by `corridor --version` and served by the API."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from typer.testing import CliRunner

import corridor
from corridor.interfaces.cli import app

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_version_comes_from_pyproject() -> None:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert corridor.__version__ == version("corridor") == declared


def test_cli_prints_the_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"corridor {corridor.__version__}"


def test_api_reports_the_version() -> None:
    from corridor.interfaces.api import app as api

    assert api.version == corridor.__version__
