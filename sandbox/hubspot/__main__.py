"""Run the HubSpot simulator alone: python -m sandbox.hubspot [--port N] [--validate-openapi]."""

from __future__ import annotations

import argparse
import os

from sandbox.hubspot.app import create_app
from sandbox.simkit.server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.hubspot", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_HUBSPOT_PORT", "4002")))
    parser.add_argument("--validate-openapi", action="store_true",
                        help="check every request and response against the HubSpot OpenAPI files")
    parser.add_argument("--specs-dir", default=None, help="override the spec folder (else HUBBOOKS_SPECS_DIR)")
    args = parser.parse_args(argv)
    app = create_app(validate_openapi=args.validate_openapi, specs_dir=args.specs_dir)
    print(f"HubSpot simulator on http://{args.host}:{args.port} (OpenAPI checks: {args.validate_openapi})")
    try:
        serve_forever(app, args.host, args.port)
    finally:
        app.close()


if __name__ == "__main__":
    main()
