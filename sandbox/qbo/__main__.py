"""`python -m sandbox.qbo --port N`: run the QuickBooks Online simulator in the foreground."""

from __future__ import annotations

import argparse
import os

from sandbox.qbo.app import create_app
from sandbox.simkit.server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.qbo", description="QuickBooks Online simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_QBO_PORT", "4001")))
    options = parser.parse_args(argv)
    app = create_app()
    print(f"QBO simulator on http://{options.host}:{options.port} "
          f"(discovery: /.well-known/openid_sandbox_configuration/, API: /v3)", flush=True)
    try:
        serve_forever(app, options.host, options.port)
    finally:
        app.close()


if __name__ == "__main__":
    main()
