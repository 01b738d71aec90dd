"""Entry point: ``frontoffice --help``."""

from __future__ import annotations

from pathlib import Path

import click

from frontoffice import __version__, capabilities
from frontoffice.cli.admin import db, settings_cmd
from frontoffice.cli.demo import demo
from frontoffice.cli.projections import projections
from frontoffice.cli.serve import serve, worker_cmd
from frontoffice.errors import ConfigError

# the processes and tools that work across every capability; the rest comes from the registry
CORE = (db, settings_cmd, serve, worker_cmd, projections, demo)


def make_cli() -> click.Group:
    """The ``frontoffice`` command: the core commands and every registered capability's."""

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

    for command in CORE:
        cli.add_command(command)
    for capability in capabilities.every():
        if capability.commands is None:
            continue
        for command in capability.commands():
            if command.name in cli.commands:
                raise ConfigError(f"Capability {capability.name!r} declares the command "
                                  f"{command.name!r}, which another one already has; rename one.")
            cli.add_command(command)
    return cli


cli = make_cli()


def main() -> None:
    cli(prog_name="frontoffice")
