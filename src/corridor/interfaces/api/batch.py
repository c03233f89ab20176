"""Batch planning over HTTP: upload a shipment list, poll the job, download the files.

``POST /jobs/batch`` takes the CSV as the request body (``Content-Type: text/csv``) and answers
202 with ``Location: /jobs/{id}``; a file that cannot be read at all (no header, unknown
columns) is a 422 at once, while bad rows become row errors in the result. When the job is
done, ``/jobs/{id}/results.csv``, ``/jobs/{id}/legs.csv`` and ``/jobs/{id}/report.html`` (or
``report.json``) download the same files ``corridor batch`` writes.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from corridor.errors import ConflictError, CorridorError, NotFoundError
from corridor.interfaces.api import background
from corridor.interfaces.api.common import errors
from corridor.interfaces.jobs import Progress

__all__ = [
    "FILES",
    "KEEP_LEGS",
    "MAX_BATCH_SAMPLES",
    "MAX_BYTES",
    "MAX_ROWS",
    "BatchInputError",
    "batch_file",
    "batch_job",
    "router",
    "run_batch",
]

router = APIRouter()

MAX_BYTES = 2_000_000
"""Largest shipment list accepted over HTTP."""
MAX_ROWS = 20_000
"""Most shipments in one uploaded list."""
MAX_BATCH_SAMPLES = 20_000
"""Monte Carlo journeys per lane a batch may ask for (each distinct lane is sampled once)."""
FILES = ("results.csv", "legs.csv", "report.html", "report.json")
KEEP_LEGS = 8
"""Batches whose per-leg file is kept (its rows are made on download from the planned lanes)."""

_planned: OrderedDict[str, dict[str, Any]] = OrderedDict()
_planned_lock = threading.Lock()


class BatchInputError(CorridorError):
    """The uploaded list cannot be read or is too large (422)."""


@router.post(
    "/jobs/batch",
    status_code=202,
    summary="Plan a shipment list (CSV body) in the background; poll the Location, then download",
    responses=errors(422, 429),
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}},
)
async def batch_job(
    request: Request,
    response: Response,
    samples: Annotated[int, Query(ge=0, le=MAX_BATCH_SAMPLES, description="Monte Carlo journeys per lane")] = 0,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    empty_return: Annotated[bool, Query(description="Add bringing the empty box back to every lane")] = False,
) -> Any:
    from corridor.shipments.reading import read_shipments_text

    body = await request.body()
    if len(body) > MAX_BYTES:
        raise BatchInputError(f"the shipment list is {len(body):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchInputError("the shipment list must be UTF-8 CSV text") from None
    items = read_shipments_text(text, "upload")
    if len(items) > MAX_ROWS:
        raise BatchInputError(f"the list has {len(items):,} shipments; the limit is {MAX_ROWS:,} per upload")
    kept: dict[str, Any] = {}
    job = background.jobs.submit(
        "batch", lambda progress: run_batch(items, samples, seed, progress, kept, empty_return=empty_return)
    )
    with _planned_lock:
        _planned[job.id] = kept
        while len(_planned) > KEEP_LEGS:
            _planned.popitem(last=False)
    return background.accepted(job, response)


def run_batch(
    items: list[Any],
    samples: int,
    seed: int,
    progress: Progress,
    kept: dict[str, Any] | None = None,
    *,
    empty_return: bool = False,
) -> dict[str, Any]:
    """Plan ``items``; return the summary and the report (JSON-ready) and keep the plans in ``kept``.

    The per-leg rows (thirty or so per shipment) are not part of the job's result: they are
    made from the kept plans when ``legs.csv`` is downloaded.
    """
    from corridor.routing.api import default_network
    from corridor.shipments.plan import plan_shipments
    from corridor.shipments.report import report_data, summarise

    total = max(len(items), 1)
    network = default_network()
    out = plan_shipments(
        items,
        network=network,
        samples=samples,
        seed=seed,
        progress=lambda n: progress(n / total),
        empty_return=empty_return,
    )
    if kept is not None:
        kept["outcomes"] = out
    return {"summary": summarise(out), "report": report_data(out, network)}


@router.get(
    "/jobs/{job_id}/{name}",
    summary="Download a finished batch job's results.csv, legs.csv, report.html or report.json",
    responses=errors(404, 409),
)
def batch_file(
    job_id: Annotated[str, Path(min_length=1, max_length=64)],
    name: Annotated[str, Path(description="results.csv, legs.csv, report.html or report.json")],
) -> Response:
    from corridor.shipments.report import ELEMENT_COLUMNS, RESULT_COLUMNS, element_rows, report_html

    if name not in FILES:
        raise NotFoundError(f"unknown file '{name}'; a batch job has {', '.join(FILES)}")
    job = background.jobs.get(job_id)
    if job.kind != "batch":
        raise NotFoundError(f"job {job_id} is a {job.kind} job, not a batch")
    if job.status != "done":
        raise ConflictError(f"job {job_id} is {job.status}; download once it is done")
    result: dict[str, Any] = job.result
    if name == "results.csv":
        return PlainTextResponse(_csv(result["report"]["results"], RESULT_COLUMNS), media_type="text/csv")
    if name == "legs.csv":
        with _planned_lock:
            kept = _planned.get(job_id, {})
        if "outcomes" not in kept:
            raise NotFoundError(
                f"the per-leg file of job {job_id} is no longer kept (only the last {KEEP_LEGS} batches)"
            )
        return PlainTextResponse(_csv(element_rows(kept["outcomes"]), ELEMENT_COLUMNS), media_type="text/csv")
    if name == "report.json":
        return JSONResponse(result["report"])
    return HTMLResponse(report_html(result["report"]))


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
