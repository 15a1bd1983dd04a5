"""Joint park days (联合整园执法日): each week a street inspects one park together, the
park drawn at random with the draw engine of [draws] — the seed committed before, the
observer's entropy at the draw, every input published after, so anyone can re-run it.

The park with the smallest key wins, keys being `wurao.sampling.engine.keys(seed, n)` over the
street's park codes in byte order and `seed = draw_seed(code, server_seed, entropy)` (spec
docs/random-draw-v1.md §2–3, with the park day's code as the task id).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.planning.choices import ObserverRole, ParkDayStatus
from wurao.planning.models import ParkDay, ParkDaySetting
from wurao.registry import selectors as registry_selectors
from wurao.registry.workdays import special_days
from wurao.sampling import engine

WEEKDAYS = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
)


def park_draw(
    *, code: str, candidates: list[str], server_seed: bytes, external_entropy: str
) -> str:
    """The drawn park's code: pure, the same for anyone with the published inputs."""
    ordered = sorted(candidates, key=str.encode)
    keys = engine.keys(engine.draw_seed(code, server_seed, external_entropy), len(ordered))
    return ordered[int(keys.argmin())]


@transaction.atomic
def park_day_setting_set(*, actor, street, weekday: int) -> ParkDaySetting:
    require(actor, "planning.park_day_arrange", street)
    if weekday not in range(5):
        raise ValidationError({"weekday": gettext("联合整园执法日须为周一至周五之一")})
    setting, _ = ParkDaySetting.objects.update_or_create(
        street=street, defaults={"weekday": weekday}
    )
    audit_record(actor=actor, verb="park_day.setting", obj=setting, payload={"weekday": weekday})
    return setting


@transaction.atomic
def park_day_commit(*, actor, street, day: date, departments, observers: list[dict]) -> ParkDay:
    """Fix the candidates (the street's parks), the units and the observers, and publish the
    commitment to a secret seed before anyone knows which park it will be."""
    require(actor, "planning.park_day_arrange", street)
    setting = ParkDaySetting.objects.filter(street=street).first()
    errors = {}
    if setting is None:
        errors["day"] = gettext("请先设定本街道每周的联合整园执法日")
    elif day.weekday() != setting.weekday:
        errors["day"] = gettext("本街道的联合整园执法日是每%(weekday)s") % {
            "weekday": gettext(WEEKDAYS[setting.weekday])
        }
    else:
        holiday = next((s for s in special_days(day, day) if not s.is_workday), None)
        if holiday:
            errors["day"] = gettext("%(day)s 是法定节假日（%(name)s），请改在下一周") % {
                "day": day,
                "name": holiday.name,
            }
    if day < timezone.localdate():
        errors["day"] = gettext("只能安排今天以后的联合整园执法日")
    parks = list(
        registry_selectors.park_list().filter(street=street).values_list("code", flat=True)
    )
    if len(parks) < 2:
        errors["street"] = gettext("本街道登记的园区少于 2 个，无需抽取")
    departments = list(departments)
    if len(departments) < 2:
        errors["departments"] = gettext("联合整园执法须有 2 个以上单位参加")
    for i, o in enumerate(observers):
        if not (o.get("name") or "").strip() or o.get("role") not in ObserverRole.values:
            errors["observers"] = gettext("第 %(n)s 位受邀监督人员须填写姓名和身份") % {"n": i + 1}
    if ParkDay.objects.filter(street=street, date=day).exists():
        errors["day"] = gettext("%(day)s 已安排联合整园执法日") % {"day": day}
    if errors:
        raise ValidationError(errors)
    seed = engine.server_seed_new()
    park_day = ParkDay.objects.create(
        street=street,
        date=day,
        code=f"PD-{street.code}-{day:%Y%m%d}",
        candidates=sorted(parks, key=str.encode),
        server_seed=seed.hex(),
        commitment=engine.commitment(seed),
        observers=[{"name": o["name"].strip(), "role": o["role"]} for o in observers],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    park_day.departments.set(departments)
    audit_record(
        actor=actor,
        verb="park_day.commit",
        obj=park_day,
        payload={
            "code": park_day.code,
            "commitment": park_day.commitment,
            "candidates": park_day.candidates,
            "departments": sorted(d.code for d in departments),
        },
    )
    return park_day


@transaction.atomic
def park_day_draw(*, actor, park_day: ParkDay, external_entropy: str, observer: str) -> ParkDay:
    park_day = ParkDay.objects.select_for_update().get(pk=park_day.pk)
    require(actor, "planning.park_day_arrange", park_day.street)
    if park_day.status != ParkDayStatus.COMMITTED:
        raise ValidationError({"__all__": gettext("该执法日的园区已经抽取")})
    if not external_entropy.strip() or not observer.strip():
        raise ValidationError(
            {"external_entropy": gettext("请由见证人输入外部随机数，并填写见证人")}
        )
    code = park_draw(
        code=park_day.code,
        candidates=park_day.candidates,
        server_seed=bytes.fromhex(park_day.server_seed),
        external_entropy=external_entropy.strip(),
    )
    park_day.park = registry_selectors.park_list().get(code=code)
    park_day.external_entropy = external_entropy.strip()
    park_day.observer_of_draw = observer.strip()
    park_day.status = ParkDayStatus.DRAWN
    park_day.drawn_at = timezone.now()
    park_day.save(
        update_fields=["park", "external_entropy", "observer_of_draw", "status", "drawn_at"]
    )
    audit_record(
        actor=actor,
        verb="park_day.draw",
        obj=park_day,
        payload={"code": park_day.code, "park": code, "entropy": park_day.external_entropy},
    )
    return park_day
