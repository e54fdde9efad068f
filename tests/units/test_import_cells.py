"""Cell parsing of the imports: the fast paths give what the general ones gave."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from units.resources import cell_text, norm_header, parse_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31/12/2025", datetime.date(2025, 12, 31)),
        ("1/2/2026", datetime.date(2026, 2, 1)),
        (" 05/01/2026 ", datetime.date(2026, 1, 5)),
        ("2025-01-12 00:00:00", datetime.date(2025, 1, 12)),
        ("12.01.2026", datetime.date(2026, 1, 12)),
        (datetime.datetime(2026, 3, 4, 8, 30), datetime.date(2026, 3, 4)),
    ],
)
def test_a_date_is_read_in_each_written_form(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2025", "12/31/2025", "1/1/25", "hôm qua"])
def test_an_impossible_date_gets_the_message(text):
    with pytest.raises(ValidationError, match="không phải ngày hợp lệ"):
        parse_date(text)


def test_a_cell_loses_every_kind_of_extra_space():
    assert cell_text(" Nguyễn\u00a0 Văn\tA\n\u3000") == "Nguyễn Văn A"
    assert cell_text(46.0) == "46"


def test_a_header_key_ignores_case_marks_and_punctuation():
    assert norm_header("Bên 1 – Vai trò") == norm_header("ben 1 vai tro") == "ben 1 vai tro"
