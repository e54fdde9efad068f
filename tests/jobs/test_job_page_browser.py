"""The job page in a real browser: its progress bar follows the job, then the result shows."""

import time

import pytest
from huey.contrib.djhuey import HUEY

from jobs.models import Job
from jobs.services import progress_key
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser,
    log_in,
    page,
    world,
)
from units.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_its_job_then_shows_the_result(page, world):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, "canbo.hue")
    job = Job.objects.create(
        user=User.objects.get(username="canbo.hue"),
        kind="import_preview",
        title="Kiểm tra tệp “van-ban.xlsx”",
        state=Job.State.RUNNING,
        params={"kind": "agreements", "file_name": "van-ban.xlsx"},
    )
    HUEY.put(progress_key(job.pk), (10, 40, time.time()))

    page.goto(f"/jobs/{job.pk}/")

    expect(page.locator("#job-progress")).to_have_attribute("value", "25")
    assert_accessible(page, "job page")
    HUEY.put(progress_key(job.pk), (30, 40, time.time()))
    expect(page.locator("#job-count")).to_have_text("30 / 40")
    expect(page.locator("#job-progress")).to_have_js_property("value", 75)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        done=40,
        total=40,
        result={"problems": [], "changes": [[2, "new", "Quy chế 01"]], "created": 1},
    )
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_be_visible()
    expect(page.locator("#job-state")).to_have_text("Hoàn thành")
    HUEY.delete(progress_key(job.pk))
