"""Every list and detail page runs a bounded number of queries, whatever the row count."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.models import Review
from tests.web.conftest import make_org, regulation
from units.models import Level, Organization

MAX_QUERIES = 25
# The dashboard computed from scratch, including the data stamp's ten index lookups, and
# its deadlines block: completeness (3), directives (1, and 3 per directive), the unread
# notices and the header's count of them (2).
MAX_DASHBOARD_QUERIES = 37


def add_agreements(world, count: int) -> list:
    created = []
    for index in range(count):
        commune = make_org(
            f"Đảng ủy xã thử {index}",
            Organization.Kind.LOCAL_PARTY_COMMITTEE,
            Level.COMMUNE,
            world.hue,
        )
        agreement = regulation(
            user=world.staff,
            parties=[world.hue_post, commune, world.hue_commune_party_2],
            title=f"Quy chế thử {index}",
        )
        services.review_create(
            user=world.staff,
            agreement=agreement,
            kind=Review.Kind.ANNUAL,
            year=2025,
            period_start=agreement.valid_from,
            period_end=datetime.date(2025, 12, 31),
            indicator_values={"joint_patrols": index + 1, "crime_cases": 2},
        )
        upload = SimpleUploadedFile(f"{index}.pdf", b"%PDF-1.4 " + str(index).encode())
        services.attachment_add(user=world.staff, uploaded_file=upload, agreement=agreement)
        created.append(agreement)
    return created


@pytest.fixture
def many(world):
    return add_agreements(world, 30)


PAGES = [
    "/",
    "/agreements/",
    "/agreements/?q=quy+che&sort=-title&in_force=true",
    "/agreements/?review_missing=2026&party_kind=border_post",
    "/agreements/export.csv",
    "/organizations/{post}/",
    "/units/46/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_list_pages_run_a_bounded_number_of_queries(
    staff_client, world, many, path, django_assert_max_num_queries
):
    world.hue_post.area = world.hue
    world.hue_post.save()
    limit = MAX_DASHBOARD_QUERIES if path == "/" else MAX_QUERIES
    with django_assert_max_num_queries(limit):
        response = staff_client.get(path.format(post=world.hue_post.pk))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_detail_page_runs_a_bounded_number_of_queries(
    staff_client, world, django_assert_max_num_queries
):
    agreement = add_agreements(world, 1)[0]
    for year in (2025, 2026):
        services.review_create(
            user=world.staff,
            agreement=agreement,
            kind=Review.Kind.MID_TERM,
            year=year,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 6, 30),
            indicator_values={"joint_patrols": year, "fines": 10},
        )
    with django_assert_max_num_queries(MAX_QUERIES):
        response = staff_client.get(f"/agreements/{agreement.pk}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_national_dashboard_runs_a_bounded_number_of_queries(
    client, world, many, django_assert_max_num_queries
):
    client.force_login(world.national_official)
    with django_assert_max_num_queries(60):
        response = client.get("/")
    assert response.status_code == 200


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_twice_the_rows_cost_no_more_queries(staff_client, world, path):
    # Equal counts for N and 2N rows: a query per row (N+1) would show as a difference.
    world.hue_post.area = world.hue
    world.hue_post.save()
    path = path.format(post=world.hue_post.pk)
    add_agreements(world, 3)
    fewer = queries_for(staff_client, path)
    add_agreements(world, 3)
    assert queries_for(staff_client, path) == fewer


@pytest.mark.django_db
def test_more_reviews_and_attachments_cost_the_detail_page_no_more_queries(staff_client, world):
    agreement = add_agreements(world, 1)[0]
    path = f"/agreements/{agreement.pk}/"

    def add_review(year):
        review = services.review_create(
            user=world.staff,
            agreement=agreement,
            kind=Review.Kind.MID_TERM,
            year=year,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 6, 30),
            indicator_values={"joint_patrols": year, "fines": 10},
        )
        upload = SimpleUploadedFile(f"r{year}.pdf", b"%PDF-1.4 r" + str(year).encode())
        services.attachment_add(user=world.staff, uploaded_file=upload, review=review)

    add_review(2024)
    fewer = queries_for(staff_client, path)
    add_review(2025)
    add_review(2026)
    assert queries_for(staff_client, path) == fewer
