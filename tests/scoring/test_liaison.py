"""Leader liaison and 站台 invitations: the pure rules (scoring/liaison.py), with the seed's dates."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scoring import liaison as core
from scoring.taxpayers import RankedTaxpayer, TaxEntry, rank_taxpayers


def top(*ids_groups):
    return [RankedTaxpayer(rank=i, enterprise_id=e, credit_code=f"C{e:04d}", group=g, members=1, total=Decimal(1000 - i))
            for i, (e, g) in enumerate(ids_groups, 1)]


def cand(e, amount="0", group="", new_format=True, in_business=True):
    return core.Candidate(e, f"C{e:04d}", group, new_format, in_business, Decimal(amount))


# -- the served list ---------------------------------------------------------------------------
def test_new_format_picks_skip_the_top_list_its_groups_and_closed_enterprises():
    ranked = top((1, ""), (2, "金城集团"))
    candidates = [cand(1, "900"),                      # already on the top list
                  cand(3, "800", group="金城集团"),      # member of a group on the top list
                  cand(4, "700", in_business=False),   # not in business
                  cand(5, "10", new_format=False),     # not new-format
                  cand(6, "50"), cand(7, "60"), cand(8, "50")]
    assert [c.enterprise_id for c in core.pick_new_format(candidates, ranked, 30)] == [7, 6, 8]


def test_new_format_ties_break_by_credit_code_and_no_tax_counts_as_zero():
    picks = core.pick_new_format([cand(9, "5"), cand(3, "5"), cand(4, "0"), cand(2, "0")], [], 3)
    assert [c.enterprise_id for c in picks] == [3, 9, 2]


def test_the_seed_list_is_200_plus_30_plus_the_top_groups_members():
    """200 taxpayers (groups as one), 30 new-format from the rest, the top groups' other members."""
    entries = [TaxEntry(i, f"C{i:04d}", f"G{i % 5}" if i % 40 == 0 else "", i % 200 == 0, True, Decimal(10_000 - i))
               for i in range(1, 601)]
    ranked = rank_taxpayers(entries, core.TOP_N)
    candidates = [cand(e.enterprise_id, str(e.amount), e.group, new_format=e.enterprise_id % 7 == 0)
                  for e in entries]
    served = core.compose(ranked, candidates)
    by_source = {s: [e for e in served if e.source == s] for s in core.SOURCE_LABELS}
    assert len(by_source[core.TAX]) == 200 and len(by_source[core.NEW_FORMAT]) == 30
    assert [e.rank for e in by_source[core.NEW_FORMAT]] == list(range(1, 31))
    top_ids = {r.enterprise_id for r in ranked}
    assert not top_ids & {e.enterprise_id for e in by_source[core.NEW_FORMAT]}
    heads = {r.group: r.enterprise_id for r in ranked if r.group}
    assert by_source[core.MEMBER] and all(e.via == heads[e.group] for e in by_source[core.MEMBER])
    assert len({e.enterprise_id for e in served}) == len(served)


def test_shortfall_when_fewer_than_30_candidates():
    served = core.compose(top((1, "")), [cand(i, "1") for i in range(2, 12)])
    assert sum(e.source == core.NEW_FORMAT for e in served) == 10


candidates_st = st.lists(
    st.builds(cand, st.integers(1, 60), st.integers(0, 500).map(str), st.sampled_from(["", "A", "B", "C"]),
              st.booleans(), st.booleans()),
    max_size=60, unique_by=lambda c: c.enterprise_id)
top_st = st.lists(st.tuples(st.integers(1, 60), st.sampled_from(["", "A", "B"])), max_size=15,
                  unique_by=lambda t: t[0]).map(lambda pairs: top(*pairs))


@given(candidates_st, top_st, st.integers(0, 40))
def test_new_format_picks_are_the_best_eligible(candidates, ranked, n):
    picks = core.pick_new_format(candidates, ranked, n)
    top_ids, top_groups = {t.enterprise_id for t in ranked}, {t.group for t in ranked if t.group}

    def eligible(c):
        return c.new_format and c.in_business and c.enterprise_id not in top_ids and not (c.group and c.group in top_groups)

    pool = [c for c in candidates if eligible(c)]
    assert all(eligible(c) for c in picks)
    assert len(picks) == min(n, len(pool))
    keys = [(-c.amount, c.credit_code) for c in picks]
    assert keys == sorted(keys)
    left = [c for c in pool if c not in picks]
    assert not picks or all((-c.amount, c.credit_code) > keys[-1] for c in left)


@given(candidates_st, top_st)
def test_compose_lists_each_enterprise_once(candidates, ranked):
    served = core.compose(ranked, candidates)
    ids = [e.enterprise_id for e in served]
    assert len(ids) == len(set(ids))
    assert [e.enterprise_id for e in served if e.source == core.TAX] == [t.enterprise_id for t in ranked]
    heads = {t.group for t in ranked if t.group}
    assert all(e.group in heads and e.via is not None for e in served if e.source == core.MEMBER)


