"""``frontoffice user``: console users from the command line (an operator of the instance; the
console capability registers this group)."""

from __future__ import annotations

import click

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    print_rows,
    store_from,
    workspace_opt,
)
from frontoffice.console.i18n import LOCALES
from frontoffice.console.roles import ROLE_SCOPES, Role, parse_role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user, disable_user
from frontoffice.domain.events import now
from frontoffice.tenancy import service as tenancy


@click.group()
def user() -> None:
    """Console users: each belongs to one workspace and has one role (a set of API scopes)."""


@user.command("create")
@click.argument("login")
@workspace_opt()
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]),
              help="What the user may see and do (docs/console.md lists each role's scopes).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="FRONTOFFICE_USER_PASSWORD", help="At least 12 characters; prompted when "
              "omitted (or read from FRONTOFFICE_USER_PASSWORD).")
@click.option("--name", "display_name", default="", help="Shown in the console; the login if empty.")
@click.option("--locale", type=click.Choice(LOCALES), default=None,
              help="The console's language for this user; unset: the browser's.")
@json_option
@click.pass_context
@friendly_errors
def user_create(ctx: click.Context, login: str, ws: str, role: str, password: str, display_name: str,
                locale: str | None, as_json: bool) -> None:
    """Create console user LOGIN in a workspace."""
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, ws)
        made = create_user(ConsoleStore(store), w.id, login, parse_role(role), password,
                           display_name=display_name, locale=locale, by="cli", at=now())
    row = {"id": made.user_id, "login": made.login, "workspace": w.name, "role": made.role.value,
           "scopes": sorted(s.value for s in ROLE_SCOPES[made.role])}
    if as_json:
        print_json(row)
    else:
        console.print(f"user {w.name}/{made.login} ({made.role.value}) created: id {made.user_id}; "
                      "sign in at /console")


@user.command("list")
@workspace_opt()
@limit_option
@json_option
@click.pass_context
@friendly_errors
def user_list(ctx: click.Context, ws: str, limit: int, as_json: bool) -> None:
    """List the console users of a workspace."""
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, ws)
        users, _ = ConsoleStore(store).users(w.id, limit=limit)
    print_rows([{"id": u.user_id, "login": u.login, "name": u.display_name, "role": u.role.value,
                 "locale": u.locale, "status": u.status.value, "created_at": u.created_at}
                for u in users], as_json)


@user.command("disable")
@click.argument("login")
@json_option
@click.pass_context
@friendly_errors
def user_disable(ctx: click.Context, login: str, as_json: bool) -> None:
    """Disable console user LOGIN (login or id): their sessions end at once."""
    with store_from(ctx) as store:
        done = disable_user(ConsoleStore(store), login, now())
    if as_json:
        print_json({"id": done.user_id, "login": done.login, "status": done.status.value})
    else:
        console.print(f"user {done.login} disabled; their sessions are signed out")
