"""A points table version may declare kinds of record of its own (points_json `kinds`): the
new-version editor shows their rules beside the catalogue's and carries the declarations into
the version it publishes (a calibration's draft of such a table is adopted through it); the
version's page names them in the reader's language."""

import datetime

import pytest
from django.conf import settings

from wurao.credit.forms import PointsTableForm
from wurao.credit.models import PointsTableVersion
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import points_table_publish

pytestmark = pytest.mark.django_db

NEW = "/credit/tables/new/"

FOOD = {"code": "food_sample_failed", "label": "食品抽检不合格", "label_en": "Food sample failed",
        "sign": "risk"}  # fmt: skip
FOOD_RULE = {
    "indicator": "food_sample_failed",
    "points": -4.0,
    "per_severity": False,
    "window_days": 365,
    "decay": "linear",
    "half_life_days": None,
    "cap": 12.0,
}


def _as_posted(form: PointsTableForm, **changes) -> dict:
    """What the editor posts when left as prefilled, with changes."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return {**data, **changes}


def test_a_table_with_its_own_kinds_keeps_them_and_their_rules_through_the_editor(
    client, justice_user
):
    # given a version that declares a kind of record of its own, and scores it
    table = table_to_dict(DEFAULT_TABLE)
    table = {**table, "kinds": [FOOD], "indicators": [*table["indicators"], FOOD_RULE]}
    points_table_publish(actor=justice_user, table=table, effective_from=datetime.date(2020, 1, 1))
    client.force_login(justice_user)

    # when the bureau opens the editor and publishes it as prefilled, changing a threshold
    editor = client.get(NEW).content.decode()
    form = PointsTableForm(table=table, risk_tags=[])
    response = client.post(NEW, _as_posted(form, effective_from="2021-01-01", threshold_A="104"))

    # then the kind is in the editor, and the new version keeps it and its rule
    assert "食品抽检不合格" in editor and 'name="food_sample_failed__points" value="-4"' in editor
    assert response.status_code == 302
    published = PointsTableVersion.objects.get(version=2).table
    assert published["kinds"] == [FOOD]
    assert FOOD_RULE in published["indicators"]
    assert published["thresholds"]["A"] == 104
    # and both versions' pages name it
    for version in (1, 2):
        detail = client.get(f"/credit/tables/{version}/")
        assert detail.status_code == 200 and "食品抽检不合格" in detail.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Food sample failed" in client.get("/credit/tables/2/").content.decode()
