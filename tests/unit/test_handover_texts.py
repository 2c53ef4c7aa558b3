"""The handover board's words: windows, countdowns with their reason, the last handover and
the shift chooser's labels, built on the console's one set of time texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from console.domain.model import Handover
from console.services.handover import Shift
from console.services.handover_texts import (
    handover_text,
    hours_label,
    plural,
    shift_label,
    span_text,
)

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
DASH = "\u2013"
NAMES = {"ana.ortiz": "Ana Ortiz", "ben.adler": "Ben Adler"}


def handover(**changes: object) -> Handover:
    record = Handover(
        7,
        "ana.ortiz",
        datetime(2026, 11, 20, 14, 2, tzinfo=UTC),  # Fri 15:02 in Zurich
        NOW - timedelta(hours=8),
        NOW,
        "Quiet morning",
        {},
        version=1,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def test_a_window_names_the_end_day_when_it_differs_and_both_zones_across_dst() -> None:
    assert span_text(NOW, NOW + timedelta(hours=8), ZURICH) == f"Fri 20 Nov 15:30{DASH}23:30 CET"
    night = (datetime(2026, 11, 20, 21, tzinfo=UTC), datetime(2026, 11, 21, 5, tzinfo=UTC))
    assert span_text(*night, ZURICH) == f"Fri 20 Nov 22:00 {DASH} Sat 21 Nov 06:00 CET"
    assert span_text(*night, ZURICH, year=True) == (
        f"Fri 20 Nov 2026 22:00 {DASH} Sat 21 Nov 06:00 CET"
    )
    autumn = (datetime(2026, 10, 24, 20, tzinfo=UTC), datetime(2026, 10, 25, 5, tzinfo=UTC))
    assert span_text(*autumn, ZURICH) == f"Sat 24 Oct 22:00 CEST {DASH} Sun 25 Oct 06:00 CET"
    dst = (datetime(2026, 10, 24, 23, tzinfo=UTC), datetime(2026, 10, 25, 3, tzinfo=UTC))
    assert span_text(*dst, ZURICH) == f"Sun 25 Oct 01:00 CEST{DASH}04:00 CET"


def test_the_last_handover_reads_like_the_queue_instants() -> None:
    assert handover_text(None, NAMES, ZURICH, NOW) == "No handover recorded yet"
    assert handover_text(handover(), NAMES, ZURICH, NOW) == (
        "Last handover by Ana Ortiz, earlier today 15:02 \u2014 not acknowledged yet"
    )
    seen = handover(
        acknowledged_by="ben.adler", acknowledged_at=datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    )
    assert handover_text(seen, NAMES, ZURICH, NOW) == (
        "Last handover by Ana Ortiz, earlier today 15:02 \u2014 acknowledged by Ben Adler, "
        "earlier today 15:10"
    )
    # The next morning, with logins for unknown people: the days are named.
    next_day = replace(seen, acknowledged_at=datetime(2026, 11, 21, 6, 5, tzinfo=UTC))
    morning = datetime(2026, 11, 21, 7, tzinfo=UTC)
    assert handover_text(next_day, {}, ZURICH, morning) == (
        "Last handover by ana.ortiz, yesterday 15:02 \u2014 acknowledged by ben.adler, "
        "earlier today 07:05"
    )
    unknown_time = replace(seen, acknowledged_at=None)
    assert handover_text(unknown_time, NAMES, ZURICH, NOW).endswith("acknowledged by Ben Adler")


def test_labels_of_the_window_chooser() -> None:
    assert hours_label(8) == "Next 8 hours" and hours_label(1) == "Next 1 hour"
    sydney = Shift("APAC", time(8), time(16), "Australia/Sydney")
    assert shift_label(sydney) == f"APAC shift \u00b7 08:00{DASH}16:00 Sydney"
    la = Shift("AMER", time(15), time(23), "America/Los_Angeles")
    assert shift_label(la).endswith("Los Angeles")
    assert plural(1, "ticket note") == "1 ticket note" and plural(0, "note") == "0 notes"
