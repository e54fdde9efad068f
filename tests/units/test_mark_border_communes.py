import datetime

import pytest
from django.core.management import CommandError, call_command

from units.models import AdministrativeUnit


@pytest.fixture
def codes_file(tmp_path):
    def write(text):
        path = tmp_path / "codes.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.django_db
def test_it_marks_communes_and_their_province(codes_file):
    # Two communes of Lạng Sơn (20) from the official list.
    codes = list(
        AdministrativeUnit.objects.current()
        .communes()
        .filter(parent__code="20")
        .order_by("code")[:2]
        .values_list("code", flat=True)
    )
    call_command("mark_border_communes", codes_file("ma_xa\n" + "\n".join(codes) + "\n"))
    assert set(
        AdministrativeUnit.objects.filter(is_border=True, parent__code="20").values_list(
            "code", flat=True
        )
    ) == set(codes)
    assert AdministrativeUnit.objects.current().get(code="20").is_border


@pytest.mark.django_db
def test_an_unknown_code_changes_nothing(codes_file):
    real = AdministrativeUnit.objects.current().communes().first().code
    with pytest.raises(CommandError, match="99999"):
        call_command("mark_border_communes", codes_file(f"{real}\n99999\n"))
    assert not AdministrativeUnit.objects.filter(is_border=True).exists()


@pytest.mark.django_db
def test_a_file_of_garbage_is_refused(codes_file):
    with pytest.raises(CommandError, match="không phải mã xã"):
        call_command("mark_border_communes", codes_file("code\nabc\nxyz\n"))


@pytest.mark.django_db
def test_replace_unmarks_communes_missing_from_the_new_list(codes_file):
    first, second = AdministrativeUnit.objects.current().communes().order_by("code")[:2]
    call_command("mark_border_communes", codes_file(f"{first.code}\n{second.code}\n"))
    call_command("mark_border_communes", codes_file(f"{second.code}\n"), "--replace")
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_border
    assert second.is_border


@pytest.mark.django_db
def test_the_border_communes_of_2010_and_of_2026_are_marked_separately(codes_file):
    # 01099 Xã Nàn Xỉn (Huyện Xín Mần, until 30/06/2025); 01108 Xã Xín Mần (since 01/07/2025).
    call_command(
        "mark_border_communes",
        codes_file("01099\n"),
        "--from",
        "2010-01-01",
        "--until",
        "2025-07-01",
    )
    call_command("mark_border_communes", codes_file("01108\n"), "--from", "2026-01-01")
    units = AdministrativeUnit.objects
    in_2010 = (
        units.current(datetime.date(2010, 12, 31)).communes().border(datetime.date(2010, 12, 31))
    )
    in_2026 = units.current(datetime.date(2026, 6, 1)).communes().border(datetime.date(2026, 6, 1))
    on_new_year_2026 = units.current(datetime.date(2025, 12, 31)).communes()
    assert [u.name for u in in_2010] == ["Xã Nàn Xỉn"]
    assert [u.name for u in in_2026] == ["Xã Xín Mần"]
    assert not on_new_year_2026.border(datetime.date(2025, 12, 31)).exists()
    assert units.get(code="033", valid_until__isnull=False).is_border


@pytest.mark.django_db
def test_a_legacy_code_is_unknown_for_today(codes_file):
    with pytest.raises(CommandError, match="01099"):
        call_command("mark_border_communes", codes_file("01099\n"))
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("mark_border_communes", codes_file("01099\n"), "--from", "31/12/2010")
