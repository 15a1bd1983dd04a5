"""Query-parameter fields and error descriptions shared by every app's API.

Each field answers a bad value with a Chinese message naming what would be right,
so an API client learns which parameter is wrong and how to fix it.
"""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from wurao.common.forms import INTEGER_MAX
from wurao.common.middleware import BUSY_MESSAGE, BUSY_RETRY_AFTER, database_busy

BAD_QUERY = OpenApiResponse(
    description='查询参数无效：按参数名给出中文说明，如 {"year": ["请输入有效的年份，如 2020"]}'
)
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的查看范围内")
YEAR_ERROR = "请输入有效的年份，如 2020"
DATE_ERROR = "请输入有效的日期，格式为 YYYY-MM-DD，如 2020-06-01"


def choice_filter(choices, label: str) -> serializers.ChoiceField:
    options = "、".join(f"{value}（{name}）" for value, name in choices.choices)
    return serializers.ChoiceField(
        choices=choices.choices,
        required=False,
        help_text=label,
        error_messages={"invalid_choice": f"“{{input}}”不是有效的{label}，可选：{options}"},
    )


def id_filter(label: str) -> serializers.IntegerField:
    message = f"请输入有效的{label}编号（正整数），如 1"
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=INTEGER_MAX,  # past it the database fails: a 500
        help_text=f"{label}编号（id）",
        error_messages={
            key: message for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )


def year_filter(*, required: bool = False) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required,
        min_value=1900,
        max_value=2100,
        help_text="年份，如 2020",
        error_messages={
            key: YEAR_ERROR
            for key in ("invalid", "min_value", "max_value", "max_string_length", "required")
        },
    )


def date_filter(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"invalid": DATE_ERROR},
    )


class DatabaseBusy(exceptions.APIException):
    status_code = 503
    default_detail = BUSY_MESSAGE
    default_code = "busy"
    wait = BUSY_RETRY_AFTER  # DRF's handler sends it as Retry-After


def api_exception_handler(exc, context):
    """DRF's handler, with a body that is not JSON explained in Chinese: the parser's own
    message is English whatever the client's language; and a SQLite database locked by a long
    write answered 503 with Retry-After (common.middleware.database_busy), not a 500."""
    if database_busy(exc):
        exc = DatabaseBusy()
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(
            "请求体不是有效的 JSON：请检查引号、逗号和括号，并以 Content-Type: application/json 发送"
        )
    return exception_handler(exc, context)
