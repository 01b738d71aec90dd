"""Identity's revisions after the baseline."""
