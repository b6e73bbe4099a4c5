"""HubBooks shared package: domain rules, adapters, API plumbing and observability for every function.

In Lambda, loading HubBooks pauses Python's cyclic garbage collector: the package creates thousands of objects that
live as long as the process (classes, functions, models), and a full collection in the middle of the import scans
the whole startup heap for garbage it cannot find (about 20 ms of every cold start). `lambda_entrypoint`, which
every handler applies as it finishes loading, freezes that heap and switches the collector back on. Each handler
imports hubbooks before anything else, so the libraries it loads (Powertools, pydantic, boto3) are covered too.

Each handler then imports the libraries its HubBooks code is built on (boto3, requests) at its own top level, before
any HubBooks module, as a function written without HubBooks would. CPython 3.11 keeps frames in 16 KB chunks: a call
that does not fit maps a new chunk, and returning from it unmaps the chunk again. Loaded from deep inside HubBooks'
import chain, the libraries' regular-expression compiles (urllib3's IPv6 patterns, html.parser's), which recurse,
crossed a chunk edge back and forth hundreds of times: 1,000 to 3,800 more page faults per cold start, 10 to 30 ms of
the invoice function's. Loaded at the top level, the libraries' cost no longer depends on how deep our own modules
happen to import them.
"""

from __future__ import annotations

import gc
import os

if os.environ.get("LAMBDA_TASK_ROOT") and gc.isenabled():
    gc.disable()
