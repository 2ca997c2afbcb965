"""The survey's file formats (SPEC.md "Offline tally"), shared by the CLI and the web exports.

    D.csv  code,name,category                      rated departments (category enforcement|service
                                                   or 执法和综合管理类|服务类)
    B.csv  ballot_id,department_code,rating        one row per rating (satisfied|basic|dissatisfied|
                                                   unknown or 满意|基本满意|不满意|不了解)
    R.csv  category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome
    P.csv  a previous year's R.csv
    X.csv  ballot_id,category,reason               one row per invalid ballot part

Reading raises `FileError` with one clear line (Chinese) naming the file and the row.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govsvc import outputs as outputs_module
from govsvc.exports import csv_bytes
from govsvc.tables import TableError, check_header_width, column_limit, csv_records, extent, read_table
from scoring import survey as core

D_HEADER = ["code", "name", "category"]
B_HEADER = ["ballot_id", "department_code", "rating"]
R_HEADER = ["category", "rank", "code", "name", "score", "satisfied", "basic", "dissatisfied", "unknown", "outcome"]
X_HEADER = ["ballot_id", "category", "reason"]


class FileError(ValueError):
    """A file that cannot be used; the message is one line for the user."""


def os_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    if isinstance(exc, PermissionError):
        return "没有权限"
    return exc.strerror or str(exc)


def read_bytes(path: str, label: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise FileError(f"无法读取 {label}（{path}）：{os_error(exc)}") from None


def _columns(header: Sequence[str], wanted: Sequence[str], label: str) -> dict[str, int]:
    positions = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [w for w in wanted if w not in positions]
    if missing:
        raise FileError(f"{label} 缺少列：{', '.join(missing)}（表头应为 {','.join(wanted)}）")
    return {w: positions[w] for w in wanted}


def _read_small(data: bytes, label: str, columns: Sequence[str]):
    try:
        return read_table(data, label, max_columns=column_limit(len(columns)))
    except TableError as exc:
        raise FileError(f"{label}：{exc}") from None


def read_departments(data: bytes, label: str = "D.csv") -> list[core.Department]:
    table = _read_small(data, label, D_HEADER)
    col = _columns(table.header, D_HEADER, label)
    departments, seen = [], {}
    for number, row in enumerate(table.rows, start=2):
        if not any(row):
            continue
        code, name, category_text = (row[col[c]] for c in D_HEADER)
        if not code:
            raise FileError(f"{label} 第 {number} 行：部门代码为空")
        category = core.parse_category(category_text)
        if category is None:
            raise FileError(f"{label} 第 {number} 行：类别“{category_text}”无效，应为 enforcement 或 service"
                            "（执法和综合管理类 或 服务类）")
        if code in seen:
            raise FileError(f"{label} 第 {number} 行：部门代码“{code}”与第 {seen[code]} 行重复")
        seen[code] = number
        departments.append(core.Department(code=code, name=name, category=category))
    if not departments:
        raise FileError(f"{label} 中没有部门")
    return departments


def _text_lines(path: Path, label: str) -> Iterable[str]:
    """The lines of a UTF-8 (with or without BOM) or GB18030 text file, streamed."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise FileError(f"无法读取 {label}（{path}）：{os_error(exc)}") from None
    if b"\x00" in head:
        raise FileError(f"{label} 不是文本格式的 CSV")
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
    with open(path, encoding=encoding, newline="") as fh:
        try:
            yield from fh
        except UnicodeDecodeError:
            raise FileError(f"{label} 的编码无法识别：请保存为 UTF-8 编码的 CSV") from None


