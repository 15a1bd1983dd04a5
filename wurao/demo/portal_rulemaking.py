"""The demo district's rulemaking (issue [portal]): the study's three conflicts in the register,
consultations in each stage and the contact-point enterprises per street (龙华区司法局 2022
调研报告 二.五、三.五), built through the rulemaking services so that each write is audited.

The conflicts cite the standards library's demo documents by designation and article number;
a document that is missing (the library's demo not built) skips its case, counted in
``conflicts_skipped``."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wurao.registry.models import Department, Enterprise, Street
from wurao.rulemaking.choices import AnswerKind, CommenterKind, ConflictStatus, Governing
from wurao.rulemaking.services_conflicts import (
    RequirementInput,
    conflict_progress,
    conflict_report,
    conflict_statement,
    conflict_triage,
)
from wurao.rulemaking.services_consultations import (
    comment_answer,
    comment_submit,
    consultation_save,
    consultation_transition,
    meeting_record,
)
from wurao.rulemaking.services_contacts import (
    contact_point_designate,
    feedback_follow_up,
    feedback_log,
)
from wurao.standards import selectors as standards_selectors
from wurao.standards.models import Document

CONTACT_POINTS = 16  # the study (三.五): 16 contact-point enterprises across the 6 streets
DAY = datetime.timedelta(days=1)

# (topic, situation, [(designation, number, department code)], coordinating department code,
#  final status, governing, resolution or progress note)
CONFLICTS = [
    (
        "消防水泵房防火门等级：乙级还是甲级",
        "厂房内附设消防水泵房的企业：消防验收和日常检查中，按《建筑设计防火规范》设置的乙级"
        "防火门被要求更换为甲级（调研报告二.五所举案例）。",
        [("GB 50016-2014", "6.2.7", "XFJY"), ("GB 50974-2014", "5.5.12", "XFJY")],
        "XFJY",
        ConflictStatus.RESOLVED,
        Governing.B,
        "消防水泵房属专项技术规范《消防给水及消火栓系统技术规范》调整的对象，专项规范对水泵房"
        "开向疏散走道的门作了专门规定，按特别规定优于一般规定的原则适用甲级防火门；"
        "已建成且经验收合格的，在改造时一并更换，不因此单独处罚。",
    ),
    (
        "泥头车夜间运输时段：环保夜间施工禁令与交警限时通行",
        "承接土方、余泥渣土运输的企业：交警通告只允许泥头车夜间通行，而在噪声敏感建筑物集中"
        "区域，夜间产生噪声的施工作业（含装卸）又被禁止，企业无论何时运输都可能被处罚。",
        [
            ("中华人民共和国噪声污染防治法", "第四十三条", "SZ-STHJ"),
            ("深交警泥头车通告（演示）", "第三条", ""),
        ],
        "CGZF",
        ConflictStatus.COORDINATING,
        "",
        "已召集生态环境、交通运输、城管部门座谈，拟以工地出入口装卸作业时段和路线备案衔接两项要求。",
    ),
    (
        "机器人整机企业的电池组件：适用锂电池安全指引还是机器人制造检查要点",
        "生产工业机器人并储存、装配锂电池组件的企业：应急部门按锂电池企业安全指引检查电池储存，"
        "工信、市场监管部门按机器人制造检查要点检查，两者对电池组件储存的要求不一致。",
        [
            ("锂电池企业安全指引（演示）", "第八条", "YJGL"),
            ("工业机器人制造安全要点（演示）", "第五条", "SZ-SCJG"),
        ],
        "YJGL",
        ConflictStatus.OPEN,
        "",
        "",
    ),
]


def _users() -> dict[str, Any]:
    names = ("sfj", "yjj_admin", "qiye", "fucheng")
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _department(code: str) -> Department | None:
    return Department.objects.filter(code=code).first() if code else None


def _article(designation: str, number: str):
    if not Document.objects.filter(designation=designation).exists():
        return None
    return standards_selectors.article_list_by_number(
        designation=designation, number=number
    ).first()


def _conflicts(actor: Any, bureau: Any) -> dict[str, int]:
    built = skipped = 0
    for topic, situation, cited, coordinator, status, governing, note in CONFLICTS:
        articles = [_article(designation, number) for designation, number, _ in cited]
        if any(a is None for a in articles):
            skipped += 1
            continue
        conflict = conflict_report(
            actor=actor,
            topic=topic,
            situation=situation,
            requirements=[
                RequirementInput(
                    text=_quote(article.text),
                    article=article,
                    department=_department(code) or article.version.document.department,
                )
                for article, (_, _, code) in zip(articles, cited, strict=True)
            ],
        )
        department = _department(coordinator)
        conflict = conflict_triage(
            actor=bureau, conflict=conflict, accept=True, coordinating_department=department
        )
        if status == ConflictStatus.OPEN:
            built += 1
            continue
        conflict = conflict_progress(
            actor=bureau,
            conflict=conflict,
            status=ConflictStatus.COORDINATING,
            note=note if status == ConflictStatus.COORDINATING else "组织两部门会商",
        )
        if status == ConflictStatus.COORDINATING:
            conflict_statement(
                actor=actor,
                conflict=conflict,
                text="建议明确夜间装卸作业的降噪措施和证明程序。",
                department=_department("SZ-STHJ"),
            )
        else:
            conflict_progress(
                actor=bureau,
                conflict=conflict,
                status=ConflictStatus.RESOLVED,
                governing=governing,
                resolution=note,
            )
        built += 1
    return {"conflicts": built, "conflicts_skipped": skipped}


def _quote(text: str) -> str:
    """The requirement's sentence: the article without its number and the demo's marks."""
    return text.replace("（演示摘录，以官方公布文本为准）", "").strip()[:400]


def _reports(qiye: Any, bureau: Any) -> int:
    """One report awaiting triage (qiye's own) and one declined with its reason."""
    if qiye is None:
        return 0
    conflict_report(
        actor=qiye,
        topic="危险化学品仓库与消防车道宽度要求不一致",
        situation="园区内共用仓库：规划许可按4米核定消防车道，消防检查按6米要求整改。",
        requirements=[
            RequirementInput(text="消防车道的净宽度不应小于4.0m", source="规划条件通知书（园区）"),
            RequirementInput(text="消防车道宽度按6米整改", source="消防监督检查整改通知"),
        ],
    )
    declined = conflict_report(
        actor=qiye,
        topic="灭火器检查周期",
        situation="两次检查对灭火器月检记录的要求不同。",
        requirements=[
            RequirementInput(text="每月检查一次", source="单位消防安全管理规定"),
            RequirementInput(text="每半月检查一次", source="检查人员口头要求"),
        ],
    )
    conflict_triage(
        actor=bureau,
        conflict=declined,
        accept=False,
        reason="口头要求不是执法标准；已提醒检查人员按规定执行，如再遇到请通过投诉渠道反映。",
    )
    return 2


def _enterprises(rng: random.Random, n: int, exclude: set[int]) -> list[Enterprise]:
    ids = list(
        Enterprise.objects.exclude(pk__in=exclude).order_by("pk").values_list("pk", flat=True)[:400]
    )
    picked = rng.sample(ids, min(n, len(ids)))
    return list(Enterprise.objects.filter(pk__in=picked).order_by("pk"))


def _consultations(actor: Any, users: dict, rng: random.Random, today) -> dict[str, int]:
    admin = users.get("yjj_admin", actor)
    qiye = users.get("qiye")
    yjgl = _department("YJGL") or Department.objects.order_by("pk").first()
    xfjy = _department("XFJY") or yjgl
    battery = Document.objects.filter(designation="锂电池企业安全指引（演示）").first()
    commenters = _enterprises(rng, 8, {qiye.enterprise_id} if qiye else set())
    comments = meetings = 0

    def comment(consultation, enterprise, text, on, **kw):
        nonlocal comments
        comments += 1
        return comment_submit(
            actor=actor, consultation=consultation, text=text, today=on, enterprise=enterprise, **kw
        )

    # Adopted: the period long past, every comment answered.
    adopted = consultation_save(
        actor=actor,
        department=yjgl,
        title="工贸企业有限空间作业执法检查标准（修订）",
        text="第一条 为规范有限空间作业执法检查……\n第二条 企业应当建立有限空间管理台账……\n"
        "第三条 作业前应当检测气体浓度并记录……",
        starts_on=today - 200 * DAY,
        ends_on=today - 170 * DAY,
        effective_on=today - 120 * DAY,
    )
    adopted = consultation_transition(actor=actor, consultation=adopted, action="publish")
    for e, (text, kind, answer) in zip(
        commenters[:3],
        [
            ("建议明确小型企业可委托第三方检测。", AnswerKind.ADOPTED, "已在第三条增加委托检测。"),
            ("台账格式希望统一。", AnswerKind.PARTLY, "发布统一参考格式，不强制。"),
            ("建议取消作业审批。", AnswerKind.NOT_ADOPTED, "作业审批为安全生产法定要求。"),
        ],
        strict=False,
    ):
        c = comment(adopted, e, text, adopted.starts_on + 5 * DAY)
        comment_answer(actor=actor, comment=c, kind=kind, answer=answer)
    consultation_transition(
        actor=actor,
        consultation=adopted,
        action="adopt",
        note="已按采纳的意见修改后施行。",
        today=adopted.ends_on + DAY,
    )

    # Closed: the period over, every comment answered, a hearing with its minutes.
    closed = consultation_save(
        actor=actor,
        department=xfjy,
        title="小型生产加工场所消防安全检查标准（征求意见稿）",
        text="第一条 本标准适用于建筑面积300平方米以下的生产加工场所……\n"
        "第二条 场所内不得设置员工宿舍……\n第三条 应当配置独立式火灾探测报警器……",
        starts_on=today - 75 * DAY,
        ends_on=today - 40 * DAY,
        effective_on=today + 30 * DAY,
    )
    closed = consultation_transition(actor=actor, consultation=closed, action="publish")
    for e, (text, kind, answer) in zip(
        commenters[3:6],
        [
            ("“300平方米”是否含夹层？", AnswerKind.ADOPTED, "明确含夹层面积。"),
            ("独立式报警器可否以联网报警替代？", AnswerKind.ADOPTED, "可以，已补充。"),
            ("过渡期太短。", AnswerKind.PARTLY, "过渡期由3个月延长至6个月。"),
        ],
        strict=False,
    ):
        c = comment(closed, e, text, closed.starts_on + 3 * DAY)
        comment_answer(actor=actor, comment=c, kind=kind, answer=answer)
    meeting_record(
        actor=actor,
        consultation=closed,
        kind="hearing",
        held_on=closed.ends_on - 10 * DAY,
        place="区消防救援大队三楼会议室",
        minutes="出席企业代表12名、行业协会2家。主要意见：面积口径、报警器替代方式、过渡期。"
        "起草部门当场说明，会后逐条书面答复。",
    )
    meetings += 1
    consultation_transition(actor=actor, consultation=closed, action="close", today=today)

    # Open now: comments from demo enterprises, qiye's among them, and an association.
    opened = consultation_save(
        actor=admin,
        department=yjgl,
        title="锂离子电池生产使用企业安全管理指引（2027年修订征求意见稿）",
        text="第八条 电池组件应当存放在独立的储存区域，与其他区域采用防火分隔……\n"
        "第九条 企业应当建立电池入库检测记录……\n第十条 储存区域应当设置温度监测……",
        document=battery,
        starts_on=today - 10 * DAY,
        ends_on=today + 20 * DAY,
        effective_on=today + 60 * DAY,
    )
    opened = consultation_transition(actor=admin, consultation=opened, action="publish")
    if qiye is not None:
        comments += 1
        comment_submit(
            actor=qiye,
            consultation=opened,
            text="机器人整机中的电池组件数量很少，建议按数量设置门槛，少量储存不要求独立储存区。",
            paragraph="第八条",
            today=today,
        )
    for e in commenters[6:8]:
        comment(opened, e, "建议明确“独立储存区域”的最小分隔要求。", today, paragraph="第八条")
    if commenters:
        comment(
            opened,
            commenters[0],
            "会员企业普遍反映温度监测设备投入较大，建议给予一年过渡期。",
            today,
            commenter_kind=CommenterKind.ORGANISATION,
            organisation="龙华区新能源电池行业协会（演示）",
        )
    meeting_record(
        actor=admin,
        consultation=opened,
        kind="meeting",
        held_on=today + 7 * DAY,
        place="区应急管理局二楼会议室",
    )
    meetings += 1
    return {
        "consultations": 3,
        "consultation_comments": comments,
        "consultation_meetings": meetings,
    }


FEEDBACK = [
    ("meeting", "检查频次", "同一个月内应急、消防、环保分别上门，检查内容有重叠。", "YJGL"),
    ("phone", "整改期限", "整改期限只有3天，设备采购来不及。", "XFJY"),
    ("visit", "标准不一", "两个部门对危化品储存柜的要求不一致。", "SZ-SCJG"),
    ("online", "执法态度", "检查人员未出示证件。", ""),
]


def _contact_points(actor: Any, users: dict, rng: random.Random, today) -> dict[str, int]:
    streets = list(Street.objects.order_by("code"))
    if not streets:
        return {"contact_points": 0, "contact_feedback": 0}
    qiye = users.get("qiye")
    # 16 over the streets, the larger streets taking the remainder.
    sizes = {s.pk: Enterprise.objects.filter(street=s).count() for s in streets}
    order = sorted(streets, key=lambda s: (-sizes[s.pk], s.code))
    share = {s.pk: CONTACT_POINTS // len(streets) for s in streets}
    for s in order[: CONTACT_POINTS % len(streets)]:
        share[s.pk] += 1
    points = []
    for street in streets:
        ids = list(
            Enterprise.objects.filter(street=street).order_by("pk").values_list("pk", flat=True)
        )
        if qiye is not None and qiye.enterprise.street_id == street.pk:
            ids.remove(qiye.enterprise_id)
            chosen = [
                qiye.enterprise_id,
                *rng.sample(ids, max(0, min(share[street.pk] - 1, len(ids)))),
            ]
        else:
            chosen = rng.sample(ids, min(share[street.pk], len(ids)))
        for pk in chosen:
            points.append(
                contact_point_designate(
                    actor=actor,
                    enterprise=Enterprise.objects.get(pk=pk),
                    term_from=today - 120 * DAY,
                    term_to=today + 610 * DAY,
                    note="2026—2028年度",
                )
            )
    feedback = 0
    for i, point in enumerate(points[::2]):
        channel, topic, text, code = FEEDBACK[i % len(FEEDBACK)]
        received = today - (10 + 7 * i) * DAY
        item = feedback_log(
            actor=actor,
            contact_point=point,
            received_on=received,
            channel=channel,
            topic=topic,
            text=text,
            department=_department(code),
        )
        feedback += 1
        if i % 3 != 2:
            feedback_follow_up(
                actor=actor,
                feedback=item,
                follow_up_by="区司法局执法监督科",
                follow_up="已转涉及部门核实，部门已书面回复企业并纳入联合检查计划。",
                closed_on=received + 12 * DAY if i % 3 == 0 else None,
            )
    return {"contact_points": len(points), "contact_feedback": feedback}


def demo_rulemaking_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the demo's rulemaking through the app's services; return the counts for the summary."""
    rng = random.Random(seed * 7919 + 17)
    today = timezone.localdate()
    users = _users()
    bureau = users.get("sfj", actor)
    counts = _conflicts(actor, bureau)
    counts["conflict_reports"] = _reports(users.get("qiye"), bureau)
    counts |= _consultations(actor, users, rng, today)
    counts |= _contact_points(actor, users, rng, today)
    return counts
