"""Gravity model of bilateral trade fitted by Poisson pseudo-maximum likelihood (PPML).

trade_ab,t = exp(b0 + b1 ln GDP_a,t + b2 ln GDP_b,t + b3 ln distance_ab + b4 border_ab) × error,
fitted with a Poisson GLM and heteroskedasticity-robust (HC1) standard errors on the panel of every
shipped pair and year where both countries have a GDP figure. PPML keeps the trade values in levels,
so large flows are not distorted by the log transform and heteroskedastic errors do not bias the
elasticities (Santos Silva and Tenreyro, 2006).

* GDP comes from ``gdp.csv`` (current USD, each figure sourced; IMF projections where published).
  Between two sourced years it is interpolated log-linearly (the fit uses no other GDP); a forecast
  beyond the last sourced year continues from it at the country's recent trend rate — stated in
  the forecast's note.
* Distance is the great-circle distance between the two countries' hub places (``trade_hubs.csv``,
  coordinates from ``places.csv``), computed, not typed in.
* ``border`` is 1 for the pairs in ``trade_borders.csv``. Other dummies (landlocked, EAEU) are left
  out: with these pairs they are constant or collinear with the border and distance terms.

A forecast anchors on the pair's last observed year and lets the model move it with GDP: the pair's
own residual carries forward, as a pair effect would. Intervals come from a parametric bootstrap:
coefficients drawn from their robust covariance, plus a random walk of the residual whose yearly
step has the (robust) spread of consecutive-year residual changes within pairs: trade shocks persist.
GDP projections are taken as given, so the intervals leave out their uncertainty.
"""

from __future__ import annotations

import math
import statistics
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from corridor import settings
from corridor.errors import OptionError
from corridor.forecasting.data import TradeData, _Record
from corridor.forecasting.models import Forecast, check_horizon
from corridor.network.io import read_table
from corridor.network.model import Place
from corridor.network.resolve import great_circle_km

__all__ = [
    "DRAWS",
    "MIN_ROWS",
    "TERMS",
    "TREND_YEARS",
    "Border",
    "GdpFigure",
    "GravityData",
    "Panel",
    "PpmlFit",
    "build_panel",
    "fit_ppml",
    "gdp_at",
    "gravity_backtest",
    "gravity_forecast",
    "load_gravity",
    "regressors",
]

TERMS = ("const", "ln_gdp_a", "ln_gdp_b", "ln_distance", "border")
"""Regressors, in the order of the coefficient vector."""
MIN_ROWS = len(TERMS) + 3
"""Panel rows the fit needs: a few degrees of freedom beyond the coefficients."""
DRAWS = 4000
TREND_YEARS = 10
"""Years of sourced GDP whose trend carries a country's GDP beyond its last figure."""


class GdpFigure(_Record):
    """One country's GDP in a year (current USD), observed or projected."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    year: int = Field(ge=1990, le=2100)
    gdp_usd_bn: float = Field(gt=0)
    kind: Literal["actual", "projection"]
    grade: Literal["A", "B", "C", "D"]
    source: str = Field(min_length=3)


class Border(_Record):
    """Two countries that share a land border."""

    a: str = Field(pattern=r"^[A-Z]{2}$")
    b: str = Field(pattern=r"^[A-Z]{2}$")
    source: str = Field(min_length=3)


@dataclass(frozen=True)
class GravityData:
    """GDP series by country, bordering pairs and hub-to-hub distances (km) by pair."""

    gdp: dict[str, dict[int, float]]
    borders: frozenset[frozenset[str]]
    distances: dict[str, float]


@dataclass(frozen=True)
class PpmlFit:
    """Coefficients (in :data:`TERMS` order), their robust covariance and the residual spread."""

    params: np.ndarray
    cov: np.ndarray
    sigma: float
    """Standard deviation of the yearly change of a pair's log residual."""
    rows: int
    pairs: int


