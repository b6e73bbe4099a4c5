"""The whole integration on loopback: moto server, the two provider simulators, AWS resources from the template and
the gateway running our functions. `Stack` runs it in this process (what `python -m sandbox` does); `StackProcess`
runs `python -m sandbox` as a child (what the e2e tests and the demo use, so their own process stays free of it).
Both expose the same `StackControl` helpers, which only speak HTTP to the gateway's control API.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sandbox.aws.provision import ProvisionedStack, provision
from sandbox.aws.server import EndpointSession, MotoServer, moto_session
from sandbox.cfn_template import TEMPLATE_PATH, Resolver, load_template, parameter_defaults
from sandbox.gateway.control import GatewayApp
from sandbox.gateway.gateway import Gateway
from sandbox.procs import REPO_ROOT, ManagedProcess, log_line, wait_for_http
from sandbox.project_webhooks import project_subscriptions
from sandbox.simkit.server import RunningServer, serve_in_thread

HOST = "127.0.0.1"
START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _env_port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass
class StackConfig:
    """Ports (0 picks a free one), the template to run and extra template parameters."""

    gateway_port: int = field(default_factory=lambda: _env_port("SANDBOX_GATEWAY_PORT", 3000))
    aws_port: int = field(default_factory=lambda: _env_port("SANDBOX_AWS_PORT", 4566))
    qbo_port: int = field(default_factory=lambda: _env_port("SANDBOX_QBO_PORT", 4001))
    hubspot_port: int = field(default_factory=lambda: _env_port("SANDBOX_HUBSPOT_PORT", 4002))
    template_path: Path = TEMPLATE_PATH
    simulators: bool = True  # False runs a template without the providers (the gateway's own tests)
    parameters: dict[str, str] = field(default_factory=dict)  # overrides, applied last
    max_pool_size: int = 4
    sqs_retry_delay_s: int | None = None  # default: SANDBOX_SQS_RETRY_DELAY_SECONDS or 2
    verbose_aws: bool = False

    def with_free_ports(self) -> StackConfig:
        for name in ("gateway_port", "aws_port", "qbo_port", "hubspot_port"):
            if getattr(self, name) == 0:
                setattr(self, name, free_port())
        return self

    def cli_args(self) -> list[str]:
        args = ["--gateway-port", str(self.gateway_port), "--aws-port", str(self.aws_port),
                "--qbo-port", str(self.qbo_port), "--hubspot-port", str(self.hubspot_port),
                "--template", str(self.template_path), "--max-workers", str(self.max_pool_size)]
        if not self.simulators:
            args.append("--no-simulators")
        if self.sqs_retry_delay_s is not None:
            args += ["--sqs-retry-delay", str(self.sqs_retry_delay_s)]
        for name, value in self.parameters.items():
            args += ["--parameter", f"{name}={value}"]
        return args


def http_json(method: str, url: str, body: Any = None, timeout: float = 30.0) -> tuple[int, Any]:
    """A JSON request on loopback; answers (status, decoded body) for every HTTP status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except json.JSONDecodeError:
        return status, raw.decode("utf-8", "replace")


