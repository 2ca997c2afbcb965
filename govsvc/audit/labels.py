"""Chinese names for the audit log: action codes, object types and the fields of an entry's details.

The log itself keeps the raw codes (`survey.close`, `person:64`, JSON details): exports carry them
unchanged. The page shows these names beside them (issue 10, item 15). Every code that
`audit.record(...)` can write has a name here — tests/audit/test_labels.py walks every call in the
source and fails on a code without one. A code built at run time (f"care.appeal.{action}") is
named by a prefix rule: the prefix's name plus the suffix's name where known.
An unknown code is shown as the code itself (never an error).
"""
from __future__ import annotations

ACTIONS: dict[str, str] = {
    # accounts and access
    "login.success": "登录成功",
    "login.failed": "登录失败",
    "login.throttled": "登录受限（尝试过多）",
    "logout": "退出登录",
    "access.refused": "拒绝访问",
    "user.create": "新建用户",
    "user.update": "修改用户",
    "user.password": "修改密码",
    # ledger
    "matter.create": "新建事项",
    "matter.move": "事项状态变更",
    "matter.supervise": "督办事项",
    "matter.escalate": "事项提级",
    # survey
    "survey.campaign.create": "新建评议活动",
    "survey.campaign.update": "修改评议活动",
    "survey.departments.load": "载入被评议部门名单",
    "survey.departments.add": "添加被评议部门",
    "survey.departments.remove": "移除被评议部门",
    "survey.evaluators.load": "载入评议企业名单",
    "survey.evaluators.add": "添加评议企业",
    "survey.evaluators.remove": "移除评议企业",
    "survey.evaluators.channel": "变更评议方式（线上/纸质）",
    "survey.lists.confirm": "确认两个名单",
    "survey.lists.reopen": "重新打开名单",
    "survey.open": "开始评议",
    "survey.codes.issue": "生成纸质选票码",
    "survey.codes.void": "作废纸质选票码",
    "survey.ballot.cast": "线上投票",
    "survey.ballot.paper": "录入纸质选票",
    "survey.ballot.unlogged": "补记未留痕的投票",
    "survey.close": "结束评议（封箱）",
    "survey.tally": "计票",
    "survey.publish": "审定并公布评议结果",
    "survey.ballots.read": "查阅选票",
    "survey.opinion.redact": "意见脱敏",
    "survey.opinion.restore": "撤销意见脱敏",
    "survey.opinions.release": "意见转交部门整改",
    "survey.archive": "评议活动归档",
    "survey.interview.record": "录入评议约谈情况",
    "survey.commendations.send": "向市考核办报送表扬名单",
    "survey.mobilisation.issue": "下发评议动员通知",
    "survey.self_check.submit": "报送评议自查报告",
    "survey.self_check.correct": "更正评议自查报告（新版本）",
    # grading
    "grading.round.create": "新建评级年度",
    "grading.rules": "修改评级规则",
    "grading.unit.submit": "部门报送评级名单",
    "grading.compute": "综合评定",
    "grading.adjust": "人工调整评级",
    "grading.downgrade": "降级（执法记录提议）",
    "grading.objection": "异议成立调整评级",
    "grading.submit": "评级结果报审定",
    "grading.publish": "审定并公布评级名单",
    "grading.return": "退回评级结果",
    "grading.record.add": "登记执法记录",
    "grading.proposal": "提出降级建议",
    "grading.proposal.decide": "处理降级建议",
    "grading.objection.file": "企业提出评级异议",
    "grading.objection.answer": "答复评级异议",
    "grading.complaint.file": "企业投诉违反免检",
    "grading.complaint.verify": "核实免检投诉",
    "grading.complaint.circulate": "通报批评",
    "grading.complaint.refer": "移交纪检监察线索",
    "grading.contact.report": "报送联席会议联系人",
    # inspections
    "inspections.plan.deleted": "删除检查计划",
    "inspections.item.created": "新增检查事项",
    "inspections.item.updated": "修改检查事项",
    "inspections.item.deleted": "删除检查事项",
    "inspections.filing.filed": "报司法局备案",
    "inspections.filing.accepted": "检查计划予以备案",
    "inspections.filing.returned": "检查计划退回",
    "inspections.change.line": "检查计划调整",
    "inspections.draw.prepared": "准备随机抽取",
    "inspections.draw.drawn": "随机抽取",
    "inspections.result.saved": "登记检查结果",
    "inspections.result.deleted": "删除检查结果",
    "inspections.results.filed": "检查结果备案",
    "inspections.fines.forwarded": "罚没款转财政",
    "inspections.circular.issued": "印发季度通报",
    "inspections.categories.set": "设置检查类别",
    "inspections.recusal.declared": "申报回避",
    "inspections.recusal.withdrawn": "撤回回避",
    "inspections.report.filed": "企业举报",
    # integrity
    "integrity.clue.create": "登记问题线索",
    "integrity.clue.adopt": "线索转入台账",
    "integrity.clue.read": "查阅问题线索",
    "integrity.record.file": "登记污点记录",
    "integrity.record.correct": "更正污点记录",
    "integrity.record.revoke": "撤销污点记录",
    "integrity.file.purpose": "说明查阅目的",
    "integrity.file.read": "查阅廉政档案",
    "integrity.certificate.issue": "出具廉政鉴定",
    "integrity.certificate.verify": "核验廉政鉴定",
    "integrity.coverage.add": "增加联系单位",
    "integrity.coverage.remove": "移除联系单位",
    "integrity.transfer.recommend": "向组织部门提出调离建议",
    "integrity.transfer.confirm": "确认调离涉企岗位",
    "integrity.transfer.list": "查看调离建议名单",
    "integrity.transfer.export": "导出调离建议名单",
    "integrity.transfer.read": "查看调离建议",
    "integrity.appraisal.read": "查看平时考核名单",
    "integrity.appraisal.export": "导出平时考核名单",
    "integrity.case.draft": "起草典型问题",
    "integrity.case.publish": "审核公开典型问题",
    "integrity.case.withdraw": "撤回典型问题",
    # enterprise portal
    "portal.code.sent": "发送验证码",
    "portal.code.wrong": "验证码错误",
    "portal.letters.issued": "打印开通函",
    "portal.account.opened": "开通企业账户",
    "portal.account.reset": "重置企业账户",
    "portal.outbox.read": "查阅短信发件箱",
    "portal.notice.issued": "打印检查通知书",
    "portal.visit.confirmed": "企业扫码确认检查",
    "portal.visit.unfiled": "企业报告未备案检查",
    "portal.visit.rated": "企业评价检查",
    "portal.retaliation.flagged": "疑似打击报复提示",
    # care
    "care.list.compose": "生成联系服务企业名单",
    "care.list.confirm": "确认联系服务企业名单",
    "care.list.publish": "公布联系服务企业名单",
    "care.assignment.save": "确定联系领导",
    "care.assignment.remove": "取消联系领导",
    "care.contact.record": "登记联系企业情况",
    "care.leader.create": "新建联系领导",
    "care.leader.update": "修改联系领导",
    "care.office_contact.save": "修改联络员办公室联系人",
    "care.county_plan.save": "保存区县联系服务方案",
    "care.county_plan.submit": "报送区县联系服务方案",
    "care.county_plan.review": "审核区县联系服务方案",
    "care.appeal.file": "企业提出诉求",
    "care.appeal.confirm": "企业确认诉求办理结果",
    "care.appeal.close": "诉求销号",
    "care.appeal.supervise": "督办诉求",
    "care.appeal.accept": "受理诉求",
    "care.appeal.resolve": "办结诉求并答复企业",
    "care.appeal.escalate": "诉求提级",
    "care.invitation.request": "提交站台邀请",
    "care.green.propose": "提出绿色通道服务变更",
    "care.green.decide": "审核绿色通道服务变更",
    "care.green.rules": "修改绿色通道服务规则",
    "care.green.filed": "绿色通道服务备案",
    "care.green.specialist": "调整绿色通道专员",
    "care.green.feedback": "企业反馈绿色通道服务",
    "care.green.rate": "评价绿色通道服务",
    "care.green.evaluate": "绿色通道服务评估",
    "care.green.evaluation_issued": "印发绿色通道服务评估",
    "care.honours.round": "新建优秀企业家评选",
    "care.honours.propose": "推荐优秀企业家人选",
    "care.honours.withdraw": "撤回优秀企业家人选",
    "care.honours.submit": "报送优秀企业家人选",
    "care.honours.return": "退回优秀企业家人选",
    "care.honours.publish": "公布优秀企业家名单",
    "care.honours.recommend": "推荐企业家任职/荣誉",
    "care.honours.respond": "答复企业家推荐",
    "care.honours.meeting": "安排企业家会议",
    "care.honours.invite": "邀请企业家参会",
    "care.honours.invitation_reply": "企业家答复会议邀请",
    "care.tolerance.register": "登记容错纠错申请",
    "care.tolerance.accept": "受理容错纠错申请",
    "care.tolerance.investigated": "容错纠错调查完成",
    "care.tolerance.decide": "容错纠错认定",
    "care.tolerance.rectified": "容错纠错整改完成",
    "care.tolerance.protect": "容错纠错澄清保护",
    "care.tolerance.purpose": "说明查阅目的（容错纠错）",
    "care.tolerance.read": "查阅容错纠错案件",
    "care.zfw.review": "涉企案件评查",
    "care.zfw.problem": "登记政治督察问题",
    "care.zfw.circular": "印发政法委通报",
    # bankruptcy
    "bankruptcy.settings": "修改府院联动机制设置",
    "bankruptcy.rules": "修改破产风险预警规则",
    "bankruptcy.convener.add": "增加召集人",
    "bankruptcy.convener.retire": "召集人卸任",
    "bankruptcy.member.save": "修改成员单位",
    "bankruptcy.court.add": "增加法院",
    "bankruptcy.administrator.add": "增加破产管理人",
    "bankruptcy.list.upload": "报送成员单位名单",
    "bankruptcy.case.assess": "破产风险评估",
    "bankruptcy.case.register": "登记破产案件",
    "bankruptcy.case.plan": "制定处置预案",
    "bankruptcy.case.accept": "法院受理破产案件",
    "bankruptcy.case.decline": "法院不予受理",
    "bankruptcy.case.progress": "登记案件进展",
    "bankruptcy.case.major": "标记重大案件",
    "bankruptcy.case.group": "关联企业合并处置",
    "bankruptcy.case.read": "查阅破产案件",
    "bankruptcy.meeting.create": "安排协调会议",
    "bankruptcy.meeting.held": "召开协调会议",
    "bankruptcy.meeting.decision": "登记会议决定",
    "bankruptcy.meeting.outcome": "登记决定落实情况",
    "bankruptcy.meeting.issue": "印发会议纪要",
    "bankruptcy.letter.issue": "发出函告",
    "bankruptcy.letter.reply": "函复",
    "bankruptcy.circular.issue": "印发函复情况通报",
    "bankruptcy.typical.save": "保存典型案例",
    "bankruptcy.typical.publish": "发布典型案例",
    # financial risk
    "finrisk.classify.propose": "生成保帮关分类建议",
    "finrisk.classify.indicators": "修改分类指标",
    "finrisk.classify.confirm": "确认保帮关分类",
    "finrisk.leader.assign": "确定包保领导",
    "finrisk.bridge.pool": "设置转贷资金池",
    "finrisk.bridge.apply": "申请转贷资金",
    "finrisk.bridge.decide": "审批转贷资金",
    "finrisk.bridge.disburse": "发放转贷资金",
    "finrisk.bridge.repay": "归还转贷资金",
    "finrisk.listed.add": "加入上市公司名单",
    "finrisk.listed.check": "上市公司季度排查",
    "finrisk.listed.review": "上市公司风险研判",
    "finrisk.evasion.add": "列入逃废债黑名单",
    "finrisk.evasion.lift": "移出逃废债黑名单",
    "finrisk.321.missed": "“321”节点逾期",
    "finrisk.321.sweep": "“321”到期预警扫描",
    "finrisk.321.plan": "录入还款计划",
    "finrisk.321.funds": "登记资金到账",
    "finrisk.321.acknowledge": "银行确认预警",
    "finrisk.rescue.listed": "列为挽救候选",
    "finrisk.rescue.rejected": "不列入挽救台账",
    "finrisk.rescue.ledger": "列入挽救台账",
    "finrisk.rescue.start": "启动挽救措施",
    "finrisk.rescue.agreed": "挽救达成一致",
    "finrisk.rescue.failed": "挽救未成功",
    "finrisk.rescue.handover": "移交司法程序",
}

