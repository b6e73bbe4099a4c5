"""Composition roots: build the domain's ports from real adapters for a handler, lazily and once."""
