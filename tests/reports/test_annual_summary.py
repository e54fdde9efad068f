import datetime

import pytest

from agreements.models import Agreement, AgreementParty, in_force_q
from agreements.services import review_update
from deadlines.selectors import completeness, review_due_status
from reports import profiles, renderer, selectors
from reports.templatetags.report_tags import vn_number
from tests.reports import pdf as read
from units.models import AdministrativeUnit, Organization

TEMPLATE = "reports/annual_summary.html"
END_2025 = datetime.date(2025, 12, 31)


def coverage_by_hand(province):
    """Border communes and posts with an agreement in force, counted the long way."""
    in_force = [
        a
        for a in Agreement.objects.all()
        if a.status != Agreement.Status.DRAFT
        and a.valid_from <= END_2025
        and (a.valid_until is None or a.valid_until >= END_2025)
        and (a.ended_on is None or a.ended_on > END_2025)
    ]
    parties = {p.organization_id for a in in_force for p in a.parties.all()}
    communes = [
        c
        for c in AdministrativeUnit.objects.filter(parent=province, is_border=True)
        if c.is_commune
    ]
    posts = [
        o
        for o in Organization.objects.filter(province=province)
        if o.kind in Organization.BORDER_POST_KINDS
    ]
    covered = [
        c
        for c in communes
        if any(
            p.pk in parties
            for p in c.covering_posts.all()
            if p.kind in Organization.BORDER_POST_KINDS
        )
    ]
    return len(covered), len(communes), sum(1 for p in posts if p.pk in parties), len(posts)


def test_coverage_matches_a_count_by_hand(world):
    data = selectors.annual_summary_data(world.hue, 2025)
    covered, communes, posts_with, posts = coverage_by_hand(world.hue)
    assert (covered, communes, posts_with, posts) == (2, 3, 1, 2)
    assert data.coverage.covered_communes == covered
    assert data.coverage.border_communes == communes
    assert data.coverage.posts_with_agreement == posts_with
    assert data.coverage.border_posts == posts


def test_twinning_coverage_lists_the_enterprise_without_a_twin(world):
    coverage = selectors.annual_summary_data(world.hue, 2025).coverage
    assert (coverage.twinned, coverage.twinning_targets) == (1, 2)
    assert coverage.not_twinned == ["Công ty cổ phần Cảng Chân Mây"]


def test_agreements_are_counted_by_what_happened_in_the_year(world):
    data = selectors.annual_summary_data(world.hue, 2025)
    counts = [row.count for row in data.agreement_counts]
    # In force in the year, in force on 31/12, signed, expired, terminated, superseded.
    assert counts == [4, 3, 1, 0, 1, 0]
    assert [row.title for row in data.appendix if "Dự thảo" in row.title] == []


def test_reviews_held_are_counted_against_those_due_with_the_missing_listed(world):
    # Due: regulations and twinnings in force on 31/12; the one terminated in July owes none.
    data = selectors.annual_summary_data(world.hue, 2025)
    assert (data.reviews.held, data.reviews.expected) == (2, 3)
    assert [row.number for row in data.missing_reviews] == ["02-KN"]


def test_indicator_totals_add_up_the_scope_and_compare_with_the_previous_year(world):
    rows = {r.name: r for r in selectors.annual_summary_data(world.hue, 2025).indicators}
    patrols = rows["Tuần tra song phương, phối hợp"]
    assert (patrols.value, patrols.previous, patrols.change) == (1400, 1200, 200)
    national = {r.name: r for r in selectors.annual_summary_data(None, 2025).indicators}
    assert national["Tuần tra song phương, phối hợp"].value == 2100


def test_a_figure_edited_through_the_services_shows_in_both_summaries(world):
    review_update(
        review=world.party_review,
        user=world.hue_user,
        expected_version=world.party_review.version,
        indicator_values={"joint_patrols": 1000},
    )
    patrols = "Tuần tra song phương, phối hợp"
    rows = {r.name: r for r in selectors.annual_summary_data(world.hue, 2025).indicators}
    national = {r.name: r for r in selectors.annual_summary_data(None, 2025).indicators}
    # 1,352 + 48 before; the state review's 48 stays, and Lạng Sơn adds its 700.
    assert (rows[patrols].value, national[patrols].value) == (1048, 1748)


def test_the_national_summary_has_a_row_and_a_bar_per_province_with_border_units(world):
    data = selectors.annual_summary_data(None, 2025)
    assert [(p.code, p.covered_communes, p.border_communes) for p in data.provinces] == [
        ("20", 0, 1),
        ("46", 2, 3),
    ]
    assert [bar.label for bar in data.chart.bars] == ["Lạng Sơn", "Thành phố Huế"]
    assert data.coverage.border_communes == 4


