import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from agreements.models import Agreement, AgreementParty, IndicatorValue, Review
from units.models import AdministrativeUnit, Organization, User


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            Agreement,
            AgreementParty,
            Review,
            IndicatorValue,
            User,
            AdministrativeUnit,
            Agreement.history.model,
            Review.history.model,
        )
    }


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_loading_twice_gives_the_same_counts(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert first["Agreement"] >= 40
    assert first["Review"] >= 50


@pytest.mark.django_db
def test_the_reform_is_in_the_demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--force")
    district = Agreement.objects.get(number="033-QC/ĐU")
    assert district.status == Agreement.Status.TERMINATED
    assert district.termination_reason == Agreement.TerminationReason.PARTNER_DISSOLVED
    assert str(district.ended_on) == "2025-07-01"
    replacement = district.superseded_by.get()
    assert replacement.status == Agreement.Status.IN_FORCE
    assert replacement.province.code == "08"
    xin_man = AdministrativeUnit.objects.get(code="033", valid_until__isnull=False)
    assert xin_man.current_province().code == "08"
    assert Agreement.objects.filter(
        kind=Agreement.Kind.TWINNING, parties__organization__kind=Organization.Kind.FOREIGN
    ).exists()


@pytest.mark.django_db
def test_demo_accounts_can_log_in_with_the_demo_password(settings, client):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "mat-khau-thu"
    call_command("load_demo")
    for username in ("admin", "canbo.hue", "lanhdao.hue", "canbo.langson", "lanhdao.langson"):
        # django-axes checks each login against the request it came with.
        assert client.login(request=HttpRequest(), username=username, password="mat-khau-thu"), (
            username
        )
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="canbo.hue").organization.province.code == "46"


@pytest.mark.django_db
def test_the_demo_has_issued_documents_once(settings):
    from documents.models import IssuedDocument

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    annual = IssuedDocument.objects.get(kind="annual")
    assert (annual.organization.code, annual.year, annual.number_line) == (
        "BCH-46",
        2025,
        "Số: 01/BC-BCH",
    )
    party = IssuedDocument.objects.filter(kind="review")
    assert party.count() == 2
    assert {d.number_line for d in party} == {"Số 01-BC/ĐU"}
