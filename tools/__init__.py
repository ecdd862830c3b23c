"""Build-time tools for the repository (never installed with the sectorkit package)."""
