import datetime

import pytest
from django.core import mail

from deadlines.models import Notice
from deadlines.services import digest_send_daily, notice_preference_set, notices_create_daily

D = datetime.date
DAY = D(2026, 4, 10)


@pytest.fixture
def noticed(make_agreement, make_review, users):
    """The Huế users are told the 2025 review of a regulation is due by 30/04/2026."""
    agreement = make_agreement(title="Quy chế phối hợp biên giới Huế")
    make_review(agreement, year=2024)
    for user in (users.hue_clerk, users.hue_official):
        user.email = f"{user.username}@example.vn"
        user.save()
    notices_create_daily(on=DAY)
    return agreement


def test_each_user_with_an_address_gets_one_digest_of_their_notices(noticed, users):
    assert digest_send_daily(on=DAY) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "canbo.hue@example.vn",
        "lanhdao.hue@example.vn",
    ]
    message = mail.outbox[0]
    assert message.subject == "Thông báo hằng ngày: 1 việc cần chú ý"
    assert "Sơ kết năm 2025 của “Quy chế phối hợp biên giới Huế” hạn ngày 30/04/2026." in (
        message.body
    )
    assert "&" not in message.body  # plain text, not HTML-escaped


def test_a_notice_is_e_mailed_once(noticed):
    digest_send_daily(on=DAY)
    assert digest_send_daily(on=DAY + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2
    assert not Notice.objects.filter(emailed_at__isnull=True)


def test_read_notices_are_not_e_mailed(noticed, users):
    Notice.objects.filter(user=users.hue_clerk).update(read_at=datetime.datetime.now(datetime.UTC))
    assert digest_send_daily(on=DAY) == 1
    assert mail.outbox[0].to == ["lanhdao.hue@example.vn"]


def test_users_can_turn_the_digest_off(noticed, users):
    notice_preference_set(user=users.hue_clerk, email_digest=False, language="vi")
    digest_send_daily(on=DAY)
    assert [m.to for m in mail.outbox] == [["lanhdao.hue@example.vn"]]


def test_the_digest_speaks_the_users_language(noticed, users):
    notice_preference_set(user=users.hue_official, email_digest=True, language="en")
    digest_send_daily(on=DAY)
    english = next(m for m in mail.outbox if m.to == ["lanhdao.hue@example.vn"])
    assert english.subject == "Daily notices: 1 items need attention"
    assert "The 2025 review of “Quy chế phối hợp biên giới Huế” is due on 30/04/2026." in (
        english.body
    )


def test_users_without_an_address_get_nothing(noticed, users):
    users.hue_clerk.email = users.hue_official.email = ""
    users.hue_clerk.save()
    users.hue_official.save()
    assert digest_send_daily(on=DAY) == 0


def test_the_settings_page_turns_the_digest_off(noticed, client, users):
    client.force_login(users.hue_clerk)
    response = client.post("/notices/settings/", {"language": "en"})
    assert response.status_code == 302
    digest_send_daily(on=DAY)
    assert [m.to for m in mail.outbox] == [["lanhdao.hue@example.vn"]]
    bad = client.post("/notices/settings/", {"language": "fr", "email_digest": "on"})
    assert bad.status_code == 200 and bad.context["form"].errors
