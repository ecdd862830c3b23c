"""sectorkit's tests. A package so benchmarks and scripts can import ``tests.support``."""
