"""Benchmarks: run as scripts (make bench); each prints measured ratios against its floor."""
