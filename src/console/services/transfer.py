"""CSV import and export of tickets.

The format, one ticket a row, after a header row naming the columns (any order, names
case-insensitive; ``status``, ``assignee``, ``first_response_at`` and ``resolved_at`` may be
left out, the other columns are required):

================== ======== ==============================================================
column             required meaning
================== ======== ==============================================================
key                yes      the ticket key, unique in the file and new to the database
                            (at most 64 characters, no control characters)
title              yes      free text; commas, quotes and line breaks need CSV quoting
customer           yes      the name of an existing customer
severity           yes      a level the customer's policy knows (1 is the most severe)
status             no       open (default), awaiting_customer, on_hold, resolved, closed
                            (case and spaces for underscores do not matter)
assignee           no       the login name of an existing agent
submitted_at       yes      ISO 8601 with a UTC offset: 2024-05-02T09:30:00+02:00 or ...Z
first_response_at  no       the first (non-automated) response; not before submitted_at
resolved_at        no       not before submitted_at; required for resolved and closed,
                            and only allowed for them
next_due_at        no       written by the export for reading; the import ignores it
================== ======== ==============================================================

Instants must lie between 1970 and now (the unit of work's clock). The file must be
UTF-8 (a byte order mark is fine); cells are trimmed; blank lines are skipped.

The import rebuilds a short history per ticket: ``created`` (status open, with the
severity) at ``submitted_at``; ``assigned`` at ``submitted_at`` when there is an assignee;
``responded`` at ``first_response_at``; for ``awaiting_customer`` and ``on_hold`` a
``status_changed`` at the later of ``submitted_at`` and ``first_response_at`` (a ticket
usually starts to wait after the first answer, and this keeps a pausing status from
stopping the initial-response clock before that answer); for ``resolved`` and ``closed`` a
``status_changed`` at ``resolved_at``. It validates every row first and writes nothing
unless all are valid; :class:`TicketImportError` lists every problem.

The export writes the same columns from each ticket's current fields and history (the
first non-automated response; the start of the current resolved/closed stretch), instants
in UTC, plus ``next_due_at``. Tickets the import made come back equal when the export is
imported into an empty database. For others the export is a summary: the current severity
stands for the whole history, and severity changes, updates, escalations, notes, waivers and
the instants of other status changes are not exported.
Open files with ``newline=""`` and ``encoding="utf-8"``.

Cells a spreadsheet would run as a formula are escaped (OWASP, "CSV injection"): the export
puts a ``'`` before a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, and the import takes exactly that one ``'`` away again, wherever the file came from.
So that every text comes back as it was, a text that starts with ``'`` followed by such a
cell (``'=1``) gets a ``'`` of its own too: the rule looks past leading quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

from console.adapters.repository import UnitOfWork
from console.domain.errors import DomainError, DuplicateError, NotFoundError
from console.domain.model import Customer, EventKind, Status, Ticket, TicketEvent
from console.domain.policy import Policy, PolicyError
from console.services.tickets import PolicyBook

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "REQUIRED_COLUMNS",
    "TicketImportError",
    "export_tickets",
    "import_tickets",
]

COLUMNS = (
    "key",
    "title",
    "customer",
    "severity",
    "status",
    "assignee",
    "submitted_at",
    "first_response_at",
    "resolved_at",
)
REQUIRED_COLUMNS = ("key", "title", "customer", "severity", "submitted_at")
IGNORED_COLUMNS = ("next_due_at",)
EXPORT_COLUMNS = (*COLUMNS, *IGNORED_COLUMNS)
MAX_KEY_LENGTH = 64  # the database column's width
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_BATCH = 500

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
_UNDECODED = re.compile("[\ud800-\udfff\ufffd]")  # surrogate escapes, replacement characters
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEVEL = re.compile(r"[0-9]{1,9}")
_EXAMPLE = "2024-05-02T09:30:00+02:00"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula


class TicketImportError(DomainError, ValueError):
    """An import was refused; ``problems`` lists each as ``line N: column: message``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _CellError(Exception):
    """A cell's value is unusable; the message says why."""


