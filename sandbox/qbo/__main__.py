"""`python -m sandbox.qbo --port N [--sandbox-port M]`: run the QuickBooks Online simulator in the foreground.

`--port` plays Intuit's production API host (production companies only); the optional `--sandbox-port` plays the
sandbox API host (sandbox companies only). Both ports share one state and serve OAuth and `/_sandbox` alike.
"""

from __future__ import annotations

import argparse
import os

from sandbox.qbo.app import create_app
from sandbox.simkit.server import RunningServer, serve_forever, serve_in_thread


def _optional_port(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.qbo", description="QuickBooks Online simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_QBO_PORT", "4001")),
                        help="production API host (default: $SANDBOX_QBO_PORT, else 4001)")
    parser.add_argument("--sandbox-port", type=int, default=_optional_port(os.environ.get("SANDBOX_QBO_SANDBOX_PORT")),
                        help="also serve the sandbox API host here (default: $SANDBOX_QBO_SANDBOX_PORT, else off)")
    options = parser.parse_args(argv)
    if options.sandbox_port is not None and options.sandbox_port == options.port:
        parser.error("--sandbox-port must differ from --port")
    app = create_app()
    sandbox_server: RunningServer | None = None
    print(f"QBO simulator on http://{options.host}:{options.port} "
          f"(production host; discovery: /.well-known/openid_sandbox_configuration/, API: /v3)", flush=True)
    try:
        if options.sandbox_port is not None:
            sandbox_server = serve_in_thread(app.sandbox_host(), options.host, options.sandbox_port)
            print(f"QBO sandbox host on http://{options.host}:{sandbox_server.port} (sandbox companies only)",
                  flush=True)
        serve_forever(app, options.host, options.port)
    finally:
        if sandbox_server is not None:
            sandbox_server.stop()
        app.close()


if __name__ == "__main__":
    main()