# Codes built at run time: prefix -> (name, names of the suffixes). A suffix without a name is shown
# as it is after the prefix's name.
IMPORT_KINDS = {
    "enterprises": "企业", "tax": "纳税记录", "units": "单位", "persons": "人员", "plan_items": "检查计划事项",
    "liaison_assignments": "联系领导分工", "dishonest": "失信名单", "records": "执法记录", "unit_list": "部门评级名单",
    "bankruptcy_lists": "府院联动名单", "bankruptcy_members": "府院联动成员单位", "bankruptcy_duties": "协调事项职责分工",
    "finrisk_indicators": "分类指标", "finrisk_loans": "贷款数据", "finrisk_guarantees": "担保数据",
}
PLAN_EVENTS = {
    "created": "新建", "submitted": "报送", "returned_by_city": "市级部门退回", "filed": "报司法局备案",
    "accepted": "予以备案", "returned_by_justice": "司法局退回", "change_opened": "提出调整",
    "change_filed": "调整报备案", "change_accepted": "调整予以备案", "change_returned": "调整退回",
    "item_removed": "删除未通过检查的条目",
}


def _invitation_states() -> dict[str, str]:
    from scoring.liaison import INVITATION_STATES

    return INVITATION_STATES


PREFIXES: dict[str, tuple[str, object]] = {
    "import.": ("数据导入", IMPORT_KINDS),
    "inspections.plan.": ("检查计划", PLAN_EVENTS),
    "care.invitation.": ("站台邀请", _invitation_states),
    "care.appeal.": ("企业诉求", {}),
    "finrisk.rescue.": ("挽救台账", {}),
    "grading.": ("评级", {}),
    "survey.ballot.": ("投票", {}),
}


