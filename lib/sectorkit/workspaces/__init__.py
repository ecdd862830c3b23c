"""Whole workspaces as things a person handles: create a region, download it, restore it.

Domain layer (it reads specs and the store, never widgets):

- :mod:`sectorkit.workspaces.regions`: create a region from a display name (id made from it,
  optional counties and state kept as its profile), the list of regions with their names.
- :mod:`sectorkit.workspaces.archive`: a workspace as a JSON download or one Excel workbook of
  every answer, restoring a downloaded file (validated, all or nothing), every workspace as a zip.
"""
