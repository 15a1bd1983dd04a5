"""The streets' joint park days (联合整园执法日) in the demo: 福城 and two other streets each set
a weekday through `park_day_setting_set`; the last four weeks' park days were drawn, and next
week's is committed through `park_day_commit`, its park not drawn yet.

The past ones are rows written with real inputs — a server seed from the CSPRNG, its SHA-256
commitment, the observer's entropy and the park `park_draw` picks from them — because the
service only commits days ahead. The public page re-runs each draw from what it publishes, so
every past park day verifies. Taking part: the street's enforcement team, fire, environment and
market supervision; invited observers: 人大代表, 政协委员 and an enterprise representative.
"""

import datetime
from typing import Any

import numpy as np

from wurao.demo.engine import _person_names
from wurao.demo.planning_cast import PlanningResult, PlanningScene
from wurao.demo.visits_year import SHENZHEN
from wurao.planning import services_park_days as park_days
from wurao.planning.choices import ObserverRole, ParkDayStatus
from wurao.planning.models import ParkDay
from wurao.registry.models import Enterprise, Park, Street
from wurao.registry.workdays import is_working_day
from wurao.sampling import engine

STREAM_PARK_DAYS = 11  # after the plans' stream (wurao.demo.planning_build)
PAST_WEEKS = 4
# (street name, weekday 0 = Monday, who sets it): 福城 by its coordinator, the others by the bureau.
SETTINGS = (("福城街道", 3, "fucheng"), ("观澜街道", 1, "sfj"), ("龙华街道", 2, "sfj"))
UNITS = ("XFJY", "SZ-STHJ", "SZ-SCJG")  # with the street's own enforcement team


def _observers(rng: np.random.Generator, street: Street) -> list[dict[str, str]]:
    """The street's invited observers: a deputy, a committee member and the representative
    of an enterprise in one of its parks."""
    company = (
        Enterprise.objects.filter(street=street, park__isnull=False, kind="enterprise")
        .order_by("-employees", "pk")
        .values_list("name", flat=True)
        .first()
    )
    npc, cppcc, rep = _person_names(rng, 3)
    observers = [
        {"name": f"{npc}（区人大代表）", "role": ObserverRole.NPC.value},
        {"name": f"{cppcc}（区政协委员）", "role": ObserverRole.CPPCC.value},
    ]
    if company:
        observers.append({"name": f"{rep}（{company}）", "role": ObserverRole.ENTERPRISE.value})
    return observers


def _past_dates(today: datetime.date, weekday: int) -> list[datetime.date]:
    """The last `PAST_WEEKS` days on that weekday before today that were working days (a week
    whose park day fell in 国庆 or 春节 had none), oldest first."""
    back = (today.weekday() - weekday) % 7 or 7
    day, found = today - datetime.timedelta(days=back), []
    while len(found) < PAST_WEEKS:
        if is_working_day(day):
            found.append(day)
        day -= datetime.timedelta(weeks=1)
    return found[::-1]


def _next_week(today: datetime.date, weekday: int) -> datetime.date:
    """That weekday next week, or a week later if that is a public holiday (a park day is
    refused on a holiday)."""
    monday = today + datetime.timedelta(days=7 - today.weekday())
    day = monday + datetime.timedelta(days=weekday)
    while not is_working_day(day):
        day += datetime.timedelta(weeks=1)
    return day


def _past_write(
    rng: np.random.Generator, street: Street, day: datetime.date, units, observers, by: Any
) -> ParkDay:
    code = f"PD-{street.code}-{day:%Y%m%d}"
    candidates = sorted(
        Park.objects.filter(street=street).values_list("code", flat=True), key=str.encode
    )
    seed = engine.server_seed_new()
    dice = "-".join(str(int(x)) for x in rng.integers(1, 7, size=3))
    entropy = f"见证人当场掷骰 {dice}"
    drawn = park_days.park_draw(
        code=code, candidates=candidates, server_seed=seed, external_entropy=entropy
    )
    park_day = ParkDay.objects.create(
        street=street,
        date=day,
        code=code,
        status=ParkDayStatus.DRAWN,
        candidates=candidates,
        server_seed=seed.hex(),
        commitment=engine.commitment(seed),
        external_entropy=entropy,
        observer_of_draw=observers[0]["name"],
        park=Park.objects.get(code=drawn),
        observers=observers,
        created_by=by if getattr(by, "pk", None) else None,
        drawn_at=datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=SHENZHEN),
    )
    park_day.departments.set(units)
    return park_day


def demo_park_days(scene: PlanningScene, seed: int, result: PlanningResult) -> None:
    rng = np.random.default_rng([seed, STREAM_PARK_DAYS])
    log = result.steps.append
    drawn = committed = 0
    for street_name, weekday, username in SETTINGS:
        street = Street.objects.filter(name=street_name).first()
        if street is None:
            continue
        by = scene.user(username)
        park_days.park_day_setting_set(actor=by, street=street, weekday=weekday)
        team = next(d for d in scene.departments.values() if d.street_id == street.pk)
        units = [team] + [scene.departments[c] for c in UNITS]
        observers = _observers(rng, street)
        for day in _past_dates(scene.today, weekday):
            park_day = _past_write(rng, street, day, units, observers, by)
            drawn += 1
            result.park_days.append(_summary(park_day))
        upcoming = park_days.park_day_commit(
            actor=by,
            street=street,
            day=_next_week(scene.today, weekday),
            departments=units,
            observers=observers,
        )
        committed += 1
        result.park_days.append(_summary(upcoming))
        log(
            f"{street.name}每{park_days.WEEKDAYS[weekday]}联合整园执法：近 {PAST_WEEKS} 周已抽取，"
            f"{upcoming.date} 已承诺（{upcoming.code}，承诺值 {upcoming.commitment[:12]}…）"
        )
    result.counts |= {"park_days_drawn": drawn, "park_days_committed": committed}


def _summary(park_day: ParkDay) -> dict[str, Any]:
    return {
        "code": park_day.code,
        "street": park_day.street.name,
        "date": park_day.date,
        "status": park_day.status,
        "park": park_day.park.name if park_day.park_id else "",
    }
