"""Settings live in one module: environment variables, limits and time conventions are defined once."""

from __future__ import annotations

import re
from pathlib import Path

from corridor import settings

SRC = Path(settings.__file__).parent


def test_no_module_names_an_environment_variable_itself() -> None:
    literal = re.compile(r"""environ(?:\.get)?[\[(]\s*["']""")
    offenders = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if literal.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_documented_variable_is_a_setting() -> None:
    documented = set(re.findall(r"``(CORRIDOR_[A-Z]+)``", settings.__doc__ or ""))
    defined = {getattr(settings, name) for name in settings.__all__ if name.endswith("_ENV")}
    assert documented == defined


def test_months_tile_the_year() -> None:
    assert settings.HOURS_PER_MONTH * 12 == settings.HOURS_PER_YEAR == 8766
