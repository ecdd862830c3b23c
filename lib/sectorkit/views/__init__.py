"""Views layer: HTML fragments, figures and charts; no widgets, no storage writes."""
