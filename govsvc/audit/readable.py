"""The audit log made readable for a clerk: object names with links, and the details as change lines.

`resolve_targets(entries)` turns each entry's target ("enterprise:12", "grading_round:3/enterprise:9")
into objects with a Chinese type name, a display name and a link, loading the names in bulk (one
query per object type for the whole page). Persons are named by type and number only: the names
of officials in integrity files are for discipline staff, and the log is read by admins too; the
link leads to the person's page, which checks its own access. Clues and other matters of a
sensitive module show their reference number, not their title (a title may name the accused).

`change_lines(detail)` renders the JSON details as "字段：旧值 → 新值" lines (and "字段：值").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable

from flask import url_for
from sqlalchemy import or_, select
from werkzeug.routing import BuildError

from govsvc.audit.labels import FIELDS, OBJECT_TYPES
from govsvc.extensions import db


@dataclass
class ObjectRef:
    type: str
    key: str
    type_label: str
    name: str = ""
    url: str = ""

    @property
    def text(self) -> str:
        if not self.type_label:
            return self.key
        return f"{self.type_label}：{self.name}" if self.name else f"{self.type_label} #{self.key}"


def _models():
    """type -> (model, name of a row, lookup column for non-numeric keys)."""
    from govsvc.auth.models import User
    from govsvc.grading.models import GradingRound
    from govsvc.inspections.models import InspectionPlan
    from govsvc.ledger.models import Matter
    from govsvc.ledger.service import SENSITIVE_MODULES
    from govsvc.registry.models import Enterprise, Unit
    from govsvc.survey.models import Campaign

    return {
        "enterprise": (Enterprise, lambda e: e.name, None),
        "unit": (Unit, lambda u: u.name, Unit.code),
        "user": (User, lambda u: u.username, None),
        "survey": (Campaign, lambda c: c.title, None),
        "grading_round": (GradingRound, lambda r: f"{r.year}年度", None),
        "inspection_plan": (InspectionPlan, lambda p: p.title, None),
        "matter": (Matter, lambda m: (m.ref or f"#{m.id}") if m.module in SENSITIVE_MODULES else m.title, None),
    }


# type -> (endpoint, argument) of the object's page (each page checks its own access).
LINKS: dict[str, tuple[str, str]] = {
    "enterprise": ("registry.enterprise", "enterprise_id"), "user": ("admin.edit_user", "user_id"),
    "person": ("integrity.person", "person_id"), "matter": ("ledger.matter", "matter_id"),
    "survey": ("survey.overview", "campaign_id"), "grading_round": ("grading.round_detail", "round_id"),
    "grading_objection": ("grading.objection", "objection_id"), "grading_complaint": ("grading.complaint", "complaint_id"),
    "downgrade_proposal": ("grading.proposal", "proposal_id"), "inspection_plan": ("inspections.plan", "plan_id"),
    "inspection_filing": ("inspections.filing", "filing_id"), "inspection_plan_change": ("inspections.change", "change_id"),
    "inspection_draw": ("inspections.public_draw", "draw_id"), "inspection_result": ("inspections.result", "result_id"),
    "inspection_result_filing": ("inspections.result_filing", "filing_id"),
    "inspection_circular": ("inspections.circular", "circular_id"), "inspection_report": ("inspections.report", "report_id"),
    "portal_visit": ("portal.visit", "visit_id"), "care_appeal": ("care.appeal", "appeal_id"),
    "care_invitation": ("care.invitation", "invitation_id"), "care_leader": ("care.leader", "leader_id"),
    "care_county_plan": ("care.plan", "plan_id"), "green_service": ("care.green_service", "service_id"),
    "service_change": ("care.green_change", "change_id"), "green_feedback": ("care.green_feedback", "feedback_id"),
    "service_evaluation": ("care.green_evaluation", "evaluation_id"), "honour_round": ("care.hon_round", "round_id"),
    "recommendation": ("care.hon_recommendation", "recommendation_id"), "meeting": ("care.hon_meeting", "meeting_id"),
    "tolerance": ("care.tol_case", "case_id"), "review": ("care.zfw_review", "review_id"),
    "problem": ("care.zfw_problem", "problem_id"), "zfw_circular": ("care.zfw_circular", "circular_id"),
    "bankruptcy.case": ("bankruptcy.case", "case_id"), "bankruptcy.meeting": ("bankruptcy.meeting", "meeting_id"),
    "bankruptcy.letter": ("bankruptcy.letter", "letter_id"), "bankruptcy.circular": ("bankruptcy.circular", "circular_id"),
    "bankruptcy.typical": ("bankruptcy.typical", "typical_id"),
}


def parse_target(target: str) -> list[tuple[str, str]]:
    """"grading_round:3/enterprise:9" -> [("grading_round", "3"), ("enterprise", "9")]; a target
    that is no object reference (a path, a user name, a year) gives []."""
    parts = []
    for piece in (target or "").split("/"):
        kind, sep, key = piece.partition(":")
        if not sep or kind not in OBJECT_TYPES or not key:
            return []
        parts.append((kind, key))
    return parts


def _url(kind: str, key: str) -> str:
    link = LINKS.get(kind)
    if link is None or not key.isdecimal():
        return ""
    try:
        return url_for(link[0], **{link[1]: int(key)})
    except (BuildError, ValueError):
        return ""


def _names(refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Display names of the objects, one query per type."""
    wanted: dict[str, set[str]] = {}
    for kind, key in refs:
        wanted.setdefault(kind, set()).add(key)
    names = {}
    for kind, (model, name_of, code_column) in _models().items():
        keys = wanted.get(kind)
        if not keys:
            continue
        ids = [int(k) for k in keys if k.isdecimal() and len(k) <= 18]
        codes = [k for k in keys if not k.isdecimal()] if code_column is not None else []
        conditions = ([model.id.in_(ids)] if ids else []) + ([code_column.in_(codes)] if codes else [])
        if not conditions:
            continue
        for row in db.session.scalars(select(model).where(or_(*conditions))):
            names[(kind, str(row.id))] = name_of(row)
            if code_column is not None:
                names[(kind, getattr(row, code_column.key))] = name_of(row)
    return names


