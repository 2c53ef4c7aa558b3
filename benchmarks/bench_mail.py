"""Mail intake: messages imported per second by the mail worker from a real IMAP server
(a throw-away Dovecot, started as the tests start it) into SQLite and PostgreSQL, and the
time from a message arriving in the mailbox to its ticket reaching a console that follows
the change feed (p50, p95).

Run: ``.venv/bin/python benchmarks/bench_mail.py [--messages 300] [--arrivals 40]
[--postgres URL]``. Throughput: the messages are put in the mailbox first (two thirds new
threads of known customers, one third answers to them), then one worker reads them all; the
rate is messages over the worker's time. Latency: with the worker running (IMAP IDLE), one
message at a time is put in the mailbox; the latency is the instant a console's change-feed
follower sees the new ticket minus the instant the IMAP APPEND returned.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mailservers import DovecotServer, MailAccount
from postgres_target import postgres_database

LEAD = "claire.dubois"  # a lead of the demo data
DOMAINS: list[str] = []  # of the demo customers' escalation contacts (known senders)


def mail(n: int, reply_to: str | None = None) -> tuple[str, bytes]:
    message = EmailMessage()
    domain = DOMAINS[n % len(DOMAINS)]
    message["From"] = f"Customer {n} <person{n}@{domain}>"
    message["To"] = "support@example.test"
    message["Subject"] = f"Re: Issue {n}" if reply_to else f"Issue {n}: the export hangs"
    message["Date"] = format_datetime(datetime.now(UTC))
    message_id = f"bench.{n}.{time.time_ns()}@{domain}"
    message["Message-ID"] = f"<{message_id}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
        message["References"] = f"<{reply_to}>"
    message.set_content(f"Message {n}.\n\nThe nightly export stops at 80 % since Monday.\n")
    return message_id, message.as_bytes()


def prepare(url: str, account: MailAccount) -> None:
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.mail import MailboxSettings, Security
    from console.domain.policy import load_policies
    from console.services.commands import ConfigureMailbox
    from console.services.demo import load_demo
    from console.services.handlers import handle
    from console.services.tickets import PolicyBook

    book = PolicyBook(load_policies())
    database = Database.open(url)
    database.upgrade()
    now = datetime.now(UTC)
    load_demo(SqlUnitOfWork(database, now=lambda: now), book, tickets=100, seed=3, now=now)
    imap = account.imap(Security.NONE)
    settings = MailboxSettings(account.address, imap, imap, poll_seconds=5)
    handle(ConfigureMailbox(settings, 0), SqlUnitOfWork(database), book, LEAD)
    with SqlUnitOfWork(database, write=False) as uow:
        DOMAINS[:] = sorted(uow.mail.customer_domains())
    database.dispose()


def worker_for(url: str, account: MailAccount, tick: float) -> tuple[object, object]:
    from console.adapters.database import Database
    from console.domain.policy import load_policies
    from console.services.mail_worker import MailWorker, Passwords
    from console.services.tickets import PolicyBook

    database = Database.open(url)
    worker = MailWorker(
        database,
        PolicyBook(load_policies()),
        Passwords(lambda which, server: account.password),
        tick_seconds=tick,
    )
    return database, worker


def throughput(url: str, account: MailAccount, count: int) -> float:
    from console.adapters.mail import ImapInbox
    from console.domain.mail import Security

    ids: list[str] = []
    with ImapInbox(account.imap(Security.NONE), account.password) as inbox:
        inbox.connect()
        for n in range(count):
            reply_to = ids[n - 1] if n % 3 == 2 and ids else None
            message_id, raw = mail(n, reply_to)
            ids.append(message_id)
            inbox.append(raw)
    database, worker = worker_for(url, account, 0.05)
    started = time.perf_counter()
    while worker.counters.imported < count:  # type: ignore[attr-defined]
        worker.step()  # type: ignore[attr-defined]
        if time.perf_counter() - started > 600:
            raise SystemExit("the worker did not read every message in 10 minutes")
    elapsed = time.perf_counter() - started
    worker.close()  # type: ignore[attr-defined]
    database.dispose()  # type: ignore[attr-defined]
    return count / elapsed


def latencies(url: str, account: MailAccount, arrivals: int) -> list[float]:
    from console.adapters.database import Database
    from console.adapters.listen import ChangeFollower, listener_for
    from console.adapters.mail import ImapInbox
    from console.domain.mail import Security

    database, worker = worker_for(url, account, 2.0)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)  # type: ignore[attr-defined]
    thread.start()
    console = Database.open(url)
    follower = ChangeFollower(console)
    listener = listener_for(console)
    follower.poll()
    found: list[float] = []
    time.sleep(3)  # the worker holds the mailbox and idles
    with ImapInbox(account.imap(Security.NONE), account.password) as inbox:
        inbox.connect()
        for n in range(arrivals):
            _, raw = mail(10_000 + n)
            inbox.append(raw)
            appended = time.perf_counter()
            seen = False
            deadline = appended + 60
            while not seen and time.perf_counter() < deadline:
                listener.wait(0.05)
                for change in follower.poll():
                    if change.entity == "ticket" and change.kind.value == "created":
                        seen = True
            if not seen:
                raise SystemExit("a message never reached the console")
            found.append((time.perf_counter() - appended) * 1000)
            time.sleep(0.2)
    stop.set()
    thread.join(30)
    listener.close()
    console.dispose()
    database.dispose()  # type: ignore[attr-defined]
    return found


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "count": len(ordered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--arrivals", type=int, default=40)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_mail.json"
    )
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with DovecotServer() as dovecot, tempfile.TemporaryDirectory() as folder:
        targets = {"sqlite": f"sqlite:///{Path(folder) / 'mail.sqlite3'}"}
        with postgres_database(args.postgres, "mail") as postgres_url:
            if postgres_url:
                targets["postgres"] = postgres_url
            for name, url in targets.items():
                account = dovecot.new_account()
                prepare(url, account)
                rate = throughput(url, account, args.messages)
                late = latencies(url, account, args.arrivals)
                results[name] = {"messages_per_second": rate, **summary(late)}
    for name, figures in results.items():
        print(
            f"{name:9s} import {figures['messages_per_second']:6.1f} messages/s; "
            f"mailbox to console p50 {figures['p50_ms']:6.0f} ms, p95 {figures['p95_ms']:6.0f} ms "
            f"({figures['count']:.0f} arrivals)"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
