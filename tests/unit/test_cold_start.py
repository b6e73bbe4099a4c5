"""Cold-start guards: the X-Ray SDK stays out of a process whose tracing is off, tracing still works when on, and the
build ships bytecode Python 3.11 loads without compiling (Lambda's file system is read-only)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from sandbox.cfn_template import Intrinsic, Resolver, function_environment, load_template, parameter_defaults
from scripts.compile_bytecode import compile_tree

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
import invoice_handler
from hubbooks.observability import tracer
print(json.dumps({"xray": sorted(m for m in sys.modules if m.startswith("aws_xray_sdk.core")),
                  "disabled": tracer.disabled, "provider": type(tracer.provider).__module__}))
"""


def _import_handler(**env: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("POWERTOOLS_TRACE",
                                                                                           "LAMBDA_", "AWS_SAM"))}
    environment.update(PYTHONPATH=os.pathsep.join([str(REPO / "layers" / "shared"),
                                                   str(REPO / "functions" / "invoice")]), **env)
    done = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_tracing_off_never_imports_the_xray_sdk() -> None:
    found = _import_handler(LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="true")
    assert found["disabled"] and found["xray"] == [], found


def test_tracing_on_in_lambda_uses_the_xray_recorder() -> None:
    found = _import_handler(LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="false")
    assert not found["disabled"] and found["provider"].startswith("aws_xray_sdk"), found


def test_the_template_lets_an_admin_switch_tracing_and_the_functions_follow() -> None:
    template = load_template()
    for mode, disabled in (("Active", "false"), ("PassThrough", "true")):
        parameters = {**parameter_defaults(template), "Tracing": mode}
        resolver = Resolver(parameters=parameters, conditions=template.get("Conditions", {}))
        resolver.refs.update({name: name for name in template["Resources"]})
        environment = function_environment(template, resolver, "InvoiceFunction")
        assert environment["POWERTOOLS_TRACE_DISABLED"] == disabled
    assert template["Globals"]["Function"]["Tracing"] == Intrinsic("Ref", "Tracing")


def test_the_build_step_writes_unchecked_bytecode_that_python_loads_without_the_source_timestamps(
        tmp_path: Path) -> None:
    package = tmp_path / "SharedLayer" / "python" / "sample_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 42\n")
    assert compile_tree(tmp_path) == 1
    [compiled] = list((package / "__pycache__").glob("__init__.cpython-311*.pyc"))
    header = compiled.read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, not checked against the source

    os.utime(package / "__init__.py", (0, 0))  # zip packaging may rewrite timestamps: the .pyc must still be used
    done = subprocess.run([sys.executable, "-B", "-c", "import sample_pkg; print(sample_pkg.__cached__)"],
                          env={**os.environ, "PYTHONPATH": str(package.parent), "PYTHONVERBOSE": "1"},
                          capture_output=True, text=True, timeout=60, check=True)
    assert f"code object from '{compiled}'" in done.stderr, done.stderr[-2000:]


def test_make_sam_build_compiles_the_artefact() -> None:
    recipe = (REPO / "Makefile").read_text().split("\nsam-build:", 1)[1].split("\n\n", 1)[0]
    assert "sam build" in recipe and "scripts.compile_bytecode .aws-sam/build" in recipe


GC_PROBE = """
import gc, json
import hubbooks
paused = not gc.isenabled()
import webhook_receiver_handler
print(json.dumps({"paused_while_loading": paused, "enabled_after": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_in_lambda_loading_pauses_the_collector_and_the_handler_switches_it_back_on() -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LAMBDA_")}
    environment.update(PYTHONPATH=os.pathsep.join([str(REPO / "layers" / "shared"),
                                                   str(REPO / "functions" / "webhooks")]),
                       LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="true")
    done = subprocess.run([sys.executable, "-c", GC_PROBE], env=environment, capture_output=True, text=True,
                          timeout=120, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["paused_while_loading"] and found["enabled_after"] and found["frozen"] > 0, found


def test_every_handler_imports_hubbooks_before_any_library_so_the_whole_cold_start_runs_uncollected() -> None:
    """The collector pause starts when hubbooks is imported: a handler importing Powertools, pydantic or boto3 first
    loads them with the collector running (about 40 ms more for the invoice function, measured)."""
    import ast

    handlers = sorted((REPO / "functions").glob("*/*_handler.py"))
    assert len(handlers) >= 6
    for handler in handlers:
        body = ast.parse(handler.read_text()).body
        imports = [node for node in body if isinstance(node, ast.Import | ast.ImportFrom)]
        first = next(node for node in imports if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"))
        assert isinstance(first, ast.Import) and [alias.name for alias in first.names] == ["hubbooks"], handler.name
