"""The public pages of planning, without signing in: published special campaigns with their
approval, and park days — the commitment before the draw, every input after it, enough for
anyone to recompute the park with nothing but hashlib and AES."""

import datetime
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.planning import services, services_park_days
from wurao.planning.forms_results import next_weekday
from wurao.registry.tests.factories import DepartmentFactory, ParkFactory

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]


@pytest.fixture
def committed(street, street_user):
    for name in ("观澜湖产业园", "福民科技园", "章阁工业区", "茜坑工业园"):
        ParkFactory(street=street, name=name)
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=1)
    return services_park_days.park_day_commit(
        actor=street_user,
        street=street,
        day=next_weekday(1),
        departments=[
            DepartmentFactory(name="区消防救援大队"),
            DepartmentFactory(name="区生态环境局"),
        ],
        observers=[{"name": "李代表", "role": "npc"}],
    )


def _campaign(department, admin, title, *, publish):
    campaign = services.campaign_register(
        actor=admin,
        department=department,
        title=title,
        scope="餐饮场所燃气使用安全",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
        approver="区人民政府",
        document_no="龙府办〔2027〕3号",
        approved_on=datetime.date(2027, 2, 20),
    )
    if publish:
        services.campaign_publish(actor=admin, campaign=campaign)
    return campaign


def test_published_campaigns_show_their_approval_and_unpublished_ones_do_not(client):
    # given one published and one registered-only campaign
    department = DepartmentFactory(name="区应急管理局")
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
    _campaign(department, admin, "燃气安全专项检查", publish=True)
    _campaign(department, admin, "尚未公布的专项", publish=False)

    # when anyone opens the public page, without signing in
    page = client.get("/public/planning/").content.decode()

    # then the published one shows title, department, scope, dates, approver and number
    assert "燃气安全专项检查" in page and "区应急管理局" in page
    assert "餐饮场所燃气使用安全" in page and "2027-03-01" in page and "2027-03-31" in page
    assert "区人民政府" in page and "龙府办〔2027〕3号" in page
    assert "尚未公布的专项" not in page


def test_before_the_draw_the_commitment_and_candidates_are_public_but_not_the_seed(
    client, committed
):
    page = client.get(f"/public/planning/park-days/{committed.code}/").content.decode()
    inputs = json.loads(
        client.get(f"/public/planning/park-days/{committed.code}/inputs.json").content
    )

    assert committed.commitment in page
    assert "观澜湖产业园" in page and "茜坑工业园" in page
    assert "区消防救援大队" in page and "李代表" in page and "人大代表" in page
    assert committed.server_seed not in page and 'id="not-drawn"' in page
    assert inputs["server_seed"] is None and inputs["commitment"] == committed.commitment
    assert committed.server_seed not in json.dumps(inputs)


def test_after_the_draw_the_park_seed_entropy_and_observer_are_public(
    client, committed, street_user
):
    # given the park was drawn with the observer's entropy
    drawn = services_park_days.park_day_draw(
        actor=street_user,
        park_day=committed,
        external_entropy="骰子 2-5-4",
        observer="区人大代表 李某",
    )

    # when anyone opens the park day's public page
    page = client.get(f"/public/planning/park-days/{drawn.code}/").content.decode()
    listed = client.get("/public/planning/park-days/").content.decode()

    # then the park, the seed, the entropy, the observer and how to recompute it are there
    assert drawn.park.name in page and drawn.server_seed in page
    assert "骰子 2-5-4" in page and "区人大代表 李某" in page
    assert 'id="how-to-verify"' in page and "AES-256-CTR" in page
    assert drawn.code in listed and drawn.park.name in listed


def test_anyone_recomputes_the_park_from_the_published_inputs(client, committed, street_user):
    drawn = services_park_days.park_day_draw(
        actor=street_user,
        park_day=committed,
        external_entropy="20270302 深证成指收盘",
        observer="王委员",
    )

    d = json.loads(client.get(f"/public/planning/park-days/{drawn.code}/inputs.json").content)

    # recomputed as the page explains, with no wurao code
    server_seed = bytes.fromhex(d["server_seed"])
    assert hashlib.sha256(server_seed).hexdigest() == d["commitment"]
    seed = hashlib.sha256(
        b"\0".join(
            [d["spec"].encode(), d["task_id"].encode(), server_seed, d["external_entropy"].encode()]
        )
    ).digest()
    n = len(d["candidates"])
    stream = Cipher(algorithms.AES(seed), modes.CTR(bytes(16))).encryptor().update(bytes(8 * n))
    keys = [int.from_bytes(stream[8 * i : 8 * i + 8], "big") for i in range(n)]
    assert d["candidates"][keys.index(min(keys))] == d["drawn_park"] == drawn.park.code
    assert d["candidates"] == sorted(d["candidates"], key=str.encode)


def test_an_unknown_park_day_is_missing(client):
    assert client.get("/public/planning/park-days/PD-NOPE/").status_code == 404
    assert client.get("/public/planning/park-days/PD-NOPE/inputs.json").status_code == 404
