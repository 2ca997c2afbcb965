"""The integrity core's follow-ups (issue 12): the transfer deadline (第一时间调离, read as
TRANSFER_DAYS days) and the anonymisation check of typical cases (典型问题公开曝光)."""
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scoring.integrity import (ANONYMOUS_PERSON, TRANSFER_DAYS, RecordFacts, anonymise, anonymity_problems,
                               needs_transfer, transfer_state)

DAY = timedelta(days=1)


# -- 调离 ------------------------------------------------------------------------------------------
def test_transfer_deadline_edges():
    assert TRANSFER_DAYS == 15
    rec = date(2026, 3, 1)
    assert transfer_state(rec, None, rec).days_elapsed == 0
    on_due = transfer_state(rec, None, date(2026, 3, 16))          # the 15th day: still in time
    assert (on_due.due, on_due.days_elapsed, on_due.overdue) == (date(2026, 3, 16), 15, False)
    late = transfer_state(rec, None, date(2026, 3, 17))             # the 16th day: overdue
    assert (late.days_elapsed, late.overdue) == (16, True)


def test_a_confirmed_transfer_is_never_overdue_and_counts_its_own_days():
    state = transfer_state(date(2026, 3, 1), date(2026, 3, 20), date(2027, 1, 1))
    assert (state.overdue, state.days_elapsed, state.late) == (False, 19, True)
    assert not transfer_state(date(2026, 3, 1), date(2026, 3, 16), date(2027, 1, 1)).late
    # moved out before the recommendation (e.g. during the investigation): no negative days
    assert transfer_state(date(2026, 3, 1), date(2026, 2, 20), date(2026, 3, 1)).days_elapsed == 0


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 400))
def test_overdue_exactly_after_the_deadline(recommended, elapsed):
    state = transfer_state(recommended, None, recommended + elapsed * DAY)
    assert state.overdue == (elapsed > TRANSFER_DAYS) and state.days_elapsed == elapsed


def test_which_records_need_a_transfer():
    today = date(2026, 12, 5)
    assert needs_transfer(RecordFacts(1, "demerit", date(2026, 11, 1)), today)
    assert needs_transfer(RecordFacts(1, "organisational", date(2023, 12, 6)), today)   # last restricted day
    assert not needs_transfer(RecordFacts(1, "demerit", date(2023, 12, 5)), today)     # 3rd anniversary: lifted
    assert not needs_transfer(RecordFacts(1, "admonishment", date(2026, 11, 1)), today)
    assert not needs_transfer(RecordFacts(1, "demerit", date(2026, 11, 1), revoked=True), today)


# -- 典型问题公开曝光 ----------------------------------------------------------------------------------
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(CJK, min_size=2, max_size=4)
TEXT = st.text(st.one_of(CJK, st.sampled_from(list("，。、；：（）0123456789 abc\n"))), max_size=200)
SEPARATORS = st.sampled_from([" ", "\u3000", "·", "•", "*", "\u200b", "-", "、", "．"])


@given(NAMES, TEXT, st.integers(0, 10_000))
def test_a_name_inserted_anywhere_is_caught(name, text, at):
    at %= len(text) + 1
    assert anonymity_problems(text[:at] + name + text[at:], [name])


@given(NAMES, TEXT, st.integers(0, 10_000), st.lists(SEPARATORS, min_size=1, max_size=3))
def test_a_name_broken_up_by_separators_is_caught(name, text, at, separators):
    at %= len(text) + 1
    broken = name[0] + "".join(separators) + name[1:]
    assert anonymity_problems(text[:at] + broken + text[at:], [name])


@given(NAMES, TEXT)
def test_anonymised_text_passes_the_check(name, text):
    cleaned = anonymise(text + name + text, [name])
    assert name not in cleaned and ANONYMOUS_PERSON in cleaned


def test_id_numbers_are_caught_whole_masked_or_spaced():
    for text in ("身份证号370302199001011234", "号码 37030219900101123X。", "370302 19900101 1234",
                 "3703**********1234", "３７０３０２１９９００１０１１２３４", "旧号370302900101123"):
        assert anonymity_problems(text, ["张三"]), text
    assert not anonymity_problems("2026年3月收受企业财物折合人民币12000元。", ["张三"])
    assert not anonymity_problems("2026-03-01—2026-03-05期间，电话 0533-12345678。", ["张三"])  # dates, not an ID


def test_the_problems_are_named():
    assert anonymity_problems("张三收受财物", ["张三"]) == ["文稿中含有当事人姓名，请改为“某单位某干部”等称谓。"]
    assert anonymity_problems("某单位某干部收受财物", ["张三"]) == []
