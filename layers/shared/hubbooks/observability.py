"""The one place that builds Powertools' logger, tracer and metrics, and the decorator every handler wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()

Handler = TypeVar("Handler", bound=Callable[..., Any])


def lambda_entrypoint(correlation_id_path: str | None = None) -> Callable[[Handler], Handler]:
    """Logs with a correlation id and per-invocation state, flushes metrics, traces without capturing payloads.

    clear_state matters: a warm container serves the next tenant, and appended keys must not leak into its logs.
    """

    def decorate(handler: Handler) -> Handler:
        traced = tracer.capture_lambda_handler(capture_response=False)(handler)
        measured = metrics.log_metrics(capture_cold_start_metric=True)(traced)
        logged = logger.inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)(measured)

        @wraps(handler)
        def entrypoint(event: Any, context: Any) -> Any:
            return logged(event, context)

        return entrypoint  # type: ignore[return-value]

    return decorate
