import pytest

from scoring.id_number import IdNumberError, check_char, mask, validate


def test_known_valid_number():
    # The GB 11643-1999 textbook example.
    assert validate("11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize("number,fragment", [
    ("1101051949123100", "18 位"),
    ("1101051949123100AX", "前 17 位"),
    ("110105194902300021", "出生日期"),
    ("110105194912310021", "校验位"),
])
def test_invalid_numbers(number, fragment):
    with pytest.raises(IdNumberError, match=fragment):
        validate(number)


def test_mask_keeps_four_and_four():
    assert mask("370303198001010011") == "3703**********0011"


def test_check_char_roundtrip():
    first17 = "37030319800101001"
    assert validate(first17 + check_char(first17))


@pytest.mark.parametrize("number", ["²70303198001010011", "３７０３０３１９８００１０１００１１"])
def test_non_ascii_digits_are_refused_cleanly(number):
    """Found by fuzzing: str.isdigit accepts "²" (then int() raised a plain ValueError) and "３"."""
    with pytest.raises(IdNumberError, match="前 17 位应为数字"):
        validate(number)
