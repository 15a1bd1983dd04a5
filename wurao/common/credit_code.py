"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks with Chinese reasons."""

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

# GB 32100 uses digits and upper-case letters except I, O, S, V and Z.
FORBIDDEN_LETTERS = set("IOSVZ")


class CreditCodeError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def credit_code_normalise(value: str) -> str:
    """Return the code upper-cased without spaces, or raise CreditCodeError saying what is wrong."""
    raw = (value or "").strip()
    compact = uscc.compact(raw).upper()
    if not compact:
        raise CreditCodeError("required", "统一社会信用代码不能为空")
    try:
        uscc.validate(compact)
    except InvalidLength:
        raise CreditCodeError(
            "credit_code_length", f"统一社会信用代码应为18位，实为{len(compact)}位：{raw}"
        ) from None
    except InvalidFormat:
        bad = sorted({c for c in compact if c in FORBIDDEN_LETTERS})
        if bad:
            message = f"统一社会信用代码不得含字母 {'、'.join(bad)}（GB 32100 不使用 I、O、S、V、Z）：{raw}"
        else:
            message = f"统一社会信用代码格式错误（前8位须为数字，其余为数字或大写字母）：{raw}"
        raise CreditCodeError("credit_code_format", message) from None
    except InvalidChecksum:
        expected = uscc.calc_check_digit(compact)
        raise CreditCodeError(
            "credit_code_checksum",
            f"统一社会信用代码校验码错误：末位应为 {expected}，实为 {compact[-1]}：{raw}",
        ) from None
    return compact


def credit_code_complete(first17: str) -> str:
    """Append the GB 32100 check character to the first 17 characters."""
    return first17 + uscc.calc_check_digit(first17)
