"""Top taxpayers (纳税 N 强): rank enterprises by a year's local retained tax, with the
enterprises of one group ranked together by the group's total (原则上同一集团公司的以集团数据参与排名).

Pure: takes plain rows, returns plain rows. Exact decimals throughout.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
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


def _representative(members: list[TaxEntry]) -> TaxEntry | None:
    active = [m for m in members if m.in_business]
    heads = [m for m in active if m.group_head]
    if heads:
        return heads[0]
    if not active:
        return None
    return min(active, key=lambda m: (-m.amount, m.credit_code))


def rank_taxpayers(entries: Iterable[TaxEntry], n: int) -> list[RankedTaxpayer]:
    """The top n entries by total, descending; ties broken by the representative's credit code.

    A group's total is the sum of all its members' tax (also members no longer in business);
    it is represented by its head enterprise (集团母公司), or, when none is flagged or the head
    is no longer in business, by its largest member in business. Enterprises not in business
    and groups without a member in business are left out.
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    buckets: dict[str, list[TaxEntry]] = {}
    for entry in entries:
        key = f"g:{entry.group}" if entry.group else f"e:{entry.enterprise_id}"
        buckets.setdefault(key, []).append(entry)
    candidates = []
    for members in buckets.values():
        rep = _representative(members)
        if rep is None:
            continue
        total = sum((m.amount for m in members), Decimal(0))
        candidates.append((total, rep, members))
    candidates.sort(key=lambda c: (-c[0], c[1].credit_code))
    return [
        RankedTaxpayer(rank=i, enterprise_id=rep.enterprise_id, credit_code=rep.credit_code,
                       group=rep.group, members=len(members), total=total)
        for i, (total, rep, members) in enumerate(candidates[:n], start=1)
    ]
