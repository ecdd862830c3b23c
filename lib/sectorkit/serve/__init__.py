"""Serve layer: what a Voila worksheet page shows (request handling, page dispatch)."""
