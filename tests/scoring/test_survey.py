"""The survey's pure core: the ⌊N/3⌋ cap, exact scores, competition ranks, outcomes, the chain.
Numbers from the seed plan: 40 enforcement and 19 service departments, 100/80/30 points."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import survey as S
from scoring.survey import BASIC, BLANK, DISSATISFIED, SATISFIED, UNKNOWN, UNREADABLE


def departments(n_enforcement=40, n_service=19):
    return ([S.Department(f"E{i:02d}", f"执法部门{i}", "enforcement") for i in range(n_enforcement)]
            + [S.Department(f"S{i:02d}", f"服务部门{i}", "service") for i in range(n_service)])


def codes_of(depts, category):
    return [d.code for d in depts if d.category == category]


def part(n, satisfied=0, dissatisfied=0, basic=0, unknown=0):
    row = [SATISFIED] * satisfied + [DISSATISFIED] * dissatisfied + [BASIC] * basic + [UNKNOWN] * unknown
    assert len(row) <= n
    return row + [BLANK] * (n - len(row))


def parts(rows, prefix="b"):
    return S.Parts([f"{prefix}{i:04d}" for i in range(len(rows))], np.asarray(rows, dtype=np.uint8))


# -- the cap ----------------------------------------------------------------------------------
def test_cap_is_a_third_rounded_down_with_the_seed_numbers():
    assert S.cap(40) == 13 and S.cap(19) == 6
    assert [S.cap(n) for n in (0, 1, 2, 3, 5, 6)] == [0, 0, 0, 1, 1, 2]


@pytest.mark.parametrize("n, limit", [(40, 13), (19, 6)])
def test_a_part_at_the_cap_passes_and_one_over_fails_naming_count_and_limit(n, limit):
    codes = [f"D{i}" for i in range(n)]
    assert S.check_part(part(n, satisfied=limit, dissatisfied=limit), codes) is None
    reason = S.check_part(part(n, satisfied=limit + 1), codes)
    assert reason == f"“满意”选了 {limit + 1} 个，超过上限 {limit} 个（{n} 个部门的三分之一）"
    reason = S.check_part(part(n, dissatisfied=limit + 1), codes)
    assert f"“不满意”选了 {limit + 1} 个，超过上限 {limit} 个" in reason
    both = S.check_part(part(n, satisfied=limit + 1, dissatisfied=limit + 2), codes)
    assert "满意”选了" in both and f"“不满意”选了 {limit + 2} 个" in both


def test_basic_and_unknown_have_no_cap():
    codes = [f"D{i}" for i in range(40)]
    assert S.check_part(part(40, basic=30, unknown=10), codes) is None
    assert S.check_part(part(40, unknown=40), codes) is None


def test_an_unreadable_mark_makes_the_part_invalid():
    codes = [f"D{i}" for i in range(19)]
    row = part(19, satisfied=2)
    row[5] = UNREADABLE
    assert S.check_part(row, codes) == "部门 D5 的评价无法识别"


@given(n=st.integers(1, 80), data=st.data())
def test_property_cap_boundary(n, data):
    limit = S.cap(n)
    codes = [f"D{i}" for i in range(n)]
    rest = n - limit
    other = data.draw(st.integers(0, min(limit, rest)))
    at_cap = part(n, satisfied=limit, dissatisfied=other)
    perm = data.draw(st.permutations(range(n)))
    assert S.check_part([at_cap[i] for i in perm], codes) is None
    if limit + 1 <= n:
        over = part(n, satisfied=limit + 1)
        assert S.check_part([over[i] for i in perm], codes) is not None
        over = part(n, dissatisfied=limit + 1)
        assert S.check_part([over[i] for i in perm], codes) is not None


# -- invalid parts and the tally -------------------------------------------------------------
def test_an_invalid_part_is_left_out_of_its_category_only():
    depts = departments()
    enforcement = parts([part(40, satisfied=14), part(40, satisfied=1, basic=39)])
    service = parts([part(19, satisfied=6), part(19, dissatisfied=1)])
    tally = S.tally(depts, {"enforcement": enforcement, "service": service})
    assert tally.valid_parts == {"enforcement": 1, "service": 2}
    assert [(r.ballot_id, r.category) for r in tally.rejected] == [("b0000", "enforcement")]
    assert "超过上限 13 个" in tally.rejected[0].reason
    by_code = {r.code: r for r in tally.results}
    assert (by_code["E00"].satisfied, by_code["E00"].basic) == (1, 0)     # the 14 满意 were not counted
    assert (by_code["E01"].satisfied, by_code["E01"].basic) == (0, 1)
    assert (by_code["S00"].satisfied, by_code["S00"].dissatisfied) == (1, 1)  # service part of b0000 counts


def test_rows_rated_twice_foreign_department_and_unknown_rating_invalidate_the_part():
    depts = departments(4, 3)
    rows = [
        ("twice", None, "E00", "满意"), ("twice", None, "E00", "不满意"), ("twice", None, "S00", "满意"),
        ("foreign", "service", "E01", "basic"), ("foreign", "service", "S01", "basic"),
        ("word", None, "E02", "很好"),
        ("ok", None, "E03", "基本满意"), ("ok", None, "S02", "unknown"),
    ]
    built = S.parts_from_rows(depts, rows)
    tally = S.tally(depts, built)
    reasons = {(r.ballot_id, r.category): r.reason for r in tally.rejected}
    assert reasons == {
        ("twice", "enforcement"): "部门 E00 评价了 2 次",
        ("foreign", "service"): "部门 E01 不属于服务类",
        ("word", "enforcement"): "部门 E02 的评价无法识别",
    }
    by_code = {r.code: r for r in tally.results}
    assert by_code["S00"].satisfied == 1      # the service part of "twice" is valid
    assert by_code["E03"].basic == 1 and by_code["S02"].unknown == 1
    assert by_code["S01"].basic == 0          # the part with a foreign department is out


def test_unknown_department_or_category_is_an_input_error():
    depts = departments(2, 1)
    with pytest.raises(S.InputError, match="第 3 行：未知的部门代码“XYZ”"):
        S.parts_from_rows(depts, [("b", None, "E00", "满意"), ("b", None, "XYZ", "满意")])
    with pytest.raises(S.InputError, match="未知的类别"):
        S.parts_from_rows(depts, [("b", "other", "E00", "满意")])


def test_blank_is_not_rated_and_unknown_is_counted_but_not_scored():
    depts = departments(3, 1)
    tally = S.tally(depts, {"enforcement": parts([[SATISFIED, UNKNOWN, BLANK], [BASIC, UNKNOWN, BLANK]])})
    by_code = {r.code: r for r in tally.results}
    assert by_code["E00"].score == 90
    assert (by_code["E01"].unknown, by_code["E01"].score, by_code["E01"].rank) == (2, None, None)
    assert (by_code["E02"].unknown, by_code["E02"].score) == (0, None)
    assert by_code["E01"].outcome == "" and by_code["S00"].score is None


# -- scores -----------------------------------------------------------------------------------
def test_score_formula_with_the_seed_points():
    assert S.score(3, 2, 1) == Fraction(100 * 3 + 80 * 2 + 30 * 1, 6)
    assert S.score(1, 0, 0) == 100 and S.score(0, 1, 0) == 80 and S.score(0, 0, 1) == 30
    assert S.score(0, 0, 0) is None
    assert S.format_score(S.score(3, 2, 1)) == "81.67"


def test_display_rounds_half_up_from_the_exact_fraction():
    value = S.score(0, 1, 15)            # (80 + 450) / 16 = 33.125 exactly
    assert value == Fraction(265, 8)
    assert f"{float(value):.2f}" == "33.12"  # what float formatting would show
    assert S.format_score(value) == "33.13"
    assert S.format_score(Fraction(100)) == "100.00" and S.format_score(Fraction(30)) == "30.00"
    assert S.format_score(Fraction(1, 200)) == "0.01" and S.format_score(Fraction(1, 201)) == "0.00"


def test_exact_ties_where_floats_would_drift():
    a, b = S.score(1, 3, 0), S.score(4, 1, 1)
    assert a == b == 85
    assert 100 * (1 / 4) + 80 * (3 / 4) != 100 * (4 / 6) + 80 * (1 / 6) + 30 * (1 / 6)  # floats disagree
    assert S.competition_ranks([a, b, Fraction(90)]) == [2, 2, 1]


def test_competition_ranking_shares_ranks():
    assert S.competition_ranks([Fraction(90), Fraction(85), Fraction(85), Fraction(80)]) == [1, 2, 2, 4]
    assert S.competition_ranks([None, Fraction(50), None]) == [None, 1, None]


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300)), min_size=1))
def test_property_scores_lie_between_30_and_100(counts):
    for s, b, u in counts:
        value = S.score(s, b, u)
        if s + b + u:
            assert 30 <= value <= 100
            assert 30 <= float(S.format_score(value)) <= 100
        else:
            assert value is None


# -- outcomes ---------------------------------------------------------------------------------
def ranked_category(scores, top=3, previous=()):
    """Rank one category of departments whose counts give the wanted scores (points out of 100/80/30)."""
    depts = [S.Department(f"D{i:02d}", f"部门{i}", "enforcement") for i in range(len(scores))]
    counts = np.asarray([[*_counts_for(s), 0] for s in scores], dtype=np.int64).reshape(len(scores), 4)
    return {r.code: r for r in S.rank_category("enforcement", depts, counts, top=top, previous_bottom=previous)}


def _counts_for(score):
    """S, B, U counts giving an exact score from {100, 90, 85, 80, 70, 55, 30, None}."""
    return {100: (1, 0, 0), 90: (1, 1, 0), 85: (1, 3, 0), 80: (0, 1, 0), 70: (1, 1, 1), 55: (0, 1, 1),
            30: (0, 0, 1), None: (0, 0, 0)}[score]


def test_top_k_commended_and_bottom_two_interviewed():
    r = ranked_category([100, 90, 85, 80, 70, 55, 30])
    assert [r[f"D{i:02d}"].outcome for i in range(7)] == ["commended"] * 3 + ["", "", "interview", "interview"]


def test_ties_at_the_commended_boundary_are_all_included():
    r = ranked_category([100, 90, 85, 85, 85, 70, 55, 30])
    assert [r[f"D{i:02d}"].rank for i in range(8)] == [1, 2, 3, 3, 3, 6, 7, 8]
    assert sum(x.commended for x in r.values()) == 5


def test_ties_at_the_bottom_boundary_are_all_included():
    r = ranked_category([100, 90, 85, 80, 55, 55, 30])   # 55, 55 each have one strictly lower
    assert {c for c, x in r.items() if x.bottom_two} == {"D04", "D05", "D06"}
    r = ranked_category([100, 90, 85, 80, 70, 30, 30])    # two tied last: nobody else
    assert {c for c, x in r.items() if x.bottom_two} == {"D05", "D06"}
    r = ranked_category([100, 90, 85, 80, 30, 30, 30])    # three tied last
    assert {c for c, x in r.items() if x.bottom_two} == {"D04", "D05", "D06"}


def test_k_is_per_campaign():
    r = ranked_category([100, 90, 85, 80, 70, 55, 30], top=1)
    assert [c for c, x in r.items() if x.commended] == ["D00"]
    with pytest.raises(ValueError):
        ranked_category([100], top=0)


def test_reorganize_when_bottom_two_twice_running_in_any_category():
    r = ranked_category([100, 90, 85, 80, 70, 55, 30], previous={"D06", "D00", "ZZZ"})
    assert r["D06"].outcome == "reorganize" and r["D05"].outcome == "interview"
    assert r["D00"].outcome == "commended"  # last year's bottom two, top this year: no reorganisation


def test_unscored_departments_come_last_without_outcome():
    depts = [S.Department(c, c, "service") for c in ("A", "B", "C", "D")]
    counts = np.asarray([[0, 0, 0, 5], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]], dtype=np.int64)
    results = S.rank_category("service", depts, counts, top=3, previous_bottom={"A"})
    assert [(x.code, x.rank, x.score_text, x.outcome) for x in results] == [
        ("B", 1, "100.00", "interview"), ("D", 2, "30.00", "interview"), ("A", None, "", ""), ("C", None, "", "")]


def test_bottom_outcome_wins_when_a_small_category_overlaps():
    r = ranked_category([90, 90, 80])
    assert {c: x.outcome for c, x in r.items()} == {"D00": "interview", "D01": "interview", "D02": "interview"}
    assert all(x.commended for x in r.values())


def test_results_are_in_csv_order():
    depts = departments(3, 2)
    enforcement = parts([[SATISFIED, DISSATISFIED, BLANK], [SATISFIED, BASIC, BLANK]])
    service = parts([[BASIC, BASIC]])
    results = S.tally(depts, {"enforcement": enforcement, "service": service}).results
    assert [(x.category, x.rank, x.code) for x in results] == [
        ("enforcement", 1, "E00"), ("enforcement", 2, "E01"), ("enforcement", None, "E02"),
        ("service", 1, "S00"), ("service", 1, "S01")]


# -- properties of the vectorised tally -------------------------------------------------------
rating_codes = st.sampled_from([BLANK, SATISFIED, BASIC, DISSATISFIED, UNKNOWN])


@st.composite
def ballots(draw, n_e=7, n_s=4):
    count = draw(st.integers(0, 30))
    e = draw(st.lists(st.lists(rating_codes, min_size=n_e, max_size=n_e), min_size=count, max_size=count))
    s = draw(st.lists(st.lists(rating_codes, min_size=n_s, max_size=n_s), min_size=count, max_size=count))
    return e, s


def _tally(depts, e_rows, s_rows, ids=None, top=2):
    ids = ids or [f"b{i:03d}" for i in range(len(e_rows))]
    build = lambda rows, n: S.Parts(list(ids), np.asarray(rows, dtype=np.uint8).reshape(len(rows), n))
    return S.tally(depts, {"enforcement": build(e_rows, 7), "service": build(s_rows, 4)}, top=top)


@settings(max_examples=150)
@given(ballots(), st.randoms(use_true_random=False))
def test_property_ranking_is_invariant_to_ballot_order(data, rnd):
    depts = departments(7, 4)
    e, s = data
    order = list(range(len(e)))
    rnd.shuffle(order)
    ids = [f"b{i:03d}" for i in range(len(e))]
    first = _tally(depts, e, s, ids)
    second = _tally(depts, [e[i] for i in order], [s[i] for i in order], [ids[i] for i in order])
    assert first.results == second.results
    assert first.rejected == second.rejected


@settings(max_examples=150)
@given(ballots())
def test_property_vectorised_counts_equal_a_plain_count(data):
    depts = departments(7, 4)
    e, s = data
    tally = _tally(depts, e, s)
    for category, rows in (("enforcement", e), ("service", s)):
        codes = codes_of(depts, category)
        valid = [r for r in rows if S.check_part(r, codes) is None]
        for j, code in enumerate(codes):
            result = next(x for x in tally.results if x.code == code)
            plain = [sum(1 for r in valid if r[j] == c) for c in (SATISFIED, BASIC, DISSATISFIED, UNKNOWN)]
            assert [result.satisfied, result.basic, result.dissatisfied, result.unknown] == plain
            if result.score is not None:
                assert 30 <= result.score <= 100


@settings(max_examples=100)
@given(ballots())
def test_property_rows_and_matrix_give_the_same_tally(data):
    """B.csv rows (the CLI) and stored matrices (the web) go through the same tally."""
    depts = departments(7, 4)
    e, s = data
    ids = [f"b{i:03d}" for i in range(len(e))]
    rows = []
    for ballot_id, er, sr in zip(ids, e, s):
        rows += [(ballot_id, None, code, S.RATING_WORDS[c]) for code, c in zip(codes_of(depts, "enforcement"), er) if c]
        rows += [(ballot_id, None, code, S.RATING_LABELS[c]) for code, c in zip(codes_of(depts, "service"), sr) if c]
    from_rows = S.tally(depts, S.parts_from_rows(depts, rows), top=2)
    assert from_rows.results == _tally(depts, e, s, ids).results


# -- the hash chain ---------------------------------------------------------------------------
def test_digest_is_canonical_and_the_chain_detects_any_change():
    d1 = S.ballot_digest("b1", [("E01", "satisfied"), ("E00", "basic")])
    assert d1 == S.ballot_digest("b1", [("E00", "基本满意"), ("E01", "满意")])
    assert d1 != S.ballot_digest("b1", [("E00", "basic"), ("E01", "dissatisfied")])
    ballots_ = [("b1", d1), ("b2", S.ballot_digest("b2", [("E00", "unknown")])),
                ("b3", S.ballot_digest("b3", []))]
    head = S.chain_head(ballots_)
    assert head == S.chain_head(list(reversed(ballots_)))          # order: ballot ids, not arrival
    assert head != S.chain_head(ballots_[:2])                       # dropped
    assert head != S.chain_head(ballots_ + [("b4", d1)])             # added
    assert head != S.chain_head([ballots_[0], ballots_[1], ("b3", d1)])  # changed
    assert S.chain_head([]) == S.GENESIS
    links = S.chain(ballots_)
    assert [x[0] for x in links] == ["b1", "b2", "b3"] and links[-1][2] == head


# -- why a group is larger than its rule says (issue 12) ------------------------------------------
def _notes(scores, top=3):
    return S.group_notes(ranked_category(scores, top=top).values(), top).get("enforcement", [])


def test_no_note_when_the_groups_have_their_named_size():
    assert _notes([100, 90, 85, 80, 70, 55, 30]) == []


def test_a_tie_at_the_kth_place_is_explained_with_the_tied_names_and_the_count():
    (note,) = _notes([100, 90, 85, 85, 85, 70, 55, 30])
    assert "K = 3" in note and "共 5 个" in note
    assert "部门2、部门3、部门4 同分 85.00" in note


def test_a_tie_at_the_bottom_is_explained():
    (note,) = _notes([100, 90, 85, 80, 55, 55, 30])       # 55, 55 each have one strictly lower
    assert "部门4、部门5 同分 55.00" in note and "共 3 个" in note and "后两位" in note
    (note,) = _notes([100, 90, 85, 80, 30, 30, 30])        # three tied last
    assert "部门4、部门5、部门6 同分 30.00" in note and "共 3 个" in note
    assert _notes([100, 90, 85, 80, 70, 30, 30]) == []     # two tied last: the group is two


def test_overlap_in_a_small_category_says_the_bottom_outcome_applies():
    notes = _notes([90, 90, 80])
    assert any("按后两位的结果运用处理" in n and "部门0、部门1、部门2" in n for n in notes)


def test_ties_are_judged_on_exact_scores_not_on_the_two_decimals():
    # A: (2·100 + 1·80) / 3 = 93.333…; B and E: (1333·100 + 667·80) / 2000 = 93.33 exactly. All print 93.33.
    depts = [S.Department(c, c, "service") for c in ("A", "B", "E", "C", "D")]
    counts = np.asarray([[2, 1, 0, 0], [1333, 667, 0, 0], [1333, 667, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]],
                        dtype=np.int64)
    results = S.rank_category("service", depts, counts, top=2, previous_bottom=())
    assert {r.score_text for r in results[:3]} == {"93.33"} and [r.rank for r in results[:3]] == [1, 2, 2]
    (note,) = S.group_notes(results, 2)["service"]
    assert "B、E 同分 93.33" in note and "A" not in note.split("（")[1].split("）")[0]


@settings(max_examples=200)
@given(st.lists(st.sampled_from([100, 90, 85, 80, 70, 55, 30, None]), min_size=1, max_size=12),
       st.integers(1, 4))
def test_property_a_note_exactly_when_a_group_exceeds_its_named_size(scores, top):
    r = ranked_category(scores, top=top)
    notes = S.group_notes(r.values(), top).get("enforcement", [])
    commended = sum(x.commended for x in r.values())
    bottom = sum(x.bottom_two for x in r.values())
    both = any(x.commended and x.bottom_two for x in r.values())
    assert len(notes) == (commended > top) + (bottom > 2) + both
    for note in notes:
        assert "同分" in note or "既在前" in note