def _problem(line: int, column: str, message: str) -> str:
    return f"line {line}: {column}: {message}"


def _show(value: str, limit: int = 60) -> str:
    """``value`` quoted for a message, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "\u2026")


def _line_at(text: str, index: int) -> int:
    return len(_NEWLINE.findall(text, 0, index)) + 1


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text``, once the quotes before it are taken away."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows instead of running it."""
    return f"'{text}" if _runs_as_formula(text) else text


def cell_text(cell: str) -> str:
    """The text of a cell written by :func:`spreadsheet_cell` (any other cell as it is)."""
    return cell[1:] if cell.startswith("'") and _runs_as_formula(cell[1:]) else cell


# --------------------------------------------------------------------------- reading


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def _bad_byte_line(source: TextIO) -> int | None:
    """The line of the first byte that is not UTF-8, when the bytes can be read again."""
    try:
        buffer = source.buffer
        buffer.seek(0)
        data = buffer.read()
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return len(_NEWLINE_BYTES.findall(data, 0, error.start)) + 1
    except (AttributeError, OSError, ValueError, TypeError):
        return None
    return None


def _read_text(source: TextIO) -> str:
    """The whole text; refuses input that is not UTF-8."""
    encoding = getattr(source, "encoding", None)
    if isinstance(encoding, str) and not _is_utf8(encoding):
        raise TicketImportError(
            [_problem(1, "file", f"was opened as {encoding}; CSV files are read as UTF-8")]
        )
    try:
        text = source.read()
    except UnicodeDecodeError as error:
        line = _bad_byte_line(source) or 1
        byte = error.object[error.start : error.start + 1].hex().upper()
        message = (
            f"is not UTF-8 text (byte 0x{byte}: {error.reason}); "
            "save it as UTF-8 (in Excel: CSV UTF-8) and import it again"
        )
        raise TicketImportError([_problem(line, "file", message)]) from None
    text = text.removeprefix("\ufeff")
    bad = _UNDECODED.search(text)
    if bad is not None:
        message = "is not UTF-8 text (it holds characters that could not be decoded)"
        raise TicketImportError([_problem(_line_at(text, bad.start()), "file", message)])
    return text


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The non-blank records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            line, message = previous + 1, "a quoted cell that starts on this line is never closed"
        else:
            line, message = reader.line_num, f"is not valid CSV ({error})"
        hint = "; cells with commas, quotes or line breaks go in double quotes, quotes doubled"
        raise TicketImportError([_problem(line, "file", message + hint)]) from None
    return records


def _header(line: int, cells: Sequence[str]) -> dict[str, int]:
    """The position of each column named in the header."""
    problems: list[str] = []
    positions: dict[str, int] = {}
    known = ", ".join(EXPORT_COLUMNS)
    for i, cell in enumerate(cells):
        name = cell.strip().lower()
        if not name:
            continue  # a column without a name must be blank in every row (checked there)
        if name not in EXPORT_COLUMNS:
            problems.append(_problem(line, cell.strip(), f"unknown column (columns: {known})"))
        elif name in positions:
            problems.append(
                _problem(line, name, f"appears twice (columns {positions[name] + 1} and {i + 1})")
            )
        else:
            positions[name] = i
    problems.extend(
        _problem(line, name, "required column is missing")
        for name in REQUIRED_COLUMNS
        if name not in positions
    )
    if problems:
        raise TicketImportError(problems)
    return positions


# --------------------------------------------------------------------------- one row