def _prefix_rule(code: str):
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if code.startswith(prefix) and len(code) > len(prefix):
            return prefix, PREFIXES[prefix]
    return None


def action_label(code: str) -> str:
    """The Chinese name of an action code; an unknown code is returned as it is."""
    if code in ACTIONS:
        return ACTIONS[code]
    rule = _prefix_rule(code or "")
    if rule is None:
        return code
    prefix, (name, suffixes) = rule
    names = suffixes() if callable(suffixes) else suffixes
    suffix = code[len(prefix):]
    return f"{name}：{names.get(suffix, suffix)}"


def has_label(code: str) -> bool:
    """True when the code has a name of its own (not the prefix rule's raw suffix)."""
    if code in ACTIONS:
        return True
    rule = _prefix_rule(code)
    if rule is None:
        return False
    prefix, (_, suffixes) = rule
    names = suffixes() if callable(suffixes) else suffixes
    return code[len(prefix):] in names


# Object types of `target` ("type:id"); a target may join several ("grading_round:3/enterprise:9").
OBJECT_TYPES: dict[str, str] = {
    "user": "用户", "person": "人员", "enterprise": "企业", "unit": "单位", "matter": "事项",
    "survey": "评议活动", "grading_round": "评级年度", "enforcement_record": "执法记录",
    "downgrade_proposal": "降级建议", "grading_objection": "评级异议", "grading_complaint": "免检投诉",
    "inspection_plan": "检查计划", "inspection_item": "检查事项", "inspection_filing": "计划备案",
    "inspection_plan_change": "计划调整", "inspection_draw": "随机抽取", "inspection_result": "检查结果",
    "inspection_result_filing": "结果备案", "inspection_fine_transfer": "罚没款转财政",
    "inspection_circular": "季度通报", "inspection_recusal": "回避申报", "inspection_report": "企业举报",
    "certificate": "廉政鉴定", "integrity_case": "典型问题", "portal_visit": "入企检查", "portal_retaliation_flag": "打击报复提示",
    "portal_outbox": "短信发件箱", "batch": "批次", "care_list": "联系服务企业名单", "care_leader": "联系领导",
    "care_county_plan": "区县联系服务方案", "care_appeal": "企业诉求", "care_invitation": "站台邀请",
    "service_change": "服务变更", "green_service": "绿色通道服务", "green_feedback": "服务反馈",
    "service_evaluation": "服务评估", "honour_round": "优秀企业家评选", "honour_candidate": "优秀企业家人选",
    "recommendation": "企业家推荐", "meeting": "企业家会议", "tolerance": "容错纠错案件", "review": "涉企案件评查",
    "problem": "政治督察问题", "zfw_circular": "政法委通报", "bankruptcy": "府院联动",
    "bankruptcy.case": "破产案件", "bankruptcy.meeting": "协调会议", "bankruptcy.letter": "函告",
    "bankruptcy.circular": "函复情况通报", "bankruptcy.typical": "典型案例", "bankruptcy.convener": "召集人",
    "bankruptcy.court": "法院", "bankruptcy.administrator": "破产管理人", "finrisk.assessment": "保帮关分类",
    "finrisk.bridge": "转贷资金申请", "finrisk.listed": "上市公司", "finrisk.review": "风险研判",
    "finrisk.evasion": "逃废债黑名单", "finrisk.maturity": "“321”预警", "finrisk.rescue": "挽救台账",
}

