"""Support policies: the files in ``policies/`` validated into typed, immutable objects.

The file format is documented in ``policies/README.md``. Loading either returns a
whole :class:`Policy` or raises :class:`PolicyError` listing every problem found as
``file: key.path: message``; nothing half-read escapes.

The objects live in :mod:`console.domain.policy_model` and the reading in
:mod:`console.domain.policy_reader`; the rest of the code imports both from here.
"""

from __future__ import annotations

from console.domain.policy_model import (
    CalendarDef,
    CompanyPeriod,
    Escalation,
    MaintenanceWindow,
    Plan,
    Policy,
    PolicyError,
    PolicyProblem,
    Reading,
    ServiceCredit,
    Severity,
    SeverityChange,
    SeverityRule,
    Source,
    Target,
    TargetKind,
    Waiver,
    format_duration,
    parse_duration,
)
from console.domain.policy_reader import (
    check_quotes,
    default_policy_dir,
    load_policies,
    load_policy,
)

__all__ = [
    "CalendarDef",
    "CompanyPeriod",
    "Escalation",
    "MaintenanceWindow",
    "Plan",
    "Policy",
    "PolicyError",
    "PolicyProblem",
    "Reading",
    "ServiceCredit",
    "Severity",
    "SeverityChange",
    "SeverityRule",
    "Source",
    "Target",
    "TargetKind",
    "Waiver",
    "check_quotes",
    "default_policy_dir",
    "format_duration",
    "load_policies",
    "load_policy",
    "parse_duration",
]
