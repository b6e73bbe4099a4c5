"""Scheduled work: fan a job out per connected company, then run it for one company at a time."""
