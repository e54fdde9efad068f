"""The yearly review obligation and its due date: the one home of "what is owed, by when".

The rule. A regulation or twinning agreement owes an annual review for year Y when,
judged on the day `obligation_day(Y, today)` (31 December of Y, or today while Y runs):

- it is in force on that day by its dates and status, and none of its signing parties
  (witnesses aside) has been dissolved by then; or
- it stopped being in force during Y (ended, expired, a party dissolved) after being in
  force on more than half of the days of Y: 1 January to 30 June is 181 of 365 days
  (2025) or 182 of 366 (2024) and owes nothing; one more day owes the review.

The review of Y is due on a day of Y+1: the default of the agreement's kind
(settings.DEADLINES_REVIEW_DUE, 30 April), unless the agreement names its own. A
29 February falls on 28 February in a common year. A review counts as held on time when
it was held on or before its due day.
"""

import calendar
import datetime

from django.conf import settings
from django.utils import timezone

from agreements.models import Agreement

REVIEWED_KINDS = (Agreement.Kind.REGULATION, Agreement.Kind.TWINNING)


def obligation_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day an agreement must be in force on for its year-`year` review to be owed.

    For a past year, 31 December; for the current year, today.
    """
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def day_of_year(year: int, month: int, day: int) -> datetime.date:
    """The day `day`/`month` of `year`, kept inside the month (29/02 → 28/02 in 2027)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def review_due_date(
    *, year: int, kind: str, override: tuple[int, int] | None = None
) -> datetime.date:
    """The day the annual review of `year` is due: (month, day) of the override or the kind."""
    month, day = override or settings.DEADLINES_REVIEW_DUE[kind]
    return day_of_year(year + 1, month, day)


def in_force_long_enough(*, year: int, start: datetime.date, end: datetime.date) -> bool:
    """In force on more than half of the days of `year`, from `start` to `end` (excluded)."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    days = (min(end, after) - max(start, first)).days
    return days * 2 > (after - first).days


def report_year_due(*, month: int, day: int, today: datetime.date) -> int:
    """The year whose yearly report is due next: the report of Y is due on a day of Y+1."""
    if today <= day_of_year(today.year, month, day):
        return today.year - 1
    return today.year