def test_the_coverage_table_numbers_only_the_provinces_it_lists(world):
    # Hà Nội (01) has an agreement but no border unit: counted, not in the coverage table.
    hanoi = AdministrativeUnit.objects.current().get(code="01")
    Agreement.objects.create(
        title="Quy chế phối hợp thử",
        kind=Agreement.Kind.REGULATION,
        province=hanoi,
        status=Agreement.Status.IN_FORCE,
        valid_from=datetime.date(2025, 1, 1),
    )
    data = selectors.annual_summary_data(None, 2025)
    assert [p.code for p in data.provinces] == ["01", "20", "46"]
    html = renderer.render_html(TEMPLATE, data)
    assert '<td class="c">1</td><td>Lạng Sơn</td>' in html
    assert '<td class="c">2</td><td>Thành phố Huế</td>' in html


def test_the_province_chart_follows_an_indicator_across_years(world):
    chart = selectors.annual_summary_data(world.hue, 2025).chart
    assert [(bar.label, bar.value) for bar in chart.bars][-2:] == [("2024", 1200), ("2025", 1400)]


def test_the_pdf_shows_the_coverage_reviews_and_appendix(world):
    data = selectors.annual_summary_data(world.hue, 2025)
    html = renderer.render_html(TEMPLATE, data)
    assert "<svg" in html
    document = renderer.html_to_pdf(html, data.head.profile)
    text = read.flat(document)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG THÀNH PHỐ HUẾ" in text
    assert "DỰ THẢO" in text
    assert "trên địa bàn thành phố Huế" in text
    assert "có văn bản phối hợp đang có hiệu lực với đồn Biên phòng phụ trách: 2/3" in text
    assert "Đồn Biên phòng có ít nhất một văn bản phối hợp đang có hiệu lực: 1/2" in text
    # A justified line spaces its words wider: compared with single spaces.
    words = " ".join(text.split())
    assert "đã tổ chức sơ kết 2/3 văn bản (66,7%), trong đó đúng hạn 1 (33,3%)" in words
    assert "1.400 1.200 +200 +16,7" in text
    assert "Đề nghị bổ sung kinh phí tuần tra." in text
    assert "PHỤ LỤC: DANH SÁCH VĂN BẢN PHỐI HỢP" in text
    for number in ("05-QC/ĐU", "01-QC/ĐU", "02-KN", "07-QC/ĐU"):
        assert number in text
    assert "03-QC/ĐU" not in text  # Lạng Sơn's
    assert {font.family for font in read.fonts(document)} == {"Liberation Serif"}


@pytest.mark.parametrize("province", ["hue", None])
def test_the_annual_summary_reads_a_bounded_number_of_queries(
    world, province, django_assert_max_num_queries
):
    unit = world.hue if province else None
    # Three count the reviews by the deadlines rule (deadlines.selectors.completeness),
    # two find the missing ones, two read the issuer's header lines and the names units
    # had on the summary's day.
    with django_assert_max_num_queries(21):
        selectors.annual_summary_data(unit, 2025)


def test_the_query_count_does_not_grow_with_the_number_of_agreements(
    world, django_assert_max_num_queries
):
    for n in range(20):
        copy = Agreement.objects.create(
            title=f"Quy chế bản sao {n}",
            kind=Agreement.Kind.REGULATION,
            province=world.hue,
            status=Agreement.Status.IN_FORCE,
            valid_from=datetime.date(2024, 1, 1),
        )
        copy.parties.create(organization=world.post_b)
    # Three count the reviews by the deadlines rule (deadlines.selectors.completeness),
    # two find the missing ones, two read the issuer's header lines and the names units
    # had on the summary's day.
    with django_assert_max_num_queries(21):
        data = selectors.annual_summary_data(world.hue, 2025)
    assert data.coverage.posts_with_agreement == 2


def test_the_review_summary_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    review = selectors.reviews_for_report().get(pk=world.party_review.pk)
    # The fifth reads the issuer's recorded header lines, the sixth the place's name on
    # the document's day.
    with django_assert_max_num_queries(6):
        selectors.review_summary_data(review)


def test_the_national_summary_counts_per_province_and_lists_only_national_agreements(world):
    data = selectors.annual_summary_data(None, 2025)
    rows = [(p.code, p.in_force, p.reviews.held, p.reviews.expected) for p in data.provinces]
    assert rows == [("20", 1, 1, 1), ("46", 3, 2, 3)]
    assert (data.reviews.held, data.reviews.expected) == (3, 4)
    assert data.appendix == []
    assert data.missing_reviews == []


def test_the_same_proposal_from_several_reviews_is_gathered_once(world):
    world.party_review.proposals = "Đề nghị bổ sung kinh phí tuần tra."
    world.party_review.save()
    proposals = selectors.annual_summary_data(world.hue, 2025).proposals
    assert [(p.text, sorted(p.sources)) for p in proposals] == [
        ("Đề nghị bổ sung kinh phí tuần tra.", ["01-QC/ĐU", "05-QC/ĐU"])
    ]