def read_ballot_rows(path: Path, departments: Sequence[core.Department], label: str = "B.csv",
                     progress: Callable[[int], None] | None = None) -> list[tuple[str, None, str, str]]:
    """B.csv as (ballot_id, None, department_code, rating) rows; unknown codes are bad input."""
    known = {d.code for d in departments}
    records = csv_records(_text_lines(path, label))
    rows = []
    try:
        number, header = next(records, (0, None))
        if header is None:
            raise FileError(f"{label} 为空：第一行应为表头 {','.join(B_HEADER)}")
        check_header_width(extent(header), column_limit(len(B_HEADER)))
        col = _columns([h.lstrip("\ufeff") for h in header], B_HEADER, label)
        width = max(col.values()) + 1
        for number, row in records:
            if progress and number % 10000 == 0:
                progress(10000)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise FileError(f"{label} 第 {number} 行：列数不足")
            ballot_id, code, rating = (row[col[c]].strip() for c in B_HEADER)
            if not ballot_id:
                raise FileError(f"{label} 第 {number} 行：ballot_id 为空")
            if code not in known:
                raise FileError(f"{label} 第 {number} 行：未知的部门代码“{code}”（不在部门名单中）")
            rows.append((ballot_id, None, code, rating))
    except TableError as exc:
        raise FileError(f"{label}：{exc}") from None
    return rows


@dataclass
class BallotRows:
    """B.csv's rating rows as arrays: row k rates department `departments[department[k]]` with the
    rating code `rating[k]` (scoring.survey) on ballot `ids[ballot[k]]`; ids in order of first
    appearance (what scoring.survey.parts_from_arrays and digests_from_arrays take)."""

    ids: list[str]
    ballot: np.ndarray      # int32
    department: np.ndarray  # int32
    rating: np.ndarray      # uint8

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, None, str, str]],
                  departments: Sequence[core.Department]) -> "BallotRows":
        index = {d.code: i for i, d in enumerate(departments)}
        ballot_index: dict[str, int] = {}
        ballot = [ballot_index.setdefault(r[0], len(ballot_index)) for r in rows]
        return cls(list(ballot_index), np.asarray(ballot, dtype=np.int32),
                   np.asarray([index[r[2]] for r in rows], dtype=np.int32),
                   np.asarray([core.parse_rating(r[3]) for r in rows], dtype=np.uint8))

    def __len__(self) -> int:
        return len(self.ballot)


def read_ballots(path, departments: Sequence[core.Department], label: str = "B.csv",
                 progress: Callable[[int], None] | None = None, fast: bool = True) -> BallotRows:
    """B.csv as arrays. A vectorised reader takes the plain files (UTF-8, three columns, no quotes,
    no spaces, known department codes and rating words); on anything else it gives up, and the
    exact reader (read_ballot_rows) reads the file again: it accepts the same files with the same
    rows, and words every refusal, with its row number."""
    rows = _fast_ballots(path, departments, progress) if fast else None
    if rows is not None:
        return rows
    return BallotRows.from_rows(read_ballot_rows(path, departments, label, progress), departments)


_FAST_CHUNK = 8 << 20
_FAST_MAX_ID = 128       # longer ballot ids (or department codes): the exact reader


class _GiveUp(Exception):
    """The fast reader leaves this file to the exact one."""


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93] * 8,
                dtype=np.uint64)


def _words(width: int) -> int:
    """uint64 words holding `width` bytes."""
    return (width + 7) // 8


def _grid(a: np.ndarray, start: np.ndarray, end: np.ndarray, width: int, empty: bool = False) -> np.ndarray:
    """The bytes a[start:end] of each field, zero-padded to _words(width) uint64 words per field
    (one row each); an empty field, or one longer than `width`, gives up. `a` ends with at least
    8·_words(width) bytes of padding."""
    words = _words(width)
    length = end - start
    if not length.size:
        return np.zeros((0, words), dtype=np.uint64)
    if (length.min() < 1 and not empty) or length.max() > width:
        raise _GiveUp
    grid = np.lib.stride_tricks.sliding_window_view(a, 8 * words)[start].view(np.uint64)
    if length.min() < 8 * words:  # clear the bytes after each field
        keep = np.zeros((8 * words + 1, 8 * words), dtype=np.uint8)
        keep[np.arange(8 * words)[None, :] < np.arange(8 * words + 1)[:, None]] = 0xFF
        grid &= keep.view(np.uint64)[length]
    return grid


def _mix(grid: np.ndarray) -> np.ndarray:
    """One uint64 per row (a hash when rows are wider than a word: _match checks the bytes)."""
    if grid.shape[1] == 1:
        return grid[:, 0].copy()
    return (grid * _MIX[:grid.shape[1]]).sum(axis=1, dtype=np.uint64)


