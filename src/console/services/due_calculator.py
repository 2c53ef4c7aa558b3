"""The due date calculator of the calendars dialog: when a clock started at a given instant
would be due under a policy's plan, severity and metric, counted on the target's calendar
with the company holiday periods and presences given (staged ones included)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from console.domain.errors import DomainError
from console.domain.model import Metric, Presence
from console.domain.policy import CompanyPeriod, Policy, Target
from console.services import words
from console.services.calendar_texts import due_line, source_tip
from console.services.labels import metric_label
from console.services.texts import NO_TIMED_TARGET, counted_on_text, target_text

__all__ = ["DueAnswer", "DueQuestion", "metric_choices"]

# Marked for translation, shown with words.tr(...) after the note they complete.
UNSAVED_NOTE = words.QT_TR_NOOP("Includes the unsaved company holiday changes.")
UNSAVED_PRESENCES_NOTE = words.QT_TR_NOOP("Includes the unsaved presence changes.")
UNSAVED_BOTH_NOTE = words.QT_TR_NOOP("Includes the unsaved company holiday and presence changes.")


def metric_choices(policy: Policy) -> list[tuple[str, str]]:
    """The metrics ``policy`` sets timed targets for, as (label, choice): the choice is
    ``"<metric>:<urgent>"``, escalations once per urgency the policy knows."""
    choices = []
    timed = {t.metric for t in policy.targets if t.is_timed}
    for metric in Metric:
        if metric is Metric.ESCALATION_RESPONSE:
            for urgent in (False, True):
                if any(e.urgent == urgent for e in policy.escalations):
                    urgency = words.tr("urgent") if urgent else words.tr("not urgent")
                    name = f"{metric_label(metric)} ({urgency})"
                    choices.append((name, f"{metric.value}:{int(urgent)}"))
        elif metric in timed:
            choices.append((metric_label(metric), f"{metric.value}:0"))
    return choices


@dataclass(frozen=True, slots=True)
class DueAnswer:
    """What the calculator shows: the result, a note under it and the contract's words."""

    result: str
    note: str = ""
    tip: str = ""  # rich text


@dataclass(frozen=True, slots=True)
class DueQuestion:
    """A clock of ``policy`` for ``plan``, ``level`` and the metric ``choice`` (see
    :func:`metric_choices`; None when the policy has none) started at ``start``, counted
    with the company holiday ``periods`` and the public holidays of ``presences`` (none:
    those the policy file names)."""

    policy: Policy
    plan: str
    level: int
    choice: str | None
    start: datetime
    periods: Sequence[CompanyPeriod] = ()
    presences: Sequence[Presence] = ()

    @property
    def target(self) -> Target | None:
        if self.choice is None:
            return None
        value, _, urgent = self.choice.partition(":")
        return self.policy.target(self.plan, self.level, Metric(value), urgent=urgent == "1")

    def due(self) -> datetime | None:
        """The due instant; None without a timed target. Raises :class:`DomainError` or
        :class:`ValueError` when the calendar cannot count it."""
        target = self.target
        if target is None or not target.is_timed or target.calendar is None:
            return None
        assert target.duration is not None
        policy = self.policy.with_presences(self.presences)
        calendar = policy.calendar(target.calendar, self.periods)
        return calendar.add(self.start, target.duration)

    def answer(
        self, zone: tzinfo, *, unsaved: bool = False, unsaved_presences: bool = False
    ) -> DueAnswer:
        """The answer in words, the due instant in ``zone``; ``unsaved``: the periods hold
        unsaved changes, ``unsaved_presences``: the presences do (said when they count)."""
        if self.choice is None:
            return DueAnswer(
                words.tr(NO_TIMED_TARGET), words.tr("This policy sets no timed target.")
            )
        target = self.target
        if target is None:
            note = words.tr("The plan sets no target for this severity and metric.")
            return DueAnswer(words.tr(NO_TIMED_TARGET), note)
        tip = "" if target.source is None else source_tip(target.source.clause, target.source.quote)
        if not target.is_timed or target.calendar is None:
            return DueAnswer(target_text(target, self.policy), "", tip)
        try:
            due = self.due()
        except (DomainError, ValueError) as error:
            return DueAnswer(words.tr("no due date"), str(error), tip)
        assert due is not None
        definition = self.policy.calendars[target.calendar]
        counted_on = counted_on_text(self.policy, target.calendar, definition.calendar.timezone)
        note = words.tr("Counted on {calendar}.").format(calendar=counted_on)
        if definition.company_holidays and (unsaved or unsaved_presences):
            unsaved_note = (
                UNSAVED_BOTH_NOTE
                if unsaved and unsaved_presences
                else (UNSAVED_NOTE if unsaved else UNSAVED_PRESENCES_NOTE)
            )
            note += " " + words.tr(unsaved_note)
        return DueAnswer(f"{due_line(due, zone)} — {target_text(target, self.policy)}", note, tip)
