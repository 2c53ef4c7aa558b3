"""The conversations of demo tickets (console.services.demo_talk): the customer's words,
the engineers' replies and notes, per vendor and by the channels its policy offers."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import fields
from datetime import UTC, datetime
from itertools import combinations, pairwise

import pytest

from console.domain.model import Channel, Customer, EventKind, Status
from console.domain.policy import load_policies
from console.domain.rules import MAX_TEXT, check_payload
from console.services.demo import DemoData, generate
from console.services.demo_talk import FRAMES, GENERIC, LAYER0, REQUEST_NOTES, TALKS, Talk
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
POLICIES = load_policies()
AGENTS_SPEAK = (EventKind.RESPONDED, EventKind.UPDATE_SENT)
# The channels each policy offers for opening a ticket (see /policies and their sources).
CHANNELS = {
    "layer0": {Channel.PHONE, Channel.WEB},  # Sev 1 Enterprise by phone, else the help center
    "laioutr": {Channel.WEB, Channel.EMAIL},  # the support website; e-mail when it is down
    "moboom": {Channel.WEB},  # online ticket creation
    "zitadel": {Channel.EMAIL, Channel.CHAT, Channel.PHONE},  # chat and phone: custom only
    "liveperson": {Channel.CHAT, Channel.EMAIL},  # 24x7 chat and e-mail
}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(PolicyBook(POLICIES), tickets=2_000, seed=7, now=NOW)


def customers_of(data: DemoData) -> dict[str, Customer]:
    return {c.name: c for c in data.customers}


def by_vendor(data: DemoData) -> Iterator[tuple[Customer, int, tuple, str]]:
    """Each ticket's customer, first severity, history and key."""
    customers = customers_of(data)
    for ticket, events in data.tickets:
        yield customers[ticket.customer], int(events[0].data["severity"]), events, ticket.key


def test_every_ticket_opens_with_the_customers_words_by_a_channel_of_the_policy(
    demo: DemoData,
) -> None:
    channels: dict[tuple[str, str, int], Counter[Channel]] = {}
    for customer, severity, events, key in by_vendor(demo):
        created, first = events[0], events[1]
        assert first.kind is EventKind.CUSTOMER_MESSAGE, key
        assert first.at == created.at, key
        assert first.data["text"].strip(), key
        channel = Channel(first.data["channel"])
        assert channel in CHANNELS[customer.policy_id], key
        if customer.policy_id == "zitadel" and customer.plan != "custom":
            assert channel is Channel.EMAIL, key
        if channel is Channel.PHONE:  # written down by whoever took the call
            assert first.actor is not None, key
        else:
            assert first.actor is None, key
        counted = channels.setdefault((customer.policy_id, customer.plan, severity), Counter())
        counted[channel] += 1
    phone = channels[("layer0", "enterprise", 1)]
    assert phone[Channel.PHONE] > phone[Channel.WEB]
    assert set(channels[("layer0", "enterprise", 2)]) == {Channel.WEB}
    assert set(channels[("layer0", "developer", 1)]) == {Channel.WEB}
    chat = sum((c for (p, _, _), c in channels.items() if p == "liveperson"), Counter())
    assert chat[Channel.CHAT] > chat[Channel.EMAIL] > 0


def test_every_human_response_and_update_says_something(demo: DemoData) -> None:
    said: Counter[EventKind] = Counter()
    for _, _, events, key in by_vendor(demo):
        for event in events:
            if event.kind in AGENTS_SPEAK and not event.data.get("automated"):
                assert event.data["text"].strip(), key
                assert event.data["channel"] in {c.value for c in Channel}, key
                said[event.kind] += 1
            elif event.kind is EventKind.RESPONDED:
                assert dict(event.data) == {"automated": True}, key
    assert said[EventKind.RESPONDED] > len(demo.tickets)  # first answers and resolutions
    assert said[EventKind.UPDATE_SENT] > 0


def test_a_wait_for_the_customer_ends_with_their_answer(demo: DemoData) -> None:
    """The customer's answer puts the ticket back to open, at its instant; a ticket resolved
    while waiting got a reply saying so first."""
    answered = silent = waited = spoken = 0
    for _, _, events, key in by_vendor(demo):
        waited += any(e.data.get("status") == "awaiting_customer" for e in events)
        spoken += any(e.kind is EventKind.RESPONDED and "text" in e.data for e in events)
        status = Status.OPEN
        for before, event in pairwise(events):
            if event.kind is not EventKind.STATUS_CHANGED:
                continue
            new = Status(event.data["status"])
            if status is Status.AWAITING_CUSTOMER and new is Status.OPEN:
                assert before.kind is EventKind.CUSTOMER_MESSAGE, key
                assert before.at == event.at and before.actor is None, key
                assert before.data["text"].strip(), key
                answered += 1
            elif status is Status.AWAITING_CUSTOMER and new is Status.RESOLVED:
                assert before.kind is EventKind.RESPONDED and before.data["text"], key
                silent += 1
            status = new
    assert answered > 100
    assert silent > 0
    assert 0.25 < waited / spoken < 0.5  # about a third of the answered tickets ask back


