"""Store layer: the per-region workspace (answers, history, typed records).

Imports only ``sectorkit.core``.
"""
