"""One demo ticket's story: its customer's terms, then a whole planned history, drawn
from one random generator and cut at ``now`` when it becomes events.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar

from console.domain.calendar import BusinessCalendar
from console.domain.model import (
    Agent,
    Channel,
    Customer,
    EventKind,
    Metric,
    Role,
    Status,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, Policy, SeverityRule, Target, TargetKind
from console.services.demo_catalogue import (
    DOWNGRADES,
    HOLD_NOTES,
    REGION_OFFSET,
    REQUESTS,
    RESOLUTION_HOURS,
    UPGRADES,
    WAIVER_REASONS,
    WEEKDAY_NAMES,
    Flavour,
    flavour_of,
)
from console.services.demo_talk import (
    FRAMES,
    GENERIC,
    Voice,
    opening_channel,
    talk_of,
    ticket_slots,
    topic_of,
    voice_of,
)
from console.services.tickets import PolicyBook

_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_SPAN = timedelta(days=21)
T = TypeVar("T")


# --------------------------------------------------------------------------- per customer terms


@dataclass(frozen=True, slots=True)
class _Terms:
    """A target resolved for one customer: its kind, duration and calendar."""

    kind: TargetKind | None
    duration: timedelta
    calendar: BusinessCalendar | None

    @property
    def timed(self) -> bool:
        return self.kind is TargetKind.TIMED and self.calendar is not None


_NO_TERMS = _Terms(None, timedelta(0), None)


@dataclass(frozen=True, slots=True)
class Profile:
    """A customer with what its tickets need: effective policy and resolved targets."""

    customer: Customer
    policy: Policy
    flavour: Flavour
    levels: tuple[int, ...]
    cum_weights: tuple[float, ...]
    terms: Mapping[tuple[Metric, int], _Terms]
    escalation: Mapping[bool, _Terms]
    voice: Voice


def _terms(policy: Policy, target: Target | None, periods: Sequence[CompanyPeriod]) -> _Terms:
    if target is None:
        return _NO_TERMS
    calendar = policy.calendar(target.calendar, periods) if target.calendar else None
    return _Terms(target.kind, target.duration or timedelta(0), calendar)


def _severity_weights(levels: int) -> tuple[float, ...]:
    if levels >= 4:
        return (0.05, 0.17, 0.43, 0.35, *([0.2] * (levels - 4)))
    return (0.07, 0.3, 0.63)[-levels:] if levels > 1 else (1.0,)


def customer_profile(book: PolicyBook, customer: Customer) -> Profile:
    """``customer`` with its effective policy and its targets resolved on ``book``'s calendars."""
    policy = book.policy_for(customer)
    periods = book.periods.get(customer.policy_id, ())
    levels = tuple(s.level for s in policy.severities)
    terms = {
        (metric, level): _terms(policy, policy.target(customer.plan, level, metric), periods)
        for level in levels
        for metric in (Metric.INITIAL_RESPONSE, Metric.PERIODIC_UPDATE, Metric.PRELIMINARY_RCA)
    }
    escalation = {
        urgent: _terms(
            policy,
            policy.target(customer.plan, levels[0], Metric.ESCALATION_RESPONSE, urgent=urgent),
            periods,
        )
        for urgent in (False, True)
    }
    return Profile(
        customer,
        policy,
        flavour_of(policy),
        levels,
        tuple(accumulate(_severity_weights(len(levels)))),
        terms,
        escalation,
        voice_of(
            talk_of(policy.id),
            name=customer.name,
            region=customer.region,
            contact=customer.escalation_contact,
        ),
    )


# --------------------------------------------------------------------------- one ticket


