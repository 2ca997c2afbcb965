"""Unified social credit code (统一社会信用代码) validation per GB 32100-2015.

Layout (positions 1-based):
  1      registration authority code (登记管理部门代码)
  2      organisation category code (机构类别代码), allowed values depend on position 1
  3-8    administrative division code (登记管理机关行政区划码), digits
  9-17   organisation code (主体标识码, GB 11714), position 17 its own check character
  18     check character over positions 1-17

`validate()` returns the normalised code or raises `CreditCodeError` whose message names the
first failing position, in Chinese.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 32100-2015 table 1: registration authority → organisation categories.
CATEGORIES: dict[str, str] = {
    "1": "1239",    # 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    "2": "19",      # 外交
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",      # 文化
    "5": "1239",    # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",     # 旅游
    "7": "129",     # 宗教
    "8": "19",      # 工会
    "9": "123",     # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",      # 中央军委改革和编制办公室
    "N": "1239",    # 农业
    "Y": "1",       # 其他
}


class CreditCodeError(ValueError):
    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


def check_char(first17: str) -> str:
    """Position 18 for a 17-character prefix."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_check_char(body8: str) -> str:
    """Position 17: the GB 11714 check character of the organisation code body (positions 9-16)."""
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def normalise(code: str) -> str:
    return "".join(str(code).split()).upper()


def validate(code: str) -> str:
    code = normalise(code)
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为 18 位，实际为 {len(code)} 位。")
    for pos, ch in enumerate(code, start=1):
        if ch not in VALUE:
            raise CreditCodeError(f"第 {pos} 位字符“{ch}”不允许（只能是数字或除 I、O、Z、S、V 以外的大写字母）。", pos)
    if code[0] not in CATEGORIES:
        raise CreditCodeError(f"第 1 位（登记管理部门代码）“{code[0]}”无效。", 1)
    if code[1] not in CATEGORIES[code[0]]:
        raise CreditCodeError(f"第 2 位（机构类别代码）“{code[1]}”与登记管理部门代码“{code[0]}”不匹配。", 2)
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            raise CreditCodeError(f"第 {pos} 位应为数字（第 3–8 位是行政区划码）。", pos)
    expected_org = org_check_char(code[8:16])
    if code[16] != expected_org:
        raise CreditCodeError(f"第 17 位（组织机构代码校验码）应为“{expected_org}”，实际为“{code[16]}”。", 17)
    expected = check_char(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"第 18 位（校验码）应为“{expected}”，实际为“{code[17]}”。", 18)
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def all_valid(codes) -> bool:
    """True when every code of the sequence is valid and already normalised (validate(c) == c),
    checked with numpy at once (the CLIs' large files); False says only that some code is not: the
    caller then validates them one by one for the message."""
    import numpy as np

    codes = list(codes)
    if not codes:
        return True
    if any(len(c) != 18 for c in codes):
        return False
    try:
        grid = np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8).reshape(len(codes), 18)
    except UnicodeEncodeError:
        return False
    value = np.full(256, -1, dtype=np.int64)
    for c, v in VALUE.items():
        value[ord(c)] = v
    values = value[grid]
    if values.min() < 0:
        return False
    allowed = np.zeros((256, 256), dtype=bool)
    for first, seconds in CATEGORIES.items():
        allowed[ord(first), [ord(s) for s in seconds]] = True
    if not allowed[grid[:, 0], grid[:, 1]].all():
        return False
    if not ((grid[:, 2:8] >= ord("0")) & (grid[:, 2:8] <= ord("9"))).all():
        return False
    org = np.where(grid[:, 8:16] <= ord("9"), grid[:, 8:16].astype(np.int64) - ord("0"),
                   grid[:, 8:16].astype(np.int64) - ord("A") + 10)
    org_check = 11 - (org * np.array(ORG_WEIGHTS)).sum(axis=1) % 11
    org_char = np.array([ord(str(c)) for c in range(10)] + [ord("X"), ord("0")])[org_check]
    if not np.array_equal(org_char, grid[:, 16]):
        return False
    total = (values[:, :17] * np.array(WEIGHTS)).sum(axis=1)
    alphabet = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    return bool(np.array_equal(alphabet[(31 - total % 31) % 31], grid[:, 17]))
