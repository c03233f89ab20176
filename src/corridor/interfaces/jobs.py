"""Background jobs for the REST API: a bounded worker pool with progress and results.

A long request (a simulation, a forecast, a large Monte Carlo run) is submitted as a job and
answered at once with its id; the client polls the job for ``status`` (queued, running, done,
failed), ``progress`` (0 … 1, from the computation's own progress callback) and, at the end,
the result or an error message.

Jobs live in the memory of the server process. They are lost when it restarts, and with several
server processes (``uvicorn --workers N``) a job is visible only to the process that accepted it,
so serve jobs from a single process (``corridor serve`` runs one). Threads, not processes, run the
jobs so that progress needs no inter-process channel; the heavy parts (NumPy sampling) release
the GIL, the pure-Python simulation does not, which is why the pool is small.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from corridor.errors import BusyError, CorridorError, NotFoundError

__all__ = [
    "KEEP_FINISHED",
    "MAX_PENDING",
    "WORKERS",
    "Job",
    "JobQueue",
    "Progress",
    "Status",
    "Work",
]

Status = Literal["queued", "running", "done", "failed"]
Progress = Callable[[float], None]
Work = Callable[[Progress], Any]
"""A job's computation: called with a progress callback taking the fraction done."""

WORKERS = 2
"""Jobs run at the same time."""
MAX_PENDING = 16
"""Jobs queued or running at once; more are refused until one finishes."""
KEEP_FINISHED = 200
"""Finished jobs remembered; the oldest is forgotten first."""

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One background computation and what is known about it so far."""

    id: str
    kind: str
    status: Status = "queued"
    progress: float = 0.0
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    result: Any = None
    error: str | None = None

    def advance(self, fraction: float) -> None:
        """Record progress; it never goes backwards and stays within 0 … 1."""
        self.progress = max(self.progress, min(1.0, max(0.0, fraction)))


class JobQueue:
    """Runs jobs on a small thread pool and keeps their state in memory.

    Parameters
    ----------
    workers : int
        Jobs running at the same time.
    max_pending : int
        Jobs queued or running at once; :meth:`submit` refuses more with a :class:`~corridor.errors.BusyError`.
    keep : int
        Finished jobs remembered before the oldest is dropped.
    """

    def __init__(self, workers: int = WORKERS, max_pending: int = MAX_PENDING, keep: int = KEEP_FINISHED) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="corridor-job")
        self._max_pending = max_pending
        self._keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, work: Work) -> Job:
        """Queue ``work``; return its job (status ``queued``).

        Raises
        ------
        BusyError
            If ``max_pending`` jobs are already queued or running.
        """
        with self._lock:
            pending = sum(j.status in ("queued", "running") for j in self._jobs.values())
            if pending >= self._max_pending:
                raise BusyError(f"the server is busy with {pending} jobs; try again when one has finished")
            job = Job(id=uuid.uuid4().hex, kind=kind)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job:
        """The job with this id.

        Raises
        ------
        NotFoundError
            If there is no such job (or it finished long ago and was forgotten).
        """
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job '{job_id}' (jobs are kept in memory until the server restarts)")
        return job

    def list(self) -> list[Job]:
        """Every remembered job, oldest first."""
        return list(self._jobs.values())

    def shutdown(self) -> None:
        """Run the queued jobs to their end, then stop the pool."""
        self._pool.shutdown(wait=True)

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        job.status = "running"
        try:
            job.result = work(job.advance)
        except CorridorError as exc:
            job.error = str(exc)
        except Exception:
            # A bug, not bad input: the log gets the traceback, the client a plain sentence.
            log.exception("job %s (%s) failed", job.id, job.kind)
            job.error = "the job failed with an internal error; the server log has the details"
        job.finished_at = datetime.now(UTC)
        if job.error is None:
            job.advance(1.0)
        job.status = "failed" if job.error is not None else "done"

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("done", "failed")]
        for job in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[job.id]
