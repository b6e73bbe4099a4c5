"""The HubSpot webhook subscriptions the project declares (hubspot/src/app/webhooks/webhooks-hsmeta.json): the
sandbox registers our app with exactly these, as `hs project upload` does, so local runs see the events HubSpot
would send and no others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sandbox.procs import REPO_ROOT

WEBHOOKS_META = REPO_ROOT / "hubspot" / "src" / "app" / "webhooks" / "webhooks-hsmeta.json"


def project_subscriptions(path: Path = WEBHOOKS_META) -> list[dict[str, Any]]:
    """The active CRM object subscriptions (inactive ones are declared for later and receive nothing)."""
    config = json.loads(path.read_text(encoding="utf-8"))["config"]
    return [dict(sub) for sub in config["subscriptions"].get("crmObjects", []) if sub.get("active", True)]
