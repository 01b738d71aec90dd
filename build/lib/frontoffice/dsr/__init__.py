"""Data-subject requests: access, portability, erasure, rectification, restriction, objection.

A request is opened from one identifier, tied to the person the identity lookup finds, verified
by a single-use token sent only to an identifier that person verifiably owns, tracked against
the deadline of the person's region pack, executed once verified, and every step is written to
an append-only audit log without plaintext personal data. See docs/dsr.md.
"""
