"""What the latency benchmarks share: a sandbox stack on free ports, nearest-rank percentiles, one summary format."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from sandbox.stack import StackConfig


def free_ports() -> StackConfig:
    """A stack configuration that picks free ports for everything, so a benchmark runs beside a running demo."""
    return StackConfig(gateway_port=0, aws_port=0, qbo_port=0, hubspot_port=0)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: always one of the samples, never an interpolation."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_lines(samples: Sequence[float], *, p95_note: str = "") -> list[str]:
    """Median, p95 and extremes of milliseconds, aligned for the benchmarks' printed reports."""
    note = f"   {p95_note}" if p95_note else ""
    return [f"median     {statistics.median(samples):7.1f} ms",
            f"p95        {percentile(samples, 0.95):7.1f} ms{note}",
            f"min/max    {min(samples):7.1f} / {max(samples):.1f} ms"]