class _Plan:
    """A ticket's whole planned history, cut at ``now`` when it becomes events.

    Events follow each other by at least a second, but for one ``together`` with the event
    before it (the customer's first message and the ticket it opens; the customer's answer
    and the reopening it causes): that one shares its instant."""

    def __init__(self) -> None:
        self.items: list[tuple[datetime, int, EventKind, dict[str, Any], str | None, bool]] = []

    def add(
        self,
        at: datetime,
        kind: EventKind,
        data: dict[str, Any],
        actor: str | None = None,
        *,
        together: bool = False,
    ) -> None:
        self.items.append((at, len(self.items), kind, data, actor, together))

    def events(self, now: datetime) -> tuple[TicketEvent, ...]:
        out: list[TicketEvent] = []
        last: datetime | None = None
        for at, _, kind, data, actor, together in sorted(self.items):  # by (at, index)
            if last is None or at > last:
                when = at
            elif together:
                when = last
            else:
                when = last + _SECOND
            if when > now:
                break
            out.append(TicketEvent(kind, when, data, actor))
            last = when
        return tuple(out)


def _change(before: int, after: int, reason: str) -> dict[str, Any]:
    return {"from": before, "to": after, "reason": reason}


def ticket_fields(events: Sequence[TicketEvent]) -> tuple[int, Status, str | None, frozenset[str]]:
    """Severity, status, assignee and waivers the history implies."""
    created = events[0].data
    severity, status = int(created["severity"]), Status(created.get("status", Status.OPEN))
    assignee: str | None = None
    waivers: set[str] = set()
    for event in events[1:]:
        if event.kind is EventKind.SEVERITY_CHANGED:
            severity = int(event.data["to"])
        elif event.kind is EventKind.STATUS_CHANGED:
            status = Status(event.data["status"])
        elif event.kind is EventKind.ASSIGNED:
            assignee = event.data.get("assignee")
        elif event.kind is EventKind.WAIVED:
            waivers.add(str(event.data["waiver"]))
    return severity, status, assignee, frozenset(waivers)


@dataclass(frozen=True, slots=True)
class Subject:
    """A ticket's title, with the catalogue's title it was made from and its context."""

    title: str
    base: str
    context: str | None = None
    days_back: int | None = None  # the title says since when: that many days before


class Writer:
    """Plans tickets: titles, submission instants and histories, all from one ``rng``."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        agents: Sequence[Agent],
        span: timedelta = _SPAN,
    ) -> None:
        self.rng = rng
        self.now = now
        self.span = span
        # Three weeks of a queue: recent tickets likelier. A longer history (a large demo)
        # is a steady flow, so its open tickets are about those of the last weeks.
        self.skew = 1.8 if span <= _SPAN else 1.0
        self.teams: dict[str, list[str]] = {}
        for agent in agents:
            if agent.role is Role.AGENT:
                self.teams.setdefault(agent.team, []).append(agent.name)
        self.leads = {a.team: a.name for a in agents if a.role is Role.LEAD}
        self.all_leads = sorted(self.leads.values())
        self.first_names = {a.name: a.display_name.split()[0] for a in agents}

    # ------------------------------------------------------------ small draws

    def seconds(self, lo: float, hi: float) -> timedelta:
        return timedelta(seconds=round(self.rng.uniform(lo, hi)))

    def hours(self, median: float, sigma: float = 0.7) -> timedelta:
        return timedelta(seconds=round(3600 * median * self.rng.lognormvariate(0.0, sigma)))

    def number(self) -> int:
        return self.rng.randint(1000, 9999)

    def on_shift(self, at: datetime) -> str:
        hour = at.hour
        team = "APAC" if hour >= 22 or hour < 6 else "EMEA" if hour < 15 else "AMER"
        members = self.teams.get(team) or [n for names in self.teams.values() for n in names]
        return self.rng.choice(members)

    def lead(self, region: str) -> str:
        return self.leads.get(region) or self.rng.choice(self.all_leads)

    def submitted(self, region: str, severity: int) -> datetime:
        """An instant in the writer's span (three weeks: recent ones likelier), mostly in
        office hours."""
        offset = timedelta(hours=REGION_OFFSET.get(region, 0))
        while True:
            age = self.span.total_seconds() * math.pow(self.rng.random(), self.skew)
            at = (self.now - timedelta(seconds=age)).replace(microsecond=0)
            local = at + offset
            weekend = local.weekday() >= 5
            office = 8 <= local.hour < 19
            chance = 1.0 if office and not weekend else 0.25 if weekend else 0.35
            if severity == 1 or self.rng.random() < chance:
                return at

    def title(self, profile: Profile, level: int, submitted: datetime) -> Subject:
        flavour = profile.flavour
        options = flavour.titles.get(level) or profile.policy.severity(level).examples
        base = self.rng.choice(options) if options else profile.policy.severity(level).name
        roll = self.rng.random()
        if roll < 0.25:
            context = self.rng.choice(flavour.contexts)
            return Subject(f"{base} ({context})", base, context)
        if base.startswith(REQUESTS):
            return Subject(base, base)
        if roll < 0.4:
            back = self.rng.randint(0, 3)
            day = WEEKDAY_NAMES[(submitted - back * _DAY).weekday()]
            since = "this morning" if back == 0 else day
            return Subject(f"{base} since {since}", base, days_back=back)
        if roll < 0.5:
            release = f"{self.rng.randint(2, 9)}.{self.rng.randint(0, 30)}"
            return Subject(f"{base} after release {release}", base)
        return Subject(base, base)

    def due_in(self, terms: _Terms, start: datetime, fraction: float) -> datetime:
        assert terms.calendar is not None
        return terms.calendar.add(start, terms.duration * fraction).replace(microsecond=0)

    def fraction(self, late: float, neglect: float = 0.0) -> float:
        roll = self.rng.random()
        if roll < neglect:
            return self.rng.uniform(2.0, 5.0)
        if roll < neglect + late:
            return self.rng.uniform(1.05, 1.8)
        return math.pow(self.rng.uniform(0.05, 0.95), 1.3)

    def history(
        self, profile: Profile, severity: int, submitted: datetime, subject: Subject
    ) -> _Plan:
        """The ticket's whole planned history (not yet cut at ``now``)."""
        story = _Story(self, profile, severity, submitted, subject)
        story.intake()
        story.respond()
        story.work()
        story.extras()
        return story.plan


