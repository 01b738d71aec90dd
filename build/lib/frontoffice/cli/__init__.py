"""The ``frontoffice`` command line."""
