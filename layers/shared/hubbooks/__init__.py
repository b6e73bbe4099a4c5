"""HubBooks shared package: domain rules, adapters, API plumbing and observability for every function."""
