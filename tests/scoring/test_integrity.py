"""The integrity core: 3-year restriction windows at their edges, leap days, revocation,
overlapping records, certificate codes."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.integrity import (
    ADMONISHMENT, CODE_CHARS, DECISIONS, RESTRICTIONS, TRACKING_CHARS, IntegrityError, RecordFacts, add_years, canonical_content, earliest_in_force,
    format_code, normalise_code, restricted_until, restrictions_on,
)

DAY = timedelta(days=1)


def record(decision_date, decision="demerit", revoked=False, record_id=1):
    return RecordFacts(record_id=record_id, decision=decision, decision_date=decision_date, revoked=revoked)


def kinds(records, day):
    return [r.kind for r in restrictions_on(records, day)]


def test_window_edges_of_an_ordinary_date():
    rec = record(date(2023, 11, 24))
    assert kinds([rec], date(2023, 11, 23)) == []                         # the day before the decision
    assert kinds([rec], date(2023, 11, 24)) == list(RESTRICTIONS)         # the decision day itself
    assert kinds([rec], date(2026, 11, 23)) == list(RESTRICTIONS)         # the day before the 3rd anniversary
    assert kinds([rec], date(2026, 11, 24)) == []                         # the anniversary: lifted
    assert restricted_until([rec], date(2025, 1, 1)) == date(2026, 11, 23)


def test_all_five_restrictions_of_the_seed():
    labels = [r.label for r in restrictions_on([record(date(2026, 1, 5))], date(2026, 6, 1))]
    assert labels == ["调离并不得从事涉企执法、管理、服务岗位", "不得提拔重用", "不得晋升职级", "不得评为优秀等次",
                      "不得参与评先树优"]


def test_decision_on_29_february_ends_on_28_february():
    rec = record(date(2024, 2, 29))
    assert add_years(date(2024, 2, 29), 3) == date(2027, 3, 1)
    assert rec.last_day == date(2027, 2, 28)
    assert kinds([rec], date(2027, 2, 28)) == list(RESTRICTIONS)
    assert kinds([rec], date(2027, 3, 1)) == []
    assert kinds([rec], date(2024, 2, 28)) == []


def test_years_beyond_the_calendar_stop_at_its_ends():
    """The CLI fuzz test found `--on 0001-10-01` crashing (year -2): the earliest record that could
    be in force on a day in year 1 is simply the first day there is."""
    assert add_years(date(1, 10, 1), -3) == date.min and earliest_in_force(date(1, 10, 1)) == date.min
    assert earliest_in_force(date.max) <= date.max
    assert add_years(date(9998, 5, 1), 3) == date.max
    assert add_years(date(3, 1, 1), -2) == date(1, 1, 1)


def test_window_that_contains_a_leap_day():
    rec = record(date(2025, 3, 1))          # anniversary 2028-03-01; 2028-02-29 is the last day
    assert rec.last_day == date(2028, 2, 29)
    assert kinds([rec], date(2028, 2, 29)) == list(RESTRICTIONS)
    assert kinds([rec], date(2028, 3, 1)) == []
    rec = record(date(2023, 2, 28))         # anniversary 2026-02-28; no leap day involved
    assert rec.last_day == date(2026, 2, 27)
    assert kinds([rec], date(2026, 2, 28)) == []


@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_every_disciplinary_decision_restricts(decision):
    assert kinds([record(date(2026, 1, 1), decision)], date(2026, 1, 1)) == list(RESTRICTIONS)


def test_admonishment_restricts_nothing():
    assert restrictions_on([record(date(2026, 1, 1), ADMONISHMENT)], date(2026, 1, 1)) == []


def test_revoked_record_restricts_nothing_on_any_day():
    rec = record(date(2025, 6, 1), revoked=True)
    for day in (date(2025, 6, 1), date(2026, 1, 1), date(2028, 5, 31)):
        assert restrictions_on([rec], day) == []


def test_revoking_one_of_two_records_keeps_the_other():
    a = record(date(2024, 1, 10), record_id=1)
    b = record(date(2025, 7, 1), record_id=2)
    day = date(2026, 3, 1)
    assert restrictions_on([a, b], day)[0].record_ids == (1, 2)
    revoked_a = RecordFacts(1, "demerit", date(2024, 1, 10), revoked=True)
    found = restrictions_on([revoked_a, b], day)
    assert found[0].record_ids == (2,) and found[0].since == date(2025, 7, 1)


def test_overlapping_records_extend_the_period():
    a = record(date(2023, 1, 1), record_id=1)   # last day 2025-12-31
    b = record(date(2025, 6, 1), record_id=2)   # last day 2028-05-31
    found = restrictions_on([a, b], date(2024, 1, 1))
    assert found[0].since == date(2023, 1, 1) and found[0].until == date(2028, 5, 31) and found[0].record_ids == (1,)
    found = restrictions_on([a, b], date(2026, 1, 1))
    assert found[0].record_ids == (2,) and found[0].since == date(2023, 1, 1)


def test_touching_windows_join_but_a_gap_does_not():
    a = record(date(2020, 1, 1), record_id=1)   # last day 2022-12-31
    touching = record(date(2023, 1, 1), record_id=2)
    assert restricted_until([a, touching], date(2021, 1, 1)) == date(2025, 12, 31)
    gap = record(date(2023, 1, 2), record_id=3)
    assert restricted_until([a, gap], date(2021, 1, 1)) == date(2022, 12, 31)
    assert restrictions_on([a, gap], date(2023, 1, 1)) == []
    assert restrictions_on([a, gap], date(2023, 1, 2))[0].since == date(2023, 1, 2)


def test_unknown_decision_is_refused():
    with pytest.raises(IntegrityError, match="未知的处理决定"):
        record(date(2026, 1, 1), "fine")


# -- properties ---------------------------------------------------------------------------
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
decisions = st.sampled_from(sorted(DECISIONS) + [ADMONISHMENT])
records = st.lists(st.builds(RecordFacts, record_id=st.integers(1, 10**6), decision=decisions,
                             decision_date=dates, revoked=st.booleans()), max_size=6)


@given(dates)
def test_window_is_three_calendar_years(day):
    rec = record(day)
    anniversary = rec.last_day + DAY
    assert (anniversary - day).days in (3 * 365, 3 * 365 + 1)
    assert anniversary.year == day.year + 3
    assert (anniversary.month, anniversary.day) == ((day.month, day.day) if (day.month, day.day) != (2, 29) else (3, 1))
    assert rec.in_force_on(day) and rec.in_force_on(rec.last_day)
    assert not rec.in_force_on(day - DAY) and not rec.in_force_on(anniversary)


@given(dates, dates)
def test_earliest_in_force_is_the_exact_boundary(decision_date, day):
    assert record(decision_date).in_force_on(day) == (earliest_in_force(day) <= decision_date <= day)


def test_earliest_in_force_around_leap_days():
    assert earliest_in_force(date(2027, 2, 28)) == date(2024, 2, 29)   # its last day
    assert earliest_in_force(date(2027, 3, 1)) == date(2024, 3, 2)    # 2024-02-29 and 03-01 lifted today
    assert earliest_in_force(date(2028, 2, 29)) == date(2025, 3, 1)
    assert earliest_in_force(date(2026, 11, 23)) == date(2023, 11, 24)


@given(records, dates)
def test_restricted_exactly_when_one_record_is_in_force(recs, day):
    found = restrictions_on(recs, day)
    in_force = sorted(r.record_id for r in recs if r.in_force_on(day))
    assert bool(found) == bool(in_force)
    if found:
        assert [r.kind for r in found] == list(RESTRICTIONS)
        assert list(found[0].record_ids) == in_force


@given(records, dates)
def test_period_bounds_are_tight(recs, day):
    found = restrictions_on(recs, day)
    if not found:
        return
    since, until = found[0].since, found[0].until
    assert since <= day <= until
    # Every day of the period is restricted; the days just outside it are free.
    for probe in (since, until, since + (until - since) // 2):
        assert restrictions_on(recs, probe)
    assert not restrictions_on(recs, since - DAY) and not restrictions_on(recs, until + DAY)


@given(records, dates)
def test_revoked_and_admonishment_records_never_matter(recs, day):
    kept = [r for r in recs if r.restricts]
    assert restrictions_on(recs, day) == restrictions_on(kept, day)


# -- certificate codes ----------------------------------------------------------------------
def test_canonical_content_is_order_independent_and_exact():
    a = canonical_content({"b": 1, "a": "王", "d": date(2024, 2, 29)})
    b = canonical_content({"d": date(2024, 2, 29), "a": "王", "b": 1})
    assert a == b == '{"a":"王","b":1,"d":"2024-02-29"}'


@given(st.binary(min_size=32, max_size=32))
def test_code_format_roundtrip(raw):
    code = format_code(raw.hex())
    assert len(code) == CODE_CHARS + 4 and code.count("-") == 4
    assert normalise_code(code) == code
    assert normalise_code(code.lower().replace("-", " ")) == code


def test_typed_look_alikes_are_forgiven_and_garbage_refused():
    code = format_code("00" * 32)  # all 'A'
    assert normalise_code("aaaa aaaa aaaa aaaa aaaa") == code
    assert normalise_code("0000-0000-0000-0000-0000") == "OOOO-OOOO-OOOO-OOOO-OOOO"
    for bad in ("", "ABCD", "ABCD-EFGH-IJKL-MNOP-QRS?", "A" * 21):
        with pytest.raises(IntegrityError, match="20 位字母和数字"):
            normalise_code(bad)


def test_tracking_codes_are_longer():
    code = format_code("ab" * 20, TRACKING_CHARS)
    assert len(code.replace("-", "")) == TRACKING_CHARS
    assert normalise_code(code.lower(), TRACKING_CHARS) == code
    with pytest.raises(IntegrityError, match="32 位"):
        normalise_code(code[:-1], TRACKING_CHARS)
    with pytest.raises(ValueError):
        format_code("ab" * 10, TRACKING_CHARS)
