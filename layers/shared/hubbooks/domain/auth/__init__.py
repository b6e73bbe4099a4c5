"""Tokens and one-time proofs: OAuth states, self-signed links, and refreshing grants exactly once."""
