"""The published rules cases are decided under: discretion standards (a department admin keeps
the department's; every officer reads them all), exemption lists by level (the bureau keeps
the city's and the district's, a department admin the department's own, which shows the
inherited entries read-only) and observation periods (the bureau's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.catalogue.models import InspectionItem
from wurao.catalogue.selectors import item_list
from wurao.outcomes import selectors_cases as selectors
from wurao.outcomes import services_exemptions as services
from wurao.outcomes.choices import Level
from wurao.outcomes.forms_cases import (
    ExemptionEntryForm,
    ExemptionListForm,
    ObservationForm,
    StandardForm,
    record_id,
)
from wurao.outcomes.models import (
    DiscretionStandard,
    ExemptionEntry,
    ExemptionList,
    ObservationType,
)
from wurao.registry.models import Department, RiskTag
from wurao.standards.selectors import article_list_by_number

# ---------------------------------------------------------------- discretion standards


@policy("cases.standards_browse")
def standard_list(request):
    department = request.GET.get("department") or ""
    department_id = record_id(department)
    standards = selectors.standard_list(
        filters={"department": department_id} if department_id else {}
    )
    return render(
        request,
        "outcomes/cases/standard_list.html",
        {
            "standards": standards,
            "departments": Department.objects.filter(discretion_standards__isnull=False)
            .distinct()
            .order_by("name"),
            "department": department,
            "may_add": allows(request.user, "cases.standard_manage")
            and bool(request.user.department_id),
        },
    )


def _standard(pk: int) -> DiscretionStandard:
    try:
        return selectors.standard_get(pk=pk)
    except DiscretionStandard.DoesNotExist:
        raise Http404 from None


@policy("cases.standards_browse")
def standard_detail(request, pk: int):
    standard = _standard(pk)
    return render(
        request,
        "outcomes/cases/standard_detail.html",
        {
            "standard": standard,
            "bands": list(standard.bands.all()),
            "may_edit": allows(request.user, "cases.standard_manage", standard),
        },
    )


def _article(form, prefix: str):
    designation = (form.cleaned_data.get(f"{prefix}_designation") or "").strip()
    number = (form.cleaned_data.get(f"{prefix}_number") or "").strip()
    if not designation and not number:
        return None
    article = article_list_by_number(designation=designation, number=number).first()
    if article is None:
        form.add_error(
            f"{prefix}_number",
            gettext("标准库中没有“%(designation)s”%(number)s，请核对文号和条号")
            % {"designation": designation, "number": number},
        )
    return article


def _standard_form(request, standard: DiscretionStandard | None):
    department = request.user.department
    items = item_list().filter(department=department, active=True).order_by("code")
    initial = {}
    if standard is not None:
        initial = {
            "code": standard.code,
            "violation": standard.violation,
            "item": str(standard.item_id or ""),
            "legal_basis": standard.legal_basis,
            "active": standard.active,
        }
        for prefix, article in (
            ("breached", standard.breached_article),
            ("penalty", standard.penalty_article),
        ):
            if article is not None:
                initial[f"{prefix}_designation"] = article.version.document.designation
                initial[f"{prefix}_number"] = article.number
        for band in standard.bands.all():
            for field in ("name", "circumstances", "measure", "min_amount", "max_amount"):
                initial[f"band_{band.order}_{field}"] = getattr(band, field)
    form = StandardForm(
        request.POST if request.method == "POST" else None, items=items, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        breached, penalty = _article(form, "breached"), _article(form, "penalty")
        if not form.errors:
            try:
                saved = services.standard_save(
                    actor=request.user,
                    department=department,
                    standard=standard,
                    code=data["code"],
                    violation=data["violation"],
                    legal_basis=data["legal_basis"],
                    bands=form.bands(),
                    item=items.filter(pk=data["item"]).first() if data["item"] else None,
                    breached_article=breached,
                    penalty_article=penalty,
                    active=data["active"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, gettext("裁量基准已保存。"))
                return redirect("cases:standard-detail", pk=saved.pk)
    return render(
        request,
        "outcomes/cases/standard_form.html",
        {"form": form, "standard": standard},
        status=400 if form.errors else 200,
    )


@policy("cases.standard_manage")
def standard_new(request):
    return _standard_form(request, None)


@policy("cases.standard_manage")
def standard_edit(request, pk: int):
    standard = _standard(pk)
    require(request.user, "cases.standard_manage", standard)
    return _standard_form(request, standard)


# ---------------------------------------------------------------- exemption lists


def _levels_for(user) -> list[str]:
    levels = []
    if allows(user, "cases.exemption_manage", ExemptionList(level=Level.CITY)):
        levels += [Level.CITY, Level.DISTRICT]
    if user.department_id and allows(
        user,
        "cases.exemption_manage",
        ExemptionList(level=Level.DEPARTMENT, department_id=user.department_id),
    ):
        levels.append(Level.DEPARTMENT)
    return levels


@policy("cases.exemptions_browse")
def exemption_index(request):
    """The lists by level; a department's officers see the entries that apply to them: the
    upper levels' (inherited, read-only) and their own."""
    scope = scope_for(request.user)
    department_id = scope.department_id
    if scope.sees_all and (asked := record_id(request.GET.get("department"))):
        department_id = asked
    lists = list(selectors.exemption_list_list())
    return render(
        request,
        "outcomes/cases/exemption_index.html",
        {
            "by_level": [
                (Level(level).label, [x for x in lists if x.level == level])
                for level in Level.values
            ],
            "effective": selectors.effective_entries(department_id=department_id)
            if department_id
            else None,
            "effective_department": Department.objects.filter(pk=department_id).first()
            if department_id
            else None,
            "departments": Department.objects.filter(is_enforcement=True).order_by("name")
            if scope.sees_all
            else (),
            "may_add": bool(_levels_for(request.user)),
        },
    )


