"""Benchmarks of the bot's update path; run them as modules, e.g. `python -m bench.registration`."""
