"""Fuzz the REST API from its own OpenAPI spec with Schemathesis: no input may cause a 5xx.

Every operation gets valid (positive) and invalid (negative) generated requests; write
operations are sent with the right bearer token on every other case so that the code behind
the token check is reached too, against a throwaway SQLite store. Random text almost never names
a real place, country or scenario, so a third, grounded pass draws those from short lists of
real (and a few wrong) names while Schemathesis generates everything else: that is what drives
the route search, the Monte Carlo sampler, the forecasts and the scenario store. Besides "not a server error",
each answer must have a documented status code, content type and, where one is declared, a body
matching its schema. Nothing is excluded: the long-running operations stay cheap because their
inputs are bounded by the schema (years <= 2, samples <= 200,000) and random names rarely hit a
real scenario or place, and job submissions go to a private queue that is drained at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corridor import settings as corridor_settings
from corridor.interfaces import api
from corridor.interfaces.api import background
from corridor.interfaces.jobs import JobQueue

pytestmark = [pytest.mark.slow]  # Schemathesis generates hundreds of requests

TOKEN = "fuzz-token"
EXAMPLES = {GenerationMode.POSITIVE: 45, GenerationMode.NEGATIVE: 25}
"""Generated cases per operation and mode (operations without parameters exhaust sooner)."""
MIN_CASES = 1_000
GROUNDED = 15
"""Grounded cases per operation that takes a place, country or scenario name."""
PLACES = ("Shanghai", "Belgrade", "Xian", "Baku", "Almaty", "Poti", "Istanbul", "Atlantis")
COUNTRIES = ("KZ", "UZ", "CN", "AZ", "GE", "TR", "XX")
SCENARIOS = ("base", "other")
BASE = (corridor_settings.data_dir() / "scenarios" / "titr-2024-base.yaml").read_text(encoding="utf-8")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[JobQueue]:
    """A throwaway store, a known token and a private job queue."""
    monkeypatch.setenv("CORRIDOR_DB", f"sqlite:///{tmp_path / 'fuzz.db'}")
    monkeypatch.setenv(corridor_settings.TOKEN_ENV, TOKEN)
    queue = JobQueue(workers=1, max_pending=1_000)
    monkeypatch.setattr(background, "jobs", queue)
    yield queue
    queue.shutdown()


def test_no_generated_request_causes_a_server_error(isolated: JobQueue) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    cases: Counter[str] = Counter()
    for operation in operations:
        takes_input = any(len(part) for part in (operation.path_parameters, operation.query, operation.body))
        for mode, examples in EXAMPLES.items():
            if takes_input or mode is GenerationMode.POSITIVE:  # no input, nothing to make invalid
                _fuzz(operation, mode, examples, cases)
        grounded = _grounded(operation)
        if grounded is not None:
            _fuzz(operation, grounded, GROUNDED, cases)
    assert {op.label for op in operations} == set(cases), "every operation was exercised"
    assert cases.total() >= MIN_CASES, cases
    isolated.shutdown()  # background jobs are code paths too: none may end in an internal error
    outcomes = Counter(job.status for job in isolated.list())
    assert outcomes["done"] and not [j.error for j in isolated.list() if "internal error" in (j.error or "")]


def _grounded(operation: schemathesis.APIOperation) -> st.SearchStrategy[schemathesis.Case] | None:
    """Cases whose names are real (mostly), the rest generated; ``None`` if the operation takes no name."""
    parts = _GROUNDS.get(operation.label)
    if parts is None:
        return None
    return st.fixed_dictionaries(parts).flatmap(lambda kwargs: operation.as_strategy(**kwargs))


_pair = {"origin": st.sampled_from(PLACES), "destination": st.sampled_from(PLACES)}
_deadline = st.sampled_from(("20d", "600h", "2030-01-01", "soon"))
_countries = {"a": st.sampled_from(COUNTRIES), "b": st.sampled_from(COUNTRIES)}
_horizon = st.sampled_from((2026, 2030, 2045, 2099))
_short = st.floats(min_value=0.01, max_value=0.1)
_shipped = st.sampled_from(("titr-2024-base", "titr-2030-triple", "nope"))
_named = st.fixed_dictionaries({"name": st.sampled_from(SCENARIOS)})
_GROUNDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "GET /route": {"query": st.fixed_dictionaries(_pair)},
    "GET /route.geojson": {"query": st.fixed_dictionaries(_pair)},
    "GET /compare": {"query": st.fixed_dictionaries(_pair)},
    "GET /reliability": {"query": st.fixed_dictionaries({**_pair, "deadline": _deadline})},
    "POST /jobs/reliability": {
        "body": st.fixed_dictionaries(
            {**_pair, "deadline": _deadline, "samples": st.integers(1, 20_000), "month": st.sampled_from(("jan", "13"))}
        )
    },
    "GET /forecast": {"query": st.fixed_dictionaries({**_countries, "to": _horizon})},
    "POST /jobs/forecast": {"body": st.fixed_dictionaries({**_countries, "to": _horizon})},
    "POST /simulate": {"body": st.fixed_dictionaries({"scenario": _shipped, "years": _short})},
    "POST /jobs/simulate": {"body": st.fixed_dictionaries({"scenario": _shipped, "years": _short})},
    "POST /scenarios": {"body": st.fixed_dictionaries({"name": st.sampled_from(SCENARIOS), "yaml": st.just(BASE)})},
    "GET /scenarios/{name}": {"path_parameters": _named},
    "PUT /scenarios/{name}": {"path_parameters": _named, "body": st.just({"yaml": BASE})},
    "DELETE /scenarios/{name}": {"path_parameters": _named},
    "POST /scenarios/{name}/simulate": {
        "path_parameters": _named,
        "body": st.fixed_dictionaries({"years": _short}),
    },
}


def _fuzz(
    operation: schemathesis.APIOperation,
    mode: GenerationMode | st.SearchStrategy[schemathesis.Case],
    examples: int,
    cases: Counter[str],
) -> None:
    writes = operation.method.upper() in ("POST", "PUT", "DELETE")
    strategy = operation.as_strategy(generation_mode=mode) if isinstance(mode, GenerationMode) else mode

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        cases[operation.label] += 1
        headers = {"Authorization": f"Bearer {TOKEN}"} if writes and cases[operation.label] % 2 else None
        # a long timeout: the first forecast of each method calibrates its band on the backtest
        # (about 20 model fits, 4-10 s on the shared 2-core machine), which is not what this test is about
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=120)

    run()


def _every_operation() -> list[tuple[str, str, tuple[str, ...]]]:
    """Method, path (path parameters filled with a name that exists or not) and query parameter
    names of every operation of the OpenAPI spec."""
    found = []
    for path, operations in api.app.openapi()["paths"].items():
        concrete = path.replace("{name}", "base").replace("{job_id}", "nojob")
        for method, spec in operations.items():
            names = tuple(p["name"] for p in spec.get("parameters", []) if p["in"] == "query")
            found.append((method.upper(), concrete, names))
    return found


_OPERATIONS = _every_operation()
_header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300)


@settings(max_examples=100, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    target=st.sampled_from(_OPERATIONS),
    body=st.one_of(st.binary(max_size=2_000), st.text(max_size=500).map(str.encode)),
    content_type=st.sampled_from(
        ("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "")
    ),
    extra=st.dictionaries(st.sampled_from(("X-Fuzz", "Accept", "Content-Encoding", "Authorization")), _header_text),
)
def test_raw_bodies_and_headers_never_cause_a_server_error(
    isolated: JobQueue, target: tuple[str, str, tuple[str, ...]], body: bytes, content_type: str, extra: dict[str, str]
) -> None:
    """Bytes that are not the schema's JSON, odd content types and header values: a 4xx, never a 5xx
    (a 503 from a full lane or the store would be fair, but the in-process store and lanes are idle)."""
    from fastapi.testclient import TestClient

    client = TestClient(api.app, raise_server_exceptions=False)
    method, path, _ = target
    headers = {**extra, **({"Content-Type": content_type} if content_type else {})}
    answer = client.request(method, path, content=body, headers=headers)
    assert answer.status_code < 500, (answer.status_code, answer.text[:300])
    assert answer.headers.get("content-type", "").startswith(("application/json", "application/geo+json"))


_raw_value = st.one_of(
    st.binary(max_size=60).map(lambda b: "".join(f"%{x:02X}" for x in b)),  # any byte, %00 and bad UTF-8 too
    st.text(max_size=60).map(lambda t: quote(t, safe="")),  # any text, as UTF-8
    st.sampled_from(("", "-1", "1e309", "nan", "inf", "9" * 5_000, "true", "Shanghai", "KZ", "2030")),
)


@settings(max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(_OPERATIONS), data=st.data())
def test_raw_query_strings_never_cause_a_server_error(
    isolated: JobQueue, target: tuple[str, str, tuple[str, ...]], data: st.DataObject
) -> None:
    """Query strings as a client could send them, unvalidated: each declared parameter (and an
    unknown one), repeated or not, with any bytes percent-encoded, huge numbers, NaN and infinity."""
    from fastapi.testclient import TestClient

    method, path, names = target
    keys = st.sampled_from((*names, "unknown")) if names else st.just("unknown")
    pairs = data.draw(st.lists(st.tuples(keys, _raw_value), max_size=6))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    client = TestClient(api.app, raise_server_exceptions=False)
    answer = client.request(method, f"{path}?{query}", json={} if method in ("POST", "PUT") else None)
    assert answer.status_code < 500, (method, path, query[:300], answer.status_code, answer.text[:300])
