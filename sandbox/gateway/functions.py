"""What the gateway needs to run each AWS::Serverless::Function the way Lambda would."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.aws.provision import ACCOUNT_ID, REGION, ProvisionedStack
from sandbox.aws.server import FAKE_CREDENTIALS
from sandbox.cfn_template import function_properties, serverless_functions

DEFAULT_POOL_SIZE = 4
_LAMBDA_DEFAULTS = {"Timeout": 3, "MemorySize": 128}


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # logical id; also the function name the sandbox reports
    handler: str  # module.function
    code_dir: Path
    layer_dirs: tuple[Path, ...]
    timeout_s: float
    memory_mb: int
    pool_size: int
    environment: dict[str, str] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # event name -> {"Type", "Properties"} resolved

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.name}"


def _layer_dirs(template: Mapping[str, Any], layers: list[Any], base_dir: Path) -> tuple[Path, ...]:
    # Layers are referenced as `!Ref SharedLayer`; their content is the LayerVersion's ContentUri folder.
    resources = template["Resources"]
    found = []
    for layer in layers:
        logical_id = getattr(layer, "value", None)
        resource = resources.get(logical_id) if isinstance(logical_id, str) else None
        if resource and resource.get("Type") in ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"):
            props = resource.get("Properties", {})
            found.append(base_dir / str(props.get("ContentUri") or props.get("Content", "")))
    return tuple(found)


def runtime_environment(spec_name: str, memory_mb: int, code_dir: Path, aws_endpoint: str,
                        handler: str) -> dict[str, str]:
    """The variables Lambda's runtime sets besides the function's own, pointed at the local AWS stand-in."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": aws_endpoint,
        **FAKE_CREDENTIALS,
        "AWS_LAMBDA_FUNCTION_NAME": spec_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "sandbox/[$LATEST]local",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "LAMBDA_TASK_ROOT": str(code_dir),
        "LAMBDA_RUNTIME_DIR": str(code_dir),
        "_HANDLER": handler,
        # What `sam local` sets; Powertools then skips X-Ray, which has no daemon here.
        "AWS_SAM_LOCAL": "true",
    }


def function_specs(template: Mapping[str, Any], stack: ProvisionedStack, base_dir: Path,
                   aws_endpoint: str, max_pool_size: int = DEFAULT_POOL_SIZE,
                   sandbox_environment: Mapping[str, str] | None = None) -> dict[str, FunctionSpec]:
    """`sandbox_environment`: variables only the sandbox sets (SANDBOX_CLOCK_URL); a deployed stack has none."""
    specs = {}
    for logical_id in serverless_functions(template):
        props = function_properties(template, logical_id)
        code_dir = base_dir / str(props.get("CodeUri", "."))
        handler = str(props["Handler"])
        memory = int(props.get("MemorySize", _LAMBDA_DEFAULTS["MemorySize"]))
        reserved = props.get("ReservedConcurrentExecutions")
        pool = min(int(reserved), max_pool_size) if reserved else max_pool_size
        environment = runtime_environment(logical_id, memory, code_dir, aws_endpoint, handler)
        environment.update(stack.function_environment(logical_id))
        environment.update(sandbox_environment or {})
        events = {name: {"Type": event.get("Type"), "Properties": stack.resolver.resolve(event.get("Properties", {}))}
                  for name, event in props.get("Events", {}).items()}
        specs[logical_id] = FunctionSpec(
            name=logical_id, handler=handler, code_dir=code_dir,
            layer_dirs=_layer_dirs(template, props.get("Layers", []), base_dir),
            timeout_s=float(props.get("Timeout", _LAMBDA_DEFAULTS["Timeout"])), memory_mb=memory,
            pool_size=max(1, pool), environment=environment, events=events)
    return specs
