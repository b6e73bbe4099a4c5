"""Local HubSpot simulator: OAuth, CRM objects, properties, associations, limits and signed outbound calls."""

from sandbox.hubspot.app import Simulator, create_app

__all__ = ["Simulator", "create_app"]