class StackControl:
    """HTTP helpers over a running stack's gateway control API, and the context-manager lifecycle (shared by `Stack`
    and `StackProcess`)."""

    config: StackConfig

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    @property
    def gateway_url(self) -> str:
        return f"http://{HOST}:{self.config.gateway_port}"

    @property
    def aws_url(self) -> str:
        return f"http://{HOST}:{self.config.aws_port}"

    @property
    def qbo_url(self) -> str:
        return f"http://{HOST}:{self.config.qbo_port}"

    @property
    def hubspot_url(self) -> str:
        return f"http://{HOST}:{self.config.hubspot_port}"

    def _control(self, method: str, path: str, body: Any = None, timeout: float = 60.0) -> Any:
        status, answer = http_json(method, f"{self.gateway_url}/_gateway/{path}", body, timeout)
        if status >= 400 and not (path == "queues/drain" and status == 504):
            raise RuntimeError(f"{method} /_gateway/{path} answered {status}: {answer}")
        return answer

    def describe(self) -> dict[str, Any]:
        """GET /_gateway/stack: URLs, ports, app ids, resources (never secrets)."""
        description: dict[str, Any] = self._control("GET", "stack")
        return description

    @property
    def hubspot_app(self) -> dict[str, Any]:
        """{"app_id", "client_id"} of our app as registered in the HubSpot simulator."""
        app: dict[str, Any] = self.describe()["hubspot_app"]
        return app

    @property
    def qbo_app(self) -> dict[str, Any]:
        """{"client_id"} of our app as registered in the QuickBooks simulator."""
        app: dict[str, Any] = self.describe()["qbo_app"]
        return app

    def aws_session(self) -> EndpointSession:
        """boto3 clients on the stack's moto server, e.g. `stack.aws_session().client("dynamodb")`."""
        return moto_session(self.aws_url)

    def secret(self, logical_id: str) -> dict[str, Any]:
        """A template secret's current JSON value, read from the stack's Secrets Manager."""
        arn = self.describe()["resources"]["secrets"][logical_id]
        value = self.aws_session().client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
        return dict(json.loads(value))

    def health(self) -> dict[str, Any]:
        status, answer = http_json("GET", f"{self.gateway_url}/_gateway/health", timeout=5)
        return {"http_status": status, **(answer if isinstance(answer, dict) else {})}

    def wait_healthy(self, timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        """Block until the gateway and every dependency answer, or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            self._check_alive()
            with contextlib.suppress(OSError):
                last = self.health()
                if last.get("status") == "ok":
                    return last
            time.sleep(0.1)
        raise TimeoutError(f"the sandbox was not healthy within {timeout:.0f}s (last health: {last})")

    def _check_alive(self) -> None:
        """Raise if the stack died (a child process knows; an in-process stack never does)."""

    def routes(self) -> list[dict[str, Any]]:
        routes: list[dict[str, Any]] = self._control("GET", "routes")["routes"]
        return routes

    def schedules(self) -> list[dict[str, Any]]:
        schedules: list[dict[str, Any]] = self._control("GET", "schedules")["schedules"]
        return schedules

    def fire_schedule(self, name: str) -> dict[str, Any]:
        """Run a ScheduleV2 event's target now: {"schedule", "function", "payload", "status", "result", ...}."""
        fired: dict[str, Any] = self._control("POST", f"schedules/{name}/fire")
        return fired

    def invoke(self, function: str, event: Any) -> dict[str, Any]:
        """Invoke a function directly with `event` (like `aws lambda invoke`)."""
        answer: dict[str, Any] = self._control("POST", f"functions/{function}/invoke", event)
        return answer

    def drain_queues(self, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until every event-source queue is empty: {"drained": bool, "waited_ms", "queues"}."""
        answer: dict[str, Any] = self._control("POST", "queues/drain", {"timeout": timeout}, timeout=timeout + 10)
        return answer

    def invocations(self, function: str | None = None, trigger: str | None = None,
                    limit: int = 100) -> list[dict[str, Any]]:
        """Recent invocations, oldest first: {function, trigger, source, status, duration_ms, error, details}."""
        query = "&".join(f"{k}={v}" for k, v in (("function", function), ("trigger", trigger)) if v)
        answer = self._control("GET", f"invocations?limit={limit}" + (f"&{query}" if query else ""))
        invocations: list[dict[str, Any]] = answer["invocations"]
        return invocations


class Stack(StackControl):
    """Runs the stack in this process; a context manager (`with Stack(StackConfig(...)) as stack:`)."""

    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = (config or StackConfig()).with_free_ports()
        self.template = load_template(Path(self.config.template_path))
        self.provisioned: ProvisionedStack | None = None
        self.gateway: Gateway | None = None
        self.startup_s: float | None = None
        self._server: RunningServer | None = None
        self._moto: MotoServer | None = None
        self._simulators: dict[str, ManagedProcess] = {}
        self._apps: dict[str, dict[str, Any]] = {}

    def start(self) -> None:
        started = time.monotonic()
        # Bind the gateway first: it answers 503 "starting" until ready, and its URL is known to everyone now.
        app = GatewayApp()
        self._server = serve_in_thread(app, HOST, self.config.gateway_port)
        self._moto = MotoServer(self.config.aws_port, verbose=self.config.verbose_aws)
        if self.config.simulators:
            self._simulators = {
                "qbo": ManagedProcess("qbo", "sandbox.qbo", ["--port", str(self.config.qbo_port)]),
                "hubspot": ManagedProcess("hubspot", "sandbox.hubspot", ["--port", str(self.config.hubspot_port)]),
            }
        self._moto.wait_ready(timeout=START_TIMEOUT_S)
        for name, process in self._simulators.items():
            wait_for_http(f"{self._simulator_url(name)}/_sandbox/stats", START_TIMEOUT_S, process=process)
        secret_values = self._register_apps() if self.config.simulators else {}
        parameters = self._parameters()
        self.provisioned = provision(self.template, parameters, session=self._moto.session(),
                                     secret_values=secret_values)
        self.gateway = Gateway(self.template, self.provisioned, base_dir=Path(self.config.template_path).parent,
                               aws_endpoint=self._moto.url, sqs_client=self._moto.session().client("sqs"),
                               max_pool_size=self.config.max_pool_size,
                               retry_delay_s=self.config.sqs_retry_delay_s,
                               sandbox_environment=self._sandbox_environment())
        self.gateway.dependencies = {"aws": f"{self.aws_url}/moto-api/data.json",
                                     **{name: f"{self._simulator_url(name)}/_sandbox/stats"
                                        for name in self._simulators}}
        self.startup_s = round(time.monotonic() - started, 2)
        self.gateway.description = self._description(parameters)
        self.gateway.start()
        app.attach(self.gateway)

    def _sandbox_environment(self) -> dict[str, str]:
        """The product's business clock follows the QuickBooks simulator's, which demos and tests move forward."""
        return {"SANDBOX_CLOCK_URL": f"{self.qbo_url}/_sandbox/clock"} if self.config.simulators else {}

    def _simulator_url(self, name: str) -> str:
        return self.qbo_url if name == "qbo" else self.hubspot_url

    def _register_apps(self) -> dict[str, str]:
        """Register our app in both simulators, as a developer does in Intuit's and HubSpot's consoles."""
        qbo_status, qbo = http_json("POST", f"{self.qbo_url}/_sandbox/apps", {
            "redirect_uris": [f"{self.gateway_url}/oauth/qbo/callback"],
            "webhook_url": f"{self.gateway_url}/webhooks/qbo"})
        hs_status, hubspot = http_json("POST", f"{self.hubspot_url}/_sandbox/apps", {
            "redirect_uris": [f"{self.gateway_url}/oauth/hubspot/callback"],
            "webhook_url": f"{self.gateway_url}/webhooks/hubspot", "subscriptions": project_subscriptions()})
        if qbo_status >= 300 or hs_status >= 300:
            raise RuntimeError(f"app registration failed: qbo {qbo_status} {qbo}; hubspot {hs_status} {hubspot}")
        self._apps = {"qbo": qbo, "hubspot": hubspot}
        return {
            "HubSpotAppSecret": json.dumps({"client_secret": hubspot["client_secret"]}),
            "QboAppSecret": json.dumps({"client_secret": qbo["client_secret"],
                                        "webhook_verifier_token": qbo["verifier_token"]}),
        }

    def _parameters(self) -> dict[str, str]:
        """Template parameters pointing production code at the local stand-ins (no sandbox branches in it)."""
        wanted: dict[str, str] = {"SchedulesState": "ENABLED", "PublicBaseUrl": self.gateway_url}
        if self.config.simulators:
            hs, qbo = self.hubspot_url, self.qbo_url
            wanted |= {
                "HubSpotAppId": str(self._apps["hubspot"]["app_id"]),
                "HubSpotClientId": str(self._apps["hubspot"]["client_id"]),
                "QboClientId": str(self._apps["qbo"]["client_id"]),
                "AllowQboSandboxCompanies": "false",
                "HubSpotApiBaseUrl": hs, "HubSpotAuthorizeUrl": f"{hs}/oauth/authorize",
                "QboApiBaseUrl": qbo, "QboAuthorizeUrl": f"{qbo}/connect/oauth2",
                "QboTokenUrl": f"{qbo}/oauth2/v1/tokens/bearer", "QboRevokeUrl": f"{qbo}/v2/oauth2/tokens/revoke",
            }
        parameters = parameter_defaults(self.template)
        parameters |= {name: value for name, value in wanted.items() if name in parameters}
        parameters |= self.config.parameters
        return parameters

    def _description(self, parameters: dict[str, str]) -> dict[str, Any]:
        assert self.provisioned is not None
        stack = self.provisioned
        return {
            "gateway_url": self.gateway_url, "aws_url": self.aws_url,
            "qbo_url": self.qbo_url if self.config.simulators else None,
            "hubspot_url": self.hubspot_url if self.config.simulators else None,
            "ports": {"gateway": self.config.gateway_port, "aws": self.config.aws_port,
                      "qbo": self.config.qbo_port, "hubspot": self.config.hubspot_port},
            "hubspot_app": {k: self._apps["hubspot"][k] for k in ("app_id", "client_id")} if self._apps else None,
            "qbo_app": {"client_id": self._apps["qbo"]["client_id"]} if self._apps else None,
            "template": str(self.config.template_path),
            "api_id": stack.api_id,
            "parameters": parameters,
            "resources": {"tables": stack.tables, "keys": stack.keys, "secrets": stack.secrets,
                          "queues": {lid: {"name": q.name, "url": q.url, "arn": q.arn}
                                     for lid, q in stack.queues.items()},
                          "schedules": {name: s.physical_name for name, s in stack.schedules.items()}},
            "outputs": _outputs(self.template, stack.resolver),
            "startup_s": self.startup_s,
        }

    def stop(self) -> None:
        """Stop everything started, newest first; safe to call twice and after a failed start."""
        steps: list[tuple[str, Any]] = []
        if self.gateway is not None:
            steps.append(("gateway", self.gateway.stop))
        if self._server is not None:
            steps.append(("http server", self._server.stop))
        steps += [(name, process.stop) for name, process in self._simulators.items()]
        if self._moto is not None:
            steps.append(("aws", self._moto.stop))
        for name, stop in steps:
            try:
                stop()
            except Exception as exc:  # keep stopping the rest
                log_line("stack", f"stopping {name} failed: {exc}")
        self.gateway, self._server, self._moto, self._simulators = None, None, None, {}


def _outputs(template: dict[str, Any], resolver: Resolver) -> dict[str, str]:
    outputs = {}
    for name, output in template.get("Outputs", {}).items():
        with contextlib.suppress(KeyError, NotImplementedError):
            outputs[name] = str(resolver.resolve(output["Value"]))
    return outputs


class StackProcess(StackControl):
    """Runs `python -m sandbox` as a child process in its own process group; a context manager."""

    def __init__(self, config: StackConfig | None = None, *, log_path: Path | None = None) -> None:
        self.config = (config or StackConfig()).with_free_ports()
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="hubbooks-sandbox-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_s: float | None = None

    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sandbox", *self.config.cli_args()], cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.wait_healthy(timeout)
        self.startup_s = round(time.monotonic() - started, 2)

    def _check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"the sandbox exited with code {self.process.returncode}; its log:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        # Anything of its group still alive (it was killed before it could clean up) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
