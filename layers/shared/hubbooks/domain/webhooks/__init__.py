"""Provider webhooks: payload formats, signatures, and what HubBooks does about each change."""
