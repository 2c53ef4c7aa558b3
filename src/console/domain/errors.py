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


class PresenceError(DomainError, ValueError):
    """A presence names a country or subdivision the ``holidays`` package does not know."""


class CalendarRangeError(DomainError, ValueError):
    """An instant lies outside the years a calendar can answer for, or it never opens again."""


class NotFoundError(DomainError, LookupError):
    """Something asked for by its key does not exist."""

    def __init__(self, entity: str, key: object) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"no {entity} {key!r}")


class ConcurrentEditError(DomainError):
    """A write was based on a stale version: someone else changed the row first.

    ``current`` is the row as it is now (a domain snapshot, or None when it was deleted);
    ``attempted`` the changes that were refused. The UI shows both and offers to retry.
    ``message`` replaces the usual one where versions say little (a set of rows compared by
    what they hold, such as a policy's presences).
    """

    def __init__(
        self,
        entity: str,
        key: object,
        expected_version: int,
        current: object,
        attempted: dict[str, object],
        *,
        message: str | None = None,
    ) -> None:
        self.entity = entity
        self.key = key
        self.expected_version = expected_version
        self.current = current
        self.attempted = attempted
        now = getattr(current, "version", None)
        state = "deleted" if current is None else f"now at version {now}"
        super().__init__(
            message
            or (
                f"{entity} {key} was changed by someone else (you edited version "
                f"{expected_version}, it is {state}); nothing was saved"
            )
        )


class PermissionDeniedError(DomainError):
    """The signed-in person may not do this (a lead-only action by an agent)."""


class DuplicateError(DomainError, ValueError):
    """A new row's key is taken."""
