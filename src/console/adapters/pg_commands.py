"""The command functions of a team database (PostgreSQL): the only way a login writes.

Agent and lead logins hold no INSERT, UPDATE or DELETE on any table. Each command is one
function in the schema ``console_api``, ``SECURITY DEFINER`` (it runs with the rights of
its owner, the role ``console_writer``, which cannot log in), with ``search_path`` fixed and
EXECUTE granted per group role (:data:`FUNCTIONS`). The function:

- takes the actor from the login (``session_user``, which must be an agent of the database)
  and every instant from the server's clock (``now()``: the transaction's start, which the
  console reads first so that the derived state it computes is for the same instant);
- accepts only known event kinds with a valid payload, on a ticket in a state where they make
  sense, from a role that may record them: the rules are :data:`console.domain.rules.
  EVENT_RULES`, written into ``console_api.event_rules`` when the functions are installed,
  so Python (SQLite) and PostgreSQL read one description;
- checks and steps the row's version (a stale version is SQLSTATE ``SC409``);
- writes the change feed itself (and NOTIFYs listening consoles).

The derived state of a ticket (``next_due_at``, the queue summary, the clock projection) is
computed by the console from the history and written only with an event that may move the
clocks, or by a lead's recompute (``set_derived``); ``support-console db verify`` recomputes
every ticket and reports any drift.

Errors carry their own SQLSTATE (:data:`SQLSTATES`) and a message meant for people; the
adapter (:mod:`console.adapters.sql_api`) turns them into the domain's errors.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from console.domain.model import Channel, Metric, Outcome, QueueGroup, Role, Status
from console.domain.rules import (
    EVENT_RULES,
    MAILED_KINDS,
    MAX_TEXT,
    MAX_TITLE,
    OPEN_TICKET_PAST_HOURS,
    SEVERITY_RANGE,
    TICKET_KEY,
)

__all__ = [
    "FUNCTIONS",
    "GROUPS",
    "OPEN_TICKET_PAST_HOURS",
    "OUTCOME_TABLE_RIGHTS",
    "SCHEMA",
    "SQLSTATES",
    "WRITER",
    "WRITER_TABLES",
    "install",
    "install_sql",
]

SCHEMA = "console_api"
WRITER = "console_writer"  # owns the functions; cannot log in
GROUPS: dict[Role, str] = {Role.AGENT: "console_agent", Role.LEAD: "console_lead"}
SQLSTATES = {
    "SC403": "permission",
    "SC404": "not found",
    "SC409": "conflict",
    "SC422": "invalid",
}
# What the functions' owner may do, table by table (and no more).
WRITER_TABLES: dict[str, str] = {
    "agents": "SELECT",
    "customers": "SELECT",
    "tickets": "SELECT, INSERT, UPDATE",
    "ticket_events": "SELECT, INSERT",
    "holiday_periods": "SELECT, INSERT, DELETE",
    "presences": "SELECT, INSERT, DELETE",
    "handovers": "SELECT, INSERT, UPDATE",
    "changes": "SELECT, INSERT",
}
# The mail tables' rights of the functions' owner (a reply by e-mail writes its outbox row;
# leads configure the mailbox, its contacts, and put aside messages for good).
MAIL_TABLE_RIGHTS: dict[str, str] = {
    "mail_settings": "SELECT, INSERT, UPDATE",
    "mail_contacts": "SELECT, INSERT, DELETE",
    "mail_messages": "SELECT, UPDATE",
    "mail_outbox": "SELECT, INSERT",
    "mail_worker": "SELECT",
}
WRITER_TABLES.update(MAIL_TABLE_RIGHTS)
# The report's clock outcomes, written with a ticket's derived state.
OUTCOME_TABLE_RIGHTS: dict[str, str] = {"clock_outcomes": "SELECT, INSERT, DELETE"}
WRITER_TABLES.update(OUTCOME_TABLE_RIGHTS)
BOTH = (Role.AGENT, Role.LEAD)
# Each function (its signature) and the roles whose logins may call it; the functions
# check finer rules themselves (lead-only events, someone else's ticket ...).
FUNCTIONS: dict[str, tuple[Role, ...]] = {
    "record_event(text, integer, text, jsonb, jsonb)": BOTH,
    "open_ticket(text, text, text, integer, timestamptz, text, text, text, jsonb)": BOTH,
    "set_derived(jsonb)": (Role.LEAD,),
    "add_holiday_period(text, date, date, text)": (Role.LEAD,),
    "delete_holiday_period(bigint, integer)": (Role.LEAD,),
    "add_presence(text, text, text)": (Role.LEAD,),
    "delete_presence(bigint, integer)": (Role.LEAD,),
    "hand_over(timestamptz, timestamptz, text, jsonb)": BOTH,
    "acknowledge_handover(bigint, integer)": BOTH,
    "configure_mail(jsonb, integer, text)": (Role.LEAD,),
    "set_mail_contact(text, text)": (Role.LEAD,),
    "discard_mail(bigint, integer)": (Role.LEAD,),
}

_PATH = "SET search_path = pg_catalog, public, pg_temp"


def _rules_rows() -> list[dict[str, Any]]:
    return [
        {
            "kind": rule.kind.value,
            "fields": json.dumps(
                [
                    {
                        "name": f.name,
                        "type": f.type.value,
                        "required": f.required,
                        "column": f.column,
                        "compare": f.compare.value,
                        "not_blank": f.not_blank,
                    }
                    for f in rule.fields
                ]
            ),
            "statuses": sorted(s.value for s in rule.statuses),
            "lead_only": rule.lead_only,
            "lead_unless_free_or_own": rule.lead_unless_free_or_own,
            "needs_open_escalation": rule.needs_open_escalation,
            "moves_clocks": rule.moves_clocks,
            "sets": json.dumps(dict(rule.sets)),
        }
        for rule in EVENT_RULES.values()
    ]


def _literal_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def install_sql() -> list[str]:
    """The statements that (re)create the schema, the rules table and the functions."""
    statuses = _literal_array([s.value for s in Status])
    channels = _literal_array([c.value for c in Channel])
    kinds = _literal_array([g.value for g in QueueGroup])
    outcome_states = _literal_array([o.value for o in Outcome])
    metrics = _literal_array([m.value for m in Metric])
    low, high = SEVERITY_RANGE
    s = SCHEMA
    return [
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC",
        f"""CREATE TABLE IF NOT EXISTS {s}.event_rules (
            kind text PRIMARY KEY,
            fields jsonb NOT NULL,
            statuses text[] NOT NULL,
            lead_only boolean NOT NULL,
            lead_unless_free_or_own boolean NOT NULL,
            needs_open_escalation boolean NOT NULL,
            moves_clocks boolean NOT NULL,
            sets jsonb NOT NULL
        )""",
        f"REVOKE ALL ON {s}.event_rules FROM PUBLIC",
        f"DELETE FROM {s}.event_rules",
        # ---------------------------------------------------------------- who calls
        f"""CREATE OR REPLACE FUNCTION {s}._caller(OUT name text, OUT lead boolean)
        LANGUAGE plpgsql STABLE {_PATH} AS $f$
        BEGIN
            name := session_user;
            IF pg_has_role(session_user, 'console_lead', 'MEMBER') THEN
                lead := true;
            ELSIF pg_has_role(session_user, 'console_agent', 'MEMBER') THEN
                lead := false;
            ELSE
                RAISE EXCEPTION USING ERRCODE = 'SC403',
                    MESSAGE = format('the login %s is neither an agent nor a lead of this '
                                     'database (ask its administrator: db grant)', name);
            END IF;
            IF NOT EXISTS (SELECT FROM public.agents a WHERE a.name = session_user) THEN
                RAISE EXCEPTION USING ERRCODE = 'SC403',
                    MESSAGE = format('the login %s is not an agent of this database: ask a '
                                     'team lead to add you', name);
            END IF;
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}._lead(what text) RETURNS text
        LANGUAGE plpgsql STABLE {_PATH} AS $f$
        DECLARE me record;
        BEGIN
            SELECT * INTO me FROM {s}._caller();
            IF NOT me.lead THEN
                RAISE EXCEPTION USING ERRCODE = 'SC403',
                    MESSAGE = format('%s is for team leads: %s is an agent', what, me.name);
            END IF;
            RETURN me.name;
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}._feed(p_entity text, p_key text, p_kind text)
        RETURNS void LANGUAGE plpgsql {_PATH} AS $f$
        BEGIN
            INSERT INTO public.changes (at, entity, key, kind)
            VALUES (clock_timestamp(), p_entity, p_key, p_kind);
            PERFORM pg_notify('console_changes', '');
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}._invalid(message text) RETURNS void
        LANGUAGE plpgsql IMMUTABLE AS $f$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'SC422', MESSAGE = message;
        END $f$""",
        # ---------------------------------------------------------------- the event rules
        f"""CREATE OR REPLACE FUNCTION {s}._check_event(
            p_key text, p_ticket_id bigint, p_status text, p_severity integer,
            p_assignee text, p_kind text, p_data jsonb, p_caller text, p_lead boolean)
        RETURNS {s}.event_rules LANGUAGE plpgsql STABLE {_PATH} AS $f$
        DECLARE
            r {s}.event_rules;
            f jsonb;
            k text;
            v jsonb;
            current jsonb;
            what text;
            last_kind text;
        BEGIN
            SELECT * INTO r FROM {s}.event_rules WHERE kind = p_kind;
            IF NOT FOUND THEN
                PERFORM {s}._invalid(format('%L is not an event one records', p_kind));
            END IF;
            IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
                PERFORM {s}._invalid(format('%s: the payload must be a JSON object', p_kind));
            END IF;
            FOR k IN SELECT jsonb_object_keys(p_data) LOOP
                IF NOT EXISTS (SELECT FROM jsonb_array_elements(r.fields) e
                               WHERE e ->> 'name' = k) THEN
                    PERFORM {s}._invalid(format('%s: unknown field %L', p_kind, k));
                END IF;
            END LOOP;
            FOR f IN SELECT * FROM jsonb_array_elements(r.fields) LOOP
                what := p_kind || ': ' || (f ->> 'name');
                v := p_data -> (f ->> 'name');
                IF v IS NULL THEN
                    IF (f ->> 'required')::boolean THEN
                        PERFORM {s}._invalid(what || ' is missing');
                    END IF;
                    CONTINUE;
                END IF;
                CASE f ->> 'type'
                WHEN 'text' THEN
                    IF jsonb_typeof(v) <> 'string' THEN
                        PERFORM {s}._invalid(what || ' must be a text');
                    ELSIF length(v #>> '{{}}') > {MAX_TEXT} THEN
                        PERFORM {s}._invalid(what || ' is longer than {MAX_TEXT:,} characters');
                    ELSIF (f ->> 'not_blank')::boolean AND btrim(v #>> '{{}}',
                            ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) = '' THEN
                        PERFORM {s}._invalid(what || ' cannot be empty');
                    END IF;
                WHEN 'bool' THEN
                    IF jsonb_typeof(v) <> 'boolean' THEN
                        PERFORM {s}._invalid(what || ' must be true or false');
                    END IF;
                WHEN 'severity' THEN
                    IF NOT (CASE WHEN jsonb_typeof(v) = 'number' AND v::text ~ '^[0-9]{{1,2}}$'
                                THEN (v::text)::integer BETWEEN {low} AND {high}
                                ELSE false END) THEN
                        PERFORM {s}._invalid(
                            what || ' must be a whole number from {low} to {high}');
                    END IF;
                WHEN 'status' THEN
                    IF jsonb_typeof(v) <> 'string' OR NOT (v #>> '{{}}') = ANY({statuses}) THEN
                        PERFORM {s}._invalid(what || ' must be a known status');
                    END IF;
                WHEN 'channel' THEN
                    IF jsonb_typeof(v) <> 'string' OR NOT (v #>> '{{}}') = ANY({channels}) THEN
                        PERFORM {s}._invalid(what || ' must be a known channel');
                    END IF;
                WHEN 'agent' THEN
                    IF jsonb_typeof(v) <> 'null' AND (jsonb_typeof(v) <> 'string' OR NOT EXISTS
                            (SELECT FROM public.agents a WHERE a.name = v #>> '{{}}')) THEN
                        PERFORM {s}._invalid(what || ' must be an agent of this database or null');
                    END IF;
                ELSE
                    PERFORM {s}._invalid(what || ': unknown field type');
                END CASE;
                IF coalesce(f ->> 'compare', '') <> '' THEN
                    current := CASE f ->> 'column'
                        WHEN 'status' THEN to_jsonb(p_status)
                        WHEN 'severity' THEN to_jsonb(p_severity)
                        WHEN 'assignee' THEN coalesce(to_jsonb(p_assignee), 'null'::jsonb)
                    END;
                    IF f ->> 'compare' = 'differs' AND v = current THEN
                        PERFORM {s}._invalid(format('%s: %s is %s already', p_key,
                            f ->> 'column', coalesce(current #>> '{{}}', 'nobody')));
                    ELSIF f ->> 'compare' = 'equals' AND v <> current THEN
                        PERFORM {s}._invalid(format('%s: %s says %s %s, it is %s', p_key,
                            f ->> 'name', f ->> 'column', v #>> '{{}}', current #>> '{{}}'));
                    END IF;
                END IF;
            END LOOP;
            IF NOT p_status = ANY(r.statuses) THEN
                PERFORM {s}._invalid(format('%s is %s: no %s event there', p_key,
                    replace(p_status, '_', ' '), p_kind));
            END IF;
            IF r.needs_open_escalation THEN
                SELECT e.kind INTO last_kind FROM public.ticket_events e
                WHERE e.ticket_id = p_ticket_id
                  AND e.kind IN ('escalated', 'escalation_answered')
                ORDER BY e.id DESC LIMIT 1;
                IF last_kind IS DISTINCT FROM 'escalated' THEN
                    PERFORM {s}._invalid(format('%s has no escalation waiting for an answer',
                                                p_key));
                END IF;
            END IF;
            IF r.lead_only AND NOT p_lead THEN
                RAISE EXCEPTION USING ERRCODE = 'SC403',
                    MESSAGE = format('a %s event on %s is for team leads', p_kind, p_key);
            END IF;
            IF r.lead_unless_free_or_own AND NOT p_lead AND p_assignee IS NOT NULL
               AND p_assignee <> p_caller THEN
                RAISE EXCEPTION USING ERRCODE = 'SC403',
                    MESSAGE = format('%s is %s''s: %s is for team leads', p_key, p_assignee,
                        CASE WHEN p_kind = 'assigned' THEN 'moving it'
                             ELSE format('a %s event on it', p_kind) END);
            END IF;
            RETURN r;
        END $f$""",
        # ---------------------------------------------------------------- derived state
        f"""CREATE OR REPLACE FUNCTION {s}._set_derived(p_id bigint, d jsonb)
        RETURNS void LANGUAGE plpgsql {_PATH} AS $f$
        BEGIN
            IF d IS NULL OR jsonb_typeof(d) <> 'object' THEN
                PERFORM {s}._invalid('the derived state must be a JSON object');
            END IF;
            IF (d ->> 'clock_kind') IS NULL OR NOT (d ->> 'clock_kind') = ANY({kinds}) THEN
                PERFORM {s}._invalid(format('%L is not a clock kind', d ->> 'clock_kind'));
            END IF;
            IF coalesce((d ->> 'clock_target_s')::bigint, 0) < 0
               OR coalesce((d ->> 'clock_paused_left_s')::bigint, 0) < 0 THEN
                PERFORM {s}._invalid('the derived state has negative seconds');
            END IF;
            UPDATE public.tickets SET
                next_due_at = (d ->> 'next_due_at')::timestamptz,
                clock_kind = d ->> 'clock_kind',
                clock_metric = d ->> 'clock_metric',
                clock_calendar = d ->> 'clock_calendar',
                clock_target_s = (d ->> 'clock_target_s')::integer,
                clock_paused_left_s = (d ->> 'clock_paused_left_s')::integer,
                clock_paused_by = d ->> 'clock_paused_by',
                clock_plan = d ->> 'clock_plan'
            WHERE id = p_id;
            IF d ? 'outcomes' THEN
                PERFORM {s}._set_outcomes(p_id, d -> 'outcomes');
            END IF;
        END $f$""",
        # The report's clock outcomes of a ticket (see console.domain.model.ClockOutcome):
        # replaced as a whole, with the instant and basis they were computed for.
        f"""CREATE OR REPLACE FUNCTION {s}._set_outcomes(p_id bigint, o jsonb)
        RETURNS void LANGUAGE plpgsql {_PATH} AS $f$
        BEGIN
            IF jsonb_typeof(o) <> 'object' OR jsonb_typeof(o -> 'clocks') <> 'array'
               OR (o ->> 'as_of') IS NULL THEN
                PERFORM {s}._invalid('the clock outcomes must be an object with as_of and '
                                     'clocks');
            END IF;
            IF EXISTS (SELECT FROM jsonb_array_elements(o -> 'clocks') c
                       WHERE NOT (c ->> 'state') = ANY({outcome_states})
                          OR NOT (c ->> 'metric') = ANY({metrics})
                          OR coalesce((c ->> 'credit_days')::integer, 0) < 0
                          OR coalesce((c ->> 'response_us')::bigint, 0) < 0) THEN
                PERFORM {s}._invalid('a clock outcome has an unknown state or metric, or '
                                     'negative figures');
            END IF;
            DELETE FROM public.clock_outcomes WHERE ticket_id = p_id;
            INSERT INTO public.clock_outcomes (ticket_id, metric, customer_id, policy_id, plan,
                submitted_at,
                severity, state, started_at, stopped_at, due_at, response_us, credit_days,
                grows, as_of, basis)
            SELECT p_id, c ->> 'metric', t.customer_id, cu.policy_id, cu.plan, t.submitted_at,
                (c ->> 'severity')::integer, c ->> 'state',
                (c ->> 'started_at')::timestamptz, (c ->> 'stopped_at')::timestamptz,
                (c ->> 'due_at')::timestamptz, (c ->> 'response_us')::bigint,
                coalesce((c ->> 'credit_days')::integer, 0),
                coalesce((c ->> 'grows')::boolean, false),
                (o ->> 'as_of')::timestamptz, left(coalesce(o ->> 'basis', ''), 32)
            FROM jsonb_array_elements(o -> 'clocks') c, public.tickets t
            JOIN public.customers cu ON cu.id = t.customer_id
            WHERE t.id = p_id;
            UPDATE public.tickets SET outcomes_at = (o ->> 'as_of')::timestamptz,
                outcomes_basis = left(coalesce(o ->> 'basis', ''), 32)
            WHERE id = p_id;
        END $f$""",
        # ---------------------------------------------------------------- tickets
        f"""CREATE OR REPLACE FUNCTION {s}.record_event(
            p_key text, p_version integer, p_kind text, p_data jsonb, p_derived jsonb)
        RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            me record;
            t record;
            r {s}.event_rules;
            col text;
            field text;
            ev bigint;
        BEGIN
            SELECT * INTO me FROM {s}._caller();
            SELECT tk.id, tk.status, tk.severity, tk.version, tk.waivers, a.name AS assignee
            INTO t FROM public.tickets tk LEFT JOIN public.agents a ON a.id = tk.assignee_id
            WHERE tk.key = p_key FOR UPDATE OF tk;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SC404', MESSAGE = format('no ticket %L', p_key);
            END IF;
            IF t.version IS DISTINCT FROM p_version THEN
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE = format(
                    'ticket %s was changed by someone else (you edited version %s, it is now '
                    'at version %s); nothing was saved', p_key, p_version, t.version);
            END IF;
            r := {s}._check_event(p_key, t.id, t.status, t.severity, t.assignee, p_kind,
                                  p_data, me.name, me.lead);
            INSERT INTO public.ticket_events (ticket_id, kind, at, actor, data, recorded_at)
            VALUES (t.id, p_kind, now(), me.name, p_data::json, now()) RETURNING id INTO ev;
            IF p_kind = ANY({_literal_array(sorted(k.value for k in MAILED_KINDS))})
               AND p_data ->> 'channel' = '{Channel.EMAIL.value}' THEN
                INSERT INTO public.mail_outbox (ticket_id, event_id, created_at, state, attempts,
                    next_attempt_at, recipients, last_error, version)
                VALUES (t.id, ev, now(), 'pending', 0, now(), '[]', '', 1);
            END IF;
            UPDATE public.tickets SET version = version + 1 WHERE id = t.id;
            FOR field, col IN SELECT * FROM jsonb_each_text(r.sets) LOOP
                IF col = 'status' THEN
                    UPDATE public.tickets SET status = p_data ->> field WHERE id = t.id;
                ELSIF col = 'severity' THEN
                    UPDATE public.tickets SET severity = (p_data ->> field)::integer
                    WHERE id = t.id;
                ELSIF col = 'assignee' THEN
                    UPDATE public.tickets SET assignee_id =
                        (SELECT a.id FROM public.agents a WHERE a.name = p_data ->> field)
                    WHERE id = t.id;
                ELSIF col = 'waivers' THEN
                    UPDATE public.tickets SET waivers = (
                        SELECT coalesce(json_agg(w ORDER BY w), '[]'::json) FROM (
                            SELECT json_array_elements_text(t.waivers) AS w
                            UNION SELECT p_data ->> field) AS ws)
                    WHERE id = t.id;
                END IF;
            END LOOP;
            IF r.moves_clocks THEN
                PERFORM {s}._set_derived(t.id, p_derived);
            END IF;
            PERFORM {s}._feed('ticket', p_key, 'event');
            RETURN t.version + 1;
        END $f$""",
        # Revision 0006 gave open_ticket a channel and a description.
        f"DROP FUNCTION IF EXISTS {s}.open_ticket(text, text, text, integer, timestamptz, "
        "text, jsonb)",
        f"""CREATE OR REPLACE FUNCTION {s}.open_ticket(
            p_key text, p_title text, p_customer text, p_severity integer,
            p_submitted_at timestamptz, p_assignee text, p_channel text, p_description text,
            p_derived jsonb)
        RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            me record;
            customer_id bigint;
            assignee_id bigint;
            new_id bigint;
            submitted timestamptz := coalesce(p_submitted_at, now());
        BEGIN
            SELECT * INTO me FROM {s}._caller();
            IF p_key IS NULL OR p_key !~ '^{TICKET_KEY}$' THEN
                PERFORM {s}._invalid(format('%L is not a ticket key', p_key));
            END IF;
            IF p_title IS NULL OR btrim(p_title) = '' OR length(p_title) > {MAX_TITLE} THEN
                PERFORM {s}._invalid('a ticket needs a title of 1 to {MAX_TITLE} characters');
            END IF;
            SELECT c.id INTO customer_id FROM public.customers c WHERE c.name = p_customer;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SC404',
                    MESSAGE = format('no customer %L', p_customer);
            END IF;
            IF p_severity IS NULL OR p_severity NOT BETWEEN {low} AND {high} THEN
                PERFORM {s}._invalid('the severity must be a whole number from {low} to {high}');
            END IF;
            IF submitted > now() THEN
                PERFORM {s}._invalid('a ticket cannot be submitted in the future');
            END IF;
            IF submitted < now() - interval '{OPEN_TICKET_PAST_HOURS} hours' THEN
                PERFORM {s}._invalid('a new ticket''s submitted instant is at most '
                                     '{OPEN_TICKET_PAST_HOURS} hours in the past');
            END IF;
            IF p_assignee IS NOT NULL THEN
                IF NOT me.lead AND p_assignee <> me.name THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC403', MESSAGE =
                        'assigning a new ticket to someone else is for team leads';
                END IF;
                SELECT a.id INTO assignee_id FROM public.agents a WHERE a.name = p_assignee;
                IF NOT FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC404',
                        MESSAGE = format('no agent %L', p_assignee);
                END IF;
            END IF;
            IF p_channel IS NOT NULL AND NOT p_channel = ANY({channels}) THEN
                PERFORM {s}._invalid(format('%L is not a channel', p_channel));
            END IF;
            IF length(coalesce(p_description, '')) > {MAX_TEXT} THEN
                PERFORM {s}._invalid('the description is longer than {MAX_TEXT:,} characters');
            END IF;
            IF EXISTS (SELECT FROM public.tickets tk WHERE tk.key = p_key) THEN
                PERFORM {s}._invalid(format('a ticket %s exists already', p_key));
            END IF;
            INSERT INTO public.tickets (key, title, customer_id, severity, status, assignee_id,
                submitted_at, waivers, clock_kind, version)
            VALUES (p_key, p_title, customer_id, p_severity, 'open', assignee_id, submitted,
                '[]'::json, 'done', 1)
            RETURNING id INTO new_id;
            INSERT INTO public.ticket_events (ticket_id, kind, at, actor, data, recorded_at)
            VALUES (new_id, 'created', submitted, me.name,
                    json_strip_nulls(json_build_object('severity', p_severity,
                        'status', 'open', 'channel', p_channel)), now());
            IF p_assignee IS NOT NULL THEN
                INSERT INTO public.ticket_events (ticket_id, kind, at, actor, data, recorded_at)
                VALUES (new_id, 'assigned', submitted, me.name,
                        json_build_object('assignee', p_assignee), now());
            END IF;
            IF btrim(coalesce(p_description, '')) <> '' THEN
                INSERT INTO public.ticket_events (ticket_id, kind, at, actor, data, recorded_at)
                VALUES (new_id, 'customer_message', submitted, me.name,
                        json_strip_nulls(json_build_object('text', p_description,
                            'channel', p_channel)), now());
            END IF;
            PERFORM {s}._set_derived(new_id, p_derived);
            PERFORM {s}._feed('ticket', p_key, 'created');
            RETURN 1;
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.set_derived(p_rows jsonb)
        RETURNS text[] LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            row jsonb;
            t record;
            moved text[] := ARRAY[]::text[];
        BEGIN
            PERFORM {s}._lead('Recomputing due instants');
            IF jsonb_typeof(p_rows) <> 'array' THEN
                PERFORM {s}._invalid('the rows must be a JSON array');
            END IF;
            FOR row IN SELECT * FROM jsonb_array_elements(p_rows) LOOP
                SELECT tk.id, tk.version INTO t FROM public.tickets tk
                WHERE tk.key = row ->> 'key' FOR UPDATE;
                IF NOT FOUND OR t.version IS DISTINCT FROM (row ->> 'version')::integer THEN
                    moved := moved || (row ->> 'key');
                    CONTINUE;
                END IF;
                PERFORM {s}._set_derived(t.id, row -> 'derived');
                PERFORM {s}._feed('ticket', row ->> 'key', 'recomputed');
            END LOOP;
            RETURN moved;
        END $f$""",
        # ---------------------------------------------------------------- calendars
        f"""CREATE OR REPLACE FUNCTION {s}.add_holiday_period(
            p_policy text, p_first date, p_last date, p_reason text)
        RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE new_id bigint;
        BEGIN
            PERFORM {s}._lead('Editing calendars');
            IF p_first IS NULL OR p_last IS NULL OR p_last < p_first THEN
                PERFORM {s}._invalid('a holiday period ends on or after the day it starts');
            END IF;
            IF p_last - p_first > 366 THEN
                PERFORM {s}._invalid('a holiday period is at most a year long');
            END IF;
            IF p_policy IS NULL OR p_policy !~ '^[a-z0-9_-]{{1,64}}$' THEN
                PERFORM {s}._invalid(format('%L is not a policy id', p_policy));
            END IF;
            IF p_reason IS NULL OR btrim(p_reason) = '' OR length(p_reason) > 200 THEN
                PERFORM {s}._invalid('a holiday period needs a reason of 1 to 200 characters');
            END IF;
            INSERT INTO public.holiday_periods (policy_id, first, last, reason, version)
            VALUES (p_policy, p_first, p_last, p_reason, 1) RETURNING id INTO new_id;
            PERFORM {s}._feed('holiday', new_id::text, 'created');
            RETURN new_id;
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.delete_holiday_period(p_id bigint, p_version integer)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE found_version integer;
        BEGIN
            PERFORM {s}._lead('Editing calendars');
            DELETE FROM public.holiday_periods h WHERE h.id = p_id AND h.version = p_version;
            IF NOT FOUND THEN
                SELECT h.version INTO found_version FROM public.holiday_periods h
                WHERE h.id = p_id;
                IF NOT FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC404',
                        MESSAGE = format('no holiday period %s', p_id);
                END IF;
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE = format(
                    'holiday period %s was changed by someone else; nothing was saved', p_id);
            END IF;
            PERFORM {s}._feed('holiday', p_id::text, 'deleted');
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.add_presence(
            p_policy text, p_country text, p_subdivision text)
        RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE new_id bigint;
        BEGIN
            PERFORM {s}._lead('Editing calendars');
            IF p_policy IS NULL OR p_policy !~ '^[a-z0-9_-]{{1,64}}$' THEN
                PERFORM {s}._invalid(format('%L is not a policy id', p_policy));
            END IF;
            IF p_country IS NULL OR p_country !~ '^[A-Z]{{2,3}}$' THEN
                PERFORM {s}._invalid(format('%L is not a country code', p_country));
            END IF;
            IF coalesce(p_subdivision, '') !~ '^[A-Za-z0-9-]{{0,16}}$' THEN
                PERFORM {s}._invalid(format('%L is not a subdivision code', p_subdivision));
            END IF;
            INSERT INTO public.presences (policy_id, country, subdivision, version)
            VALUES (p_policy, p_country, coalesce(p_subdivision, ''), 1)
            RETURNING id INTO new_id;
            PERFORM {s}._feed('presence', new_id::text, 'created');
            RETURN new_id;
        EXCEPTION WHEN unique_violation THEN
            PERFORM {s}._invalid('that presence is named already');
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.delete_presence(p_id bigint, p_version integer)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        BEGIN
            PERFORM {s}._lead('Editing calendars');
            DELETE FROM public.presences p WHERE p.id = p_id AND p.version = p_version;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE = format(
                    'presence %s was changed by someone else; nothing was saved', p_id);
            END IF;
            PERFORM {s}._feed('presence', p_id::text, 'deleted');
        END $f$""",
        # ---------------------------------------------------------------- handovers
        f"""CREATE OR REPLACE FUNCTION {s}.hand_over(
            p_start timestamptz, p_end timestamptz, p_note text, p_ticket_notes jsonb)
        RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            me record;
            new_id bigint;
            k text;
            v jsonb;
        BEGIN
            SELECT * INTO me FROM {s}._caller();
            IF p_start IS NULL OR p_end IS NULL OR p_end <= p_start THEN
                PERFORM {s}._invalid('a handover window ends after it starts');
            END IF;
            IF length(coalesce(p_note, '')) > {MAX_TEXT} THEN
                PERFORM {s}._invalid('the handover note is longer than {MAX_TEXT:,} characters');
            END IF;
            IF jsonb_typeof(coalesce(p_ticket_notes, '{{}}'::jsonb)) <> 'object' THEN
                PERFORM {s}._invalid('the ticket notes must be a JSON object');
            END IF;
            FOR k, v IN SELECT * FROM jsonb_each(coalesce(p_ticket_notes, '{{}}'::jsonb)) LOOP
                IF jsonb_typeof(v) <> 'string' OR length(v #>> '{{}}') > {MAX_TEXT} THEN
                    PERFORM {s}._invalid(format('the note on %s must be a text', k));
                END IF;
                IF NOT EXISTS (SELECT FROM public.tickets tk WHERE tk.key = k) THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC404', MESSAGE = format('no ticket %L', k);
                END IF;
            END LOOP;
            INSERT INTO public.handovers (author, created_at, window_start, window_end, note,
                ticket_notes, version)
            VALUES (me.name, now(), p_start, p_end, coalesce(p_note, ''),
                coalesce(p_ticket_notes, '{{}}'::jsonb)::json, 1)
            RETURNING id INTO new_id;
            PERFORM {s}._feed('handover', new_id::text, 'created');
            RETURN new_id;
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.acknowledge_handover(p_id bigint, p_version integer)
        RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            me record;
            h record;
        BEGIN
            SELECT * INTO me FROM {s}._caller();
            SELECT * INTO h FROM public.handovers WHERE id = p_id FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SC404',
                    MESSAGE = format('no handover %s', p_id);
            END IF;
            IF h.version IS DISTINCT FROM p_version THEN
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE = format(
                    'handover %s was changed by someone else (you saw version %s, it is now '
                    'at version %s); nothing was saved', p_id, p_version, h.version);
            END IF;
            IF h.acknowledged_by IS NOT NULL THEN
                PERFORM {s}._invalid(format('this handover was acknowledged by %s already',
                                            h.acknowledged_by));
            END IF;
            IF h.author = me.name THEN
                PERFORM {s}._invalid('a handover is acknowledged by someone else than its '
                                     'author');
            END IF;
            UPDATE public.handovers SET acknowledged_by = me.name, acknowledged_at = now(),
                version = version + 1
            WHERE id = p_id;
            PERFORM {s}._feed('handover', p_id::text, 'updated');
            RETURN h.version + 1;
        END $f$""",
        *_mail_sql(),
        # Functions are executable by PUBLIC when created: none of these is.
        f"DO $$DECLARE f regprocedure; BEGIN FOR f IN SELECT p.oid::regprocedure "
        f"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = '{s}' LOOP "
        f"EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f); END LOOP; END$$",
    ]


def _mail_sql() -> list[str]:
    """The leads' commands of the mail channel: the mailbox's settings (no secrets), the
    addresses that name customers, and a message put aside for good."""
    s = SCHEMA
    return [
        f"""CREATE OR REPLACE FUNCTION {s}.configure_mail(
            p_data jsonb, p_version integer, p_token text)
        RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            current_version integer;
        BEGIN
            PERFORM {s}._lead('Configuring the team mailbox');
            IF jsonb_typeof(p_data) IS DISTINCT FROM 'object' OR NOT p_data ? 'address'
               OR NOT p_data ? 'imap' OR NOT p_data ? 'smtp' THEN
                PERFORM {s}._invalid('mail settings need an address, an IMAP and an SMTP server');
            END IF;
            IF p_data::text ~* '"password"' THEN
                PERFORM {s}._invalid('passwords are never stored in the database');
            END IF;
            SELECT version INTO current_version FROM public.mail_settings WHERE id = 1
            FOR UPDATE;
            IF NOT FOUND THEN
                IF p_version <> 0 THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE =
                        'the mailbox settings were removed meanwhile; nothing was saved';
                END IF;
                IF p_token !~ '^[a-z0-9]{{8,32}}$' THEN
                    PERFORM {s}._invalid('a mailbox token is 8 to 32 lower-case letters or digits');
                END IF;
                INSERT INTO public.mail_settings (id, data, token, version)
                VALUES (1, p_data::json, p_token, 1);
                PERFORM {s}._feed('mail', 'settings', 'updated');
                RETURN 1;
            END IF;
            IF current_version IS DISTINCT FROM p_version THEN
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE = format(
                    'the mailbox settings were changed by someone else (you saw version %s, '
                    'they are now at version %s); nothing was saved', p_version,
                    current_version);
            END IF;
            UPDATE public.mail_settings SET data = p_data::json, version = version + 1
            WHERE id = 1;
            PERFORM {s}._feed('mail', 'settings', 'updated');
            RETURN current_version + 1;
        END $f$""",
        rf"""CREATE OR REPLACE FUNCTION {s}.set_mail_contact(p_address text, p_customer text)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            buyer bigint;
        BEGIN
            PERFORM {s}._lead('Naming the customer of a mail address');
            IF p_address IS NULL OR p_address !~ '^[^@\s]*@[^@\s]+\.[^@\s]+$'
               OR length(p_address) > 320 THEN
                PERFORM {s}._invalid(format(
                    '%L is not a mail address (someone@example.com) or a domain (@example.com)',
                    p_address));
            END IF;
            DELETE FROM public.mail_contacts WHERE address = lower(p_address);
            IF p_customer IS NOT NULL THEN
                SELECT id INTO buyer FROM public.customers WHERE name = p_customer;
                IF NOT FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'SC404',
                        MESSAGE = format('no customer %L', p_customer);
                END IF;
                INSERT INTO public.mail_contacts (address, customer_id)
                VALUES (lower(p_address), buyer);
            END IF;
            PERFORM {s}._feed('mail', 'contacts', 'updated');
        END $f$""",
        f"""CREATE OR REPLACE FUNCTION {s}.discard_mail(p_id bigint, p_version integer)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_PATH} AS $f$
        DECLARE
            m record;
        BEGIN
            PERFORM {s}._lead('Putting a message aside for good');
            SELECT * INTO m FROM public.mail_messages WHERE id = p_id FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SC404', MESSAGE = format('no message %s', p_id);
            END IF;
            IF m.version IS DISTINCT FROM p_version THEN
                RAISE EXCEPTION USING ERRCODE = 'SC409', MESSAGE =
                    'the message was changed meanwhile; nothing was saved';
            END IF;
            IF m.outcome NOT IN ('triage', 'aside') THEN
                PERFORM {s}._invalid(format('message %s is %s, not waiting for a lead',
                                            p_id, m.outcome));
            END IF;
            UPDATE public.mail_messages SET outcome = 'discarded', version = version + 1,
                reason = format('put aside for good by %s', session_user)
            WHERE id = p_id;
            PERFORM {s}._feed('mail', p_id::text, 'updated');
        END $f$""",
    ]


def privileges_sql(groups: dict[Role, str]) -> list[str]:
    """The statements that make :data:`WRITER` (a role that cannot log in) own the functions
    with exactly the table rights they need, and let each group role (``groups``) read the
    tables and execute its functions: and nothing else. Run by :func:`console.adapters.grants.
    grant` as the tables' owner (or a superuser) with CREATEROLE."""
    s = SCHEMA
    statements = [
        f"DO $$BEGIN CREATE ROLE {WRITER} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$",
        f"ALTER ROLE {WRITER} NOLOGIN NOCREATEDB NOCREATEROLE NOINHERIT",
        # The owner of the tables hands the functions over, so it must be able to act as it.
        f"DO $$BEGIN IF NOT pg_has_role(current_user, '{WRITER}', 'MEMBER') THEN "
        f"EXECUTE format('GRANT {WRITER} TO %I', current_user); END IF; END$$",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {WRITER}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {WRITER}",
        f"GRANT USAGE ON SCHEMA public, {s} TO {WRITER}",
        f"GRANT SELECT ON {s}.event_rules TO {WRITER}",
        *(f"GRANT {rights} ON public.{t} TO {WRITER}" for t, rights in WRITER_TABLES.items()),
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {WRITER}",
        *hand_over_sql(groups),
    ]
    return statements


def hand_over_sql(groups: dict[Role, str]) -> list[str]:
    """The statements that give the functions to :data:`WRITER` and EXECUTE to the groups
    (no role is made: :func:`privileges_sql` does that once, with CREATEROLE)."""
    s = SCHEMA
    every = ", ".join(f'"{g}"' for g in groups.values())
    statements = [
        f"GRANT USAGE ON SCHEMA {s} TO {every}",
        f"GRANT SELECT ON {s}.event_rules TO {every}, {WRITER}",
        # A new owner needs CREATE on the schema for the moment of the hand-over only.
        f"GRANT CREATE ON SCHEMA {s} TO {WRITER}",
        f"DO $$DECLARE f regprocedure; BEGIN FOR f IN SELECT p.oid::regprocedure "
        f"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = '{s}' LOOP "
        f"EXECUTE format('ALTER FUNCTION %s OWNER TO {WRITER}', f); END LOOP; END$$",
        f"REVOKE CREATE ON SCHEMA {s} FROM {WRITER}",
    ]
    for signature, roles in FUNCTIONS.items():
        statements.append(f"REVOKE ALL ON FUNCTION {s}.{signature} FROM PUBLIC, {every}")
        allowed = ", ".join(f'"{groups[r]}"' for r in roles)
        statements.append(f"GRANT EXECUTE ON FUNCTION {s}.{signature} TO {allowed}")
    return statements


def install(connection: Connection) -> None:
    """(Re)create the command functions and the rules table in the open transaction of
    ``connection`` (PostgreSQL), as the tables' owner. Idempotent; :func:`console.adapters.
    grants.grant` hands the functions to :data:`WRITER` and grants EXECUTE."""
    from sqlalchemy import text

    driver = connection.connection.driver_connection
    assert driver is not None
    for statement in install_sql():
        driver.execute(statement.encode())
    connection.execute(
        text(
            f"INSERT INTO {SCHEMA}.event_rules (kind, fields, statuses, lead_only, "
            "lead_unless_free_or_own, needs_open_escalation, moves_clocks, sets) VALUES "
            "(:kind, CAST(:fields AS jsonb), :statuses, :lead_only, :lead_unless_free_or_own, "
            ":needs_open_escalation, :moves_clocks, CAST(:sets AS jsonb))"
        ),
        _rules_rows(),
    )
    # Where `db grant` made the roles already, new or replaced functions go to their owner
    # and their groups at once (no CREATEROLE needed for that).
    roles = connection.execute(
        text(
            "SELECT count(*) FILTER (WHERE rolname = ANY(:names)), "
            "bool_or(rolname = :writer AND pg_has_role(current_user, oid, 'MEMBER')) "
            "FROM pg_roles"
        ),
        {"names": [WRITER, *GROUPS.values()], "writer": WRITER},
    ).one()
    # (Roles are the cluster's: another database's `db grant` may have made them; only
    # an owner who may act as the writer hands the functions over, else `db grant` will.)
    if roles[0] == 1 + len(GROUPS) and roles[1]:
        for statement in hand_over_sql(GROUPS):
            driver.execute(statement.encode())
