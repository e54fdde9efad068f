import datetime

import pytest
from django.core.management import call_command

from agreements.services import organization_dissolve
from deadlines.models import Directive, Notice
from deadlines.services import directive_save, notices_create_daily

D = datetime.date
# A Huế regulation of 2021–2025 owes its 2025 review by 30 April 2026.
DUE = D(2026, 4, 30)


@pytest.fixture
def regulation(make_agreement, make_review):
    agreement = make_agreement()
    make_review(agreement, year=2024)
    return agreement


def _notices(**filters):
    return sorted(Notice.objects.filter(**filters).values_list("user__username", "kind", "year"))


def test_the_people_of_the_scope_are_told_30_days_before_a_review_is_due(regulation, users):
    assert notices_create_daily(on=DUE - datetime.timedelta(days=31)) == 0
    assert notices_create_daily(on=DUE - datetime.timedelta(days=30)) == 2
    assert _notices() == [
        ("canbo.hue", "review_due", 2025),
        ("lanhdao.hue", "review_due", 2025),
    ]
    notice = Notice.objects.get(user=users.hue_clerk)
    assert (notice.agreement, notice.due_on) == (regulation, DUE)


def test_notices_are_created_once_whatever_the_runs(regulation):
    day = DUE - datetime.timedelta(days=10)
    assert notices_create_daily(on=day) == 2
    assert notices_create_daily(on=day) == 0
    assert notices_create_daily(on=day + datetime.timedelta(days=1)) == 0
    assert Notice.objects.count() == 2


def test_they_are_told_again_when_the_review_becomes_overdue(regulation):
    notices_create_daily(on=DUE - datetime.timedelta(days=30))
    assert notices_create_daily(on=DUE) == 0
    assert notices_create_daily(on=DUE + datetime.timedelta(days=1)) == 2
    assert _notices(kind=Notice.Kind.REVIEW_OVERDUE) == [
        ("canbo.hue", "review_overdue", 2025),
        ("lanhdao.hue", "review_overdue", 2025),
    ]


def test_a_held_review_needs_no_notice(regulation, make_review):
    make_review(regulation, year=2025, held_on=D(2026, 1, 15))
    assert notices_create_daily(on=DUE + datetime.timedelta(days=1)) == 0


def test_nobody_else_is_told(regulation, users):
    notices_create_daily(on=DUE - datetime.timedelta(days=5))
    assert not Notice.objects.filter(user__in=[users.ls_clerk, users.national, users.admin])


def test_agreements_expiring_within_six_months_are_announced(make_agreement, users):
    agreement = make_agreement(valid_until=D(2026, 6, 30))
    notices_create_daily(on=D(2025, 12, 29))
    assert not Notice.objects.filter(kind=Notice.Kind.AGREEMENT_EXPIRING)
    notices_create_daily(on=D(2025, 12, 30))
    notice = Notice.objects.get(kind=Notice.Kind.AGREEMENT_EXPIRING, user=users.hue_clerk)
    assert (notice.agreement, notice.due_on) == (agreement, D(2026, 6, 30))


def test_a_party_dissolved_under_an_agreement_in_force_is_announced(make_agreement, orgs, users):
    agreement = make_agreement(valid_until=D(2035, 12, 31))
    organization_dissolve(
        organization=orgs.city_party,
        expected_version=orgs.city_party.version,
        user=users.admin,
        on=D(2026, 1, 1),
    )
    notices_create_daily(on=D(2026, 1, 2))
    notice = Notice.objects.get(kind=Notice.Kind.PARTY_DISSOLVED, user=users.hue_official)
    assert (notice.agreement, notice.organization) == (agreement, orgs.city_party)


def test_directive_reports_due_within_30_days_are_announced(orgs, hue, users):
    directive = directive_save(
        directive=Directive(
            issuer=orgs.peoples_committee,
            number="20/CT-UBND",
            issued_on=D(2026, 6, 10),
            title="Kết nghĩa",
            province=hue,
            report_month=3,
            report_day=3,
        )
    )
    notices_create_daily(on=D(2027, 1, 31))
    assert not Notice.objects.filter(kind=Notice.Kind.DIRECTIVE_REPORT_DUE)
    notices_create_daily(on=D(2027, 2, 1))  # 30 days before 3 March
    notice = Notice.objects.get(kind=Notice.Kind.DIRECTIVE_REPORT_DUE, user=users.hue_clerk)
    # Bound: the department, the enterprise and the commune committee; none reported.
    assert (notice.directive, notice.year, notice.due_on, notice.count) == (
        directive,
        2026,
        D(2027, 3, 3),
        3,
    )


def test_national_agreements_are_told_to_national_users(make_agreement, orgs, users):
    national = make_agreement(
        [orgs.national, orgs.ls_party, orgs.city_party],
        valid_until=D(2026, 6, 30),
        user=users.national,
    )
    assert national.province is None
    notices_create_daily(on=D(2026, 1, 1))
    expiring = Notice.objects.filter(kind=Notice.Kind.AGREEMENT_EXPIRING, agreement=national)
    assert [n.user for n in expiring] == [users.national]


# Pages ------------------------------------------------------------------------------


@pytest.fixture
def notices(regulation):
    """Each Huế user is told the 2025 review is due, then that it is overdue."""
    notices_create_daily(on=DUE - datetime.timedelta(days=5))
    notices_create_daily(on=DUE + datetime.timedelta(days=1))
    return Notice.objects.all()


def test_the_header_counts_unread_notices(notices, client, users):
    client.force_login(users.hue_clerk)
    page = client.get("/agreements/")
    assert page.context["unread_notice_count"] == 2
    assert '<span class="badge"' in page.content.decode()


def test_the_notices_page_shows_unread_first_and_links_to_the_thing(
    notices, client, users, regulation
):
    client.force_login(users.hue_clerk)
    due, overdue = (
        Notice.objects.get(user=users.hue_clerk, kind=kind)
        for kind in (Notice.Kind.REVIEW_DUE, Notice.Kind.REVIEW_OVERDUE)
    )
    client.post(f"/notices/{overdue.pk}/read/")
    listed = list(client.get("/notices/").context["page"].object_list)
    assert listed == [due, overdue]
    response = client.post(f"/notices/{due.pk}/read/", {"go": "1"})
    assert response.url == f"/agreements/{regulation.pk}/"
    assert client.get("/agreements/").context["unread_notice_count"] == 0


def test_mark_all_read(notices, client, users):
    client.force_login(users.hue_official)
    client.post("/notices/read-all/")
    assert not Notice.objects.filter(user=users.hue_official, read_at__isnull=True)
    assert Notice.objects.filter(user=users.hue_clerk, read_at__isnull=True).count() == 2


def test_nobody_sees_or_reads_anothers_notices(notices, client, users):
    theirs = Notice.objects.filter(user=users.hue_clerk).first()
    client.force_login(users.ls_clerk)
    assert list(client.get("/notices/").context["page"].object_list) == []
    assert client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    client.force_login(users.hue_official)
    assert client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notice_out_of_the_users_scope_is_hidden(notices, client, users, orgs):
    users.hue_clerk.organization = orgs.ls_command
    users.hue_clerk.save()
    client.force_login(users.hue_clerk)
    assert list(client.get("/notices/").context["page"].object_list) == []
    assert client.get("/agreements/").context["unread_notice_count"] == 0


def test_the_daily_command_creates_notices(regulation):
    call_command("deadlines_daily", "--date", "2026-04-20", "--no-email")
    assert Notice.objects.count() == 2
