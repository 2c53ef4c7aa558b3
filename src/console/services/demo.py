"""Demo data: a believable support queue over every policy and plan, made from a seed.

:func:`generate` is pure and deterministic; :func:`load_demo` writes its result in one
unit of work. Each ticket's history is planned as a whole (the customer's story) and cut
at ``now``, so every history is a prefix of a plausible one and the ticket's fields are
what that prefix implies.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.calendar import BusinessCalendar
from console.domain.model import (
    Agent,
    Customer,
    EventKind,
    HolidayPeriod,
    Metric,
    Role,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, Policy, SeverityRule, Target, TargetKind
from console.services.tickets import PolicyBook

__all__ = ["DemoData", "generate", "load_demo"]

_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_SPAN = timedelta(days=21)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class DemoData:
    """Everything a demo database holds; each ticket comes with its history."""

    agents: tuple[Agent, ...]
    customers: tuple[Customer, ...]
    holiday_periods: tuple[HolidayPeriod, ...]
    tickets: tuple[tuple[Ticket, tuple[TicketEvent, ...]], ...]


# --------------------------------------------------------------------------- fixed material

_ROSTER: tuple[tuple[str, Role, str, str], ...] = (
    ("Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"),
    ("Lukas Brenner", Role.AGENT, "EMEA", "Europe/Berlin"),
    ("Sofia Marchetti", Role.AGENT, "EMEA", "Europe/Zurich"),
    ("Jonas Weber", Role.AGENT, "EMEA", "Europe/Berlin"),
    ("Claire Dubois", Role.LEAD, "EMEA", "Europe/Zurich"),
    ("Marcus Reed", Role.AGENT, "AMER", "America/Los_Angeles"),
    ("Priya Nair", Role.AGENT, "AMER", "America/New_York"),
    ("Diego Alvarez", Role.AGENT, "AMER", "America/Los_Angeles"),
    ("Hannah Kim", Role.AGENT, "AMER", "America/New_York"),
    ("Rachel Goldberg", Role.LEAD, "AMER", "America/New_York"),
    ("Kenji Watanabe", Role.AGENT, "APAC", "Australia/Sydney"),
    ("Mia Thompson", Role.AGENT, "APAC", "Australia/Sydney"),
)

_COMPANY_FIRST = (
    "Alder", "Amberly", "Bluefin", "Bramble", "Brightwater", "Cinder", "Cobalt", "Copperleaf",
    "Dovetail", "Driftwood", "Ember", "Evergale", "Fernhill", "Foxglove", "Granite", "Harborline",
    "Hollowpine", "Ironbark", "Juniper", "Kestrel", "Lakeside", "Larkspur", "Meridian",
    "Moonstone", "Northwind", "Oakridge", "Palisade", "Quillon", "Redwood", "Saltmarsh",
    "Silverline", "Stonebridge", "Sunpeak", "Tidewater", "Umberfield", "Vantage", "Westbrook",
    "Willowby", "Yellowpine", "Zephyrus",
)  # fmt: skip
_COMPANY_SECOND = (
    "Outfitters", "Logistics", "Retail", "Apparel", "Travel", "Foods", "Pharma", "Media",
    "Telecom", "Insurance", "Energy", "Robotics", "Analytics", "Furniture", "Outdoor",
    "Cosmetics", "Bikes", "Books", "Labs", "Health", "Finance", "Games", "Motors", "Mobility",
    "Home",
)  # fmt: skip
_LEGAL_FORMS = {
    "EMEA": ("GmbH", "AG", "SA", "BV", "Ltd", "AB", "SpA"),
    "AMER": ("Inc.", "LLC", "Corp.", "Co."),
    "APAC": ("Pty Ltd", "Ltd", "K.K.", "Pte Ltd"),
}
_GROUPS = ("", " Group", " Digital", " International", " Holdings", " Systems", " Partners")
_CONTACTS = ("oncall", "support-escalations", "noc", "sre-oncall", "it-escalation", "platform")
_REGION_OFFSET = {"EMEA": 1, "AMER": -6, "APAC": 10}


@dataclass(frozen=True, slots=True)
class _Flavour:
    """How one vendor's tickets look: key prefix, customers' regions, titles and habits."""

    prefix: str
    regions: tuple[str, ...]
    auto_ack: float
    titles: Mapping[int, tuple[str, ...]]
    contexts: tuple[str, ...]
    plan_weights: Mapping[str, float]
    plan_activity: Mapping[str, float]
    relief_downgrades: float = 0.0
    missing_info_downgrades: float = 0.0


_FLAVOURS: dict[str, _Flavour] = {
    "layer0": _Flavour(
        "L0",
        ("AMER", "AMER", "EMEA"),
        0.15,
        {
            1: (
                "Deploy to production failing",
                "Customer site not reachable",
                "Production site returns 503 from the edge",
                "All traffic failing after deploy",
                "TLS certificate expired on production domain",
            ),
            2: (
                "Control Center down",
                "Control Center user and team management issues",
                "Control Center account issues",
                "Cannot invite users to a team in Control Center",
                "Cache purge from Control Center not taking effect",
                "Edge rules not applied after deploy",
            ),
            3: (
                "Developer Tool installation issues",
                "Can't access documentation",
                "Documentation mismatch with the service",
                "Bug in the Developer Tools",
                "CLI fails to build on Node 20",
                "Question about routes configuration",
                "Local dev server crashes on Windows",
            ),
        },
        ("www", "mobile site", "EU storefront", "US storefront", "API origin", "image CDN"),
        {"enterprise": 4.0, "developer": 2.0},
        {"enterprise": 1.2, "developer": 0.4},
    ),
    "laioutr": _Flavour(
        "LTR",
        ("EMEA",),
        0.6,
        {
            1: (
                "Checkout page times out",
                "Storefront not taking orders",
                "Production shop down after deployment",
                "Payment step fails for all customers",
            ),
            2: (
                "Intermittent 502 on product listing pages",
                "Performance degradation on category pages",
                "Background sync of product catalog stuck",
                "Potential security issue in preview links",
                "Search component outage",
            ),
            3: (
                "Minor slowdown in image optimizer",
                "Incorrect price formatting in backend UI",
                "Staging environment build failing",
                "Studio editor drag-and-drop misbehaves",
                "Bug in open-source UI component",
            ),
            4: (
                "Question about CMS connector setup",
                "Documentation for custom sections unclear",
                "Suggestion: bulk edit for page variants",
                "How to configure locale fallbacks",
            ),
        },
        ("DE shop", "AT shop", "CH shop", "B2B portal", "mobile PWA", "UK storefront"),
        {"standard": 4.0},
        {"standard": 1.0},
        missing_info_downgrades=0.5,
    ),
    "moboom": _Flavour(
        "MBM",
        ("AMER",),
        0.3,
        {
            1: (
                "Mobile site down for all users",
                "Data integrity issue in product feed",
                "Checkout on mobile returns blank page",
            ),
            2: (
                "Feature activation request before campaign launch",
                "Data export needed by end of week",
                "Significant slowdown on mobile product pages",
                "Site editor publish button broken",
            ),
            3: (
                "Image gallery broken for some Android users",
                "Bug affecting some users on iOS Safari",
                "Sporadic layout shift on product page",
            ),
            4: (
                "How to configure redirects",
                "Question on navigation menu options",
                "Installation of tracking script",
                "Account page bug for a few users",
            ),
        },
        ("iOS Safari", "Android Chrome", "mobile storefront", "tablet layout", "AMP pages"),
        {"premium-partner": 2.5},
        {"premium-partner": 1.0},
    ),
    "zitadel": _Flavour(
        "ZIT",
        ("EMEA", "EMEA", "AMER", "APAC"),
        0.1,
        {
            1: (
                "Login unavailable for all users",
                "Cloud instance unreachable",
                "Token endpoint returns 500 for every client",
            ),
            2: (
                "SAML login loop for one tenant",
                "OIDC token refresh severely degraded",
                "User provisioning via SCIM failing",
                "Login latency above 10 seconds",
            ),
            3: (
                "Passkey registration fails on Firefox",
                "Custom login texts not applied",
                "Actions webhook occasionally times out",
                "Audit log export missing events",
            ),
            4: (
                "Question about organization domain verification",
                "Feature request: custom claims in ID token",
                "How to rotate service user keys",
                "Branding colours not applied to e-mails",
            ),
        },
        ("production instance", "EU instance", "customer portal", "admin console", "B2B tenant"),
        {"default": 3.0, "extended": 3.0, "custom": 1.5},
        {"default": 0.6, "extended": 1.0, "custom": 1.3},
        relief_downgrades=0.6,
    ),
    "liveperson": _Flavour(
        "LP",
        ("AMER", "EMEA", "APAC"),
        0.5,
        {
            1: (
                "Messaging widget not loading on any page",
                "Agent workspace unavailable",
                "Suspected data compromise in conversation export",
                "Conversations not routed to agents",
            ),
            2: (
                "Messaging widget not loading on mobile",
                "Delayed message delivery to agents",
                "Bot flows intermittently failing",
                "Reporting dashboard degraded",
            ),
            3: (
                "Typing indicator missing for some visitors",
                "Emoji rendering issue in agent console",
                "Transcript e-mail missing attachments for some users",
                "Post-chat survey not shown to some visitors",
            ),
        },
        ("US site", "EU site", "APAC site", "mobile app", "web messaging", "WhatsApp channel"),
        {"standard": 4.0},
        {"standard": 1.0},
    ),
}

_NOTES = (
    "Reproduced on our side, collecting logs.",
    "Customer shared a HAR file.",
    "Linked to engineering issue ENG-{n}.",
    "Workaround shared with the customer.",
    "Asked for timestamps and request IDs.",
    "Checked the status page: no ongoing incident.",
    "Call scheduled with the customer's team.",
    "Engineering is looking into it (ENG-{n}).",
    "Customer confirmed the issue started after their last deploy.",
)
_HOLD_NOTES = (
    "On hold until the fix ships in release {version}.",
    "On hold: customer planning a maintenance window.",
    "On hold while engineering prepares a patch (ENG-{n}).",
)
_WAIVER_REASONS = {
    "status_page": (
        "Outage INC-{n} already on the status page",
        "Known CDN incident communicated on the status page",
    ),
    "personal_data": (
        "Request contains customer e-mail addresses in clear text",
        "API secret pasted into the request; customer asked to rotate it",
        "Order export with non-anonymized personal data attached",
    ),
}
_DOWNGRADES = (
    "Re-characterized after triage: workaround available",
    "Impact limited to a non-production system",
    "Only a few users affected",
    "Customer agreed the issue is not blocking",
)
_UPGRADES = (
    "Impact wider than first reported",
    "Now affecting production traffic",
    "Customer reports revenue impact",
)
_RESOLUTION_HOURS = {1: 6.0, 2: 36.0, 3: 80.0, 4: 110.0}
_REQUESTS = (
    "Question",
    "How to",
    "Feature",
    "Suggestion",
    "Installation",
    "Data export",
    "Documentation",
)


# --------------------------------------------------------------------------- people and customers


def _agents() -> tuple[Agent, ...]:
    return tuple(
        Agent(display.lower().replace(" ", "."), display, role, team, zone)
        for display, role, team, zone in _ROSTER
    )


def _flavour(policy: Policy) -> _Flavour:
    known = _FLAVOURS.get(policy.id)
    if known is not None:
        return known
    plans = {pid: 2.0 for pid in policy.plans}
    return _Flavour(policy.id[:3].upper(), ("EMEA", "AMER"), 0.2, {}, ("production",), plans, {})


def _customer_count(tickets: int, plans: int) -> int:
    return max(3 * plans, round(2.0 * math.pow(max(tickets, 1), 0.435)))


def _company_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, domain slug) pairs; the legal form is added later."""
    pairs = [(a, b) for a in _COMPANY_FIRST for b in _COMPANY_SECOND]
    rng.shuffle(pairs)
    names: list[tuple[str, str]] = []
    for i in range(count):
        first, second = pairs[i % len(pairs)]
        round_ = i // len(pairs)
        suffix = _GROUPS[round_] if round_ < len(_GROUPS) else f" {round_}"
        slug = f"{first}-{second}{suffix.replace(' ', '-')}".lower()
        names.append((f"{first} {second}{suffix}", slug))
    return names


