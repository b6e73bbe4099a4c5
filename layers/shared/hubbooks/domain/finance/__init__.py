"""Finance workflows on top of invoicing: who may approve and void, sending and voiding invoices from HubSpot."""