def _tokens(texts: Sequence[str]):
    """The known field texts for _match: their rows (as _grid), hashes in order, and positions."""
    encoded = [t.encode("utf-8") for t in texts]
    width = max(1, max(len(e) for e in encoded))
    words = _words(width)
    grid = np.zeros((len(encoded), 8 * words), dtype=np.uint8)
    for i, e in enumerate(encoded):
        grid[i, :len(e)] = np.frombuffer(e, np.uint8)
    grid = grid.view(np.uint64)
    keys = _mix(grid)
    order = np.argsort(keys, kind="stable")
    if len(np.unique(keys)) != len(keys) or b"" in encoded:
        raise _GiveUp
    return keys[order], order, grid[order], width


def _match(a, start, end, table, unknown: int | None = None) -> np.ndarray:
    """Position (in the texts given to _tokens) of each field. An unknown field gives up, unless
    `unknown` is given: then an unknown field of ASCII bytes (or an empty one) is `unknown` (an
    unknown non-ASCII one still gives up: str.strip knows more blanks than ASCII)."""
    keys, order, grid, width = table
    found = _grid(a, start, end, width, empty=unknown is not None)
    at = np.minimum(np.searchsorted(keys, _mix(found)), len(keys) - 1)
    same = (grid[at] == found).all(axis=1)
    if same.all():
        return order[at]
    if unknown is None or (found[~same] & np.uint64(0x8080808080808080)).any():
        raise _GiveUp
    return np.where(same, order[at], unknown)


