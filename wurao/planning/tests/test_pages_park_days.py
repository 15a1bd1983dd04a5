"""The street's joint park days: the weekly day, a new day with its units and observers, the
draw with the observer's entropy, and the list — each for the street's coordinator only."""

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.planning import services_park_days
from wurao.planning.choices import ParkDayStatus
from wurao.planning.forms_results import next_weekday
from wurao.planning.models import ParkDay, ParkDaySetting
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, ParkFactory, StreetFactory

pytestmark = pytest.mark.django_db

LIST = "/planning/park-days/"
NEW = "/planning/park-days/new/"
WEDNESDAY = 2


@pytest.fixture
def units(street):
    return [
        DepartmentFactory(name="福城街道综合行政执法队", level=Level.STREET, street=street),
        DepartmentFactory(name="区消防救援大队"),
        DepartmentFactory(name="区生态环境局"),
        DepartmentFactory(name="区市场监督管理局"),
    ]


@pytest.fixture
def parks(street):
    return [
        ParkFactory(street=street, name=n) for n in ("观澜湖产业园", "福民科技园", "章阁工业区")
    ]


@pytest.fixture
def coordinator(client, street_user):
    client.force_login(street_user)
    return client


def _new_form(units, day, observers=(), **changes):
    data = {
        "day": day.isoformat(),
        "departments": [u.pk for u in units],
        "observers-TOTAL_FORMS": str(max(len(observers), 1)),
        "observers-INITIAL_FORMS": "0",
    }
    for i, (name, role) in enumerate(observers):
        data[f"observers-{i}-name"] = name
        data[f"observers-{i}-role"] = role
    data.update(changes)
    return data


def test_the_coordinator_sets_the_weekly_day(coordinator, street):
    response = coordinator.post(f"{LIST}setting/", {"weekday": WEDNESDAY}, follow=True)

    assert ParkDaySetting.objects.get(street=street).weekday == WEDNESDAY
    page = response.content.decode()
    assert "已设定福城街道每星期三为联合整园执法日" in page
    assert "本街道每星期三为联合整园执法日" in page


def test_a_weekend_day_is_refused_with_the_field_named(coordinator, street):
    response = coordinator.post(f"{LIST}setting/", {"weekday": 6})

    assert 'data-field="weekday"' in response.content.decode()
    assert not ParkDaySetting.objects.exists()


def test_the_new_day_form_proposes_the_next_park_day_and_lists_the_candidates(
    coordinator, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)

    page = coordinator.get(NEW).content.decode()

    assert next_weekday(WEDNESDAY).isoformat() in page
    assert "观澜湖产业园" in page and "章阁工业区" in page
    assert "福城街道综合行政执法队" in page and "区消防救援大队" in page
    assert "人大代表" in page and "政协委员" in page and "企业代表" in page


def test_commit_records_units_and_observers_and_publishes_the_commitment(
    coordinator, street, street_user, units, parks
):
    # given the street's weekly day is Wednesday
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    day = next_weekday(WEDNESDAY)

    # when the coordinator arranges the next one with four units and two observers
    response = coordinator.post(
        NEW,
        _new_form(units, day, observers=[("李代表", "npc"), ("王委员", "cppcc")]),
        follow=True,
    )

    # then the day is committed: units, observers, the commitment shown, the seed not
    park_day = ParkDay.objects.get()
    page = response.content.decode()
    assert park_day.date == day and park_day.status == ParkDayStatus.COMMITTED
    assert set(park_day.departments.all()) == set(units)
    assert park_day.observers == [
        {"name": "李代表", "role": "npc"},
        {"name": "王委员", "role": "cppcc"},
    ]
    assert park_day.commitment in page and park_day.server_seed not in page
    assert "李代表" in page and "人大代表" in page and 'id="draw-submit"' in page


