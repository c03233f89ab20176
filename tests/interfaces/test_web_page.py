"""The web page in a real browser: headless Debian chromium driven by Playwright.

The app runs in a uvicorn subprocess on a free local port with a throw-away SQLite store and a
write token. Screenshots are kept as test artefacts outside the repository: in
``$CORRIDOR_TEST_SCREENSHOTS`` if set, else in ``corridor-screenshots`` under the temp directory. With ``CI=true``
the browser tests must run; elsewhere they skip when chromium is missing.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import corridor
from corridor.interfaces.api import WEB_DIR, app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_ENABLE = "install Debian's chromium (apt-get install chromium) to run the browser tests"
SCREENSHOTS = Path(os.environ.get("CORRIDOR_TEST_SCREENSHOTS") or Path(tempfile.gettempdir()) / "corridor-screenshots")
TOKEN = "web-test-token"


# ---------------------------------------------------------------- without a browser


def test_page_and_assets_are_served() -> None:
    client = TestClient(app)
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/app.js", "/static/style.css", "/static/vendor/leaflet/leaflet.js"):
        assert asset in page.text
        assert client.get(asset).status_code == 200
    assert "javascript" in client.get("/static/app.js").headers["content-type"]
    assert "/" not in client.get("/openapi.json").json()["paths"]


def test_basemap_is_small_natural_earth_geojson() -> None:
    path = WEB_DIR / "countries.geojson"
    countries = json.loads(path.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in countries["features"]}
    assert {"China", "Kazakhstan", "Azerbaijan", "Georgia", "Turkey", "Serbia"} <= names
    assert path.stat().st_size < 1_000_000


def test_route_geojson_numbers_routes_as_route_does() -> None:
    client = TestClient(app)
    params: dict[str, Any] = {"origin": "Shanghai", "destination": "Belgrade", "avoid": ["RU", "BY"]}
    routes = client.get("/route", params=params).json()["routes"]
    features = client.get("/route.geojson", params={**params, "thin": True}).json()["features"]
    assert sorted({f["properties"]["route"] for f in features}) == list(range(len(routes)))
    assert next(f["properties"]["corridor"] for f in features if f["properties"]["route"] == 1) == routes[1]["corridor"]


# ---------------------------------------------------------------- in the browser


def _chromium_or_skip() -> Any:
    """Playwright's sync API, or a skip (a failure under CI=true) saying how to enable the tests."""
    problem = None
    if not CHROMIUM.exists():
        problem = HOW_TO_ENABLE
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            problem = "install Playwright (pip install playwright) to run the browser tests"
    if problem is None:
        return sync_playwright
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {problem}")
    pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in a uvicorn subprocess; yields its base URL."""
    _chromium_or_skip()
    port = _free_port()
    source = str(Path(corridor.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "CORRIDOR_DB": f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}",
        "CORRIDOR_TOKEN": TOKEN,
        "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
    }
    env.pop("CORRIDOR_DATA", None)
    command = [sys.executable, "-m", "uvicorn", "corridor.interfaces.api:app", "--log-level", "warning"]
    log_path = tmp_path_factory.mktemp("web-log") / "server.log"
    log = log_path.open("w")
    # The server's output goes to a file, so a full pipe can never block it.
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"the server did not start: {log_path.read_text()}")
            try:
                # Also creates the store's tables before the page sends concurrent requests.
                _get(f"{url}/scenarios")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the server did not answer within 30 s: {log_path.read_text()}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    sync_playwright = _chromium_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def _open_page(browser: Any, server: str, **context_options: Any) -> Iterator[Any]:
    """A fresh English page at the app's root with the map drawn; fails on any script error."""
    context = browser.new_context(locale="en-GB", **context_options)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(server)
    tab.wait_for_selector("body[data-ready]")
    yield tab
    context.close()
    assert not errors, errors


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A desktop-sized page (see :func:`_open_page`)."""
    with _open_page(browser, server, viewport={"width": 1440, "height": 900}) as tab:
        yield tab


def _screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _choose_place(page: Any, field: str, typed: str, shown: str) -> None:
    page.locator(field).press_sequentially(typed, delay=30)
    page.locator(f"{field} + .suggestions li", has_text=shown).first.click()


def _plan(page: Any, destination: str = "Белград", shown: str = "Belgrade") -> None:
    _choose_place(page, "#destination", destination, shown)
    page.click("#plan")
    page.wait_for_selector("#routes-table tbody tr[data-route]")
    page.wait_for_selector("#p-chart svg .range")


def test_map_has_basemap_and_network(page: Any, server: str) -> None:
    links = [f for f in _get(f"{server}/network.geojson")["features"] if f["geometry"]["type"] == "LineString"]
    assert page.locator("path.basemap").count() > 100
    assert page.locator("path.net-link").count() == len(links)
    assert page.locator("path.place").count() == len(_get(f"{server}/network.geojson")["features"]) - len(links)
    _screenshot(page, "map")


def test_autocomplete_finds_belgrade_by_its_russian_name(page: Any) -> None:
    page.locator("#destination").press_sequentially("Белград", delay=30)
    suggestions = page.locator("#destination + .suggestions li")
    suggestions.first.wait_for()
    assert "Belgrade" in suggestions.first.inner_text()
    assert suggestions.count() == len({suggestions.nth(n).get_attribute("data-id") for n in range(suggestions.count())})
    _screenshot(page, "autocomplete")


def test_plan_shanghai_belgrade(page: Any, server: str) -> None:
    _plan(page)
    rows = page.locator("#routes-table tbody tr[data-route]")
    expected = _get(f"{server}/route?origin=Shanghai&destination=Belgrade")["routes"]
    assert rows.count() == len(expected) >= 2
    shown_days = [rows.nth(n).locator("td").nth(2).inner_text() for n in range(rows.count())]
    assert shown_days == [f"{r['total_time_h'] / 24:.1f}" for r in expected]
    strokes = page.eval_on_selector_all("path.route-line", "paths => paths.map(p => p.getAttribute('stroke'))")
    assert len(set(strokes)) == rows.count()
    assert page.locator("#step-chart path.series").count() == rows.count()
    rows.nth(1).click()
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    assert page.locator("#itinerary li").count() >= len(expected[1]["legs"])
    # A click on a line of the map selects its route in the table (the first line drawn is route 0's:
    # only the selected route, 1, was brought to the front).
    page.locator("path.route-line").first.dispatch_event("click")
    assert page.get_attribute("#routes-table tr.selected", "data-route") == "0"
    _screenshot(page, "plan-shanghai-belgrade")


def test_best_of_each_corridor_view(page: Any, server: str) -> None:
    _plan(page)
    page.click("[data-view=corridors]")
    expected = _get(f"{server}/compare?origin=Shanghai&destination=Belgrade&samples=100")["routes"]
    page.wait_for_function(
        "n => document.querySelectorAll('#routes-table tbody tr[data-route]').length === n && "
        "document.querySelector('#results-title').dataset.i18n === 'results_corridors'",
        arg=len(expected),
    )
    rows = page.locator("#routes-table tbody tr[data-route]")
    shown = [rows.nth(n).locator("td").nth(1).inner_text() for n in range(rows.count())]
    assert "Middle" in shown and "Northern" in shown
    strokes = page.eval_on_selector_all("path.route-line", "paths => paths.map(p => p.getAttribute('stroke'))")
    assert len(set(strokes)) == rows.count()
    _screenshot(page, "corridors")
    page.click("[data-view=pareto]")
    pareto = _get(f"{server}/route?origin=Shanghai&destination=Belgrade")["routes"]
    assert rows.count() == len(pareto)


def test_language_switch_to_russian(page: Any) -> None:
    page.click("#lang-ru")
    assert page.inner_text("#plan") == "Построить маршрут"
    assert page.inner_text("label[for=origin]") == "Откуда"
    assert page.get_attribute("html", "lang") == "ru"
    _choose_place(page, "#destination", "Belgrade", "Белград")
    assert page.input_value("#destination") == "Белград"
    _screenshot(page, "russian")
    page.click("#lang-en")
    assert page.inner_text("#plan") == "Plan route"
    assert page.input_value("#destination") == "Belgrade"


def test_api_error_is_shown(page: Any) -> None:
    page.fill("#destination", "Atlantis")
    page.click("#plan")
    error = page.locator("#page-routes .error")
    error.wait_for()
    text = error.inner_text()
    assert "422" not in text and text.startswith("Please check the request:") and "unknown place 'Atlantis'" in text


def test_save_and_simulate_a_scenario(page: Any, server: str) -> None:
    _choose_place(page, "#destination", "Бак", "Baku")
    page.click("#tabs [data-tab=scenarios]")
    page.fill("#token", TOKEN)
    page.fill("#scenario-name", "web page test")
    page.click("#scenario-template")
    page.wait_for_function("() => document.querySelector('#scenario-yaml').value !== ''")
    assert "destination: AZBAK" in page.input_value("#scenario-yaml")
    page.click("#scenario-save")
    page.wait_for_selector("#page-scenarios .ok")
    assert {"name": "web page test", "version": 1} in [
        {k: s[k] for k in ("name", "version")} for s in _get(f"{server}/scenarios")
    ]
    page.click("#simulate")
    # The summary shows once the run is back; a run where nothing queued has no bottleneck rows.
    page.wait_for_function("() => document.querySelector('#sim-summary').textContent.includes('TEU')")
    assert page.locator("#sim-chart .share").count() == page.locator("#bottlenecks tbody tr").count()
    _screenshot(page, "scenario")


def test_forecast_fan_chart(page: Any) -> None:
    page.click("#tabs [data-tab=forecast]")
    page.click("#forecast")
    page.wait_for_selector("#fc-chart path.band")
    assert "KZ-UZ" in page.inner_text("#fc-summary")
    assert page.locator("#fc-chart circle.target").count() == 1
    _screenshot(page, "forecast")


def test_gravity_forecast_states_its_assumptions(page: Any, server: str) -> None:
    page.click("#tabs [data-tab=forecast]")
    page.select_option("#fc-method", "gravity")
    page.click("#forecast")
    page.wait_for_selector("#fc-chart path.band")
    expected = _get(f"{server}/forecast?a=KZ&b=UZ&to=2030&method=gravity")
    notes = page.inner_text("#fc-notes")
    assert expected["note"] and expected["note"] in notes
    assert expected["conversion"] in notes


def test_browser_language_sets_the_default(browser: Any, server: str) -> None:
    context = browser.new_context(locale="ru-RU")
    tab = context.new_page()
    tab.goto(server)
    tab.wait_for_selector("body[data-ready]")
    assert tab.inner_text("#plan") == "Построить маршрут"
    assert tab.inner_text("#tabs [data-tab=scenarios]") == "Сценарии"
    context.close()


def test_upload_a_shipment_list(page: Any, server: str) -> None:
    example = Path(corridor.__file__).resolve().parent / "data" / "examples" / "shipments.csv"
    page.click("#tabs [data-tab=batch]")
    page.set_input_files("#batch-file", str(example))
    page.click("#batch-run")
    page.wait_for_selector("#batch-links a")
    assert "shipments planned" in page.inner_text("#batch-status")
    assert page.locator("#batch-errors li").count() == 9  # the example's bad rows, by line
    href = page.locator("#batch-links a").first.get_attribute("href")
    assert href is not None and href.endswith("/results.csv")
    assert "status" in urllib.request.urlopen(f"{server}{href}", timeout=10).read().decode()
    _screenshot(page, "batch")


def test_forecast_table_target_path_and_coverage(page: Any, server: str) -> None:
    page.click("#tabs [data-tab=forecast]")
    page.click("#forecast")
    page.wait_for_selector("#fc-table tbody tr")
    expected = _get(f"{server}/forecast?a=KZ&b=UZ&to=2030&method=ets")
    ahead = [r for r in expected["rows"] if r["kind"] != "observed"]
    # the last observed year, then every forecast year
    assert page.locator("#fc-table tbody tr").count() == len(ahead) + 1
    last = page.locator("#fc-table tbody tr").last.inner_text()
    assert "2030" in last and "–" in last
    assert expected["coverage"] is not None
    assert f"{round(expected['coverage'] * 100)}" in page.inner_text("#fc-table-band")
    assert "backtest coverage" in page.inner_text("#fc-notes")
    # the target path runs from the last observed year to the target, in every measure
    assert page.locator("#fc-chart path.target-path").count() == 1
    page.select_option("#fc-measure", "trains_per_week")
    page.wait_for_selector("#fc-chart path.target-path")
    assert page.locator("#fc-chart circle.target").count() == 1
    _screenshot(page, "forecast-table")


def test_errors_on_the_russian_page_are_translated_without_http_codes(page: Any) -> None:
    page.click("#lang-ru")
    page.click("#tabs [data-tab=forecast]")
    page.fill("#fc-a", "QQ")
    page.click("#forecast")
    box = page.locator("#page-forecast .error")
    box.wait_for(state="visible")
    text = box.inner_text()
    assert text.startswith("Проверьте запрос:"), text
    assert "422" not in text and "Error" not in text
    _screenshot(page, "error-ru")


def test_autocomplete_list_stays_closed_after_leaving_the_field(page: Any) -> None:
    """A lookup still under way when the user moves on must not reopen the list."""

    def slow(route: Any) -> None:
        time.sleep(0.4)  # a slow network: the answer arrives after the field lost focus
        route.continue_()

    page.route("**/places?*", slow)
    page.locator("#destination").press_sequentially("Бак", delay=10)
    page.locator("#cargo").focus()
    page.wait_for_timeout(1000)
    assert page.locator("#destination + .suggestions").is_hidden()
    page.unroute("**/places?*")
    page.fill("#origin", "")
    _choose_place(page, "#origin", "Almaty", "Almaty")
    page.wait_for_timeout(1000)
    assert page.locator("#origin + .suggestions").is_hidden()


def test_prices_at_a_past_month(page: Any, server: str) -> None:
    query = f"{server}/route?origin=Shanghai&destination=Belgrade"
    latest, dated = _get(query)["routes"], _get(f"{query}&date=2023-06")["routes"]
    page.fill("#price-date", "2023-06")
    _plan(page)
    assert page.inner_text("#priced-at") == f"Prices at {dated[0]['priced_at']}"
    assert dated[0]["priced_at"].startswith("2023-06") and latest[0]["priced_at"] != dated[0]["priced_at"]
    rows = page.locator("#routes-table tbody tr[data-route]")
    shown_costs = [rows.nth(n).locator("td").nth(3).inner_text() for n in range(rows.count())]
    assert shown_costs == [f"{r['total_cost_usd']:,.0f}" for r in dated]
    assert shown_costs != [f"{r['total_cost_usd']:,.0f}" for r in latest]
    # The best of each corridor (/compare) is priced at the same month.
    page.click("[data-view=corridors]")
    page.wait_for_function("document.querySelector('#results-title').dataset.i18n === 'results_corridors'")
    assert page.inner_text("#priced-at") == f"Prices at {dated[0]['priced_at']}"
    page.click("#lang-ru")
    assert page.inner_text("#priced-at") == f"Цены на {dated[0]['priced_at']}"
    _screenshot(page, "prices-at-2023-06")


def _post(url: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _open_scenario(page: Any, listing: str, label: str) -> None:
    page.click("#tabs [data-tab=scenarios]")
    page.locator(f"{listing} button", has_text=label).click()
    page.wait_for_selector("#scenario-view:not([hidden])")


def _simulate(page: Any, years: str) -> None:
    page.fill("#sim-years", years)
    page.click("#simulate")
    page.wait_for_function("() => !document.querySelector('#simulate').disabled")


def test_shipped_scenarios_are_listed_read_only_and_simulated(page: Any, server: str) -> None:
    shipped = _get(f"{server}/shipped-scenarios")
    page.click("#tabs [data-tab=scenarios]")
    page.wait_for_selector("#shipped-list li")
    assert page.locator("#shipped-list li").count() == len(shipped)
    _open_scenario(page, "#shipped-list", "TITR 2024 base")
    assert "read-only" in page.inner_text("#scenario-title")
    base = next(s for s in shipped if s["name"] == "titr-2024-base")
    assert page.inner_text("#scenario-text").strip() == base["yaml"].strip()
    _simulate(page, "0.1")
    expected = _post(f"{server}/simulate", {"scenario": "titr-2024-base", "years": 0.1, "seed": 0})
    assert page.inner_text("#sim-summary").startswith("TITR 2024 base: demand")
    rows = page.locator("#bottlenecks tbody tr")
    assert rows.count() == len(expected["lines"]) > 0
    first = expected["lines"][0]
    cells = rows.first.locator("td")
    assert cells.nth(0).inner_text() == first["resource"]
    assert cells.nth(3).inner_text() == f"{first['teu']:,.0f}"  # TEU carried
    assert cells.nth(7).inner_text() == f"{first['departure_wait_h']:,.1f}"  # waiting for a departure, apart
    assert page.locator("#lead-times tbody tr").count() == len(expected["lead_times"])
    # nothing saved: a shipped scenario is read-only
    assert all(s["name"] != "titr-2024-base" for s in _get(f"{server}/scenarios"))
    _screenshot(page, "shipped-scenario")


def test_disruption_notes_and_carry_over_are_shown(page: Any, server: str) -> None:
    _open_scenario(page, "#shipped-list", "Poland–Belarus")
    _simulate(page, "0.75")
    expected = _post(f"{server}/simulate", {"scenario": "northern-2025-poland-belarus-closure", "years": 0.75})
    notes = page.locator("#sim-notes li")
    assert notes.count() == len(expected["notes"]) >= 1
    assert "Brest (BY) border closed from 2025-09-12 to 2025-09-25" in notes.first.inner_text()
    assert expected["drained_teu"] > 0
    carry = page.inner_text("#sim-carry")
    assert "carry-over" in carry and f"{expected['drained_teu']:,}" in carry
    _screenshot(page, "disruption")


def test_a_closed_line_is_noted_by_its_display_name(page: Any, server: str) -> None:
    yaml = (
        "name: closed ferry\nyear: 2025\ndemand:\n  - {origin: Almaty, destination: Baku, teu_per_year: 1000}\n"
        "levers:\n  - {kind: ferries, from: kuryk, to: alat, change: -4}\n"
    )
    _post(f"{server}/scenarios", {"name": "closed ferry", "yaml": yaml}, TOKEN)
    _open_scenario(page, "#scenario-list", "closed ferry")
    _simulate(page, "0.1")
    assert "Kuryk – Alat (Port of Baku) ferry: no vessel left, the line is closed" in page.inner_text("#sim-notes")


def test_simulation_error_on_the_russian_page(page: Any) -> None:
    """A dated disruption outside the simulated period: a clear, translated message, no HTTP code."""
    page.click("#lang-ru")
    _open_scenario(page, "#shipped-list", "Poland–Belarus")
    assert "только чтение" in page.inner_text("#scenario-title")
    _simulate(page, "0.25")
    box = page.locator("#page-scenarios .error")
    box.wait_for(state="visible")
    text = box.inner_text()
    assert text.startswith("Проверьте запрос:") and "outside the simulated period" in text
    assert "422" not in text


def _more_options(page: Any, samples: int, deadline_days: str = "") -> None:
    page.click("#route-form summary")
    page.fill("#samples", str(samples))
    page.fill("#deadline", deadline_days)


def test_on_time_odds_in_the_best_of_each_corridor_view(page: Any, server: str) -> None:
    _more_options(page, 200, "25")
    _plan(page)
    page.click("[data-view=corridors]")
    page.wait_for_function("document.querySelector('#results-title').dataset.i18n === 'results_corridors'")
    query = "origin=Shanghai&destination=Belgrade&samples=200&deadline_h=600"
    expected = _get(f"{server}/compare?{query}")["routes"]
    rows = page.locator("#routes-table tbody tr[data-route]")
    assert rows.count() == len(expected)
    assert page.locator("#routes-table th.ontime").is_visible()
    shown = [rows.nth(n).locator("td.ontime").inner_text() for n in range(rows.count())]
    # The page rounds half away from zero (Intl.NumberFormat), Python's round() half to even: 94.5 % is 95 %.
    assert shown == [f"{math.floor(r['on_time_probability'] * 100 + 0.5)} %" for r in expected]
    assert len(set(shown)) > 1  # the corridors differ: the odds are not a constant
    assert page.locator("#p-chart line.deadline").count() == 1
    assert "deadline of 25.0 days" in page.inner_text("#p-note")
    _screenshot(page, "corridors-on-time")


def _inside(page: Any, selector: str, box_selector: str) -> tuple[bool, float, float]:
    """Whether every element of `selector` lies inside `box_selector`, and the share of the box's
    width and height their union spans."""
    return tuple(
        page.evaluate(
            """([selector, boxSelector]) => {
                const box = document.querySelector(boxSelector).getBoundingClientRect();
                const rects = [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect());
                const inside = rects.every((r) => r.left >= box.left - 2 && r.right <= box.right + 2
                    && r.top >= box.top - 2 && r.bottom <= box.bottom + 2);
                const span = (lo, hi) => Math.max(...rects.map(hi)) - Math.min(...rects.map(lo));
                return [inside, span((r) => r.left, (r) => r.right) / box.width,
                        span((r) => r.top, (r) => r.bottom) / box.height];
            }""",
            [selector, box_selector],
        )
    )


def test_map_is_fitted_to_the_routes_shown(page: Any) -> None:
    # Start zoomed in on the middle of the map, where the routes would run off it unless refitted.
    for _ in range(3):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(300)
    _plan(page, "Duisburg", "Duisburg")
    _assert_fitted(page)
    page.click("[data-view=corridors]")
    page.wait_for_function("document.querySelector('#results-title').dataset.i18n === 'results_corridors'")
    _assert_fitted(page)


def _assert_fitted(page: Any) -> None:
    """Every route line inside the map, spanning over half its width or height, once the animated
    fit has ended (up to 4 s: a loaded CI machine once measured mid-animation)."""
    for _ in range(20):
        inside, width, height = _inside(page, "path.route-line", "#map")
        if inside and max(width, height) > 0.5:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"routes not fitted: inside={inside}, width {width:.2f}, height {height:.2f}")


def test_autocomplete_list_closes_on_choice_escape_and_blur(page: Any) -> None:
    suggestions = page.locator("#destination + .suggestions")
    page.locator("#destination").press_sequentially("Бак", delay=20)
    suggestions.locator("li").first.wait_for()
    page.keyboard.press("Escape")
    assert suggestions.is_hidden()
    page.locator("#destination").press_sequentially("у", delay=20)
    suggestions.locator("li").first.wait_for()
    page.locator("#cargo").focus()  # blur
    suggestions.wait_for(state="hidden")
    page.fill("#destination", "")
    page.locator("#destination").press_sequentially("Бак", delay=20)
    suggestions.locator("li").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # choose by keyboard
    assert suggestions.is_hidden() and page.input_value("#destination") == "Baku"
    page.locator("#origin").fill("")
    _choose_place(page, "#origin", "Almat", "Almaty")  # choose by click
    assert page.locator("#origin + .suggestions").is_hidden()


def test_leg_tariffs_in_the_itinerary(page: Any, server: str) -> None:
    _plan(page)
    page.locator("#routes-table tbody tr[data-route]").first.click()
    route = _get(f"{server}/route?origin=Shanghai&destination=Belgrade")["routes"][0]
    priced = [leg for leg in route["legs"] if leg.get("tariff")]
    notes = page.locator("#itinerary details.tariff")
    assert notes.count() == len(priced) > 0
    notes.first.locator("summary").click()
    first = notes.first.locator("div").first.inner_text()
    assert first and first in priced[0]["tariff"]


PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(tab: Any) -> None:
    scroll = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], scroll


def test_phone_width_layout(browser: Any, server: str) -> None:
    with _open_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True) as tab:
        _no_sideways_scroll(tab)
        form = tab.locator("#route-form").bounding_box()
        assert form["x"] >= 0 and form["x"] + form["width"] <= PHONE["width"]
        _plan(tab)
        _no_sideways_scroll(tab)
        tab.locator("#map").scroll_into_view_if_needed()
        box = tab.locator("#map").bounding_box()
        assert box["width"] >= PHONE["width"] - 2 and box["height"] >= 250
        assert tab.locator("path.route-line").count() > 0 and tab.locator("path.basemap").count() > 100
        inside, _, _ = _inside(tab, "path.route-line", "#map")
        assert inside
        _screenshot(tab, "phone-routes")
        for name in ("scenarios", "batch", "forecast"):
            tab.locator(f"#tabs [data-tab={name}]").click()
            _no_sideways_scroll(tab)
        tab.click("#forecast")
        tab.wait_for_selector("#fc-table tbody tr")
        _no_sideways_scroll(tab)
        _screenshot(tab, "phone-forecast")


def _query_notes(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("#query-notes li").all_inner_texts()]


def test_query_notes_are_shown_above_the_results(page: Any, server: str) -> None:
    query = f"{server}/route?origin=Shanghai&destination=Piraeus"
    undated, dated = _get(query)["notes"], _get(f"{query}&date=2024-06")["notes"]
    assert any("undated" in n for n in undated) and any("avoided" in n for n in dated)  # the API says both
    _plan(page, "Piraeus", "Piraeus")
    assert _query_notes(page) == undated
    notes, table = page.locator("#query-notes").bounding_box(), page.locator("#routes-table").bounding_box()
    assert notes["y"] + notes["height"] <= table["y"]  # above the results, not under them
    page.fill("#price-date", "2024-06")
    page.click("#plan")
    page.wait_for_function("() => document.querySelector('#query-notes li')?.textContent.includes('avoided')")
    assert _query_notes(page) == dated
    compared = _get(f"{query}&date=2024-06&samples=100".replace("/route?", "/compare?"))["notes"]
    page.click("[data-view=corridors]")
    page.wait_for_function("document.querySelector('#results-title').dataset.i18n === 'results_corridors'")
    assert _query_notes(page) == compared
    page.click("#lang-ru")
    assert page.inner_text("#query-notes h3") == "О запросе"
    _screenshot(page, "query-notes")


def test_no_notes_no_box(page: Any, server: str) -> None:
    assert _get(f"{server}/route?origin=Shanghai&destination=Almaty")["notes"] == []
    _plan(page, "Almaty", "Almaty")
    assert page.locator("#query-notes").is_hidden()


def test_cost_range_next_to_the_cost(page: Any, server: str) -> None:
    _plan(page)
    expected = _get(f"{server}/route?origin=Shanghai&destination=Belgrade")["routes"]
    rows = page.locator("#routes-table tbody tr[data-route]")
    for n, r in enumerate(expected):
        cells = rows.nth(n).locator("td")
        assert cells.nth(3).inner_text() == f"{r['total_cost_usd']:,.0f}"
        low, high = r["total_cost_usd_low"], r["total_cost_usd_high"]
        assert low < r["total_cost_usd"] < high  # the data gives every route here a range
        assert cells.nth(4).inner_text() == f"{low:,.0f}–{high:,.0f}"
    header = page.locator("#routes-table thead th").nth(4)
    assert header.inner_text() == "Range, USD" and "low or high end" in (header.get_attribute("title") or "")
    page.click("#lang-ru")
    assert header.inner_text() == "Диапазон, USD" and "нижней или верхней" in (header.get_attribute("title") or "")
