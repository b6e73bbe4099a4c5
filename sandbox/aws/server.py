"""moto in server mode as a child process: the AWS endpoint the functions reach through AWS_ENDPOINT_URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import boto3

from sandbox.procs import ManagedProcess, wait_for_http

DEFAULT_PORT = 4566
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
REGION = "us-east-1"


def aws_port_from_env() -> int:
    return int(os.environ.get("SANDBOX_AWS_PORT", DEFAULT_PORT))


@dataclass(frozen=True)
class EndpointSession:
    """A boto3 session whose clients all talk to one endpoint (moto server), leaving the process environment alone."""

    session: boto3.Session
    endpoint_url: str

    def client(self, service_name: str) -> Any:
        return self.session.client(service_name, endpoint_url=self.endpoint_url)


def moto_session(endpoint_url: str) -> EndpointSession:
    return EndpointSession(boto3.Session(region_name=REGION, aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                                         aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                                         aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"]), endpoint_url)


class MotoServer:
    """moto server on 127.0.0.1:<port>; a separate process keeps its state away from any in-process `mock_aws()`."""

    def __init__(self, port: int = DEFAULT_PORT, *, verbose: bool = False) -> None:
        self.port = port
        self._process = ManagedProcess("aws", "moto.server", ["-H", "127.0.0.1", "-p", str(port)], quiet=not verbose)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 20.0) -> None:
        wait_for_http(f"{self.url}/moto-api/data.json", timeout, process=self._process)

    def session(self) -> EndpointSession:
        return moto_session(self.url)

    def stop(self) -> None:
        self._process.stop()
