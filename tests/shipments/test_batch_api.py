"""POST /jobs/batch: upload, poll, download; unreadable uploads are a 422, bad rows stay rows."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.interfaces import api
from corridor.interfaces.api import background
from corridor.interfaces.jobs import JobQueue

UPLOAD = (
    "reference,origin,destination,cargo,quantity,weight_kg,volume_m3\n"
    "a,Xian,Duisburg,40ft,2,,\n"
    "b,Xain,Duisburg,40ft,1,,\n"
    "c,Astana,Belgrade,air,,120,0.4\n"
)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    queue = JobQueue(workers=1, max_pending=4)
    monkeypatch.setattr(background, "jobs", queue)
    yield TestClient(api.app, raise_server_exceptions=False)
    queue.shutdown()


def _finish(client: TestClient, location: str) -> dict[str, Any]:
    for _ in range(600):  # a hang guard, not a timing assertion
        state: dict[str, Any] = client.get(location).json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.02)
    raise AssertionError("batch job did not finish")


def test_upload_poll_download(client: TestClient) -> None:
    sent = client.post("/jobs/batch", content=UPLOAD, headers={"Content-Type": "text/csv"})
    assert sent.status_code == 202
    state = _finish(client, sent.headers["location"])
    assert state["status"] == "done" and state["progress"] == 1.0
    assert state["result"]["summary"]["planned"] == 2 and state["result"]["summary"]["errors"] == 1
    rows = list(csv.DictReader(io.StringIO(client.get(f"{sent.headers['location']}/results.csv").text)))
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["error_field"] == "origin" and "Xi'an" in rows[1]["error"]
    legs = client.get(f"{sent.headers['location']}/legs.csv")
    assert legs.status_code == 200 and "hub" in legs.text
    page = client.get(f"{sent.headers['location']}/report.html")
    assert page.status_code == 200 and "ISO 14083" in page.text and "<script" not in page.text


def test_unreadable_uploads_are_422_and_unknown_downloads_404(client: TestClient) -> None:
    bad = client.post("/jobs/batch", content="origin,destination,kargo\nXian,Duisburg,40ft\n")
    assert bad.status_code == 422 and "unknown column" in bad.json()["detail"]
    assert client.post("/jobs/batch", content=b"\xff\xfe\x00bad").status_code == 422
    assert client.post("/jobs/batch?samples=-1", content=UPLOAD).status_code == 422
    sent = client.post("/jobs/batch", content=UPLOAD)
    location = sent.headers["location"]
    assert client.get(f"{location}/secrets.txt").status_code == 404
    assert client.get("/jobs/nope/results.csv").status_code == 404
    _finish(client, location)
    assert client.get(f"{location}/report.json").json()["planned"] == 2


def test_only_recent_batches_keep_their_per_leg_file(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.interfaces.api import batch

    monkeypatch.setattr(batch, "KEEP_LEGS", 1)
    first = client.post("/jobs/batch", content=UPLOAD).headers["location"]
    second = client.post("/jobs/batch", content=UPLOAD).headers["location"]
    _finish(client, first)
    _finish(client, second)
    gone = client.get(f"{first}/legs.csv")
    assert gone.status_code == 404 and "no longer kept" in gone.json()["detail"]
    assert client.get(f"{first}/results.csv").status_code == 200  # the results stay with the job
    assert client.get(f"{second}/legs.csv").status_code == 200
