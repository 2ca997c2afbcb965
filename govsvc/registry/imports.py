"""Import kinds of the registry: enterprises, tax records, units, persons."""
from __future__ import annotations

from sqlalchemy import select

from govsvc.cells import parse_credit_code, parse_unit_code  # noqa: F401
from govsvc.crypto import keyed_hash, keyed_hasher
from govsvc.extensions import db
from govsvc.imports import (
    CellError, Column, ImportKind, KeyIds, ParsedRow, RowError, duplicate_key_errors, existing_rows,
    parse_bool, parse_choice, parse_money, parse_text, parse_year, register, update_fields, write_rows,
)
from govsvc.registry.models import INDUSTRIES, STATUSES, Enterprise, Person, TaxRecord, Unit
from scoring import id_number


def parse_optional_unit_code(raw: str) -> str:
    return parse_unit_code(raw) if raw else ""


def parse_id_number(raw: str) -> str:
    try:
        return id_number.validate(raw)
    except id_number.IdNumberError as exc:
        raise CellError(str(exc)) from None


def person_id_hash(number: str) -> str:
    return keyed_hash("person-id", number)


def person_id_hasher():
    """person_id_hash for a whole list (the key looked up once)."""
    return keyed_hasher("person-id")


def codes_in_db(model, column, values) -> dict:
    values = list(set(values))
    found = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        for obj in db.session.scalars(select(model).where(column.in_(chunk))):
            found[getattr(obj, column.key)] = obj
    return found


@register
class EnterpriseImport(ImportKind):
    name = "enterprises"
    label = "企业"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("name", "企业名称", parse_text(200), required=True, aliases=("名称",)),
        Column("legal_rep", "法定代表人", parse_text(50)),
        Column("head_name", "主要负责人", parse_text(50)),
        Column("head_phone", "负责人电话", parse_text(30), aliases=("联系电话",)),
        Column("district", "区县", parse_text(50), repeats=True),
        Column("industry", "行业类别", parse_choice(INDUSTRIES), required=True, aliases=("行业",), repeats=True),
        Column("above_scale", "规模以上", parse_bool, repeats=True),
        Column("new_format", "新业态", parse_bool, repeats=True),
        Column("group", "集团", parse_text(200), aliases=("集团名称",)),
        Column("group_head", "集团母公司", parse_bool, aliases=("集团牵头企业",), repeats=True),
        Column("status", "经营状态", parse_choice(STATUSES, blank="存续"), aliases=("状态",), repeats=True),
    )

    bulk = True
    FIELDS = ("name", "legal_rep", "head_name", "head_phone", "district", "industry", "above_scale",
              "new_format", "group_name", "group_head", "status")
    DEFAULTS = {"legal_rep": "", "head_name": "", "head_phone": "", "district": "", "above_scale": False,
                "new_format": False, "group_name": "", "group_head": False, "status": "存续"}

    def key(self, values):
        return values["credit_code"]

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        self.begin_bulk(False)
        return self.check_batch(rows)

    def begin_bulk(self, write):
        self.seen: dict[str, int] = {}    # credit code → first row
        self.heads: dict[str, int] = {}   # group → row of its head

    def check_batch(self, rows):
        errors = []
        seen, heads = self.seen, self.heads
        for row in rows:
            first = seen.setdefault(row.values["credit_code"], row.number)
            if first != row.number:
                errors.append(RowError(row.number, "统一社会信用代码", f"与第 {first} 行重复。"))
        for row in rows:
            group = row.values.get("group", "")
            if row.values.get("group_head") and not group:
                errors.append(RowError(row.number, "集团母公司", "标为集团母公司，但“集团”为空。"))
            elif row.values.get("group_head"):
                if group in heads:
                    errors.append(RowError(row.number, "集团母公司", f"集团“{group}”已有母公司（第 {heads[group]} 行）。"))
                else:
                    heads[group] = row.number
        return errors

    def write_batch(self, rows, report):
        table = Enterprise.__table__
        existing = existing_rows(table, ("credit_code",), [(r.values["credit_code"],) for r in rows], self.FIELDS)
        new, changed = [], []
        for row in rows:
            fields = dict(row.values)
            if "group" in fields:
                fields["group_name"] = fields.pop("group")
            old = existing.get((fields["credit_code"],))
            if old is None:
                new.append((fields["credit_code"], *(fields.get(name, self.DEFAULTS.get(name)) for name in self.FIELDS)))
                report.created += 1
                continue
            diff = {name: value for name, value in fields.items()
                    if name != "credit_code" and getattr(old, name) != value}
            if diff:
                changed.append({"_id": old.id, **diff})
                report.updated += 1
            else:
                report.unchanged += 1
        write_rows(table, ("credit_code", *self.FIELDS), new, changed)


