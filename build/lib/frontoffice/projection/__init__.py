"""Projections of the event log and the one runner that keeps them in step (see ``runner``)."""
