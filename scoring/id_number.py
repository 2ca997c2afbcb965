"""PRC resident identity number (GB 11643-1999) validation and masking."""
from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


class IdNumberError(ValueError):
    pass


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def validate(number: str) -> str:
    n = "".join(str(number).split()).upper()
    if len(n) != 18:
        raise IdNumberError(f"身份证号应为 18 位，实际为 {len(n)} 位。")
    if not (n[:17].isascii() and n[:17].isdigit()):  # not "²" or "３": str.isdigit takes those
        raise IdNumberError("身份证号前 17 位应为数字。")
    try:
        date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise IdNumberError("身份证号第 7–14 位不是有效的出生日期。") from None
    if n[17] != check_char(n[:17]):
        raise IdNumberError("身份证号校验位错误。")
    return n


def mask(number: str) -> str:
    """The only form ever shown: first four and last four, e.g. 3703**********1234."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
