"""Top taxpayers (纳税 N 强): rank enterprises by a year's local retained tax, with the
enterprises of one group ranked together by the group's total (原则上同一集团公司的以集团数据参与排名).

Pure: takes plain rows, returns plain rows. Exact decimals throughout.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Iterable


@dataclass(frozen=True)
class TaxEntry:
    enterprise_id: int
    credit_code: str
    group: str            # "" when the enterprise belongs to no group
    group_head: bool
    in_business: bool     # 存续
    amount: Decimal       # local retained tax of the year


@dataclass(frozen=True)
class RankedTaxpayer:
    rank: int             # 1..n, in list order
    enterprise_id: int    # the enterprise that stands for the entry (a group's head)
    credit_code: str
    group: str
    members: int          # enterprises whose tax is in the total
    total: Decimal


@dataclass(frozen=True)
class GroupTotal:
    """A group (or an enterprise outside any group) already summed, e.g. by the database: its
    exact total, how many members' tax the total holds, and the members that may stand for it —
    every member, or at least its heads in business and its largest member in business."""
    total: Decimal
    members: int
    candidates: tuple[TaxEntry, ...]


def _largest(entries: Iterable[TaxEntry]) -> TaxEntry:
    return min(entries, key=lambda m: (-m.amount, m.credit_code))


def _representative(members: Iterable[TaxEntry]) -> TaxEntry | None:
    """The head in business (the largest of them, should a group flag several), else the largest
    member in business, else none (the group is left out)."""
    active = [m for m in members if m.in_business]
    heads = [m for m in active if m.group_head]
    if heads:
        return _largest(heads)
    if not active:
        return None
    return _largest(active)


def group_key(entry: TaxEntry) -> str:
    return f"g:{entry.group}" if entry.group else f"e:{entry.enterprise_id}"


def summarise(entries: Iterable[TaxEntry]) -> list[GroupTotal]:
    """Every group's total over all its members (also those no longer in business)."""
    buckets: dict[str, list[TaxEntry]] = {}
    for entry in entries:
        buckets.setdefault(group_key(entry), []).append(entry)
    return [GroupTotal(sum((m.amount for m in members), Decimal(0)), len(members), tuple(members))
            for members in buckets.values()]


def rank_taxpayers(entries: Iterable[TaxEntry], n: int) -> list[RankedTaxpayer]:
    """The top n entries by total, descending; ties broken by the representative's credit code.

    A group's total is the sum of all its members' tax (also members no longer in business);
    it is represented by its head enterprise (集团母公司; the largest, should several be flagged),
    or, when none is flagged or the head is no longer in business, by its largest member in
    business. Enterprises not in business and groups without a member in business are left out.
    """
    return rank_groups(summarise(entries), n)


def rank_groups(groups: Iterable[GroupTotal], n: int) -> list[RankedTaxpayer]:
    """rank_taxpayers over groups summed elsewhere (the same list as from all the entries)."""
    if n < 0:
        raise ValueError("n must be non-negative")
    candidates = []
    for group in groups:
        members = group.candidates
        if len(members) == 1:   # the common case (an enterprise outside any group): no lists to build
            rep = members[0] if members[0].in_business else None
        else:
            rep = _representative(members)
        if rep is not None:
            candidates.append((group.total, rep.credit_code, rep, group.members))
    # by total descending, then credit code: two stable sorts (reverse keeps equal keys in order)
    candidates.sort(key=itemgetter(1))
    candidates.sort(key=itemgetter(0), reverse=True)
    return [
        RankedTaxpayer(rank=i, enterprise_id=rep.enterprise_id, credit_code=code,
                       group=rep.group, members=members, total=total)
        for i, (total, code, rep, members) in enumerate(candidates[:n], start=1)
    ]
