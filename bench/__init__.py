"""Benchmarks (`make bench`): this server against TiPG and pygeoapi, results in docs/benchmarks.md."""
