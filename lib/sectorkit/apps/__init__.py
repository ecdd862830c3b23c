"""Apps layer: ipywidgets pages (the spec-driven form and the custom pages)."""
