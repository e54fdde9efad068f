import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Agreement


def test_it_refuses_a_period_that_ends_before_it_starts(make_agreement, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2024, 12, 31),
            signed_on=datetime.date(2024, 12, 1),
        )
    assert exc.value.message_dict["valid_until"] == [
        "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."
    ]
    assert row_counts() == before


def test_it_refuses_a_period_that_ends_the_day_it_starts(make_agreement):
    day = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as exc:
        make_agreement(valid_from=day, valid_until=day, signed_on=day)
    assert "valid_until" in exc.value.message_dict


def test_an_open_ended_period_is_accepted(make_agreement):
    agreement = make_agreement(valid_until=None)
    assert agreement.period_label == "2021–"


def test_it_refuses_a_signing_date_in_the_future(make_agreement, row_counts):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement(signed_on=tomorrow, valid_from=tomorrow, valid_until=None)
    assert exc.value.message_dict["signed_on"] == ["Ngày ký không thể ở tương lai."]
    assert row_counts() == before


def test_a_signing_date_today_is_accepted(make_agreement):
    today = timezone.localdate()
    agreement = make_agreement(signed_on=today, valid_from=today, valid_until=None)
    assert agreement.signed_on == today


def test_it_refuses_a_signing_date_after_the_period_ends(make_agreement, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            valid_from=datetime.date(2020, 1, 1),
            valid_until=datetime.date(2021, 12, 31),
            signed_on=datetime.date(2022, 1, 5),
        )
    assert exc.value.message_dict["signed_on"] == [
        "Ngày ký không thể sau ngày hết hiệu lực của văn bản."
    ]
    assert row_counts() == before


def test_a_signing_date_after_the_start_is_accepted(make_agreement):
    agreement = make_agreement(signed_on=datetime.date(2021, 2, 1))
    assert agreement.status == Agreement.Status.IN_FORCE


def test_the_period_label_shows_the_years(make_agreement):
    assert make_agreement().period_label == "2021–2025"
