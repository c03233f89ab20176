"""Fixtures shared by the test packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from corridor import settings

CORRIDOR = Path(sys.executable).with_name("corridor")
Runner = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console script; a wide terminal so rich neither truncates nor wraps messages."""
    base = {k: v for k, v in os.environ.items() if k not in (settings.DATA_ENV, "CORRIDOR_DEBUG")}
    base.update({"COLUMNS": "250", "LINES": "100", "NO_COLOR": "1", **(env or {})})
    return subprocess.run([str(CORRIDOR), *args], capture_output=True, text=True, env=base, timeout=120)


@pytest.fixture
def cli() -> Runner:
    """The ``corridor`` command, run in a subprocess as a user would."""
    return run_cli


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, editable copy of the embedded data directory."""
    monkeypatch.delenv(settings.DATA_ENV, raising=False)
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    return copy
