"""Worked examples of every SLA target of the five seed policies, through `support-console due`.

Each example was computed by hand from the seed documents in shared/seeds/ and the readings of
DESIGN.md section 1. Above each group of examples a comment quotes the seed clause under test;
above each example a comment gives the arithmetic.

Conventions (DESIGN.md section 2, "Due instant"):
- due = the last instant at which the business time used does not exceed the target; a target used
  up exactly at a closing time is due at the next opening; a start while closed counts from the
  next opening;
- "24x7" = open all the time, holidays included, a real hour is a real hour across DST changes;
- "24x5" = open all day Mon-Fri (local midnight to midnight) minus the policy's holidays;
- "N business days" = N x 24 h of open time on that 24x5 calendar.

Times are written as local wall times in the policy's zone ("2026-11-25 17:30"); a time that a
DST change makes ambiguous carries its UTC offset ("2026-11-01T01:15-08:00"). Results are compared
as UTC instants.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from console.cli import main

LA = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
ZURICH = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")

ZONES: dict[str, ZoneInfo] = {
    "layer0": LA,
    "laioutr": BERLIN,
    "moboom": LA,
    "zitadel": ZURICH,
    "liveperson": NEW_YORK,
}

IR = "initial_response"
PU = "periodic_update"
RCA = "preliminary_rca"
ESC = "escalation_response"

ENT, DEV = "enterprise", "developer"
STD = "standard"
PP = "premium-partner"
DEF, EXT, CUS = "default", "extended", "custom"


@dataclass(frozen=True)
class Example:
    """One hand-computed case: a clock started at ``start`` (local wall time in the policy's
    zone, or ISO 8601 with offset) is due at ``due`` (None: no timed target) with ``target``
    (None: no target). ``best_effort`` None means the seed does not settle that key."""

    policy: str
    name: str
    plan: str
    severity: int
    metric: str
    start: str
    due: str | None
    target: str | None
    urgent: bool = False
    best_effort: bool | None = False

    @property
    def zone(self) -> ZoneInfo:
        return ZONES[self.policy]

    @property
    def start_at(self) -> datetime:
        return at(self.start, self.zone)

    @property
    def due_at(self) -> datetime | None:
        return None if self.due is None else at(self.due, self.zone)


L0 = partial(Example, "layer0")
LT = partial(Example, "laioutr")
MB = partial(Example, "moboom")
ZI = partial(Example, "zitadel")
LP = partial(Example, "liveperson")


# --------------------------------------------------------------------------------------- helpers


def at(text: str, zone: ZoneInfo) -> datetime:
    """A wall time in ``zone`` ("2026-11-25 17:30"), or an instant with an explicit offset."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNITS = {
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}


def parse_duration(text: str) -> timedelta:
    """'30m', '1h', '72h', '3d', '1d 12h' -> timedelta; a day counts 24 hours of open time."""
    compact = text.strip().lower().replace(" ", "")
    parts = _DURATION_PART.findall(compact)
    assert parts, f"not a duration: {text!r}"
    assert "".join(number + unit for number, unit in parts) == compact, f"not a duration: {text!r}"
    return sum((float(number) * _UNITS[unit] for number, unit in parts), timedelta())


def run_due(
    capsys: pytest.CaptureFixture[str],
    *,
    policy: str,
    plan: str,
    severity: int,
    metric: str,
    start: datetime,
    urgent: bool = False,
) -> dict[str, Any]:
    """Run `due ... --json` in-process and return the JSON object it printed."""
    argv = [
        "due",
        "--policy",
        policy,
        "--plan",
        plan,
        "--severity",
        str(severity),
        "--metric",
        metric,
        "--start",
        start.isoformat(),
    ]
    if urgent:
        argv.append("--urgent")
    argv.append("--json")
    capsys.readouterr()
    code: int | str | None
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert code == 0, f"`{' '.join(argv)}` exited {code}: {captured.err}"
    payload = json.loads(captured.out)
    assert isinstance(payload, dict), captured.out
    for key in ("due", "target", "calendar", "best_effort"):
        assert key in payload, f"key {key!r} missing from {payload}"
    return payload


