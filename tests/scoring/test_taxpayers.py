"""Top taxpayers: groups rank together by their total, represented by the head enterprise."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.taxpayers import TaxEntry, rank_taxpayers


def entry(i, amount, group="", head=False, in_business=True):
    return TaxEntry(enterprise_id=i, credit_code=f"C{i:03d}", group=group, group_head=head,
                    in_business=in_business, amount=Decimal(amount))


def test_group_ranks_by_total_and_head_stands_for_it():
    entries = [
        entry(1, "500"),                       # single enterprise
        entry(2, "300", "金城集团", head=True),  # group total 300 + 250 = 550 beats 500
        entry(3, "250", "金城集团"),
        entry(4, "400"),
    ]
    ranked = rank_taxpayers(entries, 200)
    assert [(r.rank, r.enterprise_id, r.total, r.members) for r in ranked] == [
        (1, 2, Decimal("550"), 2), (2, 1, Decimal("500"), 1), (3, 4, Decimal("400"), 1)]


def test_group_without_flagged_head_is_represented_by_its_largest_member():
    ranked = rank_taxpayers([entry(1, "10", "G"), entry(2, "30", "G"), entry(3, "20", "G")], 5)
    assert [(r.enterprise_id, r.total) for r in ranked] == [(2, Decimal("60"))]


def test_closed_enterprises_leave_the_list_but_their_tax_counts_for_the_group():
    ranked = rank_taxpayers([entry(1, "900", in_business=False), entry(2, "100", "G", head=True),
                             entry(3, "50", "G", in_business=False)], 5)
    assert [(r.enterprise_id, r.total, r.members) for r in ranked] == [(2, Decimal("150"), 2)]


def test_closed_head_passes_to_the_largest_member_in_business():
    ranked = rank_taxpayers([entry(1, "900", "G", head=True, in_business=False), entry(2, "100", "G"),
                             entry(3, "200", "G")], 5)
    assert [(r.enterprise_id, r.total) for r in ranked] == [(3, Decimal("1200"))]


def test_n_cuts_the_list_and_ties_break_by_credit_code():
    ranked = rank_taxpayers([entry(3, "100"), entry(1, "100"), entry(2, "100")], 2)
    assert [r.enterprise_id for r in ranked] == [1, 2]


def test_exact_decimals():
    ranked = rank_taxpayers([entry(1, "0.10", "G"), entry(2, "0.20", "G", head=True)], 1)
    assert ranked[0].total == Decimal("0.30")


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def tax_entries(draw):
    n = draw(st.integers(0, 40))
    out = []
    for i in range(n):
        group = draw(st.sampled_from(["", "", "A", "B", "C"]))
        out.append(entry(i, draw(amounts), group, head=draw(st.booleans()) and group != "" and
                         not any(e.group == group and e.group_head for e in out),
                         in_business=draw(st.booleans())))
    return out


@given(tax_entries(), st.integers(0, 50))
def test_properties(entries, n):
    ranked = rank_taxpayers(entries, n)
    assert len(ranked) <= n
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.total >= b.total for a, b in zip(ranked, ranked[1:]))
    by_id = {e.enterprise_id: e for e in entries}
    for r in ranked:
        rep = by_id[r.enterprise_id]
        assert rep.in_business
        members = [e for e in entries if (e.group and e.group == rep.group) or e.enterprise_id == rep.enterprise_id]
        assert r.total == sum((m.amount for m in members), Decimal(0))
        assert r.members == len(members)
    groups = [r.group for r in ranked if r.group]
    assert len(groups) == len(set(groups))  # a group appears once


@given(tax_entries(), st.integers(0, 50))
def test_ranking_summed_groups_with_only_their_possible_representatives_gives_the_same_list(entries, n):
    """What the database path feeds the core (each group's exact total and member count, and of its
    members only the heads in business and the largest member in business) ranks exactly as all
    the rows do."""
    from scoring.taxpayers import GroupTotal, group_key, rank_groups, summarise

    reduced = []
    for group in summarise(entries):
        active = [m for m in group.candidates if m.in_business]
        heads = [m for m in active if m.group_head]
        largest = sorted(active, key=lambda m: (-m.amount, m.credit_code))[:1]
        reduced.append(GroupTotal(group.total, group.members, tuple(heads + largest)))
        assert len({group_key(m) for m in group.candidates}) == 1
    assert rank_groups(reduced, n) == rank_taxpayers(entries, n)


def test_a_group_flagging_two_heads_is_represented_by_the_larger():
    ranked = rank_taxpayers([entry(1, "100", "G", head=True), entry(2, "300", "G", head=True), entry(3, "900", "G")], 1)
    assert ranked[0].enterprise_id == 2 and ranked[0].total == Decimal("1300")
