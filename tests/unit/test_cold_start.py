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


LOAD_ORDER_PROBE = """
import json, sys
import {handler}
names = list(sys.modules)
print(json.dumps({{"order": names, "batch_has_pydantic": getattr(sys.modules.get(
    "aws_lambda_powertools.utilities.batch.types"), "has_pydantic", None)}}))
"""

# The libraries each function's own code is built on, beyond Powertools (which the handlers import first anyway).
TOP_LEVEL_LIBRARIES = {
    ("invoice", "invoice_handler"): ("boto3",),
    ("webhooks", "webhook_receiver_handler"): ("boto3",),
    ("webhooks", "webhook_worker_handler"): ("boto3", "requests"),
    ("sync", "sync_scheduler_handler"): ("boto3",),
    ("sync", "sync_worker_handler"): ("boto3", "requests"),
}


def _load_order(folder: str, handler: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LAMBDA_")}
    environment.update(PYTHONPATH=os.pathsep.join([str(REPO / "layers" / "shared"), str(REPO / "functions" / folder)]),
                       LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="true")
    done = subprocess.run([sys.executable, "-c", LOAD_ORDER_PROBE.format(handler=handler)], env=environment,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_handler_loads_its_libraries_at_the_top_level_before_hubbooks_own_modules() -> None:
    """Loaded from deep inside HubBooks' own import chain, the libraries' regular-expression compiles kept crossing
    CPython's frame-stack chunk edges (hubbooks/__init__.py): up to 3,800 page faults more per cold start."""
    assert {handler for _, handler in TOP_LEVEL_LIBRARIES} == {
        path.stem for path in (REPO / "functions").glob("*/*_handler.py")} - {"oauth_handler"}
    for (folder, handler), libraries in TOP_LEVEL_LIBRARIES.items():
        order = _load_order(folder, handler)["order"]
        first_own = min(order.index(name) for name in order if name.startswith("hubbooks."))
        for library in libraries:
            assert order.index(library) < first_own, (handler, library)


def test_the_workers_load_powertools_batch_before_pydantic_so_it_defines_none_of_its_parser_models() -> None:
    """Powertools' batch types import its 24 parser models (SQS, Kinesis, Kafka, DynamoDB streams, each built at
    once) when pydantic is already loaded: about 12 ms of a worker's cold start for models HubBooks never uses."""
    for folder, handler in (("webhooks", "webhook_worker_handler"), ("sync", "sync_worker_handler")):
        found = _load_order(folder, handler)
        assert found["batch_has_pydantic"] is False, handler
        assert "aws_lambda_powertools.utilities.parser.models" not in found["order"], handler


def test_no_module_that_defines_pydantic_models_postpones_its_annotations() -> None:
    """`from __future__ import annotations` turns every field's annotation into a string that pydantic compiles and
    evaluates when the class is defined (the settings model cost 0.9 ms instead of about 0.5; models/base.py)."""
    import ast
    import importlib

    from pydantic import BaseModel

    layer = REPO / "layers" / "shared"
    offenders = []
    for path in sorted((layer / "hubbooks").rglob("*.py")):
        postponed = any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
                        and any(alias.name == "annotations" for alias in node.names)
                        for node in ast.parse(path.read_text()).body)
        if not postponed:
            continue
        name = ".".join(path.relative_to(layer).with_suffix("").parts)
        module = importlib.import_module(name)
        models = [attribute for attribute, value in vars(module).items()
                  if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == name]
        if models:
            offenders.append((name, models))
    assert offenders == []
