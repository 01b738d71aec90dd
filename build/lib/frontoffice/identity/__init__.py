"""Identity resolution: one golden record per real person."""
