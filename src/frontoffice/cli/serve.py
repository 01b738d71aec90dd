"""``frontoffice serve``: the API server (collector, admin API) under uvicorn."""

from __future__ import annotations

import click
import uvicorn

from frontoffice.api.app import create_app
from frontoffice.bootstrap import build
from frontoffice.cli.context import err_console, friendly_errors, settings_from


@click.command()
@click.option("--host", default=None, help="Listen address (setting 'host').")
@click.option("--port", type=int, default=None, help="Listen port (setting 'port').")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str | None, port: int | None, log_level: str) -> None:
    """Serve the Segment-compatible collector and the admin API."""
    settings = settings_from(ctx)
    host = host or settings.host
    port = port or settings.port
    container = build(settings)
    app = create_app(container)
    err_console.print(
        f"frontoffice listening on http://{host}:{port} "
        f"({container.store.dialect}; collector at {settings.collector_prefix or ''}/v1/batch)"
    )
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, loop="uvloop",
                            http="httptools", access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()
