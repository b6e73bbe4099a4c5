"""QuickBooks Online: the Accounting API transport and client, and Intuit's OAuth endpoints."""
