"""Route modules that load on demand: each function's declaration matches its modules' routes, no two modules answer
the same path (so the order they load in never changes which route answers), and a request loads only its module."""

from __future__ import annotations

import importlib
import itertools
import json
import subprocess
import sys
from pathlib import Path

import invoice_handler
import oauth_handler
import pytest

from hubbooks.api.route_modules import RouteModule

REPO = Path(__file__).resolve().parents[3]
DECLARATIONS = {"invoice_handler": invoice_handler.ROUTE_MODULES, "oauth_handler": oauth_handler.ROUTE_MODULES}


def _rules_of(module: str) -> set[str]:
    return {route[0] for route in importlib.import_module(module).router._routes}


@pytest.mark.parametrize("handler", sorted(DECLARATIONS))
def test_each_declaration_lists_exactly_its_modules_routes(handler: str) -> None:
    for declared in DECLARATIONS[handler]:
        assert set(declared.rules) == _rules_of(declared.module), declared.module


def _overlap(first: str, second: str) -> bool:
    """Some path matches both rules: as many segments, each pair equal or one of them a parameter."""
    a, b = first.strip("/").split("/"), second.strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("<") or y.startswith("<") for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("handler", sorted(DECLARATIONS))
def test_no_two_modules_answer_the_same_path(handler: str) -> None:
    for one, other in itertools.combinations(DECLARATIONS[handler], 2):
        clashes = [(x, y) for x in one.rules for y in other.rules if _overlap(x, y)]
        assert not clashes, (one.module, other.module, clashes)


def test_a_path_is_answered_by_the_module_that_declares_it() -> None:
    card = RouteModule("m", ("/app/cards/<object_type>/<object_id>",))
    assert card.answers("/app/cards/deal/12")
    assert not card.answers("/app/cards/deal") and not card.answers("/app/cards/deal/12/x")


def test_a_cold_start_loads_only_the_routes_its_first_request_needs() -> None:
    probe = """
import gc, json, sys
import invoice_handler
before = sorted(m for m in sys.modules if m.endswith("_routes"))
invoice_handler.app.load_routes("/app/cards/deal/1")
after = sorted(m for m in sys.modules if m.endswith("_routes"))
assert gc.isenabled(), "loading routes must hand the collector back switched on"
print(json.dumps([before, after]))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{REPO / 'layers' / 'shared'}:"
                               f"{REPO / 'functions' / 'invoice'}", "AWS_DEFAULT_REGION": "us-east-1",
                               "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_NAMESPACE": "HubBooks"})
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert before == ["hubbooks.api.health_routes"]
    assert after == ["hubbooks.api.health_routes", "hubbooks.api.invoice_card_routes"]
