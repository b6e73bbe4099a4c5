"""Connecting accounts: the HubSpot install and QuickBooks connect flows, and keeping connections alive."""
