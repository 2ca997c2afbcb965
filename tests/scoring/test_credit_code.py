"""GB 32100-2015 unified social credit codes: valid examples and every kind of invalid one."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.credit_code import ALPHABET, CATEGORIES, CreditCodeError, check_char, is_valid, org_check_char, validate

# Examples published with the standard and widely used in its documentation.
VALID = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID)
def test_standard_examples_are_valid(code):
    assert validate(code) == code


def test_spaces_and_lowercase_are_normalised():
    assert validate(" 91350100m000100y43 ") == "91350100M000100Y43"


def _error(code: str) -> CreditCodeError:
    with pytest.raises(CreditCodeError) as info:
        validate(code)
    return info.value


@pytest.mark.parametrize("code,length", [("", 0), ("9135010", 7), ("91350100M000100Y431", 19)])
def test_wrong_length(code, length):
    assert f"实际为 {length} 位" in str(_error(code))


@pytest.mark.parametrize("bad,pos", [("I", 5), ("O", 9), ("Z", 12), ("S", 14), ("V", 18), ("-", 3)])
def test_characters_outside_the_alphabet_name_their_position(bad, pos):
    code = list(VALID[0])
    code[pos - 1] = bad
    err = _error("".join(code))
    assert err.position == pos
    assert f"第 {pos} 位" in str(err)


def test_unknown_registration_authority_position_1():
    err = _error("B" + VALID[0][1:])
    assert err.position == 1 and "第 1 位" in str(err)


def test_category_must_match_authority_position_2():
    err = _error("94" + VALID[0][2:])  # 工商 (9) has categories 1, 2, 3 only
    assert err.position == 2 and "第 2 位" in str(err)


def test_division_code_must_be_digits_positions_3_to_8():
    code = "9135A100M000100Y43"
    err = _error(code)
    assert err.position == 5 and "第 5 位" in str(err)


def test_organisation_code_check_position_17():
    code = VALID[0][:16] + "5" + VALID[0][17]
    err = _error(code)
    assert err.position == 17 and "第 17 位" in str(err) and "应为“4”" in str(err)


def test_check_character_position_18():
    err = _error(VALID[0][:17] + "2")
    assert err.position == 18 and "应为“3”" in str(err)


def test_org_check_maps_10_to_x_and_11_to_0():
    # The last body character has weight 2: the weighted sum is 2·d.
    assert org_check_char("00000001") == "9"  # 11 − 2 = 9
    assert org_check_char("00000000") == "0"  # 11 − 0 = 11 → 0
    assert org_check_char("00000006") == "X"  # 12 mod 11 = 1 → 11 − 1 = 10 → X


ALPHABET_CHARS = st.sampled_from(ALPHABET)


@st.composite
def valid_codes(draw):
    first = draw(st.sampled_from(sorted(CATEGORIES)))
    second = draw(st.sampled_from(CATEGORIES[first]))
    division = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6)))
    body = "".join(draw(st.lists(ALPHABET_CHARS, min_size=8, max_size=8)))
    first17 = first + second + division + body + org_check_char(body)
    return first17 + check_char(first17)


@given(valid_codes())
def test_generated_codes_are_valid(code):
    assert validate(code) == code


@given(valid_codes(), st.integers(0, 17), ALPHABET_CHARS)
def test_any_single_substitution_is_caught(code, index, replacement):
    if code[index] == replacement:
        return
    changed = code[:index] + replacement + code[index + 1:]
    assert not is_valid(changed)
