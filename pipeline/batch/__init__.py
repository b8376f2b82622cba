"""Batch runs over an archive: discovery, parallel extraction, progress and the run report."""
