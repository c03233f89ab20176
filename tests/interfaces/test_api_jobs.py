"""Background jobs: 202 + Location, real progress that never goes back, the synchronous answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.errors import CorridorError, NotFoundError
from corridor.interfaces import api
from corridor.interfaces.api import background
from corridor.interfaces.jobs import Job, JobQueue

POLL_LIMIT = 600
"""Polls before a test gives up on a job (a hang guard, not a timing assertion)."""


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    queue = JobQueue(workers=1, max_pending=4)
    monkeypatch.setattr(background, "jobs", queue)
    yield TestClient(api.app, raise_server_exceptions=False)
    queue.shutdown()


def _finish(client: TestClient, location: str) -> tuple[dict[str, Any], list[float]]:
    """Poll a job until it ends; return its last state and every progress value seen."""
    seen = []
    for _ in range(POLL_LIMIT):
        state = client.get(location).json()
        seen.append(state["progress"])
        if state["status"] in ("done", "failed"):
            return state, seen
        time.sleep(0.02)
    raise AssertionError(f"job {location} did not finish")


def test_simulation_job_matches_the_synchronous_answer(client: TestClient) -> None:
    body = {"scenario": "titr-2024-base", "years": 0.3, "seed": 7}
    submitted = client.post("/jobs/simulate", json=body)
    assert submitted.status_code == 202
    location = submitted.headers["location"]
    assert location == f"/jobs/{submitted.json()['id']}"
    state, seen = _finish(client, location)
    assert state["status"] == "done" and state["error"] is None
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert state["result"] == client.post("/simulate", json=body).json()


def test_reliability_job_reports_monte_carlo_progress(client: TestClient) -> None:
    query = {"origin": "Xian", "destination": "Baku", "deadline": "20d", "samples": 150_000, "seed": 3}
    location = client.post("/jobs/reliability", json=query).headers["location"]
    state, seen = _finish(client, location)
    assert state["status"] == "done" and seen == sorted(seen)
    assert state["result"] == client.get("/reliability", params=query).json()


def test_forecast_job_and_its_failure_message(client: TestClient) -> None:
    good = client.post("/jobs/forecast", json={"a": "KZ", "b": "UZ", "to": 2030}).headers["location"]
    state, _ = _finish(client, good)
    assert state["result"] == client.get("/forecast", params={"a": "KZ", "b": "UZ", "to": 2030}).json()
    bad = client.post("/jobs/forecast", json={"a": "KZ", "b": "XX"}).headers["location"]
    state, _ = _finish(client, bad)
    assert state["status"] == "failed" and "XX" in state["error"] and state["result"] is None


def test_unknown_job_is_404(client: TestClient) -> None:
    response = client.get("/jobs/0123456789abcdef")
    assert response.status_code == 404 and "no job" in response.json()["detail"]


def test_job_list_has_no_results(client: TestClient) -> None:
    location = client.post("/jobs/forecast", json={"a": "KZ", "b": "UZ"}).headers["location"]
    _finish(client, location)
    listed = client.get("/jobs").json()
    assert [j["id"] for j in listed] == [location.rsplit("/", 1)[1]] and listed[0]["result"] is None


def test_job_list_is_paginated_with_a_link_to_the_next_page(client: TestClient) -> None:
    ids = [client.post("/jobs/forecast", json={"a": "KZ", "b": b}).json()["id"] for b in ("UZ", "TM", "AZ")]
    first = client.get("/jobs", params={"limit": 2})
    assert [j["id"] for j in first.json()] == ids[:2] and 'rel="next"' in first.headers["link"]
    following = client.get(first.headers["link"].split(">")[0].removeprefix("<"))
    assert [j["id"] for j in following.json()] == ids[2:] and "link" not in following.headers
    assert [j["id"] for j in client.get("/jobs").json()] == ids
    assert client.get("/jobs", params={"limit": 100_000}).status_code == 422
    assert client.get("/jobs", params={"offset": -1}).status_code == 422


def test_a_full_queue_is_429_with_a_message(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    queue = JobQueue(workers=1, max_pending=1)
    monkeypatch.setattr(background, "jobs", queue)
    queue.submit("wait", lambda _progress: gate.wait())
    response = client.post("/jobs/forecast", json={"a": "KZ", "b": "UZ"})
    gate.set()
    queue.shutdown()
    assert response.status_code == 429 and "busy" in response.json()["detail"]
    assert response.headers["retry-after"]


def test_progress_never_goes_back_and_bugs_hide_their_traceback() -> None:
    queue = JobQueue(workers=1)

    def wobbly(progress: Any) -> str:
        for share in (0.2, 0.6, 0.4, 1.5):
            progress(share)
        return "ok"

    def buggy(_progress: Any) -> None:
        raise ZeroDivisionError("secret internals")

    def refused(_progress: Any) -> None:
        raise CorridorError("samples must be positive")

    done, bug, bad = (queue.submit(kind, work) for kind, work in (("w", wobbly), ("b", buggy), ("r", refused)))
    queue.shutdown()
    assert (done.status, done.progress, done.result) == ("done", 1.0, "ok")
    assert bug.status == "failed" and "secret" not in (bug.error or "") and "internal error" in (bug.error or "")
    assert (bad.status, bad.error) == ("failed", "samples must be positive")


def test_old_finished_jobs_are_forgotten() -> None:
    queue = JobQueue(workers=1, keep=2)
    ids = []
    for _ in range(4):
        job = queue.submit("x", lambda _progress: 1)
        ids.append(job.id)
        for _ in range(POLL_LIMIT):
            if job.status == "done":
                break
            time.sleep(0.01)
    queue.shutdown()
    assert [j.id for j in queue.list()] == ids[1:]
    with pytest.raises(NotFoundError):
        queue.get(ids[0])


def test_job_progress_is_clamped_and_monotonic() -> None:
    job = Job(id="j", kind="x")
    seen = []
    for share in (0.2, 0.6, 0.4, -1.0, 1.5):
        job.advance(share)
        seen.append(job.progress)
    assert seen == [0.2, 0.6, 0.6, 0.6, 1.0]
