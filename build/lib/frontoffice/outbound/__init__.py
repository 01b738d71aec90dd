"""Outbound: the one consent gate every path out of frontoffice goes through.

`gate` is pure (a person's merged consent + region pack → a verdict with its reason);
`lookup` reads what the gate needs from storage in batches and fails closed on any error;
`store` keeps the decision log and the message outbox; `service` holds the decision and
message use cases. Destinations (signed webhooks) live in ``frontoffice.destinations``.
"""
