import datetime

import pytest
from django.core.management import call_command

from agreements.models import Agreement
from agreements.services import AgreementInput, PartyInput, agreement_create
from units.models import Level, Organization


def _agreement(valid_from, valid_until, suffix):
    post = Organization.objects.create(
        name=f"Đồn Biên phòng {suffix}", kind=Organization.Kind.BORDER_POST, level=Level.COMMUNE
    )
    commune = Organization.objects.create(
        name=f"Đảng ủy xã {suffix}",
        kind=Organization.Kind.LOCAL_PARTY_COMMITTEE,
        level=Level.COMMUNE,
    )
    return agreement_create(
        user=None,
        data=AgreementInput(
            kind=Agreement.Kind.REGULATION,
            title=f"Quy chế {suffix}",
            valid_from=valid_from,
            valid_until=valid_until,
            parties=[PartyInput(organization=post), PartyInput(organization=commune)],
        ),
    )


@pytest.mark.django_db
def test_it_expires_only_agreements_whose_period_has_ended(capsys):
    ended = _agreement(datetime.date(2019, 1, 1), datetime.date(2023, 12, 31), "A")
    running = _agreement(datetime.date(2024, 1, 1), datetime.date(2099, 12, 31), "B")

    call_command("expire_agreements")

    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == Agreement.Status.EXPIRED
    assert ended.ended_on == datetime.date(2024, 1, 1)
    assert running.status == Agreement.Status.IN_FORCE
    assert "expired 1 agreement(s)" in capsys.readouterr().out
    assert ended.history.first().status == Agreement.Status.EXPIRED
