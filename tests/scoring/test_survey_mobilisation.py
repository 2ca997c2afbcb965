"""动员部署's pure rules (scoring.survey): when a self-check deadline stands, and which departments
are in, late, still due or overdue on a given day. The seed's calendar: notice at the end of
November (11-30), evaluation in mid-December (12-15)."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import survey as S

NOTICE, EVALUATION, TODAY = date(2026, 11, 30), date(2026, 12, 15), date(2026, 12, 5)


@pytest.mark.parametrize("issued_on, due, message", [
    (NOTICE, date(2026, 12, 10), None),
    (NOTICE, NOTICE, None),                                   # the issue day itself is allowed
    (NOTICE, date(2026, 12, 14), None),                       # the day before the evaluation
    (NOTICE, EVALUATION, "应早于组织评议日（2026-12-15）"),      # not on the evaluation day
    (NOTICE, date(2026, 12, 20), "应早于组织评议日"),
    (NOTICE, date(2026, 11, 29), "不能早于通知下发日期（2026-11-30）"),
    (date(2026, 12, 6), date(2026, 12, 10), "不能晚于今天"),    # recorded once issued
])
def test_deadline_validity(issued_on, due, message):
    problem = S.self_check_deadline_problem(issued_on, due, EVALUATION, TODAY)
    assert problem is None if message is None else message in problem


def test_status_on_a_day():
    due = date(2026, 12, 10)
    assert S.self_check_status(due, date(2026, 12, 10), date(2026, 12, 20)) == S.ON_TIME   # the deadline day counts
    assert S.self_check_status(due, date(2026, 12, 11), date(2026, 12, 20)) == S.LATE
    assert S.self_check_status(due, None, date(2026, 12, 10)) == S.DUE
    assert S.self_check_status(due, None, date(2026, 12, 11)) == S.OVERDUE


def test_summary_of_the_seed_list():
    """59 departments (40 + 19): 50 on time, 3 late, 6 missing after the deadline."""
    due = date(2026, 12, 10)
    submitted = [date(2026, 12, 8)] * 50 + [date(2026, 12, 12)] * 3 + [None] * 6
    summary = S.self_check_summary(due, submitted, date(2026, 12, 13))
    assert (summary.received, summary.total, summary.overdue, summary.late) == (53, 59, 6, 3)
    assert not summary.complete
    before = S.self_check_summary(due, submitted, due)
    assert before.overdue == 0 and before.received == 53


days = st.dates(min_value=date(2026, 10, 1), max_value=date(2027, 1, 31))


@given(due=days, today=days, submitted=st.lists(st.one_of(st.none(), days), max_size=70))
def test_every_department_is_in_exactly_one_state(due, today, submitted):
    summary = S.self_check_summary(due, submitted, today)
    states = [S.self_check_status(due, s, today) for s in submitted]
    assert summary.received + summary.overdue + states.count(S.DUE) == summary.total == len(submitted)
    assert summary.received == sum(s is not None for s in submitted)      # a report in is never overdue
    assert summary.overdue == (0 if today <= due else submitted.count(None))
    assert summary.late == sum(s is not None and s > due for s in submitted)


@given(issued=days, due=days, evaluation=days, today=days)
def test_a_deadline_that_stands_lies_between_issue_and_evaluation(issued, due, evaluation, today):
    ok = S.self_check_deadline_problem(issued, due, evaluation, today) is None
    assert ok == (issued <= today and issued <= due < evaluation)
    assert ok or S.self_check_deadline_problem(issued, due, evaluation, today)   # a refusal says why
    if ok:
        assert S.self_check_deadline_problem(issued, due + timedelta(days=(evaluation - due).days), evaluation,
                                             today) is not None               # moved onto the evaluation day
