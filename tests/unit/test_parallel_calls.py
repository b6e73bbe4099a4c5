"""Independent reads run at once, answer in order, and fail with the first error only after all have finished."""

from __future__ import annotations

import threading
import time

import pytest

from hubbooks.adapters.parallel_calls import run_all


def test_calls_overlap_and_answer_in_the_calls_order() -> None:
    meeting = threading.Barrier(3, timeout=5)  # passes only if all three calls are running at the same time

    def call(answer: str) -> str:
        meeting.wait()
        return answer

    assert run_all([lambda: call("a"), lambda: call("b"), lambda: call("c")]) == ["a", "b", "c"]


def test_the_first_error_in_order_is_raised_after_every_call_has_finished() -> None:
    finished: list[str] = []

    def slow() -> str:
        time.sleep(0.05)
        finished.append("slow")
        return "slow"

    def fails(message: str) -> str:
        raise LookupError(message)

    with pytest.raises(LookupError, match="second"):
        run_all([slow, lambda: fails("second"), lambda: fails("third")])
    assert finished == ["slow"]


def test_no_call_or_one_call_runs_on_the_callers_thread() -> None:
    caller = threading.get_ident()
    assert run_all([]) == []
    assert run_all([threading.get_ident]) == [caller]
