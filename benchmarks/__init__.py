"""Benchmarks: accuracy, speed, long recordings; each prints its command and a markdown table."""
