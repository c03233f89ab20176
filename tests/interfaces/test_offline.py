"""Every HTML page the project generates works without internet: no script or style from elsewhere.

The pages: the CLI's ``--map`` (folium), its ``.html`` plots (plotly: forecast fan chart,
reliability ECDF, simulation queues), the API's ``/docs`` (Swagger UI) and the web page. A page
may still fetch map tiles (images) when online; what it must not do is load code or styles from
another machine, as it would be blank offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridor.interfaces.api import app
from corridor.settings import data_dir
from helpers import run_cli as run
from interfaces.test_web_page import CHROMIUM_ARGS, SCREENSHOTS, _chromium_or_skip

# <script src=…>, <link href=…> (stylesheets, preloads), CSS @import and url(…) of another host
_EXTERNAL = re.compile(
    r"""(<script[^>]*\bsrc\s*=\s*["']?(?P<script>(?:https?:)?//[^"'\s>]+))"""
    r"""|(<link[^>]*\bhref\s*=\s*["']?(?P<link>(?:https?:)?//[^"'\s>]+))"""
    r"""|(@import\s+(?:url\()?["']?(?P<imp>(?:https?:)?//[^"')\s]+))""",
    re.IGNORECASE,
)


def external_loads(html: str) -> list[str]:
    """URLs of other machines a page loads code or styles from."""
    found = []
    for match in _EXTERNAL.finditer(html):
        url = match.group("script") or match.group("link") or match.group("imp")
        if not re.match(r"(?:https?:)?//(?:localhost|127\.0\.0\.1)[:/]", url):
            found.append(url)
    return found


def test_the_scanner_finds_cdn_loads() -> None:
    page = (
        '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>'
        "<link rel='stylesheet' href='//cdn.jsdelivr.net/npm/leaflet.css'>"
        "<style>@import url('https://fonts.googleapis.com/css');</style>"
        '<script src="/static/app.js"></script><script src="http://127.0.0.1:8000/x.js"></script>'
        '<a href="https://www.openstreetmap.org/copyright">OSM</a>'
    )
    assert external_loads(page) == [
        "https://cdn.plot.ly/plotly-2.35.2.min.js",
        "//cdn.jsdelivr.net/npm/leaflet.css",
        "https://fonts.googleapis.com/css",
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Each HTML file the CLI writes, made once for the module."""
    out = tmp_path_factory.mktemp("html")
    scenario = str(data_dir() / "scenarios" / "titr-2024-base.yaml")
    commands = {
        "map": ("compare", "Almaty", "Baku", "--map", str(out / "map.html")),
        "forecast": ("forecast", "KZ", "UZ", "--plot", str(out / "forecast.html")),
        "reliability": (
            "reliability",
            "Almaty",
            "Baku",
            "--deadline",
            "12d",
            "--samples",
            "2000",
            "--plot",
            str(out / "ecdf.html"),
        ),
        "simulate": ("simulate", scenario, "--years", "0.1", "--replications", "1", "--plot", str(out / "sim.html")),
    }
    files = {}
    for name, args in commands.items():
        result = run(*args)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        files[name] = Path(args[-1])
    yield files


@pytest.mark.parametrize("name", ["map", "forecast", "reliability", "simulate"])
def test_cli_html_loads_nothing_from_outside(generated: dict[str, Path], name: str) -> None:
    html = generated[name].read_text(encoding="utf-8")
    assert "<script" in html
    assert external_loads(html) == []


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_served_pages_load_nothing_from_outside(path: str) -> None:
    client = TestClient(app)
    page = client.get(path)
    assert page.status_code == 200
    assert external_loads(page.text) == []
    for local in re.findall(r"""<(?:script|link)[^>]*(?:src|href)=["'](/[^"']+)""", page.text):
        assert client.get(local).status_code == 200, local


def test_map_draws_routes_with_the_network_cut_off(generated: dict[str, Path]) -> None:
    """In a browser that may fetch nothing but the file itself, Leaflet runs and draws the routes."""
    sync_playwright = _chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            page.route("http*://**", lambda route: route.abort())
            page.goto(generated["map"].as_uri())
            page.wait_for_selector("path.leaflet-interactive", timeout=10_000)
            assert page.evaluate("typeof L") == "object"
            assert page.locator("path.leaflet-interactive").count() >= 2
            assert page.locator(".leaflet-control-layers-overlays label").count() >= 1
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "offline-map.png"))
        finally:
            browser.close()
