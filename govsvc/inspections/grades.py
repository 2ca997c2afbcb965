"""The published A/B/C exemption grading, as this module sees it: the grades and the round's
published inspection rules, so the plan checks, the draw, the results and the tests all read them
the same way."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govsvc.grading.service import published_grades, published_round
from scoring import grading as grading_core
from scoring import inspections as core

NO_GRADING_NOTICE = "尚无已公布的免检免扰评级：计划事项暂不按A/B/C评级审核，双随机抽取也不排除任何企业。"


def current_grades(on: date | None = None) -> dict[int, str]:
    """Enterprise id → 'A' | 'B' | 'C' of the latest grading published on or before `on`
    (today when None). Enterprises missing from it are not restricted."""
    return dict(published_grades(on))


@dataclass(frozen=True)
class Policy:
    """How the published grading acts on inspections (the round's [inspections] rules)."""

    a_scope: str = core.DEFAULT_A_SCOPE
    c_weight: int = core.DEFAULT_C_WEIGHT
    year: int | None = None          # the grading year they come from; None: the defaults

    def describe(self) -> str:
        rules = grading_core.Rules(a_scope=self.a_scope, c_weight=self.c_weight)
        source = f"{self.year}年度免检免扰评级公布的规则" if self.year else "默认规则（尚无已公布的评级）"
        return f"{rules.describe_inspections()}。（{source}）"


def current_policy(on: date | None = None) -> Policy:
    """The inspection rules of the grading in force on `on` (the defaults without one)."""
    grading_round = published_round(on)
    if grading_round is None:
        return Policy()
    try:
        rules = grading_core.parse_rules(grading_round.rules_toml)
    except grading_core.RulesError:
        return Policy(year=grading_round.year)
    return Policy(rules.a_scope, rules.c_weight, grading_round.year)
