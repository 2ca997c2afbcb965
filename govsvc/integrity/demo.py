"""Demo data of the integrity module, loaded through its services: clues in every ledger state
(some overdue, one online complaint with a published tracking code, one bare referral from the
grading module), 督办 and 整改 matters, records (one revoked, one whose 3 years have passed,
one decided on 29 February, admonishments), a corrected record, certificates (one superseded),
and a unit-level discipline account (`discipline-yjj`) covering two units."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.auth.service import create_user
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.integrity import certificates, clues, records, scope, transfers
from govsvc.integrity.models import Transfer
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.registry.models import Person, Unit
from govsvc.timeutil import local_today

SEED = 20261123
UNIT_ACCOUNT = "discipline-yjj"


def demo_tracking_code() -> str:
    """The tracking code of the demo's answered online complaint (README)."""
    return clues.new_tracking_code(random.Random(SEED).randbytes(20))


def _walk(user, matter, steps) -> None:
    for target, extra in steps:
        clues.act(user, matter, target, **extra)


@demo_step
def load_integrity_demo(password_hash: str) -> None:
    today = local_today()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    city = db.session.scalar(select(User).where(User.username == "discipline"))
    create_user(UNIT_ACCOUNT, "", (R.DISCIPLINE,), display_name="派驻市应急管理局纪检监察组",
                            unit_id=units["YJJ"].id, password_hash=password_hash)
    scope.add_coverage(city, units["YJJ"], units["SLJ"])

    def person(code: str, index: int = 0) -> Person:
        return db.session.scalars(select(Person).where(Person.unit_id == units[code].id)
                                  .order_by(Person.name, Person.id)).all()[index]

    # -- clues ------------------------------------------------------------------------------
    def staff_clue(channel, title, code, days_ago, related=True, **details):
        clue, _ = clues.intake(city, channel=channel, title=title, description=details.pop("text"),
                               unit_id=units[code].id, enterprise_related=related,
                               received_on=today - timedelta(days=days_ago), **details)
        return clue.matter

    assigned = {"unit_id": None}
    staff_clue("clue.hotline", "反映区市场监管局执法人员到企业吃拿卡要", "SCJ-ZD", 2,
                          text="来电反映：某执法人员在检查中暗示企业安排宴请，否则从严处罚。",
                          accused="张店区市场监管局执法人员（姓名不详）", enterprise_name="淄博某新材料有限公司",
                          complainant_name="李先生", complainant_contact="139****2231")
    overdue_assigned = staff_clue("clue.hotline", "反映税务人员违规要求企业购买指定软件", "SWJ", 40,
                                  text="企业反映办税时被要求购买指定财务软件。", enterprise_name="淄博某机械制造有限公司")
    _walk(city, overdue_assigned, [(W.ASSIGNED, assigned)])
    overdue_checking = staff_clue("clue.letter", "来信反映公安分局民警插手企业经济纠纷", "GAJ-ZD", 45,
                                  text="来信称某民警以刑事手段介入两家企业之间的合同纠纷。",
                                  accused="张店分局某民警", enterprise_name="淄博某商贸有限公司")
    _walk(city, overdue_checking, [(W.ASSIGNED, assigned), (W.IN_PROGRESS, {})])
    clues.supervise(city, overdue_checking, deadline=today + timedelta(days=7),
                    note="请于一周内报告核查进展，逾期未办结的说明原因。")
    closed = staff_clue("clue.visit", "来访反映审批窗口工作人员故意拖延办理", "XSJ", 70, related=False,
                        text="来访群众反映审批窗口人员拖延。", complainant_name="王女士")
    _walk(city, closed, [(W.ASSIGNED, assigned), (W.IN_PROGRESS, {}),
                         (W.CONCLUDED, {"note": "经核查，反映问题不属实，系材料不全所致。",
                                        "verification": "unsubstantiated"}),
                         (W.FEEDBACK_GIVEN, {"note": "已当面向反映人说明核查结果。"}), (W.CLOSED, {})])
    returned = staff_clue("clue.hotline", "反映供电公司抄表员态度恶劣", "GDGS", 5, related=False,
                          text="来电反映抄表员服务态度差。")
    _walk(city, returned, [(W.RETURNED, {"note": "不属于纪检监察机关受理范围，已告知反映人向供电公司投诉。"})])
    unit_clue = staff_clue("clue.oversight", "派驻监督发现应急管理局执法检查未按计划开展", "YJJ", 10,
                           text="派驻纪检监察组日常监督发现，部分检查未备案即开展。")
    _walk(city, unit_clue, [(W.ASSIGNED, assigned)])

    rng = random.Random(SEED)
    answered, code = clues.submit_online(
        title="生态环境分局对我公司重复检查、变相索要赞助", unit_id=units["SHJ-ZD"].id, enterprise_related=True,
        description="一个月内同一事项被检查三次，并被要求赞助活动经费。", address="demo",
        code_bytes=rng.randbytes(20), enterprise_name="淄博某化工有限公司", complainant_name="")
    _walk(city, answered.matter, [
        (W.ASSIGNED, assigned), (W.IN_PROGRESS, {}),
        (W.CONCLUDED, {"note": "经核查，重复检查问题属实，索要赞助问题查无实据。", "verification": "partly",
                       "rectify_by": today + timedelta(days=20)}),
        (W.FEEDBACK_GIVEN, {"note": "您反映的重复检查问题经核查属实，已责令生态环境分局整改并对相关人员批评教育；"
                                    "索要赞助问题未查实。感谢您对营商环境建设的监督。"})])
    concluded, _ = clues.submit_online(
        title="市场监管局工作人员检查时刁难企业", unit_id=units["SCJ"].id, enterprise_related=True,
        description="检查人员对整改完毕的问题反复挑刺，拖延出具复查意见。", address="demo",
        code_bytes=rng.randbytes(20), enterprise_name="淄博某食品有限公司")
    _walk(city, concluded.matter, [(W.ASSIGNED, assigned), (W.IN_PROGRESS, {}),
                                   (W.CONCLUDED, {"note": "经核查，拖延出具复查意见属实。",
                                                  "verification": "substantiated"})])
    # A referral from the grading module, exactly as that module creates it (no Clue row yet).
    ledger.create_matter(module="integrity", kind="clue.referral", source="司法局移送", ref="grading.complaint:demo-1",
                         title="司法局移送：市应急管理局违反免检规定对A类企业开展双随机检查",
                         description="经司法局核实，企业投诉属实，情节严重，移送市纪委市监委处理。",
                         responsible_unit_id=units["YJJ"].id, deadline=today + timedelta(days=30), priority="high")

    # -- records ----------------------------------------------------------------------------
    def file(p, decision, decided, facts, **extra):
        values = {"decision": decision, "decision_date": decided, "facts": facts, "filed_by": "unit_committee",
                  "decision_body": extra.pop("body", "市纪委市监委"), **extra}
        return records.file_record(city, p, values)

    demerit = file(person("SCJ-ZD"), "demerit", today - timedelta(days=160),
                   "在企业年检中故意拖延、刁难，变相索要好处。", decision_number="淄纪发〔2026〕12号",
                   clue_matter_id=closed.id)
    records.correct_record(city, demerit, {"decision_number": "淄纪处〔2026〕12号"}, "决定文号录入有误，按原件更正。")
    file(person("SWJ-ZCU"), "warning", date(2024, 2, 29), "违规接受管理服务对象宴请。", decision_number="淄纪处〔2024〕7号",
         filed_by="dispatched_group")
    file(person("GAJ-LZ"), "major_demerit", today - timedelta(days=3 * 365 + 200),
         "插手企业经济纠纷，违规查封企业财产。", decision_number="淄纪处〔2023〕31号")
    revoked = file(person("SHJ-ZD"), "demotion", today - timedelta(days=420), "对企业环评审批吃拿卡要。",
                   decision_number="淄纪处〔2025〕19号")
    records.revoke_record(city, revoked, today - timedelta(days=250), "经复审撤销原处分决定（淄纪复〔2025〕3号）。")
    rude = file(person("YJJ"), "organisational", today - timedelta(days=95), "执法检查中对企业态度粗暴、随意罚款，予以调离执法岗位。",
                decision_body="市应急管理局党委", filed_by="dispatched_group")
    # 调离建议 as they would stand: each made two days after its decision; the demerit's and the
    # warning's persons were moved within the 15 days (confirmed by the organisation department),
    # the 组织处理 one is 尚未调离 and 逾期.
    organization = db.session.scalar(select(User).where(User.username == "organization"))
    for transfer in db.session.scalars(select(Transfer)):
        transfer.recommended_on = transfer.record.decision_date + timedelta(days=2)
        transfer.matter.deadline = transfers.transfer_state(transfer.recommended_on, None, today).due
        if organization is not None and transfer.record is not rude and not transfer.record.revoked:
            transfers.confirm_transfer(organization, transfer, transfer.record.decision_date + timedelta(days=9),
                                       "机关办公室科员")
    file(person("SCJ-HT"), "admonishment", today - timedelta(days=60), "服务企业不主动，推诿扯皮。",
         rectification_deadline=today - timedelta(days=30), decision_body="桓台县市场监管局纪检组长")
    file(person("SCJ-ZD"), "admonishment", today - timedelta(days=400), "对企业咨询敷衍应付。",
         rectification_deadline=today - timedelta(days=370), decision_body="张店区市场监管局纪检组长")
    matter = db.session.scalar(select(records.IntegrityRecord).where(
        records.IntegrityRecord.person_id == person("SCJ-ZD").id,
        records.IntegrityRecord.decision == "admonishment")).rectification_matter
    for target, note in ((W.IN_PROGRESS, ""), (W.CONCLUDED, "已按期整改，提交书面整改报告。"),
                         (W.FEEDBACK_GIVEN, "整改情况已通报本单位。"), (W.CLOSED, "")):
        ledger.move(matter, target, user=city, note=note)

    # -- certificates ---------------------------------------------------------------------------
    certificates.issue(city, person("SCJ-ZD"), requested_by="市委组织部", purpose="拟提拔考察")
    certificates.issue(city, person("SCJ-ZD"), requested_by="市委组织部", purpose="拟提拔考察（补充）")
    certificates.issue(city, person("GAJ-LZ"), requested_by="市公安局政治部", purpose="评先评优")
    certificates.issue(city, person("WJW"), requested_by="市委组织部", purpose="职级晋升")
