"""Decisions on the visit registry: the second approver's on an override, the enterprise's
rating of a finished visit, and the justice bureau's rules. Each is atomic and audited."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.catalogue import selectors as catalogue_selectors
from wurao.visits import rules as visit_rules
from wurao.visits import selectors
from wurao.visits.choices import RatingTag, VisitStatus
from wurao.visits.models import Visit, VisitRating, VisitRuleVersion
from wurao.visits.services.onsite import _lock
from wurao.visits.services.registration import actor_user


@transaction.atomic
def visit_override_decide(*, actor, visit: Visit, approve: bool, note: str = "") -> Visit:
    """The second approver's decision on a registration that breaks a rule."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.PENDING_OVERRIDE:
        raise ValidationError(
            {
                "__all__": gettext("该入企登记当前为“%(status)s”，无需审批")
                % {"status": visit.get_status_display()}
            }
        )
    require(actor, "visits.override_decide", visit)
    if visit.registered_by_id == actor.pk:
        raise ValidationError({"__all__": gettext("突破规则须由登记人以外的第二人审批")})
    if not approve and not note.strip():
        raise ValidationError({"note": gettext("不批准时请说明理由")})
    visit.status = VisitStatus.REGISTERED if approve else VisitStatus.REJECTED
    if approve and visit.date < timezone.localdate():
        visit.status = VisitStatus.COMPLETED
    visit.override_approved_by = actor
    visit.override_decided_at = timezone.now()
    if not approve:
        visit.cancel_reason = note.strip()
    visit.save(
        update_fields=["status", "override_approved_by", "override_decided_at", "cancel_reason"]
    )
    audit_record(
        actor=actor,
        verb="visit.override_approve" if approve else "visit.override_reject",
        obj=visit,
        payload={
            "code": visit.code,
            "note": note.strip(),
            "rules": [v["rule"] for v in visit.violations],
        },
    )
    return visit


@transaction.atomic
def visit_rate(*, actor, visit: Visit, score: int, tags=(), comment: str = "") -> VisitRating:
    """The enterprise rates a finished visit, once. No user is stored with the rating."""
    visit = _lock(visit)  # the caller's copy may predate the check-out
    require(actor, "visits.rate", visit)
    if visit.status != VisitStatus.COMPLETED:
        raise ValidationError({"__all__": gettext("入企结束后才能评价")})
    days = settings.VISIT_RATING_DAYS
    if visit.date < timezone.localdate() - timedelta(days=days):
        raise ValidationError(
            {
                "__all__": gettext("只能评价 %(days)s 日内结束的入企（本次入企是 %(day)s）")
                % {"days": days, "day": visit.date}
            }
        )
    if not (isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5):
        raise ValidationError({"score": gettext("评分须为 1 到 5 分")})
    if isinstance(tags, str):
        tags = [tags]
    unknown = [str(t) for t in tags if t not in RatingTag.values]
    if unknown:
        raise ValidationError(
            {"tags": gettext("未知的评价标签：%(tags)s") % {"tags": "、".join(unknown)}}
        )
    if VisitRating.objects.filter(visit=visit).exists():
        raise ValidationError({"__all__": gettext("已评价过本次入企")})
    rating = VisitRating.objects.create(
        visit=visit,
        score=score,
        tags=sorted(set(tags)),
        comment=comment.strip()[:1000],
        rated_on=timezone.localdate(),
    )
    # The audit log keeps that a rating was made, not what it says.
    audit_record(actor=actor, verb="visit.rate", obj=rating, payload={"code": visit.code})
    return rating


@transaction.atomic
def visit_rules_publish(
    *, actor, doc: dict, effective_from: date, note: str = ""
) -> VisitRuleVersion:
    """A new version of the rules; it judges registrations from its effective date on."""
    require(actor, "visits.rules_publish")
    latest = VisitRuleVersion.objects.select_for_update().order_by("-version").first()
    number = (latest.version if latest else 0) + 1
    try:
        visit_rules.rules_from_json(doc, version=number, effective_from=effective_from)
    except visit_rules.RulesError as e:
        raise ValidationError({path: message for path, message in e.problems}) from e
    if unknown := _items_not_in_catalogue(doc.get("offsite_only_items") or []):
        raise ValidationError(
            {
                "offsite_only_items": gettext(
                    "检查事项编码 %(codes)s 不在检查事项清单中（或已停用），请核对后再发布"
                )
                % {"codes": "、".join(unknown)}
            }
        )
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            {
                "effective_from": gettext("生效日期不能早于第 %(version)s 版（%(day)s）")
                % {"version": latest.version, "day": latest.effective_from}
            }
        )
    if not note.strip():
        raise ValidationError({"note": gettext("请填写修订说明")})
    selectors.rules_cache_clear()
    row = VisitRuleVersion.objects.create(
        version=number,
        effective_from=effective_from,
        rules=doc,
        note=note.strip(),
        created_by=actor_user(actor),
    )
    audit_record(
        actor=actor,
        verb="visit_rules.publish",
        obj=row,
        payload={"version": number, "effective_from": effective_from.isoformat(), "rules": doc},
    )
    return row


def _items_not_in_catalogue(codes: list[str]) -> list[str]:
    """The codes of 非举报不现场核查 that name no active catalogue item (rules.py, pure,
    checks only that they are codes)."""
    wanted = {c.strip() for c in codes if isinstance(c, str)}
    known = set(
        catalogue_selectors.item_list(filters={"active_only": True})
        .filter(code__in=wanted)
        .values_list("code", flat=True)
    )
    return sorted(wanted - known)
