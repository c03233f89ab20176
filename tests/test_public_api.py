"""The public API is what `corridor.__all__` says, what the docs site's API page lists, and each name resolves."""

from __future__ import annotations

import re
from pathlib import Path

import corridor

# The Python API page of the documentation site (mkdocs.yml), built with `make docs`.
API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def _documented() -> list[str]:
    return re.findall(r"^- `(\w+)` — ", API_DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_all_is_the_documented_list() -> None:
    documented = _documented()
    assert len(documented) == len(set(documented)), "a name is documented twice"
    assert sorted(documented) == sorted(corridor.__all__)


def test_the_api_page_is_in_the_site() -> None:
    site = (API_DOC.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+- Python API: api\.md$", site, flags=re.MULTILINE)


def test_every_public_name_resolves_lazily() -> None:
    assert set(corridor._LAZY) == set(corridor.__all__)
    for name in corridor.__all__:
        assert getattr(corridor, name).__name__ == name
    assert set(corridor.__all__) <= set(dir(corridor))


def test_errors_are_one_family() -> None:
    errors = [getattr(corridor, n) for n in corridor.__all__ if n.endswith("Error")]
    assert all(issubclass(e, corridor.CorridorError) for e in errors)


def test_every_error_class_is_public() -> None:
    from corridor import errors

    classes = {n for n in errors.__all__ if n.endswith("Error")}
    assert classes <= set(corridor.__all__)