def check(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """When `due` is asked for the example, then due, target, best_effort and calendar match."""
    result = run_due(
        capsys,
        policy=example.policy,
        plan=example.plan,
        severity=example.severity,
        metric=example.metric,
        start=example.start_at,
        urgent=example.urgent,
    )
    expected = example.due_at
    if expected is None:
        assert result["due"] is None, result
    else:
        assert isinstance(result["due"], str), result
        actual = datetime.fromisoformat(result["due"])
        assert actual.utcoffset() is not None, f"due without a UTC offset: {result['due']}"
        assert actual.astimezone(UTC) == expected.astimezone(UTC), (
            f"due {actual.astimezone(example.zone).isoformat()} ({example.zone.key}),"
            f" expected {expected.astimezone(example.zone).isoformat()}"
        )
        assert isinstance(result["calendar"], str), result
        assert result["calendar"], result
    if example.target is None:
        assert result["target"] is None, result
    else:
        assert isinstance(result["target"], str), result
        assert parse_duration(result["target"]) == parse_duration(example.target), result
    if example.best_effort is not None:
        assert result["best_effort"] is example.best_effort, result


# ------------------------------------------------------------------------------------- Layer0
# Seed 000 (Layer0), Pacific = America/Los_Angeles with DST. §7: "'Business Day' means any day
# other than a Saturday, Sunday or Qualified Holidays and 'Business Hours' means 9:00 a.m. to
# 6:00 p.m. PST". "'Qualified Holidays' are: New Year's Day; Martin Luther King, Jr. Day; Memorial
# Day; Independence Day; Labor Day; Thanksgiving Day; Friday after Thanksgiving; Christmas Eve;
# Christmas Day; and New Year's Eve." 2026: MLK 19 Jan, Memorial 25 May, Independence Day Sat
# 4 Jul observed Fri 3 Jul, Labor 7 Sep, Thanksgiving 26 Nov, Fri 27 Nov, Thu 24 + Fri 25 Dec,
# Thu 31 Dec, Fri 1 Jan 2027. US DST: starts Sun 8 Mar 2026, ends Sun 1 Nov 2026.

LAYER0: list[Example] = [
    # --- §6 Enterprise, Sev 1: "24x7x365 phone support, Open ticket during Business Hours,
    # Target response time: 30 mins" -> 30 min on 24x7.
    # Tue 14:10 + 30 min -> 14:40.
    L0("sev1-weekday", ENT, 1, IR, "2026-06-16 14:10", "2026-06-16 14:40", "30m"),
    # 24x7 ignores Qualified Holidays: Thanksgiving Thu 23:45 + 30 min -> Fri 00:15.
    L0("sev1-thanksgiving-night", ENT, 1, IR, "2026-11-26 23:45", "2026-11-27 00:15", "30m"),
    # Sat 4 Jul (Independence Day) 12:00 + 30 min -> 12:30, weekend and holiday alike.
    L0("sev1-july-4", ENT, 1, IR, "2026-07-04 12:00", "2026-07-04 12:30", "30m"),
    # DST starts: 01:45 PST (09:45Z) + 30 min = 10:15Z = 03:15 PDT (02:00-03:00 never happens).
    L0("sev1-dst-spring", ENT, 1, IR, "2026-03-08T01:45-08:00", "2026-03-08T03:15-07:00", "30m"),
    # DST ends: 01:45 PDT (08:45Z) + 30 min = 09:15Z = 01:15 PST, the second pass of 01:xx.
    L0("sev1-dst-fall", ENT, 1, IR, "2026-11-01T01:45-07:00", "2026-11-01T01:15-08:00", "30m"),
    # --- §6 Enterprise, Sev 2: "Open ticket during Business Hours, Target response time: 60 min
    # during Business Hours" -> 60 min on 09:00-18:00 Mon-Fri minus Qualified Holidays.
    # Tue 10:15 + 1 h -> 11:15 the same day.
    L0("sev2-within-a-day", ENT, 2, IR, "2026-06-16 10:15", "2026-06-16 11:15", "1h"),
    # Wed 17:30 + 1 h: 30 min Wed; Thu 26 (Thanksgiving) and Fri 27 (Friday after Thanksgiving)
    # are Qualified Holidays; Sat, Sun closed; 30 min Mon 09:00-09:30 -> Mon 09:30.
    L0("sev2-thanksgiving", ENT, 2, IR, "2026-11-25 17:30", "2026-11-30 09:30", "1h"),
    # Target used up exactly at closing: Fri 17:00 + 1 h = Fri 18:00 -> next opening Mon 09:00.
    L0("sev2-used-up-at-closing", ENT, 2, IR, "2026-11-20 17:00", "2026-11-23 09:00", "1h"),
    # Start exactly at closing (closed): counts from Wed 09:00 -> Wed 10:00.
    L0("sev2-start-at-closing", ENT, 2, IR, "2026-06-16 18:00", "2026-06-17 10:00", "1h"),
    # Start before opening: Tue 07:00 counts from 09:00 -> 10:00.
    L0("sev2-before-opening", ENT, 2, IR, "2026-06-16 07:00", "2026-06-16 10:00", "1h"),
    # Start on a Saturday: counts from Mon 09:00 -> Mon 10:00.
    L0("sev2-saturday", ENT, 2, IR, "2026-06-13 10:00", "2026-06-15 10:00", "1h"),
    # Start on a holiday: Thanksgiving Thu 11:00; Thu, Fri holidays, weekend -> Mon 10:00.
    L0("sev2-on-thanksgiving", ENT, 2, IR, "2026-11-26 11:00", "2026-11-30 10:00", "1h"),
    # Observed holiday: Thu 2 Jul 17:30: 30 min Thu; Fri 3 Jul = Independence Day (observed);
    # weekend; 30 min Mon -> Mon 6 Jul 09:30.
    L0("sev2-july-4-observed", ENT, 2, IR, "2026-07-02 17:30", "2026-07-06 09:30", "1h"),
    # Fri 17:30: 30 min Fri; weekend; Mon 25 May Memorial Day; 30 min Tue -> Tue 09:30.
    L0("sev2-memorial-day", ENT, 2, IR, "2026-05-22 17:30", "2026-05-26 09:30", "1h"),
    # Fri 17:30: 30 min Fri; weekend; Mon 19 Jan MLK Day; 30 min Tue -> Tue 09:30.
    L0("sev2-mlk-day", ENT, 2, IR, "2026-01-16 17:30", "2026-01-20 09:30", "1h"),
    # Fri 17:30: 30 min Fri; weekend; Mon 7 Sep Labor Day; 30 min Tue -> Tue 09:30.
    L0("sev2-labor-day", ENT, 2, IR, "2026-09-04 17:30", "2026-09-08 09:30", "1h"),
    # Wed 23 Dec 17:30: 30 min Wed; Thu 24 Christmas Eve, Fri 25 Christmas Day; weekend;
    # 30 min Mon -> Mon 28 Dec 09:30.
    L0("sev2-christmas-eve", ENT, 2, IR, "2026-12-23 17:30", "2026-12-28 09:30", "1h"),
    # Wed 30 Dec 17:30: 30 min Wed; Thu 31 New Year's Eve, Fri 1 Jan New Year's Day; weekend;
    # 30 min Mon -> Mon 4 Jan 2027 09:30.
    L0("sev2-new-years-eve", ENT, 2, IR, "2026-12-30 17:30", "2027-01-04 09:30", "1h"),
    # Juneteenth (Fri 19 Jun) is a US holiday but not a Qualified Holiday: Thu 17:30: 30 min Thu,
    # 30 min Fri -> Fri 09:30.
    L0("sev2-juneteenth-is-open", ENT, 2, IR, "2026-06-18 17:30", "2026-06-19 09:30", "1h"),
    # Across DST: Fri 6 Mar 17:30 PST: 30 min Fri; weekend (DST starts Sun); 30 min Mon
    # -> Mon 9 Mar 09:30 PDT (wall time 09:30 is kept: business hours are local).
    L0("sev2-dst-weekend", ENT, 2, IR, "2026-03-06 17:30", "2026-03-09 09:30", "1h"),
    # --- §6 Enterprise, Sev 3: "Forums and Twitter, Target response time: within 48 hours during
    # Business Days" -> 48 h on a calendar open all day Mon-Fri minus Qualified Holidays.
    # Mon 10:00: 14 h Mon, 24 h Tue (38), 10 h Wed -> Wed 10:00.
    L0("sev3-weekdays", ENT, 3, IR, "2026-06-15 10:00", "2026-06-17 10:00", "48h"),
    # Wed 25 Nov 10:00: 14 h Wed; Thu, Fri holidays; weekend; 24 h Mon (38); 10 h Tue
    # -> Tue 1 Dec 10:00.
    L0("sev3-thanksgiving", ENT, 3, IR, "2026-11-25 10:00", "2026-12-01 10:00", "48h"),
    # Used up exactly at closing: Thu 00:00: 24 h Thu, 24 h Fri -> Fri 24:00 -> Mon 00:00.
    L0("sev3-used-up-at-closing", ENT, 3, IR, "2026-11-19 00:00", "2026-11-23 00:00", "48h"),
    # Sat 12:00 counts from Mon 00:00: 24 h Mon, 24 h Tue -> Wed 00:00 (open again at once).
    L0("sev3-saturday", ENT, 3, IR, "2026-06-13 12:00", "2026-06-17 00:00", "48h"),
    # Tue 22 Dec 12:00: 12 h Tue, 24 h Wed (36); Thu 24, Fri 25 holidays; weekend; 12 h Mon
    # -> Mon 28 Dec 12:00.
    L0("sev3-christmas", ENT, 3, IR, "2026-12-22 12:00", "2026-12-28 12:00", "48h"),
    # Tue 29 Dec 18:00: 6 h Tue, 24 h Wed (30); Thu 31 Dec, Fri 1 Jan holidays; weekend;
    # 18 h Mon -> Mon 4 Jan 2027 18:00.
    L0("sev3-new-year", ENT, 3, IR, "2026-12-29 18:00", "2027-01-04 18:00", "48h"),
    # Fri 4 Sep 00:00: 24 h Fri; weekend; Mon 7 Sep Labor Day; 24 h Tue -> Wed 9 Sep 00:00.
    L0("sev3-labor-day", ENT, 3, IR, "2026-09-04 00:00", "2026-09-09 00:00", "48h"),
    # Thu 2 Jul 12:00: 12 h Thu; Fri 3 Jul observed holiday; weekend; 24 h Mon (36); 12 h Tue
    # -> Tue 7 Jul 12:00.
    L0("sev3-july-4-observed", ENT, 3, IR, "2026-07-02 12:00", "2026-07-07 12:00", "48h"),
    # Fri 6 Mar 12:00 PST: 12 h Fri; weekend (DST starts Sun); 24 h Mon (36); 12 h Tue
    # -> Tue 10 Mar 12:00 PDT.
    L0("sev3-dst-weekend", ENT, 3, IR, "2026-03-06 12:00", "2026-03-10 12:00", "48h"),
    # --- §6 Developer: "Forums and Twitter | Forums and Twitter | Forums and Twitter" -> no
    # timed target for any severity (whether that is "best effort" is not settled by the seed).
    L0("developer-sev1", DEV, 1, IR, "2026-06-16 10:00", None, None, best_effort=None),
    L0("developer-sev2", DEV, 2, IR, "2026-06-16 10:00", None, None, best_effort=None),
    L0("developer-sev3", DEV, 3, IR, "2026-06-16 10:00", None, None, best_effort=None),
]


# ------------------------------------------------------------------------------------ Laioutr
# Seed 001 (Laioutr), Europe/Berlin, German national public holidays (2026: 1 Jan, Good Friday
# 3 Apr, Easter Monday 6 Apr, 1 May, Ascension 14 May, Whit Monday 25 May, Sat 3 Oct, 25/26 Dec;
# 24 Dec is not a public holiday). Glossary: "The initial response time target is counted during
# Support hours of the respective Severity Level and paused outside them." "Regional holiday
# periods: Work-free public holidays at a given Laioutr presence and regional Laioutr company
# holiday periods as announced on the Support website ahead of time." EU DST: starts Sun
# 29 Mar 2026 (02:00 CET -> 03:00 CEST), ends Sun 25 Oct 2026 (03:00 CEST -> 02:00 CET).

LAIOUTR: list[Example] = [
    # --- "S1: Critical Incident | 24 / 7 via Support website, status page | 60 minutes".
    # Tue 10:20 + 60 min -> 11:20.
    LT("s1-weekday", STD, 1, IR, "2026-06-16 10:20", "2026-06-16 11:20", "60m"),
    # 24/7 ignores holidays: Ascension Thu 23:30 + 60 min -> Fri 00:30.
    LT("s1-ascension-night", STD, 1, IR, "2026-05-14 23:30", "2026-05-15 00:30", "60m"),
    # DST starts: 01:30 CET (00:30Z) + 60 min = 01:30Z = 03:30 CEST.
    LT("s1-dst-spring", STD, 1, IR, "2026-03-29T01:30+01:00", "2026-03-29T03:30+02:00", "60m"),
    # DST ends: 02:30 CEST (00:30Z) + 60 min = 01:30Z = 02:30 CET, the same wall time again.
    LT("s1-dst-fall", STD, 1, IR, "2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00", "60m"),
    # --- "S2: Incident | 24 / 7 via Support website, status page | 180 minutes".
    # Christmas Day Fri 22:00 + 180 min -> Sat 26 Dec 01:00 (holidays do not stop 24/7).
    LT("s2-christmas", STD, 2, IR, "2026-12-25 22:00", "2026-12-26 01:00", "180m"),
    # Sat 23:00 + 180 min -> Sun 02:00.
    LT("s2-saturday", STD, 2, IR, "2026-06-13 23:00", "2026-06-14 02:00", "180m"),
    # DST ends: Sun 01:00 CEST (23:00Z Sat) + 3 h = 02:00Z = 03:00 CET (wall clock shows 2 h).
    LT("s2-dst-fall", STD, 2, IR, "2026-10-25T01:00+02:00", "2026-10-25T03:00+01:00", "180m"),
    # --- "S3: Problem | 24 / 5 - Monday-Friday except regional holiday periods via Support
    # website | 12 hours during Support hours".
    # Tue 09:00 + 12 h -> Tue 21:00.
    LT("s3-weekday", STD, 3, IR, "2026-06-16 09:00", "2026-06-16 21:00", "12h"),
    # Wed 13 May 20:00: 4 h Wed; Thu 14 May Ascension; 8 h Fri -> Fri 15 May 08:00.
    LT("s3-ascension", STD, 3, IR, "2026-05-13 20:00", "2026-05-15 08:00", "12h"),
    # Start on the holiday: Ascension Thu 10:00 counts from Fri 00:00 -> Fri 12:00.
    LT("s3-on-ascension", STD, 3, IR, "2026-05-14 10:00", "2026-05-15 12:00", "12h"),
    # Used up exactly at closing: Fri 12:00 + 12 h = Fri 24:00 -> next opening Mon 00:00.
    LT("s3-used-up-at-closing", STD, 3, IR, "2026-06-12 12:00", "2026-06-15 00:00", "12h"),
    # Sat 09:00 counts from Mon 00:00 -> Mon 12:00.
    LT("s3-saturday", STD, 3, IR, "2026-06-13 09:00", "2026-06-15 12:00", "12h"),
    # Thu 2 Apr 18:00: 6 h Thu; Good Friday; weekend; Easter Monday; 6 h Tue -> Tue 7 Apr 06:00.
    LT("s3-easter", STD, 3, IR, "2026-04-02 18:00", "2026-04-07 06:00", "12h"),
    # German Unity Day on a weekday (Fri 3 Oct 2025): Thu 20:00: 4 h Thu; Fri holiday; weekend;
    # 8 h Mon -> Mon 6 Oct 2025 08:00.
    LT("s3-unity-day-2025", STD, 3, IR, "2025-10-02 20:00", "2025-10-06 08:00", "12h"),
    # German Unity Day 2026 is a Saturday: Fri 18:00: 6 h Fri; weekend; 6 h Mon -> Mon 06:00.
    LT("s3-unity-day-2026", STD, 3, IR, "2026-10-02 18:00", "2026-10-05 06:00", "12h"),
    # Thu 30 Apr 20:00: 4 h Thu; Fri 1 May Labour Day; weekend; 8 h Mon -> Mon 4 May 08:00.
    LT("s3-may-day", STD, 3, IR, "2026-04-30 20:00", "2026-05-04 08:00", "12h"),
    # Fri 27 Mar 18:00 CET: 6 h Fri; weekend (DST starts Sun); 6 h Mon -> Mon 30 Mar 06:00 CEST.
    LT("s3-dst-weekend", STD, 3, IR, "2026-03-27 18:00", "2026-03-30 06:00", "12h"),
    # --- "S4: Question, suggestion, or other Support request | 24 / 5 - Monday-Friday except
    # regional holiday periods via Support website | 48 hours during Support hours".
    # Mon 12:00: 12 h Mon, 24 h Tue (36), 12 h Wed -> Wed 12:00.
    LT("s4-weekdays", STD, 4, IR, "2026-06-15 12:00", "2026-06-17 12:00", "48h"),
    # Tue 12 May 12:00: 12 h Tue, 24 h Wed (36); Thu Ascension; 12 h Fri -> Fri 15 May 12:00.
    LT("s4-ascension", STD, 4, IR, "2026-05-12 12:00", "2026-05-15 12:00", "48h"),
    # Fri 22 May 06:00: 18 h Fri; weekend; Mon 25 May Whit Monday; 24 h Tue (42); 6 h Wed
    # -> Wed 27 May 06:00.
    LT("s4-whit-monday", STD, 4, IR, "2026-05-22 06:00", "2026-05-27 06:00", "48h"),
    # Wed 23 Dec 00:00: 24 h Wed, 24 h Thu 24 Dec (a working day) -> used up at Thu 24:00, a
    # closing (25/26 Dec holidays, Sunday) -> next opening Mon 28 Dec 00:00.
    LT("s4-christmas", STD, 4, IR, "2026-12-23 00:00", "2026-12-28 00:00", "48h"),
    # Sat 24 Oct 10:00 CEST counts from Mon 26 Oct 00:00 CET (DST ended Sun): 24 h Mon, 24 h Tue
    # -> Wed 28 Oct 00:00 CET.
    LT("s4-dst-weekend", STD, 4, IR, "2026-10-24 10:00", "2026-10-28 00:00", "48h"),
]


# ------------------------------------------------------------------------------------- Moboom
# Seed 002 (Moboom), Premium Partner: "Business Hours* 24 x 7*"; "* Business hours are based on
# Pacific Standard Time (San Francisco, CA)"; "** Weekend coverage is limited to only L1 issues."
# Reading: America/Los_Angeles with DST; L1 on 24x7; L2-L4 on Mon-Fri all day; no holidays.

MOBOOM: list[Example] = [
    # --- "Initial Response Times Level 1 - .5 hour" on 24x7 (weekend coverage for L1).
    # Sat 23:50 + 30 min -> Sun 00:20.
    MB("l1-saturday-night", PP, 1, IR, "2026-06-13 23:50", "2026-06-14 00:20", "30m"),
    # Thanksgiving is not a holiday here: Thu 08:00 + 30 min -> 08:30.
    MB("l1-thanksgiving", PP, 1, IR, "2026-11-26 08:00", "2026-11-26 08:30", "30m"),
    # DST ends: 01:45 PDT (08:45Z) + 30 min = 09:15Z = 01:15 PST.
    MB("l1-dst-fall", PP, 1, IR, "2026-11-01T01:45-07:00", "2026-11-01T01:15-08:00", "30m"),
    # --- "Level 2 - 4 hours", Mon-Fri all day (no weekend coverage).
    # Friday evening: Fri 22:00: 2 h Fri; weekend; 2 h Mon -> Mon 02:00.
    MB("l2-friday-evening", PP, 2, IR, "2026-06-12 22:00", "2026-06-15 02:00", "4h"),
    # Used up exactly at closing: Fri 20:00 + 4 h = Fri 24:00 -> next opening Mon 00:00.
    MB("l2-used-up-at-closing", PP, 2, IR, "2026-06-12 20:00", "2026-06-15 00:00", "4h"),
    # Sunday start counts from Mon 00:00 -> Mon 04:00.
    MB("l2-sunday", PP, 2, IR, "2026-06-14 15:00", "2026-06-15 04:00", "4h"),
    # No holidays: Thanksgiving Thu 10:00 + 4 h -> 14:00.
    MB("l2-thanksgiving", PP, 2, IR, "2026-11-26 10:00", "2026-11-26 14:00", "4h"),
    # --- "Level 3 - 12 hours" (en dash in the seed), Mon-Fri all day.
    # Tue 09:00 + 12 h -> Tue 21:00.
    MB("l3-weekday", PP, 3, IR, "2026-06-16 09:00", "2026-06-16 21:00", "12h"),
    # Sat 10:00 counts from Mon 00:00 -> Mon 12:00.
    MB("l3-saturday", PP, 3, IR, "2026-06-13 10:00", "2026-06-15 12:00", "12h"),
    # Fri 6 Mar 18:00 PST: 6 h Fri; weekend (DST starts Sun); 6 h Mon -> Mon 9 Mar 06:00 PDT.
    MB("l3-dst-weekend", PP, 3, IR, "2026-03-06 18:00", "2026-03-09 06:00", "12h"),
    # --- "Level 4 - 1 day" = 24 h of open time on Mon-Fri all day.
    # Wed 09:00 + 24 h -> Thu 09:00.
    MB("l4-wednesday", PP, 4, IR, "2026-06-10 09:00", "2026-06-11 09:00", "1d"),
    # Fri 09:00: 15 h Fri; weekend; 9 h Mon -> Mon 09:00.
    MB("l4-friday", PP, 4, IR, "2026-06-12 09:00", "2026-06-15 09:00", "1d"),
    # No holidays: Christmas Eve Thu 12:00 + 24 h -> Christmas Day Fri 12:00.
    MB("l4-christmas", PP, 4, IR, "2026-12-24 12:00", "2026-12-25 12:00", "1d"),
    # Fri 30 Oct 12:00 PDT: 12 h Fri; weekend (DST ends Sun); 12 h Mon -> Mon 2 Nov 12:00 PST.
    MB("l4-dst-weekend", PP, 4, IR, "2026-10-30 12:00", "2026-11-02 12:00", "1d"),
]


# ------------------------------------------------------------------------------------ ZITADEL
# Seed 003 (ZITADEL), Europe/Zurich: "Business hours means 08:00-17:00 Monday - Friday
# Switzerland time (or as per agreement with the customer). All times exclude public holidays in
# Switzerland / Canton St. Gallen." Holidays used here: Good Friday 3 Apr, Easter Monday 6 Apr,
# Ascension 14 May, Whit Monday 25 May 2026 (Sat 1 Aug National Day is closed anyway).
# EU DST: starts Sun 29 Mar 2026, ends Sun 25 Oct 2026.
# SLO table: "Severity 1| Best effort | 1 business hour | up to 30min"; "Severity 2| Best effort
# | 2 business hour | 2 business hours"; "Severity 3| Best effort | 12 business hour | 12 business
# hours"; "Severity 4| Best effort | 24 business hour | 24 business hours". Cloud table:
# "Support hours | Business hours | Business hours | up to 24x7".

ZITADEL: list[Example] = [
    # --- Default plan: "Best effort" for every severity -> no due instant, best_effort true.
    ZI("default-s1", DEF, 1, IR, "2026-06-16 10:00", None, None, best_effort=True),
    ZI("default-s2", DEF, 2, IR, "2026-06-16 10:00", None, None, best_effort=True),
    ZI("default-s3", DEF, 3, IR, "2026-06-16 10:00", None, None, best_effort=True),
    ZI("default-s4", DEF, 4, IR, "2026-06-16 10:00", None, None, best_effort=True),
    # --- Extended SLA, Severity 1: "1 business hour" on 08:00-17:00 Mon-Fri minus holidays.
    # Tue 09:15 + 1 h -> 10:15.
    ZI("extended-s1-weekday", EXT, 1, IR, "2026-06-16 09:15", "2026-06-16 10:15", "1h"),
    # Swiss holiday: Wed 13 May 16:30: 30 min Wed; Thu 14 May Ascension; 30 min Fri
    # -> Fri 15 May 08:30.
    ZI("extended-s1-ascension", EXT, 1, IR, "2026-05-13 16:30", "2026-05-15 08:30", "1h"),
    # Used up exactly at closing: Fri 16:00 + 1 h = Fri 17:00 -> next opening Mon 08:00.
    ZI("extended-s1-at-closing", EXT, 1, IR, "2026-06-12 16:00", "2026-06-15 08:00", "1h"),
    # Evening start: Tue 19:00 counts from Wed 08:00 -> Wed 09:00.
    ZI("extended-s1-evening", EXT, 1, IR, "2026-06-16 19:00", "2026-06-17 09:00", "1h"),
    # --- Extended SLA, Severity 2: "2 business hour".
    # Thu 2 Apr 16:00: 1 h Thu; Good Friday; weekend; Easter Monday; 1 h Tue -> Tue 7 Apr 09:00.
    ZI("extended-s2-easter", EXT, 2, IR, "2026-04-02 16:00", "2026-04-07 09:00", "2h"),
    # Before opening: Mon 06:00 counts from 08:00 -> 10:00.
    ZI("extended-s2-early", EXT, 2, IR, "2026-06-15 06:00", "2026-06-15 10:00", "2h"),
    # Sat 1 Aug (National Day, a Saturday) 10:00 counts from Mon 08:00 -> Mon 3 Aug 10:00.
    ZI("extended-s2-national-day", EXT, 2, IR, "2026-08-01 10:00", "2026-08-03 10:00", "2h"),
    # --- Extended SLA, Severity 3: "12 business hour" (9 h a day).
    # Mon 10:00: 7 h Mon; 5 h Tue -> Tue 13:00.
    ZI("extended-s3-weekdays", EXT, 3, IR, "2026-06-15 10:00", "2026-06-16 13:00", "12h"),
    # Fri 27 Mar 14:00 CET: 3 h Fri; weekend (DST starts Sun); 9 h Mon -> used up exactly at
    # Mon 17:00 CEST, a closing -> next opening Tue 31 Mar 08:00 CEST.
    ZI("extended-s3-dst-closing", EXT, 3, IR, "2026-03-27 14:00", "2026-03-31 08:00", "12h"),
    # Fri 22 May 12:00: 5 h Fri; weekend; Mon 25 May Whit Monday; 7 h Tue -> Tue 26 May 15:00.
    ZI("extended-s3-whit-monday", EXT, 3, IR, "2026-05-22 12:00", "2026-05-26 15:00", "12h"),
    # --- Extended SLA, Severity 4: "24 business hour".
    # Mon 08:00: 9 h Mon, 9 h Tue (18), 6 h Wed -> Wed 14:00.
    ZI("extended-s4-weekdays", EXT, 4, IR, "2026-06-15 08:00", "2026-06-17 14:00", "24h"),
    # Thu 21 May 12:00: 5 h Thu, 9 h Fri (14); weekend; Whit Monday; 9 h Tue (23); 1 h Wed
    # -> Wed 27 May 09:00.
    ZI("extended-s4-whit-monday", EXT, 4, IR, "2026-05-21 12:00", "2026-05-27 09:00", "24h"),
    # --- Custom, Severity 1: "up to 30min" with "Support hours ... up to 24x7" -> the strictest
    # reading: 30 min on 24x7.
    # Sat 1 Aug (National Day) 10:00 + 30 min -> 10:30.
    ZI("custom-s1-national-day", CUS, 1, IR, "2026-08-01 10:00", "2026-08-01 10:30", "30m"),
    # Tue 23:45 + 30 min -> Wed 00:15.
    ZI("custom-s1-midnight", CUS, 1, IR, "2026-06-16 23:45", "2026-06-17 00:15", "30m"),
    # DST ends: 02:45 CEST (00:45Z) + 30 min = 01:15Z = 02:15 CET.
    ZI("custom-s1-dst-fall", CUS, 1, IR, "2026-10-25T02:45+02:00", "2026-10-25T02:15+01:00", "30m"),
    # --- Custom, Severity 2: "2 business hours" (as Extended).
    # Fri 16:00: 1 h Fri; weekend; 1 h Mon -> Mon 09:00.
    ZI("custom-s2-friday", CUS, 2, IR, "2026-06-12 16:00", "2026-06-15 09:00", "2h"),
    # --- Custom, Severity 3: "12 business hours".
    # Mon 08:00: 9 h Mon; 3 h Tue -> Tue 11:00.
    ZI("custom-s3-weekdays", CUS, 3, IR, "2026-06-15 08:00", "2026-06-16 11:00", "12h"),
    # --- Custom, Severity 4: "24 business hours".
    # Wed 13 May 08:00: 9 h Wed; Ascension Thu; 9 h Fri (18); weekend; 6 h Mon -> Mon 18 May 14:00.
    ZI("custom-s4-ascension", CUS, 4, IR, "2026-05-13 08:00", "2026-05-18 14:00", "24h"),
    # --- Escalation 1: "For non-urgent needs, the client may request management escalation
    # within the ticket. A manager will review the request and provide a response within one
    # business day." -> 24 h on Mon-Fri all day minus holidays (severity does not matter).
    # Wed 13 May 18:00: 6 h Wed; Ascension Thu; 18 h Fri -> Fri 15 May 18:00.
    ZI("escalation-ascension", EXT, 3, ESC, "2026-05-13 18:00", "2026-05-15 18:00", "24h"),
    # Used up exactly at closing: Fri 00:00 + 24 h = Fri 24:00 -> next opening Mon 00:00.
    ZI("escalation-at-closing", EXT, 4, ESC, "2026-06-12 00:00", "2026-06-15 00:00", "24h"),
    # Thu 2 Apr 12:00: 12 h Thu; Good Friday; weekend; Easter Monday; 12 h Tue -> Tue 7 Apr 12:00.
    ZI("escalation-easter", CUS, 2, ESC, "2026-04-02 12:00", "2026-04-07 12:00", "24h"),
    # Sat 15:00 counts from Mon 00:00: 24 h Mon -> Tue 00:00.
    ZI("escalation-saturday", CUS, 1, ESC, "2026-06-13 15:00", "2026-06-16 00:00", "24h"),
    # --- Escalation 2: "For urgent needs, the client may escalate directly by calling ... A
    # manager will review the request and provide response within two business hours."
    # -> 2 h on 08:00-17:00 Mon-Fri minus holidays.
    # Wed 13 May 16:00: 1 h Wed; Ascension Thu; 1 h Fri -> Fri 15 May 09:00.
    ZI("urgent-ascension", EXT, 1, ESC, "2026-05-13 16:00", "2026-05-15 09:00", "2h", urgent=True),
    # Sat 11:00 counts from Mon 08:00 -> Mon 10:00.
    ZI("urgent-saturday", CUS, 1, ESC, "2026-06-13 11:00", "2026-06-15 10:00", "2h", urgent=True),
    # Used up exactly at closing: Mon 15:00 + 2 h = 17:00 -> next opening Tue 08:00.
    ZI("urgent-at-closing", EXT, 2, ESC, "2026-06-15 15:00", "2026-06-16 08:00", "2h", urgent=True),
    # Fri 27 Mar 16:30 CET: 30 min Fri; weekend (DST starts Sun); 90 min Mon -> Mon 09:30 CEST.
    ZI(
        "urgent-dst-weekend", CUS, 4, ESC, "2026-03-27 16:30", "2026-03-30 09:30", "2h", urgent=True
    ),
]


# --------------------------------------------------------------------------------- LivePerson
# Seed 004 (LivePerson), America/New_York, business days Mon-Fri without holidays.
# "LivePerson Customer Support provides 24x7 coverage via chat and e-mail". Table:
# "Severity level | ... | Response time | Periodic updates | Preliminary root cause analysis"
# "1 | ... | 1 hour | 2 hours | 3 business days"
# "2 | ... | 3 hours | 1 business day | Not applicable"
# "3 | ... | 3 business days | 3 business days | Not applicable"
# US DST: starts Sun 8 Mar 2026, ends Sun 1 Nov 2026.

LIVEPERSON: list[Example] = [
    # --- S1 response time "1 hour" on 24x7.
    # DST ends: Sun 01:30 EDT (05:30Z) + 1 h = 06:30Z = 01:30 EST: one real hour, same wall time.
    LP(
        "s1-response-dst-fall", STD, 1, IR, "2026-11-01T01:30-04:00", "2026-11-01T01:30-05:00", "1h"
    ),
    # No holidays on 24x7: Thanksgiving Thu 10:00 + 1 h -> 11:00.
    LP("s1-response-thanksgiving", STD, 1, IR, "2026-11-26 10:00", "2026-11-26 11:00", "1h"),
    # Sat 23:30 + 1 h -> Sun 00:30.
    LP("s1-response-saturday", STD, 1, IR, "2026-06-13 23:30", "2026-06-14 00:30", "1h"),
    # --- S1 periodic updates "2 hours" on 24x7.
    # DST starts: Sun 01:30 EST (06:30Z) + 2 h = 08:30Z = 04:30 EDT.
    LP(
        "s1-update-dst-spring", STD, 1, PU, "2026-03-08T01:30-05:00", "2026-03-08T04:30-04:00", "2h"
    ),
    # Wed 23:00 + 2 h -> Thu 01:00.
    LP("s1-update-midnight", STD, 1, PU, "2026-06-10 23:00", "2026-06-11 01:00", "2h"),
    # --- S1 preliminary root cause analysis "3 business days" = 72 h on Mon-Fri all day.
    # Wed 12:00: 12 h Wed, 24 h Thu (36), 24 h Fri (60); weekend; 12 h Mon -> Mon 12:00.
    LP("s1-rca-wednesday", STD, 1, RCA, "2026-06-10 12:00", "2026-06-15 12:00", "72h"),
    # Sat 12:00 counts from Mon 00:00: Mon, Tue, Wed -> Thu 00:00.
    LP("s1-rca-saturday", STD, 1, RCA, "2026-06-13 12:00", "2026-06-18 00:00", "72h"),
    # Thanksgiving counts (no holidays): Wed 25 Nov 00:00: Wed, Thu, Fri -> used up at Fri 24:00,
    # a closing -> next opening Mon 30 Nov 00:00.
    LP("s1-rca-thanksgiving", STD, 1, RCA, "2026-11-25 00:00", "2026-11-30 00:00", "72h"),
    # --- S2 response time "3 hours" on 24x7.
    # Sat 22:00 + 3 h -> Sun 01:00.
    LP("s2-response-saturday", STD, 2, IR, "2026-06-13 22:00", "2026-06-14 01:00", "3h"),
    # DST ends: Sun 00:30 EDT (04:30Z) + 3 h = 07:30Z = 02:30 EST (wall clock shows 2 h).
    LP(
        "s2-response-dst-fall", STD, 2, IR, "2026-11-01T00:30-04:00", "2026-11-01T02:30-05:00", "3h"
    ),
    # --- S2 periodic updates "1 business day" = 24 h on Mon-Fri all day.
    # Fri 12:00: 12 h Fri; weekend; 12 h Mon -> Mon 12:00.
    LP("s2-update-friday", STD, 2, PU, "2026-06-12 12:00", "2026-06-15 12:00", "24h"),
    # Used up exactly at closing: Fri 00:00 + 24 h = Fri 24:00 -> next opening Mon 00:00.
    LP("s2-update-at-closing", STD, 2, PU, "2026-06-12 00:00", "2026-06-15 00:00", "24h"),
    # No holidays: Wed 25 Nov 12:00 + 24 h -> Thanksgiving Thu 12:00.
    LP("s2-update-thanksgiving", STD, 2, PU, "2026-11-25 12:00", "2026-11-26 12:00", "24h"),
    # --- S2 preliminary root cause analysis "Not applicable": no due, no target, not best effort.
    LP("s2-rca-not-applicable", STD, 2, RCA, "2026-06-16 10:00", None, None),
    # --- S3 response time "3 business days" = 72 h on Mon-Fri all day.
    # Wed 09:00: 15 h Wed, 24 h Thu (39), 24 h Fri (63); weekend; 9 h Mon -> Mon 09:00.
    LP("s3-response-wednesday", STD, 3, IR, "2026-06-10 09:00", "2026-06-15 09:00", "72h"),
    # Fri 30 Oct 12:00 EDT: 12 h Fri; weekend (DST ends Sun); 24 h Mon (36), 24 h Tue (60);
    # 12 h Wed -> Wed 4 Nov 12:00 EST.
    LP("s3-response-dst-weekend", STD, 3, IR, "2026-10-30 12:00", "2026-11-04 12:00", "72h"),
    # --- S3 periodic updates "3 business days" = 72 h on Mon-Fri all day.
    # Used up exactly at closing: Wed 00:00: Wed, Thu, Fri -> Fri 24:00 -> Mon 00:00.
    LP("s3-update-at-closing", STD, 3, PU, "2026-06-10 00:00", "2026-06-15 00:00", "72h"),
    # Sun 18:00 counts from Mon 00:00: Mon, Tue, Wed -> Thu 00:00.
    LP("s3-update-sunday", STD, 3, PU, "2026-06-14 18:00", "2026-06-18 00:00", "72h"),
    # --- S3 preliminary root cause analysis "Not applicable".
    LP("s3-rca-not-applicable", STD, 3, RCA, "2026-06-16 10:00", None, None),
]

ALL_EXAMPLES: list[Example] = [*LAYER0, *LAIOUTR, *MOBOOM, *ZITADEL, *LIVEPERSON]


def example_id(example: Example) -> str:
    return example.name


# ------------------------------------------------------------------------------- the examples


@pytest.mark.parametrize("example", LAYER0, ids=example_id)
def test_layer0(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a Layer0 ticket of the plan and severity, started at ``example.start`` Pacific,
    when `due` is asked, then it gives the hand-computed due instant and target."""
    check(example, capsys)


@pytest.mark.parametrize("example", LAIOUTR, ids=example_id)
def test_laioutr(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a Laioutr request of the severity, submitted at ``example.start`` Berlin time,
    when `due` is asked, then it gives the hand-computed due instant and target."""
    check(example, capsys)


@pytest.mark.parametrize("example", MOBOOM, ids=example_id)
def test_moboom(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a Moboom Premium Partner issue of the level, opened at ``example.start`` Pacific,
    when `due` is asked, then it gives the hand-computed due instant and target."""
    check(example, capsys)


@pytest.mark.parametrize("example", ZITADEL, ids=example_id)
def test_zitadel(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a ZITADEL ticket (or escalation) of the plan and severity, started at
    ``example.start`` Swiss time, when `due` is asked, then it gives the hand-computed due
    instant, target and best-effort flag."""
    check(example, capsys)


@pytest.mark.parametrize("example", LIVEPERSON, ids=example_id)
def test_liveperson(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a LivePerson issue of the severity and clock (response, update, RCA), started at
    ``example.start`` New York time, when `due` is asked, then it gives the hand-computed due
    instant and target, or none where the seed says "Not applicable"."""
    check(example, capsys)


# ------------------------------------------------------------------------ calendars per target

Query = tuple[str, int, str, bool]  # plan, severity, metric, urgent

# Targets that the seed puts on the same support hours share one calendar; different support
# hours mean different calendars.
CALENDAR_GROUPS: dict[str, list[list[Query]]] = {
    "layer0": [
        [(ENT, 1, IR, False)],  # 24x7x365
        [(ENT, 2, IR, False)],  # Business Hours 09:00-18:00 on Business Days
        [(ENT, 3, IR, False)],  # Business Days, all day
    ],
    "laioutr": [
        [(STD, 1, IR, False), (STD, 2, IR, False)],  # "24 / 7"
        [(STD, 3, IR, False), (STD, 4, IR, False)],  # "24 / 5 - Monday-Friday except ..."
    ],
    "moboom": [
        [(PP, 1, IR, False)],  # 24x7 (weekend coverage for L1)
        [(PP, 2, IR, False), (PP, 3, IR, False), (PP, 4, IR, False)],  # no weekend coverage
    ],
    "zitadel": [
        [  # "Business hours" 08:00-17:00, holidays excluded
            (EXT, 1, IR, False),
            (EXT, 2, IR, False),
            (EXT, 3, IR, False),
            (EXT, 4, IR, False),
            (CUS, 2, IR, False),
            (CUS, 3, IR, False),
            (CUS, 4, IR, False),
            (EXT, 1, ESC, True),
        ],
        [(CUS, 1, IR, False)],  # "up to 24x7"
        [(EXT, 1, ESC, False)],  # "one business day": business days, all day
    ],
    "liveperson": [
        [(STD, 1, IR, False), (STD, 1, PU, False), (STD, 2, IR, False)],  # 24x7 hours
        [  # business days
            (STD, 1, RCA, False),
            (STD, 2, PU, False),
            (STD, 3, IR, False),
            (STD, 3, PU, False),
        ],
    ],
}


@pytest.mark.parametrize("policy", sorted(CALENDAR_GROUPS))
def test_targets_on_the_same_support_hours_share_a_calendar(
    policy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given the targets of a policy grouped by the support hours the seed gives them,
    when `due` is asked for each (Tue 16 Jun 2026 10:00 local, open everywhere),
    then each group reports one calendar id and different groups report different ids."""
    start = at("2026-06-16 10:00", ZONES[policy])
    group_calendars: list[str] = []
    for group in CALENDAR_GROUPS[policy]:
        calendars = {
            run_due(
                capsys,
                policy=policy,
                plan=plan,
                severity=severity,
                metric=metric,
                start=start,
                urgent=urgent,
            )["calendar"]
            for plan, severity, metric, urgent in group
        }
        assert len(calendars) == 1, f"{policy} {group}: calendars {calendars}"
        (calendar,) = calendars
        assert isinstance(calendar, str), f"{policy} {group}: calendar {calendar!r}"
        assert calendar
        group_calendars.append(calendar)
    assert len(set(group_calendars)) == len(group_calendars), group_calendars


# ------------------------------------------------------------- the examples themselves are sound

Coverage = tuple[str, str, int, str, bool]  # policy, plan, severity (0: any), metric, urgent


def _targets() -> set[Coverage]:
    """Every target of every policy (DESIGN.md section 1 and the readings), escalations once per
    plan and urgency since they do not depend on severity."""
    wanted: set[Coverage] = set()
    for plan in (ENT, DEV):
        wanted |= {("layer0", plan, severity, IR, False) for severity in (1, 2, 3)}
    wanted |= {("laioutr", STD, severity, IR, False) for severity in (1, 2, 3, 4)}
    wanted |= {("moboom", PP, severity, IR, False) for severity in (1, 2, 3, 4)}
    for plan in (DEF, EXT, CUS):
        wanted |= {("zitadel", plan, severity, IR, False) for severity in (1, 2, 3, 4)}
    for plan in (EXT, CUS):
        wanted |= {("zitadel", plan, 0, ESC, urgent) for urgent in (False, True)}
    wanted |= {
        ("liveperson", STD, severity, metric, False)
        for severity in (1, 2, 3)
        for metric in (IR, PU, RCA)
    }
    return wanted


def test_every_target_has_a_worked_example() -> None:
    """Given the list of targets of the five seeds, then each has at least one example above,
    and no example names a target outside that list."""
    covered = {
        (e.policy, e.plan, 0 if e.metric == ESC else e.severity, e.metric, e.urgent)
        for e in ALL_EXAMPLES
    }
    assert _targets() - covered == set(), "targets without an example"
    assert covered - _targets() == set(), "examples of targets that do not exist"


def test_example_names_are_unique_per_policy() -> None:
    counts = Counter((e.policy, e.name) for e in ALL_EXAMPLES)
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda e: f"{e.policy}-{e.name}")
def test_example_times_are_real_unambiguous_local_times(example: Example) -> None:
    """Given a hand-written time, then it names one instant in the policy's zone: a wall time
    without an offset exists and is not repeated by a DST change, and a written offset is the
    zone's offset at that wall time. The due instant never precedes the start."""
    zone = example.zone
    for text in filter(None, (example.start, example.due)):
        written = datetime.fromisoformat(text)
        moment = at(text, zone)
        local = moment.astimezone(zone)
        assert local.replace(tzinfo=None) == written.replace(tzinfo=None), (
            f"{text} is not a wall time in {zone.key}"
        )
        if written.tzinfo is None:
            other_fold = written.replace(tzinfo=zone, fold=1)
            assert other_fold.utcoffset() == moment.utcoffset(), f"{text} is ambiguous: add offset"
    due = example.due_at
    if due is not None:
        assert due.astimezone(UTC) >= example.start_at.astimezone(UTC)
        assert example.target is not None
        assert due.astimezone(UTC) - example.start_at.astimezone(UTC) >= parse_duration(
            example.target
        )
