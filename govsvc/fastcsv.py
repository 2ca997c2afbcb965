"""A vectorised reader for plain CSV files, for the offline CLIs' large inputs (grading compute's
R.csv and E.csv): numpy over the whole file instead of the csv module row by row.

It reads only what it is sure to read exactly as govsvc.tables.read_table does, and gives up
(`GiveUp`) on anything else: quotes, control characters (but tab and the CR of CRLF), a lone CR,
a line with another number of cells than the header, a header of anything but letters, "_" and
",", a file of more than MAX_ROWS rows, a cell that is not UTF-8 or wider than `max_width`
bytes. The caller then reads the file again with read_table, which accepts the same files with the
same rows and words every refusal with its row number: this reader never words an error itself.
Cells are text stripped of surrounding blanks, as read_table gives them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsvc.tables import MAX_ROWS

MAX_WIDTH = 256  # a wider cell: the exact reader
_PADDING = MAX_WIDTH + 8
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93] * 9,
                dtype=np.uint64)


class GiveUp(Exception):
    """This file is for the exact reader."""


@dataclass
class Columns:
    header: list[str]            # lower-case names
    data: np.ndarray             # the file's bytes (uint8), padded
    start: list[np.ndarray]      # per column: where each row's cell starts …
    end: list[np.ndarray]        # … and ends (exclusive), row by row (blank lines left out)

    @property
    def rows(self) -> int:
        return len(self.start[0]) if self.start else 0

    def column(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        k = self.header.index(name)
        return self.start[k], self.end[k]


def split(data: bytes) -> Columns:
    """The cells of a plain CSV file, by column; GiveUp if it is not plain (see the module)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b'"' in data or b"\x7f" in data:
        raise GiveUp
    first = data.find(b"\n")
    if first < 0:
        raise GiveUp
    head = data[:first].rstrip(b"\r")
    if not head or head.strip(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_,"):
        raise GiveUp
    header = head.decode("ascii").lower().split(",")
    if "" in header or len(set(header)) != len(header):
        raise GiveUp
    if not data.endswith(b"\n"):
        data += b"\n"
    a = np.frombuffer(data + bytes(_PADDING), dtype=np.uint8)
    size = len(data)
    low = np.flatnonzero(a[first + 1:size] < 32) + first + 1  # line ends, tabs, any other control character
    kind = a[low]
    low = low[kind != 9]
    kind = kind[kind != 9]
    newline = low[kind == 10]
    cr = low[kind == 13]
    if len(newline) + len(cr) != len(low):
        raise GiveUp
    if len(newline) > MAX_ROWS:
        raise GiveUp  # read_table words the limit
    start = np.concatenate([[first + 1], newline[:-1] + 1])
    end = newline.copy()
    if cr.size:
        if not np.array_equal(a[cr + 1], np.full(cr.size, 10, np.uint8)):
            raise GiveUp  # a lone CR ends a record for the csv module
        end[np.searchsorted(newline, cr)] -= 1
    filled = end > start
    start, end = start[filled], end[filled]
    n = len(header)
    comma = np.flatnonzero(a[first + 1:size] == 44) + first + 1
    if len(comma) != (n - 1) * len(start):
        raise GiveUp
    comma = comma.reshape(len(start), n - 1)
    # (n − 1)·rows commas in all, and line k holds the k-th n − 1 of them: each line holds n − 1
    if n > 1 and len(start) and not (np.all(comma[:, 0] >= start) and np.all(comma[:, -1] < end)):
        raise GiveUp
    starts = [start] + [comma[:, k] + 1 for k in range(n - 1)]
    ends = [comma[:, k] for k in range(n - 1)] + [end]
    return Columns(header, a, starts, ends)


def _grid(a: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Each cell's bytes, zero-padded to whole uint64 words, one row per cell."""
    length = end - start
    width = int(length.max()) if length.size else 0
    if width > MAX_WIDTH:
        raise GiveUp
    words = max(1, (width + 7) // 8)
    grid = np.lib.stride_tricks.sliding_window_view(a, 8 * words)[start].view(np.uint64)
    keep = np.zeros((8 * words + 1, 8 * words), dtype=np.uint8)
    keep[np.arange(8 * words)[None, :] < np.arange(8 * words + 1)[:, None]] = 0xFF
    grid &= keep.view(np.uint64)[length]
    return grid


def distinct(cols: Columns, name: str) -> tuple[np.ndarray, list[str]]:
    """(index of each row's cell in `values`, values): the column's distinct cells as stripped text."""
    start, end = cols.column(name)
    if not start.size:
        return np.zeros(0, dtype=np.int64), []
    grid = _grid(cols.data, start, end)
    key = grid[:, 0].copy() if grid.shape[1] == 1 else (grid * _MIX[:grid.shape[1]]).sum(axis=1, dtype=np.uint64)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if grid.shape[1] > 1 and not np.array_equal(grid[first][inverse], grid):
        raise GiveUp  # two different cells with one hash: never seen, but then the exact reader
    a = cols.data
    try:
        values = [a[s:e].tobytes().decode("utf-8").strip() for s, e in zip(start[first].tolist(), end[first].tolist())]
    except UnicodeDecodeError:
        raise GiveUp from None
    return inverse, values


def digits(cols: Columns, name: str, max_digits: int = 15) -> tuple[np.ndarray, np.ndarray] | None:
    """The column as integers when every cell is empty or ASCII digits only (at most `max_digits`):
    (values, empty mask); None otherwise."""
    start, end = cols.column(name)
    length = end - start
    if length.size and int(length.max()) > max_digits:
        return None
    value = np.zeros(len(start), dtype=np.int64)
    for k in range(int(length.max()) if length.size else 0):
        inside = k < length
        digit = cols.data[start + k].astype(np.int64) - 48
        if np.any(inside & ((digit < 0) | (digit > 9))):
            return None
        value = np.where(inside, value * 10 + digit, value)
    return value, length == 0
