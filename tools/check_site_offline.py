"""Fail if a built documentation page would fetch anything from another host.

Usage: ``python tools/check_site_offline.py site``. Reads every HTML file under the directory and
reports each ``<script src>``, ``<link href>`` (stylesheets, fonts, preconnects), ``<img src>`` or
CSS ``url(...)``/``@import`` that points at ``http(s)://`` or ``//``. Links a reader clicks
(``<a href>``) are fine: they load nothing by themselves. Exit status 1 with one line per
finding, 0 when the site works offline.

The theme's JavaScript bundle is not scanned: it names two CDN addresses, fetched only for a
mermaid diagram (the docs have none) and a ResizeObserver polyfill (browsers since 2020 do not
need it).
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)
# Attributes that make a browser fetch something as the page loads.
_FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _FETCHING.get(tag)
        values = dict(attrs)
        if wanted and _REMOTE.match(values.get(wanted) or ""):
            self.remote.append(f"<{tag} {wanted}={values[wanted]}>")
        self.remote.extend(_CSS_URL.findall(values.get("style") or ""))

    def handle_data(self, data: str) -> None:
        self.remote.extend(_CSS_URL.findall(data))


def remote_fetches(site: Path) -> list[str]:
    """Every remote fetch in the site's HTML and CSS files, as ``path: what``."""
    found: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Fetches()
        parser.feed(page.read_text(encoding="utf-8"))
        found.extend(f"{page}: {what}" for what in parser.remote)
    for sheet in sorted(site.rglob("*.css")):
        found.extend(f"{sheet}: {url}" for url in _CSS_URL.findall(sheet.read_text(encoding="utf-8")))
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: python tools/check_site_offline.py SITE_DIR", file=sys.stderr)
        return 2
    found = remote_fetches(Path(argv[1]))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} remote fetches: the site must work offline", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
