"""Retaliation watch (打击报复监测): after an enterprise complains or objects, does a unit inspect it more?

Pure: the standard library only. The rule (issue 12, 扫码入企):

* A *watch* starts on the day an enterprise files a complaint (that a unit broke the exemption) or an
  objection (to its grade) and names the units watched: the unit complained about, or the unit
  whose grade the objection contests (every grading unit for an objection to the combined grade),
  each with its county units when it is a city unit.
* *After*: the enterprise's inspections by the watched units on the days start+1 … start+365 that
  have passed (the 12 months following), `elapsed` of those days (1 … 365).
* *Before*: its inspections by the same units on the days start−365 … start−1 (its own rate).
* *Peers*: the other enterprises of the same grade (in the grading in force on the start day; an
  enterprise not on the list is compared with the others not on it), each with its inspections by
  the watched units over the same days as *after*; `peer_median` is their median (the mean of the
  two middle values for an even number, exact).
* A rise is flagged when after × 365 > before × elapsed (a higher daily rate than its own over the
  previous 12 months, so one inspection after none is a rise) **and** after > peer_median. With no
  peers the second condition is after > 0.

Inspections on the start day count neither before nor after.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Hashable, Iterable, Mapping, NamedTuple

WINDOW_DAYS = 365


class Visit(NamedTuple):
    enterprise: Hashable
    unit: Hashable
    day: date


@dataclass(frozen=True)
class Watch:
    key: Hashable                  # the complaint or objection
    enterprise: Hashable
    units: frozenset               # the watched units
    start: date                    # the day it was filed


@dataclass(frozen=True)
class Rise:
    watch: Watch
    after: int
    before: int
    elapsed: int
    peer_median: Fraction
    peers: int

    @property
    def flagged(self) -> bool:
        return self.after * WINDOW_DAYS > self.before * self.elapsed and self.after > self.peer_median


def median(values: list[int]) -> Fraction:
    if not values:
        return Fraction(0)
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def measure(watch: Watch, visits: Iterable[Visit], groups: Mapping[Hashable, Hashable], today: date) -> Rise | None:
    """The watch's figures on `today` (None before its first day after the start). `groups`:
    every enterprise → its grade ('' or None: not on the list); peers are the watched enterprise's
    group without it."""
    elapsed = min((today - watch.start).days, WINDOW_DAYS)
    if elapsed < 1:
        return None
    after_first, after_last = watch.start + timedelta(days=1), watch.start + timedelta(days=elapsed)
    before_first = watch.start - timedelta(days=WINDOW_DAYS)
    after = before = 0
    peer_counts: dict[Hashable, int] = {}
    group = groups.get(watch.enterprise) or ""
    for visit in visits:
        if visit.unit not in watch.units:
            continue
        in_after = after_first <= visit.day <= after_last
        if visit.enterprise == watch.enterprise:
            if in_after:
                after += 1
            elif before_first <= visit.day < watch.start:
                before += 1
        elif in_after and (groups.get(visit.enterprise) or "") == group:
            peer_counts[visit.enterprise] = peer_counts.get(visit.enterprise, 0) + 1
    peers = sum(1 for e, g in groups.items() if (g or "") == group and e != watch.enterprise)
    values = list(peer_counts.values()) + [0] * (peers - len(peer_counts))
    return Rise(watch, after, before, elapsed, median(values), peers)


def rises(watches: Iterable[Watch], visits: Iterable[Visit], groups: Mapping[Hashable, Hashable],
          today: date) -> list[Rise]:
    """The flagged rises among `watches` on `today`."""
    visits = list(visits)
    found = (measure(w, visits, groups, today) for w in watches)
    return [r for r in found if r is not None and r.flagged]
