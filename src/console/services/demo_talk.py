"""What the people in demo tickets say: the customer's first message and answers, the
engineers' replies and updates, and the notes they leave each other, per vendor.

Every text is a template whose slots are filled from the ticket (see :func:`ticket_slots`):

``vendor``  the vendor as its customers write it          ``issue``  the ticket's subject
``where``   the affected site, shop or instance           ``domain`` the customer's domain
``company`` the customer, short                           ``person`` / ``first`` its contact
``agent``   the engineer's first name                     ``place``  a region, POP or zone
``code``    an error the customer sees                    ``version`` a version number
``part``    a product area (framework, backend, skill)    ``rid``    a request or trace id
``n``       a four-digit number (issue, incident)         ``since``  when it started (UTC)
``users``   how many people are affected                  ``account`` the customer's account id

The opening message is put together from the title's :class:`Topic` (what the customer
says about it), the vendor's impact line for the severity and a frame for the channel
(an e-mail reads like one, a call is written down by whoever took it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from console.domain.model import Channel
from console.services.demo_catalogue import NOTES, WEEKDAY_NAMES

__all__ = [
    "FRAMES",
    "GENERIC",
    "TALKS",
    "Talk",
    "Topic",
    "Voice",
    "opening_channel",
    "talk_of",
    "ticket_slots",
    "topic_of",
    "voice_of",
]


@dataclass(frozen=True, slots=True)
class Topic:
    """One title: how the customer describes it (``says``) and how it ended (``ends``: the
    fix, the workaround or the answer, as the engineer writes it). With as many ends as
    says, each end answers the description at its place; else any end fits any."""

    says: tuple[str, ...]
    ends: tuple[str, ...]


Ask = tuple[str, str]  # asking the customer for specifics, and what they answer


@dataclass(frozen=True, slots=True)
class Talk:
    """How one vendor's customers and engineers write.

    The first response and the question back to the customer come in three sets: for an
    incident (``acks``, ``asks``), for a problem of a lower severity (``problem_*``) and for
    a question or a request (``request_*``); an empty set falls back to the incident's."""

    vendor: str
    topics: Mapping[str, Topic]
    impacts: Mapping[int, tuple[str, ...]]  # the customer's impact line, by severity
    polite: tuple[str, ...]  # instead of an impact line, under a question or request
    details: tuple[str, ...]  # what the customer adds (versions, ids); "" adds nothing
    acks: tuple[str, ...]  # the first response: acknowledged, and the next step
    asks: tuple[Ask, ...]  # the ticket then waits for the answer, which reopens it
    fixes: tuple[str, ...]  # the reply before the resolution, around the topic's end
    closes: tuple[str, ...]  # the reply before resolving a ticket the customer left silent
    notes: tuple[str, ...]  # internal notes between engineers
    sites: Mapping[str, str]  # a title's context -> how the customer names it
    places: Mapping[str, tuple[str, ...]]  # by customer region
    codes: tuple[str, ...]
    versions: tuple[str, ...]
    parts: tuple[str, ...]
    problem_acks: tuple[str, ...] = ()
    problem_asks: tuple[Ask, ...] = ()
    request_acks: tuple[str, ...] = ()
    request_asks: tuple[Ask, ...] = ()
    updates: tuple[str, ...] = ()  # periodic updates (where the policy has them)
    problem_updates: tuple[str, ...] = ()
    update_channel: Channel | None = None  # None: the conversation's channel
    rcas: tuple[str, ...] = ()  # the preliminary root cause analysis, as delivered
    escalations: tuple[str, ...] = ()  # why the customer escalated (not urgent)
    urgent_escalations: tuple[str, ...] = ()
    escalation_answers: tuple[str, ...] = ()  # the manager's answer
    generic: tuple[Topic, ...] = field(default=())  # for a title without a topic

    def lines(self, *, request: bool, problem: bool) -> Lines:
        """What is said on a ticket of this kind: a question or request, a problem of a
        lower severity, or else an incident."""
        if request:
            return Lines(
                self.request_acks or self.acks,
                self.request_asks or self.asks,
                REQUEST_NOTES,
                self.problem_updates or self.updates,
            )
        if problem:
            return Lines(
                self.problem_acks or self.acks,
                self.problem_asks or self.asks,
                self.notes,
                self.problem_updates or self.updates,
            )
        return Lines(self.acks, self.asks, self.notes, self.updates)


@dataclass(frozen=True, slots=True)
class Lines:
    """The sets one ticket picks its first response, questions, notes and updates from."""

    acks: tuple[str, ...]
    asks: tuple[Ask, ...]
    notes: tuple[str, ...]
    updates: tuple[str, ...]


# --------------------------------------------------------------------------- frames

FRAMES: Mapping[Channel, tuple[str, ...]] = {
    Channel.EMAIL: (
        "Hello {vendor} support,\n\n{body}\n\nThanks,\n{person}\n{company}",
        "Hi team,\n\n{body}\n\nBest regards,\n{person} | {company}",
        "Hello,\n\n{body}\n\nKind regards\n{person}, {company}",
    ),
    Channel.WEB: (
        "{body}",
        "{body}\n\nAffected: {where}",
        "Hi,\n\n{body}\n\n{first}",
    ),
    Channel.CHAT: (
        "Hi, {first} from {company} here. {body}",
        "hello! {body}",
        "{body} Can someone take a look?",
    ),
    Channel.PHONE: (
        "Call from {person} ({company}), noted by the engineer on duty: {body}",
        "Phone, {person} of {company} on the line. {body} Asked for a call back.",
    ),
}

_NAMES = {
    "EMEA": (
        ("Jana", "Keller"), ("Tom", "Berger"), ("Elif", "Demir"), ("Lars", "Nyberg"),
        ("Chiara", "Rossi"), ("Pieter", "de Vries"), ("Amelie", "Laurent"), ("Ben", "Hughes"),
    ),
    "AMER": (
        ("Megan", "Ortiz"), ("Tyler", "Brooks"), ("Aisha", "Johnson"), ("Kevin", "Park"),
        ("Laura", "Mendes"), ("Sam", "Whitaker"), ("Grace", "Liu"), ("Nate", "Coleman"),
    ),
    "APAC": (
        ("Hiro", "Tanaka"), ("Priya", "Raman"), ("Liam", "O'Connor"), ("Mei", "Lin"),
        ("Aarav", "Shah"), ("Chloe", "Nguyen"), ("Jack", "Wilson"), ("Yuki", "Sato"),
    ),
}  # fmt: skip

# What engineers note on a question or a request (the notes of incidents would not fit).
REQUEST_NOTES = (
    "Answer drafted; checking it with product before sending.",
    "Same question came up last month; reusing that example.",
    "Docs should cover this: suggested an addition to the docs team.",
    "Forwarded to the account manager as well.",
)

