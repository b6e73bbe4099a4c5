"""Regenerate docs/openapi.json from the invoice function's routes: `python -m scripts.write_openapi`.

tests/unit/invoicing/test_openapi_document.py fails while the committed copy differs from the generated one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "openapi.json"


def generated_document() -> str:
    for folder in ("layers/shared", "functions/invoice"):  # Lambda's sys.path: the layer, then the function
        path = str(ROOT / folder)
        if path not in sys.path:
            sys.path.insert(0, path)
    import invoice_handler

    return invoice_handler.openapi_document() + "\n"


def main() -> None:
    DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT.write_text(generated_document(), encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