# Keys of the details (JSON) that have a Chinese name.
FIELDS: dict[str, str] = {
    "before": "修改前", "after": "修改后", "from": "原", "to": "改为", "reason": "理由", "note": "说明",
    "username": "用户名", "roles": "角色", "rehashed": "密码哈希已更新", "endpoint": "页面", "method": "方法",
    "kind": "类型", "module": "模块", "deadline": "期限", "year": "年度", "quarter": "季度", "month": "月份",
    "count": "数量", "batch": "批次", "credential": "凭证", "channel": "方式", "credit_code": "统一社会信用代码",
    "code": "代码", "chain_head": "选票链头", "ballots": "选票数", "parts": "选票部分", "valid": "有效部分",
    "rejected": "无效部分", "what": "内容", "occurrences": "处数", "matters": "事项数", "page": "页面", "on": "日期",
    "minutes": "有效分钟", "record": "记录", "version": "版本", "changes": "变更", "decision": "处理决定",
    "decision_date": "决定日期", "revoked_on": "撤销日期", "number": "编号", "requested_by": "申请单位",
    "match": "核验一致", "covers": "联系单位", "unit": "单位", "changed": "变更字段", "finding": "核实结论",
    "title": "标题", "item": "事项", "plans": "计划", "late": "逾期", "seed": "种子", "commitment": "承诺值",
    "eligible": "可抽取企业数", "unfiled": "未备案", "fine": "罚款", "results": "结果数", "total": "合计",
    "op": "操作", "person": "人员", "enterprise": "企业", "amount": "金额", "approve": "批准", "accept": "同意",
    "accepted": "接受", "adopted": "采纳", "route": "路径", "step": "节点", "leader": "领导", "proposed": "建议",
    "capacity": "资金池规模", "rows": "行数", "created": "新增", "updated": "更新", "unchanged": "未变化",
    "skipped": "跳过", "phone": "电话", "conduct": "规范程度", "burden": "负担", "report": "举报", "level": "层级",
    "matter": "事项", "satisfaction": "满意度", "rating": "评价", "units": "单位数", "stage": "阶段", "major": "重大",
    "case_number": "案号", "plan": "预案", "tier": "层级", "held_on": "召开日期", "name": "名称", "role": "角色",
    "active": "启用", "unit_id": "单位编号", "enterprise_id": "企业编号", "add": "增加", "remove": "移除", "added": "新增", "chain": "链", "ref": "编号",
    "enterprise_related": "涉企", "grade": "评级", "filename": "文件名", "A": "A类", "B": "B类", "C": "C类",
    "adjusted": "调整", "circulated": "已通报", "clarification": "澄清", "closed": "已销号", "due": "期限",
    "enforcement": "执法和综合管理类", "service": "服务类", "entered": "已录入", "evaluators": "评议企业",
    "joint": "联席会议", "topic": "专题会议", "listed": "列入", "members": "成员", "missed": "逾期",
    "new_format": "新业态企业", "new_grade": "新评级", "office": "牵头单位", "outcome": "结果", "period": "期间",
    "procedure": "程序", "rectify_by": "整改期限", "replied_on": "函复日期", "reply_days": "函复天数",
    "round": "年度", "score": "分值", "tasks": "任务", "tax": "纳税企业",
    "transferred_on": "调离日期", "new_post": "新任职务", "days": "天数",
    "format": "格式",
}
