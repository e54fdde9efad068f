"""Layout checks of the PDFs, per profile: the required elements in order, the bundled
font only, no page number on page 1, and no text over text or past the table's edge."""

import datetime

import pytest

from reports import profiles, renderer, selectors
from tests.reports import layout
from tests.reports import pdf as read
from tests.reports.conftest import long_agreements

D = datetime.date
REVIEW = "reports/review_summary.html"
ANNUAL = "reports/annual_summary.html"


def review_pdf(review) -> bytes:
    review = selectors.reviews_for_report().get(pk=review.pk)
    return renderer.render_pdf(REVIEW, selectors.review_summary_data(review))


def assert_in_order(found, *texts):
    positions = [layout.position(layout.find(found, text)) for text in texts]
    assert positions == sorted(positions), list(zip(texts, positions, strict=True))


@pytest.mark.parametrize(
    ("which", "national", "number", "signature", "archive"),
    [
        (
            "party_review",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số 12-BC/ĐU",
            "T/M BAN THƯỜNG VỤ",
            "- Lưu Văn phòng Đảng ủy.",
        ),
        (
            "state_review",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 15/BC-UBND",
            "TM. ỦY BAN NHÂN DÂN",
            "- Lưu: VT.",
        ),
    ],
)
def test_the_required_elements_come_in_order(world, which, national, number, signature, archive):
    pdf = review_pdf(getattr(world, which))
    found = layout.lines(pdf)
    header = find_first_header_line(found)
    assert layout.position(header) < layout.position(layout.find(found, number))
    assert layout.find(found, national).top == pytest.approx(header.top, abs=3)
    assert_in_order(found, number, "BÁO CÁO", "I. ĐẶC ĐIỂM TÌNH HÌNH", signature, archive)
    recipients = layout.find(found, "Nơi nhận:")
    assert recipients.top == pytest.approx(layout.find(found, signature).top, abs=3)
    assert recipients.x1 < layout.find(found, signature).x0
    place_date = layout.find(found, "Huế, ngày")
    assert place_date.top == pytest.approx(layout.find(found, number).top, abs=3)
    assert place_date.x0 > layout.find(found, number).x1


def find_first_header_line(found):
    first = found[0]
    return layout.Line(first[0].page, first[0].text, first[0].top, first[0].x0, first[-1].x1)


@pytest.mark.parametrize("which", ["party_review", "state_review"])
def test_only_the_bundled_font_and_no_page_number_on_page_one(world, which):
    pdf = review_pdf(getattr(world, which))
    assert {font.family for font in read.fonts(pdf)} == {"Liberation Serif"}
    assert read.top_margin_texts(pdf)[0] == ""


@pytest.mark.parametrize("extra_lines", range(0, 40, 3))
def test_no_page_holds_only_the_signature(world, extra_lines):
    review = world.state_review
    review.lessons = "\n".join(
        f"Bài học thứ {n}: phải giữ vững sự lãnh đạo của cấp ủy và phối hợp chặt chẽ."
        for n in range(extra_lines)
    )
    review.save()
    found = layout.lines(review_pdf(review))
    recipients = layout.find(found, "Nơi nhận:")
    above = [
        line
        for line in found
        if line[0].page == recipients.page and line[0].top < recipients.top - 5
    ]
    # More than the page number: the last paragraph goes with the signature.
    assert len(above) >= 2, f"page {recipients.page} holds only the signature"


@pytest.fixture
def large_summary(world):
    """A province with many agreements whose symbols, titles and parties are long."""
    long_agreements(world, 60)
    data = selectors.annual_summary_data(world.hue, 2025)
    return renderer.render_pdf(ANNUAL, data)


def test_no_text_overlaps_or_crosses_the_table_edge_in_a_large_summary(large_summary):
    assert layout.overlapping(large_summary) == []
    margins = profiles.STATE.margins
    assert layout.outside(large_summary, margins.left, margins.right) == []


def test_the_large_summary_keeps_its_elements_in_order(large_summary):
    found = layout.lines(large_summary)
    assert_in_order(
        found,
        "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG",
        "Số:",
        "BÁO CÁO",
        "I. TÌNH HÌNH KÝ KẾT",
        "V. KIẾN NGHỊ",
        "Nơi nhận:",
        "- Lưu: VT.",
        "PHỤ LỤC",
    )
    assert read.top_margin_texts(large_summary)[0] == ""
    assert {font.family for font in read.fonts(large_summary)} == {"Liberation Serif"}


def test_the_appendix_runs_on_landscape_pages_in_five_columns(large_summary):
    """Its own pages, turned across: the body stays portrait A4."""
    sizes = layout.page_sizes(large_summary)
    appendix_page = layout.find(layout.lines(large_summary), "PHỤ LỤC").page
    portrait, landscape = (595.3, 841.9), (841.9, 595.3)
    rounded = [(round(width, 1), round(height, 1)) for width, height in sizes]
    assert rounded[: appendix_page - 1] == [portrait] * (appendix_page - 1)
    assert rounded[appendix_page - 1 :] == [landscape] * (len(sizes) - appendix_page + 1)
    text = " ".join(read.flat(large_summary).split())
    appendix = text[text.index("PHỤ LỤC: DANH SÁCH") :]
    assert "TT Số, ký hiệu, ngày ký Tên văn bản Các bên ký kết" in appendix
    assert "Hiệu lực; trạng thái; sơ kết năm 2025" in appendix
    # The number cited with its date (the long symbol wraps after its hyphen), the
    # validity with the status and the review.
    assert "100-QC/ĐUBĐBP- ĐUXBG ngày 31/12/2024 Quy chế phối hợp" in appendix
    assert "2025–2030; đang có hiệu lực; chưa sơ kết" in appendix
