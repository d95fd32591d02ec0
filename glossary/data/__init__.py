"""Bundled reference data: the default corpus."""
