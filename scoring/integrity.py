"""Officials' integrity file (廉政档案): the restrictions a 污点 record imposes, computed from the
records, and the canonical content of an integrity certificate (廉政鉴定). Pure: standard
library only; the web app and the CLI both call it.

Rules (seed: "建立公务人员'污点'记录惩戒机制"落实方案, SPEC.md Module 4):

- Every disciplinary decision (警告 … 开除, or 组织处理) imposes, from its decision date, five
  restrictions: moved out of (and kept out of) enterprise-related enforcement, management and
  service posts; no promotion; no rank promotion; no "excellent" rating; no awards.
- They last 3 years: in force from the decision date (day one) to the day before the third
  anniversary, inclusive; lifted on the anniversary. A decision of 29 February has its
  anniversary on 1 March (three years later has no 29 February), so its last restricted day is
  28 February — the same last day as the Civil Code's month-end rule (民法典 第二百零二条).
- An admonishment (诫勉谈话) is recorded with a rectification deadline and restricts nothing.
- A revoked record (撤销) restricts nothing on any date: revocation annuls the decision.
- Several records: a restriction is in force on a day when any record imposes it; the answer
  gives the continuous period around that day (first and last day) and the records behind it.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, timedelta

RESTRICTION_YEARS = 3

# Disciplinary decisions (党纪政务处分 and 组织处理) that make a 污点 and their labels.
DECISIONS: dict[str, str] = {
    "warning": "警告",
    "demerit": "记过",
    "major_demerit": "记大过",
    "demotion": "降级",
    "dismissal": "撤职",
    "expulsion": "开除",
    "organisational": "组织处理",
}
ADMONISHMENT = "admonishment"
ALL_DECISIONS: dict[str, str] = {**DECISIONS, ADMONISHMENT: "诫勉谈话"}

# The restrictions, in the seed's order ("调离……不得从事……三年内不得提拔重用、不得晋升职级、
# 不得评为优秀等次、不得参与评先树优").
RESTRICTIONS: dict[str, str] = {
    "post": "调离并不得从事涉企执法、管理、服务岗位",
    "promotion": "不得提拔重用",
    "rank": "不得晋升职级",
    "excellent": "不得评为优秀等次",
    "awards": "不得参与评先树优",
}


class IntegrityError(ValueError):
    """Bad input to the core; the message is for the user (Chinese)."""


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February → 1 March in a non-leap year. Beyond the
    calendar's years 1–9999 it stops at date.min / date.max (`--on 0001-10-01` asks what was in
    force since before year 1: nothing earlier exists)."""
    if not 1 <= day.year + years <= 9999:
        return date.min if years < 0 else date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class RecordFacts:
    """What the rules need to know of one record in a person's file."""

    record_id: int
    decision: str
    decision_date: date
    revoked: bool = False

    def __post_init__(self):
        if self.decision not in ALL_DECISIONS:
            raise IntegrityError(f"未知的处理决定“{self.decision}”。")

    @property
    def restricts(self) -> bool:
        return not self.revoked and self.decision in DECISIONS

    @property
    def first_day(self) -> date:
        return self.decision_date

    @property
    def last_day(self) -> date:
        """The last day its restrictions are in force (the day before the third anniversary)."""
        return add_years(self.decision_date, RESTRICTION_YEARS) - timedelta(days=1)

    def in_force_on(self, day: date) -> bool:
        return self.restricts and self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Restriction:
    """One restriction in force on the day asked about."""

    kind: str
    label: str
    since: date              # first day of the continuous restricted period containing the day
    until: date              # its last day (lifted the day after)
    record_ids: tuple[int, ...]  # the records in force on the day

    @property
    def lifted_on(self) -> date:
        return self.until + timedelta(days=1)


def restrictions_on(records, day: date) -> list[Restriction]:
    """The restrictions in force on `day`, in RESTRICTIONS order (empty when none)."""
    restricting = sorted((r for r in records if r.restricts), key=lambda r: (r.first_day, r.last_day))
    active = [r for r in restricting if r.in_force_on(day)]
    if not active:
        return []
    since, until = _period_around(restricting, day)
    ids = tuple(sorted(r.record_id for r in active))
    return [Restriction(kind, label, since, until, ids) for kind, label in RESTRICTIONS.items()]


def _period_around(restricting: list[RecordFacts], day: date) -> tuple[date, date]:
    """Merge the records' windows (touching windows join: a window that starts the day after
    another ends leaves no free day) and return the merged window that contains `day`."""
    start = end = None
    for record in restricting:
        if end is not None and record.first_day <= end + timedelta(days=1):
            end = max(end, record.last_day)
            continue
        if start is not None and start <= day <= end:
            return start, end
        start, end = record.first_day, record.last_day
    return start, end


def earliest_in_force(day: date) -> date:
    """The earliest decision date whose restrictions are still in force on `day`: a record
    (restricting, not revoked) is in force on `day` exactly when this <= decision date <= day.
    For database filters, which cannot do the 29 February rule themselves."""
    if day == date.max:
        day -= timedelta(days=1)
    after = day + timedelta(days=1)
    candidate = add_years(after.replace(day=28) if (after.month, after.day) == (2, 29) else after, -RESTRICTION_YEARS)
    # add_years is monotonic: step to the exact boundary (at most a few days either way).
    while add_years(candidate, RESTRICTION_YEARS) <= day:
        candidate += timedelta(days=1)
    while candidate > date.min and add_years(candidate - timedelta(days=1), RESTRICTION_YEARS) > day:
        candidate -= timedelta(days=1)
    return candidate


def restricted_until(records, day: date) -> date | None:
    """The last day of the restrictions in force on `day`, or None when none are."""
    found = restrictions_on(records, day)
    return found[0].until if found else None


