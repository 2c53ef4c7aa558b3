"""Which actions a ticket offers to a person: those its policy has, its state allows and the
person's role may take (the rules and the database refuse the rest anyway; the window does
not offer them, so nobody reaches for an action the contract does not have).
"""

from __future__ import annotations

from console.domain.model import Metric, Role, Status
from console.services.queue import QueueRow

__all__ = ["ACTIONS", "offered_actions"]

ACTIONS = frozenset(
    {"take", "assign", "respond", "update", "escalate", "severity", "rca", "waive", "note"}
)
_CLOSED = frozenset({Status.RESOLVED, Status.CLOSED})


def _has_target(row: QueueRow, metric: Metric, *, urgent: bool = False) -> bool:
    policy, plan = row.policy, row.customer.plan
    for severity in policy.severities:
        try:
            if policy.target(plan, severity.level, metric, urgent=urgent) is not None:
                return True
        except KeyError:  # a plan or level the policy lacks: nothing to offer
            return False
    return False


def offered_actions(row: QueueRow, me: str | None, role: Role | None) -> frozenset[str]:
    """The names of the ticket actions (:data:`ACTIONS`) that ``row`` offers to ``me``."""
    ticket = row.ticket
    lead = role is Role.LEAD
    free_or_mine = ticket.assignee is None or ticket.assignee == me
    offered = {"note", "assign"}
    if ticket.status not in _CLOSED:
        offered |= {"respond", "update"}
        if ticket.assignee is None or (lead and ticket.assignee != me):
            offered.add("take")
        if _has_target(row, Metric.ESCALATION_RESPONSE) or _has_target(
            row, Metric.ESCALATION_RESPONSE, urgent=True
        ):
            offered.add("escalate")
        if lead and len(row.policy.severities) > 1:
            offered.add("severity")
    if _has_target(row, Metric.PRELIMINARY_RCA):
        offered.add("rca")
    if row.policy.waivers and (lead or free_or_mine):
        offered.add("waive")
    return frozenset(offered)
