"""Benchmarks: each runnable as `python -m bench.<name> --json` and printing one JSON object."""
