"""The key 福城 enterprise's year so far: its visits before the last days, written directly.

Dated from the day of the build, like the rest of the "now" scenarios (wurao.demo.visits_now),
but history: written as rows (with their approvals, check-in and check-out and results) and
counted in the build's one audit event, not through the services, which accept a visit at
most ten days after the fact.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from wurao.accounts.models import User
from wurao.catalogue.models import InspectionItem
from wurao.demo.visits_load import approval_prefix, approval_ref, approver_title
from wurao.enforcement.choices import ActionKind, Finding, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.registry.models import Department, Enterprise, Inspector
from wurao.registry.workdays import is_working_day
from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin, VisitPurpose, VisitStatus
from wurao.visits.models import Visit

SHENZHEN = datetime.timezone(datetime.timedelta(hours=8))


@dataclass(frozen=True)
class Past:
    """A visit of the key enterprise earlier in the year, written directly. `when` is a
    fraction of the year so far (before the last month) or, if negative, days before today."""

    when: float
    departments: tuple[str, ...]  # organisation codes, the lead first
    origin: str = ""  # an inspection's VisitOrigin; "" for a non-enforcement visit
    note: str = ""
    items: tuple[str, ...] = ()  # item codes
    findings: tuple[str, ...] = ()  # per department: "clean" or "problems"
    summary: str = ""
    rating: tuple[int, tuple[str, ...], str] | None = None  # score, tags, comment


# The demo's story: a busy year at the key enterprise, as the study found in 2019.
KEY_PAST = (
    Past(0.00, ("community",), note="来深人员信息核查"),
    Past(
        0.08, ("SZ-STHJ",), VisitOrigin.PLAN, "年度重点排污单位执法检查",
        ("SZ-STHJ-03", "SZ-STHJ-04"), ("clean",), "废水排放口和危险废物贮存场所检查，未发现问题。",
        (4, ("conduct",), "出示了执法证和入企码，流程规范"),
    ),
    Past(0.16, ("ZGH",), note="职工之家建设调研"),
    Past(
        0.24, ("YJGL",), VisitOrigin.PLAN, "年度安全生产执法检查计划",
        ("YJGL-01", "YJGL-06"), ("problems",), "事故隐患排查台账不完整，责令限期改正。",
        (3, ("conduct",), "检查要求前后不一致"),
    ),
    Past(0.32, ("DGW-FC",), note="非公企业党建工作指导"),
    Past(
        0.40, ("SZ-SCJG",), VisitOrigin.CAMPAIGN, "特种设备安全专项整治",
        ("SZ-SCJG-02",), ("clean",), "起重机械和压力容器定期检验情况检查，未发现问题。",
        (5, ("efficiency",), "检查规范高效，没有影响生产"),
    ),
    Past(0.48, ("FL",), note="女职工权益保护调研"),
    Past(
        0.56, ("YJGL",), VisitOrigin.CAMPAIGN, "“安全生产月”有限空间作业专项检查",
        ("YJGL-04",), ("clean",), "有限空间作业审批和监护制度落实，未发现问题。",
        (4, (), ""),
    ),
    Past(0.64, ("ZGH",), note="劳动竞赛动员", rating=(3, ("disruption",), "走访频繁，影响生产安排")),
    Past(
        0.72, ("ZF-FC",), VisitOrigin.PLAN, "街道安全生产网格巡查",
        ("ZF-FC-02",), ("clean",), "生产经营场所安全生产巡查，未发现问题。",
    ),
    Past(
        0.80, ("YJGL",), VisitOrigin.HIGHER_ORDER, "市应急管理局交办的危险化学品企业抽查",
        ("YJGL-02",), ("clean",), "危险化学品使用和储存情况检查，未发现问题。",
        (2, ("disruption",), "检查时间过长，占用生产时间"),
    ),
    Past(0.88, ("community",), note="统计数据核查"),
    Past(0.96, ("DGW-FC",), note="主题教育宣讲"),
    Past(-28, ("FL",), note="母婴室建设走访"),
    # The joint visit: a quiet period follows it.
    Past(
        -20, ("YJGL", "XFJY"), VisitOrigin.JOINT, "应急管理、消防救援跨部门联合检查（进一次门、查多项事）",
        ("YJGL-02", "XFJY-05"), ("problems", "clean"),
        "危险化学品仓库未按规定分区分类存放，责令限期整改。",
        (4, ("efficiency",), "联合检查一次查完，减少了打扰"),
    ),
    Past(-13, ("community",), note="社区安全生产宣传"),
)  # fmt: skip
# The past visits' codes are drawn with the history's (wurao.demo.visits_load): the seed's,
# and different from every other.
SPARE_CODES = len(KEY_PAST)


def workday(day: datetime.date, step: int) -> datetime.date:
    """`day`, or the nearest working day in the direction of `step` (±1): no visit on a
    weekend or a public holiday."""
    while not is_working_day(day):
        day += datetime.timedelta(days=step)
    return day


def workdays_after(today: datetime.date, n: int) -> datetime.date:
    day = today
    for _ in range(n):
        day = workday(day + datetime.timedelta(days=1), 1)
    return day


def past_day(when: float, today: datetime.date) -> datetime.date:
    if when < 0:
        # Towards today, so that the joint visit's quiet period covers the days ahead.
        return workday(today + datetime.timedelta(days=int(when)), 1)
    first = datetime.date(today.year, 1, 5)
    last = today - datetime.timedelta(days=32)
    if (last - first).days < 60:  # early in the year: the year before too
        first = today - datetime.timedelta(days=300)
    return workday(first + datetime.timedelta(days=round(when * (last - first).days)), -1)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHENZHEN)


class Scene:
    """What the scenarios need: the key enterprise, the accounts, departments, items and
    officers whose certificates are valid through the days ahead."""

    def __init__(self, actor: Any, key_id: int, today: datetime.date) -> None:
        self.actor = actor
        self.today = today
        self.key = Enterprise.objects.select_related("community", "street").get(pk=key_id)
        self.users = {
            u.username: u
            for u in User.objects.filter(username__in=("sfj", "yjj_admin", "yjj_inspector", "qiye"))
        }
        station = f"{self.key.street.name}{self.key.community.name}工作站"
        self.departments = {d.code: d for d in Department.objects.all()}
        self.departments["community"] = Department.objects.get(name=station)
        self.items = {i.code: i for i in InspectionItem.objects.select_related("department")}
        self._officers: dict[int, list[Inspector]] = {}
        self._turn: dict[int, int] = {}

    def user(self, username: str) -> Any:
        return self.users.get(username, self.actor)

    def officers(self, department: Department, first: Inspector | None = None) -> list[Inspector]:
        """Two officers of the department, in turn, holding certificates valid for months."""
        if department.pk not in self._officers:
            self._officers[department.pk] = list(
                Inspector.objects.filter(
                    department=department,
                    active=True,
                    certificate_valid_until__gte=self.today + datetime.timedelta(days=180),
                ).order_by("pk")
            )
        pool = [o for o in self._officers[department.pk] if o != first]
        turn = self._turn.get(department.pk, 0)
        self._turn[department.pk] = turn + 1
        picked = [pool[(2 * turn + k) % len(pool)] for k in range(2)] if pool else []
        return ([first] + picked[:1]) if first else picked

    def approval(
        self, department: Department, day: datetime.date, *, urgent: bool = False
    ) -> dict[str, Any]:
        """The head of department's approval: two working days ahead, or by telephone on the
        day when it was urgent; never after today (approval comes before registration)."""
        number = 3 * day.timetuple().tm_yday + department.pk % 3
        ahead = day if urgent else workday(day - datetime.timedelta(days=2), -1)
        return {
            "approver": approver_title(department.name),
            "approval_ref": approval_ref(approval_prefix(department), day.year, number),
            "approved_on": min(ahead, self.today),
        }


def past_visit_write(scene: Scene, spec: Past, code: str, rules_version: int | None) -> Visit:
    """One of the key enterprise's earlier visits, written directly (history)."""
    day = past_day(spec.when, scene.today)
    departments = [scene.departments[c] for c in spec.departments]
    lead = departments[0]
    inspection = bool(spec.origin)
    visit = Visit.objects.create(
        code=code,
        enterprise=scene.key,
        kind=VisitKind.INSPECTION if inspection else VisitKind.NON_ENFORCEMENT,
        origin=spec.origin,
        purpose="" if inspection else _purpose(lead.code),
        department=lead,
        date=day,
        note=spec.note,
        status=VisitStatus.COMPLETED,
        rule_version=rules_version if day.year == scene.today.year else None,
        registered_by=scene.user("yjj_inspector") if lead.code == "YJGL" else None,
        **(scene.approval(lead, day) if inspection else {}),
        **(
            {
                "checked_in_at": _at(day, 9, 30),
                "check_in_method": CheckInMethod.SCAN,
                "checked_out_at": _at(day, 11, 15),
            }
            if inspection
            else {}
        ),
    )
    Visit.objects.filter(pk=visit.pk).update(
        registered_at=_at(day - datetime.timedelta(days=1), 17)
    )
    visit.departments.set(departments)
    if not inspection:
        return visit
    items = [scene.items[c] for c in spec.items]
    joint_ref = f"LHJ-{day.year}-{code}" if len(departments) > 1 else ""
    for department, finding in zip(departments, spec.findings, strict=True):
        officers = scene.officers(department)
        own = [i for i in items if i.department_id == department.pk]
        action = EnforcementAction.objects.create(
            enterprise=scene.key,
            department=department,
            department_level=department.level,
            date=day,
            kind=ActionKind.INSPECTION,
            origin=spec.origin if spec.origin in Origin.values else Origin.PLAN,
            joint_ref=joint_ref,
            summary=spec.summary
            if finding == Finding.PROBLEMS or len(departments) == 1
            else ("联合检查中本部门事项未发现问题。"),
            finding=finding,
            visit=visit,
        )
        EnforcementAction.objects.filter(pk=action.pk).update(created_at=_at(day, 18))
        action.items.set(own)
        action.officers.set(officers)
        visit.officers.add(*officers)
    visit.items.set(items)
    return visit


def _purpose(code: str) -> str:
    for prefix, purpose in (("ZGH", VisitPurpose.UNION), ("FL", VisitPurpose.WOMEN)):
        if code.startswith(prefix):
            return purpose
    return VisitPurpose.PARTY if code.startswith("DGW") else VisitPurpose.COMMUNITY