def _zitadel_overrides() -> dict[str, Any]:
    hours = {day: ["06:00-22:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    return {
        "calendars": {
            "support-hours": {
                "label": "Agreed support hours",
                "timezone": "Europe/Zurich",
                "hours": hours,
                "holidays": [{"country": "CH", "subdiv": "SG"}],
                "agreement": "Support agreement, annex B",
            }
        },
        "targets": [
            {
                "severity": 1,
                "metric": "initial_response",
                "duration": "20m",
                "calendar": "support-hours",
                "agreement": "Support agreement, annex B",
            }
        ],
    }


def _customers(
    rng: random.Random, policies: Sequence[Policy], tickets: int
) -> tuple[list[Customer], list[float]]:
    """Several customers per plan, more for more tickets, each with its ticket activity."""
    plans = [(p, pid) for p in policies for pid in p.plans]
    total = _customer_count(tickets, len(plans))
    weights = [_flavour(p).plan_weights.get(pid, 2.0) for p, pid in plans]
    scale = total / sum(weights)
    counts = [max(3, round(w * scale)) for w in weights]
    names = _company_names(rng, sum(counts))
    customers: list[Customer] = []
    activity: list[float] = []
    overridden = False
    for (policy, pid), count in zip(plans, counts, strict=True):
        flavour = _flavour(policy)
        for _ in range(count):
            base, slug = names[len(customers)]
            region = rng.choice(flavour.regions)
            overrides: dict[str, Any] = {}
            if policy.id == "zitadel" and pid == "custom" and not overridden:
                overrides, overridden = _zitadel_overrides(), True
            customers.append(
                Customer(
                    f"{base} {rng.choice(_LEGAL_FORMS[region])}",
                    policy.id,
                    pid,
                    region,
                    f"{rng.choice(_CONTACTS)}@{slug}.example.com",
                    overrides,
                )
            )
            activity.append(flavour.plan_activity.get(pid, 1.0) * rng.lognormvariate(0.0, 0.5))
    return customers, activity


def _holiday_periods(policies: Mapping[str, Policy], now: datetime) -> tuple[HolidayPeriod, ...]:
    """Laioutr's winter break around the year end nearest to ``now``."""
    if "laioutr" not in policies:
        return ()
    year = now.year if now.month >= 7 else now.year - 1
    return (
        HolidayPeriod(
            None, "laioutr", date(year, 12, 24), date(year + 1, 1, 1), "Company winter break"
        ),
    )


def _with_periods(book: PolicyBook, periods: Sequence[HolidayPeriod]) -> PolicyBook:
    """A book like ``book`` that also knows ``periods``."""
    merged = dict(book.periods)
    for period in periods:
        company = CompanyPeriod(period.first, period.last, period.reason)
        if company not in merged.get(period.policy_id, ()):
            merged[period.policy_id] = (*merged.get(period.policy_id, ()), company)
    return PolicyBook(book.policies, merged)


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
class _Profile:
    """A customer with what its tickets need: effective policy and resolved targets."""

    customer: Customer
    policy: Policy
    flavour: _Flavour
    levels: tuple[int, ...]
    cum_weights: tuple[float, ...]
    terms: Mapping[tuple[Metric, int], _Terms]
    escalation: Mapping[bool, _Terms]


def _terms(policy: Policy, target: Target | None, periods: Sequence[CompanyPeriod]) -> _Terms:
    if target is None:
        return _NO_TERMS
    calendar = policy.calendar(target.calendar, periods) if target.calendar else None
    return _Terms(target.kind, target.duration or timedelta(0), calendar)


def _severity_weights(levels: int) -> tuple[float, ...]:
    if levels >= 4:
        return (0.05, 0.17, 0.43, 0.35, *([0.2] * (levels - 4)))
    return (0.07, 0.3, 0.63)[-levels:] if levels > 1 else (1.0,)


def _profile(book: PolicyBook, customer: Customer) -> _Profile:
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
    return _Profile(
        customer,
        policy,
        _flavour(policy),
        levels,
        tuple(accumulate(_severity_weights(len(levels)))),
        terms,
        escalation,
    )


# --------------------------------------------------------------------------- one ticket


class _Plan:
    """A ticket's whole planned history, cut at ``now`` when it becomes events."""

    def __init__(self) -> None:
        self.items: list[tuple[datetime, int, EventKind, dict[str, Any], str | None]] = []

    def add(
        self, at: datetime, kind: EventKind, data: dict[str, Any], actor: str | None = None
    ) -> None:
        self.items.append((at, len(self.items), kind, data, actor))

    def events(self, now: datetime) -> tuple[TicketEvent, ...]:
        out: list[TicketEvent] = []
        last: datetime | None = None
        for at, _, kind, data, actor in sorted(self.items, key=lambda i: (i[0], i[1])):
            when = at if last is None or at > last else last + _SECOND
            if when > now:
                break
            out.append(TicketEvent(kind, when, data, actor))
            last = when
        return tuple(out)


def _change(before: int, after: int, reason: str) -> dict[str, Any]:
    return {"from": before, "to": after, "reason": reason}


def _fields(events: Sequence[TicketEvent]) -> tuple[int, Status, str | None, frozenset[str]]:
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


class _Writer:
    """Plans tickets: titles, submission instants and histories, all from one ``rng``."""

    def __init__(self, rng: random.Random, now: datetime, agents: Sequence[Agent]) -> None:
        self.rng = rng
        self.now = now
        self.teams: dict[str, list[str]] = {}
        for agent in agents:
            if agent.role is Role.AGENT:
                self.teams.setdefault(agent.team, []).append(agent.name)
        self.leads = {a.team: a.name for a in agents if a.role is Role.LEAD}
        self.all_leads = sorted(self.leads.values())

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
        """An instant in the last three weeks, recent ones likelier, mostly in office hours."""
        offset = timedelta(hours=_REGION_OFFSET.get(region, 0))
        while True:
            age = _SPAN.total_seconds() * math.pow(self.rng.random(), 1.8)
            at = (self.now - timedelta(seconds=age)).replace(microsecond=0)
            local = at + offset
            weekend = local.weekday() >= 5
            office = 8 <= local.hour < 19
            chance = 1.0 if office and not weekend else 0.25 if weekend else 0.35
            if severity == 1 or self.rng.random() < chance:
                return at

    def title(self, profile: _Profile, level: int, submitted: datetime) -> str:
        flavour = profile.flavour
        options = flavour.titles.get(level) or profile.policy.severity(level).examples
        base = self.rng.choice(options) if options else profile.policy.severity(level).name
        roll = self.rng.random()
        if roll < 0.25:
            return f"{base} ({self.rng.choice(flavour.contexts)})"
        if base.startswith(_REQUESTS):
            return base
        if roll < 0.4:
            back = self.rng.randint(0, 3)
            day = _WEEKDAYS[(submitted - back * _DAY).weekday()]
            return f"{base} since {'this morning' if back == 0 else day}"
        if roll < 0.5:
            return f"{base} after release {self.rng.randint(2, 9)}.{self.rng.randint(0, 30)}"
        return base

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

    def history(self, profile: _Profile, severity: int, submitted: datetime) -> _Plan:
        """The ticket's whole planned history (not yet cut at ``now``)."""
        story = _Story(self, profile, severity, submitted)
        story.intake()
        story.respond()
        story.work()
        story.extras()
        return story.plan


class _Story:
    """One ticket's life: a chain of steps, each after the one before, plus side events."""

    def __init__(self, writer: _Writer, profile: _Profile, severity: int, at: datetime) -> None:
        self.w = writer
        self.rng = writer.rng
        self.profile = profile
        self.policy = profile.policy
        self.region = profile.customer.region
        self.plan = _Plan()
        self.submitted = self.cur = self.responded = self.resolved = at
        self.severity = self.top = severity
        self.assignee: str | None = None
        self.waits: list[tuple[datetime, datetime]] = []
        self.plan.add(at, EventKind.CREATED, {"severity": severity, "status": Status.OPEN.value})

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
                self.status(asked + w.hours(3.0, 1.0), Status.OPEN, None)
                self.waits.append((asked, self.cur))
        waivers = [v for v in self.policy.waivers if v.id != "status_page" or self.severity <= 2]
        if waivers and rng.random() < 0.08:
            waiver = rng.choice(waivers)
            reason = rng.choice(_WAIVER_REASONS.get(waiver.id, (waiver.name,)))
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
            reason = rng.choice(_UPGRADES if up else _DOWNGRADES)
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
        self.step(answer, EventKind.RESPONDED, {}, responder)
        self.responded = self.cur

    def work(self) -> None:
        """Downgrades by the policy's rules, waiting for the customer, holds, resolution."""
        w, rng, assignee = self.w, self.rng, self.assignee
        effort = w.hours(_RESOLUTION_HOURS.get(self.severity, 60.0))
        rule = self.rule()
        lower = [level for level in self.profile.levels if level > self.severity][:2]
        if rule is not None and lower and rng.random() < self.profile.flavour.relief_downgrades:
            new = rule.to_level or rng.choice(lower)
            at = self.cur + w.hours(3.0 if self.severity == 1 else 16.0)
            self.change(at, new, rule.name, w.lead(self.region))
        silent = False
        if rng.random() < 0.35:
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
                self.status(reply, Status.OPEN, None)
        if not silent and rng.random() < 0.1:
            self.status(self.cur + w.hours(6.0, 0.8), Status.ON_HOLD, assignee)
            version = f"{rng.randint(2, 9)}.{rng.randint(0, 30)}"
            note = rng.choice(_HOLD_NOTES).format(n=w.number(), version=version)
            self.step(self.cur + w.seconds(5, 60), EventKind.NOTE, {"text": note}, assignee)
            self.status(self.cur + w.hours(60.0, 0.6), Status.OPEN, assignee)
        at = max(self.cur + w.seconds(60, 3600), self.responded + effort)
        self.status(at, Status.RESOLVED, assignee)
        self.resolved = self.cur
        self.status(self.cur + w.hours(60.0, 0.4), Status.CLOSED, None)

    def extras(self) -> None:
        """Periodic updates, root-cause analysis, escalations and notes."""
        w, rng = self.w, self.rng
        self.updates()
        rca = self.profile.terms.get((Metric.PRELIMINARY_RCA, self.top), _NO_TERMS)
        if rca.timed:
            at = w.due_in(rca, self.submitted, math.sqrt(w.fraction(0.12))) + _SECOND
            at = max(at, self.responded + w.hours(2.0))
            self.plan.add(at, EventKind.RCA_DELIVERED, {}, self.assignee)
        self.escalation()
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            span = (min(self.resolved, self.responded + 5 * _DAY) - self.responded).total_seconds()
            at = self.responded + w.seconds(60, max(61.0, span))
            text = rng.choice(_NOTES).format(n=w.number())
            self.plan.add(at, EventKind.NOTE, {"text": text}, self.assignee)

    def updates(self) -> None:
        """From the first response to the resolution, none while waiting for the customer."""
        terms = self.profile.terms.get((Metric.PERIODIC_UPDATE, self.severity), _NO_TERMS)
        if not terms.timed:
            return
        w, at = self.w, self.responded
        for _ in range(120):
            late = self.rng.random() < 0.06
            share = self.rng.uniform(1.05, 1.5) if late else self.rng.uniform(0.6, 0.98)
            at = w.due_in(terms, at, share) + w.seconds(1, 30)
            for start, end in self.waits:
                if start <= at < end:
                    at = end + w.seconds(600, 3600)
            if at >= self.resolved or at > w.now:
                return
            self.plan.add(at, EventKind.UPDATE_SENT, {}, self.assignee)

    def escalation(self) -> None:
        if not any(t.timed for t in self.profile.escalation.values()):
            return
        rng, high = self.rng, self.top <= 2
        if rng.random() >= (0.3 if high else 0.05):
            return
        urgent = rng.random() < (0.6 if high else 0.15)
        share = rng.uniform(0.1, 0.7)
        at = (self.submitted + (self.resolved - self.submitted) * share).replace(microsecond=0)
        self.plan.add(at + _MINUTE, EventKind.ESCALATED, {"urgent": urgent})
        terms = self.profile.escalation[urgent]
        if terms.timed and (self.resolved <= self.w.now or rng.random() < 0.8):
            answer = self.w.due_in(terms, at + _MINUTE, self.w.fraction(0.12)) + _SECOND
            answer = min(answer, max(self.resolved - self.w.seconds(60, 900), at + 2 * _MINUTE))
            self.plan.add(answer, EventKind.ESCALATION_ANSWERED, {}, self.w.lead(self.region))


# --------------------------------------------------------------------------- generate and load


def generate(book: PolicyBook, *, tickets: int, seed: int, now: datetime) -> DemoData:
    """Demo agents, customers, company holidays and ``tickets`` tickets with their histories.

    Pure and deterministic in ``(tickets, seed, now)``. Every event is at or before ``now``;
    ``next_due_at`` is computed with the book's company holiday periods plus the demo's.
    """
    if tickets < 0:
        raise ValueError(f"tickets must be zero or more, not {tickets}")
    if now.tzinfo is None:
        raise ValueError(f"now {now!r} is naive: it must carry a time zone")
    now = now.astimezone(UTC)
    rng = random.Random(seed)
    agents = _agents()
    policies = [book.policies[pid] for pid in sorted(book.policies)]
    periods = _holiday_periods(book.policies, now)
    demo_book = _with_periods(book, periods)
    customers, activity = _customers(rng, policies, tickets)
    profiles = [_profile(demo_book, c) for c in customers]

    picks = rng.choices(range(len(profiles)), weights=activity, k=tickets)
    firsts: dict[tuple[str, str], int] = {}
    for i, profile in enumerate(profiles):
        firsts.setdefault((profile.customer.policy_id, profile.customer.plan), i)
    picks[: len(firsts)] = list(firsts.values())[: len(picks)]

    writer = _Writer(rng, now, agents)
    planned: list[tuple[datetime, int, _Profile, str, tuple[TicketEvent, ...]]] = []
    for index, pick in enumerate(picks):
        profile = profiles[pick]
        severity = rng.choices(profile.levels, cum_weights=profile.cum_weights)[0]
        submitted = writer.submitted(profile.customer.region, severity)
        title = writer.title(profile, severity, submitted)
        events = writer.history(profile, severity, submitted).events(now)
        planned.append((submitted, index, profile, title, events))
    planned.sort(key=lambda item: (item[0], item[1]))

    numbers = {p.id: rng.randint(100, 4000) for p in policies}
    made: list[tuple[Ticket, tuple[TicketEvent, ...]]] = []
    for submitted, _, profile, title, events in planned:
        customer = profile.customer
        numbers[customer.policy_id] += rng.choice((1, 1, 1, 2, 3))
        key = f"{profile.flavour.prefix}-{numbers[customer.policy_id]}"
        severity, status, assignee, waivers = _fields(events)
        due, clock = demo_book.queue_state(customer, events, now)
        ticket = Ticket(
            key,
            title,
            customer.name,
            severity,
            status,
            submitted,
            assignee,
            waivers,
            due,
            clock=clock,
        )
        made.append((ticket, events))
    return DemoData(agents, tuple(customers), periods, tuple(made))


def load_demo(
    uow: UnitOfWork, book: PolicyBook, *, tickets: int = 500, seed: int = 1, now: datetime
) -> DemoData:
    """Generate demo data and write it all in one unit of work, then commit.

    Refuses (ValueError) when the database has tickets already or knows a demo customer.
    Agents that exist already are kept as they are.
    """
    with uow:
        existing = uow.tickets.count()
        if existing:
            raise ValueError(
                f"the database has {existing} ticket(s) already: demo data goes only into an "
                "empty database"
            )
        book = book.current(uow)
        data = generate(book, tickets=tickets, seed=seed, now=now)
        known = {c.name for c in uow.customers.list()}
        clash = sorted(known.intersection(c.name for c in data.customers))
        if clash:
            raise ValueError(f"customer(s) {', '.join(clash)} exist already: no demo data loaded")
        agents = {a.name for a in uow.agents.list()}
        for agent in data.agents:
            if agent.name not in agents:
                uow.agents.add(agent)
        for customer in data.customers:
            uow.customers.add(customer)
        stored = {(p.policy_id, p.first, p.last) for p in uow.holidays.list()}
        for period in data.holiday_periods:
            if (period.policy_id, period.first, period.last) not in stored:
                uow.holidays.add(period)
        uow.tickets.add_many(data.tickets)
        uow.commit()
    return data