# -- assignments -------------------------------------------------------------------------------
SERVED = [core.ServedEntry(1, core.TAX, 1, "金城集团", Decimal(100)), core.ServedEntry(2, core.NEW_FORMAT, 1, "", Decimal(5)),
          core.ServedEntry(3, core.MEMBER, 1, "金城集团", Decimal(7), via=1)]
DISTRICTS = {1: "张店区", 2: "淄川区", 3: "博山区", 4: "博山区", 5: "沂源县"}


def kinds(assignments):
    return [(p.kind, p.enterprise_id) for p in core.check_assignments(assignments, SERVED, DISTRICTS)]


def test_no_enterprise_is_served_by_a_city_and_a_county_leader():
    # 3 belongs to a group on the city list: covered by the group's city leader, so not by a county leader
    assert kinds([core.Assignment(3, 20, core.COUNTY, "博山区")]) == [(core.OVERLAP, 3)]
    assert kinds([core.Assignment(2, 21, core.COUNTY, "淄川区")]) == [(core.OVERLAP, 2)]
    assert kinds([core.Assignment(4, 20, core.COUNTY, "博山区")]) == []


def test_county_leaders_serve_their_own_county_only():
    assert kinds([core.Assignment(5, 20, core.COUNTY, "博山区")]) == [(core.WRONG_DISTRICT, 5)]


def test_city_leaders_serve_listed_enterprises_and_groups_through_their_head():
    assert kinds([core.Assignment(1, 10, core.CITY), core.Assignment(2, 11, core.CITY)]) == []
    assert kinds([core.Assignment(4, 10, core.CITY)]) == [(core.NOT_SERVED, 4)]
    assert kinds([core.Assignment(3, 10, core.CITY)]) == [(core.MEMBER_ASSIGNED, 3)]


def test_one_leader_per_enterprise_and_level():
    assert kinds([core.Assignment(1, 10, core.CITY), core.Assignment(1, 11, core.CITY)]) == [(core.DUPLICATE, 1)]
    assert kinds([core.Assignment(1, 10, core.CITY), core.Assignment(1, 10, core.CITY)]) == []


def test_unassigned_lists_tax_and_new_format_entries_in_list_order():
    assert core.unassigned(SERVED, [core.Assignment(2, 11, core.CITY)]) == [1]


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(10, 13), st.sampled_from([core.CITY, core.COUNTY]),
                          st.sampled_from(["张店区", "淄川区", "博山区", "沂源县"])), max_size=12))
def test_every_county_assignment_on_a_served_enterprise_is_an_overlap(rows):
    assignments = [core.Assignment(e, leader + (10 if level == core.COUNTY else 0), level, d if level == core.COUNTY else "")
                   for e, leader, level, d in rows]  # county leaders have other ids than city leaders
    problems = {(p.kind, p.enterprise_id, p.leader_id) for p in core.check_assignments(assignments, SERVED, DISTRICTS)}
    covered = {e.enterprise_id for e in SERVED}
    for a in assignments:
        assert ((core.OVERLAP, a.enterprise_id, a.leader_id) in problems) == (a.level == core.COUNTY and a.enterprise_id in covered)
        if a.level == core.CITY:
            assert ((core.NOT_SERVED, a.enterprise_id, a.leader_id) in problems) == (a.enterprise_id not in covered)


# -- county coverage ---------------------------------------------------------------------------
def test_coverage_counts_city_county_and_gaps_per_county():
    enterprises = [core.CountyEnterprise(1, "博山区", True, True), core.CountyEnterprise(2, "博山区", True, True),
                   core.CountyEnterprise(3, "博山区", True, True), core.CountyEnterprise(4, "博山区", False, True),
                   core.CountyEnterprise(5, "博山区", True, False), core.CountyEnterprise(6, "沂源县", True, True)]
    report = core.county_coverage(enterprises, city_covered={1}, county_assigned={2: "博山区", 6: "博山区"},
                                  districts=["博山区", "沂源县", "高青县"])
    bs, yy, gq = report  # sorted by name (code point order)
    assert (bs.district, bs.total, bs.by_city, bs.by_county, bs.gaps, bs.complete) == ("博山区", 3, 1, 1, [3], False)
    assert (gq.total, gq.complete) == (0, True)
    assert (yy.total, yy.by_county, yy.gaps) == (1, 0, [6])  # a 博山区 leader does not cover 沂源县


@given(st.lists(st.tuples(st.integers(1, 40), st.sampled_from(["A区", "B县"]), st.booleans(), st.booleans()),
                unique_by=lambda t: t[0], max_size=40),
       st.sets(st.integers(1, 40)), st.dictionaries(st.integers(1, 40), st.sampled_from(["A区", "B县"])))
def test_coverage_adds_up(rows, city, county):
    enterprises = [core.CountyEnterprise(*r) for r in rows]
    for row in core.county_coverage(enterprises, city, county):
        assert row.covered + len(row.gaps) == row.total
        assert row.by_city + row.by_county - row.overlaps == row.covered
        for e in enterprises:
            if e.district == row.district and e.above_scale and e.in_business:
                served = e.enterprise_id in city or county.get(e.enterprise_id) == e.district
                assert (e.enterprise_id in row.gaps) == (not served)


