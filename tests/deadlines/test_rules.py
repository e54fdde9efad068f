import datetime

import pytest

from deadlines.rules import (
    day_of_year,
    in_force_long_enough,
    obligation_day,
    report_year_due,
    review_due_date,
)

D = datetime.date


def test_a_review_is_due_on_30_april_of_the_next_year_by_default():
    assert review_due_date(year=2025, kind="regulation") == D(2026, 4, 30)
    assert review_due_date(year=2025, kind="twinning") == D(2026, 4, 30)


def test_the_default_due_day_is_a_setting(settings):
    settings.DEADLINES_REVIEW_DUE = {"regulation": (3, 31), "twinning": (6, 30)}
    assert review_due_date(year=2025, kind="regulation") == D(2026, 3, 31)
    assert review_due_date(year=2025, kind="twinning") == D(2026, 6, 30)


def test_an_agreement_can_name_its_own_due_day():
    assert review_due_date(year=2025, kind="regulation", override=(1, 31)) == D(2026, 1, 31)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2027, D(2028, 2, 29)), (2026, D(2027, 2, 28)), (2099, D(2100, 2, 28))],
)
def test_a_29_february_due_day_falls_on_28_february_outside_leap_years(year, expected):
    assert review_due_date(year=year, kind="regulation", override=(2, 29)) == expected


def test_a_day_is_kept_inside_its_month():
    assert day_of_year(2026, 4, 31) == D(2026, 4, 30)
    assert day_of_year(2026, 12, 31) == D(2026, 12, 31)


def test_obligations_are_judged_on_31_december_or_today_while_the_year_runs():
    assert obligation_day(2025, D(2026, 1, 5)) == D(2025, 12, 31)
    assert obligation_day(2026, D(2026, 6, 1)) == D(2026, 6, 1)


@pytest.mark.parametrize(
    ("year", "start", "end", "owes"),
    [
        (2025, D(2020, 1, 1), D(2025, 7, 1), False),  # 181 of 365 days
        (2025, D(2020, 1, 1), D(2025, 7, 3), True),  # 183 of 365
        (2025, D(2025, 7, 2), D(2026, 1, 1), True),  # 2 July – 31 December: 183
        (2025, D(2025, 7, 3), D(2026, 1, 1), False),  # 182
        (2024, D(2020, 1, 1), D(2024, 7, 2), False),  # 183 of 366: exactly half
        (2024, D(2020, 1, 1), D(2024, 7, 3), True),  # 184 of 366
        (2024, D(2020, 1, 1), D(2024, 1, 1), False),  # ended before the year
    ],
)
def test_more_than_half_of_the_year_in_force_is_long_enough(year, start, end, owes):
    assert in_force_long_enough(year=year, start=start, end=end) is owes


@pytest.mark.parametrize(
    ("today", "year"),
    [(D(2027, 3, 3), 2026), (D(2027, 3, 4), 2027), (D(2026, 11, 29), 2026), (D(2027, 1, 1), 2026)],
)
def test_the_report_due_next_is_last_years_until_its_day_has_passed(today, year):
    assert report_year_due(month=3, day=3, today=today) == year
