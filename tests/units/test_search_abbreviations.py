"""Search knows the abbreviations of units.abbreviations, in both directions."""

import pytest
from django.urls import reverse

from tests.web.conftest import make_org
from units.models import AdministrativeUnit, Level, Organization
from units.text import search, search_condition

Kind = Organization.Kind


@pytest.fixture
def hue(db):
    return AdministrativeUnit.objects.current().get(code="46")


@pytest.fixture
def hue_orgs(hue):
    return {
        "party": make_org(
            "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
            Kind.BORDER_GUARD_PARTY_COMMITTEE,
            Level.PROVINCE,
            hue,
        ),
        "command": make_org(
            "Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
            Kind.BORDER_GUARD_COMMAND,
            Level.PROVINCE,
            hue,
            short_name="BCH BĐBP Huế",
        ),
        "post": make_org("ĐBP A Lưới", Kind.BORDER_POST, Level.COMMUNE, hue),
        "people": make_org("UBND xã A Lưới 1", Kind.PEOPLES_COMMITTEE, Level.COMMUNE, hue),
        "dung": make_org("Đồn Biên phòng Dũng Tiến", Kind.BORDER_POST, Level.COMMUNE, hue),
    }


def names(query):
    return set(search(Organization.objects.all(), query).values_list("name", flat=True))


def test_the_short_form_finds_the_party_committee_and_the_command(hue_orgs):
    assert names("BĐBP Huế") == {
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
        "Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
    }


def test_the_short_form_works_without_diacritics_and_in_any_case(hue_orgs):
    assert names("bdbp hue") == names("BĐBP HUẾ") == names("BĐBP Huế")


def test_the_long_form_finds_a_name_written_short(hue_orgs):
    assert names("Đồn Biên phòng A Lưới") == {"ĐBP A Lưới"}
    assert names("ủy ban nhân dân a luoi") == {"UBND xã A Lưới 1"}


def test_two_abbreviations_in_one_query_both_apply(hue_orgs):
    assert names("Đảng ủy BCH BĐBP") == {"Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế"}


def test_an_added_short_form_matches_whole_words_only(hue_orgs):
    # "Đảng ủy" also means "ĐU", folded "du"; "Dũng" folds to "dung" and must not match.
    assert "Đồn Biên phòng Dũng Tiến" not in names("Đảng ủy")


def test_the_typed_words_still_match_in_any_order(hue_orgs):
    assert names("Huế Biên phòng Bộ đội Đảng ủy") == {
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế"
    }


def test_an_empty_query_gives_an_empty_condition():
    assert search_condition("   ") == search_condition(None) == search_condition("")
    assert not search_condition("")


def test_the_autocomplete_offers_the_party_committee_for_an_abbreviation(client, hue_orgs):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("canbo", organization=hue_orgs["command"])
    client.force_login(user)
    response = client.get(reverse("units:organization_autocomplete"), {"q": "BĐBP Huế"})
    texts = [row["text"] for row in response.json()["results"]]
    assert "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế" in texts


def test_admin_search_knows_the_abbreviations(admin_client, hue_orgs):
    response = admin_client.get(
        reverse("admin:units_organization_changelist"), {"q": "Ủy ban nhân dân"}
    )
    assert list(response.context["cl"].result_list) == [hue_orgs["people"]]