# --------------------------------------------------------------------------- Layer0

_LAYER0_TOPICS = {
    "Deploy to production failing": Topic(
        (
            "Our production deploy fails at the upload step: the deploy API answers HTTP {code} "
            'and the CLI ({version}) prints "Deployment failed". We retried three times; the '
            "last attempt is build {rid}.",
            'Every deploy to the production environment since {since} ends with "Deployment '
            'failed" after the edge propagation step. Staging deploys of the same commit go '
            "through.",
        ),
        (
            "A faulty node in our build cluster failed uploads above 50 MB, which your bundle "
            "is. It is out of rotation and production deploys succeed again.",
            "The deploy queue of your team was blocked by a stuck propagation job on our side. "
            "We cleared it and your last build ({rid}) is live in production now.",
        ),
    ),
    "Customer site not reachable": Topic(
        (
            "{where} is not reachable for our visitors: browsers time out and curl hangs after "
            "the TLS handshake. Our origin answers fine when called directly.",
            "{where} stopped answering at {since}. DNS resolves to your edge, but requests never "
            "complete; our monitoring shows it worst around the {place}.",
        ),
        (
            "An expired DNS validation record had taken your domain out of the edge "
            "configuration. We validated it again and {where} is reachable; please keep the "
            "CNAME record as documented.",
            "Traffic for your domain was pinned to the {place}, which had a routing fault. We "
            "moved it back to the healthy POPs and {where} answers everywhere again.",
        ),
    ),
    "Production site returns 503 from the edge": Topic(
        (
            "All pages on {where} return 503 from the edge since {since}; x-0-status shows an "
            "upstream error, but our origin health checks are green.",
            "About half of the requests to {where} get 503 Service Unavailable from your edge. "
            "One failing request: {rid}.",
        ),
        (
            "The 503s came from the edge's connection limit towards your origin, which was set "
            "too low after our last platform update. We raised it for your environment and the "
            "error rate is back to zero.",
            "One of our edge clusters in the {place} failed its health checks towards your "
            "origin and answered 503. It was drained and traffic is served normally again.",
        ),
    ),
    "All traffic failing after deploy": Topic(
        (
            "Right after our deploy at {since} every request to {where} fails with HTTP {code}. "
            "Rolling back in Control Center did not help.",
            "We deployed our release {version} and now the whole site is down: HTTP {code} on "
            "every route, static assets included.",
        ),
        (
            "Your rollback was stuck behind the failed deploy's cache purge. We finished the "
            "purge and the previous version serves all traffic again.",
            "The deploy published a routes file that sent all requests to a backend that does "
            "not exist in production. We rolled back to the previous deployment together; the "
            "corrected routes file (diff below) can be deployed again.",
        ),
    ),
    "TLS certificate expired on production domain": Topic(
        (
            "Browsers show NET::ERR_CERT_DATE_INVALID on {where}: the certificate the edge "
            "serves expired today. Automatic renewal is on in Control Center.",
            "The TLS certificate of our production domain expired at {since} and visitors get a "
            "certificate warning. We use the automatic certificate, no custom upload.",
        ),
        (
            "The automatic renewal failed because a redirect rule on your domain blocked the "
            "ACME challenge. We issued the certificate by hand, it is served on every POP, and "
            "/.well-known/acme-challenge is exempt from the rule now.",
            "We issued the certificate for {domain} again and deployed it to every POP; "
            "renewal is back on schedule.",
        ),
    ),
    "Control Center down": Topic(
        (
            "Control Center does not load for anyone on our team: the dashboard spins, then "
            "shows HTTP {code}. The sites themselves still serve.",
            "Nobody here can log in to Control Center since {since}; after the login redirect "
            "we land on an error page.",
        ),
        (
            "A database migration that failed halfway left Control Center's API read-only. The "
            "migration is complete and Control Center is available again.",
            "Control Center's login service was down in one region; it was restarted and logins "
            "work again.",
        ),
    ),
    "Control Center user and team management issues": Topic(
        (
            'Removing a user from our team in Control Center fails with "Something went '
            'wrong", and role changes do not save.',
            "Roles of our team members revert after a page reload in Control Center; we cannot "
            "make a colleague an admin.",
        ),
        (
            "A permissions cache kept the old roles. We cleared it for your team and changes "
            "save again; the fix that prevents this ships with the next Control Center release.",
        ),
    ),
    "Control Center account issues": Topic(
        (
            "Our account page in Control Center shows the Developer plan although we are on "
            "Enterprise, and some features are locked.",
            "Control Center says our account is suspended, but our invoices are paid.",
        ),
        (
            "Your account's plan was not updated after the renewal. It is corrected and every "
            "Enterprise feature is unlocked again.",
            "A billing sync error marked your account as suspended; it is active again and the "
            "sync is fixed.",
        ),
    ),
    "Cannot invite users to a team in Control Center": Topic(
        (
            "Invitations to our team never arrive: Control Center shows them as sent, but they "
            "expire unused. We tried three addresses at {domain}.",
        ),
        (
            "Our mail provider had put {domain} on a suppression list after a bounce. It is "
            "removed and invitations arrive again; please send the pending ones once more.",
        ),
    ),
    "Cache purge from Control Center not taking effect": Topic(
        (
            "Purging /products/* from Control Center reports success, but the edge keeps "
            "serving the old pages for more than an hour.",
            "A full cache purge on {where} has no effect: x-0-caching-status still says cached "
            "for pages we changed at {since}.",
        ),
        (
            "Purges for your environment were queued behind a stuck job in the {place}. The "
            "queue is cleared and purges complete within seconds again.",
        ),
    ),
    "Edge rules not applied after deploy": Topic(
        (
            "After deploying our release {version}, the new redirect and header rules of our "
            "routes file are not applied on {where}, though the deploy log lists them.",
        ),
        (
            "The new rules came after a catch-all route, so they never matched. Moving them "
            "above the fallback route fixes it; we checked it on a preview deploy.",
        ),
    ),
    "Developer Tool installation issues": Topic(
        (
            "Installing the CLI globally fails with EACCES on our build machines (Node 18); "
            "same on a fresh container.",
        ),
        (
            "Installing the CLI as a project dependency avoids the global permission problem. "
            "The installation guide says so now.",
        ),
    ),
    "Can't access documentation": Topic(
        ('The documentation site shows "Access denied" for everyone on our office network.',),
        ("Our bot protection had flagged your office's IP range; it is allowed again.",),
    ),
    "Documentation mismatch with the service": Topic(
        (
            "The cache key docs describe an option that CLI {version} rejects as unknown.",
            "The documented response header for cache hits is not what the edge sends us.",
        ),
        (
            "The option was renamed in {version}. The documentation is corrected and shows the "
            "new name with a note for upgrading.",
            "The page described the header of an older edge version; it is corrected now. "
            "Thanks for pointing it out.",
        ),
    ),
    "Bug in the Developer Tools": Topic(
        (
            'The local dev server crashes with "Cannot read properties of undefined" as soon '
            "as a route uses a regular expression (CLI {version}).",
        ),
        (
            "This is a bug in the CLI's route parser, fixed in the next release. Until then, "
            "writing the route as a path pattern works.",
        ),
    ),
    "CLI fails to build on Node 20": Topic(
        ("The build command fails on Node 20 with ERR_REQUIRE_ESM; on Node 18 it works.",),
        (
            "CLI versions before 5.0 do not support Node 20. Upgrading the CLI (or staying on "
            "Node 18 for now) resolves the build error.",
        ),
    ),
    "Question about routes configuration": Topic(
        (
            "How do we send /api/* to a different backend in the EU environment only, without "
            "keeping two routes files?",
        ),
        (
            "You can read the environment in the routes file and add the /api/* route only "
            "there; the example in the routing guide shows exactly this.",
        ),
    ),
    "Local dev server crashes on Windows": Topic(
        (
            "The local dev server exits right after starting on Windows 11; the project path "
            "has a space in it. On macOS it runs.",
        ),
        (
            "The dev server fails on paths with spaces on Windows. A path without spaces works "
            "around it and the fix is in the next CLI release.",
        ),
    ),
}

