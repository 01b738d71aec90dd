"""Entry point: ``frontoffice --help``."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from frontoffice import __version__, capabilities
from frontoffice.errors import ConfigError
from frontoffice.projection.cli import projections
from frontoffice.tenancy.cli import db, settings_cmd

# the processes and tools that work across every capability; the rest comes from the registry
CORE = (db, settings_cmd, projections)
# core commands whose modules import the HTTP stack (FastAPI, uvicorn, the demo's client): imported
# only when run or listed, so every other command starts ~1 s sooner (name: module, attribute)
LAZY = {"serve": ("frontoffice.cli.serve", "serve"), "worker": ("frontoffice.cli.serve", "worker_cmd"),
        "demo": ("frontoffice.cli.demo", "demo")}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY and cmd_name not in self.commands:
            module, attribute = LAZY[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


def make_cli() -> click.Group:
    """The ``frontoffice`` command: the core commands and every registered capability's."""

    @click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
            if command.name in cli.commands or command.name in LAZY:
                raise ConfigError(f"Capability {capability.name!r} declares the command "
                                  f"{command.name!r}, which another one already has; rename one.")
            cli.add_command(command)
    return cli


cli = make_cli()


def main() -> None:
    cli(prog_name="frontoffice")
