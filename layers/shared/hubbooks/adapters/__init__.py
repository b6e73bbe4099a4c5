"""Adapters: the only code that talks to AWS, HubSpot or QuickBooks, each behind a small interface."""
