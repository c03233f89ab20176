"""The public API is what `corridor.__all__` says, what docs/api.md lists, and each name resolves."""

from __future__ import annotations

import re
from pathlib import Path

import corridor

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def _documented() -> list[str]:
    return re.findall(r"^- `(\w+)` — ", API_DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_all_is_the_documented_list() -> None:
    documented = _documented()
    assert len(documented) == len(set(documented)), "a name is documented twice"
    assert sorted(documented) == sorted(corridor.__all__)


def test_every_public_name_resolves_lazily() -> None:
    assert set(corridor._LAZY) == set(corridor.__all__)
    for name in corridor.__all__:
        assert getattr(corridor, name).__name__ == name
    assert set(corridor.__all__) <= set(dir(corridor))


def test_errors_are_one_family() -> None:
    errors = [getattr(corridor, n) for n in corridor.__all__ if n.endswith("Error")]
    assert all(issubclass(e, corridor.CorridorError) for e in errors)