def _instant(text: str, now: datetime) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _CellError(
            f"{_show(text)} is not an ISO 8601 date and time such as {_EXAMPLE}"
        ) from None
    if value.utcoffset() is None:
        raise _CellError(f"{_show(text)} has no UTC offset; add one such as +02:00 or Z")
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        raise _CellError(f"{_show(text)} is out of range") from None
    if value < EARLIEST:
        raise _CellError(f"{_show(text)} is before 1970")
    if value > now:
        raise _CellError(f"{_show(text)} is in the future (now is {_iso(now)})")
    return value


class _Row:
    """The trimmed cells of one data row by column, and the problems found in it."""

    def __init__(self, line: int, cells: Sequence[str], positions: Mapping[str, int]) -> None:
        self.line = line
        self.problems: list[str] = []
        self.result: tuple[Ticket, list[TicketEvent]] | None = None
        self.values: dict[str, str] = {}
        self.refused: set[str] = set()  # columns already reported (blank from here on)
        used = set(positions.values())
        for i, cell in enumerate(cells):
            if i not in used and cell.strip():
                message = f"{_show(cell.strip())} is in a column the header does not name"
                self.add(f"column {i + 1}", message)
        for column, i in positions.items():
            value = cell_text(cells[i].strip()) if i < len(cells) else ""
            bad = _CONTROL.search(value) or (None if column == "title" else _NEWLINE.search(value))
            if bad is not None and column not in IGNORED_COLUMNS:
                self.add(column, f"contains a control character (U+{ord(bad[0][0]):04X})")
                self.refused.add(column)
                value = ""
            self.values[column] = value

    def add(self, column: str, message: str) -> None:
        self.problems.append(_problem(self.line, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column, "")
        if required and not value and column not in self.refused:
            self.add(column, "is required")
        return value

    def instant(self, column: str, now: datetime, *, required: bool = False) -> datetime | None:
        text = self.text(column, required=required)
        if not text:
            return None
        try:
            return _instant(text, now)
        except _CellError as error:
            self.add(column, str(error))
            return None


class _Importer:
    """The checks of an import: what the database holds, and the keys seen so far."""

    def __init__(
        self,
        uow: UnitOfWork,
        book: PolicyBook,
        keys: Iterable[str],
        actor: str | None,
    ) -> None:
        self.book = book
        self.actor = actor
        self.now = uow.now()
        self.customers = {c.name: c for c in uow.customers.list()}
        self.agents = {a.name for a in uow.agents.list()}
        wanted = {k for k in keys if k and len(k) <= MAX_KEY_LENGTH and k.isprintable()}
        self.existing = {t.key for t in uow.tickets.list(open_only=False, keys=wanted)}
        self.seen: dict[str, int] = {}

    def _policy(self, row: _Row, customer: Customer) -> Policy | None:
        try:
            return self.book.policy_for(customer)
        except (KeyError, PolicyError) as error:
            row.add("customer", f"the customer's policy cannot be used: {error}")
            return None

    def _key(self, row: _Row) -> str:
        key = row.text("key", required=True)
        if not key:
            return key
        if len(key) > MAX_KEY_LENGTH:
            row.add("key", f"{_show(key)} is longer than {MAX_KEY_LENGTH} characters")
        elif not key.isprintable():
            row.add("key", f"{_show(key)} contains characters that cannot be shown")
        elif key in self.seen:
            row.add("key", f"{_show(key)} appears on line {self.seen[key]} already")
        elif key in self.existing:
            row.add("key", f"a ticket {_show(key)} exists already")
        self.seen.setdefault(key, row.line)
        return key

    def _severity(self, row: _Row, policy: Policy | None) -> int | None:
        text = row.text("severity", required=True)
        if not text:
            return None
        if not _LEVEL.fullmatch(text):
            row.add("severity", f"{_show(text)} is not a severity level (a whole number such as 2)")
            return None
        level = int(text)
        if policy is not None:
            try:
                policy.severity(level)
            except KeyError as error:
                row.add("severity", str(error.args[0]))
                return None
        return level

    def _status(self, row: _Row) -> Status | None:
        text = row.text("status")
        if not text:
            return Status.OPEN
        try:
            return Status(text.lower().replace(" ", "_"))
        except ValueError:
            known = ", ".join(s.value for s in Status)
            row.add("status", f"{_show(text)} is not one of: {known}")
            return None

    def read(self, line: int, cells: Sequence[str], positions: Mapping[str, int]) -> _Row:
        """Check one row; without problems, ``row.result`` is its ticket and history."""
        row = _Row(line, cells, positions)
        key = self._key(row)
        title = row.text("title", required=True)
        name = row.text("customer", required=True)
        customer = self.customers.get(name)
        if name and customer is None:
            row.add("customer", f"no customer named {_show(name)}")
        policy = self._policy(row, customer) if customer is not None else None
        severity = self._severity(row, policy)
        status = self._status(row)
        assignee = row.text("assignee") or None
        if assignee is not None and assignee not in self.agents:
            row.add("assignee", f"no agent named {_show(assignee)}")
        submitted = row.instant("submitted_at", self.now, required=True)
        responded = row.instant("first_response_at", self.now)
        resolved = row.instant("resolved_at", self.now)
        for column, value in (("first_response_at", responded), ("resolved_at", resolved)):
            if value is not None and submitted is not None and value < submitted:
                row.add(column, f"{_iso(value)} is before submitted_at ({_iso(submitted)})")
        if status is not None:
            if status.is_done and not row.text("resolved_at"):
                row.add("resolved_at", f"is required when the status is {status.value}")
            if not status.is_done and row.text("resolved_at"):
                row.add(
                    "resolved_at",
                    f"must be blank unless the status is resolved or closed (it is {status.value})",
                )
        if row.problems:
            return row
        assert customer is not None and severity is not None and status is not None
        assert submitted is not None
        events = self._history(severity, status, assignee, submitted, responded, resolved)
        try:
            due, clock = self.book.queue_state(customer, events, self.now)
        except (DomainError, ValueError, KeyError, ArithmeticError) as error:
            row.add("row", f"the SLA clocks cannot be computed: {error}")
            return row
        ticket = Ticket(
            key,
            title,
            customer.name,
            severity,
            status,
            submitted,
            assignee,
            next_due_at=due,
            summary=clock,
        )
        row.result = (ticket, events)
        return row

    def _history(
        self,
        severity: int,
        status: Status,
        assignee: str | None,
        submitted: datetime,
        responded: datetime | None,
        resolved: datetime | None,
    ) -> list[TicketEvent]:
        actor = self.actor
        data = {"severity": severity, "status": Status.OPEN.value}
        events = [TicketEvent(EventKind.CREATED, submitted, data, actor)]
        if assignee is not None:
            events.append(TicketEvent(EventKind.ASSIGNED, submitted, {"assignee": assignee}, actor))
        if responded is not None:
            events.append(TicketEvent(EventKind.RESPONDED, responded, {}, actor))
        if status in (Status.AWAITING_CUSTOMER, Status.ON_HOLD):
            since = max(submitted, responded or submitted)
            events.append(
                TicketEvent(EventKind.STATUS_CHANGED, since, {"status": status.value}, actor)
            )
        if status.is_done:
            assert resolved is not None
            change = {"status": status.value}
            events.append(TicketEvent(EventKind.STATUS_CHANGED, resolved, change, actor))
        events.sort(key=lambda e: e.at)  # stable: same-instant events keep the order above
        return events


def import_tickets(
    uow: UnitOfWork, book: PolicyBook, source: TextIO, *, actor: str | None = None
) -> int:
    """Import the tickets of a CSV file (format in the module docstring); how many.

    Every row is checked before anything is written, then all are added in one unit of
    work. Raises :class:`TicketImportError` listing every problem; nothing is written then.
    """
    records = _records(_read_text(source))
    if not records:
        message = f"is empty; expected a header row such as {','.join(COLUMNS)}"
        raise TicketImportError([_problem(1, "file", message)])
    (header_line, header_cells), rows = records[0], records[1:]
    positions = _header(header_line, header_cells)
    key_at = positions["key"]
    keys = [cells[key_at].strip() for _, cells in rows if key_at < len(cells)]
    with uow:
        book = book.current(uow)
        importer = _Importer(uow, book, keys, actor)
        problems: list[str] = []
        tickets: list[tuple[Ticket, list[TicketEvent]]] = []
        lines: dict[str, int] = {}
        for line, cells in rows:
            row = importer.read(line, cells, positions)
            problems.extend(row.problems)
            if row.result is not None:
                tickets.append(row.result)
                lines[row.result[0].key] = line
        if problems:
            raise TicketImportError(problems)
        try:
            count = uow.tickets.add_many(tickets)
        except (DuplicateError, NotFoundError) as error:  # the database changed meanwhile
            line = next((n for key, n in lines.items() if key in str(error)), header_line)
            message = f"{error}; it changed after the check, nothing was imported"
            raise TicketImportError([_problem(line, "row", message)]) from None
        uow.commit()
    return count


# --------------------------------------------------------------------------- export


def _first_response(events: Sequence[TicketEvent]) -> datetime | None:
    return next(
        (
            e.at
            for e in events
            if e.kind is EventKind.RESPONDED
            and e.invalid is None
            and not e.data.get("automated", False)
        ),
        None,
    )


def _resolved_at(ticket: Ticket, events: Sequence[TicketEvent]) -> datetime | None:
    """When the ticket's current resolved/closed stretch began (None while it is not done).
    An event that makes no sense (invalid, or a status that is not one) counts for nothing."""
    if not ticket.status.is_done:
        return None
    since: datetime | None = None
    for event in events:
        if event.invalid is not None:
            continue
        if event.kind is EventKind.CREATED:
            value = event.data.get("status", Status.OPEN)
        elif event.kind is EventKind.STATUS_CHANGED:
            value = event.data.get("status")
        else:
            continue
        try:
            status = Status(value)
        except ValueError:
            continue
        if not status.is_done:
            since = None
        elif since is None:
            since = event.at
    if since is None:  # done without a recorded change: the last thing that happened
        since = max((e.at for e in events), default=ticket.submitted_at)
    return max(since, ticket.submitted_at)


def _export_row(ticket: Ticket, history: Sequence[TicketEvent]) -> list[str]:
    events = sorted(history, key=lambda e: e.at)
    responded = _first_response(events)
    resolved = _resolved_at(ticket, events)
    cells = [
        ticket.key,
        ticket.title,
        ticket.customer,
        str(ticket.severity),
        ticket.status.value,
        ticket.assignee or "",
        _iso(ticket.submitted_at),
        _iso(responded) if responded is not None else "",
        _iso(resolved) if resolved is not None else "",
        _iso(ticket.next_due_at) if ticket.next_due_at is not None else "",
    ]
    return [spreadsheet_cell(cell) for cell in cells]


def export_tickets(uow: UnitOfWork, destination: TextIO, *, open_only: bool = False) -> int:
    """Write the tickets (only the open ones if asked) as CSV, ordered by key; how many.

    The columns are :data:`COLUMNS` and a trailing ``next_due_at`` that the import ignores.
    Tickets are written as the console reads them: a stored status that is not a status as
    open, the response and resolution instants from the events that make sense (see
    :mod:`console.adapters.sql_rows`).
    """
    writer = csv.writer(destination)
    with uow:
        tickets = uow.tickets.list(open_only=open_only)
        writer.writerow(EXPORT_COLUMNS)
        for start in range(0, len(tickets), _BATCH):
            chunk = tickets[start : start + _BATCH]
            histories = uow.tickets.events_of(t.key for t in chunk)
            writer.writerows(_export_row(t, histories.get(t.key, ())) for t in chunk)
    return len(tickets)
