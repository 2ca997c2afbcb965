"""The annual survey (每年组织企业评议部门优劣): ballot validation, tally, exact ranking, outcomes.

Pure: numpy and the standard library only. The web tally (ballots from the database) and the
offline CLI (`govsvc survey tally`, ballots from B.csv) both build `Parts` and call `tally`.

A ballot has one part per category. A part is a row of rating codes, one per department of the
category in the campaign's order (BLANK when the department was left blank). All the parts of a
category form a matrix (parts × departments) of small integers, counted with numpy.

Rules (SPEC.md "Module 1"):
- per part and category with N departments: at most ⌊N/3⌋ 满意 and at most ⌊N/3⌋ 不满意
  (40 → 13, 19 → 6); a part over the cap, with a department rated twice, a department of another
  category or an unreadable rating is invalid (废票) and left out of that category's tally;
- score = (100·S + 80·B + 30·U) ÷ (S + B + U) over valid parts, an exact fraction; no S, B or U →
  no score (listed after the ranked departments, no rank, no outcome);
- competition ranking by exact score (1, 2, 2, 4);
- `commended`: fewer than K ranked departments score strictly higher; bottom two (`interview`):
  at most one ranked department scores strictly lower; `reorganize`: bottom two this year and
  last year. Ties at a boundary are all included. When a department qualifies both ways (a
  category with fewer than K + 2 ranked departments, or everybody tied) the bottom outcome wins.
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import numpy as np

CATEGORIES = ("enforcement", "service")
CATEGORY_LABELS = {"enforcement": "执法和综合管理类", "service": "服务类"}
_CATEGORY_BY_TEXT = {**{c: c for c in CATEGORIES}, **{label: c for c, label in CATEGORY_LABELS.items()}}

# Rating codes as stored (one byte per department). UNREADABLE: a paper mark that cannot be read
# (several boxes ticked) or a rating word nobody knows; it makes its part invalid.
BLANK, SATISFIED, BASIC, DISSATISFIED, UNKNOWN, UNREADABLE = range(6)
RATING_WORDS = {SATISFIED: "satisfied", BASIC: "basic", DISSATISFIED: "dissatisfied", UNKNOWN: "unknown",
                UNREADABLE: "invalid"}
RATING_LABELS = {SATISFIED: "满意", BASIC: "基本满意", DISSATISFIED: "不满意", UNKNOWN: "不了解"}
_RATING_BY_TEXT = {**{w: c for c, w in RATING_WORDS.items() if c != UNREADABLE},
                   **{label: c for c, label in RATING_LABELS.items()}}
POINTS = {SATISFIED: 100, BASIC: 80, DISSATISFIED: 30}

COMMENDED, INTERVIEW, REORGANIZE = "commended", "interview", "reorganize"
OUTCOMES = (COMMENDED, INTERVIEW, REORGANIZE)
OUTCOME_LABELS = {COMMENDED: "表扬", INTERVIEW: "约谈", REORGANIZE: "组织调整"}
DEFAULT_TOP = 3
GENESIS = "0" * 64


class InputError(ValueError):
    """Input that cannot be tallied at all (as opposed to an invalid ballot part)."""


def cap(n: int) -> int:
    """At most ⌊N/3⌋ 满意 and ⌊N/3⌋ 不满意 per part: 40 → 13, 19 → 6."""
    return n // 3


def parse_rating(text: str) -> int:
    """A rating word (English or Chinese) → its code; anything else → UNREADABLE."""
    return _RATING_BY_TEXT.get(text.strip(), UNREADABLE)


def parse_category(text: str) -> str | None:
    return _CATEGORY_BY_TEXT.get(text.strip())


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    category: str


@dataclass
class Parts:
    """The ballot parts of one category: codes[i, j] is the rating of department j on part i.

    `defects` holds reasons found while the parts were built from rows (a department rated twice,
    a department of another category): those parts are invalid whatever their codes say.
    """

    ballot_ids: list[str]
    codes: np.ndarray  # (parts, departments) uint8
    defects: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def empty(cls, n_departments: int) -> "Parts":
        return cls([], np.zeros((0, n_departments), dtype=np.uint8))


def _over_cap(label: str, count: int, limit: int, n: int) -> str:
    return f"“{label}”选了 {count} 个，超过上限 {limit} 个（{n} 个部门的三分之一）"


def department_columns(codes: np.ndarray) -> np.ndarray:
    """The (departments × parts) copy of a category's matrix, each department's column contiguous:
    validation and counting both run along it (see validate and count_ratings)."""
    return np.ascontiguousarray(codes.T)


def validate(parts: Parts, department_codes: Sequence[str],
             columns: np.ndarray | None = None) -> tuple[np.ndarray, dict[int, str]]:
    """Which parts are valid (a boolean mask), and why each invalid one is not. `columns`: the
    matrix from department_columns, when the caller has it already."""
    codes = parts.codes
    n = len(department_codes)
    if codes.ndim != 2 or codes.shape[1] != n:
        raise ValueError(f"parts have {codes.shape[-1] if codes.ndim == 2 else '?'} columns, expected {n}")
    limit = cap(n)
    # One pass per rule, department by department: each step adds one department's whole column
    # (contiguous, as long as there are parts) into a per-part count of the smallest integer that
    # cannot overflow. (Summing along each part instead is a short reduction per part: three times
    # slower at 100,000 parts.)
    columns = department_columns(codes) if columns is None else columns
    small = np.uint8 if n < 256 else np.int64
    satisfied = (columns == SATISFIED).sum(axis=0, dtype=small)
    dissatisfied = (columns == DISSATISFIED).sum(axis=0, dtype=small)
    unreadable = columns.max(axis=0) >= UNREADABLE if codes.size else np.zeros(len(codes), dtype=bool)
    invalid = (satisfied > limit) | (dissatisfied > limit) | unreadable
    if parts.defects:
        invalid[list(parts.defects)] = True
    reasons: dict[int, str] = {}
    for i in np.flatnonzero(invalid).tolist():
        why = list(parts.defects.get(i, ()))
        if unreadable[i]:
            why += [f"部门 {department_codes[j]} 的评价无法识别" for j in np.flatnonzero(codes[i] >= UNREADABLE).tolist()]
        if satisfied[i] > limit:
            why.append(_over_cap("满意", int(satisfied[i]), limit, n))
        if dissatisfied[i] > limit:
            why.append(_over_cap("不满意", int(dissatisfied[i]), limit, n))
        reasons[i] = "；".join(why)
    return ~invalid, reasons


def check_part(codes: Sequence[int], department_codes: Sequence[str]) -> str | None:
    """One part (the online form, a paper ballot): None when valid, else the reason."""
    parts = Parts(["-"], np.asarray([codes], dtype=np.uint8).reshape(1, len(department_codes)))
    _, reasons = validate(parts, department_codes)
    return reasons.get(0)


def count_ratings(codes: np.ndarray, valid: np.ndarray, columns: np.ndarray | None = None) -> np.ndarray:
    """Counts per department of the valid parts: an (N, 4) array of S, B, U (不满意), 不了解.

    Counted over all parts on the transposed matrix (each department's column made contiguous),
    then the few invalid parts are taken off again: cheaper than copying the valid ones out."""
    ratings = (SATISFIED, BASIC, DISSATISFIED, UNKNOWN)
    columns = department_columns(codes) if columns is None else columns
    counts = np.stack([(columns == r).sum(axis=1, dtype=np.int64) for r in ratings], axis=1)
    invalid = codes[~valid]
    if len(invalid):
        counts -= np.stack([(invalid == r).sum(axis=0, dtype=np.int64) for r in ratings], axis=1)
    return counts.reshape(codes.shape[1], 4)


# -- scores, ranks, outcomes ----------------------------------------------------------------
def score(satisfied: int, basic: int, dissatisfied: int) -> Fraction | None:
    """(100·S + 80·B + 30·U) ÷ (S + B + U), exact; None when nobody rated the department."""
    votes = satisfied + basic + dissatisfied
    if votes == 0:
        return None
    return Fraction(100 * satisfied + 80 * basic + 30 * dissatisfied, votes)


def format_score(value: Fraction | None) -> str:
    """Two decimals, rounded half up, from the exact fraction (never a float)."""
    if value is None:
        return ""
    if value < 0:
        raise ValueError("scores are never negative")
    hundredths = (value.numerator * 200 + value.denominator) // (2 * value.denominator)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def competition_ranks(scores: Sequence[Fraction | None]) -> list[int | None]:
    """1 + the number of scores strictly higher (1, 2, 2, 4); None for no score."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first_index: dict[Fraction, int] = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return [None if s is None else first_index[s] + 1 for s in scores]


def _strictly_lower_counts(scores: Sequence[Fraction | None]) -> list[int | None]:
    ordered = sorted(s for s in scores if s is not None)
    first_index: dict[Fraction, int] = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return [None if s is None else first_index[s] for s in scores]


@dataclass(frozen=True)
class DepartmentResult:
    category: str
    code: str
    name: str
    satisfied: int
    basic: int
    dissatisfied: int
    unknown: int
    score: Fraction | None
    rank: int | None
    commended: bool = False
    bottom_two: bool = False
    reorganize: bool = False

    @property
    def outcome(self) -> str:
        if self.reorganize:
            return REORGANIZE
        if self.bottom_two:
            return INTERVIEW
        return COMMENDED if self.commended else ""

    @property
    def score_text(self) -> str:
        return format_score(self.score)


@dataclass(frozen=True)
class Rejection:
    ballot_id: str
    category: str
    reason: str


@dataclass
class Tally:
    results: list[DepartmentResult]          # enforcement first, then service; by rank, unranked last, then code
    rejected: list[Rejection]                 # by category, then ballot id
    parts: dict[str, int]                     # parts per category
    valid_parts: dict[str, int]

    @property
    def ratings(self) -> int:
        return sum(r.satisfied + r.basic + r.dissatisfied + r.unknown for r in self.results)


def rank_category(category: str, departments: Sequence[Department], counts: np.ndarray, *, top: int,
                  previous_bottom: Collection[str]) -> list[DepartmentResult]:
    """Scores, competition ranks and outcomes of one category, in R.csv order."""
    if top < 1:
        raise ValueError("top (K) must be at least 1")
    scores = [score(int(s), int(b), int(u)) for s, b, u, _ in counts.tolist()]
    ranks = competition_ranks(scores)
    lower = _strictly_lower_counts(scores)
    results = []
    for dept, (s, b, u, k), value, rank, below in zip(departments, counts.tolist(), scores, ranks, lower):
        ranked = rank is not None
        bottom = ranked and below <= 1
        results.append(DepartmentResult(
            category=category, code=dept.code, name=dept.name, satisfied=s, basic=b, dissatisfied=u, unknown=k,
            score=value, rank=rank, commended=ranked and rank - 1 < top, bottom_two=bottom,
            reorganize=bottom and dept.code in previous_bottom))
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
    return results


def _ties(group: list) -> str:
    """The tied sub-groups of a group: "甲、乙 同分 60.00". Equal competition ranks are equal exact
    scores (two decimals alone could join scores that differ further down)."""
    by_rank: dict[int, list] = {}
    for r in group:
        by_rank.setdefault(r.rank, []).append(r)
    return "；".join(f"{'、'.join(r.name for r in tied)} 同分 {tied[0].score_text}"
                    for _, tied in sorted(by_rank.items()) if len(tied) > 1)


def group_notes(results: Iterable, top: int) -> dict[str, list[str]]:
    """Why a group is not the size the rule names, per category: ties at the K-th place make the
    commended group larger than K; ties at the bottom make the bottom group larger than two; a
    department both within the first K and the last two takes the bottom outcome. `results`: any
    objects with category, name, rank, score_text, commended and bottom_two (a DepartmentResult
    or a stored result); categories with nothing to say are left out."""
    by_category: dict[str, list] = {}
    for r in results:
        if r.rank is not None:
            by_category.setdefault(r.category, []).append(r)
    notes: dict[str, list[str]] = {}
    for category, ranked in by_category.items():
        said = []
        commended = [r for r in ranked if r.commended]
        if len(commended) > top:
            said.append(f"表扬名额 K = {top}，因并列（{_ties(commended)}），得分高于本部门（单位）的少于 {top} 个的共 "
                        f"{len(commended)} 个，一并表扬。")
        bottom = [r for r in ranked if r.bottom_two]
        if len(bottom) > 2:
            said.append(f"排名后两位指得分低于本部门（单位）的不超过一个；因并列（{_ties(bottom)}），共 {len(bottom)} 个"
                        f"部门（单位）列入后两位。")
        both = [r for r in ranked if r.commended and r.bottom_two]
        if both:
            said.append(f"{'、'.join(r.name for r in both)} 既在前 {top} 位又在后两位（参评部门较少或同分），"
                        f"按后两位的结果运用处理。")
        if said:
            notes[category] = said
    return notes


def category_departments(departments: Sequence[Department], category: str) -> list[Department]:
    return [d for d in departments if d.category == category]


def tally(departments: Sequence[Department], parts: Mapping[str, Parts], *, top: int = DEFAULT_TOP,
          previous_bottom: Collection[str] = ()) -> Tally:
    """Validate every part, count the valid ones, score, rank and apply the outcomes.

    `departments` in campaign order: the columns of `parts[category].codes` are that category's
    departments in this order. `previous_bottom`: codes of last year's bottom two (any category).
    """
    previous_bottom = frozenset(previous_bottom)
    results: list[DepartmentResult] = []
    rejected: list[Rejection] = []
    n_parts, n_valid = {}, {}
    for category in CATEGORIES:
        members = category_departments(departments, category)
        codes = [d.code for d in members]
        cat_parts = parts.get(category) or Parts.empty(len(members))
        columns = department_columns(cat_parts.codes)
        valid, reasons = validate(cat_parts, codes, columns)
        counts = count_ratings(cat_parts.codes, valid, columns)
        results += rank_category(category, members, counts, top=top, previous_bottom=previous_bottom)
        rejected += sorted((Rejection(cat_parts.ballot_ids[i], category, why) for i, why in reasons.items()),
                           key=lambda r: r.ballot_id)
        n_parts[category] = len(cat_parts.ballot_ids)
        n_valid[category] = int(np.count_nonzero(valid))
    return Tally(results=results, rejected=rejected, parts=n_parts, valid_parts=n_valid)


# -- ballots as rows (B.csv) ----------------------------------------------------------------
def parts_from_rows(departments: Sequence[Department],
                    rows: Iterable[tuple[str, str | None, str, str]]) -> dict[str, Parts]:
    """Build each category's parts from rating rows (ballot_id, category, department_code, rating).

    `category` None: the department's own category (B.csv). A part gets a row per ballot that has
    at least one rating in the category. An unknown department code or category is an InputError
    (the whole input is unusable); a department rated twice, a department of another category or
    an unknown rating word make only that part invalid.
    """
    index = {d.code: i for i, d in enumerate(departments)}
    if len(index) != len(departments):
        raise InputError("部门代码重复。")
    ballot_index: dict[str, int] = {}
    b_col, c_col, d_col, r_col = [], [], [], []
    for number, (ballot_id, category, code, rating) in enumerate(rows, start=2):
        if code not in index:
            raise InputError(f"第 {number} 行：未知的部门代码“{code}”。")
        if category is None:
            category = departments[index[code]].category
        elif category not in CATEGORIES:
            raise InputError(f"第 {number} 行：未知的类别“{category}”。")
        b_col.append(ballot_index.setdefault(ballot_id, len(ballot_index)))
        c_col.append(CATEGORIES.index(category))
        d_col.append(index[code])
        r_col.append(parse_rating(rating))
    return parts_from_arrays(departments, list(ballot_index), np.asarray(b_col, dtype=np.int64),
                             np.asarray(d_col, dtype=np.int64), np.asarray(r_col, dtype=np.uint8),
                             np.asarray(c_col, dtype=np.int64))


def parts_from_arrays(departments: Sequence[Department], ids: Sequence[str], ballot: np.ndarray,
                      department: np.ndarray, rating: np.ndarray,
                      category: np.ndarray | None = None) -> dict[str, Parts]:
    """parts_from_rows on rating rows already held as arrays (the CLI's fast B.csv reader): row k
    rates department `department[k]` (index into `departments`) with code `rating[k]` on ballot
    `ids[ballot[k]]`; `category[k]` (index into CATEGORIES) defaults to the department's own."""
    local = {}
    for cat in CATEGORIES:
        for j, d in enumerate(category_departments(departments, cat)):
            local[d.code] = j
    ballots = np.asarray(ballot)
    dept = np.asarray(department)
    rating = np.asarray(rating, dtype=np.uint8)
    dept_cat = np.asarray([CATEGORIES.index(d.category) for d in departments], dtype=np.int8)
    part_cat = dept_cat[dept] if category is None else np.asarray(category)
    local_of = np.asarray([local[d.code] for d in departments], dtype=np.int64)
    out: dict[str, Parts] = {}
    for ci, cat in enumerate(CATEGORIES):
        members = category_departments(departments, cat)
        n = len(members)
        mask = part_cat == ci
        # np.unique(ballots[mask], return_inverse=True) without sorting: ballot numbers are small
        cat_ballots = ballots[mask]
        has_part = np.bincount(cat_ballots, minlength=len(ids)) > 0
        present = np.flatnonzero(has_part)
        part_of_row = (np.cumsum(has_part) - 1)[cat_ballots]
        del cat_ballots
        parts = Parts([ids[b] for b in present.tolist()], np.zeros((len(present), n), dtype=np.uint8))
        cat_dept = dept[mask]
        foreign = dept_cat[cat_dept] != ci
        if foreign.any():
            own = ~foreign
            cell = part_of_row[own] * n + local_of[cat_dept[own]]
            parts.codes.reshape(-1)[cell] = rating[mask][own]
        else:
            cell = part_of_row * n + local_of[cat_dept]
            parts.codes.reshape(-1)[cell] = rating[mask]
        # A department rated twice on a part leaves fewer rated cells than rows on that part.
        if n and cell.size and np.count_nonzero(parts.codes) != cell.size:
            seen = np.bincount(cell, minlength=len(present) * n).reshape(len(present), n)
            for p, j in zip(*np.nonzero(seen > 1)):
                parts.defects.setdefault(int(p), []).append(f"部门 {members[j].code} 评价了 {seen[p, j]} 次")
        del cell
        for p, d in zip(part_of_row[foreign].tolist(), cat_dept[foreign].tolist()):
            parts.defects.setdefault(p, []).append(
                f"部门 {departments[d].code} 不属于{CATEGORY_LABELS[cat]}")
        out[cat] = parts
    return out


def part_rows(department_codes: Sequence[str], codes: Sequence[int]) -> list[tuple[str, str]]:
    """The rated (non-blank) departments of one part as (department_code, rating word)."""
    return [(department_codes[j], RATING_WORDS.get(int(c), "invalid")) for j, c in enumerate(codes) if c != BLANK]


def digests_from_rows(rows: Iterable[tuple[str, str | None, str, str]]) -> list[tuple[str, str]]:
    """(ballot_id, digest) of every ballot in rating rows (ballot_id, category, code, rating)."""
    by_ballot: dict[str, list[tuple[str, str]]] = {}
    for ballot_id, _, code, rating in rows:
        by_ballot.setdefault(ballot_id, []).append((code, rating))
    return [(ballot_id, ballot_digest(ballot_id, ratings)) for ballot_id, ratings in by_ballot.items()]


def digests_from_arrays(departments: Sequence[Department], ids: Sequence[str], ballot: np.ndarray,
                        department: np.ndarray, rating: np.ndarray) -> list[tuple[str, str]]:
    """digests_from_rows on rating rows held as arrays (see parts_from_arrays), ballots in the order
    of `ids`: the same canonical text per ballot, its "code,rating" lines put in order by numpy
    (each (department, rating) pair's line ranked once) rather than sorted ballot by ballot."""
    words = [RATING_WORDS.get(r, RATING_WORDS[UNREADABLE]) for r in range(UNREADABLE + 1)]
    lines = [f"{d.code},{w}" for d in departments for w in words]  # pair = department·6 + rating
    rank = np.empty(len(lines), dtype=np.int64)
    rank[sorted(range(len(lines)), key=lines.__getitem__)] = np.arange(len(lines))
    pieces = [("\n" + line).encode("utf-8") for line in lines]
    size = np.array([len(p) for p in pieces], dtype=np.int64)
    table = np.zeros((len(pieces), int(size.max())), dtype=np.uint8)
    for i, piece in enumerate(pieces):
        table[i, :len(piece)] = np.frombuffer(piece, np.uint8)
    keep = np.arange(table.shape[1]) < size[:, None]
    ballot = np.asarray(ballot)
    pair = np.asarray(department, dtype=np.int32) * len(words) + np.asarray(rating, dtype=np.int32)
    # rows by ballot, then by line: (mostly in order already, which the stable sort is quick on)
    key = ballot.astype(np.int64) * len(lines)
    key += rank[pair]
    order = np.argsort(key, kind="stable")
    del key
    pair = pair[order]
    del order
    last_row = np.cumsum(np.bincount(ballot, minlength=len(ids))).tolist()
    out: list[tuple[str, str]] = []
    sha256 = hashlib.sha256
    first_row = 0
    for b0 in range(0, len(ids), 4096):  # a few thousand ballots' texts at a time
        b1 = min(b0 + 4096, len(ids))
        seg = pair[first_row:last_row[b1 - 1]]
        text = memoryview(table[seg][keep[seg]].tobytes())
        ends = [0] + np.cumsum(size[seg]).tolist()
        start = 0
        for ballot_id, row in zip(ids[b0:b1], last_row[b0:b1]):
            end = ends[row - first_row]
            digest = sha256(ballot_id.encode("utf-8"))
            digest.update(text[start:end])
            out.append((ballot_id, digest.hexdigest()))
            start = end
        first_row = last_row[b1 - 1]
    return out


# -- the hash chain ------------------------------------------------------------------------
def ballot_digest(ballot_id: str, ratings: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a ballot's canonical text: its id, then "code,rating" lines in sorted order.

    Ratings are canonical words (satisfied, basic, dissatisfied, unknown; anything else reads as
    invalid), so a B.csv in Chinese words gives the same digest as one in English.
    """
    lines = [ballot_id] + sorted(f"{code},{RATING_WORDS[parse_rating(word)]}" for code, word in ratings)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def chain(digests: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Link (ballot_id, digest) pairs in ballot-id order: link_i = SHA-256(link_{i-1} ‖ digest_i).

    The order is the ballots' random ids, never their arrival. Returns (ballot_id, digest, link).
    """
    links, head = [], GENESIS
    for ballot_id, digest in sorted(digests):
        head = hashlib.sha256((head + digest).encode("ascii")).hexdigest()
        links.append((ballot_id, digest, head))
    return links


def chain_head(digests: Iterable[tuple[str, str]]) -> str:
    links = chain(digests)
    return links[-1][2] if links else GENESIS


# -- 动员部署: the notice and the departments' self-check reports ------------------------------------
# A department's self-check (自查) on a given day: submitted by the deadline, submitted after it,
# still due (the deadline has not passed), or overdue (逾期: the deadline passed, still missing).
ON_TIME, LATE, DUE, OVERDUE = "on_time", "late", "due", "overdue"
SELF_CHECK_LABELS = {ON_TIME: "已提交", LATE: "逾期提交", DUE: "待提交", OVERDUE: "逾期"}


def self_check_deadline_problem(issued_on: date, due: date, voting_starts: date, today: date) -> str | None:
    """Why a 动员通知 issued on `issued_on` with the self-check deadline `due` is refused, in
    Chinese; None when it stands. The notice is recorded once issued (not dated in the future);
    the departments get at least the issue day itself (due ≥ issued_on) and finish strictly
    before the evaluation (voting) starts, so every report can be read before it."""
    if issued_on > today:
        return f"通知下发日期不能晚于今天（{today.isoformat()}）：请在下发后录入。"
    if due < issued_on:
        return f"自查截止日期不能早于通知下发日期（{issued_on.isoformat()}）。"
    if due >= voting_starts:
        return f"自查截止日期应早于组织评议日（{voting_starts.isoformat()}），以便评议前收齐自查报告。"
    return None


def self_check_status(due: date, submitted_on: date | None, today: date) -> str:
    """One department's state: its first report's date against the deadline (a correction
    filed later never changes it). The deadline day itself still counts as in time."""
    if submitted_on is not None:
        return ON_TIME if submitted_on <= due else LATE
    return OVERDUE if today > due else DUE


@dataclass(frozen=True)
class SelfCheckSummary:
    received: int      # reports in, on time or late
    total: int         # departments on the list
    overdue: int       # deadline passed, still missing
    late: int          # in, but after the deadline

    @property
    def complete(self) -> bool:
        return self.received == self.total


def self_check_summary(due: date, submitted: Iterable[date | None], today: date) -> SelfCheckSummary:
    states = [self_check_status(due, s, today) for s in submitted]
    return SelfCheckSummary(received=sum(s in (ON_TIME, LATE) for s in states), total=len(states),
                            overdue=states.count(OVERDUE), late=states.count(LATE))