@policy("cases.exemption_manage")
def exemption_list_new(request):
    levels = _levels_for(request.user)
    form = ExemptionListForm(request.POST if request.method == "POST" else None, levels=levels)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.exemption_list_create(
                actor=request.user,
                level=data["level"],
                title=data["title"],
                published_on=data["published_on"],
                department=request.user.department if data["level"] == Level.DEPARTMENT else None,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("cases:exemption-list-detail", pk=created.pk)
    return render(
        request,
        "outcomes/cases/simple_form.html",
        {
            "form": form,
            "title": gettext("新建免罚清单"),
            "back": ("cases:exemption-index", None),
        },
        status=400 if form.errors else 200,
    )


def _list(pk: int) -> ExemptionList:
    try:
        return selectors.exemption_list_get(pk=pk)
    except ExemptionList.DoesNotExist:
        raise Http404 from None


@policy("cases.exemptions_browse")
def exemption_list_detail(request, pk: int):
    exemption_list = _list(pk)
    return render(
        request,
        "outcomes/cases/exemption_list_detail.html",
        {
            "exemption_list": exemption_list,
            "entries": selectors.entries_of_list(exemption_list=exemption_list),
            "may_edit": allows(request.user, "cases.exemption_manage", exemption_list),
        },
    )


def _entry_form(request, exemption_list: ExemptionList, entry: ExemptionEntry | None):
    require(request.user, "cases.exemption_manage", exemption_list)
    if exemption_list.level == Level.DEPARTMENT:
        standards = selectors.standards_for_department(department_id=exemption_list.department_id)
    else:
        standards = selectors.standard_list(filters={"active_only": True})
    standards = list(standards)
    initial = {}
    if entry is not None:
        initial = {
            "kind": entry.kind,
            "sector": entry.sector,
            "violation": entry.violation,
            "item_code": entry.item.code if entry.item else "",
            "standard": str(entry.standard_id or ""),
            "legal_basis": entry.legal_basis,
            "needs_first_offence": entry.needs_first_offence,
            "lookback_days": entry.lookback_days,
            "needs_minor_harm": entry.needs_minor_harm,
            "needs_corrected": entry.needs_corrected,
            "active": entry.active,
        }
    form = ExemptionEntryForm(
        request.POST if request.method == "POST" else None, standards=standards, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = None
        if code := data["item_code"].strip():
            item = InspectionItem.objects.filter(code=code, active=True).first()
            if item is None:
                form.add_error(
                    "item_code", gettext("没有编码为 %(code)s 的有效检查事项") % {"code": code}
                )
        if not form.errors:
            try:
                services.exemption_entry_save(
                    actor=request.user,
                    exemption_list=exemption_list,
                    entry=entry,
                    kind=data["kind"],
                    sector=data["sector"],
                    violation=data["violation"],
                    item=item,
                    standard=next((s for s in standards if str(s.pk) == data["standard"]), None),
                    legal_basis=data["legal_basis"],
                    needs_first_offence=data["needs_first_offence"],
                    needs_minor_harm=data["needs_minor_harm"],
                    needs_corrected=data["needs_corrected"],
                    lookback_days=data["lookback_days"],
                    active=data["active"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, gettext("免罚清单事项已保存。"))
                return redirect("cases:exemption-list-detail", pk=exemption_list.pk)
    return render(
        request,
        "outcomes/cases/simple_form.html",
        {
            "form": form,
            "title": gettext("修改免罚事项") if entry else gettext("新增免罚事项"),
            "subtitle": exemption_list.title,
            "back": ("cases:exemption-list-detail", exemption_list.pk),
        },
        status=400 if form.errors else 200,
    )


@policy("cases.exemption_manage")
def exemption_entry_new(request, pk: int):
    return _entry_form(request, _list(pk), None)


@policy("cases.exemption_manage")
def exemption_entry_edit(request, pk: int, entry: int):
    exemption_list = _list(pk)
    try:
        the_entry = exemption_list.entries.select_related("item").get(pk=entry)
    except ExemptionEntry.DoesNotExist:
        raise Http404 from None
    return _entry_form(request, exemption_list, the_entry)


# ---------------------------------------------------------------- observation periods


@policy("cases.observation_browse")
def observation_list(request):
    return render(
        request,
        "outcomes/cases/observation_list.html",
        {
            "observations": selectors.observation_list(),
            "may_edit": allows(request.user, "cases.observation_manage"),
        },
    )


def _observation_form(request, observation: ObservationType | None):
    tags = list(RiskTag.objects.order_by("code"))
    initial = {}
    if observation is not None:
        initial = {
            "name": observation.name,
            "industry_codes": ", ".join(observation.industry_codes or []),
            "tags": [str(t.pk) for t in observation.tags.all()],
            "starts_on": observation.starts_on,
            "ends_on": observation.ends_on,
            "note": observation.note,
        }
    form = ObservationForm(
        request.POST if request.method == "POST" else None, tags=tags, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.observation_type_save(
                actor=request.user,
                observation=observation,
                name=data["name"],
                industry_codes=form.codes(),
                tags=[t for t in tags if str(t.pk) in data["tags"]],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("观察期已保存。"))
            return redirect("cases:observation-list")
    return render(
        request,
        "outcomes/cases/simple_form.html",
        {
            "form": form,
            "title": gettext("修改观察期") if observation else gettext("新增新业态观察期"),
            "back": ("cases:observation-list", None),
        },
        status=400 if form.errors else 200,
    )


@policy("cases.observation_manage")
def observation_new(request):
    return _observation_form(request, None)


@policy("cases.observation_manage")
def observation_edit(request, pk: int):
    try:
        observation = selectors.observation_get(pk=pk)
    except ObservationType.DoesNotExist:
        raise Http404 from None
    return _observation_form(request, observation)