def load_gravity(trade: TradeData, data_dir: str | Path | None = None) -> GravityData:
    """Read ``gdp.csv`` and ``trade_borders.csv`` and compute the hub distances of every pair."""
    root = Path(data_dir) if data_dir is not None else settings.data_dir()
    by_year: dict[str, dict[int, list[float]]] = {}
    for _, g in read_table(root, "gdp.csv", GdpFigure):
        by_year.setdefault(g.country, {}).setdefault(g.year, []).append(g.gdp_usd_bn)
    gdp = {c: {y: statistics.median(v) for y, v in sorted(ys.items())} for c, ys in by_year.items()}
    borders = frozenset(frozenset((b.a, b.b)) for _, b in read_table(root, "trade_borders.csv", Border))
    places = {p.id: p for _, p in read_table(root, "places.csv", Place)}
    distances = {pair: _hub_distance(trade, places, pair) for pair in trade.pairs()}
    return GravityData(gdp, borders, {p: d for p, d in distances.items() if d is not None})


def _hub_distance(trade: TradeData, places: dict[str, Place], pair: str) -> float | None:
    ends = [places.get(h.place) for c in pair.split("-") for h in trade.hubs if h.country == c]
    if len(ends) != 2 or ends[0] is None or ends[1] is None:
        return None
    return great_circle_km(ends[0].lat, ends[0].lon, ends[1].lat, ends[1].lon)


def gdp_at(series: dict[int, float], year: int, extrapolate: bool = False) -> float | None:
    """GDP in ``year``: sourced, else log-linear between the sourced years around it.

    With ``extrapolate``, a year outside the sourced range continues from the nearest sourced
    figure at the trend growth rate (log-linear fit) of the sourced figures of the
    :data:`TREND_YEARS` years up to it; without it, such a year gives ``None``.
    """
    if year in series:
        return series[year]
    before = [y for y in series if y < year]
    after = [y for y in series if y > year]
    if before and after:
        y0, y1 = max(before), min(after)
        w = (year - y0) / (y1 - y0)
        return math.exp((1 - w) * math.log(series[y0]) + w * math.log(series[y1]))
    edge = max(before) if before else min(after)
    window = [y for y in series if abs(y - edge) <= TREND_YEARS]
    if not extrapolate or len(window) < 2:
        return None
    slope = float(np.polyfit(window, np.log([series[y] for y in window]), 1)[0])
    return series[edge] * math.exp(slope * (year - edge))


@dataclass(frozen=True)
class Panel:
    """Regressor rows (:data:`TERMS`), trade values (million USD) and the pair of each row."""

    x: np.ndarray
    y: np.ndarray
    pairs: tuple[str, ...]
    years: tuple[int, ...]


def regressors(data: GravityData, pair: str, year: int, extrapolate: bool = False) -> np.ndarray | None:
    """The regressor row of ``pair`` in ``year``, or ``None`` where GDP or distance is missing."""
    a, b = pair.split("-")
    gdp_a = gdp_at(data.gdp.get(a, {}), year, extrapolate)
    gdp_b = gdp_at(data.gdp.get(b, {}), year, extrapolate)
    if gdp_a is None or gdp_b is None or pair not in data.distances:
        return None
    border = 1.0 if frozenset((a, b)) in data.borders else 0.0
    return np.array([1.0, math.log(gdp_a), math.log(gdp_b), math.log(data.distances[pair]), border])


def build_panel(trade: TradeData, data: GravityData, until: int | None = None) -> Panel:
    """Every pair-year with a published total and GDP for both countries (years up to ``until``).

    Gap years the trade series fills are left out: the fit sees published figures only.
    """
    rows: list[tuple[np.ndarray, float, str, int]] = []
    for pair in trade.pairs():
        for year, value in trade.series(pair, fill=False).items():
            x = regressors(data, pair, year)
            if x is not None and (until is None or year <= until):
                rows.append((x, value, pair, year))
    if not rows:
        return Panel(np.empty((0, len(TERMS))), np.empty(0), (), ())
    return Panel(
        np.vstack([r[0] for r in rows]),
        np.array([r[1] for r in rows]),
        tuple(r[2] for r in rows),
        tuple(r[3] for r in rows),
    )


