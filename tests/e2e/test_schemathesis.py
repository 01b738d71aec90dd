"""Property-based API testing with schemathesis against the live server's /openapi.json.

Generated requests (valid and invalid) to every operation: no response is a 5xx, every status
code is documented and every body matches its documented schema. SQLite only: this tests the
HTTP contract, which does not depend on the backend. 10 examples per public operation, 8 per /api one
(every operation is still exercised; fewer examples keep make test within its time budget).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import Live, basic, bearer, sqlite_url, start_live

# one test worker runs both tests on the module's one server (not one server per worker)
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("schemathesis")]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    live = start_live(sqlite_url(folder), folder)
    yield live
    live.server.stop()


@pytest.fixture(scope="module")
def api_schema(api_server: Live) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(api_server.url + "/openapi.json")


@pytest.fixture(autouse=True)
def _nodeid_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy loader reads ``node._nodeid``, which pytest 9 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")
EXAMPLES = settings(max_examples=10, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
# the token-authenticated API has four times as many operations as the public routes
API_EXAMPLES = settings(max_examples=8, deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))
API = r"^/api/"


@schema.exclude(path_regex=API).parametrize()
@EXAMPLES
def test_collector_honours_its_openapi_contract(case: schemathesis.Case, api_server: Live) -> None:
    """The public routes (Segment, commerce intake, marketplace webhooks, CSAT links, /healthz),
    with the write key as Basic auth."""
    case.call_and_validate(headers={"Authorization": basic(api_server.tenant.write_key)},
                           checks=CHECKS, timeout=30)


@schema.include(path_regex=API).parametrize()
@schema.given(own_workspace=st.booleans())
@API_EXAMPLES
def test_admin_api_honours_its_openapi_contract(case: schemathesis.Case, own_workspace: bool,
                                                api_server: Live) -> None:
    """Every /api route with the tenant's Bearer token (events:read, sources:admin,
    tokens:admin), aimed at its own workspace half the time so the happy paths are reached as
    well as the refusals."""
    if own_workspace and case.path_parameters and "ws" in case.path_parameters:
        case.path_parameters["ws"] = api_server.tenant.workspace
    case.call_and_validate(headers={"Authorization": bearer(api_server.tenant.token)},
                           checks=CHECKS, timeout=30)