@register
class TaxRecordImport(ImportKind):
    name = "tax"
    label = "纳税记录"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True, repeats=True),
        Column("year", "年度", parse_year, required=True, repeats=True),
        Column("local_retained", "地方留成", parse_money, required=True, aliases=("地方留成税收",)),
    )

    bulk = True

    def key(self, values):
        return values["credit_code"], values["year"]

    def check_rows(self, rows):
        self.begin_bulk(False)
        return self.check_batch(rows)

    def begin_bulk(self, write):
        self.seen: dict[tuple[str, int], int] = {}
        self.enterprise_ids = KeyIds(Enterprise.credit_code, Enterprise.id)
        # An empty table has nothing to update: the file's rows (no duplicates) are all new.
        self.table_was_empty = write and db.session.scalar(select(TaxRecord.id).limit(1)) is None

    def check_batch(self, rows):
        errors = []
        seen = self.seen
        for row in rows:
            first = seen.setdefault((row.values["credit_code"], row.values["year"]), row.number)
            if first != row.number:
                errors.append(RowError(row.number, "年度", f"与第 {first} 行重复。"))
        enterprises = self.enterprise_ids.resolve(r.values["credit_code"] for r in rows)
        for row in rows:
            if row.values["credit_code"] not in enterprises:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业，请先导入企业。"))
        return errors

    def write_batch(self, rows, report):
        table = TaxRecord.__table__
        ids = self.enterprise_ids.ids
        keyed = [((ids[r.values["credit_code"]], r.values["year"]), r.values["local_retained"]) for r in rows]
        existing = {} if self.table_was_empty else existing_rows(
            table, ("enterprise_id", "year"), [k for k, _ in keyed], ("local_retained",))
        new, changed = [], []
        for key, amount in keyed:
            old = existing.get(key)
            if old is None:
                new.append((key[0], key[1], amount))
                report.created += 1
            elif old.local_retained != amount:
                changed.append({"_id": old.id, "local_retained": amount})
                report.updated += 1
            else:
                report.unchanged += 1
        write_rows(table, ("enterprise_id", "year", "local_retained"), new, changed)


LEVEL_ALIASES = {"市": "city", "市级": "city", "区县": "county", "县级": "county", "区县级": "county"}
CATEGORY_ALIASES = {"执法和综合管理类": "enforcement", "服务类": "service"}


@register
class UnitImport(ImportKind):
    name = "units"
    label = "单位"
    columns = (
        Column("code", "单位代码", parse_unit_code, required=True),
        Column("name", "单位名称", parse_text(200), required=True),
        Column("level", "层级", parse_choice(("city", "county"), LEVEL_ALIASES), required=True),
        Column("district", "区县", parse_text(50)),
        Column("system", "所属系统", parse_optional_unit_code, aliases=("上级单位",)),
        Column("survey_category", "评议类别", parse_choice(("enforcement", "service"), CATEGORY_ALIASES, blank="-")),
        Column("enforcement", "执法单位", parse_bool),
        Column("grading", "参与评级", parse_bool),
    )

    def key(self, values):
        return values["code"]

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "单位代码")
        in_file = {r.values["code"]: r.values for r in rows}
        referenced = [r.values.get("system") for r in rows if r.values.get("system")]
        in_db = codes_in_db(Unit, Unit.code, referenced)
        for row in rows:
            system = row.values.get("system")
            if row.values["level"] == "county" and not row.values.get("district"):
                errors.append(RowError(row.number, "区县", "区县级单位必须填写区县。"))
            if not system:
                continue
            if row.values["level"] == "city":
                errors.append(RowError(row.number, "所属系统", "市级单位不填所属系统。"))
                continue
            target_level = in_file[system]["level"] if system in in_file else getattr(in_db.get(system), "level", None)
            if target_level is None:
                errors.append(RowError(row.number, "所属系统", f"找不到单位代码“{system}”。"))
            elif target_level != "city":
                errors.append(RowError(row.number, "所属系统", f"“{system}”不是市级单位。"))
        return errors

    def prepare(self, rows):
        self.existing = codes_in_db(Unit, Unit.code, [r.values["code"] for r in rows]
                                     + [r.values["system"] for r in rows if r.values.get("system")])

    def apply(self, values):
        fields = dict(values)
        if "survey_category" in fields:
            fields["survey_category"] = None if fields["survey_category"] == "-" else fields["survey_category"]
        if "system" in fields:
            system_code = fields.pop("system")
            if not system_code:
                fields["system_id"] = None
            else:
                system = self.existing[system_code] if system_code in self.existing else None
                if system is None or system.id is None:
                    db.session.flush()
                    system = self.existing[system_code]
                fields["system_id"] = system.id
        obj = self.existing.get(values["code"])
        if obj is None:
            obj = Unit(**fields)
            db.session.add(obj)
            self.existing[obj.code] = obj
            return "created"
        return "updated" if update_fields(obj, fields) else "unchanged"

    def parse_rows(self, table, progress=None):
        parsed, errors = super().parse_rows(table, progress)
        # City units first, so a county unit's system exists when the county row is applied.
        parsed.sort(key=lambda r: (r.values["level"] != "city", r.number))
        return parsed, errors


@register
class PersonImport(ImportKind):
    name = "persons"
    label = "公职人员"
    columns = (
        Column("id_number", "身份证号", parse_id_number, required=True),
        Column("name", "姓名", parse_text(50), required=True),
        Column("unit_code", "单位代码", parse_unit_code, required=True),
        Column("post", "职务", parse_text(100), aliases=("岗位",)),
    )

    def key(self, values):
        return values["id_number"]

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "身份证号")
        self.units = codes_in_db(Unit, Unit.code, [r.values["unit_code"] for r in rows])
        for row in rows:
            if row.values["unit_code"] not in self.units:
                errors.append(RowError(row.number, "单位代码", f"找不到单位代码“{row.values['unit_code']}”。"))
        return errors

    def prepare(self, rows):
        hashes = {r.values["id_number"]: person_id_hash(r.values["id_number"]) for r in rows}
        self.hashes = hashes
        self.existing = codes_in_db(Person, Person.id_hash, hashes.values())

    def apply(self, values):
        id_hash = self.hashes[values["id_number"]]
        fields = {"name": values["name"], "unit_id": self.units[values["unit_code"]].id}
        if "post" in values:
            fields["post"] = values["post"]
        obj = self.existing.get(id_hash)
        if obj is None:
            obj = Person(id_hash=id_hash, id_masked=id_number.mask(values["id_number"]), **fields)
            db.session.add(obj)
            self.existing[id_hash] = obj
            return "created"
        return "updated" if update_fields(obj, fields) else "unchanged"

