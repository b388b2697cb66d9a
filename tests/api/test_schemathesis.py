"""Property-based API test: every request the schema allows gets a documented answer, never a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings


@pytest.fixture
def api_schema(db: None, settings: Settings) -> schemathesis.BaseSchema:
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis calls the WSGI app as http://localhost
    return schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_produces_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response)
