"""National-scale benchmark (`python -m bench`) and load test (`python -m bench.load`)."""
