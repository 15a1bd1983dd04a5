"""Every form of the project names its fields in its messages: none falls back on Django's stock
wording ("这个字段是必填项。", "确保该变量包含不超过 …"), which names neither the field nor what was
typed. A new form that forgets the mixin fails here."""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms
from django.apps import apps

from wurao.common.forms import NamedMessagesMixin
from wurao.imports.forms import UploadForm
from wurao.planning.forms_results import (
    CorrectionReasonForm,
    ObserverForm,
    ParkDayDrawForm,
    ParkDayForm,
    ParkDaySettingForm,
    ResultRowForm,
)
from wurao.registry.models import Department, Street
from wurao.registry.tests.factories import DepartmentFactory, StreetFactory
from wurao.visits.forms_supervision import RatingForm

pytestmark = pytest.mark.django_db

STOCK_WORDING = ("这个字段是必填项", "确保该变量", "This field is required", "Ensure this value")


def _project_forms() -> list[type]:
    """Every Form and ModelForm class the project defines (its form modules imported first)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("wurao."):
            continue
        package = importlib.import_module(config.name)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name == "forms" or module.name.startswith("forms_"):
                importlib.import_module(f"{config.name}.{module.name}")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        module = cls.__module__
        if module.startswith("wurao.") and ".tests" not in module:
            found.append(cls)
    return found


def test_every_form_of_the_project_is_on_the_named_messages_mixin():
    # given every form class under wurao/
    found = _project_forms()
    assert len(found) > 40, "the walk found the project's forms"

    # then none is left on Django's stock messages
    stock = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in found if not issubclass(c, NamedMessagesMixin)
    )
    assert stock == []


def _stock(form) -> list[str]:
    return [
        m
        for m in (str(e) for errors in form.errors.values() for e in errors)
        if any(w in m for w in STOCK_WORDING)
    ]


def test_the_consolidated_form_row_names_a_too_long_finding():
    # given an inspector's finding of 2,001 characters where 2,000 fit
    row = ResultRowForm(
        {"result": "pass", "finding": "查" * 2001}, item=None, visit_date=date(2026, 3, 2), number=1
    )

    # then the message names 检查情况 and both lengths
    assert not row.is_valid()
    assert row.errors["finding"] == ["检查情况最多 2000 个字，现有 2001 个字"]


def test_park_day_and_rating_forms_name_what_is_missing_or_too_long():
    # given each of these forms filled in wrong: a text too long, a choice not offered, a
    # required field left blank
    street = StreetFactory()
    department = DepartmentFactory()
    filled_wrong = [
        CorrectionReasonForm({"reason": "误" * 501}),
        ObserverForm({"name": "李" * 51, "role": ""}),
        ParkDayDrawForm({"external_entropy": "", "observer": "见" * 101}),
        ParkDaySettingForm({"weekday": "9", "street": "999999"}, streets=Street.objects.all()),
        ParkDayForm(
            {"day": "", "departments": [str(department.pk)], "street": str(street.pk)},
            departments=Department.objects.all(),
            streets=Street.objects.all(),
        ),
        RatingForm({"code": "", "score": "", "comment": "评" * 1001}),
        UploadForm({"target": "nonsense"}),
    ]

    # then each refuses in its own words, naming the field
    for form in filled_wrong:
        assert not form.is_valid(), type(form).__name__
        assert _stock(form) == [], type(form).__name__
    assert filled_wrong[0].errors["reason"] == ["更正理由最多 500 个字，现有 501 个字"]
    assert filled_wrong[1].errors["name"] == ["姓名最多 50 个字，现有 51 个字"]
    assert filled_wrong[3].errors["street"] == ["街道中没有“999999”这一项，请从列表中选择"]
    assert filled_wrong[5].errors["comment"] == ["意见（选填）最多 1000 个字，现有 1001 个字"]
