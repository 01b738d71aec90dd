"""Destinations: signed webhooks fed from the event log, every event through the consent gate."""
