"""Reading the tables of a policy file: typed getters that know the key path they read.

Each problem is an :class:`ItemError` naming its path; a :class:`Collector` reads items
one by one so that a file's problems are all reported together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import time, timedelta
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.domain.policy_model import PolicyProblem, Source, parse_duration

T = TypeVar("T")
P = ParamSpec("P")


class ItemError(Exception):
    """One problem at ``path`` of the file; the item being read is given up."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class TableReader:
    """A table of a policy file being read: typed getters that know their key path."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ItemError(path or "(top level)", f"expected a table, got {kind_of(data)}")
        self.data: Mapping[str, Any] = data
        self.path = path
        self.seen: set[str] = set()

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data[key]

    def get(self, key: str, convert: Callable[[Any, str], T], default: T | None = None) -> T:
        if key not in self.data:
            if default is None:
                raise ItemError(self.at(key), "missing")
            return default
        self.seen.add(key)
        return convert(self.data[key], self.at(key))

    def optional(self, key: str, convert: Callable[[Any, str], T]) -> T | None:
        if key not in self.data:
            return None
        self.seen.add(key)
        return convert(self.data[key], self.at(key))

    def finish(self, allowed_extra: Iterable[str] = ()) -> None:
        extra = set(allowed_extra)
        for key in self.data:
            if key not in self.seen and key not in extra:
                known = ", ".join(sorted(self.seen | extra))
                raise ItemError(self.at(key), f"unknown key (known here: {known})")

    def source(self) -> Source:
        return Source(self.get("clause", as_text), self.get("quote", as_text))


def kind_of(value: object) -> str:
    """How a problem names the type of a TOML value."""
    return {
        dict: "a table",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }.get(type(value), type(value).__name__)


def as_text(value: object, path: str) -> str:
    """A non-empty string, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ItemError(path, f"expected a non-empty string, got {kind_of(value)}")
    return value.strip()


def as_bool(value: object, path: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise ItemError(path, f"expected true or false, got {kind_of(value)}")
    return value


def as_int(value: object, path: str) -> int:
    """An integer (TOML booleans are not integers here)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ItemError(path, f"expected an integer, got {kind_of(value)}")
    return value


def as_duration(value: object, path: str) -> timedelta:
    """A positive duration as :func:`parse_duration` reads it."""
    try:
        duration = parse_duration(as_text(value, path))
    except ValueError as error:
        raise ItemError(path, str(error)) from None
    if duration <= timedelta(0):
        raise ItemError(path, "must be longer than zero")
    return duration


def as_list(value: object, path: str) -> list[Any]:
    """An array."""
    if not isinstance(value, list):
        raise ItemError(path, f"expected an array, got {kind_of(value)}")
    return value


def as_texts(value: object, path: str) -> tuple[str, ...]:
    """An array of non-empty strings."""
    return tuple(as_text(item, f"{path}[{i}]") for i, item in enumerate(as_list(value, path)))


def as_table(value: object, path: str) -> Mapping[str, Any]:
    """A table."""
    if not isinstance(value, Mapping):
        raise ItemError(path, f"expected a table, got {kind_of(value)}")
    return value


def as_choice(enum: type[StrEnum]) -> Callable[[object, str], Any]:
    """A converter to a member of ``enum``, by its value."""

    def convert(value: object, path: str) -> Any:
        try:
            return enum(as_text(value, path))
        except ValueError:
            known = ", ".join(e.value for e in enum)
            raise ItemError(path, f"{value!r} is not one of: {known}") from None

    return convert


def as_clock_time(value: object, path: str) -> time:
    """A time of day written ``HH:MM``."""
    text = as_text(value, path)
    try:
        if not re.fullmatch(r"\d{2}:\d{2}", text):
            raise ValueError
        return time.fromisoformat(text)
    except ValueError:
        raise ItemError(path, f"{text!r} is not a time like '03:00'") from None


def as_zone(value: object, path: str) -> str:
    """The name of an IANA time zone."""
    name = as_text(value, path)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ItemError(path, f"{name!r} is not an IANA time zone") from None
    return name


class Collector:
    """Gathers the problems of one file; each item is read on its own so all are reported."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[PolicyProblem] = []

    def item(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return read(*args, **kwargs)
        except ItemError as error:
            self.problems.append(PolicyProblem(self.file, error.path, error.message))
            return None

    def add(self, path: str, message: str) -> None:
        self.problems.append(PolicyProblem(self.file, path, message))

    def each(self, reader: TableReader, key: str) -> Iterator[tuple[int, TableReader]]:
        """The tables of array ``key``, each as a reader (bad entries are reported and skipped)."""
        if not reader.has(key):
            return
        for i, data in enumerate(self.item(reader.get, key, as_list) or []):
            table = self.item(TableReader, data, f"{reader.at(key)}[{i}]")
            if table is not None:
                yield i, table

    def tables(self, reader: TableReader, key: str) -> Iterator[tuple[str, TableReader]]:
        """The tables of table ``key`` by their keys (bad entries are reported and skipped)."""
        if not reader.has(key):
            return
        outer = self.item(TableReader, reader.raw(key), reader.at(key))
        for name, data in outer.data.items() if outer is not None else ():
            table = self.item(TableReader, data, outer.at(name))  # type: ignore[union-attr]
            if table is not None:
                yield name, table
