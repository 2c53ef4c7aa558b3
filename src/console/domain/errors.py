"""Errors raised by the domain. Each one says what is wrong and where."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error the domain raises on purpose."""


class CalendarSpecError(DomainError, ValueError):
    """A calendar spec is malformed. ``path`` is the key path of the bad item (``hours.mon[1]``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def within(self, prefix: str) -> CalendarSpecError:
        """The same error with its key path placed under ``prefix`` (``calendars.business``)."""
        path = (
            f"{prefix}.{self.path}"
            if self.path and not self.path.startswith("[")
            else (f"{prefix}{self.path}")
        )
        return CalendarSpecError(path, self.message)


class CalendarRangeError(DomainError, ValueError):
    """An instant lies outside the years a calendar can answer for, or it never opens again."""
