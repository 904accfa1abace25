"""A property-based run of the whole public API from its OpenAPI document (schemathesis): never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.rasa


@pytest.fixture
def api_schema(web_with):
    # Limits out of the way: the run must reach the code behind them.
    service = web_with(
        rate_conversation="100000/60",
        rate_address_messages="100000/60",
        rate_address_conversations="100000/60",
    )
    return schemathesis.openapi.from_url(f"{service.url}/api/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_the_schema_allows_makes_the_service_fail(case):
    response = case.call(timeout=60)
    assert response.status_code < 500, (response.status_code, response.text[:500])
    # Every error is the documented JSON the widget knows how to show.
    if response.status_code >= 400:
        body = response.json()
        assert body["error"] and body["messages"][0]["text"]
    # And the rest of schemathesis' checks: status codes, content types and
    # bodies as documented.
    case.validate_response(response)
