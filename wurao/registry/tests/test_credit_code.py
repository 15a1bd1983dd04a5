import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from wurao.common.credit_code import CreditCodeError, credit_code_complete, credit_code_normalise

# Real codes, each checked with python-stdnum before being written here.
REAL_CODES = [
    "91440300708461136T",
    "91110000100006485K",
    "91110108551385082Q",
    "914403001922038216",
]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: digits and letters except I O S V Z


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_world_codes_are_accepted_unchanged(code):
    assert uscc.is_valid(code)

    assert credit_code_normalise(code) == code


def test_lowercase_input_with_spaces_is_accepted_and_returned_uppercase():
    assert credit_code_normalise(" 91440300708461136t ") == "91440300708461136T"


def test_wrong_check_character_is_rejected_with_the_expected_one():
    with pytest.raises(CreditCodeError) as caught:
        credit_code_normalise("91440300708461136A")

    assert caught.value.code == "credit_code_checksum"
    assert "末位应为 T" in caught.value.message


@pytest.mark.parametrize("code", ["9144030070846113", "91440300708461136TT", "9"])
def test_wrong_length_is_rejected_saying_the_length(code):
    with pytest.raises(CreditCodeError) as caught:
        credit_code_normalise(code)

    assert caught.value.code == "credit_code_length"
    assert f"实为{len(code)}位" in caught.value.message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_rejected_by_name(letter):
    code = f"91440300MA5{letter}XXXXXX"

    with pytest.raises(CreditCodeError) as caught:
        credit_code_normalise(code)

    assert caught.value.code == "credit_code_format"
    assert letter in caught.value.message


def test_blank_input_is_required():
    with pytest.raises(CreditCodeError) as caught:
        credit_code_normalise("  ")

    assert caught.value.code == "required"


first8 = st.text(alphabet="0123456789", min_size=8, max_size=8)
rest9 = st.text(alphabet=ALPHABET, min_size=9, max_size=9)


@given(first8=first8, rest9=rest9)
def test_any_prefix_completed_with_its_check_character_is_accepted(first8, rest9):
    code = credit_code_complete(first8 + rest9)

    assert credit_code_normalise(code) == code


@given(first8=first8, rest9=rest9, replacement=st.sampled_from(ALPHABET))
def test_changing_the_check_character_is_rejected(first8, rest9, replacement):
    code = credit_code_complete(first8 + rest9)
    if replacement == code[-1]:
        replacement = "0" if code[-1] != "0" else "1"

    with pytest.raises(CreditCodeError) as caught:
        credit_code_normalise(code[:-1] + replacement)

    assert caught.value.code == "credit_code_checksum"
