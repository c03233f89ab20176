"""Background jobs over HTTP: start a long computation, then poll it for progress and the result."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from corridor.interfaces.api.common import DEFAULT_PAGE, Limit, Offset, errors, paged
from corridor.interfaces.api.planning import ForecastIn, SimulateIn, run_forecast, run_simulate
from corridor.interfaces.api.routes import ReliabilityIn, run_reliability
from corridor.interfaces.jobs import Job, JobQueue

__all__ = [
    "JOB_ERRORS",
    "JobOut",
    "accepted",
    "forecast_job",
    "job",
    "job_list",
    "jobs",
    "reliability_job",
    "router",
    "simulate_job",
]

router = APIRouter()
jobs = JobQueue()
"""Background jobs of this server process (in memory: see :mod:`corridor.interfaces.jobs`)."""


class JobOut(BaseModel):
    """A background job: where it stands, and its result or error once finished."""

    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1, description="Share done: simulated time, or Monte Carlo journeys")
    created_at: str
    finished_at: str | None
    result: Any = Field(default=None, description="The synchronous endpoint's answer, once done")
    error: str | None = Field(default=None, description="Why it failed (a message, never a traceback)")


def _job_out(job: Job, *, with_result: bool = True) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=round(job.progress, 4),
        created_at=job.created_at.isoformat(),
        finished_at=job.finished_at.isoformat() if job.finished_at else None,
        result=job.result if with_result else None,
        error=job.error,
    )


def accepted(job: Job, response: Response) -> JobOut:
    """Answer 202 for a submitted job, with its URL in `Location`."""
    response.headers["Location"] = f"/jobs/{job.id}"
    return _job_out(job)


JOB_ERRORS = errors(429)


@router.post(
    "/jobs/simulate",
    status_code=202,
    response_model=JobOut,
    summary="Start a simulation in the background; poll the Location for progress",
    responses=JOB_ERRORS,
)
def simulate_job(body: SimulateIn, response: Response) -> Any:
    return accepted(jobs.submit("simulate", lambda progress: run_simulate(body, progress)), response)


@router.post(
    "/jobs/forecast",
    status_code=202,
    response_model=JobOut,
    summary="Start a forecast in the background; poll the Location for the result",
    responses=JOB_ERRORS,
)
def forecast_job(body: ForecastIn, response: Response) -> Any:
    return accepted(jobs.submit("forecast", lambda _progress: run_forecast(body).model_dump()), response)


@router.post(
    "/jobs/reliability",
    status_code=202,
    response_model=JobOut,
    summary="Start a reliability run in the background; progress counts Monte Carlo journeys",
    responses=JOB_ERRORS,
)
def reliability_job(body: ReliabilityIn, response: Response) -> Any:
    return accepted(jobs.submit("reliability", lambda progress: run_reliability(body, progress)), response)


@router.get(
    "/jobs", response_model=list[JobOut], summary="Jobs this server remembers, oldest first (no results; paginated)"
)
def job_list(request: Request, response: Response, limit: Limit = DEFAULT_PAGE, offset: Offset = 0) -> Any:
    page = jobs.list()[offset : offset + limit]
    return paged([_job_out(j, with_result=False) for j in page], request, response, limit, offset)


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status, progress, and result or error",
    responses=errors(404),
)
def job(job_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Any:
    return _job_out(jobs.get(job_id))
