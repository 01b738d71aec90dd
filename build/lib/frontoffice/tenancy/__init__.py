"""Tenancy: workspaces, their sources and write keys, API tokens and scopes."""
