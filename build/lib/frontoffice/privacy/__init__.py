"""Privacy: personal data sealed per subject in the event log, erasure by crypto-shredding,
the suppression list that keeps an erased person erased. See docs/privacy.md."""