def test_a_day_off_the_weekly_day_and_a_single_unit_are_refused(
    coordinator, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    thursday = next_weekday(3)

    page = coordinator.post(NEW, _new_form(units[:1], thursday)).content.decode()

    assert "本街道的联合整园执法日是每周三" in page
    assert "联合整园执法须有 2 个以上单位参加" in page
    assert not ParkDay.objects.exists()


def test_an_observer_without_a_role_is_named_in_the_error(
    coordinator, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)

    page = coordinator.post(
        NEW, _new_form(units, next_weekday(WEDNESDAY), observers=[("张企业", "")])
    ).content.decode()

    assert "请选择“张企业”的身份" in page
    assert not ParkDay.objects.exists()


def test_adding_an_observer_row_keeps_what_was_typed(
    coordinator, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    data = _new_form(
        units, next_weekday(WEDNESDAY), observers=[("李代表", "npc")], add_observer="1"
    )

    page = coordinator.post(NEW, data).content.decode()

    assert 'name="observers-TOTAL_FORMS" value="2"' in page
    assert 'value="李代表"' in page and 'name="observers-1-name"' in page
    assert not ParkDay.objects.exists()


def test_the_draw_takes_the_observers_entropy_and_shows_the_park(
    coordinator, street, street_user, units, parks
):
    # given a committed park day
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    committed = services_park_days.park_day_commit(
        actor=street_user,
        street=street,
        day=next_weekday(WEDNESDAY),
        departments=units,
        observers=[],
    )
    url = f"{LIST}{committed.pk}/"

    # when the entropy is missing, then the field says so and nothing is drawn
    missing = coordinator.post(url, {"external_entropy": "", "observer": "区人大代表 李某"})
    assert "请由见证人输入外部随机数" in missing.content.decode()

    # when the observer gives the entropy
    response = coordinator.post(
        url, {"external_entropy": "骰子 3-6-1", "observer": "区人大代表 李某"}, follow=True
    )

    # then the park is drawn as anyone would recompute it, and shown with the seed
    drawn = ParkDay.objects.get()
    expected = services_park_days.park_draw(
        code=drawn.code,
        candidates=[p.code for p in parks],
        server_seed=bytes.fromhex(drawn.server_seed),
        external_entropy="骰子 3-6-1",
    )
    page = response.content.decode()
    assert drawn.park.code == expected
    assert f"抽中园区：{drawn.park.name}" in page and drawn.server_seed in page
    assert "区人大代表 李某" in page and 'id="draw-submit"' not in page


def test_the_list_shows_past_days_with_park_units_and_observers(
    coordinator, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    committed = services_park_days.park_day_commit(
        actor=street_user,
        street=street,
        day=next_weekday(WEDNESDAY),
        departments=units[:2],
        observers=[{"name": "周代表", "role": "enterprise"}],
    )
    drawn = services_park_days.park_day_draw(
        actor=street_user, park_day=committed, external_entropy="42", observer="周代表"
    )

    page = coordinator.get(LIST).content.decode()

    assert drawn.park.name in page and "周代表" in page
    row = page[page.index(f'data-code="{drawn.code}"') :]
    assert "福城街道综合行政执法队" in row and "区消防救援大队" in row


def test_another_streets_coordinator_sees_neither_its_days_nor_may_draw(
    client, street, street_user, units, parks
):
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=WEDNESDAY)
    committed = services_park_days.park_day_commit(
        actor=street_user,
        street=street,
        day=next_weekday(WEDNESDAY),
        departments=units,
        observers=[],
    )
    client.force_login(UserFactory(role=Role.STREET, street=StreetFactory()))

    assert committed.code not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{committed.pk}/").status_code == 404
    drawn = client.post(f"{LIST}{committed.pk}/", {"external_entropy": "1", "observer": "x"})
    assert drawn.status_code == 404
    assert ParkDay.objects.get().status == ParkDayStatus.COMMITTED


@pytest.mark.parametrize("role", [Role.DEPT_ADMIN, Role.ENTERPRISE])
def test_departments_and_enterprises_may_not_arrange_park_days(
    client, role, department, enterprise
):
    client.force_login(UserFactory(role=role, department=department, enterprise=enterprise))

    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403


def test_the_justice_bureau_arranges_for_a_street_it_picks(
    client, justice_user, street, units, parks
):
    client.force_login(justice_user)
    client.post(f"{LIST}setting/", {"street": street.pk, "weekday": WEDNESDAY})

    response = client.post(NEW, _new_form(units, next_weekday(WEDNESDAY), street=street.pk))

    assert response.status_code == 302
    assert ParkDay.objects.get().street == street
