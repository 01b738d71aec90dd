"""Entry point: ``frontoffice --help``."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from frontoffice import __version__, capabilities
from frontoffice.errors import ConfigError
from frontoffice.tenancy.cli import db, settings_cmd

# the tools that work across every capability; the rest comes from the registry
CORE = (db, settings_cmd)
# core commands imported when run or listed, as every capability's are ("module:attribute"): serve,
# worker and demo import the HTTP stack, projections the hubs of every capability
LAZY = {"serve": "frontoffice.cli.serve:serve", "worker": "frontoffice.cli.serve:worker_cmd",
        "demo": "frontoffice.cli.demo:demo", "projections": "frontoffice.projection.cli:projections"}


class _Group(click.Group):
    """Commands by name, each imported the first time it is run or listed (``--help``): a
    command starts without importing every capability (~1.5 s of CPU a process)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = dict(LAZY)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if command.name != cmd_name:
                raise ConfigError(f"{self.lazy[cmd_name]} is the command {command.name!r}, "
                                  f"declared as {cmd_name!r}; declare it under its own name.")
            self.add_command(command, cmd_name)
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
    assert isinstance(cli, _Group)
    for capability in capabilities.every():
        for name, target in capability.commands.items():
            if name in cli.commands or name in cli.lazy:
                raise ConfigError(f"Capability {capability.name!r} declares the command "
                                  f"{name!r}, which another one already has; rename one.")
            cli.lazy[name] = target
    return cli


cli = make_cli()


def main() -> None:
    cli(prog_name="frontoffice")