LAYER0 = Talk(
    vendor="Layer0",
    topics=_LAYER0_TOPICS,
    impacts={
        1: (
            "Production is down for all our visitors and we are losing sales every minute.",
            "This is a full outage of our production site.",
        ),
        2: (
            "Our team cannot manage the site until this works.",
            "Production serves, but we are blocked on operations.",
        ),
        3: ("Not urgent, but it slows our developers down.", "No production impact."),
    },
    polite=("Thanks in advance.", "Any pointer is welcome."),
    details=(
        "",
        "Team: {company}, environment: production.",
        "Framework: {part}.",
        "Request ID of one failure: {rid}.",
    ),
    acks=(
        "Hi {first}, thanks for reaching out. We are looking at your environment's edge and "
        "deploy logs now and will get back to you within the hour.",
        "Hi {first}, we are on it. An engineer is checking the edge logs around {since}; next "
        "update as soon as we know more.",
        "Thanks {first}. I can see the errors on our side as well and have pulled in our edge "
        "team. I'll keep you posted here.",
    ),
    asks=(
        (
            "Hi {first}, thanks for the report. To narrow this down, could you send us the "
            "x-0-request-id header of a failing request and the URL you called?",
            "Here you go: x-0-request-id {rid}, URL https://www.{domain}/ at {since}.",
        ),
        (
            "Thanks {first}. Could you share the deployment ID and the full output of the CLI "
            "with --verbose? We don't see the failure on our side yet.",
            "Deployment ID is {rid}, verbose log attached. It fails the same way every time.",
        ),
        (
            "Hi {first}, we need a bit more: does it happen from every network, or only from "
            "some locations?",
            "From every network we tried: office, mobile, and two monitoring locations.",
        ),
    ),
    problem_acks=(
        "Hi {first}, thanks for the report. I am trying to reproduce it with CLI {version} "
        "and will get back to you.",
        "Hi {first}, thanks, we are looking into it and will update you here.",
    ),
    problem_asks=(
        (
            "Hi {first}, could you send the full output with --verbose, and your Node version "
            "and operating system?",
            "Node 18.19 on Ubuntu 22.04 (and the same on a MacBook); verbose output attached.",
        ),
        (
            "Hi {first}, which CLI version is this, and can you share a minimal project that "
            "shows it?",
            "CLI {version}; a minimal project is attached as a zip.",
        ),
    ),
    request_acks=(
        "Hi {first}, thanks for the question. I am checking with our solutions team and will "
        "come back to you here.",
        "Hi {first}, good question; let me put together an example for your setup.",
    ),
    request_asks=(
        (
            "Hi {first}, happy to help. Which framework is the project on, and could you share "
            "the relevant part of your routes file?",
            "We are on {part}; the routes file is attached.",
        ),
    ),
    fixes=(
        "Hi {first},\n\n{fix}\n\nPlease let us know if you still see the problem; otherwise we "
        "will close this ticket.\n\n{agent}",
        "{fix} Could you confirm on your side?",
    ),
    closes=(
        "Hi {first}, we haven't heard back in a week, so we are closing this request. Just reply "
        "here if the problem comes back.",
    ),
    notes=(
        "Edge logs show upstream timeouts from the {place} only.",
        "Deploy log attached; the failure is on our side of the upload.",
        "Customer's routes file reviewed; nothing unusual.",
        "Asked the edge team to check the {place} (ENG-{n}).",
        *NOTES,
    ),
    sites={
        "www": "www.{domain}",
        "mobile site": "m.{domain}",
        "EU storefront": "eu.{domain}",
        "US storefront": "us.{domain}",
        "API origin": "api.{domain}",
        "image CDN": "img.{domain}",
    },
    places={
        "AMER": ("Ashburn POP", "Dallas POP", "Los Angeles POP", "Miami POP"),
        "EMEA": ("Frankfurt POP", "London POP", "Amsterdam POP", "Paris POP"),
        "APAC": ("Singapore POP", "Sydney POP", "Tokyo POP"),
    },
    codes=("502", "503", "504", "500"),
    versions=("4.18.1", "4.19.0", "5.0.2", "5.1.0", "5.2.3"),
    parts=("Next.js", "Nuxt", "Angular", "SvelteKit", "Vue Storefront"),
)

# --------------------------------------------------------------------------- Laioutr

