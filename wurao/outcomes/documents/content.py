"""What each document says, as plain data: one dict per document that both the Word template
(docxtpl) and the print template (WeasyPrint) lay out, so the DOCX and the PDF never differ.

Fixed wording the law prescribes (the remedies, the fine's payment, the grounds of an
exemption) is written here, where it is tested, not in the templates a district edits."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.enforcement.choices import Mode
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.choices import CaseKind, CheckResult, Disposition, Hazard, SoftMeasure
from wurao.outcomes.models import Case, Evidence, FindingNotice, ItemCheck

# ---------------------------------------------------------------- small pieces


def day_text(day: date | None) -> str:
    """A date as official documents write it (GB/T 9704-2012: Arabic numerals)."""
    if day is None:
        return ""
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _moment_text(moment) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(day)s%(h)02d时%(m)02d分") % {
        "day": day_text(local.date()),
        "h": local.hour,
        "m": local.minute,
    }


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")


def _group_words(group: int) -> str:
    words, zero = "", False
    for position in (3, 2, 1, 0):
        digit = group // 10**position % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += _DIGITS[digit] + _UNITS[position]
    return words


def yuan_in_words(amount: Decimal) -> str:
    """An amount of money in capital numerals (人民币大写), as a fine is written:
    Decimal("10500") -> 壹万零伍佰元整."""
    cents = int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents < 0 or cents >= 10**14:
        raise ValueError("amount out of range")
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零元整"
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    words, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words += "零"
        words += _group_words(group) + _GROUPS[index]
        pending_zero = False
    if words:
        words += "元"
    if not jiao and not fen:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    return words


def amount_text(amount: Decimal | None) -> str:
    """人民币12000元（大写：壹万贰仟元整）."""
    if amount is None:
        return ""
    value = Decimal(amount)
    figures = f"{value:.2f}".removesuffix(".00")
    return _("人民币%(figures)s元（大写：%(words)s）") % {
        "figures": figures,
        "words": yuan_in_words(value),
    }


def _officers_text(officers) -> str:
    return "、".join(
        _("%(name)s（执法证号 %(badge)s）") % {"name": o.name, "badge": o.badge_no}
        for o in officers
    )


def _enterprise_facts(enterprise) -> dict:
    return {
        "enterprise_name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "address": enterprise.address or _("（未登记）"),
        # The registry keeps no legal representative yet; a registry that does fills it here.
        "legal_rep": getattr(enterprise, "legal_representative", "") or "",
    }


def review_body(department) -> str:
    """To whom 行政复议 goes. Since the 2023 revision of 《中华人民共和国行政复议法》(第二十四条)
    a district department's act is reviewed by the people's government at its level; a
    department under vertical leadership (海关、金融、税务、外汇、国家安全) by the department
    above it. The platform cannot tell which from the registry, so it names both."""
    return _("%(department)s所属的本级人民政府（实行垂直领导的部门，为其上一级主管部门）") % {
        "department": department.name
    }


def remedies_text(department, *, paper: str) -> str:
    """行政复议 within 60 days (《行政复议法》第二十条), 行政诉讼 within six months
    (《行政诉讼法》第四十六条), from the day the paper is received."""
    return _(
        "当事人如不服本%(paper)s，可以自收到本%(paper)s之日起六十日内依法向%(body)s"
        "申请行政复议，或者自收到本%(paper)s之日起六个月内依法向人民法院提起行政诉讼。"
    ) % {"paper": paper, "body": review_body(department)}


# ---------------------------------------------------------------- 行政处罚决定书


def _decision_title(case: Case) -> str:
    if case.disposition == Disposition.EXEMPTED:
        return _("不予行政处罚决定书")
    if case.disposition == Disposition.SOFT:
        if case.soft_measure == SoftMeasure.WARNING:
            return _("警示告诫书")
        measure = case.get_soft_measure_display() or _("行政指导")
        return _("%(measure)s记录") % {"measure": measure}
    if case.disposition == Disposition.MEASURE or (
        not case.disposition and case.kind == CaseKind.COERCIVE
    ):
        return _("行政强制措施决定书")
    return _("行政处罚决定书")


def _check_text(check: ItemCheck) -> str:
    action = check.action
    text = _("%(day)s，%(department)s%(mode)s“%(item)s”：%(description)s") % {
        "day": day_text(action.date),
        "department": action.department.name,
        "mode": _("非现场检查") if action.mode == Mode.OFF_SITE else _("现场检查"),
        "item": check.item.name,
        "description": check.description or check.get_result_display(),
    }
    if check.hazard != Hazard.NONE:
        text += _("（%(hazard)s）") % {"hazard": check.get_hazard_display()}
    return text


def _articles(case: Case) -> list[dict]:
    found = []
    standard = case.standard
    if standard is None:
        return found
    for label, article in (
        (_("违反条款"), standard.breached_article),
        (_("处罚依据"), standard.penalty_article),
    ):
        if article is not None:
            found.append(
                {
                    "label": _("%(label)s《%(title)s》%(number)s")
                    % {
                        "label": label,
                        "title": article.version.document.title,
                        "number": article.number,
                    },
                    "text": article.text,
                }
            )
    return found


def _band_range(band) -> str:
    low, high = band.min_amount, band.max_amount
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return _("罚款%(low)s元至%(high)s元") % {
            "low": f"{low:.2f}".removesuffix(".00"),
            "high": f"{high:.2f}".removesuffix(".00"),
        }
    bound = low if low is not None else high
    word = _("不低于") if low is not None else _("不超过")
    return _("罚款%(word)s%(amount)s元") % {
        "word": word,
        "amount": f"{bound:.2f}".removesuffix(".00"),
    }


def _discretion(case: Case) -> list[dict]:
    """What the discretion standard allowed and what was chosen, line by line."""
    lines: list[dict] = []
    if case.standard is not None:
        lines.append(
            {
                "label": _("裁量基准"),
                "text": f"{case.standard.code} {case.standard.violation}",
            }
        )
    if case.band is not None:
        band = case.band
        allowed = "；".join(x for x in (band.measure, _band_range(band)) if x)
        lines.append({"label": _("适用档次"), "text": band.name})
        lines.append({"label": _("适用情形"), "text": band.circumstances})
        if allowed:
            lines.append({"label": _("该档次可处"), "text": allowed})
    if case.band_reasons:
        lines.append({"label": _("适用该档次的理由"), "text": case.band_reasons})
    if case.exemption is not None:
        entry = case.exemption
        lines.append(
            {
                "label": _("免罚清单"),
                "text": _("%(list)s（%(level)s）“%(violation)s”，%(kind)s")
                % {
                    "list": entry.exemption_list.title,
                    "level": entry.exemption_list.get_level_display(),
                    "violation": entry.violation,
                    "kind": entry.get_kind_display(),
                },
            }
        )
    if case.observation is not None:
        obs = case.observation
        lines.append(
            {
                "label": _("新业态观察期"),
                "text": _("%(name)s，%(start)s至%(end)s")
                % {
                    "name": obs.name,
                    "start": day_text(obs.starts_on),
                    "end": day_text(obs.ends_on),
                },
            }
        )
    if case.override_reason:
        lines.append({"label": _("不采纳平台建议的理由"), "text": case.override_reason})
    if case.disposition in (Disposition.PENALTY, Disposition.MEASURE):
        fine = _("罚款%(amount)s") % {"amount": amount_text(case.amount)} if case.amount else ""
        chosen = "；".join(x for x in (case.measure, fine) if x)
        if chosen:
            lines.append({"label": _("决定的处罚或措施"), "text": chosen})
    if case.disposition == Disposition.SOFT and case.soft_measure:
        lines.append({"label": _("柔性措施"), "text": case.get_soft_measure_display()})
    if not lines:
        lines.append({"label": _("裁量"), "text": _("（未适用裁量基准）")})
    return lines


def _rights(case: Case) -> str:
    if case.disposition in (Disposition.EXEMPTED, Disposition.SOFT) and not (
        case.statement_offered_on or case.hearing_offered
    ):
        return _("本案不予行政处罚，无需告知陈述、申辩和听证权利。")
    if case.statement_offered_on is None and not case.hearing_offered:
        return _("（未记录告知陈述、申辩权利的日期）")
    parts = []
    if case.statement_offered_on is not None:
        parts.append(
            _(
                "本机关于%(day)s告知当事人拟作出决定的事实、理由、依据及内容，"
                "并告知当事人依法享有陈述、申辩的权利"
            )
            % {"day": day_text(case.statement_offered_on)}
        )
    if case.hearing_offered:
        parts.append(_("告知当事人依法享有要求听证的权利"))
        parts.append(
            _("当事人要求听证，本机关依法组织了听证")
            if case.hearing_requested
            else _("当事人在法定期限内未要求听证")
        )
    return "；".join(parts) + "。"


def _conclusion(case: Case) -> str:
    disposition = case.disposition
    basis = case.legal_basis or (case.standard.legal_basis if case.standard else "")
    if disposition == Disposition.EXEMPTED:
        entry = case.exemption
        text = _(
            "当事人的违法行为符合免罚清单所列情形，依据《中华人民共和国行政处罚法》第三十三条第一款"
        )
        # The entry's own basis, less what the sentence already cites.
        extra = [
            part.strip()
            for part in (entry.legal_basis if entry is not None else "").split("；")
            if part.strip() and "行政处罚法》第三十三条" not in part
        ]
        if extra:
            text += _("及%(basis)s") % {"basis": "、".join(extra)}
        text += _(
            "的规定，本机关决定对当事人不予行政处罚，并已对当事人进行教育（第三十三条第三款）。"
        )
        return text
    if disposition == Disposition.SOFT:
        return _(
            "鉴于当事人所属业态处于新业态观察期，本机关决定对当事人采取%(measure)s，"
            "不予行政处罚。当事人应当按照整改要求及时改正。"
        ) % {"measure": case.get_soft_measure_display() or _("行政指导")}
    if disposition == Disposition.MEASURE:
        return _("依据%(basis)s的规定，本机关决定对当事人采取如下行政强制措施：%(measure)s。") % {
            "basis": basis or _("有关法律、法规"),
            "measure": case.measure or _("（未填写）"),
        }
    if disposition == Disposition.PENALTY:
        what = "；".join(
            x
            for x in (
                case.measure,
                _("罚款%(amount)s") % {"amount": amount_text(case.amount)} if case.amount else "",
            )
            if x
        )
        return _("依据%(basis)s的规定，本机关决定对当事人作出如下行政处罚：%(what)s。") % {
            "basis": basis or _("有关法律、法规"),
            "what": what or _("（未填写）"),
        }
    return _("本案尚未作出决定（%(status)s），本文书仅为草稿。") % {
        "status": case.get_status_display()
    }


def _payment(case: Case) -> str:
    """《行政处罚法》第六十七条第三款、第七十二条第一款第（一）项."""
    if case.disposition != Disposition.PENALTY or not case.amount:
        return ""
    return _(
        "当事人应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。"
        "到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款。"
        "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。"
    )


def decision_content(case: Case) -> dict:
    """The reasoned decision (说理式文书) of a case: parties, facts found with the findings,
    evidence, legal basis with the standards library's text, reasoning, the discretion
    applied, the conclusion, the rights offered and the remedies with their deadlines."""
    checks = list(
        case.checks.select_related("item", "action__department").order_by("action__date", "pk")
    )
    files = Evidence.objects.filter(item_check__in=checks).order_by("uploaded_at", "pk")
    title = _decision_title(case)
    paper = _("决定书") if case.disposition not in (Disposition.SOFT,) else _("记录")
    reviewable = case.disposition in (
        Disposition.PENALTY,
        Disposition.MEASURE,
        Disposition.EXEMPTED,
    )
    return {
        "kind": "decision",
        "title": title,
        "number": case.number,
        "department_name": case.department.name,
        **_enterprise_facts(case.enterprise),
        "opening": _("本机关于%(opened)s对当事人涉嫌%(violation)s一案立案调查，现已调查终结。")
        % {
            "opened": day_text(case.opened_on),
            "violation": case.standard.violation if case.standard else _("违法行为"),
        },
        "facts": case.facts,
        "findings": [
            {"number": n, "text": _check_text(check)} for n, check in enumerate(checks, start=1)
        ],
        "evidence": case.evidence_summary or _("（见案卷）"),
        "evidence_files": [
            _("%(kind)s：%(name)s") % {"kind": f.get_kind_display(), "name": f.name} for f in files
        ],
        "legal_basis": case.legal_basis
        or (case.standard.legal_basis if case.standard else _("（未填写）")),
        "articles": _articles(case),
        "reasoning": case.reasoning or _("（未填写）"),
        "discretion": _discretion(case),
        "rights": _rights(case),
        "conclusion": _conclusion(case),
        "payment": _payment(case),
        "remedies": remedies_text(case.department, paper=paper) if reviewable else "",
        "date": day_text(case.decided_on) or _("（未决定）"),
        "served_note": _("送达日期：%(day)s") % {"day": day_text(case.served_on)}
        if case.served_on
        else _("本%(paper)s一式两份，一份送达当事人，一份存档。") % {"paper": paper},
        "exempted": case.disposition == Disposition.EXEMPTED,
        "draft": not case.disposition,
    }


# ---------------------------------------------------------------- 责令改正通知书


def _mode_text(action: EnforcementAction) -> str:
    if action.mode == Mode.OFF_SITE:
        return _("非现场检查（%(method)s）") % {
            "method": action.get_offsite_method_display() or _("方式未记录")
        }
    return _("现场检查")


def notice_content(notice: FindingNotice, *, portal_url: str = "/portal/") -> dict:
    """Every finding of one inspection with its requirement and deadline (一次性告知), the legal
    basis per item, and how the enterprise reports its rectification on the portal."""
    action = notice.action
    rectifications = list(
        notice.rectifications.select_related("item_check__item").order_by("item_check__item__code")
    )
    items = list(action.items.order_by("code"))
    return {
        "kind": "notice",
        "title": _("责令改正通知书"),
        "number": notice.number,
        "department_name": action.department.name,
        **_enterprise_facts(action.enterprise),
        "opening": _(
            "%(day)s，本机关执法人员%(officers)s对你单位进行了%(mode)s，检查事项为：%(items)s。"
            "检查发现下列%(count)s项问题，现一次性告知，请你单位按要求逐项整改："
        )
        % {
            "day": day_text(action.date),
            "officers": _officers_text(action.officers.order_by("badge_no")) or _("（未登记）"),
            "mode": _mode_text(action),
            "items": "、".join(i.name for i in items) or _("（未登记）"),
            "count": len(rectifications),
        },
        "rows": [
            {
                "number": n,
                "item": r.item_check.item.name,
                "problem": r.item_check.description,
                "requirement": r.requirement,
                "deadline": day_text(r.deadline),
                "basis": r.item_check.item.legal_basis,
            }
            for n, r in enumerate(rectifications, start=1)
        ],
        "legal_basis": _(
            "依据《中华人民共和国行政处罚法》第二十八条第一款及上表所列各事项的法律依据，"
            "责令你单位在期限内改正上述问题。"
        ),
        "report_how": _(
            "请你单位在各项整改期限届满前，登录企业服务门户（%(portal)s）“整改”栏目，"
            "逐项报告整改情况并上传整改前后的照片或材料；本机关将通过现场复查或书面核查确认整改结果。"
        )
        % {"portal": portal_url},
        "consequence": _(
            "逾期未整改或整改不到位的，本机关将依法处理，逾期未整改的情况记入企业信用记录。"
        ),
        "remedies": remedies_text(action.department, paper=_("通知书")),
        "officers": _officers_text(action.officers.order_by("badge_no")) or _("（未登记）"),
        "date": day_text(notice.issued_on),
    }


# ---------------------------------------------------------------- 现场检查笔录


def record_number(action: EnforcementAction) -> str:
    return _("%(code)s-检查〔%(year)s〕%(pk)s号") % {
        "code": action.department.code,
        "year": action.date.year,
        "pk": action.pk,
    }


def record_content(action: EnforcementAction) -> dict:
    """What was inspected and found, item by item: on the premises during a registered visit
    (code, check-in time) or, off-site, by which means and without entering the premises."""
    on_site = action.mode != Mode.OFF_SITE
    visit = action.visit if on_site else None
    officers = list(action.officers.select_related("department").order_by("badge_no"))
    checks = {c.item_id: c for c in action.checks.select_related("item")}
    items = list(action.items.order_by("code"))
    for check in checks.values():
        if check.item not in items:
            items.append(check.item)
    notice = FindingNotice.objects.filter(action=action).first()
    facts = [
        {"label": _("被检查单位"), "value": action.enterprise.name},
        {"label": _("统一社会信用代码"), "value": action.enterprise.credit_code},
        {"label": _("地址"), "value": action.enterprise.address or _("（未登记）")},
        {"label": _("检查机关"), "value": action.department.name},
        {"label": _("检查方式"), "value": _mode_text(action)},
        {"label": _("检查来源"), "value": action.get_origin_display()},
        {"label": _("检查日期"), "value": day_text(action.date)},
    ]
    if visit is not None:
        facts += [
            {"label": _("入企码"), "value": visit.code_display},
            {"label": _("签到时间"), "value": _moment_text(visit.checked_in_at) or _("（未签到）")},
            {
                "label": _("签退时间"),
                "value": _moment_text(visit.checked_out_at) or _("（未签退）"),
            },
            {"label": _("检查地点"), "value": action.enterprise.address or _("企业经营场所")},
        ]
    elif on_site:
        facts.append({"label": _("入企登记"), "value": _("（未关联入企登记）")})
    facts.append({"label": _("执法人员"), "value": _officers_text(officers) or _("（未登记）")})
    if on_site:
        opening = _(
            "执法人员出示执法证件，表明身份，说明检查事由和依据，告知当事人依法享有陈述、申辩"
            "和申请回避的权利后，对下列事项进行了现场检查："
        )
        closing = _("以上笔录经当事人核对无误（或已向其宣读）。")
    else:
        opening = _(
            "本次为非现场检查：执法人员未进入企业经营场所，通过%(method)s对下列事项进行了检查："
        ) % {"method": action.get_offsite_method_display() or _("非现场手段")}
        closing = _("本记录依据非现场检查取得的材料制作，检查材料附后存档。")
    not_checked = CheckResult.NOT_CHECKED.label
    rows = []
    for n, item in enumerate(items, start=1):
        check = checks.get(item.pk)
        result = check.get_result_display() if check else str(not_checked)
        if check is not None and check.hazard != Hazard.NONE:
            result += _("（%(hazard)s）") % {"hazard": check.get_hazard_display()}
        rows.append(
            {
                "number": n,
                "item": item.name,
                "result": result,
                "description": (check.description if check else "") or "—",
                "basis": item.legal_basis,
            }
        )
    title = _("现场检查笔录") if on_site else _("非现场检查记录")
    return {
        "kind": "record",
        "title": title,
        "number": record_number(action),
        "department_name": action.department.name,
        **_enterprise_facts(action.enterprise),
        "on_site": on_site,
        "facts": facts,
        "opening": opening,
        "checks": rows,
        "summary": _("检查情况摘要：%(summary)s") % {"summary": action.summary}
        if action.summary
        else _("检查情况摘要：见上表。"),
        "notice_line": _("发现的问题已一次性告知，责令改正通知书编号：%(number)s。")
        % {"number": notice.number}
        if notice
        else _("本次检查未下达责令改正通知书。"),
        "closing": closing,
        "date": day_text(action.date),
    }
