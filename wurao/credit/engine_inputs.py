"""What the credit engine accepts (wurao/credit/engine.py): the frames' columns and types, and
the records it refuses rather than score wrongly — each refusal naming the row, the record_id
and the field in Chinese and English. Pure: no Django import."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from wurao.credit.points import PointsTable

Frame = pl.LazyFrame | pl.DataFrame


class EngineInputError(ValueError):
    """A frame the engine cannot read (a missing column, a wrong type), in both languages."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


def lazy(frame: Frame) -> pl.LazyFrame:
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


def _require(
    schema: pl.Schema, name_zh: str, name_en: str, column: str, ok: bool, expected: str
) -> None:
    if column not in schema:
        raise EngineInputError(
            f"{name_zh}缺少列“{column}”（应为 {expected}）",
            f"{name_en} frame has no column {column!r} ({expected})",
        )
    if not ok:
        raise EngineInputError(
            f"{name_zh}的列“{column}”类型为 {schema[column]}，应为 {expected}",
            f"{name_en} column {column!r} is {schema[column]}, expected {expected}",
        )


def _check_events(schema: pl.Schema, *, record_id: bool) -> None:
    def has(col: str, test: Any) -> bool:
        return col in schema and test(schema[col])

    _require(schema, "事件表", "events", "enterprise_id", has("enterprise_id", _integer), "int64")
    text = has("indicator", lambda t: t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum))
    _require(schema, "事件表", "events", "indicator", text, "Enum/Categorical/String")
    day = has("date", lambda t: t == pl.Date or isinstance(t, pl.Datetime))
    _require(schema, "事件表", "events", "date", day, "date")
    if "severity" in schema:
        _require(schema, "事件表", "events", "severity", schema["severity"].is_numeric(), "float")
    if record_id:
        _require(schema, "事件表", "events", "record_id", has("record_id", _integer), "int64")


def check_enterprises(schema: pl.Schema) -> None:
    ok = "enterprise_id" in schema and _integer(schema["enterprise_id"])
    _require(schema, "企业表", "enterprises", "enterprise_id", ok, "int64")
    if "tags" in schema:
        tags = schema["tags"]
        # List(Null): every list empty, as a frame built from empty Python lists is.
        ok = isinstance(tags, pl.List) and tags.inner in (pl.String, pl.Categorical, pl.Null)
        _require(schema, "企业表", "enterprises", "tags", ok, "list[str]")


def _integer(dtype: pl.DataType) -> bool:
    return dtype.is_integer()


def kind_index(dtype: pl.DataType, codes: list[str]) -> pl.Expr:
    """The position of each record's kind in `codes` (`len(codes)` if unknown, which the
    input checks refuse before scoring)."""
    position = {c: n for n, c in enumerate(codes)}
    col = pl.col("indicator")
    if isinstance(dtype, pl.Enum):
        lookup = [position.get(c, len(codes)) for c in dtype.categories.to_list()]
        if lookup == list(range(len(lookup))):
            return col.to_physical()
        return pl.lit(pl.Series(lookup, dtype=pl.UInt16)).gather(col.to_physical())
    return col.cast(pl.String).replace_strict(
        list(position), list(position.values()), default=len(codes), return_dtype=pl.UInt16
    )


def _known(dtype: pl.DataType, codes: list[str]) -> pl.Expr:
    """True for a record whose kind the table knows (the catalogue's or its own)."""
    col = pl.col("indicator")
    if isinstance(dtype, pl.Enum) and set(dtype.categories.to_list()) <= set(codes):
        return col.is_not_null()
    return col.cast(pl.String).is_in(codes).fill_null(False)


def prepared_events(events: Frame, *, record_id: bool) -> tuple[pl.LazyFrame, pl.Schema]:
    """The events frame checked for its columns, with a Datetime `date` read as its date."""
    ev = lazy(events)
    schema = ev.collect_schema()
    _check_events(schema, record_id=record_id)
    if isinstance(schema["date"], pl.Datetime):
        ev = ev.with_columns(pl.col("date").dt.date())
        schema = ev.collect_schema()
    return ev, schema


def refuse_bad_records(
    ev: pl.LazyFrame, schema: pl.Schema, table: PointsTable, latest: date | None
) -> None:
    """Refuse records the engine could only score wrongly: no enterprise or date, a kind the
    table does not know, a severity that is not a finite number ≥ 0 (NaN would make the score
    NaN and the grade A; a negative one would turn a penalty into a bonus), or a date after
    `latest` (the as-of date: a grade cannot rest on what had not happened). One pass counts
    each problem; only when one is found is the first such record looked up, to name it."""
    checks: list[tuple[str, pl.Expr, str, str]] = [
        ("enterprise_id", pl.col("enterprise_id").is_null(), "为空", "is empty"),
        ("date", pl.col("date").is_null(), "为空", "is empty"),
        (
            "indicator",
            ~_known(schema["indicator"], table.codes),
            "不是计分表认识的记录类型（目录中的指标或本表声明的类型）",
            "is not a kind of record the table knows (a catalogue indicator or one it declares)",
        ),
    ]
    if latest is not None:
        checks.append(
            (
                "date",
                pl.col("date") > latest,
                f"晚于评级基准日 {latest.isoformat()}",
                f"is after the as-of date {latest.isoformat()}",
            )
        )
    if "severity" in schema:
        severity = pl.col("severity").cast(pl.Float64)
        checks += [
            (
                "severity",
                (severity.is_nan() | severity.is_infinite()).fill_null(False),
                "不是有限数字",
                "is not a finite number",
            ),
            (
                "severity",
                (severity < 0).fill_null(False),
                "为负数（严重程度须 ≥ 0，扣分项不能因此变成加分）",
                "is negative (severity must be ≥ 0: it cannot turn a penalty into a bonus)",
            ),
        ]
    counts = ev.select(bad.sum().alias(str(n)) for n, (_, bad, _, _) in enumerate(checks))
    found = counts.collect().row(0)
    zh, en = [], []
    for (column, bad, why_zh, why_en), count in zip(checks, found, strict=True):
        if not count:
            continue
        ident = ["record_id"] if "record_id" in schema else []
        row = (
            ev.with_row_index("_row")
            .filter(bad)
            .select("_row", *ident, pl.col(column).cast(pl.String).alias("_value"))
            .head(1)
            .collect()
            .row(0, named=True)
        )
        which = f"（record_id {row['record_id']}）" if ident else ""
        which_en = f" (record_id {row['record_id']})" if ident else ""
        value = row["_value"]
        more = f"，共 {count} 条" if count > 1 else ""
        more_en = f"; {count} records in all" if count > 1 else ""
        zh.append(f"事件表第 {row['_row'] + 1} 条记录{which}的 {column}（{value}）{why_zh}{more}")
        en.append(f"events row {row['_row'] + 1}{which_en}: {column} ({value}) {why_en}{more_en}")
    if zh:
        raise EngineInputError("；".join(zh), "; ".join(en))


def prepared_queries(queries: Frame) -> pl.LazyFrame:
    """A backtest's queries (enterprise_id, date; other columns kept) checked, with a
    Datetime `date` read as its date."""
    q = lazy(queries)
    schema = q.collect_schema()
    day = schema.get("date")
    ok = "enterprise_id" in schema and _integer(schema["enterprise_id"])
    _require(schema, "查询表", "queries", "enterprise_id", ok, "int64")
    ok = day == pl.Date or isinstance(day, pl.Datetime)
    _require(schema, "查询表", "queries", "date", ok, "date")
    return q.with_columns(pl.col("date").dt.date()) if isinstance(day, pl.Datetime) else q