_LAIOUTR_TOPICS = {
    "Checkout page times out": Topic(
        (
            "The checkout on our {where} times out after 30 seconds for every customer since "
            "{since}; no orders have come in since then.",
            "Customers can fill their cart, but the checkout step spins until it times out "
            "(gateway error {code}). All payment methods are affected.",
        ),
        (
            "The checkout's calls to {part} went through a connector instance whose connection "
            "pool was exhausted. We restarted it and raised the pool size; orders come in again.",
        ),
    ),
    "Storefront not taking orders": Topic(
        (
            'Our {where} is not taking any orders: "Place order" leads to an error page.',
            "No orders since {since}: the order submission to {part} fails with {code}.",
        ),
        (
            "A configuration release on our side broke order submission for projects using the "
            "{part} connector. It was rolled back and orders go through again.",
        ),
    ),
    "Production shop down after deployment": Topic(
        (
            "After deploying our frontend release {version} the production shop shows a blank "
            "page with a 500, and the rollback button is greyed out.",
        ),
        (
            "The deployment's server bundle did not start because an environment variable was "
            "missing. We restored the previous deployment; please add the variable before you "
            "deploy again.",
        ),
    ),
    "Payment step fails for all customers": Topic(
        (
            'Every customer gets "Payment could not be processed" at the payment step on our '
            "{where}; our payment provider sees no attempts at all.",
        ),
        (
            "After a settings sync the payment component called the provider's test endpoint. "
            "The production endpoint is restored and payments go through.",
        ),
    ),
    "Intermittent 502 on product listing pages": Topic(
        (
            "About one in twenty requests to product listing pages on our {where} fails with "
            "502, mostly in the evening peak.",
        ),
        (
            "Listing pages with many filters exceeded the upstream timeout of the {part} "
            "connector. We raised it and cache the filter facets now; no 502 since the change.",
        ),
    ),
    "Performance degradation on category pages": Topic(
        ("Category pages on our {where} take 6-8 seconds since {since}, before about 1 second.",),
        (
            "A cache invalidation loop after the catalog sync kept category pages uncached. It "
            "is fixed and load times are back to normal.",
        ),
    ),
    "Background sync of product catalog stuck": Topic(
        (
            'The product catalog sync from {part} has been "running" since yesterday; new '
            "products do not show up in the shop.",
        ),
        (
            "The sync worker crashed on a product with an invalid image URL and did not "
            "restart. It runs again, skips such products, and the catalog is current.",
        ),
    ),
    "Potential security issue in preview links": Topic(
        (
            "Preview links of unpublished pages open without login when shared outside our "
            "team: anyone with the link sees drafts.",
        ),
        (
            "Preview links need a signed-in Studio user now, and existing links were revoked. "
            "Thank you for reporting it.",
        ),
    ),
    "Search component outage": Topic(
        (
            "Search on our {where} returns no results for any query since {since}; the box "
            'shows "Something went wrong".',
        ),
        (
            "The search index was being rebuilt after a schema change and the component did not "
            "fall back to the previous index. The rebuild is done and search works again.",
        ),
    ),
    "Minor slowdown in image optimizer": Topic(
        ("Product images take 1-2 seconds longer to appear since the last update.",),
        ("The image optimizer's cache was cold after a region move; it is warm again.",),
    ),
    "Incorrect price formatting in backend UI": Topic(
        ("In the Studio backend, prices for our {where} show as 1.234,5 EUR instead of 1.234,50.",),
        ("A locale formatting bug in the backend UI, fixed in release {version}, now live.",),
    ),
    "Staging environment build failing": Topic(
        (
            "Builds of our staging environment fail with an out-of-memory error since the last "
            "platform update; production builds are fine.",
        ),
        ("Staging builds ran with less memory than production; the limits are aligned now.",),
    ),
    "Studio editor drag-and-drop misbehaves": Topic(
        ("Dragging a section in Studio drops it one slot too high in Chrome; Firefox is fine.",),
        (
            "A Studio bug with browser zoom, fixed in Studio {version}. Until it reaches you, "
            "100 % zoom avoids it.",
        ),
    ),
    "Bug in open-source UI component": Topic(
        ("The open-source carousel component does not loop on iOS Safari (version {version}).",),
        (
            "Fixed upstream in the component's latest release; upgrading it in your project "
            "resolves it.",
        ),
    ),
    "Question about CMS connector setup": Topic(
        (
            "We are connecting our CMS: where does the preview token go, and does the connector "
            "support several spaces?",
        ),
        (
            "The preview token goes in the connector settings under Preview; several spaces "
            "need one connector instance each. Both guides are linked below.",
        ),
    ),
    "Documentation for custom sections unclear": Topic(
        (
            "The custom sections docs do not say how to register a section's schema for Studio, "
            "and the example does not compile.",
        ),
        ("The example was outdated: the corrected one is below and the page is updated.",),
    ),
    "Suggestion: bulk edit for page variants": Topic(
        (
            "It would save us hours if page variants could be edited in bulk, e.g. the hero "
            "image of all country variants at once.",
        ),
        (
            "Thanks for the suggestion: it is with product management as a feature request, "
            "and we will note here if it gets planned.",
        ),
    ),
    "How to configure locale fallbacks": Topic(
        (
            "How do we make the AT and CH shops fall back to German content when a page has no "
            "localized version?",
        ),
        (
            "Locale fallbacks are set per project under Settings > Localization: add de-DE as "
            "the fallback of de-AT and de-CH.",
        ),
    ),
}

LAIOUTR = Talk(
    vendor="Laioutr",
    topics=_LAIOUTR_TOPICS,
    impacts={
        1: ("The shop is not taking new orders.", "Our core business has stopped."),
        2: ("Sales continue, but customers are clearly affected.", "No workaround on our side."),
        3: ("Only internal processes are affected.", "We have a workaround for now."),
        4: ("No impact on the running shop.",),
    },
    polite=("Thanks in advance.", "No rush."),
    details=(
        "",
        "Organization: {company}, project: {company} production.",
        "Frontend release {version}, backend {part}.",
        "Example request: {rid}.",
    ),
    acks=(
        "Hello {first}, thank you for the request. We are checking the project's logs and the "
        "{part} connector now and will update you shortly.",
        "Hi {first}, we have started working on this and are trying to reproduce it on a copy "
        "of your project.",
        "Hello {first}, confirmed: we are investigating and will report back within the "
        "support hours of this severity.",
    ),
    asks=(
        (
            "Hello {first}, to reproduce this we need the affected URLs and the steps that lead "
            "to it. Could you also give us access to the organization for troubleshooting?",
            "URLs and steps are in the attached document; support access is granted.",
        ),
        (
            "Hi {first}, could you send a HAR file of a failing request and the exact time it "
            "happened? We cannot reproduce it yet.",
            "HAR file attached, recorded at {since} on the {where}.",
        ),
        (
            "Hello {first}, which project and environment is this, exactly? The support form "
            "left the project field empty.",
            'Project is "{company} production", environment production.',
        ),
    ),
    request_acks=(
        "Hello {first}, thank you for your request. We are looking into it and will answer here.",
        "Hi {first}, thanks for reaching out; a support engineer will answer in this request.",
    ),
    request_asks=(
        (
            "Hello {first}, to point you to the right setup: which project and frontend release "
            "is this about?",
            'Project "{company} production", frontend release {version}.',
        ),
    ),
    fixes=(
        "Hello {first},\n\n{fix}\n\nPlease confirm it works for you as well.\n\nBest, {agent}",
        "{fix} We will close this request if we do not hear otherwise.",
    ),
    closes=(
        "Hello {first}, as we did not receive the information needed to reproduce the problem, "
        "we are closing this request. You can reopen it any time with the details.",
    ),
    notes=(
        "Reproduced on a copy of the project.",
        "{part} connector logs show timeouts from {since} on.",
        "Escalated to the platform team (LTR-ENG-{n}).",
        "Customer's organization access granted until Friday.",
        *NOTES,
    ),
    sites={
        "DE shop": "DE shop",
        "AT shop": "AT shop",
        "CH shop": "CH shop",
        "B2B portal": "B2B portal",
        "mobile PWA": "mobile PWA",
        "UK storefront": "UK storefront",
    },
    places={"EMEA": ("eu-central region", "eu-west region")},
    codes=("502", "504", "500"),
    versions=("1.14.2", "1.15.0", "1.16.1", "2.0.3"),
    parts=("Shopware", "commercetools", "Shopify", "SAP Commerce", "Salesforce Commerce"),
)

