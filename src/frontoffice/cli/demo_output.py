"""What ``frontoffice demo run`` prints: the load report, residency, commerce, people,
consent and the commands to try."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.table import Table

from frontoffice.cli.context import console
from frontoffice.demo.client import Api
from frontoffice.demo.consent_showcase import CHANNEL, PURPOSES
from frontoffice.demo.consent_showcase import Row as ConsentRow
from frontoffice.demo.loader import Imported, SendReport
from frontoffice.demo.showcase import CrossScript, wait_for_quiet_log
from frontoffice.demo.tenant import DEMO_TOKEN, RESIDENT, write_key


def print_report(report: SendReport, pos: list[Imported], in_log: int, quarantined: int) -> None:
    """Sent = stored now + already stored + rejected, per source; store receipts likewise."""
    imported = sum(p.imported for p in pos)
    duplicates = sum(p.duplicates for p in pos)
    refused = sum(p.not_imported for p in pos)
    table = Table("source", "sent", "stored now", "already stored", "rejected",
                  title="demo brand → collector")
    for source in sorted(report.sent):
        table.add_row(source, str(report.sent[source]), str(report.accepted[source]),
                      str(report.duplicates[source]), str(report.rejected[source]))
    table.add_row("pos (import)", str(imported + duplicates + refused), str(imported),
                  str(duplicates), str(refused))
    console.print(table)
    console.print(f"event log of workspace 'demo': {in_log:,} events, {quarantined:,} quarantined")


def print_residency(api: Api, storage_locations: str | None) -> None:
    """Where the RU and CN customers' calls went: their workspace and the storage the demo
    configured for it, with what its log holds once the server's matcher has run there too (a
    second run then counts the same events)."""
    where = json.loads(storage_locations) if storage_locations else {}  # country -> URL
    for country, name in RESIDENT.items():
        if not any(w["name"] == name for w in api.get("/api/v1/workspaces")):
            continue
        api.post(f"/api/v1/workspaces/{name}/identity/match", {})
        wait_for_quiet_log(api, name)
        log = api.get(f"/api/v1/workspaces/{name}/log")
        console.print(f"residency: {country} customers' calls went to workspace '{name}', stored "
                      f"in {where.get(country, 'the main database')}: {log['events']:,} events",
                      soft_wrap=True)


def print_commerce(counts: dict[str, int], highlights: dict[str, Any]) -> None:
    stored = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "alerts")
    console.print(f"\n[bold]commerce[/bold] (new this run): {stored or 'nothing new'}")
    console.print(f"price conflicts across channels: {highlights['conflict_count']}")
    for reason in highlights["conflicts"]:
        console.print(f"  • {reason}", soft_wrap=True)
    console.print(f"late or failed deliveries: {highlights['alert_count']}")
    for alert in highlights["late_or_failed"]:
        console.print(f"  • {alert}")


def print_people(people: int, records: int, mixed: list[CrossScript]) -> None:
    console.print(f"\n[bold]golden records[/bold]: {records:,} records resolved into {people:,} people")
    console.print("people recognised across scripts (their records use both spellings):")
    for person in mixed:
        console.print(f"  • {person.person_id}: {' · '.join(person.names)}", soft_wrap=True)
        if person.evidence:
            console.print(f"    joined because: {person.evidence}", soft_wrap=True)


def print_consent(rows: list[ConsentRow]) -> None:
    table = Table("customer", "region", *(f"{p}\n({CHANNEL[p]})" for p in PURPOSES),
                  title="consent: one policy check, four markets")
    for row in rows:
        marks = ["[green]yes[/green]" if row.answers[p][0] else "[red]no[/red]" for p in PURPOSES]
        table.add_row(row.customer.user_id, row.region, *marks)
    console.print()
    console.print(table)
    for row in rows:
        refused = [f"{p}: {row.answers[p][1]}" for p in PURPOSES if not row.answers[p][0]]
        console.print(f"  • {row.customer.user_id} {row.customer.name} ({row.region}): {row.how}"
                      + (f"; refused {refused[0]}" if refused else ""), soft_wrap=True)


def print_tour(base: str, brand: Path, email: str | None) -> None:
    """The commands to try, in a second terminal, with the environment README's tour uses."""
    console.print(f"\nbrand files: {brand}/ (ground_truth.csv is for evaluation only)")
    console.print(f"API docs:    {base}/docs   health: {base}/healthz")
    console.print("try, in another terminal in this folder (README's tour has more):")
    auth = '-H "Authorization: Bearer $TOKEN"'
    lookup = ([f'curl -s {auth} "$API/api/v1/workspaces/demo/people/lookup?kind=email&value={email}"']
              if email else [])
    for line in (
        f'export PATH="$PWD/.venv/bin:$PATH" API={base} TOKEN={DEMO_TOKEN}',
        f'curl -s {auth} "$API/api/v1/workspaces/demo/events?limit=3"',
        f'curl -s {auth} "$API/api/v1/workspaces/demo/identity/changes?limit=3"',
        f"curl -s -u {write_key('web')}: \"$API/v1/track\" "
        "-d '{\"userId\":\"cus_you\",\"event\":\"Tried The Demo\"}'",
        f'curl -s {auth} "$API/api/v1/workspaces/demo/quarantine"',
        *lookup,
        f'curl -s {auth} "$API/api/v1/workspaces/demo/availability?sku=PRD-0001-M&channel=web"',
        "frontoffice source list -w demo",
    ):
        console.print(f"  {line}", soft_wrap=True)
