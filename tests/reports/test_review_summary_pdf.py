from pathlib import Path

import pytest
from django.conf import settings

from agreements.models import Review
from reports import renderer, selectors
from tests.reports import pdf as read

TEMPLATE = "reports/review_summary.html"
FONT_VERSION = "Version 2.1.5"


def render(review: Review) -> bytes:
    review = selectors.reviews_for_report().get(pk=review.pk)
    data = selectors.review_summary_data(review)
    return renderer.html_to_pdf(renderer.render_html(TEMPLATE, data), data.head.profile)


@pytest.fixture
def party_pdf(world):
    return render(world.party_review)


@pytest.fixture
def state_pdf(world):
    return render(world.state_review)


def test_the_party_profile_has_its_header_lines_and_number_form(party_pdf):
    lines = read.lines(party_pdf)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "*" in lines
    assert "Độc lập - Tự do - Hạnh phúc" not in read.text(party_pdf)
    assert "ĐẢNG ỦY QUÂN SỰ THÀNH PHỐ HUẾ" in read.flat(party_pdf)
    assert "Số 12-BC/ĐU" in read.text(party_pdf)


def test_the_state_profile_has_its_header_lines_and_number_form(state_pdf):
    lines = read.lines(state_pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in lines
    assert "Số: 15/BC-UBND" in read.text(state_pdf)


def test_the_place_and_date_have_leading_zeros(party_pdf, state_pdf):
    assert "Huế, ngày 05 tháng 01 năm 2026" in read.text(party_pdf)
    assert "Huế, ngày 09 tháng 01 năm 2026" in read.text(state_pdf)


def test_the_title_names_the_review_and_the_parties(party_pdf):
    text = " ".join(read.lines(party_pdf))
    assert "BÁO CÁO" in read.lines(party_pdf)
    assert (
        "Sơ kết năm 2025 thực hiện Quy chế phối hợp giữa Đảng ủy Ban Chỉ huy Bộ đội Biên phòng "
        "thành phố Huế và Thành ủy Huế"
    ) in text


def test_the_body_has_the_sections_of_the_review(party_pdf):
    text = read.text(party_pdf)
    for heading in (
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Công tác lãnh đạo, chỉ đạo",
        "2.1. Trao đổi, cung cấp thông tin",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "IV. BÀI HỌC KINH NGHIỆM",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP",
        "VI. KIẾN NGHỊ, ĐỀ XUẤT",
    ):
        assert heading in text
    assert "Đề nghị Thành ủy hỗ trợ kinh phí xây nhà cho hộ nghèo." in text


def test_indicators_show_this_year_and_the_previous_year_with_units(party_pdf):
    lines = read.lines(party_pdf)
    patrols = next(line for line in lines if line.startswith("1 Tuần tra song phương"))
    assert "lần 1.352 1.200 +152" in " ".join(
        lines[lines.index(patrols) : lines.index(patrols) + 3]
    )
    assert "3.000,5 2.500 +500,5" in read.text(party_pdf)
    assert "15.942" in read.text(party_pdf)


def test_the_party_signature_is_on_behalf_of_the_standing_committee(party_pdf):
    lines = read.lines(party_pdf)
    assert "T/M BAN THƯỜNG VỤ" in " ".join(lines)
    assert "PHÓ BÍ THƯ" in " ".join(lines)
    assert "K/T" not in read.text(party_pdf)
    assert "Nguyễn Văn Hùng" in lines


def test_the_state_signature_is_kt_for_the_chairman(state_pdf):
    text = read.text(state_pdf)
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert "Trần Thị Lan" in text


def test_recipients_are_one_a_line_with_the_archive_copy_last(party_pdf, state_pdf):
    lines = read.lines(party_pdf)
    start = lines.index("Nơi nhận:")
    assert lines[start + 1 : start + 4] == [
        "- Thường trực Thành ủy (để b/c);",
        "- Đảng ủy Bộ đội Biên phòng;",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert "- Lưu: VT." in read.lines(state_pdf)


def test_a_final_report_has_no_draft_mark(party_pdf):
    assert "DỰ THẢO" not in read.text(party_pdf)


def test_a_report_without_number_and_signer_is_a_draft_with_a_blank_number(world):
    Review.objects.filter(pk=world.state_review.pk).update(report_number="", signer_name="")
    text = read.text(render(world.state_review))
    assert "DỰ THẢO" in text
    assert "Số: 15" not in text
    assert "/BC-UBND" in text


def test_every_font_in_the_pdf_is_the_bundled_liberation_serif(party_pdf, state_pdf):
    bundled = {
        style: Path(settings.BASE_DIR, "static", "fonts", f"LiberationSerif-{style}.ttf")
        for style in ("Regular", "Bold", "Italic", "BoldItalic")
    }
    assert all(path.is_file() for path in bundled.values())
    for document in (party_pdf, state_pdf):
        fonts = read.fonts(document)
        assert fonts
        for font in fonts:
            assert font.base_font.split("+", 1)[1].startswith(
                renderer.FONT_FAMILY.replace(" ", "-")
            )
            assert font.family == "Liberation Serif"
            assert font.version == FONT_VERSION
        # Bold (title, header) and italic (date) are used, each from its own file.
        assert len({f.base_font.split("+")[1] for f in fonts}) >= 3


def test_the_pdf_carries_title_author_and_language(party_pdf):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(party_pdf))
    assert reader.metadata.title.startswith("BÁO CÁO Sơ kết năm 2025")
    assert reader.metadata.author == "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế"
    assert reader.trailer["/Root"]["/Lang"] == "vi"


def test_page_one_has_no_page_number_and_page_two_has_one(world):
    Review.objects.filter(pk=world.party_review.pk).update(
        situation="\n".join(f"Đoạn văn thứ {n} về tình hình biên giới." * 4 for n in range(60))
    )
    margins = read.top_margin_texts(render(world.party_review))
    assert len(margins) >= 3
    assert margins[:3] == ["", "2", "3"]


def test_decomposed_text_is_normalised_to_composed_letters(world):
    decomposed = "Tie\u0302\u0301p tu\u0323c"
    Review.objects.filter(pk=world.party_review.pk).update(lessons=decomposed)
    assert "Tiếp tục" in read.text(render(world.party_review))
