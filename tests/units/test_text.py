import unicodedata

import pytest

from units.models import AdministrativeUnit, Organization
from units.text import fold, nfc, search


def test_it_strips_tones_and_marks():
    assert fold("Xín Mần") == "xin man"
    assert fold("  Hà   Giang ") == "ha giang"


def test_d_with_stroke_folds_to_d_in_both_cases():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("đồn biên phòng") == "don bien phong"


def test_decomposed_input_is_normalised_to_nfc_first():
    decomposed = unicodedata.normalize("NFD", "Xín Mần")
    assert decomposed != "Xín Mần"
    assert nfc(decomposed) == "Xín Mần"
    assert fold(decomposed) == "xin man"


@pytest.mark.django_db
def test_search_finds_units_without_diacritics():
    names = set(search(AdministrativeUnit.objects.all(), "da nang").values_list("name", flat=True))
    assert "Thành phố Đà Nẵng" in names
    assert "Lạng Sơn" not in names


@pytest.mark.django_db
def test_search_matches_every_word_in_any_order():
    found = search(AdministrativeUnit.objects.all(), "son lang").values_list("name", flat=True)
    assert "Lạng Sơn" in set(found)


@pytest.mark.django_db
def test_decomposed_names_are_stored_composed_and_found():
    org = Organization.objects.create(
        name=unicodedata.normalize("NFD", "Huyện ủy Xín Mần"),
        kind=Organization.Kind.LOCAL_PARTY_COMMITTEE,
        level="district",
    )
    org.refresh_from_db()
    assert org.name == "Huyện ủy Xín Mần"
    assert list(search(Organization.objects.all(), "xin man")) == [org]
    assert list(search(Organization.objects.all(), "XÍN MẦN")) == [org]


@pytest.mark.django_db
def test_an_empty_query_filters_nothing():
    assert (
        search(AdministrativeUnit.objects.all(), "  ").count() == AdministrativeUnit.objects.count()
    )
