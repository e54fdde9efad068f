from urllib.parse import quote

import pytest
from django.urls import reverse

from agreements.models import AgreementParty, IndicatorValue, Review
from tests.reports import pdf as read
from units.models import AdministrativeUnit
from units.services import border_communes_mark


def download(client, response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def review_url(review, suffix="pdf"):
    name = "reports:review_pdf" if suffix == "pdf" else "reports:review_preview"
    return reverse(name, args=[review.pk])


def test_it_asks_an_anonymous_visitor_to_log_in(client, world):
    response = client.get(review_url(world.party_review))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_serves_the_review_summary_with_a_vietnamese_file_name(client, world):
    client.force_login(world.hue_user)
    response = client.get(review_url(world.party_review))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Bao-cao-So-ket-nam-2025-01-QC-DU.pdf"; ')
    assert disposition.endswith("filename*=UTF-8''" + quote("Báo-cáo-Sơ-kết-năm-2025-01-QC-ĐU.pdf"))
    assert "Số 12-BC/ĐU" in read.text(download(client, response))


def test_it_hides_another_provinces_review(client, world):
    client.force_login(world.lang_son_user)
    assert client.get(review_url(world.party_review)).status_code == 404
    assert client.get(review_url(world.party_review, "html")).status_code == 404
    assert client.get(review_url(world.lang_son_review)).status_code == 200


def test_a_national_user_sees_every_province(client, world):
    client.force_login(world.national_user)
    assert client.get(review_url(world.lang_son_review, "html")).status_code == 200
    assert client.get(review_url(world.party_review, "html")).status_code == 200


def test_the_preview_is_the_same_document_in_html(client, world):
    client.force_login(world.hue_user)
    response = client.get(review_url(world.party_review, "html"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số 12-BC/ĐU" in html
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert "reports/report.css" in html
    assert review_url(world.party_review) in html


def test_a_second_download_is_the_cached_file_byte_for_byte(
    client, world, report_cache, monkeypatch
):
    from reports import renderer

    client.force_login(world.hue_user)
    first = download(client, client.get(review_url(world.party_review)))
    files = list(report_cache.iterdir())

    def must_not_render(*args, **kwargs):
        raise AssertionError("a cache hit must not render the PDF again")

    monkeypatch.setattr(renderer, "html_to_pdf", must_not_render)
    second = download(client, client.get(review_url(world.party_review)))
    assert first == second
    assert list(report_cache.iterdir()) == files


def test_a_cached_pdf_being_served_survives_a_newer_render_deleting_it(world):
    from reports import renderer, selectors

    data = selectors.review_summary_data(world.party_review)
    renderer.cached_pdf("reports/review_summary.html", data, name="test").file.close()
    hit = renderer.cached_pdf("reports/review_summary.html", data, name="test")
    assert hit.hit
    renderer.report_storage().delete(hit.name)  # as a render of edited data does
    with hit.file:
        assert hit.file.read().startswith(b"%PDF-")


def test_an_edit_to_an_indicator_invalidates_the_cached_pdf(client, world, report_cache):
    client.force_login(world.hue_user)
    first = download(client, client.get(review_url(world.party_review)))
    IndicatorValue.objects.filter(
        review=world.party_review, indicator__code="joint_patrols"
    ).update(value=1999)
    second = download(client, client.get(review_url(world.party_review)))
    assert first != second
    assert "1.999" in read.text(second)
    assert len(list(report_cache.glob(f"review-{world.party_review.pk}-*.pdf"))) == 1


def test_an_edit_to_the_review_invalidates_the_cached_pdf(client, world):
    client.force_login(world.hue_user)
    download(client, client.get(review_url(world.party_review)))
    Review.objects.filter(pk=world.party_review.pk).update(lessons="Bài học mới.")
    assert "Bài học mới." in read.text(download(client, client.get(review_url(world.party_review))))


def annual_url(year=2025, province=None, suffix="pdf"):
    name = "reports:annual_pdf" if suffix == "pdf" else "reports:annual_preview"
    url = reverse(name, args=[year])
    return f"{url}?province={province}" if province else url


def test_a_province_user_gets_the_annual_summary_of_their_province(client, world):
    client.force_login(world.hue_user)
    response = client.get(annual_url())
    assert 'filename="Bao-cao-tong-hop-2025-Thanh-pho-Hue.pdf"' in response["Content-Disposition"]
    text = read.flat(download(client, response))
    assert "trên địa bàn thành phố Huế" in text
    assert client.get(annual_url(province="46")).status_code == 200


@pytest.mark.parametrize("province", ["20", "national", "99"])
def test_a_province_user_cannot_get_another_scope(client, world, province):
    client.force_login(world.hue_user)
    assert client.get(annual_url(province=province)).status_code == 404
    assert client.get(annual_url(province=province, suffix="html")).status_code == 404


def test_a_national_user_gets_the_national_or_any_province_summary(client, world):
    client.force_login(world.national_user)
    national = client.get(annual_url(suffix="html"))
    assert "trên phạm vi toàn quốc" in national.content.decode()
    assert "<svg" in national.content.decode()
    lang_son = client.get(annual_url(province="20", suffix="html"))
    assert "trên địa bàn tỉnh Lạng Sơn" in lang_son.content.decode()


def test_a_year_in_the_future_is_not_found(client, world):
    client.force_login(world.national_user)
    assert client.get(annual_url(year=2999)).status_code == 404


def test_a_second_annual_download_is_served_from_the_cache_without_gathering(
    client, world, report_cache, monkeypatch
):
    from reports import selectors

    client.force_login(world.hue_user)
    first = download(client, client.get(annual_url()))

    def must_not_gather(*args, **kwargs):
        raise AssertionError("a cache hit must not gather the data again")

    monkeypatch.setattr(selectors, "annual_summary_data", must_not_gather)
    second = download(client, client.get(annual_url()))
    assert first == second


def test_an_indicator_edited_through_the_service_invalidates_the_annual_summary(
    client, world, report_cache
):
    from agreements.services import review_update

    client.force_login(world.hue_user)
    first = download(client, client.get(annual_url()))
    review = Review.objects.get(pk=world.party_review.pk)
    review_update(
        review=review,
        user=world.hue_user,
        expected_version=review.version,
        indicator_values={"joint_patrols": "4321"},
    )
    second = download(client, client.get(annual_url()))
    assert first != second
    assert len(list(report_cache.glob("annual-2025-46-*.pdf"))) == 1


@pytest.mark.django_db
def test_a_past_years_stamp_survives_the_night_and_the_current_years_does_not():
    import datetime

    from reports.selectors import annual_summary_stamp

    monday, tuesday = datetime.date(2026, 11, 23), datetime.date(2026, 11, 24)
    assert annual_summary_stamp(None, 2025, monday) == annual_summary_stamp(None, 2025, tuesday)
    assert annual_summary_stamp(None, 2026, monday) != annual_summary_stamp(None, 2026, tuesday)


def _add_post_b_as_a_party(world):
    # As the admin's party inline does: a row with its history.
    AgreementParty.objects.create(
        agreement=world.regulation_communes,
        organization=world.post_b,
        role=AgreementParty.Role.PARTY,
        order=9,
    )
    return "Đồn Biên phòng có ít nhất một văn bản phối hợp đang có hiệu lực: 2/2"


def _rename_the_enterprise(world):
    world.enterprise.name = "Công ty cổ phần Cảng biển Chân Mây"
    world.enterprise.save()
    return "chưa kết nghĩa: Công ty cổ phần Cảng biển Chân Mây"


def _mark_a_fourth_border_commune(world):
    marked = {c.pk for c in world.communes}
    fourth = AdministrativeUnit.objects.communes().filter(parent=world.hue).exclude(pk__in=marked)
    border_communes_mark(codes=[fourth.order_by("code")[0].code])
    return "phụ trách: 2/4"


@pytest.mark.parametrize(
    "change", [_add_post_b_as_a_party, _rename_the_enterprise, _mark_a_fourth_border_commune]
)
def test_any_change_the_annual_summary_shows_invalidates_its_cached_pdf(
    client, world, report_cache, change
):
    client.force_login(world.hue_user)
    first = download(client, client.get(annual_url()))
    expected = change(world)
    assert expected not in read.flat(first)
    second = download(client, client.get(annual_url()))
    assert expected in read.flat(second)
    assert len(list(report_cache.glob("annual-2025-46-*.pdf"))) == 1