class _Story:
    """One ticket's life: a chain of steps, each after the one before, plus side events."""

    def __init__(
        self, writer: Writer, profile: Profile, severity: int, at: datetime, subject: Subject
    ) -> None:
        self.w = writer
        self.rng = writer.rng
        self.profile = profile
        self.policy = profile.policy
        self.talk = profile.voice.talk
        self.region = profile.customer.region
        self.plan = _Plan()
        self.submitted = self.cur = self.responded = self.resolved = self.last_word = at
        self.severity = self.top = severity
        self.assignee: str | None = None
        self.waits: list[tuple[datetime, datetime]] = []
        self.plan.add(at, EventKind.CREATED, {"severity": severity, "status": Status.OPEN.value})
        self.first_reply: dict[str, Any] = {}
        self.case = 0
        self.opened(subject)

    # ------------------------------------------------------------ what is said

    def opened(self, subject: Subject) -> None:
        """The customer's first message, with what every later text of the ticket needs:
        the slots, the sets of lines, the channel the customer opened it by and the one the
        conversation goes on by (a call is followed up in writing)."""
        rng, talk, customer, at = self.rng, self.talk, self.profile.customer, self.submitted
        request = subject.base.startswith(REQUESTS)
        self.topic = topic_of(talk, subject.base)
        self.lines = talk.lines(request=request, problem=self.severity > 2)
        self.said = ticket_slots(
            self.profile.voice,
            base=subject.base,
            context=subject.context,
            title=subject.title,
            submitted=at,
            days_back=subject.days_back,
            bits=rng.getrandbits(128),
        )
        self.channel = opening_channel(self.policy.id, customer.plan, self.severity, rng.random())
        follow = Channel.EMAIL if self.channel is Channel.PHONE else self.channel
        self.by, self.then_by = self.channel.value, follow.value  # as the payloads hold them
        opening = {"text": self.opening(request), "channel": self.by}
        taker = self.w.on_shift(at) if self.channel is Channel.PHONE else None
        self.plan.add(at, EventKind.CUSTOMER_MESSAGE, opening, taker, together=True)

    def pick(self, options: Sequence[T]) -> T:
        """One of ``options``, as ``rng.choice`` but by one cheaper draw."""
        return options[int(self.rng.random() * len(options))]

    def say(self, options: Sequence[str]) -> str:
        """One of ``options`` with the ticket's slots filled in."""
        return self.pick(options).format_map(self.said)

    def opening(self, request: bool) -> str:
        """The customer's first message: what they see, how it hurts, what they add."""
        talk = self.talk
        if request:
            impact = talk.polite
        else:
            impact = talk.impacts.get(self.severity) or talk.impacts[max(talk.impacts)]
        says = self.topic.says
        self.case = int(self.rng.random() * len(says))  # which of the topic's cases it is
        body = f"{says[self.case]} {self.pick(impact)}"
        detail = self.pick(talk.details)
        self.said["body"] = (f"{body} {detail}" if detail else body).format_map(self.said)
        return self.say(FRAMES[self.channel])

    def reply(self, at: datetime, text: str, actor: str | None) -> None:
        """A public reply to the customer, by the channel the conversation goes on by."""
        self.step(at, EventKind.RESPONDED, {"text": text, "channel": self.then_by}, actor)

    def resume(self, at: datetime, answer: str) -> None:
        """The customer's ``answer``, and the ticket open again at its instant."""
        said = {"text": answer.format_map(self.said), "channel": self.then_by}
        self.step(at, EventKind.CUSTOMER_MESSAGE, said, None)
        status = {"status": Status.OPEN.value}
        self.plan.add(self.cur, EventKind.STATUS_CHANGED, status, None, together=True)

    def outcome(self, silent: bool) -> str:
        """The reply before the resolution: the fix, the workaround or the answer, or that
        the customer never came back."""
        if silent:
            return self.say(self.talk.closes)
        ends = self.topic.ends
        end = ends[self.case] if len(ends) == len(self.topic.says) else self.pick(ends)
        self.said["fix"] = end.format_map(self.said)
        return self.say(self.talk.fixes)

    # ------------------------------------------------------------ the steps

    def step(self, at: datetime, kind: EventKind, data: dict[str, Any], actor: str | None) -> None:
        self.cur = max(at, self.cur + _SECOND)
        self.plan.add(self.cur, kind, data, actor)

    def status(self, at: datetime, status: Status, actor: str | None) -> None:
        self.step(at, EventKind.STATUS_CHANGED, {"status": status.value}, actor)

    def change(self, at: datetime, new: int, reason: str, lead: str) -> None:
        self.step(at, EventKind.SEVERITY_CHANGED, _change(self.severity, new, reason), lead)
        self.severity, self.top = new, min(self.top, new)

    def rule(self) -> SeverityRule | None:
        return next((r for r in self.policy.severity_rules if self.severity in r.from_levels), None)

    def intake(self) -> None:
        """Automated acknowledgement, waiver, assignment and triage."""
        w, rng, levels = self.w, self.rng, self.profile.levels
        if rng.random() < self.profile.flavour.auto_ack:
            self.step(self.cur + w.seconds(15, 240), EventKind.RESPONDED, {"automated": True}, None)
            if self.policy.pauses_for(Metric.INITIAL_RESPONSE) and rng.random() < 0.12:
                asked = self.cur + w.seconds(5, 60)
                self.status(asked, Status.AWAITING_CUSTOMER, None)
                _, answer = self.pick(self.lines.asks)  # to what the acknowledgement asked
                self.resume(asked + w.hours(3.0, 1.0), answer)
                self.waits.append((asked, self.cur))
        waivers = [v for v in self.policy.waivers if v.id != "status_page" or self.severity <= 2]
        if waivers and rng.random() < 0.08:
            waiver = rng.choice(waivers)
            reason = rng.choice(WAIVER_REASONS.get(waiver.id, (waiver.name,)))
            data = {"waiver": waiver.id, "reason": reason.format(n=w.number())}
            at = self.cur + w.seconds(300, 2400)
            self.step(at, EventKind.WAIVED, data, w.on_shift(at))
        if rng.random() < 0.8:
            at = self.cur + w.seconds(120, 2700)
            self.assignee = w.on_shift(at)
            by = self.assignee if rng.random() < 0.5 else w.lead(self.region)
            self.step(at, EventKind.ASSIGNED, {"assignee": self.assignee}, by)
        if self.severity < levels[-1] and rng.random() < 0.08:
            up = self.severity > levels[0] and rng.random() < 0.3
            new = self.severity - 1 if up else self.severity + 1
            reason = rng.choice(UPGRADES if up else DOWNGRADES)
            self.change(self.cur + w.seconds(600, 3 * 3600), new, reason, w.lead(self.region))

    def respond(self) -> None:
        """The first human response: on time mostly, late or neglected now and then."""
        w = self.w
        terms = self.profile.terms.get((Metric.INITIAL_RESPONSE, self.severity), _NO_TERMS)
        if terms.timed:
            answer = w.due_in(terms, self.submitted, w.fraction(0.08, 0.03))
        else:
            median = 20.0 if terms.kind is TargetKind.NONE else 5.0
            answer = self.submitted + w.hours(median, 0.8)
        if answer <= self.cur:
            answer = self.cur + w.seconds(120, 1200)
        responder = self.assignee or w.on_shift(answer)
        if self.assignee is None:
            self.assignee = responder
            at = answer - w.seconds(60, 600)
            self.step(at, EventKind.ASSIGNED, {"assignee": responder}, responder)
        self.said["agent"] = w.first_names.get(responder, responder)
        self.first_reply = {"text": "", "channel": self.by}  # said once it is known what
        self.step(answer, EventKind.RESPONDED, self.first_reply, responder)
        self.responded = self.cur

    def work(self) -> None:
        """Downgrades by the policy's rules, waiting for the customer, holds, resolution."""
        w, rng, assignee = self.w, self.rng, self.assignee
        effort = w.hours(RESOLUTION_HOURS.get(self.severity, 60.0))
        rule = self.rule()
        lower = [level for level in self.profile.levels if level > self.severity][:2]
        if rule is not None and lower and rng.random() < self.profile.flavour.relief_downgrades:
            new = rule.to_level or rng.choice(lower)
            at = self.cur + w.hours(3.0 if self.severity == 1 else 16.0)
            self.change(at, new, rule.name, w.lead(self.region))
        silent = False
        if rng.random() < 0.35:
            question, answer = self.pick(self.lines.asks)
            ask = question.format_map(self.said)
            if self.cur == self.responded:  # the first response asks for the specifics
                self.first_reply["text"] = ask
            else:
                self.reply(self.cur + w.seconds(20, 600), ask, assignee)
            self.status(self.cur + w.seconds(20, 900), Status.AWAITING_CUSTOMER, assignee)
            asked = self.cur
            silent = self.severity > 2 and rng.random() < 0.15
            reply = asked + (7 * _DAY + w.hours(2.0) if silent else w.hours(9.0, 1.0))
            rule = self.rule()
            chance = self.profile.flavour.missing_info_downgrades
            if rule is not None and reply - asked > 4 * _HOUR and rng.random() < chance:
                at = asked + w.seconds(4 * 3600, (reply - asked).total_seconds() - 60)
                self.change(at, rule.to_level or self.severity + 1, rule.name, w.lead(self.region))
            self.waits.append((asked, max(reply, self.cur)))
            if silent:
                self.cur = max(self.cur, reply)
            else:
                self.resume(reply, answer)
        if not self.first_reply["text"]:  # it acknowledges and says what happens next
            self.first_reply["text"] = self.say(self.lines.acks)
        if not silent and rng.random() < 0.1:
            self.status(self.cur + w.hours(6.0, 0.8), Status.ON_HOLD, assignee)
            note = {"text": self.say(HOLD_NOTES)}  # the release: the vendor's next version
            self.step(self.cur + w.seconds(5, 60), EventKind.NOTE, note, assignee)
            self.status(self.cur + w.hours(60.0, 0.6), Status.OPEN, assignee)
        at = max(self.cur + w.seconds(60, 3600), self.responded + effort)
        self.reply(at, self.outcome(silent), assignee)
        self.last_word = self.cur
        self.status(self.cur + w.seconds(60, 900), Status.RESOLVED, assignee)
        self.resolved = self.cur
        if silent:  # the customer never answered: the wait lasted until the resolution
            self.waits[-1] = (self.waits[-1][0], self.resolved)
        self.status(self.cur + w.hours(60.0, 0.4), Status.CLOSED, None)

    def extras(self) -> None:
        """Periodic updates, root-cause analysis, escalations and notes."""
        w, rng = self.w, self.rng
        self.updates()
        rca = self.profile.terms.get((Metric.PRELIMINARY_RCA, self.top), _NO_TERMS)
        if rca.timed:
            at = w.due_in(rca, self.submitted, math.sqrt(w.fraction(0.12))) + _SECOND
            at = max(at, self.responded + w.hours(2.0))
            said = {"text": self.say(self.talk.rcas)} if self.talk.rcas else {}
            self.plan.add(at, EventKind.RCA_DELIVERED, said, self.assignee)
        self.escalation()
        for _ in range(rng.choice((0, 0, 1, 1, 2))):  # the conversation says the rest
            span = (min(self.resolved, self.responded + 5 * _DAY) - self.responded).total_seconds()
            at = self.responded + w.seconds(60, max(61.0, span))
            self.plan.add(at, EventKind.NOTE, {"text": self.say(self.lines.notes)}, self.assignee)

    def updates(self) -> None:
        """From the first response to the reply before the resolution, none while waiting
        for the customer."""
        terms = self.profile.terms.get((Metric.PERIODIC_UPDATE, self.severity), _NO_TERMS)
        if not terms.timed:
            return
        w, at = self.w, self.responded
        texts = self.lines.updates or GENERIC.updates
        channel = self.talk.update_channel.value if self.talk.update_channel else self.then_by
        for _ in range(120):
            late = self.rng.random() < 0.06
            share = self.rng.uniform(1.05, 1.5) if late else self.rng.uniform(0.6, 0.98)
            at = w.due_in(terms, at, share) + w.seconds(1, 30)
            for start, end in self.waits:
                if start <= at < end:
                    at = end + w.seconds(600, 3600)
            if at >= self.last_word or at > w.now:
                return
            update = {"text": self.say(texts), "channel": channel}
            self.plan.add(at, EventKind.UPDATE_SENT, update, self.assignee)

    def escalation(self) -> None:
        if not any(t.timed for t in self.profile.escalation.values()):
            return
        rng, high = self.rng, self.top <= 2
        if rng.random() >= (0.3 if high else 0.05):
            return
        urgent = rng.random() < (0.6 if high else 0.15)
        share = rng.uniform(0.1, 0.7)
        at = (self.submitted + (self.resolved - self.submitted) * share).replace(microsecond=0)
        talk = self.talk
        why = (talk.urgent_escalations if urgent else ()) or talk.escalations
        said: dict[str, Any] = {"text": self.say(why)} if why else {}
        self.plan.add(at + _MINUTE, EventKind.ESCALATED, {"urgent": urgent, **said})
        terms = self.profile.escalation[urgent]
        if terms.timed and (self.resolved <= self.w.now or rng.random() < 0.8):
            answer = self.w.due_in(terms, at + _MINUTE, self.w.fraction(0.12)) + _SECOND
            answer = min(answer, max(self.resolved - self.w.seconds(60, 900), at + 2 * _MINUTE))
            said = {"text": self.say(talk.escalation_answers)} if talk.escalation_answers else {}
            self.plan.add(answer, EventKind.ESCALATION_ANSWERED, said, self.w.lead(self.region))
