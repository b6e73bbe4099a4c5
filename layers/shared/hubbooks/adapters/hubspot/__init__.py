"""Our HubSpot client: one transport (auth, versioned paths, limits, retries, typed errors) and thin API wrappers."""
