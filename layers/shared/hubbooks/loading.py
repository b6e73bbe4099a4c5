"""Loading code on demand, after the cold start: a worker imports the code for a kind of message when the first one
arrives (adapters/wiring/changes.py, adapters/wiring/jobs.py)."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from types import ModuleType


def import_on_demand(name: str) -> ModuleType:
    """Imports as the handler's own modules were loaded (hubbooks/__init__.py): with the collector paused, since
    everything a module defines lives as long as the process, then, in Lambda, the new objects frozen out of its
    way (observability.end_of_loading)."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    collecting = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(name)
    finally:
        if collecting:
            if os.environ.get("LAMBDA_TASK_ROOT"):
                gc.freeze()
            gc.enable()
