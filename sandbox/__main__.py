"""`python -m sandbox` (`make up`): the whole integration on loopback, in the foreground, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from sandbox.stack import Stack, StackConfig


def _parse_args(argv: list[str]) -> StackConfig:
    defaults = StackConfig()
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--gateway-port", type=int, default=defaults.gateway_port, help="env SANDBOX_GATEWAY_PORT")
    parser.add_argument("--aws-port", type=int, default=defaults.aws_port, help="env SANDBOX_AWS_PORT")
    parser.add_argument("--qbo-port", type=int, default=defaults.qbo_port, help="env SANDBOX_QBO_PORT")
    parser.add_argument("--hubspot-port", type=int, default=defaults.hubspot_port, help="env SANDBOX_HUBSPOT_PORT")
    parser.add_argument("--template", type=Path, default=defaults.template_path)
    parser.add_argument("--no-simulators", action="store_true", help="run the template without the providers")
    parser.add_argument("--max-workers", type=int, default=defaults.max_pool_size)
    parser.add_argument("--sqs-retry-delay", type=int, default=None, help="env SANDBOX_SQS_RETRY_DELAY_SECONDS")
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="override a template parameter (repeatable)")
    parser.add_argument("--verbose-aws", action="store_true", help="show moto's request log")
    args = parser.parse_args(argv)
    parameters = dict(item.split("=", 1) for item in args.parameter)
    return StackConfig(gateway_port=args.gateway_port, aws_port=args.aws_port, qbo_port=args.qbo_port,
                       hubspot_port=args.hubspot_port, template_path=args.template.resolve(),
                       simulators=not args.no_simulators, parameters=parameters, max_pool_size=args.max_workers,
                       sqs_retry_delay_s=args.sqs_retry_delay, verbose_aws=args.verbose_aws)


def _summary(stack: Stack) -> str:
    description = stack.describe() if stack.gateway is None else stack.gateway.description
    lines = [f"HubBooks sandbox is up ({description['startup_s']}s):",
             f"  gateway   {stack.gateway_url}   (control API: {stack.gateway_url}/_gateway/health)",
             f"  aws       {stack.aws_url}   (moto server)"]
    if description.get("qbo_app"):
        lines.append(f"  qbo       {stack.qbo_url}   client_id={description['qbo_app']['client_id']}")
    if description.get("hubspot_app"):
        app = description["hubspot_app"]
        lines.append(f"  hubspot   {stack.hubspot_url}   app_id={app['app_id']} client_id={app['client_id']}")
    install = description.get("outputs", {}).get("HubSpotInstallUrl")
    if install:
        lines.append(f"  install the HubSpot app: {install}")
    lines.append("Ctrl-C stops everything.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    config = _parse_args(sys.argv[1:] if argv is None else argv)
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    stack = Stack(config)
    try:
        stack.start()
        if not stopping.is_set():
            print(_summary(stack), flush=True)
        while not stopping.wait(timeout=0.5):
            pass
    except Exception as exc:  # report and stop cleanly instead of dumping a traceback mid-shutdown
        print(f"sandbox failed: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        print("stopping the sandbox...", file=sys.stderr, flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
