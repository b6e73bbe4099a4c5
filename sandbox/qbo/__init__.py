"""A local QuickBooks Online simulator: Intuit OAuth 2.0, the Accounting API v3 and webhooks."""

from sandbox.qbo.app import create_app

__all__ = ["create_app"]
