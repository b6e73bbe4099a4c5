"""Pydantic models at every boundary: API bodies, domain records, table items and queue messages."""
