"""Building blocks shared by the local provider simulators (clock, faults, limits, stats, HTTP serving)."""
