"""frontoffice: one golden record per person across every channel."""

__version__ = "0.1.0"
