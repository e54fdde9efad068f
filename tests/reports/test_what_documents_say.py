"""What the summaries say: the year's statuses, totals that add up, no data against zero."""

import datetime

from agreements.models import Agreement, AgreementParty
from reports import renderer, selectors
from reports.templatetags.report_tags import vn_change, vn_number
from tests.reports import layout
from tests.reports import pdf as read
from tests.reports.conftest import agreement, org
from units.models import Level, Organization

D = datetime.date


def appendix_status(data, number):
    return next(row.status for row in data.appendix if row.number == number)


def test_a_past_years_summary_shows_the_statuses_of_31_december(world):
    # Terminated on 01/07/2025: in force at the end of 2024, ended by the end of 2025.
    assert appendix_status(selectors.annual_summary_data(world.hue, 2024), "07-QC/ĐU") == (
        "Đang có hiệu lực"
    )
    assert appendix_status(selectors.annual_summary_data(world.hue, 2025), "07-QC/ĐU") == (
        "Chấm dứt"
    )


def test_an_agreement_not_yet_in_force_on_31_december_says_so(world):
    assert selectors.status_on(world.regulation_communes, D(2024, 12, 31)) == "Chưa có hiệu lực"
    assert selectors.status_on(world.regulation_city, D(2028, 6, 1)) == "Hết hiệu lực"


def test_the_national_tables_add_up_to_the_stated_totals_with_a_national_row(world):
    central = org(
        "Đảng ủy Bộ đội Biên phòng", Organization.Kind.BORDER_GUARD_PARTY_COMMITTEE, Level.CENTRAL
    )
    agreement(
        "Quy chế phối hợp cấp toàn quốc",
        Agreement.Kind.REGULATION,
        None,
        [(central, AgreementParty.Role.LEAD)],
        number="125-QC/ĐUBĐBP",
        signed_on=D(2024, 5, 1),
        valid_from=D(2024, 5, 1),
    )
    data = selectors.annual_summary_data(None, 2025)
    in_force = next(row.count for row in data.agreement_counts if row.label.startswith("Đang"))
    assert sum(p.in_force for p in data.provinces) == in_force
    for figure in ("expected", "held", "on_time", "late", "missing"):
        column = sum(getattr(p.reviews, figure) for p in data.provinces)
        assert column == getattr(data.reviews, figure), figure
    assert data.provinces[-1].name == "Văn bản cấp toàn quốc"
    assert data.provinces[-1].in_force == 1


def test_no_data_is_a_dash_and_a_real_zero_is_zero():
    assert vn_number(None) == "–"
    assert vn_number(0) == "0"
    assert vn_change(None) == "–"
    assert vn_change(0) == "0"


def test_a_rate_prints_its_one_decimal_not_its_binary_expansion():
    # Completeness rates are floats rounded to 0.1.
    assert (vn_number(66.7), vn_number(75.0), vn_number(100.0)) == ("66,7", "75", "100")
    assert vn_number(80.3) == "80,3"
    assert vn_change(-0.1) == "-0,1"


def test_comparison_columns_appear_only_where_a_previous_year_has_figures(world):
    review = selectors.reviews_for_report().get(pk=world.state_review.pk)
    text = read.flat(
        renderer.render_pdf("reports/review_summary.html", selectors.review_summary_data(review))
    )
    assert "Tăng (+), giảm (-)" not in text
    review = selectors.reviews_for_report().get(pk=world.party_review.pk)
    text = read.flat(
        renderer.render_pdf("reports/review_summary.html", selectors.review_summary_data(review))
    )
    assert "Tăng (+), giảm (-)" in text


def test_an_empty_appendix_is_one_sentence(world):
    data = selectors.annual_summary_data(world.hue, 2010)
    pdf = renderer.render_pdf("reports/annual_summary.html", data)
    text = read.flat(pdf)
    assert (
        "Không có văn bản phối hợp nào có hiệu lực, được ký kết hoặc kết thúc trong năm 2010."
        in text
    )
    assert "Số, ký hiệu" not in text
    # No table to turn the page for: every page, the appendix's too, stays portrait.
    assert {(round(w), round(h)) for w, h in layout.page_sizes(pdf)} == {(595, 842)}


def test_the_chart_skips_years_without_figures(world):
    data = selectors.annual_summary_data(world.hue, 2025)
    assert [bar.label for bar in data.chart.bars] == ["2024", "2025"]


def party(name, kind, level, role=AgreementParty.Role.PARTY):
    return AgreementParty(organization=Organization(name=name, kind=kind, level=level), role=role)


def test_the_title_names_many_parties_by_kind_as_people_name_them():
    Kind = Organization.Kind
    parties = [
        party(
            "Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang",
            Kind.BORDER_GUARD_PARTY_COMMITTEE,
            Level.PROVINCE,
            AgreementParty.Role.LEAD,
        ),
        *[
            party(f"Huyện ủy {name}", Kind.LOCAL_PARTY_COMMITTEE, Level.DISTRICT)
            for name in (
                "Xín Mần",
                "Hoàng Su Phì",
                "Vị Xuyên",
                "Quản Bạ",
                "Yên Minh",
                "Đồng Văn",
                "Mèo Vạc",
            )
        ],
    ]
    assert selectors.party_names(parties) == (
        "Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang",
        "Huyện ủy 7 huyện biên giới",
    )
    parties.append(party("Ủy ban nhân dân tỉnh Hà Giang", Kind.PEOPLES_COMMITTEE, Level.PROVINCE))
    assert selectors.party_names(parties)[1] == (
        "Huyện ủy 7 huyện biên giới và Ủy ban nhân dân tỉnh Hà Giang"
    )


def test_the_review_summary_opens_with_the_conference(world):
    review = selectors.reviews_for_report().get(pk=world.party_review.pk)
    review.chaired_by = "Đồng chí Nguyễn Văn Sơn, Phó Bí thư Thành ủy"
    review.attendees = "Lãnh đạo các bên ký kết."
    data = selectors.review_summary_data(review)
    assert data.opening == (
        "Ngày 28/12/2025, tại Huế, Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế và "
        "Thành ủy Huế tổ chức Hội nghị sơ kết năm 2025 thực hiện Quy chế phối hợp; "
        "đồng chí Nguyễn Văn Sơn, Phó Bí thư Thành ủy chủ trì hội nghị; "
        "tham dự hội nghị có lãnh đạo các bên ký kết."
    )
    text = read.flat(renderer.render_pdf("reports/review_summary.html", data))
    assert text.index("Ngày 28/12/2025") < text.index("I. ĐẶC ĐIỂM TÌNH HÌNH")
