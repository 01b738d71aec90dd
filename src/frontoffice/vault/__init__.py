"""The vault: per-subject keys that seal the event log, so an erasure shreds a key instead of
editing the log (crypto-shredding). Below storage, which seals and opens the log with it, and
below privacy, whose erasure shreds the keys."""
