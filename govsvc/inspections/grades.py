"""The published A/B/C exemption grading, as this module sees it: one function, so the plan
checks, the draw, the results and the tests all read grades the same way."""
from __future__ import annotations

from datetime import date

from govsvc.grading.service import published_grades

NO_GRADING_NOTICE = "尚无已公布的免检免扰评级：计划事项暂不按A/B/C评级审核，双随机抽取也不排除任何企业。"


def current_grades(on: date | None = None) -> dict[int, str]:
    """Enterprise id → 'A' | 'B' | 'C' of the latest grading published on or before `on`
    (today when None). Enterprises missing from it are not restricted."""
    return dict(published_grades(on))
