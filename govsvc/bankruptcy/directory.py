"""The mechanism's directory: settings (office, meeting intervals, reply deadline, risk rule),
conveners, member units with leader and liaison, the duty matrix (附件2: which unit handles which
kind of matter), courts and administrators. Member units and the duty matrix are also imported
from CSV/XLSX (import kinds `bankruptcy_members`, `bankruptcy_duties`)."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, or_, select

from govsvc import audit
from govsvc.bankruptcy.access import ServiceError, require_office
from govsvc.bankruptcy.models import (ADMINISTRATOR_KINDS, CONVENER_TITLES, MATTER_TYPES, Administrator, Convener,
                                      Court, Duty, DutyUnit, Mechanism, Member)
from govsvc.extensions import db
from govsvc.imports import (CellError, Column, ImportKind, ParsedRow, RowError, duplicate_key_errors, parse_text,
                            register, update_fields)
from govsvc.registry.imports import parse_unit_code
from govsvc.registry.models import Unit
from govsvc.timeutil import utcnow
from scoring import bankruptcy as core

DEFAULT_OFFICE = "JRJ"            # seed 000: 办公室设在市地方金融监管局
DEFAULT_ESTABLISHED = date(2020, 7, 10)  # seed 000: 淄政办字〔2020〕68号


# -- settings ---------------------------------------------------------------------------------
def mechanism() -> Mechanism:
    """The settings row, or (before the office saved any) the defaults, not added to the session."""
    row = db.session.scalar(select(Mechanism).order_by(Mechanism.id).limit(1))
    if row is not None:
        return row
    office = db.session.scalar(select(Unit).where(Unit.code == DEFAULT_OFFICE))
    return Mechanism(name="市企业破产处置协调联动机制", established_on=DEFAULT_ESTABLISHED,
                     office_unit_id=office.id if office else None, office_unit=office, joint_months=6,
                     topic_months=3, reply_days=15, risk_rules=core.DEFAULT_RISK_RULES)


def risk_rules() -> core.RiskRules:
    return core.parse_risk_rules(mechanism().risk_rules)


def office_name(m: Mechanism | None = None) -> str:
    m = m or mechanism()
    return f"{m.name}联席会议办公室"


def save_settings(user, *, name: str, established_on: date, office_unit: Unit | None, joint_months: int,
                  topic_months: int, reply_days: int, setup: bool = False) -> Mechanism:
    """Change the settings. The office does it; `setup` (demo, CLI) skips the check."""
    if not setup:
        require_office(user)
    errors = {}
    if office_unit is None:
        errors["office_unit"] = "请指定联席会议办公室所在单位。"
    if joint_months not in (6, 12):
        errors["joint_months"] = "联席会议应每半年或每年召开一次。"
    if topic_months not in (0, 3, 6):
        errors["topic_months"] = "专题会议周期应为每季度、每半年或不定期。"
    if not 1 <= reply_days <= 90:
        errors["reply_days"] = "函复期限应为 1–90 日。"
    if errors:
        raise ServiceError(errors)
    row = db.session.scalar(select(Mechanism).order_by(Mechanism.id).limit(1))
    if row is None:
        row = Mechanism(risk_rules=core.DEFAULT_RISK_RULES)
        db.session.add(row)
    before = {"office": row.office_unit_id, "joint": row.joint_months, "topic": row.topic_months,
              "reply_days": row.reply_days}
    row.name, row.established_on, row.office_unit_id = name.strip() or "市企业破产处置协调联动机制", established_on, office_unit.id
    row.joint_months, row.topic_months, row.reply_days = joint_months, topic_months, reply_days
    row.updated_at, row.updated_by_id = utcnow(), getattr(user, "id", None)
    db.session.flush()
    audit.record("bankruptcy.settings", target="bankruptcy:mechanism", detail={
        "before": before, "office": office_unit.code, "joint": joint_months, "topic": topic_months,
        "reply_days": reply_days})
    return row


def save_risk_rules(user, text: str) -> core.RiskRules:
    """Replace the pre-acceptance risk rule (the office). Earlier assessments keep the text they used."""
    require_office(user)
    try:
        rules = core.parse_risk_rules(text)
    except core.RulesError as exc:
        raise ServiceError({"rules": str(exc)}) from None
    row = db.session.scalar(select(Mechanism).order_by(Mechanism.id).limit(1))
    if row is None:
        current = mechanism()
        row = Mechanism(name=current.name, established_on=current.established_on,
                        office_unit_id=current.office_unit_id, joint_months=6, topic_months=3, reply_days=15)
        db.session.add(row)
    row.risk_rules = text.strip() + "\n"
    row.updated_at, row.updated_by_id = utcnow(), user.id
    db.session.flush()
    audit.record("bankruptcy.rules", target="bankruptcy:risk_rules", detail={"medium": rules.medium, "high": rules.high})
    return rules


# -- conveners ------------------------------------------------------------------------------------
def conveners(active_only: bool = True) -> list[Convener]:
    stmt = select(Convener).order_by(Convener.title, Convener.id)
    if active_only:
        stmt = stmt.where(Convener.active.is_(True))
    order = list(CONVENER_TITLES)
    return sorted(db.session.scalars(stmt), key=lambda c: (order.index(c.title), c.id))


def add_convener(user, *, title: str, name: str, post: str, unit: Unit | None, setup: bool = False) -> Convener:
    if not setup:
        require_office(user)
    if title not in CONVENER_TITLES:
        raise ServiceError({"title": "请选择职务。"})
    if not name.strip():
        raise ServiceError({"name": "请填写姓名。"})
    row = Convener(title=title, name=name.strip(), post=post.strip(), unit_id=unit.id if unit else None)
    db.session.add(row)
    db.session.flush()
    audit.record("bankruptcy.convener.add", target=f"bankruptcy.convener:{row.id}", detail={"title": title, "name": row.name})
    return row


def retire_convener(user, convener: Convener) -> None:
    """A convener leaves (人员变动): kept, marked inactive."""
    require_office(user)
    convener.active = False
    db.session.flush()
    audit.record("bankruptcy.convener.retire", target=f"bankruptcy.convener:{convener.id}")


# -- member units ---------------------------------------------------------------------------------
def members(active_only: bool = True) -> list[Member]:
    stmt = select(Member).join(Unit, Member.unit_id == Unit.id).order_by(Unit.level, Unit.code)
    if active_only:
        stmt = stmt.where(Member.active.is_(True))
    return list(db.session.scalars(stmt))


def member_unit_ids() -> set[int]:
    return set(db.session.scalars(select(Member.unit_id).where(Member.active.is_(True))))


MEMBER_FIELDS = ("leader_name", "leader_post", "liaison_name", "liaison_post", "liaison_phone")


def save_member(user, unit: Unit, values: dict, *, active: bool = True) -> Member:
    require_office(user)
    row = db.session.scalar(select(Member).where(Member.unit_id == unit.id))
    if row is None:
        row = Member(unit_id=unit.id)
        db.session.add(row)
    update_fields(row, {k: (values.get(k) or "").strip() for k in MEMBER_FIELDS})
    row.active, row.updated_at = active, utcnow()
    db.session.flush()
    audit.record("bankruptcy.member.save", target=f"unit:{unit.code}", detail={"active": active})
    return row


def _units_by_codes(codes) -> dict[str, Unit]:
    codes = sorted(set(codes))
    return {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))} if codes else {}


@register
class MemberImport(ImportKind):
    """Member units with their leader in charge and liaison (成员单位及联络人名单)."""

    name = "bankruptcy_members"
    label = "府院联动成员单位"
    columns = (
        Column("unit_code", "单位代码", parse_unit_code, required=True),
        Column("leader_name", "分管负责同志", parse_text(50), aliases=("分管领导",)),
        Column("leader_post", "分管负责同志职务", parse_text(100), aliases=("分管领导职务",)),
        Column("liaison_name", "联络人", parse_text(50), aliases=("联系人",)),
        Column("liaison_post", "联络人职务", parse_text(100), aliases=("联系人职务", "承办科室")),
        Column("liaison_phone", "联络人电话", parse_text(30), aliases=("联系电话",)),
    )

    def key(self, values):
        return values["unit_code"]

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        errors = duplicate_key_errors(self, rows, "单位代码")
        self.units = _units_by_codes(r.values["unit_code"] for r in rows)
        errors += [RowError(r.number, "单位代码", f"单位名录中没有代码“{r.values['unit_code']}”。")
                   for r in rows if r.values["unit_code"] not in self.units]
        return errors

    def prepare(self, rows):
        ids = [u.id for u in self.units.values()]
        self.existing = {m.unit_id: m for m in db.session.scalars(select(Member).where(Member.unit_id.in_(ids)))}

    def apply(self, values):
        unit = self.units[values["unit_code"]]
        fields = {k: values.get(k, "") or "" for k in MEMBER_FIELDS if k in values}
        row = self.existing.get(unit.id)
        if row is None:
            row = Member(unit_id=unit.id, active=True, **{k: values.get(k, "") or "" for k in MEMBER_FIELDS})
            db.session.add(row)
            self.existing[unit.id] = row
            return "created"
        changed = update_fields(row, {**fields, "active": True})
        if changed:
            row.updated_at = utcnow()
        return "updated" if changed else "unchanged"


# -- duty matrix (附件2) ---------------------------------------------------------------------------
_LABEL_TO_TYPE = {label: code for code, label in MATTER_TYPES.items()}
for _code, _label in list(MATTER_TYPES.items()):
    for _part in _label.split("/"):
        _LABEL_TO_TYPE.setdefault(_part, _code)


def parse_matter_type(raw: str) -> str:
    value = raw.strip()
    if value in MATTER_TYPES:
        return value
    if value in _LABEL_TO_TYPE:
        return _LABEL_TO_TYPE[value]
    raise CellError(f"“{raw}”不是协调事项类别，应为：{'、'.join(MATTER_TYPES.values())}。")


_SPLIT = re.compile(r"[、,，;；\s]+")


def parse_unit_list(raw: str) -> tuple[str, ...]:
    """Unit codes or full unit names, separated by 、，; or spaces (order kept)."""
    parts = tuple(p for p in _SPLIT.split(raw.strip()) if p)
    if len(parts) > 40:
        raise CellError("单位过多（最多 40 个）。")
    return parts


def resolve_units(tokens) -> tuple[list[Unit], list[str]]:
    """Units for tokens that are unit codes or unit names; and the tokens matching no unit."""
    tokens = list(tokens)
    if not tokens:
        return [], []
    upper = [t.upper() for t in tokens]
    found = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(upper)))}
    by_name = {u.name: u for u in db.session.scalars(select(Unit).where(Unit.name.in_(tokens)))}
    units, missing = [], []
    for token, code in zip(tokens, upper):
        unit = found.get(code) or by_name.get(token)
        if unit is None:
            missing.append(token)
        elif unit not in units:
            units.append(unit)
    return units, missing


@register
class DutyImport(ImportKind):
    """The duty matrix, one row per kind of matter: lead units, supporting units, the duty."""

    name = "bankruptcy_duties"
    label = "府院联动协调事项职责分工"
    columns = (
        Column("matter_type", "协调事项", parse_matter_type, required=True, aliases=("事项类别",)),
        Column("lead_units", "牵头单位", parse_unit_list, required=True, aliases=("责任单位",)),
        Column("support_units", "配合单位", parse_unit_list),
        Column("duty", "职责分工", parse_text(5000), aliases=("工作职责", "职责内容")),
    )

    def key(self, values):
        return values["matter_type"]

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        errors = duplicate_key_errors(self, rows, "协调事项")
        self.resolved = {}
        for row in rows:
            lead, missing_lead = resolve_units(row.values["lead_units"])
            support, missing_support = resolve_units(row.values.get("support_units", ()))
            for column, missing in (("牵头单位", missing_lead), ("配合单位", missing_support)):
                if missing:
                    errors.append(RowError(row.number, column, f"单位名录中没有：{'、'.join(missing)}。"))
            if not lead and not missing_lead:
                errors.append(RowError(row.number, "牵头单位", "至少填写一个牵头单位。"))
            both = {u.code for u in lead} & {u.code for u in support}
            if both:
                errors.append(RowError(row.number, "配合单位", f"{'、'.join(sorted(both))} 已是牵头单位。"))
            self.resolved[row.number] = (lead, [u for u in support if u not in lead])
        self._numbers = {self.key(r.values): r.number for r in rows}
        return errors

    def prepare(self, rows):
        self.existing = {d.matter_type: d for d in db.session.scalars(select(Duty))}

    def apply(self, values):
        lead, support = self.resolved[self._numbers[self.key(values)]]
        wanted = [(u.id, True, i) for i, u in enumerate(lead)] + [(u.id, False, i) for i, u in enumerate(support)]
        duty = self.existing.get(values["matter_type"])
        text = values.get("duty", "") or ""
        if duty is None:
            duty = Duty(matter_type=values["matter_type"], duty=text)
            duty.units = [DutyUnit(unit_id=u, lead=lead_, position=p) for u, lead_, p in wanted]
            db.session.add(duty)
            self.existing[duty.matter_type] = duty
            return "created"
        current = [(d.unit_id, d.lead, d.position) for d in sorted(duty.units, key=lambda d: (not d.lead, d.position))]
        changed = False
        if "duty" in values and duty.duty != text:
            duty.duty, changed = text, True
        if current != wanted:
            duty.units.clear()
            db.session.flush()
            duty.units.extend(DutyUnit(unit_id=u, lead=lead_, position=p) for u, lead_, p in wanted)
            changed = True
        if changed:
            duty.updated_at = utcnow()
        return "updated" if changed else "unchanged"


def duties() -> list[Duty]:
    order = list(MATTER_TYPES)
    return sorted(db.session.scalars(select(Duty)), key=lambda d: order.index(d.matter_type))


def lead_unit_for(matter_type: str) -> Unit | None:
    """The first lead unit of the duty matrix for this kind of matter (the default handler)."""
    duty = db.session.scalar(select(Duty).where(Duty.matter_type == matter_type))
    leads = duty.lead_units if duty else []
    return leads[0] if leads else None


def duties_of_unit(unit_id: int) -> list[tuple[Duty, bool]]:
    rows = db.session.execute(select(Duty, DutyUnit.lead).join(DutyUnit, DutyUnit.duty_id == Duty.id)
                              .where(DutyUnit.unit_id == unit_id)).all()
    order = list(MATTER_TYPES)
    return sorted(((d, lead) for d, lead in rows), key=lambda r: order.index(r[0].matter_type))


# -- courts and administrators --------------------------------------------------------------------
def courts() -> list[Court]:
    return list(db.session.scalars(select(Court).order_by(Court.unit_id.is_(None), Court.district, Court.name)))


def add_court(user, *, name: str, district: str, unit: Unit | None = None, setup: bool = False) -> Court:
    if not setup and not user.has_role("court"):
        require_office(user)
    name = name.strip()
    if not name:
        raise ServiceError({"name": "请填写法院名称。"})
    if db.session.scalar(select(func.count()).select_from(Court).where(Court.name == name)):
        raise ServiceError({"name": f"“{name}”已在法院名录中。"})
    row = Court(name=name, district=district.strip(), unit_id=unit.id if unit else None)
    db.session.add(row)
    db.session.flush()
    audit.record("bankruptcy.court.add", target=f"bankruptcy.court:{row.id}", detail={"name": name})
    return row


def administrators(q: str = "") -> list[Administrator]:
    stmt = select(Administrator).order_by(Administrator.name)
    if q:
        stmt = stmt.where(or_(Administrator.name.ilike(f"%{q}%"), Administrator.contact.ilike(f"%{q}%")))
    return list(db.session.scalars(stmt))


def add_administrator(user, *, name: str, kind: str, contact: str = "", phone: str = "",
                      setup: bool = False) -> Administrator:
    if not setup and not user.has_role("court"):
        require_office(user)
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "请填写管理人名称。"
    elif db.session.scalar(select(func.count()).select_from(Administrator).where(Administrator.name == name)):
        errors["name"] = f"“{name}”已在管理人名册中。"
    if kind not in ADMINISTRATOR_KINDS:
        errors["kind"] = "请选择管理人类型。"
    if errors:
        raise ServiceError(errors)
    row = Administrator(name=name, kind=kind, contact=contact.strip(), phone=phone.strip())
    db.session.add(row)
    db.session.flush()
    audit.record("bankruptcy.administrator.add", target=f"bankruptcy.administrator:{row.id}", detail={"name": name})
    return row


def unit_by_code(code: str | None) -> Unit | None:
    code = (code or "").strip().upper()
    return db.session.scalar(select(Unit).where(Unit.code == code)) if code else None
