"""Entry point: ``frontoffice --help``."""

from __future__ import annotations

from pathlib import Path

import click

from frontoffice import __version__
from frontoffice.cli.admin import db, settings_cmd, source, token, workspace
from frontoffice.cli.bulk import export_cmd, import_cmd
from frontoffice.cli.commerce import commerce
from frontoffice.cli.consent import consent
from frontoffice.cli.demo import demo
from frontoffice.cli.destinations import destinations
from frontoffice.cli.dsr import dsr
from frontoffice.cli.identity import people, resolve
from frontoffice.cli.identity_review import identity
from frontoffice.cli.privacy import privacy
from frontoffice.cli.projections import projections
from frontoffice.cli.serve import serve, worker_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontoffice")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Local state directory (setting 'data_dir', env FRONTOFFICE_DATA_DIR).")
@click.option("--database-url", default=None,
              help="sqlite:///file.db or postgresql://... (env FRONTOFFICE_DATABASE_URL).")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, database_url: str | None) -> None:
    """frontoffice: one golden record per person across every channel."""
    ctx.obj = {"data_dir": data_dir, "database_url": database_url}


for command in (db, workspace, source, token, settings_cmd, serve, import_cmd, export_cmd, demo):
    cli.add_command(command)
cli.add_command(commerce)
cli.add_command(consent)
cli.add_command(dsr)
cli.add_command(destinations)
cli.add_command(resolve)
cli.add_command(people)
cli.add_command(identity)
cli.add_command(worker_cmd)
cli.add_command(privacy)
cli.add_command(projections)


def main() -> None:
    cli(prog_name="frontoffice")
