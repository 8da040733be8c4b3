"""Benchmarks for transcheck: run with `python -m benchmarks.accuracy` (see its --help)."""