# --------------------------------------------------------------------------- Moboom

_MOBOOM_TOPICS = {
    "Mobile site down for all users": Topic(
        (
            "Our mobile site shows a blank page for every visitor since {since}; desktop still "
            "works.",
            "The mobile store returns {code} on every page. All our mobile users are locked out.",
        ),
        (
            "A failed publish left the mobile site without an active version. We published the "
            "last good version again and the site is up.",
        ),
    ),
    "Data integrity issue in product feed": Topic(
        (
            "The product feed import overwrote prices with zero for about {users} products; "
            "customers see $0.00 on the mobile store.",
        ),
        (
            "The importer mapped an empty column to the price after the feed's column order "
            "changed. Prices are restored from last night's snapshot and the importer now "
            "rejects empty prices.",
        ),
    ),
    "Checkout on mobile returns blank page": Topic(
        ("Tapping Checkout on {where} shows a blank white page; the console says {code}.",),
        (
            "A script of the tracking extension failed on the checkout page and stopped it "
            "rendering. The extension is off for checkout and the page loads again.",
        ),
    ),
    "Feature activation request before campaign launch": Topic(
        (
            "Our campaign launches on Monday and we need the store locator activated on the "
            "mobile site before then.",
        ),
        ("The store locator is active on your account; you can add it to pages in the editor.",),
    ),
    "Data export needed by end of week": Topic(
        ("We need an export of our orders of the last 12 months by Friday for an audit.",),
        ("The export is ready; the download link in this reply is valid for 7 days.",),
    ),
    "Significant slowdown on mobile product pages": Topic(
        ("Product pages on mobile take 8-10 seconds to load since {since}; users complain.",),
        (
            "Product images were served unoptimized after a CDN setting changed. Optimization "
            "is back on and pages load in under 2 seconds.",
        ),
    ),
    "Site editor publish button broken": Topic(
        ("The Publish button in the site editor does nothing; yesterday's changes are not live.",),
        (
            "A session bug blocked publishing for editors logged in before the update. A fix is "
            "deployed; logging out and in again also clears it.",
        ),
    ),
    "Image gallery broken for some Android users": Topic(
        ("On some Android phones the product gallery shows only the first image; swiping fails.",),
        ("The gallery's touch handling failed on older Android WebViews; fixed today.",),
    ),
    "Bug affecting some users on iOS Safari": Topic(
        ("Some iOS Safari users cannot open the menu: tapping the menu icon does nothing.",),
        ("A scroll-lock script blocked the tap on iOS 17; fixed and published.",),
    ),
    "Sporadic layout shift on product page": Topic(
        ("The price block on product pages jumps down after loading and can cover Add to cart.",),
        ("The banner above it loaded without a reserved height; it has one now.",),
    ),
    "How to configure redirects": Topic(
        ("How do we set up 301 redirects from our old mobile URLs to the new paths?",),
        ("Redirects are under Site settings > Redirects; a CSV import is available for many.",),
    ),
    "Question on navigation menu options": Topic(
        ("Can the navigation menu show a second level on mobile, or only top-level items?",),
        ("Yes: enable nested items in the menu component's settings, up to two levels.",),
    ),
    "Installation of tracking script": Topic(
        ("Where do we add our analytics script so it loads on every page, checkout included?",),
        ("Add it under Site settings > Custom code > Head; it then loads on every page.",),
    ),
    "Account page bug for a few users": Topic(
        ("A few users see an empty order history on their account page despite their orders.",),
        ("Orders placed as a guest before registering were not linked; they are linked now.",),
    ),
}

MOBOOM = Talk(
    vendor="Moboom",
    topics=_MOBOOM_TOPICS,
    impacts={
        1: ("All our users are affected and there is no workaround.",),
        2: ("Many users are affected.", "This is time-sensitive for us."),
        3: ("Some users are affected; we have a short-term workaround.",),
        4: ("Only a few users notice it.",),
    },
    polite=("Thanks!", "Thank you for your help."),
    details=("", "Site: {where}.", "Seen on {part}.", "Account: {company}, site m.{domain}."),
    acks=(
        "Hi {first}, thanks for contacting Moboom support. We are looking into this now.",
        "Hi {first}, we have reproduced the issue and are working on it.",
        "Thanks {first}. The issue is with our engineers; we will update you here.",
    ),
    asks=(
        (
            "Hi {first}, could you send the page URL, the device and browser, and a screenshot?",
            "Screenshots attached; it is {where}, on {part}.",
        ),
        (
            "Hi {first}, we could not reproduce this yet. Which pages and which devices exactly?",
            "It happens on the product and checkout pages, on {part}.",
        ),
    ),
    request_acks=("Hi {first}, thanks for your request! We will get back to you shortly.",),
    request_asks=(
        (
            "Hi {first}, which site is this for? Please send us its URL.",
            "It is for https://m.{domain}/, thanks.",
        ),
    ),
    fixes=(
        "Hi {first},\n\n{fix}\n\nLet us know if anything still looks wrong.\n\n{agent}, Moboom "
        "Support",
        "{fix}",
    ),
    closes=(
        "Hi {first}, we did not hear back, so we are closing this ticket. Reply to reopen it.",
    ),
    notes=(
        "Reproduced on {part}.",
        "Bug report filed (MB-{n}).",
        "Checked the site's last publish: nothing unusual.",
        *NOTES,
    ),
    sites={
        "iOS Safari": "the site on iOS Safari",
        "Android Chrome": "the site on Android Chrome",
        "mobile storefront": "the mobile storefront",
        "tablet layout": "the tablet layout",
        "AMP pages": "our AMP pages",
    },
    places={"AMER": ("US West region", "US East region")},
    codes=("Uncaught TypeError: undefined is not a function", "HTTP 500", "Script error."),
    versions=("3.8", "3.9", "4.0", "4.1"),
    parts=("iPhone 13 / iOS 17", "Pixel 6 / Chrome", "Galaxy S21 / Chrome", "iPad / Safari"),
)

