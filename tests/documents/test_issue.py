"""Issuing a report: a number from the register, a frozen PDF, the profile's rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import Review
from documents.models import IssuedDocument, OrganizationHeader
from documents.services import annual_summary_issue, review_summary_issue
from tests.documents.conftest import party_input, state_input
from tests.reports import pdf as read

D = datetime.date
ISSUED_ON = D(2026, 1, 5)


def issue_annual(world, people, on=ISSUED_ON, **extra):
    return annual_summary_issue(
        user=people["command_official"],
        province=world.hue,
        year=2025,
        data=state_input(world.bg_command, on, **extra),
    )


def test_an_issued_annual_summary_is_numbered_dated_and_signed(world, people):
    document = issue_annual(world, people)
    assert document.number == 1
    assert document.number_line == "Số: 01/BC-BCH"
    text = read.flat(document.pdf.read())
    assert "Số: 01/BC-BCH" in text
    assert "Huế, ngày 05 tháng 01 năm 2026" in text
    assert "KT. CHỈ HUY TRƯỞNG PHÓ CHỈ HUY TRƯỞNG" in text
    assert "Lê Văn Bình" in text
    assert "- Lưu: VT, TM." in text
    assert "DỰ THẢO" not in text


def test_state_numbers_run_through_the_year_and_start_again_at_01(world, people):
    first = issue_annual(world, people, D(2025, 12, 30))
    second = issue_annual(world, people, D(2025, 12, 31))
    third = issue_annual(world, people, D(2026, 1, 2))
    assert [first.number, second.number, third.number] == [1, 2, 1]
    assert [first.series, third.series] == ["2025", "2026"]


def test_party_numbers_run_across_the_committees_term(world, people):
    review = Review.objects.get(pk=world.party_review.pk)
    user = people["party_official"]
    first = review_summary_issue(user=user, review=review, data=party_input(world.bg_party))
    later = review_summary_issue(
        user=user, review=review, data=party_input(world.bg_party, D(2027, 3, 1))
    )
    assert (first.number, later.number) == (1, 2)
    assert first.number_line == "Số 01-BC/ĐU"
    text = read.flat(first.pdf.read())
    assert "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ" in text
    assert "- Lưu Văn phòng Đảng ủy." in text


def test_the_issued_pdf_does_not_change_when_the_data_does(world, people):
    review = Review.objects.get(pk=world.party_review.pk)
    document = review_summary_issue(
        user=people["party_official"], review=review, data=party_input(world.bg_party)
    )
    issued = document.pdf.read()
    Review.objects.filter(pk=review.pk).update(situation="Một tình hình hoàn toàn khác.")
    document.refresh_from_db()
    with document.pdf.open("rb") as stored:
        assert stored.read() == issued
    assert "Một tình hình hoàn toàn khác" not in read.text(issued)


def test_a_correction_names_the_document_it_replaces(world, people):
    first = issue_annual(world, people)
    correction = issue_annual(world, people, replaces=first)
    assert correction.replaces == first
    assert correction.number == 2


def test_a_party_committee_never_signs_k_t(world, people):
    review = Review.objects.get(pk=world.party_review.pk)
    with pytest.raises(ValidationError) as error:
        review_summary_issue(
            user=people["party_official"],
            review=review,
            data=party_input(world.bg_party, signing_capacity="KT."),
        )
    assert "signing_capacity" in error.value.error_dict
    assert not IssuedDocument.objects.exists()


def test_a_title_outside_the_profile_is_refused(world, people):
    with pytest.raises(ValidationError) as error:
        issue_annual(world, people, signer_title="BÍ THƯ ĐẢNG ỦY")
    assert "signer_title" in error.value.error_dict


def test_a_party_committee_without_a_superior_line_cannot_issue(world, people):
    OrganizationHeader.objects.create(
        organization=world.bg_party,
        own_lines="ĐẢNG ỦY BAN CHỈ HUY\nBỘ ĐỘI BIÊN PHÒNG THÀNH PHỐ HUẾ",
        abbreviation="ĐU",
    )
    review = Review.objects.get(pk=world.party_review.pk)
    with pytest.raises(ValidationError) as error:
        review_summary_issue(
            user=people["party_official"], review=review, data=party_input(world.bg_party)
        )
    assert "cấp trên" in str(error.value)
    assert not IssuedDocument.objects.exists()


def test_the_recorded_header_lines_and_abbreviation_are_printed(world, people):
    OrganizationHeader.objects.create(
        organization=world.bg_command,
        superior_lines="BỘ CHỈ HUY QUÂN SỰ\nTHÀNH PHỐ HUẾ",
        own_lines="BAN CHỈ HUY\nBỘ ĐỘI BIÊN PHÒNG",
        abbreviation="BCH-BP",
    )
    document = issue_annual(world, people)
    lines = read.lines(document.pdf.read())
    assert lines[:1] == ["BỘ CHỈ HUY QUÂN SỰ"]
    assert "BAN CHỈ HUY" in lines and "BỘ ĐỘI BIÊN PHÒNG" in lines
    assert document.number_line == "Số: 01/BC-BCH-BP"


def test_data_entry_staff_prepare_drafts_but_do_not_issue(world, people):
    with pytest.raises(PermissionDenied):
        annual_summary_issue(
            user=people["clerk"], province=world.hue, year=2025, data=state_input(world.bg_command)
        )


def test_an_official_issues_only_for_their_own_organization(world, people):
    with pytest.raises(PermissionDenied):
        annual_summary_issue(
            user=people["command_official"],
            province=world.hue,
            year=2025,
            data=state_input(world.peoples_committee, signer_title="PHÓ CHỦ TỊCH"),
        )
    assert not IssuedDocument.objects.exists()


def test_the_draft_of_a_committee_without_a_superior_line_warns_on_its_face(world):
    from reports import renderer, selectors

    OrganizationHeader.objects.create(
        organization=world.bg_party, own_lines="ĐẢNG ỦY BAN CHỈ HUY", abbreviation="ĐU"
    )
    review = selectors.reviews_for_report().get(pk=world.party_review.pk)
    review.report_number = ""
    data = selectors.review_summary_data(review)
    text = read.flat(renderer.render_pdf("reports/review_summary.html", data))
    assert "chưa thể ban hành" in text
    assert "DỰ THẢO" in text
