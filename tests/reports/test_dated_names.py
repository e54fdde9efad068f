"""Dated documents show the name of their day: a unit keeps its code when re-typed."""

import datetime

import pytest

from reports.selectors import annual_summary_data, place_name, scope_phrase
from units.models import AdministrativeUnit


@pytest.fixture
def dong_nai(db):
    # A tỉnh until Nghị quyết 30/2026/QH16 of 24/04/2026 made it a thành phố.
    return AdministrativeUnit.objects.current().get(code="75")


def test_the_scope_phrase_names_the_province_as_it_was_that_day(dong_nai):
    assert scope_phrase(dong_nai, datetime.date(2025, 12, 31)) == "trên địa bàn tỉnh Đồng Nai"
    assert scope_phrase(dong_nai, datetime.date(2026, 5, 1)) == "trên địa bàn thành phố Đồng Nai"


def test_the_annual_summary_of_2025_names_the_province_of_2025(dong_nai):
    data = annual_summary_data(dong_nai, 2025, today=datetime.date(2026, 11, 29))
    assert data.scope_phrase == "trên địa bàn tỉnh Đồng Nai"
    assert "tỉnh Đồng Nai" in data.head.summary


def test_the_place_of_a_dated_document_is_the_name_of_its_day(db):
    hue_before = AdministrativeUnit.objects.get(code="46", valid_until__isnull=False)
    assert place_name(hue_before, datetime.date(2024, 12, 20)) == "Thừa Thiên Huế"
    assert place_name(hue_before, datetime.date(2025, 3, 1)) == "Huế"