# --------------------------------------------------------------------------- ZITADEL

_ZITADEL_TOPICS = {
    "Login unavailable for all users": Topic(
        (
            "None of our users can log in since {since}: the hosted login at auth.{domain} "
            "answers {code} after the username step. All our applications are affected.",
            "Login is down for everyone: the login page loads, but every attempt ends with an "
            "error ({code}).",
        ),
        (
            "A rollout of the login service in the {place} failed for instances with custom "
            "domains. It was rolled back and logins work again; a post-incident summary follows.",
        ),
    ),
    "Cloud instance unreachable": Topic(
        (
            "Our cloud instance ({where}) does not answer at all: DNS resolves, but the TLS "
            "handshake times out. Console and APIs are down.",
        ),
        (
            "The instance's ingress in the {place} lost its certificate during a node rotation. "
            "It was restored and the instance is reachable.",
        ),
    ),
    "Token endpoint returns 500 for every client": Topic(
        (
            "POST /oauth/v2/token returns 500 ({code}) for every client, client credentials "
            "and refresh tokens alike. Trace ID {rid}.",
        ),
        (
            "After a key rotation an inactive signing key was left as the default. The new key "
            "is active and tokens are issued again.",
        ),
    ),
    "SAML login loop for one tenant": Topic(
        (
            "Users of one organization bounce between our app and the login page: the SAML "
            "response is issued, then our SP sends them back.",
        ),
        (
            "The SAML response's validity was shorter than the clock skew on your SP. We "
            "adjusted it and users of that organization log in again.",
        ),
    ),
    "OIDC token refresh severely degraded": Topic(
        ("Refreshing tokens takes 10-20 seconds and often times out; users get logged out.",),
        (
            "A slow query on the refresh token table after the last upgrade; an index was "
            "added and refreshes answer in milliseconds again.",
        ),
    ),
    "User provisioning via SCIM failing": Topic(
        (
            'Our IdP\'s SCIM sync fails for new users with 400 "invalid userName" since '
            "{since}; updates of existing users still work.",
        ),
        (
            "Usernames with a plus sign were rejected by the SCIM endpoint since {version}. The "
            "fix is deployed and the sync creates the users again.",
        ),
    ),
    "Login latency above 10 seconds": Topic(
        ("Logins take more than 10 seconds; the page loads fast, the password step hangs.",),
        ("The password hashing cost was raised too far by a setting; it is back to normal.",),
    ),
    "Passkey registration fails on Firefox": Topic(
        ("Registering a passkey in Firefox fails with NotAllowedError; Chrome works.",),
        ("Firefox needs the resident key option the login UI did not send; fixed in {version}.",),
    ),
    "Custom login texts not applied": Topic(
        ("We changed the German login texts in the console, but the login page shows defaults.",),
        ("The texts were saved on the instance, not the organization; moved, and they show now.",),
    ),
    "Actions webhook occasionally times out": Topic(
        (
            "Our pre-creation action times out on about 1 in 50 logins, though our webhook "
            "answers in 200 ms.",
        ),
        ("DNS lookups for your webhook were slow from the {place}; caching them fixed it.",),
    ),
    "Audit log export missing events": Topic(
        ("Last week's audit log export lacks user events that the console shows.",),
        ("The export paged past events with equal timestamps; fixed in {version}.",),
    ),
    "Question about organization domain verification": Topic(
        ("How do we verify a second domain of an organization when another team runs the DNS?",),
        ("Verify it by HTTP file instead of DNS: the console offers both methods.",),
    ),
    "Feature request: custom claims in ID token": Topic(
        ("We would like custom claims from user metadata in the ID token without an action.",),
        ("Noted as a feature request; today an action is the supported way.",),
    ),
    "How to rotate service user keys": Topic(
        ("What is the recommended way to rotate a service user's key without downtime?",),
        ("Add the new key, deploy it, then delete the old one: both are valid meanwhile.",),
    ),
    "Branding colours not applied to e-mails": Topic(
        ("Verification e-mails still use the default colours although private labeling is set.",),
        ("The e-mail templates read the instance's branding; activate it there as well.",),
    ),
}

ZITADEL = Talk(
    vendor="ZITADEL",
    topics=_ZITADEL_TOPICS,
    impacts={
        1: ("Nobody can sign in to any of our applications.", "Complete outage for our users."),
        2: ("Core functionality is severely degraded for us.",),
        3: ("Not critical, we have a workaround.",),
        4: ("No functional impact.",),
    },
    polite=("Thanks a lot.", "Happy to jump on a call if easier."),
    details=("", "Instance: {where} ({place}), ZITADEL {version}.", "Trace ID: {rid}."),
    acks=(
        "Hi {first}, thank you. We are analysing the logs of your instance and will update you.",
        "Hi {first}, we received your request and are investigating. Next update within the hour.",
        "Hello {first}, confirmed on our side, our engineers are working on it.",
    ),
    asks=(
        (
            "Hi {first}, could you send the trace ID of a failing request and the client ID of "
            "the affected application?",
            "Trace ID {rid}, the client of our {part}; it failed at {since}.",
        ),
        (
            "Hi {first}, to look into this we need the instance domain, the affected "
            "organization and the time of a failing attempt.",
            "Instance auth.{domain}, organization {company}, last failure at {since}.",
        ),
    ),
    problem_acks=(
        "Hi {first}, thanks for the details. We are looking into it and will come back to you.",
        "Hello {first}, thank you, we could reproduce it and are working on it.",
    ),
    problem_asks=(
        (
            "Hi {first}, which ZITADEL version do you run, and could you share anonymized logs "
            "from the time it happened?",
            "We run {version}; the anonymized logs are attached.",
        ),
        (
            "Hi {first}, could you describe the steps to reproduce it, and the expected and "
            "the observed behaviour?",
            "Steps are attached: it shows every time with our {part}.",
        ),
    ),
    request_acks=(
        "Hi {first}, thanks for your question. We will get back to you with the details.",
        "Hello {first}, thank you, we are looking into your request.",
    ),
    request_asks=(
        (
            "Hi {first}, is this about ZITADEL Cloud or a self-hosted instance, and which version?",
            "ZITADEL Cloud, our instance is auth.{domain}.",
        ),
    ),
    fixes=(
        "Hi {first},\n\n{fix}\n\nPlease let us know if anything remains.\n\nBest regards, {agent}",
        "{fix} Could you confirm on your side?",
    ),
    closes=(
        "Hi {first}, as we have not heard back, we are resolving this ticket. Reply any time to "
        "reopen it.",
    ),
    notes=(
        "Logs of the instance show the errors from {since}.",
        "Checked status page: no incident in the {place}.",
        "Engineering issue opened (ZITADEL-{n}).",
        "Customer runs {version}; upgrade recommended.",
        *NOTES,
    ),
    sites={
        "production instance": "production instance",
        "EU instance": "EU instance",
        "customer portal": "customer portal instance",
        "admin console": "admin instance",
        "B2B tenant": "B2B tenant",
    },
    places={
        "EMEA": ("EU region", "CH region"),
        "AMER": ("US region",),
        "APAC": ("AU region",),
    },
    codes=("Errors.Internal", "server_error", "invalid_grant", "Errors.Instance.NotFound"),
    versions=("v2.46.3", "v2.48.1", "v2.50.2", "v2.52.0"),
    parts=("React SPA", "Go API", "Android app", "Next.js portal"),
    escalations=(
        "Management escalation requested in the ticket: the customer needs this settled for "
        "their rollout.",
        "The customer asks a manager to review the ticket: too slow for their launch.",
    ),
    urgent_escalations=(
        "Urgent escalation: the customer called the escalation line and e-mailed management; "
        "users of {company} are still affected.",
        "Urgent escalation by phone: {person} asks for a manager, production is affected.",
    ),
    escalation_answers=(
        "Manager review: two engineers are on the ticket now; next update to {first} within "
        "the hour.",
        "Reviewed with the engineering lead; the ticket has priority and {first} gets a call "
        "back today.",
    ),
)

