"""``support-console mail ...``: the team mailbox of the current database.

``mail configure`` (a lead) sets the servers and the team's address, and keeps the passwords
in this machine's keyring; ``mail run`` is the mail worker (one per database: a second one
waits until the first stops); ``mail status`` says how it goes; ``mail contacts``, ``mail
contact`` and ``mail triage``/``mail discard`` are the leads' tools for new senders.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from pathlib import Path
from typing import IO, Any

from console.cli_errors import InputError, UsageError
from console.domain.mail import (
    DEFAULT_PORTS,
    MailboxSettings,
    OutboxState,
    Security,
    ServerSettings,
)


def add_mail_parser(commands: Any) -> None:
    mail = commands.add_parser(
        "mail",
        help="the team mailbox: configure it, run the mail worker, see its state and triage",
    )
    actions = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    configure = actions.add_parser(
        "configure",
        help="set the team mailbox (a lead's action): IMAP to receive, SMTP to send",
        description="Set the team mailbox of the current database. Passwords are never "
        "stored in the database: with --passwords they are asked for and kept in this "
        "machine's keyring; a worker elsewhere reads them from SUPPORT_CONSOLE_IMAP_PASSWORD "
        "and SUPPORT_CONSOLE_SMTP_PASSWORD or a --secrets-file.",
    )
    configure.add_argument("--address", required=True, help="the team's address (From)")
    configure.add_argument("--display-name", default="Support", help="name shown with it")
    for which in ("imap", "smtp"):
        configure.add_argument(
            f"--{which}", required=True, metavar="HOST[:PORT]", help=f"the {which.upper()} server"
        )
        configure.add_argument(
            f"--{which}-security",
            choices=[s.value for s in Security],
            default=Security.TLS.value,
            help="tls (implicit, default), starttls or none (this machine only)",
        )
        configure.add_argument(
            f"--{which}-user", metavar="LOGIN", help="the login (default: --address)"
        )
    configure.add_argument(
        "--ca-file", default="", help="certificates to trust besides the system's"
    )
    configure.add_argument("--folder", default="INBOX", help="the IMAP folder to read")
    configure.add_argument(
        "--poll-seconds", type=int, default=60, help="how often to look without IMAP IDLE"
    )
    configure.add_argument(
        "--acknowledge",
        nargs="*",
        default=[],
        metavar="POLICY",
        help="policies whose new tickets by mail get an automated acknowledgement",
    )
    configure.add_argument(
        "--passwords", action="store_true", help="ask for both passwords and keep them here"
    )
    configure.add_argument("--as", dest="actor", metavar="NAME", help="the lead (SQLite)")
    actions.add_parser("status", help="the mailbox, the worker, the outbox and Triage")
    run = actions.add_parser(
        "run",
        help="the mail worker: read new mail into tickets and send replies until stopped",
        description="Serve the team mailbox until stopped (Ctrl+C or SIGTERM). Run it with "
        "the database owner's login (the one that runs db upgrade). A second worker started "
        "on the same database waits while the first holds the mailbox.",
    )
    run.add_argument(
        "--secrets-file",
        type=Path,
        metavar="FILE",
        help="TOML: imap_password, smtp_password (mode 600)",
    )
    run.add_argument("--lease-seconds", type=float, default=30.0, help=argparse.SUPPRESS)
    run.add_argument("--confirm-seconds", type=float, default=120.0, help=argparse.SUPPRESS)
    run.add_argument("--tick-seconds", type=float, default=2.0, help=argparse.SUPPRESS)
    actions.add_parser("contacts", help="the addresses and domains that name customers")
    contact = actions.add_parser(
        "contact", help="name the customer of an address or domain (@example.com); a lead's"
    )
    contact.add_argument("address", metavar="ADDRESS")
    contact.add_argument("customer", nargs="?", metavar="CUSTOMER")
    contact.add_argument("--forget", action="store_true", help="forget the address instead")
    contact.add_argument("--as", dest="actor", metavar="NAME", help="the lead (SQLite)")
    actions.add_parser("triage", help="messages waiting for a lead: unknown senders, unreadable")
    discard = actions.add_parser("discard", help="put a waiting message aside for good")
    discard.add_argument("id", type=int, metavar="ID")
    discard.add_argument("--as", dest="actor", metavar="NAME", help="the lead (SQLite)")


def _server(text: str, security: str, user: str, which: str, ca_file: str) -> ServerSettings:
    host, _, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    chosen = Security(security)
    try:
        number = int(port) if port else DEFAULT_PORTS[(which, chosen)]
    except ValueError:
        raise UsageError(f"--{which} {text!r}: the port must be a number") from None
    return ServerSettings(host or text, number, chosen, user, ca_file)


def _actor(args: argparse.Namespace, database: Any) -> str:
    if getattr(args, "actor", None):
        return str(args.actor)
    if database.is_sqlite:
        raise UsageError(
            f"mail {args.mail_command}: say which team lead acts with --as NAME "
            "(SQLite has no logins to tell)"
        )
    with database.engine.connect() as connection:
        return str(connection.exec_driver_sql("SELECT current_user").scalar_one())


def mail_command(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    from console.adapters.database import describe
    from console.adapters.sql import SqlUnitOfWork
    from console.services import commands as c
    from console.services.handlers import handle

    where = describe(database.url)
    action = args.mail_command
    if action == "configure":
        return _configure(args, database, book, out)
    if action == "run":
        return _run_worker(args, database, book, out)
    if action == "contact":
        if args.forget == (args.customer is not None):
            raise UsageError("mail contact: give a CUSTOMER, or --forget")
        handle(
            c.SetMailContact(args.address, None if args.forget else args.customer),
            SqlUnitOfWork(database),
            book,
            _actor(args, database),
        )
        done = "forgotten" if args.forget else f"names {args.customer}"
        print(f"{where}: {args.address.strip().lower()} {done}", file=out)
        return 0
    if action == "discard":
        with SqlUnitOfWork(database, write=False) as uow:
            try:
                message = uow.mail.message(args.id)
            except Exception:
                raise InputError([f"mail discard: no message {args.id} in {where}"]) from None
        handle(
            c.DiscardMail(args.id, message.version),
            SqlUnitOfWork(database),
            book,
            _actor(args, database),
        )
        print(f"{where}: message {args.id} put aside for good", file=out)
        return 0
    with SqlUnitOfWork(database, write=False) as uow:
        settings, _ = uow.mail.settings()
        contacts = uow.mail.contacts()
        waiting = uow.mail.waiting()
        worker = uow.mail.worker()
        pending = uow.mail.outbox(states=[OutboxState.PENDING, OutboxState.SENDING])
        failed = uow.mail.outbox(states=[OutboxState.FAILED])
        now = uow.now()
    if action == "contacts":
        for address, customer in sorted(contacts.items()):
            print(f"{address}\t{customer}", file=out)
        return 0
    if action == "triage":
        for message in waiting:
            print(
                f"{message.id}\t{message.outcome.value}\t{message.received_at:%Y-%m-%d %H:%M} UTC"
                f"\t{message.sender or '-'}\t{message.subject or '(no subject)'}\t{message.reason}",
                file=out,
            )
        return 0
    from datetime import timedelta

    from console.services.mail_worker import worker_status_text

    print(f"database: {where}", file=out)
    if settings is None:
        print("mailbox:  not configured (mail configure)", file=out)
    else:
        print(
            f"mailbox:  {settings.display_name} <{settings.address}>, folder {settings.folder}",
            file=out,
        )
        print(f"IMAP:     {settings.imap.describe()}", file=out)
        print(f"SMTP:     {settings.smtp.describe()}", file=out)
        acknowledged = ", ".join(sorted(settings.acknowledge)) or "none"
        print(f"acknowledged policies: {acknowledged}", file=out)
    stale = timedelta(seconds=max(90, 3 * (settings.poll_seconds if settings else 30)))
    print(worker_status_text(worker, len(pending), now, stale), file=out)
    print(f"outbox:   {len(pending)} to send, {len(failed)} failed", file=out)
    for entry in failed:
        print(f"  failed: {entry.ticket} reply {entry.event_id}: {entry.last_error}", file=out)
    print(f"triage:   {len(waiting)} waiting for a lead; {len(contacts)} contact(s)", file=out)
    return 0


def _configure(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    from console.adapters.database import describe
    from console.adapters.mail_secrets import MailSecretError, store_password
    from console.adapters.sql import SqlUnitOfWork
    from console.services import commands as c
    from console.services.handlers import handle

    settings = MailboxSettings(
        address=args.address.strip(),
        display_name=args.display_name,
        folder=args.folder,
        poll_seconds=args.poll_seconds,
        acknowledge=frozenset(args.acknowledge),
        imap=_server(
            args.imap, args.imap_security, args.imap_user or args.address, "imap", args.ca_file
        ),
        smtp=_server(
            args.smtp, args.smtp_security, args.smtp_user or args.address, "smtp", args.ca_file
        ),
    )
    with SqlUnitOfWork(database, write=False) as uow:
        current, _ = uow.mail.settings()
    version = current.version if current is not None else 0
    try:
        handle(
            c.ConfigureMailbox(settings, version),
            SqlUnitOfWork(database),
            book,
            _actor(args, database),
        )
    except ValueError as error:
        if type(error) is ValueError:
            raise UsageError(f"mail configure: {error}") from None
        raise
    print(f"{describe(database.url)}: mailbox {settings.address} configured", file=out)
    if args.passwords:
        for which, server in (("imap", settings.imap), ("smtp", settings.smtp)):
            if not sys.stdin.isatty():
                secret = sys.stdin.readline().rstrip("\n")
            else:
                secret = getpass.getpass(f"{which.upper()} password for {server.user}: ")
            try:
                store_password(which, server, secret)
            except MailSecretError as error:
                raise UsageError(str(error)) from None
        print("passwords kept in this machine's keyring", file=out)
    return 0


def _run_worker(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    from console.adapters.database import describe
    from console.adapters.mail_secrets import password
    from console.adapters.sql import writes_through_functions
    from console.services.mail_worker import MailWorker, Passwords

    if writes_through_functions(database):
        raise UsageError(
            "mail run: this login writes only through the console's commands; run the mail "
            "worker with the database owner's login (the one that runs db upgrade)"
        )
    secrets_file = args.secrets_file

    def lookup(which: str, server: ServerSettings) -> str:
        return password(which, server, secrets_file=secrets_file)

    # A worker that could never log in says so now, not in a log nobody reads.
    from console.adapters.mail_secrets import MailSecretError
    from console.adapters.sql import SqlUnitOfWork

    with SqlUnitOfWork(database, write=False) as uow:
        settings, _ = uow.mail.settings()
    if settings is None:
        raise UsageError(
            f"mail run: {describe(database.url)} has no team mailbox: a lead sets one with "
            "support-console mail configure"
        )
    try:
        for which, server in (("imap", settings.imap), ("smtp", settings.smtp)):
            lookup(which, server)
    except MailSecretError as error:
        raise UsageError(f"mail run: {error}") from None

    worker = MailWorker(
        database,
        book,
        Passwords(lookup),
        lease_seconds=args.lease_seconds,
        confirm_seconds=args.confirm_seconds,
        tick_seconds=args.tick_seconds,
    )
    stop = threading.Event()

    def stopping(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    print(f"{describe(database.url)}: mail worker {worker.holder} started", file=out, flush=True)
    worker.run(stop)
    counts = worker.counters
    print(
        f"mail worker stopped: {counts.imported} message(s) read, {counts.sent} reply(ies) sent, "
        f"{counts.failed} failed",
        file=out,
    )
    return 0
