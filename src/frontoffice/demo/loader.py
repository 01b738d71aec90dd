"""Send a generated demo brand through the real collector, as the brand's systems would.

Tracking events go over HTTP to ``/v1/batch`` with each source's write key; marketplace buyer
aliases and inbound support messages become identify / track calls of their channels until
their own intake endpoints exist; store receipts go through ``frontoffice import`` with the
brand's column mapping, each into the workspace its customer's data must live in. Every id is
deterministic, so sending the same brand again stores nothing twice.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import orjson

from frontoffice.bulk.mapping import ConversionError, EventMapping, load_mapping
from frontoffice.bulk.readers import open_reader
from frontoffice.demo.tenant import RESIDENT, WORKSPACE, write_key
from frontoffice.errors import FrontofficeError
from frontoffice.residency.gate import required_location

BATCH = 100


@dataclass
class SendReport:
    sent: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)


def _ndjson(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)


def marketplace_calls(path: Path) -> Iterator[dict[str, Any]]:
    for alias in _ndjson(path):
        address = {k: v for k, v in {"street": alias["ship_to_street"], "city": alias["ship_to_city"],
                                     "postalCode": alias["ship_to_postcode"],
                                     "country": alias["country"]}.items() if v}
        traits = {"name": alias["ship_to_name"] or alias["display_name"], "email": alias["email"],
                  "phone": alias["ship_to_phone"], "address": address,
                  "marketplace": alias["marketplace"], "marketplaceBuyerId": alias["buyer_id"]}
        yield {"type": "identify", "messageId": alias["record_id"],
               "anonymousId": f"{alias['marketplace']}:{alias['buyer_id']}",
               "timestamp": alias["first_seen"],
               "traits": {k: v for k, v in traits.items() if v},
               "context": {"source": "marketplace"}}


def message_calls(path: Path) -> Iterator[dict[str, Any]]:
    for message in _ndjson(path):
        properties = {k: message[k] for k in ("language", "subject", "body", "order_id",
                                              "sender_name", "channel") if message.get(k)}
        yield {"type": "track", "event": "Message Received", "messageId": message["message_id"],
               "anonymousId": message["sender"], "timestamp": message["sent_at"],
               "properties": properties, "context": {"source": message["channel"]}}


Route = tuple[str, str | None]  # (source, data location of the receiving workspace)


def _batches(calls: Iterable[dict[str, Any]]) -> Iterator[tuple[Route, list[dict[str, Any]]]]:
    pending: dict[Route, list[dict[str, Any]]] = {}
    for call in calls:
        location = required_location(call)
        route = (call.get("context", {}).get("source", "web"),
                 location if location in RESIDENT else None)
        group = pending.setdefault(route, [])
        group.append(call)
        if len(group) == BATCH:
            yield route, pending.pop(route)
    yield from pending.items()


def send(base_url: str, calls: Iterable[dict[str, Any]], report: SendReport,
         progress: Callable[[int], None]) -> None:
    """POST the calls in 100-event batches; 429 and 5xx are retried after Retry-After."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for (source, location), batch in _batches(calls):
            body = orjson.dumps({"batch": batch})
            for attempt in range(20):
                answer = http.post("/v1/batch", content=body, auth=(write_key(source, location), ""),
                                   headers={"Content-Type": "application/json"})
                if answer.status_code == 200:
                    break
                if answer.status_code == 429 or answer.status_code >= 500:
                    time.sleep(float(answer.headers.get("Retry-After", "1")) * (attempt + 1) / 4)
                    continue
                raise FrontofficeError(
                    f"The collector refused a {source} batch: {answer.status_code} {answer.text}")
            else:
                raise FrontofficeError(f"The collector kept refusing {source} batches; is it overloaded?")
            result = answer.json()
            report.sent[source] += len(batch)
            report.accepted[source] += result["accepted"]
            report.duplicates[source] += result["duplicates"]
            report.rejected[source] += len(result["rejected"])
            progress(len(batch))


@dataclass(frozen=True, slots=True)
class Imported:
    """What ``frontoffice import`` reported of one file."""

    imported: int
    duplicates: int
    not_imported: int
    """quarantined, refused (stored in another country) or suppressed (erased people)"""


_COUNT = re.compile(r"^\W*(imported|duplicates|quarantined|suppressed|refused)\b[^│|]*[│|]\s*([\d,]+)",
                    re.MULTILINE)


def parse_import_report(out: str) -> Imported:
    counts = {name: int(n.replace(",", "")) for name, n in _COUNT.findall(out)}
    if "imported" not in counts:
        raise FrontofficeError(f"`frontoffice import` printed no report: {out.strip()}")
    return Imported(counts["imported"], counts.get("duplicates", 0),
                    sum(counts.get(k, 0) for k in ("quarantined", "suppressed", "refused")))


def pos_imports(brand_dir: Path) -> list[list[str]]:
    """The ``frontoffice import`` commands that store the receipts, each into the workspace its
    customer's data must live in, as the HTTP calls are routed: ``pos.csv`` is split by that
    location (``pos-by-location/``), and each part imported into its workspace's ``pos`` source
    (the command stores it in that workspace's storage, with the collector's residency check).
    Their outputs are read by :func:`parse_import_report`."""
    mapping_path = brand_dir / "pos.mapping.yaml"
    parts = split_by_location(brand_dir / "pos.csv", load_mapping(mapping_path),
                              brand_dir / "pos-by-location")
    return [["import", str(path), "--source", f"{RESIDENT.get(location or '', WORKSPACE)}/pos",
             "--map", str(mapping_path), "--format", "csv"] for location, path in parts.items()]


def split_by_location(path: Path, mapping: EventMapping, folder: Path) -> dict[str | None, Path]:
    """``path`` (CSV) written again as one file per country its rows' people must have their
    data stored in (None: anywhere, also for rows that cannot be read or mapped: their import
    quarantines them), header first, rows in their order."""
    folder.mkdir(parents=True, exist_ok=True)
    reader = open_reader(path, "csv")
    paths: dict[str | None, Path] = {}
    handles: dict[str | None, IO[str]] = {}
    writers: dict[str | None, Any] = {}
    try:
        header = list(getattr(reader, "columns", ()))
        for row in reader:
            location = None
            if row.values is not None:
                try:
                    location = required_location(mapping.apply(row.values))
                except (ConversionError, TypeError):
                    location = None
            if location not in handles:
                paths[location] = folder / f"{path.stem}{'-' + location.lower() if location else ''}.csv"
                handles[location] = paths[location].open("w", encoding="utf-8", newline="")
                writers[location] = csv.writer(handles[location])
                writers[location].writerow(header)
            if row.values is None:
                handles[location].write(f"{row.raw}\r\n")
            else:
                writers[location].writerow([row.values[c] for c in header])
    finally:
        reader.close()
        for handle in handles.values():
            handle.close()
    return paths
