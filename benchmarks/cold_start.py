"""Cold start per function: HubBooks' handler next to the libraries it needs, each in a fresh interpreter.

    python -m benchmarks.cold_start [--repetitions 7]

For every function in template.yaml the benchmark copies the function's folder and the shared layer's `hubbooks`
package into a scratch artefact and compiles it exactly as `make sam-build` compiles `.aws-sam/build`
(scripts/compile_bytecode.py). It then asks a fresh interpreter which modules the handler's import loads that are
not ours (the libraries it needs, stdlib included), and times, each in its own new process and interleaved:

- handler:   import the handler module, then invoke it once (GET /health, an empty SQS batch, or the overdue
             job's fan-out against moto server with no connected company);
- libraries: import exactly those library modules, build the same Powertools logger/metrics/resolver or batch
             processor a libraries-only function would, then invoke it once with the same event.

Environment: each function's variables from template.yaml (resolved against a provisioned moto server), tracing
off (POWERTOOLS_TRACE_DISABLED=true), PYTHONDONTWRITEBYTECODE=1 as on Lambda's read-only file system. Prints the
median of each and the ratio handler/libraries; the goal is at most 1.10. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sandbox.aws.provision import provision
from sandbox.aws.server import FAKE_CREDENTIALS, REGION, MotoServer
from sandbox.cfn_template import load_template, parameter_defaults
from sandbox.stack import free_port
from scripts.compile_bytecode import compile_tree

REPO = Path(__file__).resolve().parents[1]
PROBE = Path(__file__).with_name("cold_start_probe.py")
GOAL = 1.10


@dataclass(frozen=True)
class Function:
    logical_id: str
    module: str
    code_dir: str
    event_kind: str  # "http" (validation on), "http-raw" (webhooks read raw bodies), "sqs", "schedule"


FUNCTIONS = (
    Function("OAuthFunction", "oauth_handler", "oauth", "http"),
    Function("InvoiceFunction", "invoice_handler", "invoice", "http"),
    Function("WebhookReceiverFunction", "webhook_receiver_handler", "webhooks", "http-raw"),
    Function("WebhookWorkerFunction", "webhook_worker_handler", "webhooks", "sqs"),
    Function("SyncSchedulerFunction", "sync_scheduler_handler", "sync", "schedule"),
    Function("SyncWorkerFunction", "sync_worker_handler", "sync", "sqs"),
)


def build_artefact(scratch: Path) -> Path:
    """The layer's hubbooks and every function folder, compiled as the deployed artefact is."""
    shutil.copytree(REPO / "layers" / "shared" / "hubbooks", scratch / "layer" / "hubbooks")
    for code_dir in {f.code_dir for f in FUNCTIONS}:
        shutil.copytree(REPO / "functions" / code_dir, scratch / "functions" / code_dir)
    compile_tree(scratch)
    return scratch


def _environment(base: dict[str, str], function_env: dict[str, str], artefact: Path, function: Function,
                 aws_url: str) -> dict[str, str]:
    env = {key: value for key, value in base.items() if not key.startswith(("AWS_", "POWERTOOLS_", "PYTHON"))}
    env.update(function_env)
    env.update(FAKE_CREDENTIALS, AWS_DEFAULT_REGION=REGION, AWS_REGION=REGION, AWS_ENDPOINT_URL=aws_url,
               POWERTOOLS_TRACE_DISABLED="true", POWERTOOLS_LOG_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1",
               AWS_LAMBDA_FUNCTION_NAME=function.logical_id,
               PYTHONPATH=os.pathsep.join([str(artefact / "functions" / function.code_dir),
                                           str(artefact / "layer")]),
               PROBE_OWN_ROOTS=os.pathsep.join([str(artefact / "functions"), str(artefact / "layer")]))
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, str(PROBE), *args], env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"probe {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Samples:
    handler_import: list[float]
    handler_first: list[float]
    libraries_import: list[float]
    libraries_first: list[float]


def measure(functions: tuple[Function, ...], envs: dict[str, dict[str, str]], listings: dict[str, Path],
            repetitions: int) -> dict[str, Samples]:
    samples = {f.logical_id: Samples([], [], [], []) for f in functions}
    for repetition in range(repetitions):
        for function in functions:
            env, runs = envs[function.logical_id], samples[function.logical_id]
            order = ("handler", "libraries") if repetition % 2 == 0 else ("libraries", "handler")
            for mode in order:
                target = function.module if mode == "handler" else str(listings[function.logical_id])
                timing = json.loads(_run([mode, target, function.event_kind], env))
                getattr(runs, f"{mode}_import").append(timing["import"] * 1000)
                getattr(runs, f"{mode}_first").append(timing["first"] * 1000)
        print(f"  repetition {repetition + 1}/{repetitions} done", file=sys.stderr, flush=True)
    return samples


def report(functions: tuple[Function, ...], samples: dict[str, Samples], repetitions: int) -> bool:
    print(f"cold start per function (median of {repetitions} fresh processes each, ms; tracing off; our code as "
          f"compiled bytecode, as `make sam-build` ships it)")
    header = (f"  {'function':<24} {'import':>8} {'libs':>8} {'ratio':>6}   {'1st call':>8} {'libs':>8} {'ratio':>6}"
              f"   {'total':>8} {'libs':>8} {'ratio':>6}")
    print(header)
    all_within = True
    for function in functions:
        runs = samples[function.logical_id]
        ours_import, libs_import = statistics.median(runs.handler_import), statistics.median(runs.libraries_import)
        ours_first, libs_first = statistics.median(runs.handler_first), statistics.median(runs.libraries_first)
        ours_total = statistics.median([i + f for i, f in zip(runs.handler_import, runs.handler_first, strict=True)])
        libs_total = statistics.median([i + f for i, f in zip(runs.libraries_import, runs.libraries_first,
                                                              strict=True)])
        ratios = (ours_import / libs_import, ours_first / libs_first, ours_total / libs_total)
        all_within &= all(ratio <= GOAL for ratio in ratios)
        print(f"  {function.logical_id:<24} {ours_import:8.1f} {libs_import:8.1f} {ratios[0]:6.2f}   "
              f"{ours_first:8.1f} {libs_first:8.1f} {ratios[1]:6.2f}   {ours_total:8.1f} {libs_total:8.1f} "
              f"{ratios[2]:6.2f}")
    print(f"  goal: every ratio at or under {GOAL:.2f} -> {'met' if all_within else 'NOT met'}")
    return all_within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--only", help="one function's logical id, e.g. InvoiceFunction")
    args = parser.parse_args()
    functions = tuple(f for f in FUNCTIONS if not args.only or f.logical_id == args.only)

    moto = MotoServer(free_port())
    try:
        moto.wait_ready()
        template = load_template()
        provisioned = provision(template, parameter_defaults(template), session=moto.session())
        with tempfile.TemporaryDirectory(prefix="hubbooks-cold-start-") as scratch_dir:
            artefact = build_artefact(Path(scratch_dir))
            envs = {f.logical_id: _environment(dict(os.environ), provisioned.function_environment(f.logical_id),
                                               artefact, f, moto.url) for f in functions}
            listings: dict[str, Path] = {}
            for function in functions:
                listing = artefact / f"{function.logical_id}.modules.json"
                listing.write_text(_run(["discover", function.module], envs[function.logical_id]))
                listings[function.logical_id] = listing
            samples = measure(functions, envs, listings, args.repetitions)
    finally:
        moto.stop()
    report(functions, samples, args.repetitions)


if __name__ == "__main__":
    main()