def fit_ppml(panel: Panel) -> PpmlFit:
    """Fit the gravity equation by Poisson pseudo-maximum likelihood with HC1 standard errors.

    Raises
    ------
    OptionError
        Too few rows, or regressors the panel cannot tell apart (e.g. no pair with a border).
    """
    import statsmodels.api as sm

    n, k = panel.x.shape
    if n < MIN_ROWS:
        raise OptionError(
            f"the gravity model needs at least {MIN_ROWS} pair-years with trade and GDP for both countries; "
            f"the data give {n} ({_rows_by_pair(panel)})"
        )
    if np.linalg.matrix_rank(panel.x) < k:
        raise OptionError(
            "the gravity panel cannot separate GDP, distance and border effects "
            f"(pairs in it: {', '.join(sorted(set(panel.pairs)))})"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # perfect-fit and convergence chatter on tiny panels
        fit = sm.GLM(panel.y, panel.x, family=sm.families.Poisson()).fit(cov_type="HC1")
    params = np.asarray(fit.params, dtype=float)
    return PpmlFit(
        params, np.asarray(fit.cov_params(), dtype=float), _step_sigma(panel, params), n, len(set(panel.pairs))
    )


def _rows_by_pair(panel: Panel) -> str:
    counts = {p: panel.pairs.count(p) for p in sorted(set(panel.pairs))}
    return ", ".join(f"{p} {c}" for p, c in counts.items()) or "none"


def _step_sigma(panel: Panel, params: np.ndarray) -> float:
    """Spread of the yearly change of a pair's log residual, from consecutive rows of each pair.

    A change over a gap of ``g`` years counts as ``g`` yearly steps (divided by sqrt ``g``): the
    residual is treated as a random walk, since trade shocks persist. The scale is robust (1.4826 ×
    the median absolute step, the normal-equivalent), so one break between mirror statistics (as
    KZ–RS 2015–2016, Serbian then Kazakh figures) does not widen every pair's interval.
    """
    resid = np.log(panel.y) - panel.x @ params
    rows: dict[str, list[tuple[int, float]]] = {}
    for pair, year, r in zip(panel.pairs, panel.years, resid, strict=True):
        rows.setdefault(pair, []).append((year, float(r)))
    steps = [
        abs(r1 - r0) / math.sqrt(y1 - y0)
        for series in rows.values()
        for (y0, r0), (y1, r1) in zip(sorted(series), sorted(series)[1:], strict=False)
    ]
    return 1.4826 * statistics.median(steps) if steps else 0.0


def gravity_forecast(
    trade: TradeData,
    pair: str,
    to_year: int,
    level: float = 0.8,
    data: GravityData | None = None,
    until: int | None = None,
    seed: int = 0,
    reporter: str | None = None,
) -> Forecast:
    """Forecast ``pair`` to ``to_year`` with the gravity model fitted on every shipped pair.

    ``until`` hides the trade figures after that year (from the fit and the anchor), for backtests;
    the path starts from the last year of ``reporter``'s statistics (default: the pair's default
    reporter, :meth:`TradeData.reconciled`).

    Raises
    ------
    OptionError
        A country without GDP figures, a horizon the data cannot support, or too small a panel.
    """
    data = data if data is not None else load_gravity(trade)
    _check_countries(data, pair)
    history = {y: v for y, v in trade.series(pair, reporter=reporter).items() if until is None or y <= until}
    if not history:
        raise OptionError(f"no {pair} trade totals up to {until} to anchor the gravity forecast on")
    last = max(history)
    check_horizon(last, to_year)
    fit = fit_ppml(build_panel(trade, data, until))
    ahead = tuple(range(last + 1, to_year + 1))
    x_last, x_ahead = _rows(data, pair, (last, *ahead))
    paths = history[last] * np.exp(_draw_log_changes(fit, x_ahead - x_last, seed))
    median = np.quantile(paths, 0.5, axis=0)
    low, high = np.quantile(paths, [(1 - level) / 2, (1 + level) / 2], axis=0)
    growth = float((median[-1] / history[last]) ** (1 / len(ahead)) - 1)
    note = _gdp_note(data, pair, to_year, fit)
    return Forecast("gravity", ahead, _floats(median), _floats(low), _floats(high), level, growth, note)


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _check_countries(data: GravityData, pair: str) -> None:
    for country in pair.split("-"):
        if country not in data.gdp:
            known = ", ".join(sorted(data.gdp))
            raise OptionError(
                f"the gravity method cannot fit {pair.replace('-', '–')}: gdp.csv has no GDP figures for "
                f"{country} (countries with GDP: {known})"
            )
        if len(data.gdp[country]) < 2:
            (year,) = data.gdp[country]
            raise OptionError(
                f"the gravity method cannot project {pair.replace('-', '–')}: gdp.csv has one GDP figure for "
                f"{country} ({year}); at least two are needed to carry it forward"
            )
    if pair not in data.distances:
        raise OptionError(f"no hub place with coordinates for both countries of {pair} (trade_hubs.csv)")


def _rows(data: GravityData, pair: str, years: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    rows = [regressors(data, pair, year, extrapolate=True) for year in years]
    found = [r for r in rows if r is not None]
    if len(found) < len(rows):
        raise OptionError(f"no GDP for both countries of {pair} in every year {years[0]}–{years[-1]}")
    x = np.vstack(found)
    return x[0], x[1:]


def _draw_log_changes(fit: PpmlFit, dx: np.ndarray, seed: int) -> np.ndarray:
    """Log change from the anchor year, one row per bootstrap draw and one column per year ahead.

    Coefficients come from their robust covariance; the pair's residual moves as a random walk
    with :attr:`PpmlFit.sigma` a year.
    """
    rng = np.random.default_rng(seed)
    betas = rng.multivariate_normal(fit.params, fit.cov, size=DRAWS, method="eigh")
    walk = np.cumsum(rng.normal(0, fit.sigma, (DRAWS, len(dx))), axis=1)
    return np.asarray(betas @ dx.T + walk)


def _gdp_note(data: GravityData, pair: str, to_year: int, fit: PpmlFit) -> str:
    parts = []
    for country in pair.split("-"):
        last = max(data.gdp[country])
        how = "sourced (IMF projections where published)" if last >= to_year else f"sourced to {last}, then trend"
        parts.append(f"{country} GDP {how}")
    e = dict(zip(TERMS, fit.params, strict=True))
    return (
        f"PPML on {fit.rows} pair-years of {fit.pairs} pairs: GDP elasticities {e['ln_gdp_a']:.2f} / "
        f"{e['ln_gdp_b']:.2f}, distance {e['ln_distance']:.2f}, border {e['border']:+.2f}; " + "; ".join(parts)
    )


def gravity_backtest(trade: TradeData, pair: str, holdout: int = 3, data: GravityData | None = None) -> float:
    """MAPE of the gravity forecast of the last ``holdout`` years, fitted on the years before them.

    Only published years count (no gap fills), both as held-out truth and as the anchor. GDP for
    the held-out years is the sourced figure, known only afterwards: the score shows the model's
    error given GDP, not the error of forecasting GDP as well.
    """
    history = trade.series(pair, fill=False)
    years = sorted(history)
    if len(years) <= holdout:
        raise OptionError(f"{pair} has {len(years)} years of trade; a backtest holding out {holdout} needs more")
    path = gravity_forecast(trade, pair, years[-1], data=data, until=years[-holdout - 1])
    predicted = [path.median[path.years.index(y)] for y in years[-holdout:]]
    truth = [history[y] for y in years[-holdout:]]
    return 100 * float(np.mean([abs(p - t) / t for p, t in zip(predicted, truth, strict=True)]))
