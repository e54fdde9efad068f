import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from agreements.models import Agreement
from agreements.selectors import add_months
from deadlines.models import Directive
from deadlines.rules import review_due_date
from deadlines.selectors import deadlines
from deadlines.services import directive_save, review_due_override_set

D = datetime.date


@pytest.fixture
def coming(make_agreement, make_review, orgs, hue, users):
    """Seen from 1 April 2026: a 2025 review due on 30/04, an agreement ending on 30/06,
    a directive report due on 03/05."""
    review = make_agreement(valid_until=D(2025, 12, 31))
    ending = make_agreement([orgs.post_a, orgs.commune_party], valid_until=D(2026, 6, 30))
    make_review(ending, year=2025, held_on=D(2026, 1, 10))
    directive = directive_save(
        directive=Directive(
            issuer=orgs.peoples_committee,
            number="20/CT-UBND",
            issued_on=D(2025, 6, 10),
            title="Kết nghĩa",
            province=hue,
            report_month=5,
            report_day=3,
        )
    )
    return review, ending, directive


def test_it_lists_the_coming_three_months_due_dates_in_order(coming, users):
    review, ending, directive = coming
    found = deadlines(
        Agreement.objects.restrict(users.hue_clerk),
        Directive.objects.restrict(users.hue_clerk),
        today=D(2026, 4, 1),
    )
    assert [(d.on, d.uid) for d in found] == [
        (D(2026, 4, 30), f"review-{review.pk}-2025"),
        (D(2026, 5, 3), f"directive-{directive.pk}-2025"),
        (D(2026, 6, 30), f"expiry-{ending.pk}-20260630"),
    ]
    # The other province sees none of it.
    assert (
        deadlines(
            Agreement.objects.restrict(users.ls_clerk),
            Directive.objects.restrict(users.ls_clerk),
            today=D(2026, 4, 1),
        )
        == []
    )


def test_the_page_and_the_ics_file_show_the_users_deadlines(make_agreement, client, users):
    today = timezone.localdate()
    # A regulation that owes last year's review, due within the calendar's three months
    # whatever day the test runs: its own due day is next month's 15th.
    agreement = make_agreement(
        valid_from=D(today.year - 2, 1, 1),
        valid_until=D(today.year + 5, 1, 1),
        signed_on=D(today.year - 2, 1, 1),
    )
    soon = add_months(today, 1).replace(day=15)
    review_due_override_set(agreement=agreement, month=soon.month, day=15)
    year = soon.year - 1
    assert review_due_date(year=year, kind="regulation", override=(soon.month, 15)) == soon
    client.force_login(users.hue_official)
    page = client.get("/deadlines/")
    assert [d.uid for d in page.context["deadlines"]] == [f"review-{agreement.pk}-{year}"]
    response = client.get("/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["uid"]).split("@")[0]) for e in events] == [
        (soon, f"review-{agreement.pk}-{year}")
    ]
    assert agreement.title[:20] in str(events[0]["summary"])
    client.force_login(users.ls_clerk)
    assert Calendar.from_ical(client.get("/deadlines.ics").content).walk("VEVENT") == []
