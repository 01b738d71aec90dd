"""The HTTP API: collector, admin and read endpoints."""
