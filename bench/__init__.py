"""Benchmarks of unionkg: a synthetic corpus generator (`bench.generate`) and a runner (`bench.run`)."""
