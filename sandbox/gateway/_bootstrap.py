"""The Lambda runtime stand-in that runs inside each worker process (standard library only, started with -I).

argv: handler code_dir layer_dir...  Protocol: one JSON request per line on stdin; one JSON reply per line on the
file descriptor that was stdout at start. Everything the function prints goes to stderr, like Lambda's log stream.
The worker ends when stdin closes, so it cannot outlive the gateway (PR_SET_PDEATHSIG would not do: it fires when the
spawning *thread* ends, and workers are spawned from short-lived request threads).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from typing import Any


def _lambda_sys_path(code_dir: str, layer_dirs: list[str]) -> None:
    # Lambda: the function's code first, then the layers, then the runtime (here: the interpreter's own paths).
    here = os.path.dirname(os.path.abspath(__file__))
    runtime = [entry for entry in sys.path if entry and os.path.abspath(entry) != here]
    sys.path[:] = [code_dir, *layer_dirs, *runtime]


class LambdaContext:
    def __init__(self, request: dict[str, Any]) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = request["invoked_function_arn"]
        # The Python runtime passes the memory size through from the environment, as a string.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = request["request_id"]
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline_ms = int(request["deadline_ms"])

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def _error(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {"errorMessage": str(exc), "errorType": error_type or type(exc).__name__,
            "stackTrace": traceback.format_tb(exc.__traceback__)}


def main() -> None:
    handler_name, code_dir, *layer_dirs = sys.argv[1:]
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _lambda_sys_path(code_dir, layer_dirs)
    os.chdir(code_dir)
    module_name, _, function_name = handler_name.rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as exc:
        kind = "Runtime.ImportModuleError" if isinstance(exc, ImportError) else "Runtime.HandlerNotFound" \
            if isinstance(exc, AttributeError) else None
        traceback.print_exc()
        replies.write(json.dumps({"ready": False, "error": _error(exc, kind)}) + "\n")
        return
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        context = LambdaContext(request)
        print(f"START RequestId: {context.aws_request_id} Version: $LATEST", file=sys.stderr, flush=True)
        replies.write(_invoke(handler, request["event"], context) + "\n")
        print(f"END RequestId: {context.aws_request_id}", file=sys.stderr, flush=True)


def _invoke(handler: Any, event: Any, context: LambdaContext) -> str:
    try:
        result = handler(event, context)
    except Exception as exc:
        traceback.print_exc()
        sys.stderr.flush()
        return json.dumps({"ok": False, "error": _error(exc)})
    sys.stderr.flush()
    try:
        return json.dumps({"ok": True, "result": result})
    except (TypeError, ValueError) as exc:
        return json.dumps({"ok": False, "error": _error(exc, "Runtime.MarshalError")})


if __name__ == "__main__":
    main()
