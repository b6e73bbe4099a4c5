"""The fault suite at length: N seeded cases of invoices, payments and webhook storms under random 429s, 5xx and
lost answers on both simulators, each checked against the fault-free end state after reconciliation.

    python -m benchmarks.fault_suite [--cases 12]

Runs tests/functional/invoicing/test_fault_suite.py (the same scenario `make test` runs once) and prints the
figures: cases, faults injected, webhook deliveries and dead letters, convergence time after the faults clear.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=12)
    args = parser.parse_args()
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", "-p", "no:cacheprovider",
         "tests/functional/invoicing/test_fault_suite.py", "-k", "end_state_is_the_fault_free_one"],
        env={**os.environ, "HUBBOOKS_FAULT_CASES": str(args.cases)}, capture_output=True, text=True, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith("fault suite:")]
    outcome = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]
    if run.returncode != 0 or not lines:
        print(run.stdout[-4000:], run.stderr[-2000:], sep="\n")
        raise SystemExit(f"the fault suite failed: {outcome}")
    figures = lines[-1].removeprefix("fault suite: ")
    print(f"fault suite ({args.cases} seeded cases, {time.perf_counter() - started:.1f} s wall): {outcome}")
    for part in figures.split("; "):
        print(f"  {part}")
    print("  every case: zero lost updates, zero duplicated invoices or notes after reconciliation")


if __name__ == "__main__":
    main()