# --------------------------------------------------------------------------- LivePerson

_LIVEPERSON_TOPICS = {
    "Messaging widget not loading on any page": Topic(
        (
            "The messaging button does not appear on any page of our {where} since {since}; "
            "the tag loads, but nothing renders. Account {account}.",
        ),
        (
            "A faulty configuration push to the {place} stopped engagements from rendering for "
            "some accounts, yours included. It was reverted and the button shows again.",
        ),
    ),
    "Agent workspace unavailable": Topic(
        (
            "None of our {users} agents can open the Agent Workspace: it hangs on "
            '"Connecting". Conversations are piling up.',
        ),
        (
            "A certificate on the workspace gateway in the {place} expired. It was renewed and "
            "agents connect again.",
        ),
    ),
    "Suspected data compromise in conversation export": Topic(
        (
            "Our logs show a conversation export we did not request; we suspect someone "
            "accessed our account {account}.",
        ),
        (
            "The export came from an API key of a former integration of yours. The key is "
            "revoked; our security team's findings are attached.",
        ),
    ),
    "Conversations not routed to agents": Topic(
        (
            "New conversations wait in the queue and are never routed, although agents of the "
            "{part} skill are online and available.",
        ),
        (
            "A routing rule update left the {part} skill without agents in its pool. It was "
            "corrected and conversations route again.",
        ),
    ),
    "Messaging widget not loading on mobile": Topic(
        ("The messaging window does not open on mobile browsers; desktop works.",),
        ("A layout change hid the window on narrow screens; reverted for your account.",),
    ),
    "Delayed message delivery to agents": Topic(
        ("Consumer messages reach our agents 1-3 minutes late since {since}.",),
        ("A backlog in a messaging queue in the {place}; it is processed and delivery is fast.",),
    ),
    "Bot flows intermittently failing": Topic(
        (
            'Our {part} bot drops about 10 % of conversations with "Something went wrong" at '
            "the API integration step.",
        ),
        ("The integration step ran into a 5-second timeout on your API; raised to 15 seconds.",),
    ),
    "Reporting dashboard degraded": Topic(
        ("The analytics dashboard takes minutes to load and shows no data for today.",),
        ("The reporting pipeline was delayed; it caught up and today's data is complete.",),
    ),
    "Typing indicator missing for some visitors": Topic(
        ("Some visitors never see the agent typing indicator.",),
        ("It was off for the web messaging channel of your account; switched on again.",),
    ),
    "Emoji rendering issue in agent console": Topic(
        ("Emojis from consumers show as empty boxes in the agent console.",),
        ("A font was missing in the console's last release; fixed.",),
    ),
    "Transcript e-mail missing attachments for some users": Topic(
        ("Transcript e-mails lack the attached files for some consumers.",),
        ("Attachments above 5 MB were dropped; they are linked in the transcript now.",),
    ),
    "Post-chat survey not shown to some visitors": Topic(
        ("Some visitors do not get the post-chat survey after closing the conversation.",),
        ("The survey was bound to one skill only; it now applies to all of yours.",),
    ),
}

LIVEPERSON = Talk(
    vendor="LivePerson",
    topics=_LIVEPERSON_TOPICS,
    impacts={
        1: ("Our contact center is effectively down.", "This has a big impact on our business."),
        2: ("Service works, but it is degraded for our agents.",),
        3: ("Only some visitors are affected; we have a short-term workaround.",),
    },
    polite=("Thanks.",),
    details=("", "Account {account}, skill {part}.", "Seen on the {where}."),
    acks=(
        "Hi {first}, thanks for reaching out to LivePerson Support. We are investigating and "
        "will keep you updated on the Service Status Dashboard and here.",
        "Hi {first}, we have opened an investigation with our engineering team.",
        "Hello {first}, we see it as well and are working on it.",
    ),
    asks=(
        (
            "Hi {first}, could you share a conversation ID, the time it happened and your "
            "browser's console log?",
            "Conversation ID {rid}, at {since}. Console log attached.",
        ),
        (
            "Hi {first}, to investigate we need test account access and a HAR file of the page.",
            "HAR file attached; a test user is created for you.",
        ),
    ),
    fixes=(
        "Hi {first},\n\n{fix}\n\nPlease confirm on your side.\n\n{agent}, LivePerson Support",
        "{fix}",
    ),
    closes=(
        "Hi {first}, we did not receive the requested information, so we are resolving this "
        "case. Reach out again any time.",
    ),
    notes=(
        "NOC confirms errors in the {place}.",
        "Engineering ticket LPE-{n}.",
        "Checked account {account}: configuration looks fine.",
        *NOTES,
    ),
    sites={
        "US site": "US site",
        "EU site": "EU site",
        "APAC site": "APAC site",
        "mobile app": "mobile app",
        "web messaging": "web messaging",
        "WhatsApp channel": "WhatsApp channel",
    },
    places={
        "AMER": ("North America data center (z1)",),
        "EMEA": ("Europe data center (z2)",),
        "APAC": ("APAC data center (z3)",),
    },
    codes=("HTTP 500", "WebSocket closed (1006)", "HTTP 403"),
    versions=("Web SDK 5.14", "Web SDK 5.15", "Mobile SDK 6.2"),
    parts=("Sales", "Billing", "Tech support", "VIP"),
    update_channel=Channel.WEB,  # "Periodic updates are displayed on the ... Dashboard"
    updates=(
        "Update: our engineers have isolated the problem to the {place} and are working on a fix.",
        "Update: still investigating; no change for your account yet. Next update on the "
        "status dashboard.",
        "Update: a fix is being rolled out to the {place}; we are monitoring.",
        "Update: mitigation in place, we keep watching your account {account}.",
    ),
    problem_updates=(
        "Update: the issue is reproduced and with our engineering team (LPE-{n}).",
        "Update: a fix is planned for an upcoming release; the workaround still applies.",
        "Update: still in progress, nothing new to share yet.",
    ),
    rcas=(
        "Preliminary RCA: a configuration change in the {place} caused the incident ({issue}). "
        "It was rolled back; the final RCA follows.",
        "Preliminary RCA attached: capacity in the {place} ran out during a traffic peak; "
        "limits were raised.",
    ),
)

