"""The Segment-compatible HTTP tracking API."""
