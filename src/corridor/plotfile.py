"""Writing a plot to a file whose suffix picks the format: shared by every ``plot`` module.

The forecast fan chart, the reliability ECDF and the simulation queues each draw a ``.png`` with
matplotlib or an ``.html`` page with plotly; the checks and error messages around that choice
live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corridor.errors import CorridorError, OptionError

__all__ = ["write_plot"]


def write_plot(path: str | Path, *, png: Callable[[Path], None], html: Callable[[Path], None]) -> Path:
    """Write a plot with ``png(out)`` or ``html(out)`` as ``path``'s suffix says; returns the path.

    Raises
    ------
    OptionError
        If the suffix is neither ``.png`` nor ``.html``.
    CorridorError
        If the ``plot`` extra (matplotlib, plotly) is not installed, or the file cannot be written.
    """
    out = Path(path)
    if out.suffix.lower() not in (".png", ".html"):
        raise OptionError(f"plots are written as .html or .png files; got '{out.name}'")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        (png if out.suffix.lower() == ".png" else html)(out)
    except ImportError as exc:
        raise CorridorError("plots need the plot extra: pip install 'corridor[plot]'") from exc
    except OSError as exc:
        raise CorridorError(f"cannot write the plot to {out}: {exc.strerror or exc}") from exc
    return out
