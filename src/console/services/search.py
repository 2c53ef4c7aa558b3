"""Where the tickets a search finds are: in the queue shown, among all open tickets, and
whether the search is one ticket's key exactly. The window shows the queue's matches and
says (or goes to) where the others are; this module decides which, and in what words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from console.services.queue import QueueRow
from console.services.queues import QUEUE_ALL, Queue, matches


@dataclass(frozen=True, slots=True)
class SearchReach:
    """What a search for ``text`` finds: ``shown`` tickets in ``queue`` (the queue shown),
    ``everywhere`` among all open tickets, and ``key``, the ticket whose key ``text`` is
    (None: no such ticket), with ``key_shown`` whether ``queue`` holds it."""

    text: str
    queue: Queue
    shown: int
    everywhere: int
    key: str | None = None
    key_shown: bool = False

    @property
    def elsewhere(self) -> int:
        """Matches outside the queue shown."""
        return self.everywhere - self.shown

    @property
    def widens(self) -> bool:
        """All open should be shown instead: the queue shown has no match, or lacks the
        ticket whose key was typed, and All open has it."""
        if self.queue == QUEUE_ALL:
            return False
        return (self.shown == 0 and self.everywhere > 0) or (
            self.key is not None and not self.key_shown
        )


def search_reach(
    rows: Iterable[QueueRow], text: str, queue: Queue, me: str | None, now: datetime
) -> SearchReach:
    """Count what a search for ``text`` finds in ``queue`` (as ``me`` at ``now``) and among
    ``rows``, all open tickets. An empty search finds nothing."""
    words = text.lower().split()
    if not words:
        return SearchReach(text, queue, 0, 0)
    typed = text.strip().casefold()
    shown = everywhere = 0
    key: str | None = None
    key_shown = False
    for row in rows:
        if not matches(row, words):
            continue
        everywhere += 1
        here = queue.accepts(row, me, now)
        shown += here
        if row.key.casefold() == typed:
            key, key_shown = row.key, here
    return SearchReach(text, queue, shown, everywhere, key, key_shown)


@dataclass(frozen=True, slots=True)
class SearchNote:
    """The line under the search box: ``text``, then ``action``, the words of the link to
    the queue ``target`` (no link when None)."""

    text: str
    action: str | None = None
    target: Queue | None = None


def search_note(reach: SearchReach, origin: SearchReach | None = None) -> SearchNote | None:
    """What to say about ``reach``, a search's matches in the queue shown: the matches in
    other queues and a way to them, or, when the search moved the console to All open from
    another queue, ``origin`` (the same search in that queue): why, and a way back. None:
    nothing to say."""
    if not reach.text.strip():
        return None
    if origin is not None and reach.queue == QUEUE_ALL and origin.queue != QUEUE_ALL:
        label = origin.queue.label
        if origin.key is not None and not origin.key_shown:
            said = f"{origin.key} is not in {label}"
        elif origin.shown == 0:
            said = f"Nothing in {label} matches"
        else:
            said = f"{origin.shown:,} of {reach.everywhere:,} in {label}"
        return SearchNote(f"{said}: showing {QUEUE_ALL.label}", f"back to {label}", origin.queue)
    if reach.everywhere == 0:
        return SearchNote(f"No open ticket matches \u201c{reach.text.strip()}\u201d")
    if reach.elsewhere <= 0:
        return None
    count = f"{reach.elsewhere:,}"
    if reach.shown == 0:
        said = f"Nothing in {reach.queue.label} matches; {count} in {QUEUE_ALL.label}"
    else:
        said = f"{count} more in {QUEUE_ALL.label}"
    return SearchNote(said, "show them", QUEUE_ALL)


__all__ = ["SearchNote", "SearchReach", "search_note", "search_reach"]
