import datetime

import pytest
from django.db import IntegrityError, transaction

from units.models import Level, Organization


@pytest.mark.django_db
def test_a_dissolution_date_cannot_precede_the_founding_date():
    with (
        pytest.raises(IntegrityError, match="org_dissolved_not_before_founded"),
        transaction.atomic(),
    ):
        Organization.objects.create(
            name="Huyện ủy Xín Mần",
            kind=Organization.Kind.LOCAL_PARTY_COMMITTEE,
            level=Level.DISTRICT,
            founded_on=datetime.date(2020, 1, 1),
            dissolved_on=datetime.date(2019, 12, 31),
        )


@pytest.mark.django_db
def test_a_dissolution_on_the_founding_day_is_allowed():
    org = Organization.objects.create(
        name="Ban tạm thời",
        kind=Organization.Kind.DEPARTMENT,
        level=Level.PROVINCE,
        founded_on=datetime.date(2020, 1, 1),
        dissolved_on=datetime.date(2020, 1, 1),
    )
    assert org.is_dissolved(on=datetime.date(2020, 1, 1))


@pytest.mark.django_db
def test_a_foreign_counterpart_needs_a_country():
    with pytest.raises(IntegrityError, match="org_foreign_has_country"), transaction.atomic():
        Organization.objects.create(
            name="Huyện Salavan", kind=Organization.Kind.FOREIGN, level=Level.DISTRICT
        )
    org = Organization.objects.create(
        name="Tỉnh Salavan", kind=Organization.Kind.FOREIGN, level=Level.PROVINCE, country="Lào"
    )
    assert org.country == "Lào"


@pytest.mark.django_db
def test_full_clean_reports_the_constraint_before_the_database_does():
    from django.core.exceptions import ValidationError

    org = Organization(
        name="Đối tác",
        kind=Organization.Kind.FOREIGN,
        level=Level.PROVINCE,
    )
    with pytest.raises(ValidationError) as raised:
        org.full_clean()
    assert raised.value.message_dict == {
        "__all__": ["Constraint “org_foreign_has_country” is violated."]
    }
