"""Data residency: where a workspace's data is stored, and the collector's refusal of personal data
that must stay in another country. See docs/residency.md."""
