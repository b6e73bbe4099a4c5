"""Powertools idempotency, wired lazily: the DynamoDB persistence layer builds a boto3 client when constructed,
so it is made on first use rather than at import (see architecture.md §6).

Each idempotent function gets a persistence layer of its own: Powertools configures a layer once, with the key
settings of the first function that uses it, so a shared layer would key a second function by the first's key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.config import get_settings

F = TypeVar("F", bound=Callable[..., Any])

_configs: list[IdempotencyConfig] = []
_lambda_context: list[Any] = []
_resetters: list[Callable[[], None]] = []


def persistence_layer() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table_name,
                                    boto3_client=aws_client("dynamodb"))


def register_lambda_context(context: Any) -> None:
    """Lets a timed-out attempt's record expire with the invocation instead of blocking retries."""
    _lambda_context[:] = [context]
    for config in _configs:
        config.register_lambda_context(context)


def idempotent(*, data_keyword_argument: str, key_jmespath: str, expires_after_seconds: int = 24 * 3600,
               output_serializer: Any = None) -> Callable[[F], F]:
    """`idempotent_function`, keyed on business ids (never the whole payload), built on first call."""

    def decorate(function: F) -> F:
        wrapped: list[Callable[..., Any]] = []

        @wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not wrapped:
                config = IdempotencyConfig(event_key_jmespath=key_jmespath, raise_on_no_idempotency_key=True,
                                           expires_after_seconds=expires_after_seconds)
                if _lambda_context:
                    config.register_lambda_context(_lambda_context[0])
                _configs.append(config)
                wrapped.append(idempotent_function(data_keyword_argument=data_keyword_argument,
                                                   persistence_store=persistence_layer(), config=config,
                                                   output_serializer=output_serializer)(function))
            return wrapped[0](*args, **kwargs)

        _resetters.append(wrapped.clear)
        return call  # type: ignore[return-value]

    return decorate


def reset() -> None:
    """Forget built persistence layers (tests switch AWS stand-ins between cases)."""
    _configs.clear()
    _lambda_context.clear()
    for clear in _resetters:
        clear()
