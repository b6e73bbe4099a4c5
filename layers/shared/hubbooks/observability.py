"""The one place that builds Powertools' logger, tracer and metrics, and the decorator every handler wears."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from functools import wraps
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment


class _UnrecordedSegment(BaseSegment):
    """What the handler's trace decorator writes to when tracing is off: annotations go nowhere."""

    def close(self, end_time: int | None = None) -> None: ...
    def add_subsegment(self, subsegment: Any) -> None: ...
    def remove_subsegment(self, subsegment: Any) -> None: ...
    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None: ...


class UntracedProvider(BaseProvider):
    """Powertools' Tracer with this provider never imports the X-Ray SDK (about 0.3 s of every cold start).

    Powertools builds its X-Ray provider in the Tracer's constructor even when tracing is disabled; handing it this
    provider instead keeps the SDK out of the process unless tracing is switched on.
    """

    @contextmanager
    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        yield _UnrecordedSegment()

    def in_subsegment_async(self, name: Any = None, **kwargs: Any) -> AbstractAsyncContextManager[BaseSegment]:
        @asynccontextmanager
        async def unrecorded() -> Any:
            yield _UnrecordedSegment()
        return unrecorded()

    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def patch(self, modules: Sequence[str]) -> None: ...
    def patch_all(self) -> None: ...


def tracing_enabled() -> bool:
    """Powertools' own rule: on in Lambda unless POWERTOOLS_TRACE_DISABLED is true; off outside Lambda."""
    if resolve_truthy_env_var_choice(env=os.getenv("POWERTOOLS_TRACE_DISABLED", "false")):
        return False
    return bool(os.getenv("LAMBDA_TASK_ROOT")) and not os.getenv("AWS_SAM_LOCAL")


def build_tracer() -> Tracer:
    if tracing_enabled():
        return Tracer()  # X-Ray provider, boto3 and requests patched
    return Tracer(disabled=True, auto_patch=False, provider=UntracedProvider())


logger = Logger()
tracer = build_tracer()
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
