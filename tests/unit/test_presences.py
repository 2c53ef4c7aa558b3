"""Laioutr's presences: the public holidays of the places a lead names close the 24 / 5
calendar instead of Germany's national ones, which stay the default when none are named."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain.calendar_spec import (
    check_presence,
    presence_countries,
    presence_named,
    presence_subdivisions,
)
from console.domain.errors import PresenceError
from console.domain.model import Presence
from console.domain.policy import Policy, load_policies

BERLIN = ZoneInfo("Europe/Berlin")
BAVARIA = Presence("DE", "BY")
VIENNA = Presence("AT", "9")


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    return load_policies()


@pytest.fixture(scope="module")
def laioutr(policies: dict[str, Policy]) -> Policy:
    return policies["laioutr"]


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


# --------------------------------------------------------------------------- naming one


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DE", Presence("DE")),
        ("DE-BY", BAVARIA),
        ("de-by", BAVARIA),
        (" AT-9 ", VIENNA),
        ("AT-Wien", VIENNA),  # a name the holidays package knows for the subdivision
        ("CH-SG", Presence("CH", "SG")),
    ],
)
def test_a_code_names_a_presence_as_the_holidays_package_spells_it(
    code: str, expected: Presence
) -> None:
    assert presence_named(code) == expected
    assert presence_named(expected.code) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "unknown country 'XX'"),
        ("DEU", "unknown country 'DEU'"),
        ("", "unknown country ''"),
        ("DE-XX", "unknown subdivision 'XX' of DE (known: BB, BE, BW, BY,"),
        ("DE-", "unknown subdivision '' of DE"),
        ("LU-1", "unknown subdivision '1' of LU (LU has none)"),
    ],
)
def test_an_unknown_country_or_subdivision_is_named(code: str, message: str) -> None:
    with pytest.raises(PresenceError) as raised:
        presence_named(code)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_the_choices_are_the_holidays_packages() -> None:
    countries = dict(presence_countries())
    assert countries["DE"] == "Germany" and countries["US"] == "United States"
    assert "DEU" not in countries  # codes only, no aliases
    assert ("BY", "Bayern") in presence_subdivisions("DE")
    assert ("9", "Wien") in presence_subdivisions("AT")
    assert presence_subdivisions("LU") == () and presence_subdivisions("XX") == ()
    assert check_presence(Presence("de", "by")) == BAVARIA


# --------------------------------------------------------------------------- the calendar


def test_a_bavarian_holiday_closes_24x5_only_when_bavaria_is_a_presence(laioutr: Policy) -> None:
    """Epiphany (Tue 6 Jan 2026) and Corpus Christi (Thu 4 Jun 2026) are public holidays in
    Bavaria, not nationwide."""
    default = laioutr.calendar("24x5")
    bavaria = laioutr.with_presences([BAVARIA]).calendar("24x5")
    for day in ("2026-01-06", "2026-06-04"):
        noon = berlin(f"{day} 12:00")
        assert default.is_open(noon), day
        assert not bavaria.is_open(noon), day
    # Both close on the national holidays, and 24 / 7 never closes.
    assert not default.is_open(berlin("2026-05-14 12:00"))  # Ascension
    assert not bavaria.is_open(berlin("2026-05-14 12:00"))
    assert laioutr.with_presences([BAVARIA]).calendar("24x7") == laioutr.calendar("24x7")
    # Mon 5 Jan 18:00 + 12 h: Tue 06:00, or Wed 06:00 when Epiphany is closed.
    start = berlin("2026-01-05 18:00")
    assert default.add(start, timedelta(hours=12)) == berlin("2026-01-06 06:00")
    assert bavaria.add(start, timedelta(hours=12)) == berlin("2026-01-07 06:00")
    reasons = {
        c.day.isoformat(): c.reason
        for c in bavaria.closed_days(start.date(), start.date() + timedelta(days=2))
    }
    assert reasons == {"2026-01-06": "Epiphany"}


def test_presences_replace_the_files_holidays_rather_than_add_to_them(laioutr: Policy) -> None:
    """With Vienna only, German Unity Day (Fri 3 Oct 2025) is open and the Immaculate
    Conception (Mon 8 Dec 2025) is closed."""
    vienna = laioutr.with_presences([VIENNA]).calendar("24x5")
    assert vienna.is_open(berlin("2025-10-03 12:00"))
    assert not vienna.is_open(berlin("2025-12-08 12:00"))
    both = laioutr.with_presences([Presence("DE"), VIENNA]).calendar("24x5")
    assert not both.is_open(berlin("2025-10-03 12:00"))
    assert not both.is_open(berlin("2025-12-08 12:00"))


def test_observed_days_close_too(laioutr: Policy) -> None:
    """Independence Day 2026 is a Saturday: the United States observe it on Fri 3 Jul."""
    us = laioutr.with_presences([Presence("US")]).calendar("24x5")
    assert not us.is_open(berlin("2026-07-03 12:00"))
    assert us.is_open(berlin("2026-07-02 12:00"))


def test_germany_named_is_the_default_calendar(laioutr: Policy) -> None:
    assert laioutr.with_presences([]) is laioutr
    germany = laioutr.with_presences([Presence("DE")])
    assert germany.presences == (Presence("DE"),)
    assert germany.calendar("24x5") == laioutr.calendar("24x5")
    assert germany.calendars["24x5"].spec["holidays"] == [{"country": "DE"}]
    assert laioutr.calendars["24x5"].spec["holidays"] == [{"country": "DE"}]
    assert laioutr.presences == ()


def test_presences_are_kept_once_per_set_and_calendars_once_per_presences(
    laioutr: Policy, policies: dict[str, Policy]
) -> None:
    bavaria = laioutr.with_presences([BAVARIA, Presence("DE"), BAVARIA])
    assert bavaria.presences == (Presence("DE"), BAVARIA)
    assert laioutr.with_presences([Presence("DE"), BAVARIA]) is bavaria
    assert bavaria.with_presences([VIENNA]) is laioutr.with_presences([VIENNA])
    assert bavaria.with_presences([]) is laioutr
    assert bavaria.calendar("24x5") is bavaria.calendar("24x5")
    assert bavaria.calendar("24x5") != laioutr.calendar("24x5")
    # A policy without company holiday calendars takes no presences.
    zitadel = policies["zitadel"]
    assert zitadel.with_presences([BAVARIA]) is zitadel


def test_an_unknown_presence_is_refused_when_its_calendar_is_made(laioutr: Policy) -> None:
    with pytest.raises(PresenceError, match="unknown subdivision 'XX' of DE"):
        laioutr.with_presences([Presence("DE", "XX")])
