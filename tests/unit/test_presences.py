"""Laioutr's presences: the public holidays of the places a lead names close the 24 / 5
calendar instead of Germany's national ones, which stay the default when none are named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.calendar_spec import (
    check_presence,
    presence_countries,
    presence_named,
    presence_subdivisions,
)
from console.domain.errors import ConcurrentEditError, PermissionDeniedError, PresenceError
from console.domain.model import Customer, EventKind, Presence, Role, TicketEvent
from console.domain.policy import Policy, load_policies
from console.services.commands import SetPresences
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook

BERLIN = ZoneInfo("Europe/Berlin")
BAVARIA = Presence("DE", "BY")
VIENNA = Presence("AT", "9")
CUSTOMER = Customer("Bluefin GmbH", "laioutr", "standard", "EMEA")
JUNE = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)  # Wed; Thu 4 Jun is Corpus Christi in Bavaria
LEAD = "claire.dubois"


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    return load_policies()


@pytest.fixture(scope="module")
def laioutr(policies: dict[str, Policy]) -> Policy:
    return policies["laioutr"]


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def s3_due(book: PolicyBook, submitted: datetime) -> datetime | None:
    """The due instant of an S3 Laioutr ticket (12 h on 24 / 5) submitted at ``submitted``."""
    created = TicketEvent(EventKind.CREATED, submitted, {"severity": 3, "status": "open"})
    due, _ = book.queue_state(CUSTOMER, [created], submitted)
    return due


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


# --------------------------------------------------------------------------- the book


def test_the_book_without_presences_computes_what_it_always_did(
    policies: dict[str, Policy],
) -> None:
    """No presences stored, or Germany's: every due instant of a year of S3 tickets is the
    one the policy file's calendar gives."""
    plain = PolicyBook(policies)
    germany = plain.with_policy_presences({"laioutr": (Presence("DE"),)})
    empty = plain.with_policy_presences({"laioutr": ()})
    assert empty.presences == {}
    calendar = policies["laioutr"].calendar("24x5")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for hours in range(0, 365 * 24, 7):
        submitted = start + timedelta(hours=hours)
        expected = calendar.add(submitted, timedelta(hours=12))
        assert s3_due(plain, submitted) == expected
        assert s3_due(germany, submitted) == expected
        assert s3_due(empty, submitted) == expected


def test_the_books_presences_reach_the_customers_policy(policies: dict[str, Policy]) -> None:
    plain = PolicyBook(policies)
    bavarian = plain.with_policy_presences({"laioutr": (BAVARIA,)})
    assert bavarian.policy_for(CUSTOMER).presences == (BAVARIA,)
    assert bavarian.policy_for(CUSTOMER) is bavarian.policy_for(CUSTOMER)
    assert plain.policy_for(CUSTOMER) is policies["laioutr"]
    # A book made from another keeps its presences with new periods.
    assert bavarian.with_policy_periods({}).presences == {"laioutr": (BAVARIA,)}
    submitted = berlin("2026-06-03 18:00")  # Wed; Thu 4 Jun is Corpus Christi in Bavaria
    assert s3_due(plain, submitted) == berlin("2026-06-04 06:00")
    assert s3_due(bavarian, submitted) == berlin("2026-06-05 06:00")
    # The clock projections rest on the same basis: a presence change is recomputed from them.
    assert bavarian.basis(CUSTOMER) == plain.basis(CUSTOMER)


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def demo(policies: dict[str, Policy]) -> FakeStore:
    """A demo queue on Wed 3 Jun 2026, the day before Corpus Christi."""
    store = FakeStore()
    load_demo(
        FakeUnitOfWork(store, now=FakeTime(JUNE)),
        PolicyBook(policies),
        tickets=400,
        seed=4,
        now=JUNE,
    )
    return store


@pytest.fixture
def store(demo: FakeStore) -> FakeStore:
    return demo.copy()


def send(
    store: FakeStore, policies: dict[str, Policy], command: SetPresences, actor: str = LEAD
) -> int:
    moved: int = handle(
        command, FakeUnitOfWork(store, now=FakeTime(JUNE)), PolicyBook(policies), actor
    )
    return moved


def stored(store: FakeStore) -> list[str]:
    return [
        p.presence.code for p in sorted(store.presences.values(), key=lambda p: p.presence.order)
    ]


