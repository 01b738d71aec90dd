"""In-memory implementations of the capabilities' ports, for unit tests of their rules."""
