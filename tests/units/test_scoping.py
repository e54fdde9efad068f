"""Who sees which rows: one province, the whole country, or nothing."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from agreements.models import Agreement, Attachment, Review, ReviewFocusResult
from units.models import AdministrativeUnit, Level, Organization, User
from units.scoping import (
    EVERYTHING,
    NOTHING,
    get_scoped_or_404,
    restrict,
    scope_of,
)

Kind = Organization.Kind


def _agreement(province, title) -> Agreement:
    return Agreement.objects.create(
        kind=Agreement.Kind.REGULATION,
        title=title,
        valid_from=datetime.date(2021, 1, 1),
        status=Agreement.Status.IN_FORCE,
        province=province,
    )


def _review(agreement) -> Review:
    return Review.objects.create(
        agreement=agreement,
        kind=Review.Kind.ANNUAL,
        year=2024,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )


def _attachment(agreement, digest) -> Attachment:
    return Attachment.objects.create(
        agreement=agreement,
        file=f"attachments/{digest}",
        original_name="quy-che.pdf",
        content_type="application/pdf",
        size=10,
        sha256=digest * 64,
    )


@pytest.fixture
def world(db):
    hue = AdministrativeUnit.objects.current().get(code="46")
    lang_son = AdministrativeUnit.objects.current().get(code="20")
    central = Organization.objects.create(
        name="Bộ Tư lệnh Bộ đội Biên phòng", kind=Kind.BORDER_GUARD_COMMAND, level=Level.CENTRAL
    )
    hue_command = Organization.objects.create(
        name="Ban Chỉ huy BĐBP thành phố Huế",
        kind=Kind.BORDER_GUARD_COMMAND,
        level=Level.PROVINCE,
        province=hue,
    )
    ls_command = Organization.objects.create(
        name="Ban Chỉ huy BĐBP tỉnh Lạng Sơn",
        kind=Kind.BORDER_GUARD_COMMAND,
        level=Level.PROVINCE,
        province=lang_son,
    )
    hue_agreement = _agreement(hue, "Quy chế Huế")
    ls_agreement = _agreement(lang_son, "Quy chế Lạng Sơn")
    national_agreement = _agreement(None, "Quy chế toàn quốc")
    return SimpleNamespace(
        hue=hue,
        lang_son=lang_son,
        central=central,
        hue_command=hue_command,
        ls_command=ls_command,
        hue_agreement=hue_agreement,
        ls_agreement=ls_agreement,
        national_agreement=national_agreement,
        hue_review=_review(hue_agreement),
        ls_review=_review(ls_agreement),
        hue_attachment=_attachment(hue_agreement, "a"),
        ls_attachment=_attachment(ls_agreement, "b"),
    )


@pytest.fixture
def people(world):
    return SimpleNamespace(
        hue=User.objects.create_user("canbo.hue", organization=world.hue_command),
        national=User.objects.create_user("canbo.bttl", organization=world.central),
        admin=User.objects.create_superuser("admin"),
        nobody=User.objects.create_user("chua.gan.don.vi"),
        inactive=User.objects.create_user(
            "da.nghi", organization=world.hue_command, is_active=False
        ),
    )


def test_a_province_user_sees_only_their_province(world, people):
    user = people.hue
    assert set(Agreement.objects.restrict(user)) == {world.hue_agreement}
    assert set(Review.objects.restrict(user)) == {world.hue_review}
    assert set(Attachment.objects.restrict(user)) == {world.hue_attachment}


def test_a_province_user_sees_their_organizations_and_central_bodies(world, people):
    assert set(Organization.objects.restrict(people.hue)) == {world.hue_command, world.central}


def test_a_national_user_sees_everything(world, people):
    user = people.national
    assert scope_of(user) == EVERYTHING
    assert Agreement.objects.restrict(user).count() == 3
    assert Review.objects.restrict(user).count() == 2
    assert Attachment.objects.restrict(user).count() == 2
    assert Organization.objects.restrict(user).count() == 3


def test_a_superuser_sees_everything(world, people):
    user = people.admin
    assert scope_of(user) == EVERYTHING
    assert Agreement.objects.restrict(user).count() == 3
    assert Organization.objects.restrict(user).count() == 3


@pytest.mark.parametrize("who", ["nobody", "inactive"])
def test_a_user_without_organization_or_inactive_sees_nothing(world, people, who):
    user = getattr(people, who)
    assert scope_of(user) == NOTHING
    for model in (Organization, Agreement, Review, Attachment):
        assert not model.objects.restrict(user).exists()


def test_an_anonymous_visitor_sees_nothing(world):
    assert not Agreement.objects.restrict(AnonymousUser()).exists()
    assert not Organization.objects.restrict(None).exists()


def test_a_central_body_placed_in_a_province_sees_only_that_province(world, people):
    world.central.province = world.lang_son
    world.central.save()
    user = User.objects.get(pk=people.national.pk)
    assert set(Agreement.objects.restrict(user)) == {world.ls_agreement}


def test_a_local_organization_without_a_province_sees_nothing(world):
    floating = Organization.objects.create(
        name="Sở chưa gán tỉnh", kind=Kind.DEPARTMENT, level=Level.PROVINCE
    )
    user = User.objects.create_user("lac.loi", organization=floating)
    assert not Agreement.objects.restrict(user).exists()


def test_another_provinces_object_is_a_404(world, people):
    with pytest.raises(Http404):
        get_scoped_or_404(Agreement, people.hue, pk=world.ls_agreement.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(
            Review.objects.select_related("agreement"), people.hue, pk=world.ls_review.pk
        )
    with pytest.raises(Http404):
        get_scoped_or_404(Attachment, people.hue, pk=world.ls_attachment.pk)
    assert (
        get_scoped_or_404(Agreement, people.hue, pk=world.hue_agreement.pk) == world.hue_agreement
    )
    assert get_scoped_or_404(Attachment, people.hue, pk=world.hue_attachment.pk)


def test_a_national_user_fetches_any_province(world, people):
    assert get_scoped_or_404(Agreement, people.national, pk=world.ls_agreement.pk) == (
        world.ls_agreement
    )
    assert get_scoped_or_404(Organization, people.hue, pk=world.central.pk) == world.central


@pytest.mark.django_db
def test_a_model_without_a_path_to_its_province_cannot_be_restricted(people):
    # Failing open would show the whole table to every province.
    with pytest.raises(ImproperlyConfigured, match="ReviewFocusResult has no SCOPE_FIELD"):
        restrict(ReviewFocusResult.objects.all(), people.hue)
    with pytest.raises(ImproperlyConfigured):
        get_scoped_or_404(ReviewFocusResult, people.hue, pk=1)
