"""Decisions: the action catalogue, eligibility, next-best-action, its log, outcomes and models."""
