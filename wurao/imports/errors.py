"""Error codes of the import report. The codes are stable (scripts read the JSON report);
the messages that go with them are Chinese and say what would be right."""

from enum import StrEnum


class FileErrorCode(StrEnum):
    """The whole file is rejected and nothing is written."""

    EMPTY_FILE = "empty_file"
    NOT_XLSX = "not_xlsx"
    LEGACY_XLS = "legacy_xls"
    UNDECODABLE = "undecodable"
    UNREADABLE = "unreadable"
    MISSING_COLUMNS = "missing_columns"
    DUPLICATE_COLUMN = "duplicate_column"
    NO_DATA_ROWS = "no_data_rows"
    # Limits (settings WURAO_IMPORT_*): the file is refused before it is read, or as soon as
    # it passes the limit.
    FILE_TOO_LARGE = "file_too_large"
    EXPANDS_TOO_MUCH = "expands_too_much"
    COMPRESSION_RATIO = "compression_ratio"
    TOO_MANY_ROWS = "too_many_rows"


class RowErrorCode(StrEnum):
    """One cell (or row) is wrong: that row is not imported, the others are."""

    REQUIRED = "required"
    # From wurao.common.credit_code (GB 32100).
    CREDIT_CODE_LENGTH = "credit_code_length"
    CREDIT_CODE_FORMAT = "credit_code_format"
    CREDIT_CODE_CHECKSUM = "credit_code_checksum"
    CREDIT_CODE_AS_NUMBER = "credit_code_as_number"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    UNKNOWN_STREET = "unknown_street"
    UNKNOWN_COMMUNITY = "unknown_community"
    COMMUNITY_NOT_IN_STREET = "community_not_in_street"
    UNKNOWN_PARK = "unknown_park"
    UNKNOWN_DEPARTMENT = "unknown_department"
    NOT_ENFORCEMENT_DEPARTMENT = "not_enforcement_department"
    UNKNOWN_RISK_TAG = "unknown_risk_tag"
    INVALID_CHOICE = "invalid_choice"
    BAD_DATE = "bad_date"
    BAD_BOOLEAN = "bad_boolean"
    BAD_INTEGER = "bad_integer"
    BAD_INDUSTRY_CODE = "bad_industry_code"
    BAD_INDUSTRY_SECTION = "bad_industry_section"
    TOO_LONG = "too_long"
    # Monitoring alerts (非现场监测预警).
    UNKNOWN_ENTERPRISE = "unknown_enterprise"
    BAD_LEVEL = "bad_level"
    FUTURE_DATE = "future_date"