def _fast_ballots(path, departments: Sequence[core.Department], progress) -> BallotRows | None:
    try:
        with open(path, "rb") as fh:
            head = fh.readline(65536)
            if head.startswith(codecs.BOM_UTF8):
                head = head[len(codecs.BOM_UTF8):]
            line = head.rstrip(b"\r\n")
            if not head.endswith(b"\n") or line.strip(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_,"):
                return None  # a header of anything but letters, "_" and ",": the exact reader
            names = line.decode("ascii").lower().split(",")
            if sorted(names) != sorted(B_HEADER):
                return None
            col = [names.index(c) for c in B_HEADER]
            codes = _tokens([d.code for d in departments])
            words = sorted(core._RATING_BY_TEXT)
            # + a placeholder, last: unknown words up to its width are UNREADABLE, wider ones the exact reader's
            ratings = _tokens(words + ["-" * 24])
            if codes[3] > _FAST_MAX_ID:
                return None
            # an unknown word (say "invalid", as the web's B.csv writes an unreadable mark) is UNREADABLE
            rating_code = np.array([core._RATING_BY_TEXT[w] for w in words] + [core.UNREADABLE], dtype=np.uint8)
            ballot_index: dict[str, int] = {}
            out_b, out_d, out_r = [], [], []
            rest = b""
            while True:
                block = fh.read(_FAST_CHUNK)
                data = rest + block
                if not block:
                    if not data:
                        break
                    if not data.endswith(b"\n"):
                        data += b"\n"
                    rest = b""
                else:
                    cut = data.rfind(b"\n") + 1
                    data, rest = data[:cut], data[cut:]
                    if not data:
                        continue
                b, d, r = _fast_block(data, col, codes, ratings, ballot_index)
                out_b.append(b)
                out_d.append(d.astype(np.int32))
                out_r.append(rating_code[r])
                if progress:
                    progress(len(b))
                if not block:
                    break
    except (OSError, UnicodeDecodeError, _GiveUp):
        return None
    if not ballot_index:
        return None  # no rows at all: the exact reader says what is wrong or reads the empty file
    return BallotRows(list(ballot_index), np.concatenate(out_b), np.concatenate(out_d), np.concatenate(out_r))


def _fast_block(data: bytes, col, codes, ratings, ballot_index: dict[str, int]):
    """One block of whole lines: (ballot index, department index, rating index) per non-empty line."""
    if b'"' in data or b" " in data or b"\x7f" in data:
        raise _GiveUp
    padding = _FAST_MAX_ID + 8
    a = np.frombuffer(data + bytes(padding), dtype=np.uint8)
    size = len(a) - padding
    low = np.flatnonzero(a[:size] < 32)  # line ends, and any control character
    kind = a[low]
    newline = low[kind == 10]
    cr = low[kind == 13]
    if len(newline) + len(cr) != len(low):
        raise _GiveUp
    start = np.concatenate([[0], newline[:-1] + 1])
    end = newline.copy()
    if cr.size:
        if not np.array_equal(a[cr + 1], np.full(cr.size, 10, np.uint8)):
            raise _GiveUp  # a lone CR ends a record for the csv module
        end[np.searchsorted(newline, cr)] -= 1
    filled = end > start
    start, end = start[filled], end[filled]
    comma = np.flatnonzero(a[:size] == 44)
    if len(comma) != 2 * len(start):
        raise _GiveUp
    c1, c2 = comma[0::2], comma[1::2]
    # 2 commas for each line, and line k holds the (2k)th and (2k+1)th: then each holds exactly two
    if not (np.all(c1 > start) and np.all(c2 > c1) and np.all(c2 < end)):
        raise _GiveUp
    bounds = [(start, c1), (c1 + 1, c2), (c2 + 1, end)]
    b_start, b_end = bounds[col[0]]
    widest = int((b_end - b_start).max()) if len(b_start) else 1
    if widest > _FAST_MAX_ID:
        raise _GiveUp
    ids = _grid(a, b_start, b_end, max(1, widest))
    if ids.size and (ids & np.uint64(0x8080808080808080)).any():
        raise _GiveUp  # non-ASCII ballot ids: str.strip knows more blanks than ASCII
    if ids.size:
        run = np.flatnonzero(np.concatenate([[True], (ids[1:] != ids[:-1]).any(axis=1)]))
        index = [ballot_index.setdefault(i.rstrip(b"\0").decode("ascii"), len(ballot_index))
                 for i in ids[run].view(f"S{8 * ids.shape[1]}").reshape(-1).tolist()]
        ballot = np.repeat(np.asarray(index, dtype=np.int32), np.diff(np.append(run, len(ids))))
    else:
        ballot = np.zeros(0, dtype=np.int32)
    department = _match(a, *bounds[col[1]], codes)
    rating = _match(a, *bounds[col[2]], ratings, unknown=len(ratings[1]) - 1)
    return ballot, department, rating


def read_previous_bottom(data: bytes, label: str = "P.csv") -> set[str]:
    """Codes of the departments in last year's bottom two (outcome interview or reorganize)."""
    table = _read_small(data, label, R_HEADER)
    col = _columns(table.header, ["code", "outcome"], label)
    bottom = set()
    for number, row in enumerate(table.rows, start=2):
        outcome = row[col["outcome"]]
        if outcome and outcome not in core.OUTCOMES:
            raise FileError(f"{label} 第 {number} 行：结果“{outcome}”无效，应为 commended、interview、reorganize 或空")
        if outcome in (core.INTERVIEW, core.REORGANIZE):
            bottom.add(row[col["code"]])
    return bottom


# -- writing ----------------------------------------------------------------------------------
def result_row(r) -> list:
    """One R.csv row from a scoring.survey.DepartmentResult or a stored DepartmentScore."""
    return [r.category, "" if r.rank is None else r.rank, r.code, r.name, r.score_text, r.satisfied, r.basic,
            r.dissatisfied, r.unknown, r.outcome]


def results_csv(results) -> bytes:
    return csv_bytes(R_HEADER, (result_row(r) for r in results), bom=False)


def rejected_csv(rejected: Iterable[core.Rejection]) -> bytes:
    return csv_bytes(X_HEADER, ([r.ballot_id, r.category, r.reason] for r in rejected), bom=False)


def departments_csv(departments: Iterable[core.Department]) -> bytes:
    return csv_bytes(D_HEADER, ([d.code, d.name, d.category] for d in departments), bom=False)


def ballots_csv(rows: Iterable[tuple[str, str, str]]) -> bytes:
    return csv_bytes(B_HEADER, rows, bom=False)


def write_all(outputs: Sequence[tuple[str, bytes]]) -> None:
    """Write every (path, content) or none (see govsvc.outputs)."""
    outputs_module.write_all(outputs, FileError)
