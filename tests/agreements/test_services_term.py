"""The period an agreement is made for (giai đoạn), apart from its validity dates."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement


def test_the_period_is_stored_and_labelled_apart_from_validity(make_agreement):
    agreement = make_agreement(period_start_year=2025, period_end_year=2030)
    assert agreement.term_label == "2025–2030"
    assert agreement.period_label == "2021–2025"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (2030, 2025, "period_end_year", "không thể trước năm bắt đầu"),
        (None, 2030, "period_start_year", "Hãy ghi năm bắt đầu"),
        (1800, None, "period_start_year", "phải từ 1959 đến 2100"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_with_the_reason(
    make_agreement, row_counts, start, end, field, message
):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        make_agreement(period_start_year=start, period_end_year=end)
    assert any(message in m for m in error.value.message_dict[field])
    assert row_counts() == before


def test_the_database_refuses_a_period_ending_before_it_starts(make_agreement):
    agreement = make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(
            period_start_year=2030, period_end_year=2025
        )
