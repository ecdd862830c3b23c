"""Core layer: errors, paths and small helpers that every other layer may use.

Imports nothing from sectorkit outside ``sectorkit.core``.
"""