def resolve_targets(entries) -> dict[int, list[ObjectRef]]:
    """entry id -> the objects its target names (empty when it names none)."""
    parsed = {e.id: parse_target(e.target) for e in entries}
    names = _names(ref for refs in parsed.values() for ref in refs)
    return {entry_id: [ObjectRef(kind, key, OBJECT_TYPES[kind], names.get((kind, key), ""), _url(kind, key))
                       for kind, key in refs]
            for entry_id, refs in parsed.items()}


def object_types(target: str) -> str:
    """The Chinese type names of a target, for the export ("评级年度 #3 / 企业 #9")."""
    refs = parse_target(target)
    return " / ".join(f"{OBJECT_TYPES[k]} #{key}" for k, key in refs)


# -- the details ------------------------------------------------------------------------------------
def _value(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_value(v) for v in value) if value else "（无）"
    if isinstance(value, dict):
        return "；".join(f"{_field(k)}：{_value(v)}" for k, v in value.items()) if value else "（无）"
    return str(value)


def _field(key: str) -> str:
    return FIELDS.get(key, key)


def change_lines(detail: str, value_label: Callable[[str, object], str] | None = None) -> list[str]:
    """The details as readable lines: before/after pairs and [old, new] changes as "字段：旧 → 新",
    from/to as "原 → 改为", everything else "字段：值". Text that is no JSON object is one line."""
    if not detail or detail == "{}":
        return []
    try:
        data = json.loads(detail)
    except ValueError:
        return [detail]
    if not isinstance(data, dict):
        return [_value(data)]
    show = value_label or status_value
    lines = []
    data = dict(data)
    before, after = data.pop("before", None), data.pop("after", None)
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(dict.fromkeys([*before, *after])):
            if before.get(key) != after.get(key):
                lines.append(f"{_field(key)}：{show(key, before.get(key))} → {show(key, after.get(key))}")
    elif before is not None or after is not None:
        lines.append(f"{show('before', before)} → {show('after', after)}")
    changes = data.pop("changes", None)
    if isinstance(changes, dict):
        for key, pair in changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                lines.append(f"{_field(key)}：{show(key, pair[0])} → {show(key, pair[1])}")
            else:
                lines.append(f"{_field(key)}：{show(key, pair)}")
    if "from" in data and "to" in data:
        lines.append(f"变更：{show('from', data.pop('from'))} → {show('to', data.pop('to'))}")
    lines += [f"{_field(key)}：{show(key, value)}" for key, value in data.items()]
    return lines


def _merged(*tables: dict) -> dict:
    merged: dict = {}
    for table in tables:
        for code, label in table.items():
            merged.setdefault(code, label)  # the first table's name wins where two modules share a code
    return merged


_VALUE_LABELS: dict[str, dict] | None = None


def value_labels() -> dict[str, dict]:
    """Field -> {code: Chinese name} from the modules' own label tables (loaded once)."""
    global _VALUE_LABELS
    if _VALUE_LABELS is None:
        from govsvc.care import models as care_models, models_support as care_support
        from govsvc.grading import models as grading_models
        from govsvc.integrity import models as integrity_models
        from govsvc.ledger.models import MODULES
        from govsvc.ledger.workflow import STATUS_LABELS
        from govsvc.survey.models import CHANNEL_LABELS
        from scoring import bankruptcy, care, finrisk, integrity

        decisions = _merged(integrity.ALL_DECISIONS, care.DECISIONS, grading_models.OBJECTION_DECISIONS)
        _VALUE_LABELS = {
            "module": MODULES, "from": _merged(STATUS_LABELS, finrisk.CLASS_LABELS),
            "to": _merged(STATUS_LABELS, finrisk.CLASS_LABELS), "tier": bankruptcy.TIER_LABELS,
            "channel": _merged(CHANNEL_LABELS, integrity_models.CLUE_CHANNELS, care_models.APPEAL_CHANNELS,
                               care_support.CHANNELS),
            "decision": decisions, "finding": _merged(care_support.REVIEW_FINDINGS, grading_models.COMPLAINT_FINDINGS,
                                                      integrity_models.VERIFICATIONS),
            "satisfaction": care_models.SATISFACTION,
            "kind": _merged(grading_models.CHANGE_LABELS, care_support.CHANGE_KINDS, care_models.CONTACT_KINDS),
        }
    return _VALUE_LABELS


def status_value(key: str, value) -> str:
    """A value by its Chinese name where its field has a table of them (ledger statuses, decisions,
    channels …); otherwise as it is."""
    table = value_labels().get(key)
    if table and isinstance(value, str) and value in table:
        return table[value]
    return _value(value)
