"""What ``frontoffice demo run`` prints: the load report, residency, commerce, people,
consent and the commands to try."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from frontoffice.bulk.importer import ImportReport
from frontoffice.cli.context import console
from frontoffice.demo.consent_showcase import CHANNEL, PURPOSES
from frontoffice.demo.consent_showcase import Row as ConsentRow
from frontoffice.demo.loader import DEMO_TOKEN, RESIDENT, SendReport, write_key
from frontoffice.demo.showcase import CrossScript, wait_for_identity
from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.match_service import LiveMatcher
from frontoffice.residency.api import located
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


def print_report(report: SendReport, pos: list[ImportReport], in_log: int, quarantined: int) -> None:
    """Sent = stored now + already stored + rejected, per source; store receipts likewise."""
    imported = sum(p.imported for p in pos)
    duplicates = sum(p.duplicates for p in pos)
    refused = sum(p.quarantined + p.refused + p.suppressed for p in pos)
    table = Table("source", "sent", "stored now", "already stored", "rejected",
                  title="demo brand → collector")
    for source in sorted(report.sent):
        table.add_row(source, str(report.sent[source]), str(report.accepted[source]),
                      str(report.duplicates[source]), str(report.rejected[source]))
    table.add_row("pos (import)", str(imported + duplicates + refused), str(imported),
                  str(duplicates), str(refused))
    console.print(table)
    console.print(f"event log of workspace 'demo': {in_log:,} events, {quarantined:,} quarantined")


def print_residency(store: SqlStore, settings: Settings, config: MatchConfig) -> None:
    router = located(store, settings)
    try:
        for country, name in RESIDENT.items():
            resident = store.workspace(name)
            if resident is None:
                continue
            kept = router.for_workspace(resident.id)
            # what the server's matcher would append to its log later is appended now, so a
            # second run counts the same events
            LiveMatcher(kept, resident.id, config).run(
                catch_up=lambda: wait_for_identity(kept, resident.id))  # noqa: B023
            wait_for_identity(kept, resident.id)
            where = router.url_for(resident.id) or "the main database"
            console.print(f"residency: {country} customers' calls went to workspace '{name}', stored "
                          f"in {where}: {kept.count_events(resident.id):,} events", soft_wrap=True)
    finally:
        router.close()


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
