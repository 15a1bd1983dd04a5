"""The import templates: for each target, its columns, their headers and how each cell
is read (see cells.py). A blank cell in an optional column stores the column's default;
a column absent from the file is left untouched on existing records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.catalogue.choices import ItemKind
from wurao.imports.cells import (
    Invalid,
    Lookups,
    Parser,
    boolean,
    choice,
    choices_of,
    community,
    credit_code,
    date,
    department,
    enterprise,
    industry_code,
    industry_sections,
    is_blank,
    law_name,
    level,
    long_text,
    non_negative_int,
    park,
    past_date,
    risk_tags,
    street,
    text,
    text_list,
)
from wurao.imports.engine import Header
from wurao.imports.errors import RowErrorCode as E
from wurao.registry.choices import EnterpriseKind, EnterpriseStatus, SizeClass


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese name in the government template
    key: str  # the English alias, also the name the engine reports the column by
    fields: tuple[str, ...]  # model fields (attnames) the value is stored in
    parse: Parser
    required: bool = False
    default: Any = None  # stored when an optional cell is blank
    aliases: tuple[str, ...] = ()  # further accepted headers
    example: str = ""
    accepts: str = ""  # what a user may write, for docs and the upload page

    @property
    def header_spec(self) -> Header:
        return Header(
            key=self.key, names=(self.header, self.key, *self.aliases), required=self.required
        )


@dataclass(frozen=True)
class Spec:
    target: str  # enterprises, inspectors, items, alerts
    label: str  # 企业, 执法人员, 检查事项, 非现场监测预警
    key_column: str  # the column that identifies a record (upsert key)
    columns: tuple[Column, ...]
    # The column whose credit codes name enterprises already in the registry (looked up
    # for the codes in the file only), for records about enterprises.
    enterprise_column: str = ""

    @property
    def headers(self) -> list[Header]:
        return [c.header_spec for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def fields_for(self, present: Iterable[str]) -> frozenset[str]:
        present = set(present)
        return frozenset(f for c in self.columns if c.key in present for f in c.fields)

    def parse_row(
        self, raw: Mapping[str, Any], lookups: Lookups
    ) -> tuple[dict[str, Any], list[tuple[str, Invalid]]]:
        """Parse the cells of one row: (values by model field, [(column header, Invalid)])."""
        values: dict[str, Any] = {}
        errors: list[tuple[str, Invalid]] = []
        for column in self.columns:
            if column.key not in raw:
                continue
            cell = raw[column.key]
            if is_blank(cell):
                if column.required:
                    errors.append(
                        (
                            column.header,
                            Invalid(
                                E.REQUIRED,
                                gettext("“%(column)s”为必填项，不能为空")
                                % {"column": column.header},
                            ),
                        )
                    )
                    continue
                result = column.default
            else:
                result = column.parse(cell, lookups, values)
            if isinstance(result, Invalid):
                errors.append(
                    (
                        column.header,
                        Invalid(result.code, result.message.replace("{column}", column.header)),
                    )
                )
                continue
            if len(column.fields) == 1:
                values[column.fields[0]] = result
            else:
                values.update(zip(column.fields, result, strict=True))
        return values, errors


# The templates ----------------------------------------------------------

ENTERPRISES = Spec(
    target="enterprises",
    label=_("企业"),
    key_column="credit_code",
    columns=(
        Column("统一社会信用代码", "credit_code", ("credit_code",), credit_code, required=True,
               aliases=("uscc", "信用代码"), example="91440300708461136T",
               accepts=_("18 位，GB 32100 校验；小写字母自动转大写")),
        Column("名称", "name", ("name",), text(200), required=True, aliases=("企业名称",),
               example="深圳市示例科技有限公司", accepts=_("最多 200 字")),
        Column("类型", "kind", ("kind",), choice(choices_of(EnterpriseKind, 个体户="individual"), "企业、个体工商户、其他"),
               required=True, example="企业", accepts=_("企业 / 个体工商户 / 其他")),
        Column("地址", "address", ("address",), text(300), default="", example="深圳市龙华区示例路 1 号",
               accepts=_("最多 300 字")),
        Column("街道", "street", ("street_id",), street, required=True, example="福城街道",
               accepts=_("街道库中的名称或区划代码")),
        Column("社区", "community", ("community_id",), community, example="福城社区",
               accepts=_("社区库中的名称或区划代码，须属于该行的街道")),
        Column("园区", "park", ("park_id",), park, example="", accepts=_("园区库中的名称或编号")),
        Column("行业代码", "industry_code", ("industry_section", "industry_code"), industry_code,
               default=("", ""), example="C3311", accepts=_("GB/T 4754 四位小类，如 C3311 或 3311（门类字母自动推出）")),
        Column("规上", "above_scale", ("above_scale",), boolean, default=False, example="否",
               accepts=_("是/否、Y/N、1/0、true/false；留空为否")),
        Column("四上", "four_above", ("four_above",), boolean, default=False, example="否",
               accepts=_("是/否、Y/N、1/0、true/false；留空为否")),
        Column("规模", "size_class", ("size_class",), choice(choices_of(SizeClass), "微型、小型、中型、大型"),
               default="", aliases=("size",), example="小型", accepts=_("微型 / 小型 / 中型 / 大型")),
        Column("风险标签", "risk_tags", ("risk_tags",), risk_tags, default=frozenset(), example="",
               accepts=_("风险标签库中的名称或代码，多个用 ; 、 , ， | 分隔")),
        Column("成立日期", "established", ("established",), date, aliases=("established_on",),
               example="2015-06-01", accepts=_("YYYY-MM-DD、YYYY/M/D、YYYY年M月D日 或 Excel 日期单元格")),
        Column("状态", "status", ("status",),
               choice(choices_of(EnterpriseStatus, 在业="active", 开业="active", 在营="active"), "存续、停业、注销、吊销"),
               default=EnterpriseStatus.ACTIVE.value, example="存续", accepts=_("存续 / 停业 / 注销 / 吊销；留空为存续")),
        Column("从业人数", "employees", ("employees",), non_negative_int, example="35", accepts=_("不小于 0 的整数")),
    ),
)  # fmt: skip

INSPECTORS = Spec(
    target="inspectors",
    label=_("执法人员"),
    key_column="badge_no",
    columns=(
        Column("执法证号", "badge_no", ("badge_no",), text(30), required=True, aliases=("badge",),
               example="44030900001", accepts=_("最多 30 字；Excel 中请设为文本格式以免丢失前导 0")),
        Column("姓名", "name", ("name",), text(50), required=True, example="张三", accepts=_("最多 50 字")),
        Column("所属部门", "department", ("department_id",), department, required=True,
               example="区应急管理局", accepts=_("部门库中执法主体的全称或简码")),
        Column("专业领域", "expertise", ("expertise",), text_list(), default=[], example="危化品;消防",
               accepts=_("多个用 ; 、 , ， | 分隔")),
        Column("执法证有效期至", "certificate_valid_until", ("certificate_valid_until",), date,
               aliases=("valid_until",), example="2027-12-31",
               accepts=_("YYYY-MM-DD、YYYY/M/D、YYYY年M月D日 或 Excel 日期单元格")),
        Column("在岗", "active", ("active",), boolean, default=True, example="是",
               accepts=_("是/否、Y/N、1/0、true/false；留空为是")),
    ),
)  # fmt: skip

ITEMS = Spec(
    target="items",
    label=_("检查事项"),
    key_column="code",
    columns=(
        Column("事项编码", "code", ("code",), text(40), required=True, example="YJ-001", accepts=_("最多 40 字，全区唯一")),
        Column("事项名称", "name", ("name",), text(200), required=True, example="安全生产责任制落实情况检查",
               accepts=_("最多 200 字")),
        Column("实施部门", "department", ("department_id",), department, required=True, example="区应急管理局",
               accepts=_("部门库中执法主体的全称或简码")),
        Column("法律依据", "law", ("law",), law_name, required=True, example="中华人民共和国安全生产法",
               accepts=_("法律法规名称（书名号可省略），最多 200 字")),
        Column("条款", "article", ("article",), text(100), default="", example="第六十五条", accepts=_("最多 100 字")),
        Column("适用风险标签", "applicable_tags", ("applicable_tags",), risk_tags, default=frozenset(),
               aliases=("risk_tags",), example="", accepts=_("风险标签库中的名称或代码，多个用 ; 分隔；留空表示不限")),
        Column("适用行业门类", "applicable_industries", ("applicable_industries",), industry_sections, default=[],
               aliases=("industries",), example="C;F", accepts=_("GB/T 4754 门类字母 A–T，多个用 ; 分隔；留空表示不限")),
        Column("检查要点", "check_points", ("check_points",), long_text, default="", example="查看安全生产责任制文件",
               accepts=_("不限字数")),
        Column("事项类别", "kind", ("kind",),
               choice(choices_of(ItemKind, 一般="general", 重点="key"), "一般、重点"),
               default=ItemKind.GENERAL.value, example="一般", accepts=_("一般 / 重点；留空为一般")),
    ),
)  # fmt: skip

# Non-site monitoring alerts (非现场监测预警), e.g. from online emission monitoring: records
# about enterprises already in the registry, each under its monitoring system's own number.
ALERTS = Spec(
    target="alerts",
    label=_("非现场监测预警"),
    key_column="external_id",
    enterprise_column="credit_code",
    columns=(
        Column("统一社会信用代码", "credit_code", ("enterprise_id",), enterprise, required=True,
               aliases=("uscc", "信用代码"), example="91440300708461136T",
               accepts=_("企业库中已有企业的 18 位代码（GB 32100 校验）；小写字母自动转大写")),
        Column("预警部门", "department", ("department_id",), department, required=True,
               aliases=("部门",), example="市生态环境局龙华管理局",
               accepts=_("部门库中执法主体的全称或简码")),
        Column("监测来源", "source", ("source",), text(100), required=True,
               example="重点排污单位自动监控系统", accepts=_("监测系统或数据来源的名称，最多 100 字")),
        Column("预警日期", "date", ("date",), past_date, required=True, example="2020-09-14",
               accepts=_("YYYY-MM-DD、YYYY/M/D、YYYY年M月D日 或 Excel 日期单元格；不能晚于今天")),
        Column("预警级别", "severity", ("severity",), level, default=1, aliases=("level",),
               example="2", accepts=_("1、2、3（或 一般、较重、严重）；留空为 1")),
        Column("预警内容", "description", ("description",), text(300), required=True,
               example="废水总排口总镍小时均值超过排放限值 0.2 倍", accepts=_("最多 300 字")),
        Column("来源编号", "external_id", ("external_id",), text(60), required=True,
               aliases=("预警编号",), example="HJZK-2020-000123",
               accepts=_("监测系统中的预警编号，最多 60 字，全区唯一：已有的编号更新，新的编号新增")),
    ),
)  # fmt: skip

SPECS: dict[str, Spec] = {spec.target: spec for spec in (ENTERPRISES, INSPECTORS, ITEMS, ALERTS)}


def template_rows(spec: Spec) -> tuple[list[str], list[list[str]], list[bool]]:
    """Header row, one example row and the required flags, for the downloadable templates."""
    return (
        [c.header for c in spec.columns],
        [[c.example for c in spec.columns]],
        [c.required for c in spec.columns],
    )


def describe(spec: Spec) -> Sequence[dict[str, Any]]:
    """The columns as plain rows, for the upload page."""
    return [
        {
            "header": c.header,
            "alias": c.key,
            "required": c.required,
            "accepts": c.accepts,
            "example": c.example,
        }
        for c in spec.columns
    ]