# -- certificates (廉政鉴定) and tracking codes -------------------------------------------------
CODE_CHARS = 20      # base32 characters of a certificate's verification code: 100 bits
TRACKING_CHARS = 32  # of a complaint's tracking code: 160 random bits
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def canonical_content(content: dict) -> str:
    """The exact text the verification code is computed over: JSON with sorted keys, no
    spaces, non-ASCII kept, dates as ISO strings. The same dict always gives the same text."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_iso)


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not serialisable in a certificate: {type(value).__name__}")


def _grouped(text: str) -> str:
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def format_code(hex_digest: str, length: int = CODE_CHARS) -> str:
    """Bytes (as hex) as a printed code of `length` base32 characters in groups of four,
    e.g. ``K7QM-2XD4-…``."""
    text = base64.b32encode(bytes.fromhex(hex_digest)).decode()[:length]
    if len(text) < length:
        raise ValueError("not enough bytes for the code length")
    return _grouped(text)


def normalise_code(typed: str, length: int = CODE_CHARS) -> str:
    """What a person typed, as a comparable code: case, spaces and dashes do not matter, and the
    digits people type for look-alike letters (0 for O, 1 for I, 8 for B) are mapped: the code's
    alphabet (RFC 4648 base32) has no 0, 1, 8 or 9."""
    text = "".join(ch for ch in (typed or "").upper() if ch not in " -\t")
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(text) != length or any(ch not in _BASE32 for ch in text):
        raise IntegrityError(f"应为 {length} 位字母和数字（可带连字符）。")
    return _grouped(text)


# -- 调离 (moved out of enterprise-related posts) ---------------------------------------------------
# The seed: "对需组织处理的,及时向组织部门提出建议,一律第一时间调离所在系统或岗位". Every 污点
# that restricts on the day it is filed (its "post" restriction is in force) makes a recommendation
# to the organisation department; "第一时间" is read as TRANSFER_DAYS calendar days from the
# recommendation: from the day after that deadline, a person not yet moved out is overdue.
TRANSFER_DAYS = 15


def needs_transfer(record: RecordFacts, day: date) -> bool:
    """Whether filing this record on `day` asks the organisation department to move the person out
    of enterprise-related posts: a 污点 not revoked whose restrictions are in force that day."""
    return record.in_force_on(day)


@dataclass(frozen=True)
class TransferState:
    recommended_on: date
    due: date                   # the last day to move the person out in time
    transferred_on: date | None
    days_elapsed: int           # from the recommendation to the transfer (or to today if not yet)
    overdue: bool               # not moved out and today is after `due`

    @property
    def late(self) -> bool:
        """Moved out, but after the deadline."""
        return self.transferred_on is not None and self.transferred_on > self.due


def transfer_state(recommended_on: date, transferred_on: date | None, today: date) -> TransferState:
    due = recommended_on + timedelta(days=TRANSFER_DAYS)
    end = transferred_on if transferred_on is not None else today
    return TransferState(recommended_on, due, transferred_on, max(0, (end - recommended_on).days),
                         transferred_on is None and today > due)


# -- 典型问题公开曝光 (anonymised typical cases) ------------------------------------------------------
ANONYMOUS_PERSON = "某单位某干部"
# Whitespace, punctuation and zero-width characters someone may put inside a name ("张 三", "张·三").
_SEPARATORS = frozenset(" \t\r\n\u3000\u00a0\u200b\u200c\u200d\ufeff·•・.．-—_*＊/\\|,，、'\"“”‘’()（）[]【】")
_ID_CHARS = frozenset("0123456789Xx")


# Inside a number only blanks are skipped: "2026-03-01—2026-03-05" is two dates, not 16 digits.
_BLANKS = frozenset(" \t\r\n\u3000\u00a0\u200b\u200c\u200d\ufeff")


def _fold(text: str, drop: frozenset = _SEPARATORS) -> str:
    """Full-width ASCII to half-width, `drop` characters dropped: what a check compares."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if ch not in drop:
            out.append(ch)
    return "".join(out)


def _id_like_runs(text: str) -> list[str]:
    """Runs of digits (and X) of 15 or more characters, blanks inside ignored: anything that
    could be an ID number (18 digits, or the old 15) or a masked one (digits and ＊)."""
    runs, current = [], []
    for ch in _fold(text.replace("*", "#").replace("＊", "#"), _BLANKS):
        if ch in _ID_CHARS or ch == "#":
            current.append(ch)
        else:
            if len(current) >= 15:
                runs.append("".join(current))
            current = []
    if len(current) >= 15:
        runs.append("".join(current))
    return runs


def anonymity_problems(text: str, names: list[str], masked_ids: list[str] = ()) -> list[str]:
    """Why `text` may not be published (empty when it may): it contains one of `names` (also with
    spaces, dots or other separators between the characters, or full-width letters), or anything
    shaped like an ID number (15 or more digits in a row, whether or not partly masked)."""
    problems = []
    folded = _fold(text).casefold()
    for name in names:
        wanted = _fold(name).casefold()
        if wanted and wanted in folded:
            problems.append("文稿中含有当事人姓名，请改为“某单位某干部”等称谓。")
            break
    if _id_like_runs(text) or any(_fold(m).casefold() in folded for m in masked_ids if len(_fold(m)) >= 6):
        problems.append("文稿中含有身份证号（或形似身份证号的数字），请删除。")
    return problems


def anonymise(text: str, names: list[str]) -> str:
    """`text` with every occurrence of the names replaced by 某单位某干部 (exact matches; a name
    written with separators is left to `anonymity_problems`, which refuses it)."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, ANONYMOUS_PERSON)
    return text
