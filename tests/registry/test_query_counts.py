"""Every registered list runs the same number of queries for a page of N rows as for 2N."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services
from agreements.models import FocusArea, Indicator, LegalDocument, Review
from registry.base import REGISTRY
from tests.web.conftest import make_org, regulation
from units.models import Level, Organization

ROWS = 50


@pytest.fixture
def fifty_of_each(world):
    for index in range(ROWS):
        commune = make_org(
            f"Đảng ủy xã đếm {index:02d}",
            Organization.Kind.LOCAL_PARTY_COMMITTEE,
            Level.COMMUNE,
            world.hue,
        )
        agreement = regulation(
            user=world.staff, parties=[world.hue_post, commune], title=f"Quy chế đếm {index:02d}"
        )
        services.review_create(
            user=world.staff,
            agreement=agreement,
            kind=Review.Kind.ANNUAL,
            year=2025,
            period_start=agreement.valid_from,
            period_end=datetime.date(2025, 12, 31),
        )
        FocusArea.objects.create(code=f"fa-{index}", name=f"Nội dung {index}")
        LegalDocument.objects.create(number=f"{index}/QĐ", doc_type="Quyết định", title="Thử")
        Indicator.objects.create(
            code=f"ind-{index}", name=f"Chỉ tiêu {index}", unit="lần", group="x"
        )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_a_list_page_of_2n_rows_costs_what_a_page_of_n_costs(client, world, fifty_of_each, key):
    client.force_login(world.staff)
    url = reverse(REGISTRY[key].url_name("list"))
    queries(client, url)  # warm caches that are not per row (sessions, content types)
    small = queries(client, f"{url}?per_page=25")
    large = queries(client, f"{url}?per_page=50")
    assert small == large, (key, small, large)
    assert large <= 20, (key, large)
