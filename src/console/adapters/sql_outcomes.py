"""Reading the stored clock outcomes for the SLA report: counts made by the database
(``GROUP BY``), so a year's report reads a few hundred grouped rows instead of every
ticket's history. See :class:`console.domain.model.ClockOutcome` for what a row says and
:mod:`console.services.report` for how the report uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, case, func, or_, select, text, true
from sqlalchemy.orm import Session

from console.adapters.records import ClockOutcomeRecord, CustomerRecord, TicketRecord
from console.adapters.repository import Keys, OutcomeCount
from console.adapters.sql_rows import batched
from console.domain.model import ClockOutcome, Metric, Outcome

__all__ = ["OUTCOMES", "OutcomeReads"]

OUTCOMES: Table = ClockOutcomeRecord.__table__  # type: ignore[assignment]
_O = OUTCOMES.c
_MICROSECOND = timedelta(microseconds=1)


class OutcomeReads:
    """The report's reads of ``clock_outcomes``, for :class:`~console.adapters.sql_tickets.
    SqlTicketRepository`."""

    session: Session
    keeps_outcomes = True

    def _customer_names(self) -> dict[int, str]:
        return dict(self.session.execute(select(CustomerRecord.id, CustomerRecord.name)).all())

    def outcome_counts(self, since: datetime, until: datetime, now: datetime) -> list[OutcomeCount]:
        past_due = and_(_O.due_at.is_not(None), _O.due_at < now)
        # A pending clock past its due instant reads as breached (ClockOutcome.at).
        pending = _O.state == Outcome.PENDING.value
        met = func.sum(case((_O.state == Outcome.MET.value, 1), else_=0))
        breached = func.sum(
            case((or_(_O.state == Outcome.BREACHED.value, and_(pending, past_due)), 1), else_=0)
        )
        waiting = func.sum(case((and_(pending, ~past_due), 1), else_=0))
        # Credits that grow past due are computed from the history (the ticket is unsettled).
        credits = func.sum(case((and_(_O.grows == true(), past_due), 0), else_=_O.credit_days))
        responses = func.count(_O.response_us)
        statement = (
            select(
                _O.customer_id,
                _O.basis,
                _O.severity,
                _O.metric,
                met,
                breached,
                waiting,
                credits,
                responses,
            )
            .where(_O.submitted_at >= since, _O.submitted_at < until)
            # Read from the covering index ix_clock_outcomes_report in its order: no sort,
            # no table row.
            .group_by(_O.customer_id, _O.basis, _O.severity, _O.metric)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # A few thousand groups of a million rows: hashed in memory, not sorted on disk
            # (PostgreSQL's default work_mem of 4 MB spills). For this transaction only.
            self.session.execute(text("SET LOCAL work_mem = '64MB'"))
        names = self._customer_names()
        return [
            OutcomeCount(
                names[customer_id],
                basis,
                int(severity),
                Metric(metric),
                *(int(figure or 0) for figure in figures),
            )
            for customer_id, basis, severity, metric, *figures in self.session.execute(
                statement
            ).all()
        ]

    def _responses(self, since: datetime, until: datetime) -> Any:
        return (
            select()
            .select_from(OUTCOMES)
            .where(
                _O.metric == Metric.INITIAL_RESPONSE.value,
                _O.response_us.is_not(None),
                _O.submitted_at >= since,
                _O.submitted_at < until,
            )
        )

    def outcome_ranks(
        self,
        since: datetime,
        until: datetime,
        percents: Sequence[int],
        sizes: Mapping[tuple[str, str, int], int] | None = None,
    ) -> dict[tuple[str, str, int], tuple[timedelta, ...]]:
        if sizes is None:
            counted = self._responses(since, until).add_columns(
                _O.policy_id, _O.plan, _O.severity, func.count()
            )
            counted = counted.group_by(_O.policy_id, _O.plan, _O.severity)
            sizes = {(p, plan, int(s)): n for p, plan, s, n in self.session.execute(counted)}
        found: dict[tuple[str, str, int], tuple[timedelta, ...]] = {}
        for (policy_id, plan, severity), count in sizes.items():
            if not count:
                continue
            values = []
            for percent in percents:
                rank = max(1, -(-percent * count // 100))  # nearest rank
                statement = (
                    self._responses(since, until)
                    .add_columns(_O.response_us)
                    .where(_O.policy_id == policy_id, _O.plan == plan, _O.severity == severity)
                    .order_by(_O.response_us)
                    .offset(rank - 1)
                    .limit(1)
                )
                values.append(timedelta(microseconds=int(self.session.scalar(statement))))
            found[(policy_id, plan, int(severity))] = tuple(values)
        return found

    def outcome_responses(
        self,
        since: datetime,
        until: datetime,
        lines: Iterable[tuple[str, str, int]],
        *,
        excluded: Iterable[str] = (),
        stale: Iterable[tuple[str, str]] = (),
    ) -> dict[tuple[str, str, int], list[timedelta]]:
        conditions: list[Any] = []
        keys = list(excluded)
        if keys:
            chosen = select(TicketRecord.id).where(TicketRecord.key.in_(keys)).scalar_subquery()
            conditions.append(_O.ticket_id.not_in(chosen))
        ids = {name: id_ for id_, name in self._customer_names().items()}
        # Rare (a policy file or a plan changed since the rows were stored): sifted here.
        left_out = {(ids[customer], basis) for customer, basis in stale if customer in ids}
        found: dict[tuple[str, str, int], list[timedelta]] = {}
        for policy_id, plan, severity in lines:
            statement = (
                self._responses(since, until)
                .add_columns(_O.response_us, _O.customer_id, _O.basis)
                .where(_O.policy_id == policy_id, _O.plan == plan, _O.severity == severity)
                .where(*conditions)
                .order_by(_O.response_us)
            )
            found[(policy_id, plan, severity)] = [
                timedelta(microseconds=response)
                for response, customer_id, basis in self.session.execute(statement).all()
                if not left_out or (customer_id, basis) not in left_out
            ]
        return found

    def unsettled_outcomes(
        self,
        since: datetime,
        until: datetime,
        now: datetime,
        stale: Iterable[tuple[str, str]] = (),
    ) -> Keys:
        in_range = and_(TicketRecord.submitted_at >= since, TicketRecord.submitted_at < until)
        # Never stored, or stored as of an instant after ``now`` (the index on outcomes_at).
        unstored = select(TicketRecord.key).where(
            or_(TicketRecord.outcomes_at.is_(None), TicketRecord.outcomes_at > now), in_range
        )
        keys = set(self.session.scalars(unstored))
        ids = {name: id_ for id_, name in self._customer_names().items()}
        wrong_basis = [
            and_(_O.customer_id == ids[customer], _O.basis == basis)
            for customer, basis in stale
            if customer in ids
        ]
        # A statement per hundred (customer, basis) pairs: SQLite bounds an expression's depth.
        for conditions in batched(wrong_basis, 100):
            statement = (
                select(TicketRecord.key)
                .join(OUTCOMES, _O.ticket_id == TicketRecord.id)
                .where(or_(*conditions), _O.submitted_at >= since, _O.submitted_at < until)
                .distinct()
            )
            keys.update(self.session.scalars(statement))
        return sorted(keys)

    def first_submitted(self) -> datetime | None:
        return self.session.scalar(select(func.min(TicketRecord.submitted_at)))

    def outcomes_touching(
        self, customers: Iterable[str], since: datetime | None, until: datetime | None
    ) -> Keys:
        wanted = set(customers)
        ids = [id_ for id_, name in self._customer_names().items() if name in wanted]
        if not ids:
            return []
        if since is None and until is None:
            every = select(TicketRecord.key).where(TicketRecord.customer_id.in_(ids))
            return sorted(self.session.scalars(every))
        conditions: list[Any] = [_O.customer_id.in_(ids)]
        if until is not None:
            conditions.append(_O.started_at < until)
        if since is not None:
            conditions.append(or_(_O.stopped_at.is_(None), _O.stopped_at >= since))
        statement = (
            select(TicketRecord.key)
            .join(OUTCOMES, _O.ticket_id == TicketRecord.id)
            .where(*conditions)
            .distinct()
        )
        return sorted(self.session.scalars(statement))

    def growing_outcomes(
        self, since: datetime, until: datetime, now: datetime
    ) -> list[tuple[str, str, int, Metric]]:
        statement = (
            select(TicketRecord.key, _O.customer_id, _O.severity, _O.metric)
            .join(OUTCOMES, _O.ticket_id == TicketRecord.id)
            .where(
                _O.grows == true(),
                _O.due_at < now,  # the (grows, due_at) index
                _O.submitted_at >= since,
                _O.submitted_at < until,
            )
        )
        names = self._customer_names()
        return [
            (key, names[customer_id], int(severity), Metric(metric))
            for key, customer_id, severity, metric in self.session.execute(statement).all()
        ]

    def outcomes_of(
        self, keys: Iterable[str]
    ) -> dict[str, tuple[str, str, tuple[ClockOutcome, ...]]]:
        names = self._customer_names()
        found: dict[str, tuple[str, str, list[ClockOutcome]]] = {}
        for batch in batched(keys, 2_000):
            statement = (
                select(
                    TicketRecord.key,
                    _O.customer_id,
                    _O.metric,
                    _O.severity,
                    _O.state,
                    _O.started_at,
                    _O.stopped_at,
                    _O.due_at,
                    _O.response_us,
                    _O.credit_days,
                    _O.grows,
                    _O.basis,
                )
                .join(OUTCOMES, _O.ticket_id == TicketRecord.id)
                .where(TicketRecord.key.in_(batch))
            )
            for row in self.session.execute(statement):
                key, customer_id, metric, severity, state, started, stopped, due = row[:8]
                response, credit_days, grows, basis = row[8:]
                entry = found.setdefault(key, (names[customer_id], basis, []))
                entry[2].append(
                    ClockOutcome(
                        Metric(metric),
                        int(severity),
                        Outcome(state),
                        started,
                        stopped,
                        due,
                        timedelta(microseconds=response) if response is not None else None,
                        int(credit_days),
                        bool(grows),
                    )
                )
        return {key: (c, basis, tuple(rows)) for key, (c, basis, rows) in found.items()}