# --------------------------------------------------------------------------- any other vendor

GENERIC = Talk(
    vendor="",
    topics={},
    impacts={1: ("This is critical for us.",), 2: ("This is urgent.",), 3: ("Not urgent.",)},
    polite=("Thanks.",),
    details=("",),
    acks=("Hi {first}, thanks, we are looking into it.",),
    asks=(
        (
            "Hi {first}, could you send more details and the time it happened?",
            "Details attached; it happened at {since}.",
        ),
    ),
    fixes=("{fix}",),
    closes=("Hi {first}, we did not hear back and are closing this request.",),
    notes=NOTES,
    sites={},
    places={},
    codes=("error",),
    versions=("1.0",),
    parts=("production",),
    updates=("Update: we are still working on {issue}.",),
    generic=(Topic(("We have a problem: {issue}.",), ("We found the cause and fixed it.",)),),
)

TALKS: Mapping[str, Talk] = {
    "layer0": LAYER0,
    "laioutr": LAIOUTR,
    "moboom": MOBOOM,
    "zitadel": ZITADEL,
    "liveperson": LIVEPERSON,
}


def talk_of(policy_id: str) -> Talk:
    """How tickets under ``policy_id`` read; plain words for a vendor not described here."""
    return TALKS.get(policy_id, GENERIC)


def opening_channel(policy_id: str, plan: str, severity: int, roll: float) -> Channel:
    """How the customer opens a ticket, as the policy offers it (``roll`` in [0, 1))."""
    if policy_id == "layer0":  # Enterprise Sev 1: 24x7x365 phone; else the help center
        phone = plan == "enterprise" and severity == 1 and roll < 0.85
        return Channel.PHONE if phone else Channel.WEB
    if policy_id == "laioutr":  # the support website; e-mail only when it is unavailable
        return Channel.EMAIL if roll < 0.04 else Channel.WEB
    if policy_id == "moboom":  # online ticket creation
        return Channel.WEB
    if policy_id == "zitadel":  # e-mail; phone and chat for custom agreements
        if plan != "custom":
            return Channel.EMAIL
        if severity == 1 and roll < 0.5:
            return Channel.PHONE
        return Channel.CHAT if roll < 0.75 else Channel.EMAIL
    if policy_id == "liveperson":  # 24x7 chat and e-mail
        return Channel.CHAT if roll < 0.65 else Channel.EMAIL
    return Channel.EMAIL


def _lower_first(text: str) -> str:
    """``text`` to go inside a sentence: "Login unavailable" -> "login unavailable", while
    "SAML login loop" and "CLI fails" keep their capitals."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True, slots=True)
class Voice:
    """One customer's side of the talk: its vendor's words, and what every ticket of the
    customer has in common (worked out once per customer)."""

    talk: Talk
    company: str
    domain: str
    names: tuple[tuple[str, str], ...]  # the customer's people
    sites: Mapping[str, str]  # a title's context -> how the customer names it
    any_site: tuple[str, ...]  # for a title without a context
    places: tuple[str, ...]


def voice_of(talk: Talk, *, name: str, region: str, contact: str) -> Voice:
    """The voice of customer ``name`` (its region and escalation contact) under ``talk``."""
    domain = contact.partition("@")[2] or "example.com"
    sites = {context: site.format(domain=domain) for context, site in talk.sites.items()}
    places = talk.places.get(region) or tuple(p for ps in talk.places.values() for p in ps)
    return Voice(
        talk,
        " ".join(name.split()[:2]),  # without the legal form
        domain,
        _NAMES.get(region) or _NAMES["EMEA"],
        sites,
        tuple(sites.values()) or ("production",),
        places or ("primary region",),
    )


def ticket_slots(
    voice: Voice,
    *,
    base: str,
    context: str | None,
    title: str,
    submitted: datetime,
    days_back: int | None = None,
    bits: int,
) -> dict[str, str]:
    """The slots of one ticket's texts, every choice taken from ``bits`` (at least 128
    random bits: the request id takes 48 of them, the other choices a few each)."""
    talk = voice.talk
    rid = f"{bits & 0xFFFFFFFFFFFF:012x}"
    bits >>= 48
    bits, i = divmod(bits, len(voice.names))
    first, last = voice.names[i]
    if context:
        site = voice.sites.get(context, context)
    else:
        bits, i = divmod(bits, len(voice.any_site))
        site = voice.any_site[i]
    bits, place = divmod(bits, len(voice.places))
    bits, code = divmod(bits, len(talk.codes))
    bits, version = divmod(bits, len(talk.versions))
    bits, part = divmod(bits, len(talk.parts))
    bits, users = divmod(bits, len(_USERS))
    bits, minutes = divmod(bits, 90)
    bits, n = divmod(bits, 9_000)
    account = 10_000_000 + bits % 90_000_000
    started = (submitted.hour * 60 + submitted.minute - 5 - minutes) % 1440  # minute of day
    since = f"{started // 60:02d}:{started % 60:02d} UTC"
    if days_back:  # the title says since which day: the time on that day
        since = f"{WEEKDAY_NAMES[(submitted.weekday() - days_back) % 7]} {since}"
    return {
        "vendor": talk.vendor or "support",
        "issue": _lower_first(base),
        "title": title,
        "where": site,
        "domain": voice.domain,
        "company": voice.company,
        "person": f"{first} {last}",
        "first": first,
        "agent": "Support",
        "place": voice.places[place],
        "code": talk.codes[code],
        "version": talk.versions[version],
        "part": talk.parts[part],
        "rid": rid,
        "n": str(1000 + n),
        "since": since,
        "users": _USERS[users],
        "account": str(account),
        "body": "",
        "fix": "",
    }


_USERS = ("12", "25", "40", "60", "85", "120", "200", "350")


def topic_of(talk: Talk, base: str) -> Topic:
    """What a ticket titled ``base`` is about; plain words for a title without a topic."""
    found = talk.topics.get(base)
    if found is not None:
        return found
    return (talk.generic or GENERIC.generic)[0]
