"""How a command ends: an exit status per kind of failure and a message instead of a traceback.

:func:`guarded` runs a command. An expected failure becomes a message on standard error that
says what is wrong and where, with the exit status of its kind (:class:`ExitStatus`; the
list is in :mod:`console.cli`'s docstring). Anything else is a bug: its traceback goes to the
log file (:func:`log_file`, rotated at :data:`LOG_MAX_BYTES`), and standard error gets one
line naming the error and the file. While a command runs, warnings and errors that
libraries log go to the same file, so that Python's last-resort handler never prints them
(with their tracebacks) on standard error.
"""

from __future__ import annotations

import enum
import logging
import re
import sys
from collections.abc import Callable, Iterable
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, TYPE_CHECKING

from console.domain.errors import DomainError
from console.domain.policy import PolicyError

if TYPE_CHECKING:
    from console.adapters.storage_errors import StorageProblem

__all__ = [
    "LOG_FILE_NAME",
    "ExitStatus",
    "InputError",
    "StorageError",
    "UsageError",
    "guarded",
    "log_file",
    "storage_failure",
]

APP_NAME = "support-console"
LOG_FILE_NAME = "support-console.log"
LOG_MAX_BYTES = 1_000_000  # then support-console.log.1 .. .3
LOG_BACKUPS = 3
MAX_PROBLEMS_SHOWN = 20
MAX_MESSAGE = 300  # characters of an unexpected error's message shown on standard error

log = logging.getLogger("console.cli")


class ExitStatus(enum.IntEnum):
    OK = 0
    PROBLEMS = 1  # a check found problems, or the command was refused for what it found
    USAGE = 2  # bad arguments
    BAD_INPUT = 3  # an input file or its data cannot be used
    STORAGE = 4  # a file or the SQLite database: locked, corrupt, read-only, full, missing
    DATABASE = 5  # the database server: unreachable, login refused, no such database
    DRIFT = 6  # db verify: a ticket's cached state differs from its history, or a bad row
    UNEXPECTED = 70  # a bug: the traceback is in the log file (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl+C


class UsageError(Exception):
    """A command was given input it cannot use; the message says what and where."""


class InputError(Exception):
    """An input file or its data cannot be used; each line names the file and the place."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


class StorageError(Exception):
    """A file or database could not be used (see :mod:`console.adapters.storage_errors`)."""

    def __init__(self, problem: StorageProblem) -> None:
        self.problem = problem
        super().__init__(problem.message)

    @property
    def status(self) -> ExitStatus:
        from console.adapters.storage_errors import StorageKind

        if self.problem.kind is StorageKind.BAD_URL:
            return ExitStatus.USAGE  # --db or $SUPPORT_CONSOLE_DB
        return ExitStatus.DATABASE if self.problem.kind.is_connection else ExitStatus.STORAGE


def storage_failure(error: BaseException, url: str | None = None) -> StorageError | None:
    """``error`` as a :class:`StorageError` when it is a storage problem (``url``: the
    database it came from, named in the message)."""
    from console.adapters.storage_errors import describe_storage_error

    problem = describe_storage_error(error, url)
    return StorageError(problem) if problem is not None else None


def log_file() -> Path:
    """``support-console.log`` in the user's log folder (made when first written)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False)) / LOG_FILE_NAME


class _Redacting(logging.Formatter):
    """Records, tracebacks included, without the passwords of database URLs."""

    def format(self, record: logging.LogRecord) -> str:
        return _without_passwords(super().format(record))


class _LogFile(RotatingFileHandler):
    """The log file, opened (and its folder made) only when something is logged. A log that
    cannot be written is noted, never reported with a traceback on standard error."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
        self.setLevel(logging.WARNING)
        self.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.failed = False

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self.failed = True


def guarded(command: Callable[[], int], argv: Iterable[str], err: IO[str] | None = None) -> int:
    """Run ``command`` and return its exit status; never raises, never prints a traceback."""
    err = err if err is not None else sys.stderr
    handler = _LogFile(log_file())
    root = logging.getLogger()
    root.addHandler(handler)
    logging.captureWarnings(True)  # a library's warning shows source lines: to the log too
    try:
        try:
            return command()
        except SystemExit as exit_:  # argparse: --help, --version, bad arguments
            code = exit_.code
            return code if isinstance(code, int) else (0 if code is None else ExitStatus.USAGE)
        except KeyboardInterrupt:
            _say(err, "interrupted")
            return ExitStatus.INTERRUPTED
        except BrokenPipeError:
            # The reader went away (``| head``): nothing to say, and nowhere to say it.
            return ExitStatus.STORAGE
        except Exception as error:
            return _report(error, argv, handler, err)
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        handler.close()


def _report(error: Exception, argv: Iterable[str], handler: _LogFile, err: IO[str]) -> int:
    """Print what went wrong; the exit status of its kind."""
    if isinstance(error, UsageError):
        _say(err, str(error))
        return ExitStatus.USAGE
    if isinstance(error, InputError):
        _say_many(err, error.lines)
        return ExitStatus.BAD_INPUT
    if isinstance(error, PolicyError):  # policy files: ``file: key.path: message`` each
        for problem in error.problems:
            print(problem, file=err)
        return ExitStatus.BAD_INPUT
    failure = error if isinstance(error, StorageError) else storage_failure(error)
    if failure is not None:
        _say(err, failure.problem.message)
        return failure.status
    if isinstance(error, DomainError):
        shown = [str(p) for p in getattr(error, "problems", ())] or [str(error)]
        _say_many(err, shown)
        return ExitStatus.PROBLEMS
    log.error("unexpected error in `support-console %s`", " ".join(argv), exc_info=error)
    text = _without_passwords(" ".join(str(error).split()))
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "\u2026"
    what = f"{type(error).__name__}: {text}" if text else type(error).__name__
    path = handler.baseFilename
    if handler.failed or not Path(path).is_file():
        _say(err, f"unexpected error ({what}); its details could not be written to {path}")
    else:
        _say(err, f"unexpected error ({what}); the details are in {path}")
    return ExitStatus.UNEXPECTED


_PASSWORD = re.compile(r"(://[^/\s:@]*:)[^/\s]*@")  # to the last @: a password may hold one


def _without_passwords(text: str) -> str:
    """``text`` with the password of any URL in it (``--db postgresql://ana:pw@host``) hidden."""
    return _PASSWORD.sub(r"\1***@", text)


def _say(err: IO[str], line: str) -> None:
    print(f"support-console: {line}", file=err)


def _say_many(err: IO[str], lines: list[str]) -> None:
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        _say(err, line)
    if len(lines) > MAX_PROBLEMS_SHOWN:
        _say(
            err,
            f"... and {len(lines) - MAX_PROBLEMS_SHOWN} more problem(s); nothing was written",
        )
