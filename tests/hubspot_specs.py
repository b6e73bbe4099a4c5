"""Tests that check against HubSpot's OpenAPI files run where a developer has put them (specs/README.md).

The files are HubSpot's and not licensed for redistribution, so a fresh clone has none: these tests are then skipped
with the reason shown, and the simulator's contract check validates nothing. HUBBOOKS_REQUIRE_HUBSPOT_SPECS=1 turns
the skip into a failure, for machines that are meant to have them.
"""

from __future__ import annotations

import os

import pytest

from sandbox.hubspot.openapi_contract import default_specs_dir, specs_available

HAVE_SPECS = specs_available()
if not HAVE_SPECS and os.environ.get("HUBBOOKS_REQUIRE_HUBSPOT_SPECS") == "1":
    raise RuntimeError(f"HubSpot's OpenAPI files are required but {default_specs_dir()} holds none")

requires_hubspot_specs = pytest.mark.skipif(
    not HAVE_SPECS, reason="no HubSpot OpenAPI files in specs/hubspot (not redistributable; see specs/README.md)")
