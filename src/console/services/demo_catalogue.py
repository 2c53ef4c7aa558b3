"""The fixed material demo data is made from: agents, company names, and per vendor the
titles, habits and plans of its customers' tickets, with the notes and reasons agents write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from console.domain.model import Role
from console.domain.policy import Policy

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

ROSTER: tuple[tuple[str, Role, str, str], ...] = (
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

COMPANY_FIRST = (
    "Alder", "Amberly", "Bluefin", "Bramble", "Brightwater", "Cinder", "Cobalt", "Copperleaf",
    "Dovetail", "Driftwood", "Ember", "Evergale", "Fernhill", "Foxglove", "Granite", "Harborline",
    "Hollowpine", "Ironbark", "Juniper", "Kestrel", "Lakeside", "Larkspur", "Meridian",
    "Moonstone", "Northwind", "Oakridge", "Palisade", "Quillon", "Redwood", "Saltmarsh",
    "Silverline", "Stonebridge", "Sunpeak", "Tidewater", "Umberfield", "Vantage", "Westbrook",
    "Willowby", "Yellowpine", "Zephyrus",
)  # fmt: skip
COMPANY_SECOND = (
    "Outfitters", "Logistics", "Retail", "Apparel", "Travel", "Foods", "Pharma", "Media",
    "Telecom", "Insurance", "Energy", "Robotics", "Analytics", "Furniture", "Outdoor",
    "Cosmetics", "Bikes", "Books", "Labs", "Health", "Finance", "Games", "Motors", "Mobility",
    "Home",
)  # fmt: skip
LEGAL_FORMS = {
    "EMEA": ("GmbH", "AG", "SA", "BV", "Ltd", "AB", "SpA"),
    "AMER": ("Inc.", "LLC", "Corp.", "Co."),
    "APAC": ("Pty Ltd", "Ltd", "K.K.", "Pte Ltd"),
}
GROUPS = ("", " Group", " Digital", " International", " Holdings", " Systems", " Partners")
CONTACTS = ("oncall", "support-escalations", "noc", "sre-oncall", "it-escalation", "platform")
REGION_OFFSET = {"EMEA": 1, "AMER": -6, "APAC": 10}


@dataclass(frozen=True, slots=True)
class Flavour:
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


_FLAVOURS: dict[str, Flavour] = {
    "layer0": Flavour(
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
    "laioutr": Flavour(
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
    "moboom": Flavour(
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
    "zitadel": Flavour(
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
    "liveperson": Flavour(
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

NOTES = (
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
HOLD_NOTES = (
    "On hold until the fix ships in release {version}.",
    "On hold: customer planning a maintenance window.",
    "On hold while engineering prepares a patch (ENG-{n}).",
)
WAIVER_REASONS = {
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
DOWNGRADES = (
    "Re-characterized after triage: workaround available",
    "Impact limited to a non-production system",
    "Only a few users affected",
    "Customer agreed the issue is not blocking",
)
UPGRADES = (
    "Impact wider than first reported",
    "Now affecting production traffic",
    "Customer reports revenue impact",
)
RESOLUTION_HOURS = {1: 6.0, 2: 36.0, 3: 80.0, 4: 110.0}
REQUESTS = (
    "Question",
    "How to",
    "Feature",
    "Suggestion",
    "Installation",
    "Data export",
    "Documentation",
)


def flavour_of(policy: Policy) -> Flavour:
    """How tickets under ``policy`` look; a plain flavour for a vendor not described here."""
    known = _FLAVOURS.get(policy.id)
    if known is not None:
        return known
    plans = {pid: 2.0 for pid in policy.plans}
    return Flavour(policy.id[:3].upper(), ("EMEA", "AMER"), 0.2, {}, ("production",), plans, {})


def zitadel_overrides() -> dict[str, Any]:
    """The overrides of the one demo customer with an agreement of its own (Zitadel, custom)."""
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
