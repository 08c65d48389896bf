"""The team commands (issue 20; spec team-sync):

    crmdesk team init URL [--manager NAME] [--team T]
    crmdesk team add-user NAME --team T --role rep|desk|manager [--password P] [--server URL]
    crmdesk team remove-user NAME [--server URL]
    crmdesk team status [--server URL]
    crmdesk team join URL --user NAME [--password P]      (this --db joins the team)
    crmdesk sync                                          push and pull once
    crmdesk sync --export PACKAGE | --import PACKAGE      (cli_sync: change packages)

The hub commands connect as the PostgreSQL administrator; ``team init`` remembers its
address (never a password) in the data folder for the commands after it. Passwords come
from --password, ``CRMDESK_PASSWORD`` or a prompt."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Optional, TextIO

from crmdesk.core.errors import CrmError
from crmdesk.i18n import translate

EXIT_OK = 0


def add_parsers(commands, db_option: argparse.ArgumentParser) -> None:
    team = commands.add_parser("team", parents=[db_option], help=translate("Cli", "run the team server and join it"))
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    init = actions.add_parser("init", help=translate("Cli", "create the team server on an empty PostgreSQL database"))
    init.add_argument("url", metavar="URL", help=translate("Cli", "postgresql://ADMIN[:PASSWORD]@HOST[:PORT]/DATABASE"))
    init.add_argument("--manager", metavar="NAME", help=translate("Cli", "the first manager (default: the administrator)"))
    init.add_argument("--team", metavar="T", default="", help=translate("Cli", "the first team's name"))
    add = actions.add_parser("add-user", help=translate("Cli", "add a member, or change one's role and teams"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--team", metavar="T", action="append", default=[],
                     help=translate("Cli", "a team of the member (repeat for several)"))
    add.add_argument("--role", required=True, choices=["rep", "desk", "manager"])
    add.add_argument("--password", metavar="P", help=translate("Cli", "the member's password (default: made up and printed once)"))
    add.add_argument("--server", metavar="URL", help=translate("Cli", "the team server (default: the one team init created)"))
    remove = actions.add_parser("remove-user", help=translate("Cli", "a member can no longer sign in; the records stay"))
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--server", metavar="URL", help=translate("Cli", "the team server (default: the one team init created)"))
    status = actions.add_parser("status", parents=[db_option],
                                help=translate("Cli", "who synced when, changes waiting, conflicts open"))
    status.add_argument("--server", metavar="URL", help=translate("Cli", "the team server (default: the one team init created)"))
    join = actions.add_parser("join", parents=[db_option], help=translate("Cli", "this database joins the team"))
    join.add_argument("url", metavar="URL", help=translate("Cli", "postgresql://NAME@HOST[:PORT]/DATABASE"))
    join.add_argument("--user", metavar="NAME", help=translate("Cli", "your team login"))
    join.add_argument("--password", metavar="P", help=translate("Cli", "your team password"))
    sync = commands.add_parser("sync", parents=[db_option], help=translate("Cli", "send this computer's changes and fetch the team's"))
    sync.add_argument("--password", metavar="P", help=translate("Cli", "your team password (default: the one kept, or asked)"))
    from crmdesk.cli import sync as cli_sync
    cli_sync.add_package_options(sync)  # sync --export PACKAGE | --import PACKAGE


def handles(args: argparse.Namespace) -> bool:
    return args.command in ("team", "sync")


def _saved_server_file() -> Path:
    from crmdesk import paths
    return paths.data_dir() / "team-server.txt"


def _password(given: Optional[str], prompt: str) -> Optional[str]:
    if given:
        return given
    if os.environ.get("CRMDESK_PASSWORD"):
        return os.environ["CRMDESK_PASSWORD"]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return None


def _admin_address(url: Optional[str]):
    from crmdesk.core.sync.connection import parse
    if not url:
        saved = _saved_server_file()
        if not saved.is_file():
            raise CrmError("sync_no_server_given")
        url = saved.read_text(encoding="utf-8").strip()
    address = parse(url)
    if not address.password:
        secret = _password(None, translate("Cli", "Password of {user} on the server: ").format(user=address.user))
        address = parse(url, password=secret or "")
    return address


def run(args: argparse.Namespace, out: TextIO, err: TextIO, db_path: Path) -> int:
    from crmdesk.core.sync import hub
    if args.command == "team" and args.team_command == "init":
        address = _admin_address(args.url)
        made = hub.init(address, manager=args.manager, team=args.team)
        _saved_server_file().parent.mkdir(parents=True, exist_ok=True)
        _saved_server_file().write_text(address.url + "\n", encoding="utf-8")
        out.write(translate("Cli", "Created the team server at {server}; {manager} is its first manager.").format(
            server=address.server, manager=args.manager or address.user) + "\n")
        if made:
            out.write(translate("Cli", "Password of {user} (shown once, give it to them): {password}").format(
                user=args.manager, password=made) + "\n")
        return EXIT_OK
    if args.command == "team" and args.team_command == "add-user":
        address = _admin_address(args.server)
        password = hub.add_user(address, args.name, args.team, args.role, args.password)
        out.write(translate("Cli", "Added {user} as {role} of {teams}.").format(
            user=args.name, role=args.role, teams="、".join(args.team) or "—") + "\n")
        if not args.password:
            out.write(translate("Cli", "Password of {user} (shown once, give it to them): {password}").format(
                user=args.name, password=password) + "\n")
        return EXIT_OK
    if args.command == "team" and args.team_command == "remove-user":
        hub.remove_user(_admin_address(args.server), args.name)
        out.write(translate("Cli", "Removed {user}: the login can no longer sign in; its records stay the team's.")
                  .format(user=args.name) + "\n")
        return EXIT_OK
    if args.command == "team" and args.team_command == "status" and (args.server or _saved_server_file().is_file()):
        return _hub_status(hub.status(_admin_address(args.server)), out)
    return _laptop(args, out, db_path)


def _hub_status(status, out: TextIO) -> int:
    changes = status.changes  # a plain name: lupdate skips an attribute as the count
    out.write(translate("Cli", "Team server {server}: teams {teams}; {changes}; {conflicts}.")
              .format(server=status.server, teams="、".join(status.teams) or "—",
                      changes=translate("Cli", "%n change(s)", "", changes),
                      conflicts=_open_conflicts(status.conflicts)) + "\n")
    never = translate("Cli", "never")
    for member in status.members:
        line = translate("Cli", "{user} ({role}; {teams}): last sent {push}, last fetched {pull}, {waiting}")
        text = line.format(user=member.login, role=member.role, teams="、".join(member.teams) or "—",
                           push=_when(member.last_push) or never, pull=_when(member.last_pull) or never,
                           waiting=_waiting(member.waiting))
        if not member.active:
            text += " — " + translate("Cli", "removed")
        out.write(text + "\n")
    return EXIT_OK


def _waiting(count: int) -> str:
    return translate("Cli", "%n change(s) waiting", "", count)


def _open_conflicts(count: int) -> str:
    return translate("Cli", "%n conflict(s) open", "", count)


def _when(value) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _laptop(args: argparse.Namespace, out: TextIO, db_path: Path) -> int:
    from crmdesk.core import db as dbmod
    from crmdesk.core.sync import session, state, status
    if args.command == "sync":
        from crmdesk.cli import sync as cli_sync
        cli_sync.check_package(args, db_path)
    dbmod.open_database(db_path, create=args.command == "team" and args.team_command == "join")
    try:
        if args.command == "team" and args.team_command == "join":
            from crmdesk.core.sync.connection import parse
            address = parse(args.url, args.user)
            secret = address.password or _password(args.password, translate("Cli", "Team password of {user}: ")
                                                    .format(user=address.user))
            if not secret:
                raise CrmError("sync_password_needed", user=address.user)
            result = session.join(args.url, args.user, secret)
            out.write(translate("Cli", "Joined the team at {server} as {user}.").format(
                server=address.server, user=address.user) + "\n")
            _summary(result, out)
            # What the download left for after it (the GUI's next sync builds them in the
            # background while the window is already open): here the command finishes them.
            from crmdesk.core import bulk_indexes
            built = bulk_indexes.build_later()
            if built:
                out.write(translate("Cli", "Built %n index(es) for the lists.", "", built) + "\n")
            return EXIT_OK
        if args.command == "team":  # status, on a laptop
            local = status.local()
            if not local.joined:
                raise CrmError("sync_not_joined")
            out.write(translate("Cli", "{user} ({role}) at {server}: {waiting}, {conflicts}, last sync {when}.").format(
                user=local.login, role=local.role, server=local.url, waiting=_waiting(local.waiting),
                conflicts=_open_conflicts(local.conflicts), when=local.last_sync or translate("Cli", "never")) + "\n")
            return EXIT_OK
        from crmdesk.cli import sync as cli_sync
        if cli_sync.wants_package(args):  # sync --export | --import: no network
            return cli_sync.run_package(args, out)
        rows = state.read()
        from crmdesk.core.sync import passwords
        secret = args.password or passwords.recall(rows.get("url", ""), rows.get("login", "")) or _password(
            None, translate("Cli", "Team password of {user}: ").format(user=rows.get("login", "")))
        result = session.sync(secret)
        _summary(result, out)
        return EXIT_OK
    finally:
        dbmod.close_database()


def _summary(result, out: TextIO) -> None:
    out.write(translate("Cli", "pushed {pushed}, pulled {pulled}, conflicts {conflicts}").format(
        pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts) + "\n")
    for _table, _uuid, old, new in result.renamed:
        out.write(translate("Cli", "{old} was taken by another record on the team: it is now {new}.").format(
            old=old, new=new) + "\n")
    refused = result.refused
    if refused:
        out.write(translate("Cli", "The team server refused %n change(s) this login may not make: see crmdesk conflicts.",
                            "", refused) + "\n")
    if result.settings_refused:
        out.write(translate("Cli", "Only a manager (for complaints and care, also the desk) may change the team's "
                                   "settings: the team's were kept.") + "\n")