def test_a_proposal_raised_by_more_than_can_be_named_shows_their_number_first(world, monkeypatch):
    monkeypatch.setattr(profiles, "MAX_PROPOSAL_SOURCES_NAMED", 2)
    common, rare = "Đề nghị bổ sung kinh phí tuần tra.", "Đề nghị tập huấn nghiệp vụ."
    world.party_review.proposals = f"{rare}\n{common}"
    world.state_review.proposals = common
    world.lang_son_review.proposals = common
    for review in (world.party_review, world.state_review, world.lang_son_review):
        review.save()
    proposals = selectors.annual_summary_data(None, 2025).proposals
    assert [(p.text, p.count, p.sources) for p in proposals] == [
        (common, 3, []),
        (rare, 1, ["01-QC/ĐU"]),
    ]
    html = renderer.render_html(TEMPLATE, selectors.annual_summary_data(None, 2025))
    assert f"1. {common} <em>(3 văn bản)</em>" in html
    assert f"2. {rare} <em>(01-QC/ĐU)</em>" in html


@pytest.mark.parametrize("texts_matched", [500, 0])
def test_proposals_raised_as_often_follow_the_documents_order(world, monkeypatch, texts_matched):
    # 0: the sources are read in one pass over every review instead of by wording.
    monkeypatch.setattr(selectors, "PROPOSAL_TEXTS_MATCHED", texts_matched)
    world.party_review.proposals = "Đề nghị tăng cường tuần tra."
    world.lang_son_review.proposals = "Đề nghị hỗ trợ cột mốc."
    world.state_review.proposals = ""
    for review in (world.party_review, world.lang_son_review, world.state_review):
        review.save()
    assert world.party_review.pk < world.lang_son_review.pk
    proposals = selectors.annual_summary_data(None, 2025).proposals
    # Lạng Sơn (20) before Huế (46), though Huế's review was entered first.
    assert [(p.text, p.count, p.sources) for p in proposals] == [
        ("Đề nghị hỗ trợ cột mốc.", 1, [world.lang_son_agreement.number]),
        ("Đề nghị tăng cường tuần tra.", 1, [world.party_review.agreement.number]),
    ]


@pytest.mark.parametrize(
    "on",
    [datetime.date(2025, 1, 12), datetime.date(2025, 7, 1), END_2025, datetime.date(2030, 12, 31)],
)
def test_the_in_force_condition_reads_the_same_across_a_join(world, on):
    in_force = set(Agreement.objects.in_force(on))
    signed = AgreementParty.objects.filter(in_force_q(on, "agreement__"))
    assert {party.agreement for party in signed.select_related("agreement")} == {
        agreement for agreement in in_force if agreement.parties.exists()
    }


@pytest.mark.parametrize("province_code", ["46", None])
def test_the_annual_summary_numbers_its_pages_from_page_two(world, province_code):
    province = (
        AdministrativeUnit.objects.current().get(code=province_code) if province_code else None
    )
    data = selectors.annual_summary_data(province, 2025)
    pdf = renderer.html_to_pdf(renderer.render_html(TEMPLATE, data), data.head.profile)
    margins = read.top_margin_texts(pdf)
    assert len(margins) >= 2
    assert margins == ["", *[str(n) for n in range(2, len(margins) + 1)]]


@pytest.mark.parametrize("province_code", ["46", None])
def test_reviews_due_and_held_are_those_the_dashboard_counts(world, province_code):
    # The summary counts them in one grouped query of its own; the dashboard's selector
    # is the rule they must agree with.
    province = (
        AdministrativeUnit.objects.current().get(code=province_code) if province_code else None
    )
    agreements = Agreement.objects.filter(province=province) if province else Agreement.objects
    today = datetime.date(2026, 3, 1)
    dashboard = review_due_status(agreements.all(), year=2025, today=today)
    data = selectors.annual_summary_data(province, 2025, today=today)
    assert (data.reviews.expected, data.reviews.held) == (
        dashboard.due,
        dashboard.due - dashboard.missing,
    )
    assert data.reviews.expected > data.reviews.held > 0


@pytest.mark.parametrize("province_code", ["46", None])
def test_both_summaries_print_the_completeness_pages_figures(world, province_code):
    province = (
        AdministrativeUnit.objects.current().get(code=province_code) if province_code else None
    )
    agreements = Agreement.objects.filter(province=province) if province else Agreement.objects
    today = datetime.date(2026, 6, 1)
    figures, _ = completeness(agreements.all(), year=2025, today=today)
    data = selectors.annual_summary_data(province, 2025, today=today)
    assert data.reviews == figures
    html = renderer.render_html(TEMPLATE, data)
    assert (
        f"đã tổ chức sơ kết {figures.held}/{figures.expected} văn bản "
        f"({vn_number(figures.held_rate)}%), trong đó đúng hạn {figures.on_time} "
        f"({vn_number(figures.on_time_rate)}%), trễ hạn {figures.late}; "
        f"còn {figures.missing} văn bản chưa sơ kết"
    ) in html
