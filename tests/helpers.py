"""Helpers shared by the test modules (import them: ``from helpers import run_cli``); fixtures stay in conftest."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corridor import settings
from corridor.forecasting.data import Conversion

CORRIDOR = Path(sys.executable).with_name("corridor")
Runner = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console script; a wide terminal so rich neither truncates nor wraps messages."""
    base = {k: v for k, v in os.environ.items() if k not in (settings.DATA_ENV, settings.DEBUG_ENV)}
    base.update({"COLUMNS": "250", "LINES": "100", "NO_COLOR": "1", **(env or {})})
    # No terminal on stdin: a command that would ask (db downgrade) refuses instead of waiting.
    return subprocess.run(
        [str(CORRIDOR), *args], capture_output=True, text=True, env=base, timeout=120, stdin=subprocess.DEVNULL
    )


@dataclass(frozen=True)
class Ran:
    """What an in-process run of the command line returned, with a subprocess's field names."""

    returncode: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Ran:
    """Run the ``corridor`` command in this process with Typer's CliRunner (no interpreter start-up).

    Use :func:`run_cli` instead where the process boundary is the point (entry point, signals,
    environment variables read at import).
    """
    from typer.testing import CliRunner

    from corridor.interfaces.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def make_conversion(
    *,
    usd_per_tonne: float = 500,
    container_share: float = 0.5,
    tonnes_per_teu: float = 10,
    teu_per_train: float = 100,
    overland_share: float = 1.0,
) -> Conversion:
    """A value → freight conversion for tests, every factor's source ``test``."""
    return Conversion(
        pair="*",
        usd_per_tonne=usd_per_tonne,
        usd_per_tonne_source="test",
        container_share=container_share,
        container_share_source="test",
        tonnes_per_teu=tonnes_per_teu,
        tonnes_per_teu_source="test",
        teu_per_train=teu_per_train,
        teu_per_train_source="test",
        overland_share=overland_share,
        overland_share_source="test",
    )