# -- the seed's dates ----------------------------------------------------------------------------
def test_the_seed_deadlines():
    assert core.due_date(core.LIST_DUE, 2026) == date(2026, 10, 15)         # 10月中旬
    assert core.due_date(core.ASSIGNMENT_DUE, 2026) == date(2026, 10, 20)   # 10月20日
    assert core.due_date(core.CONTACT_DUE, 2026) == date(2026, 10, 31)      # 10月31日
    assert core.due_date(core.COUNTY_PLAN_DUE, 2026) == date(2026, 10, 20)
    assert core.due_date(core.HOTLINE_DUE, 2026) == date(2026, 10, 15)


def test_timeliness_includes_the_due_day():
    due = date(2026, 10, 20)
    assert core.timeliness(date(2026, 10, 20), due, date(2026, 12, 1)) == core.ON_TIME
    assert core.timeliness(date(2026, 10, 21), due, date(2026, 12, 1)) == core.LATE
    assert core.timeliness(None, due, date(2026, 10, 20)) == core.PENDING
    assert core.timeliness(None, due, date(2026, 10, 21)) == core.OVERDUE


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
       st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_timeliness_property(due, done, today):
    state = core.timeliness(done, due, today)
    if done is None:
        assert state == (core.OVERDUE if today > due else core.PENDING)
    else:
        assert state == (core.ON_TIME if done <= due else core.LATE)


def test_direct_contact_by_october_31():
    pairs = [(1, 10), (2, 10), (3, 11)]
    states = core.direct_contact(pairs, {(1, 10): date(2026, 10, 31), (2, 10): date(2026, 11, 1)}, 2026, date(2026, 11, 5))
    assert states == {(1, 10): core.ON_TIME, (2, 10): core.LATE, (3, 11): core.OVERDUE}


def test_list_year_turns_in_october():
    assert core.list_year(date(2026, 9, 30)) == 2025
    assert core.list_year(date(2026, 10, 1)) == 2026
    assert core.list_year(date(2027, 3, 1)) == 2026


# -- appeals -------------------------------------------------------------------------------------
def test_appeals_climb_leader_office_city():
    assert core.next_level(core.LEADER_LEVEL) == core.OFFICE_LEVEL
    assert core.next_level(core.OFFICE_LEVEL) == core.CITY_LEVEL
    assert core.next_level(core.CITY_LEVEL) is None
    start = date(2026, 11, 2)
    assert [core.appeal_deadline(level, start) for level in core.APPEAL_LEVELS] == [
        date(2026, 11, 17), date(2026, 11, 17), date(2026, 12, 2)]


# -- invitations ---------------------------------------------------------------------------------
def test_the_seed_activity_kinds():
    assert list(core.ACTIVITY_KINDS.values()) == ["招才引智", "招商引资", "重大项目洽谈、论证、签约", "重要客商接待", "企业融资",
                                                  "对外合作", "品牌打造", "产品推介", "其他必要的服务企业活动"]


@given(st.none() | st.integers(1, 5), st.none() | st.integers(1, 5))
def test_only_the_liaison_leaders_own_enterprise_invites_directly(invited, liaison_leader):
    route = core.route(invited, liaison_leader)
    assert (route == core.DIRECT) == (invited is not None and invited == liaison_leader)
    assert core.first_state(route) == (core.AWAITING if route == core.DIRECT else core.SCREEN)


def test_invitation_moves():
    assert core.can_move(core.SCREEN, core.AWAITING) and core.can_move(core.SCREEN, core.SCREENED_OUT)
    assert core.can_move(core.AWAITING, core.ACCEPTED) and core.can_move(core.ACCEPTED, core.ATTENDED)
    assert not core.can_move(core.SCREEN, core.ACCEPTED)      # nothing reaches a leader unscreened
    assert not core.can_move(core.AWAITING, core.ATTENDED)    # attended only after an acceptance
    for state in core.FINAL_STATES:
        assert not any(core.can_move(state, t) for t in core.INVITATION_STATES)
    assert core.FINAL_STATES == {core.SCREENED_OUT, core.DECLINED, core.ATTENDED, core.CANCELLED}


@pytest.mark.parametrize("offset, ok", [(-1, False), (0, True), (1, True)])
def test_activity_day_and_attendance(offset, ok):
    today = date(2026, 12, 4)
    day = today + timedelta(days=offset)
    assert (core.check_activity_day(day, today) is None) == ok
    assert core.attendance_open(day, today) == (offset <= 0)


def test_invitation_numbers_per_year():
    assert core.invitation_number(2026, 7) == "站台邀〔2026〕0007号"


@given(st.integers(2000, 2100), st.integers(1, 9999), st.integers(1, 9999))
def test_numbers_differ_for_different_sequences(year, a, b):
    assume(a != b)
    assert core.invitation_number(year, a) != core.invitation_number(year, b)
