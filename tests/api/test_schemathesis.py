"""Property-based API test: every request the schema allows gets a documented answer, never a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


@pytest.fixture
def api_schema(db: None, settings: Settings) -> Iterator[schemathesis.BaseSchema]:
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis calls the WSGI app as http://localhost
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True  # a server error fails with its traceback, not a bare 500
    # A real WSGI call closes the database connection when the request ends, which would end the test's
    # transaction on PostgreSQL; Django's own test client unhooks this signal the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_produces_a_server_error(case: schemathesis.Case[Any]) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    # Rules no schema can state (a day ending before it starts, a place that does not exist, a NUL in an
    # address) refuse schema-valid data with a 400 and a message; everything else is still checked.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
