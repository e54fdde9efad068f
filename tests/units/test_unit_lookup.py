"""UnitLookup, the import's reader of unit codes: all units, or provinces only."""

import pytest
from django.core.exceptions import ValidationError

from units.models import AdministrativeUnit
from units.resources import UnitLookup


@pytest.fixture
def commune(db):
    return (
        AdministrativeUnit.objects.communes()
        .current()
        .filter(parent__code="46")
        .order_by("code")
        .first()
    )


def test_provinces_only_reads_the_provinces_and_finds_them_by_code(commune):
    lookup = UnitLookup(provinces_only=True)

    assert lookup.by_id and all(unit.is_province for unit in lookup.by_id.values())
    assert commune.pk not in lookup.by_id
    hue = lookup.get("46", provinces_only=True)
    assert hue.code == "46" and hue.valid_until is None  # the current unit, not a legacy one
    assert lookup.get(46, provinces_only=True) == hue  # a number cell, as XLSX gives it
    assert lookup.get("1", provinces_only=True).code == "01"


def test_provinces_only_refuses_a_commune_code_in_vietnamese(commune):
    lookup = UnitLookup(provinces_only=True)
    with pytest.raises(ValidationError) as refused:
        lookup.get(commune.code, provinces_only=True)
    assert refused.value.messages == [f"Không có tỉnh, thành phố mã “{commune.code}”."]


def test_the_full_lookup_finds_communes_too(commune, django_assert_num_queries):
    with django_assert_num_queries(1):
        lookup = UnitLookup()
    assert lookup.get(commune.code) == commune
    assert lookup.get(int(commune.code)) == commune
    with pytest.raises(ValidationError) as refused:
        lookup.get("99999")
    assert refused.value.messages == ["Không có đơn vị hành chính mã “99999”."]
