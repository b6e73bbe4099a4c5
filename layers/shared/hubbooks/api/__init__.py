"""HTTP plumbing for the API functions: routers, HubSpot signature checks, error mapping, small HTML pages."""
