"""Lazily built, cached boto3 clients: nothing talks to AWS at import time (cold starts, tests under moto).

AWS_ENDPOINT_URL (honoured by boto3 itself) points them at the local sandbox without code branches.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CLIENT_CONFIG = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 4, "mode": "standard"})


@cache
def aws_client(service: str) -> Any:
    return boto3.client(service, config=_CLIENT_CONFIG)


@cache
def dynamodb_table(name: str) -> Any:
    return boto3.resource("dynamodb", config=_CLIENT_CONFIG).Table(name)


def reset_clients() -> None:
    """Forget cached clients (tests switch AWS stand-ins between cases)."""
    aws_client.cache_clear()
    dynamodb_table.cache_clear()
