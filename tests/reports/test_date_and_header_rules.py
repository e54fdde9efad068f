"""The date line, the place, the header lines and the signature, by the documents' rules."""

import datetime

import pytest

from reports import profiles
from reports.headers import break_lines, fits
from reports.selectors import (
    date_words,
    issued_signature_lines,
    place_date,
    place_name,
    profile_title,
    recipient_lines,
)
from units.models import AdministrativeUnit, Level, Organization

Kind = Organization.Kind
D = datetime.date


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2026, 1, 5), "Huế, ngày 05 tháng 01 năm 2026"),
        (D(2024, 4, 17), "Huế, ngày 17 tháng 4 năm 2024"),
        (D(2019, 6, 29), "Huế, ngày 29 tháng 6 năm 2019"),
        (D(2025, 2, 9), "Huế, ngày 09 tháng 02 năm 2025"),
        (D(2025, 3, 10), "Huế, ngày 10 tháng 3 năm 2025"),
        (D(2025, 12, 31), "Huế, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_only_days_below_ten_and_the_first_two_months_take_a_leading_zero(on, expected):
    assert place_date("Huế", on, on.year) == expected


def test_every_day_of_a_year_follows_the_rule():
    day = D(2024, 1, 1)
    while day.year == 2024:
        written_day, written_month = date_words(day)
        assert written_day.startswith("0") == (day.day < 10)
        assert written_month.startswith("0") == (day.month in (1, 2))
        assert int(written_day) == day.day and int(written_month) == day.month
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "type_", "expected"),
    [
        ("Thành phố Huế", AdministrativeUnit.Type.CITY, "Huế"),
        ("Xã Lũng Cú", AdministrativeUnit.Type.COMMUNE, "Lũng Cú"),
        ("Huyện Xín Mần", AdministrativeUnit.Type.DISTRICT, "Xín Mần"),
        ("Đặc khu Phú Quốc", AdministrativeUnit.Type.SPECIAL_ZONE, "Phú Quốc"),
        ("Cao Bằng", AdministrativeUnit.Type.PROVINCE, "Cao Bằng"),
    ],
)
def test_the_place_is_the_seat_without_its_type_word(name, type_, expected):
    assert place_name(AdministrativeUnit(name=name, type=type_)) == expected


def test_a_long_name_breaks_between_units_of_meaning():
    lines = break_lines("BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG THÀNH PHỐ HUẾ", profiles.STATE, bold=True)
    assert lines == ["BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG", "THÀNH PHỐ HUẾ"]


@pytest.mark.parametrize("profile", [profiles.STATE, profiles.PARTY])
@pytest.mark.parametrize(
    "name",
    [
        "ĐẢNG ỦY BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG THÀNH PHỐ HUẾ",
        "ĐẢNG ỦY BỘ ĐỘI BIÊN PHÒNG TỈNH HÀ GIANG",
        "BỘ CHỈ HUY QUÂN SỰ TỈNH TUYÊN QUANG",
        "ỦY BAN NHÂN DÂN XÃ A LƯỚI 1",
        "ĐẢNG ỦY ĐỒN BIÊN PHÒNG CỬA KHẨU QUỐC TẾ HỮU NGHỊ",
    ],
)
def test_no_line_splits_a_word_and_every_line_fits_its_column(name, profile):
    lines = break_lines(name, profile, bold=True)
    assert " ".join(lines) == name
    assert all(fits(line, profile, bold=True) for line in lines)
    for compound in ("BIÊN PHÒNG", "BỘ ĐỘI", "ĐẢNG ỦY", "CHỈ HUY", "NHÂN DÂN", "QUÂN SỰ"):
        if compound in name:
            assert any(compound in line for line in lines), (compound, lines)


def test_a_typed_title_is_read_as_the_profiles_title():
    committee = Organization(kind=Kind.BORDER_GUARD_PARTY_COMMITTEE, level=Level.PROVINCE)
    assert profile_title(profiles.PARTY, "Bí thư Đảng ủy", committee) == "BÍ THƯ"
    assert profile_title(profiles.PARTY, "Phó Bí thư", committee) == "PHÓ BÍ THƯ"
    command = Organization(kind=Kind.BORDER_GUARD_COMMAND, level=Level.PROVINCE)
    assert profile_title(profiles.STATE, "Phó Chỉ huy trưởng", command) == "PHÓ CHỈ HUY TRƯỞNG"


def test_capacities_and_titles_come_from_the_profiles():
    assert profiles.PARTY.capacities == ("T/M",)
    assert "K/T" not in profiles.PARTY.capacities and "KT." not in profiles.PARTY.capacities
    assert set(profiles.STATE.capacities) == {"TM.", "KT.", "TL.", "TUQ.", "Q."}
    assert {"BÍ THƯ", "PHÓ BÍ THƯ"} == set(profiles.PARTY.titles)


def test_issued_signatures_print_the_capacity_over_the_title():
    command = Organization(kind=Kind.BORDER_GUARD_COMMAND, level=Level.PROVINCE)
    assert issued_signature_lines(profiles.STATE, command, "KT.", "PHÓ CHỈ HUY TRƯỞNG") == [
        "KT. CHỈ HUY TRƯỞNG",
        "PHÓ CHỈ HUY TRƯỞNG",
    ]
    assert issued_signature_lines(profiles.STATE, command, "", "CHỈ HUY TRƯỞNG") == [
        "CHỈ HUY TRƯỞNG"
    ]
    assert issued_signature_lines(profiles.STATE, command, "Q.", "CHỈ HUY TRƯỞNG") == [
        "Q. CHỈ HUY TRƯỞNG"
    ]
    people = Organization(kind=Kind.PEOPLES_COMMITTEE, level=Level.PROVINCE)
    assert issued_signature_lines(profiles.STATE, people, "KT.", "PHÓ CHỦ TỊCH") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    party = Organization(kind=Kind.LOCAL_PARTY_COMMITTEE, level=Level.COMMUNE)
    assert issued_signature_lines(profiles.PARTY, party, "T/M", "PHÓ BÍ THƯ") == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
    ]


def test_the_archive_line_is_the_profiles():
    assert recipient_lines("Thành ủy", profiles.STATE, "TM") == ["- Thành ủy;", "- Lưu: VT, TM."]
    assert recipient_lines("Thành ủy\nLưu: VT, VP", profiles.PARTY) == [
        "- Thành ủy;",
        "- Lưu Văn phòng Đảng ủy.",
    ]