def test_the_last_reply_before_a_resolution_says_how_it_ended(demo: DemoData) -> None:
    for _, _, events, key in by_vendor(demo):
        for before, event in pairwise(events):
            if event.kind is EventKind.STATUS_CHANGED and event.data["status"] == "resolved":
                replies = [e for e in events if e.kind is EventKind.RESPONDED and e.at <= event.at]
                assert replies and replies[-1].data.get("text"), key
                assert before.at <= event.at


def test_notes_stay_internal_and_messages_keep_their_places(demo: DemoData) -> None:
    agents = {a.name for a in demo.agents}
    for customer, _, events, key in by_vendor(demo):
        for event in events:
            if event.kind is EventKind.NOTE:
                assert set(event.data) == {"text"} and event.actor in agents, key
                assert not event.data["text"].startswith(("Hi ", "Hello ")), key
            elif event.kind is EventKind.CUSTOMER_MESSAGE and event is not events[1]:
                assert event.actor is None, key
            elif event.kind is EventKind.UPDATE_SENT and customer.policy_id == "liveperson":
                assert event.data["channel"] == "web", key  # on the status dashboard


def _gist(text: str) -> str:
    """A message's longest sentence: what it says, without greeting and signature."""
    return max(re.split(r"(?<=[.?!])\s+|\n+", text), key=len)


def test_vendors_read_differently(demo: DemoData) -> None:
    openings: dict[str, list[str]] = {}
    answers: dict[str, list[str]] = {}
    for customer, _, events, _ in by_vendor(demo):
        openings.setdefault(customer.policy_id, []).append(events[1].data["text"])
        for event in events:
            if event.kind is EventKind.RESPONDED and "text" in event.data:
                answers.setdefault(customer.policy_id, []).append(event.data["text"])
    assert set(openings) == set(TALKS)
    for texts in (openings, answers):
        gists = {vendor: {_gist(t) for t in said} for vendor, said in texts.items()}
        for a, b in combinations(sorted(gists), 2):
            shared = gists[a] & gists[b]
            assert len(shared) < 0.05 * min(len(gists[a]), len(gists[b])), (a, b, shared)
    for vendor, said in openings.items():
        assert len(set(said)) > 0.75 * len(said), vendor  # slots make most of them unique
        assert len({_gist(t) for t in said}) >= 10, vendor


def test_every_demo_event_passes_the_event_rules(demo: DemoData) -> None:
    kinds: Counter[EventKind] = Counter()
    for _, _, events, key in by_vendor(demo):
        for event in events[1:]:
            check_payload(event.kind, event.data)
            text = event.data.get("text")
            if text is not None:
                assert text.strip() and len(text) <= MAX_TEXT, key
                assert "{" not in text and "}" not in text, (key, text)  # every slot filled
                kinds[event.kind] += 1
    assert {EventKind.ESCALATED, EventKind.ESCALATION_ANSWERED, EventKind.RCA_DELIVERED} <= set(
        kinds
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):  # texts, or questions with their answers
        for item in value:
            yield from _strings(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)


def _templates(talk: Talk) -> Iterator[str]:
    for field in fields(talk):
        if field.name not in ("vendor", "topics", "generic", "update_channel"):
            yield from _strings(getattr(talk, field.name))
    for topic in (*talk.topics.values(), *talk.generic):
        yield from (*topic.says, *topic.ends)


def test_every_template_fills_from_the_slots_a_ticket_has() -> None:
    slots = {
        "vendor", "issue", "title", "where", "domain", "company", "person", "first", "agent",
        "place", "code", "version", "part", "rid", "n", "since", "users", "account", "body",
        "fix",
    }  # fmt: skip
    templates = [t for talk in (*TALKS.values(), GENERIC) for t in _templates(talk)]
    templates += [t for frames in FRAMES.values() for t in frames] + list(REQUEST_NOTES)
    assert len(templates) > 300
    for template in templates:
        assert template.strip() or template in GENERIC.details + LAYER0.details, template
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert names <= slots, template
    for vendor, talk in TALKS.items():
        titles = {t for level in range(1, 5) for t in _titles(vendor, level)}
        assert titles <= set(talk.topics), vendor  # every title has its own words
        assert all(t.says and t.ends for t in talk.topics.values())


def _titles(vendor: str, level: int) -> tuple[str, ...]:
    from console.services.demo_catalogue import flavour_of

    return flavour_of(POLICIES[vendor]).titles.get(level, ())


def test_the_same_seed_says_the_same_words() -> None:
    first = generate(PolicyBook(POLICIES), tickets=200, seed=3, now=NOW)
    again = generate(PolicyBook(POLICIES), tickets=200, seed=3, now=NOW)
    texts = [e.data.get("text") for _, events in first.tickets for e in events]
    assert texts == [e.data.get("text") for _, events in again.tickets for e in events]
    assert sum(1 for t in texts if t) > 600
