"""`python -m sandbox.demo`: start the sandbox, run every demo step, stop it; exit 1 if any step failed."""

from __future__ import annotations

import argparse
import sys

import sandbox.demo
from sandbox.demo.framework import Demo, discover_steps, run_steps
from sandbox.stack import StackConfig, StackProcess


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.demo", description=__doc__)
    parser.add_argument("--standard-ports", action="store_true",
                        help="use the SANDBOX_*_PORT ports (default: free ports, so `make up` can keep running)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    # The demo fires each schedule itself and counts the jobs it queued; one firing on its own (the hourly ones on
    # the hour) would add jobs the narration never asked for.
    manual_schedules = {"SchedulesState": "DISABLED"}
    config = (StackConfig(parameters=manual_schedules) if args.standard_ports else
              StackConfig(gateway_port=0, aws_port=0, qbo_port=0, hubspot_port=0, parameters=manual_schedules))
    steps = discover_steps(sandbox.demo)
    out = sys.stdout
    out.write("HubBooks demo: the integration running locally, step by step\n")
    stack = StackProcess(config, log_path=None)
    failed = 0
    try:
        try:
            stack.start()
        except Exception as exc:  # the narration reports it; the log tail says why
            out.write(f"  ✗ the sandbox did not start: {exc}\n{stack.log_tail()}\n")
            return 1
        failed = run_steps(Demo(stack=stack, out=out), steps)
    finally:
        stack.stop()
    verdict = "all steps passed" if not failed else f"{failed} of {len(steps)} steps failed"
    out.write(f"\n{verdict}. The sandbox has been stopped; its log: {stack.log_path}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
