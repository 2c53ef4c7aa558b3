"""Clock projections as stored (``tickets.clock_plan``) and the bulk-read helpers."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from console.adapters.bulk import collection_paused
from console.adapters.sql_rows import ProjectionReader, projection_from, projection_text
from console.domain.model import ClockProjection, Metric, ProjectedClock, Status

_instants = st.datetimes(
    min_value=datetime(1960, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)


@st.composite
def projected_clocks(draw: st.DrawFn) -> ProjectedClock:
    points = sorted(draw(st.lists(_instants, max_size=6)))
    spans = tuple(zip(points[0::2], points[1::2], strict=False))
    paused = draw(st.booleans())
    return ProjectedClock(
        draw(st.sampled_from(Metric)),
        draw(st.text(min_size=1, max_size=12)),
        timedelta(microseconds=draw(st.integers(0, 10**13))),
        spans,
        None if paused else draw(_instants),
        draw(st.sampled_from([Status.AWAITING_CUSTOMER, Status.ON_HOLD])) if paused else None,
    )


projections = st.builds(
    ClockProjection,
    _instants,
    st.lists(projected_clocks(), max_size=3).map(tuple),
    st.one_of(
        st.just(""), st.text(alphabet="0123456789abcdef", min_size=16, max_size=16), st.text()
    ),
)


@given(projections)
def test_a_projection_reads_back_as_written(projection: ClockProjection) -> None:
    assert projection_from(projection_text(projection)) == projection


def test_a_projection_with_no_clock_reads_back_as_written() -> None:
    for as_of in (
        datetime(2026, 11, 20, 14, 30, 0, 5, tzinfo=UTC),
        datetime(1969, 7, 20, tzinfo=UTC),
    ):
        for basis in ("", "c540443a088a45bc", 'a "quoted" basis'):
            projection = ClockProjection(as_of, (), basis)
            text = projection_text(projection)
            assert text is not None and text.endswith(",[]]")
            assert projection_from(text) == projection
            quick = ProjectionReader().empty_projection(text)  # read without JSON when it can be
            assert quick == (projection if '"' not in basis else None)


def test_only_what_projection_text_writes_is_read_without_json() -> None:
    read = ProjectionReader()
    for text in (
        '[1,0123,"c540443a088a45bc",[]]',  # a leading zero is not JSON
        '[1,\u0661\u0662,"c540443a088a45bc",[]]',  # nor are other digits
        '[1, 5,"c540443a088a45bc",[]]',
        '[1,5,"C540443A",[]]',
        '[2,5,"c540443a088a45bc",[]]',
    ):
        assert read.empty_projection(text.encode().decode("unicode_escape")) is None, text
    assert read.empty_projection('[1,-5,"",[]]') == ClockProjection(
        datetime(1970, 1, 1, tzinfo=UTC) - timedelta(microseconds=5), (), ""
    )


def test_no_projection_or_a_projection_of_another_format_reads_as_none() -> None:
    assert projection_text(None) is None
    assert projection_from(None) is None and projection_from("") is None
    assert projection_from('[2,1795185000000000,"c540443a088a45bc",[]]') is None
    assert projection_from('[2,1795185000000000,"c540443a088a45bc",[["x",1,2,3]]]') is None


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_the_collector_is_restored_after_an_error() -> None:
    try:
        with collection_paused():
            raise RuntimeError("the read failed")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_blocks_restore_the_collector_when_the_last_ends() -> None:
    entered = threading.Event()
    release = threading.Event()

    def other() -> None:
        with collection_paused():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(10)
    with collection_paused():
        pass
    assert not gc.isenabled()  # the other thread's block is still open
    release.set()
    thread.join(10)
    assert gc.isenabled()
