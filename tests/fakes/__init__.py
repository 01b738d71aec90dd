"""In-memory implementations of the capabilities' ports: use-case rules run without a database.

Each fake is held to its real adapter by a contract test that runs the same assertions on both.
"""
