"""Digest -> files: rendering through the templates, and writing without half-written files."""