def test_with_no_presences_stored_the_cache_is_todays(
    store: FakeStore, policies: dict[str, Policy]
) -> None:
    """The demo was written by a book that never read presences: the book made from the
    (empty) store computes the same due instants, and naming Germany moves none."""
    uow = FakeUnitOfWork(store, now=FakeTime(JUNE))
    with uow:
        book = PolicyBook(policies).current(uow)
        customers = {c.name: c for c in uow.customers.list()}
        for ticket in uow.tickets.list(open_only=False):
            events = uow.tickets.get(ticket.key).events
            assert book.queue_state(customers[ticket.customer], events, JUNE) == (
                ticket.next_due_at,
                ticket.summary,
            ), ticket.key
    assert book.presences == {}
    assert send(store, policies, SetPresences("laioutr", (Presence("DE"),))) == 0
    assert stored(store) == ["DE"]


def test_a_lead_replaces_the_presences_and_the_moved_due_instants_are_recomputed(
    store: FakeStore, policies: dict[str, Policy]
) -> None:
    before = {k: t.next_due_at for k, t in store.tickets.items()}
    moved = send(store, policies, SetPresences("laioutr", (BAVARIA, VIENNA), seen=()))
    assert moved > 0 and stored(store) == ["AT-9", "DE-BY"]
    changed = {k for k, t in store.tickets.items() if t.next_due_at != before[k]}
    assert len(changed) == moved and all(k.startswith("LTR-") for k in changed)
    entities = {c.entity for c in store.changes[-moved - 2 :]}
    assert entities == {"presence", "ticket"}
    # Replacing: Vienna stays (the same row), Bavaria goes, Berlin comes.
    vienna = next(p for p in store.presences.values() if p.presence == VIENNA)
    seen = (BAVARIA, VIENNA)
    send(store, policies, SetPresences("laioutr", (VIENNA, Presence("DE", "BE")), seen=seen))
    assert stored(store) == ["AT-9", "DE-BE"]
    assert vienna in store.presences.values()
    # None: the policy file's holidays again, and the due instants of before.
    send(store, policies, SetPresences("laioutr", ()))
    assert stored(store) == [] and {k: t.next_due_at for k, t in store.tickets.items()} == before


@pytest.mark.parametrize(
    ("command", "actor", "error", "message"),
    [
        (SetPresences("laioutr", (BAVARIA,)), "marcus.reed", PermissionDeniedError, "team leads"),
        (SetPresences("laioutr", (BAVARIA,)), None, PermissionDeniedError, "choose who you are"),
        (
            SetPresences("laioutr", (BAVARIA, Presence("DE", "XX"))),
            LEAD,
            PresenceError,
            "unknown subdivision 'XX' of DE",
        ),
        (SetPresences("acme", (BAVARIA,)), LEAD, KeyError, "no policy 'acme'"),
        (
            SetPresences("zitadel", (BAVARIA,)),
            LEAD,
            ValueError,
            "ZITADEL's calendars take no company holidays, so no presences",
        ),
        (
            SetPresences("laioutr", (BAVARIA,), seen=(Presence("DE"),)),
            LEAD,
            ConcurrentEditError,
            "Laioutr's presences were changed by someone else \\(they are now none, the "
            "default\\); nothing was saved",
        ),
    ],
)
def test_refused_commands_change_nothing(
    store: FakeStore,
    policies: dict[str, Policy],
    command: SetPresences,
    actor: str | None,
    error: type[Exception],
    message: str,
) -> None:
    assert store.agents["marcus.reed"].role is Role.AGENT
    changes = len(store.changes)
    with pytest.raises(error, match=message):
        send(store, policies, command, actor)  # type: ignore[arg-type]
    assert stored(store) == [] and len(store.changes) == changes


def test_another_leads_change_meanwhile_is_a_conflict(
    store: FakeStore, policies: dict[str, Policy]
) -> None:
    send(store, policies, SetPresences("laioutr", (VIENNA,), seen=()))
    with pytest.raises(ConcurrentEditError, match=r"they are now AT-9\); nothing was saved"):
        send(store, policies, SetPresences("laioutr", (BAVARIA,), seen=()))
    assert stored(store) == ["AT-9"]


def test_a_failure_after_the_write_keeps_nothing(
    store: FakeStore, policies: dict[str, Policy], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The presences are replaced, then the recompute fails: neither the presences nor any
    due instant nor a change-feed entry is kept."""
    import console.services.handlers as handlers

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the recompute broke")

    send(store, policies, SetPresences("laioutr", (VIENNA,)))
    tickets, changes = dict(store.tickets), len(store.changes)
    monkeypatch.setattr(handlers, "recompute_due", broken)
    with pytest.raises(RuntimeError, match="the recompute broke"):
        send(store, policies, SetPresences("laioutr", (BAVARIA,)))
    assert stored(store) == ["AT-9"] and len(store.changes) == changes
    assert store.tickets == tickets
