"""Errors carry no interface concerns: the server maps classes to HTTP statuses, the CLI to exit codes."""

from __future__ import annotations

import pytest

from corridor import errors
from corridor.errors import (
    BusyError,
    ConflictError,
    CorridorError,
    NoRouteError,
    NotFoundError,
    OptionError,
    StoreError,
    UnknownPlaceError,
)
from corridor.interfaces.cli.common import exit_code


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (NoRouteError("A", "B", "the sea is closed"), 404, 1),
        (NotFoundError("no scenario 'x'"), 404, 2),
        (ConflictError("scenario 'x' exists"), 409, 2),
        (BusyError("busy"), 429, 2),
        (StoreError("the database is unavailable"), 503, 2),
        (UnknownPlaceError("Xyz", ["Xian"]), 422, 2),
        (OptionError("unknown mode teleport"), 422, 2),
    ],
)
def test_each_class_has_one_status_and_one_exit_code(exc: CorridorError, status: int, code: int) -> None:
    from corridor.interfaces.api.server import status_of

    assert status_of(exc) == status
    assert exit_code(exc) == code


def test_no_error_carries_an_http_status() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert not hasattr(cls, "status"), name
