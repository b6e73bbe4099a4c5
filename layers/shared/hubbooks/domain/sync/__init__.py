"""QuickBooks customers and items into HubSpot: field mappings, behaviours, matching and the plans the engine writes."""
