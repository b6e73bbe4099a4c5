"""Liveness and configuration check: answers without touching providers, says what is misconfigured."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.config import get_settings

router = APIGatewayHttpRouter()


@router.get("/health")
def health() -> dict[str, Any]:
    settings = get_settings()
    missing = [name for name, value in (("HUBSPOT_CLIENT_ID", settings.hubspot_client_id),
                                        ("QBO_CLIENT_ID", settings.qbo_client_id)) if not value]
    return {"status": "ok" if not missing else "incomplete", "stage": settings.stage, "missing_settings": missing}
