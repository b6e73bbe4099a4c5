"""Invoices from HubSpot deals: pure rules (status, totals, dates, matching, numbering) and the use cases behind
the app card, written against the small ports in `ports.py`."""
