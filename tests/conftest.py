"""Fixtures shared by the test packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor import settings


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, editable copy of the embedded data directory."""
    monkeypatch.delenv(settings.DATA_ENV, raising=False)
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    return copy
