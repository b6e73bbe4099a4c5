"""HubBooks shared package: domain rules, adapters, API plumbing and observability for every function.

In Lambda, loading HubBooks pauses Python's cyclic garbage collector: the package creates thousands of objects that
live as long as the process (classes, functions, models), and a full collection in the middle of the import scans
the whole startup heap for garbage it cannot find (about 20 ms of every cold start). `lambda_entrypoint`, which
every handler applies as it finishes loading, freezes that heap and switches the collector back on. Each handler
imports hubbooks before anything else, so the libraries it loads (Powertools, pydantic, boto3) are covered too.
"""

from __future__ import annotations

import gc
import os

if os.environ.get("LAMBDA_TASK_ROOT") and gc.isenabled():
    gc.disable()
