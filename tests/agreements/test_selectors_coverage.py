"""Coverage on a hand-built set of Huế border communes and posts.

Communes c0..c3 are border communes; c4 is not. Post A covers c0 and c1, post B
covers c2, nobody covers c3. Only post A has a regulation in force, so 2 of 4
communes and 1 of 2 posts are covered. The communes exist from the 2025 reform on,
so coverage is asked for a day after it.
"""

import datetime

import pytest

from agreements.models import Agreement
from agreements.selectors import Coverage, coverage
from agreements.services import agreement_terminate
from units.models import AdministrativeUnit, Level, Organization

ON = datetime.date(2025, 9, 1)


def coverage_result(communes_covered, communes_total, posts_covered, posts_total) -> Coverage:
    return Coverage(communes_covered, communes_total, posts_covered, posts_total)


@pytest.fixture
def border(hue, lang_son, orgs):
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=hue)[:5])
    AdministrativeUnit.objects.filter(pk__in=[c.pk for c in communes[:4]]).update(is_border=True)
    AdministrativeUnit.objects.filter(pk__in=[hue.pk, lang_son.pk]).update(is_border=True)
    ls_commune = AdministrativeUnit.objects.current().communes().filter(parent=lang_son).first()
    AdministrativeUnit.objects.filter(pk=ls_commune.pk).update(is_border=True)
    return communes


@pytest.fixture
def post_a_regulation(border, make_agreement, orgs):
    return make_agreement([orgs.post_a, orgs.commune_party])


def test_it_counts_covered_communes_and_posts_of_a_province(post_a_regulation, hue):
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(2, 4, 1, 2)


def test_nothing_is_covered_without_agreements(border, hue):
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(0, 4, 0, 2)


def test_a_commune_covered_by_two_signed_posts_counts_once(
    border, post_a_regulation, make_agreement, orgs, hue
):
    orgs.post_b.covered_communes.add(border[0])
    make_agreement([orgs.post_b, orgs.city_party])
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(3, 4, 2, 2)


def test_a_draft_does_not_cover(border, make_agreement, orgs, hue):
    make_agreement([orgs.post_a, orgs.commune_party], in_force=False)
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(0, 4, 0, 2)


def test_a_terminated_agreement_covers_only_until_it_ended(post_a_regulation, users, hue):
    agreement_terminate(
        agreement=post_a_regulation,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=datetime.date(2025, 10, 1),
    )
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(2, 4, 1, 2)
    assert coverage(province_id=hue.pk, on=datetime.date(2025, 10, 1)) == coverage_result(
        0, 4, 0, 2
    )


def test_a_dissolved_post_leaves_the_total(post_a_regulation, orgs, hue):
    Organization.objects.filter(pk=orgs.post_b.pk).update(dissolved_on=datetime.date(2025, 8, 1))
    assert coverage(province_id=hue.pk, on=ON) == coverage_result(2, 4, 1, 1)


def test_the_whole_country_adds_up_the_provinces(post_a_regulation, hue, lang_son):
    Organization.objects.create(
        name="Đồn Biên phòng Tân Thanh",
        kind=Organization.Kind.BORDER_GATE_POST,
        level=Level.COMMUNE,
        province=lang_son,
    )
    assert coverage(on=ON) == coverage_result(2, 5, 1, 3)
    assert coverage(province_id=lang_son.pk, on=ON) == coverage_result(0, 1, 0, 1)


def test_coverage_takes_a_fixed_number_of_queries(
    post_a_regulation, hue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        coverage(province_id=hue.pk, on=ON)
