"""Build-time tools: the Voila page bundle (front-end chunks in one script)."""
