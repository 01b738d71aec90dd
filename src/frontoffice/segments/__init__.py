"""Segments: computed traits, segments and moments, exact in real time and in batch (issue 17)."""
