"""Which HubSpot contract the tests check against (specs/README.md).

HubSpot's OpenAPI files are not licensed for redistribution, so a fresh clone has none. Without them the simulator's
contract check uses the models of HubSpot's Apache-2.0 Python client (hubspot-api-client, a pinned test dependency),
so requests and answers are still checked everywhere, CI included. Tests about the spec-file checker itself are skipped
with the reason shown; HUBBOOKS_REQUIRE_HUBSPOT_SPECS=1 turns that skip into a failure, for machines meant to have them.
"""

from __future__ import annotations

import os

import pytest

from sandbox.hubspot.openapi_contract import default_specs_dir, shared_contract, specs_available

HAVE_SPECS = specs_available()
if not HAVE_SPECS and os.environ.get("HUBBOOKS_REQUIRE_HUBSPOT_SPECS") == "1":
    raise RuntimeError(f"HubSpot's OpenAPI files are required but {default_specs_dir()} holds none")

CONTRACT_SOURCE = shared_contract().source

requires_hubspot_specs = pytest.mark.skipif(
    not HAVE_SPECS, reason="no HubSpot OpenAPI files in specs/hubspot (not redistributable; see specs/README.md); "
                           "the hubspot-api-client models check the simulator instead")
