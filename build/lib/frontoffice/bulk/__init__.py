"""Bulk import and export of the event log.

``mapping`` turns a file's rows into Segment events (pure), ``readers`` streams rows out of
CSV, Parquet and NDJSON files, ``importer`` validates them with the collector's rules and
stores them exactly once, ``exporter`` streams the log back out.
"""
