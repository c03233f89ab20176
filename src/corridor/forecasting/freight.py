"""From trade value to freight: tonnes, containers and block trains a year.

tonnes = value / value density (USD per tonne); containers (TEU) = tonnes × the containerisable
share / tonnes per loaded TEU; trains a week = TEU / TEU per block train / 52. Each factor comes
from ``trade_conversion.csv`` with its source; the interval of the value carries through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.forecasting.data import Conversion
from corridor.forecasting.models import Forecast

if TYPE_CHECKING:
    import pandas as pd

WEEKS = 52.0


def freight_table(history: dict[int, float], path: Forecast, conversion: Conversion) -> pd.DataFrame:
    """Yearly value (million USD), tonnes, TEU and trains a week: history, then the forecast.

    Columns ``value_usd_m``, ``tonnes``, ``teu``, ``trains_per_week`` hold the median (or the
    observed value); ``*_low`` / ``*_high`` the forecast interval; ``kind`` says ``observed`` or
    the method.
    """
    import pandas as pd

    rows = [_row(year, value, value, value, "observed", conversion) for year, value in sorted(history.items())]
    rows += [
        _row(year, mid, low, high, path.method, conversion)
        for year, mid, low, high in zip(path.years, path.median, path.low, path.high, strict=True)
    ]
    return pd.DataFrame(rows)


def _row(year: int, mid: float, low: float, high: float, kind: str, c: Conversion) -> dict[str, float | int | str]:
    row: dict[str, float | int | str] = {"year": year, "kind": kind}
    for suffix, value in (("", mid), ("_low", low), ("_high", high)):
        tonnes = value * 1e6 / c.usd_per_tonne
        teu = tonnes * c.container_share / c.tonnes_per_teu
        row[f"value_usd_m{suffix}"] = value
        row[f"tonnes{suffix}"] = tonnes
        row[f"teu{suffix}"] = teu
        row[f"trains_per_week{suffix}"] = teu / c.teu_per_train / WEEKS
    return row
