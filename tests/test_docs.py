"""The documentation site's examples run, and its offline check catches a page that fetches."""

from __future__ import annotations

import doctest
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

import corridor

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES_WITH_EXAMPLES = sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text(encoding="utf-8"))


def test_some_pages_have_examples() -> None:
    assert DOCS / "examples.md" in PAGES_WITH_EXAMPLES


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_run(page: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(page), module_relative=False, optionflags=flags, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {page.name} failed (output above)"


def test_every_api_name_has_a_reference_entry_where_it_is_defined() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- `(\w+)` — ", text, flags=re.MULTILINE))
    referenced = {name: module for module, name in re.findall(r"^::: (corridor\.[\w.]+)\.(\w+)$", text, flags=re.M)}
    assert referenced == {name: corridor._LAZY[name] for name in listed}


def _offline_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site_offline", ROOT / "tools" / "check_site_offline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_offline_check_flags_remote_fetches(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><head><script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css">'
        '<style>@import "https://fonts.example/a.css";</style></head>'
        '<body><a href="https://example.org">a link loads nothing</a><script src="assets/local.js"></script>'
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "extra.css").write_text("body { background: url('https://img.example/b.png') }", encoding="utf-8")
    found = _offline_checker().remote_fetches(tmp_path)
    assert len(found) == 4, found
    assert not any("example.org" in f or "local.js" in f for f in found)


def test_offline_check_passes_a_local_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script src="assets/a.js"></script><img src="img/b.png">', encoding="utf-8")
    assert _offline_checker().remote_fetches(tmp_path) == []
