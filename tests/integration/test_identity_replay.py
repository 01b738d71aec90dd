"""Property: replaying the log rebuilds exactly the golden records the live projector built."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.identity.projector import Projector
from frontoffice.identity.store import IdentitySql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import brand, identify, page

_names = itertools.count()
EMAILS = ["ann@posteo.de", "bob@posteo.de", "family@posteo.de", "test@test.com"]
PHONES = ["+491701111111", "+491702222222", "+4930555000"]

event = st.one_of(
    st.builds(lambda a: ("page", {"anon": f"a{a}"}), st.integers(0, 4)),
    st.builds(lambda u, a, e, p, n: ("identify", {"user": u and f"cus_{u}", "anon": f"a{a}", "email": e,
                                                  "phone": p, "firstName": n, "lastName": "Smith"}),
              st.sampled_from([None, 1, 2, 3]), st.integers(0, 4), st.sampled_from([None, *EMAILS]),
              st.sampled_from([None, *PHONES]), st.sampled_from(["Ann", "Bob", "Cem"])),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["web", "pos"]), event), min_size=1, max_size=25),
       st.integers(1, 7))
def test_replaying_the_log_rebuilds_the_same_golden_records(
        store: SqlStore, events: list[tuple[str, tuple[str, dict]]], batch: int) -> None:
    b = brand(store, f"ws{next(_names)}")
    live = Projector(store, IdentitySql(store), b.workspace_id)
    for i, (source, (kind, fields)) in enumerate(events):
        ts = f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z"
        if kind == "page":
            b.send(source, page(f"m{i}", ts, fields["anon"]))
        else:
            traits = {k: v for k, v in fields.items() if k not in {"user", "anon"} and v}
            b.send(source, identify(f"m{i}", ts, user=fields["user"], anon=fields["anon"], **traits))
        if i % batch == 0:
            live.catch_up(batch_size=batch)
    live.catch_up(batch_size=batch)
    sql = IdentitySql(store)
    built = (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id))
    assert len({pid for _, _, pid in built[1]}) == len(built[0])  # every record in exactly one person
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()
    assert (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id)) == built
